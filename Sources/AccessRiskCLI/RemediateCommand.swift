import AccessRiskCSV
import AccessRiskRegister
import ArgumentParser
import Foundation

extension Remediation.Format: ExpressibleByArgument {}

struct RemediateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remediate",
        abstract: "Write a script removing every assignment whose latest decision is revoke. Never runs it.",
        discussion: """
            Reads the latest cycle (or --cycle) and the decision log of the workspace. Each command is commented \
            with the finding and the decision. Access held through a group is removed by taking the member out of \
            the group, not by deleting the group's assignment.
            """
    )

    @Option(help: "az (Azure CLI, bash) or powershell (Az module).") var format: Remediation.Format = .az
    @Option(help: "The workspace holding the register and the decision log.")
    var workspace: String = Workspace.defaultDirectory
    @Option(help: "The cycle whose register is used; the latest by default.") var cycle: String?
    @Option(help: "Write the script to this file (atomically) instead of standard output.") var out: String?

    func run() throws {
        do {
            let ws = try Workspace.open(directory: workspace, create: false)
            guard let label = try cycle ?? ws.latestCycle()?.label else {
                printError("\(ws.path): no review cycle yet; run `accessrisk review` first")
                throw ExitCodes.badInput
            }
            guard try ws.cycle(label: label) != nil else {
                printError("\(ws.path): no cycle \"\(label)\"")
                throw ExitCodes.badInput
            }
            let plan = Remediation.plan(entries: try ws.entries(cycle: label), decisions: try ws.decisions())
            let text = Remediation.script(plan, format: format, cycle: label)
            if let out {
                try AtomicFile.write(text, to: out)
                printError("\(out): \(plan.targets.count) assignment(s) to remove (script not run)")
            } else {
                print(text, terminator: "")
            }
        } catch {
            try exitOnBadInput(error)
        }
    }
}
