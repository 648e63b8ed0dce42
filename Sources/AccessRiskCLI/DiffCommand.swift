import AccessRiskRegister
import ArgumentParser
import Foundation

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two registers: new, resolved, reopened, changed and persisting risks, by severity.",
        discussion: """
            OLD and NEW are two risk-register.csv files, or, with --workspace, two cycle labels of the workspace \
            (e.g. 2026-Q3 2026-Q4).
            """
    )

    @Argument(help: "The older register: a risk-register.csv, or a cycle label with --workspace.") var old: String
    @Argument(help: "The newer register: a risk-register.csv, or a cycle label with --workspace.") var new: String
    @Option(help: "Compare two cycles of this workspace instead of two files.") var workspace: String?
    @Flag(help: "One JSON object: old, new, counts (state → severity → count), risks (state → list).")
    var json = false

    func run() throws {
        let diff: RegisterDiff
        do {
            if let workspace {
                let ws = try Workspace.open(directory: workspace, create: false)
                for label in [old, new] where try ws.cycle(label: label) == nil {
                    let known = try ws.cycles().map(\.label).joined(separator: ", ")
                    printError("\(ws.path): no cycle \"\(label)\" (cycles: \(known.isEmpty ? "none" : known))")
                    throw ExitCodes.badInput
                }
                diff = RegisterDiff.compare(
                    old: try ws.registerRows(cycle: old), new: try ws.registerRows(cycle: new), oldLabel: old,
                    newLabel: new)
            } else {
                diff = RegisterDiff.compare(
                    old: try RegisterCSV.read(path: old), new: try RegisterCSV.read(path: new))
            }
        } catch {
            try exitOnBadInput(error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(diff), as: UTF8.self))
        } else {
            print(diff.text)
        }
    }
}
