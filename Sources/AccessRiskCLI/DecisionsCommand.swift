import AccessRiskModel
import AccessRiskRegister
import ArgumentParser
import Foundation

struct DecisionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decisions", abstract: "The reviewer decision log.", subcommands: [DecisionsImportCommand.self])
}

struct DecisionsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append the decisions of a reviewer-edited access-review.csv or risk-register.csv to the log.",
        discussion: """
            Every row is checked: a risk id the workspace knows, a known decision (approve, revoke, modify, \
            dont_know) and treatment (mitigate, accept, transfer, avoid), a reviewer, an expiry date for an \
            acceptance, a justification for approving privileged access. A file with any bad row imports nothing \
            (each bad row is named by line) unless --partial. Decisions already in the log are skipped; earlier \
            entries are never changed.
            """
    )

    @Argument(help: "The reviewer-edited access-review.csv or risk-register.csv.") var file: String
    @Option(help: "The workspace holding the register and the decision log.")
    var workspace: String = Workspace.defaultDirectory
    @Flag(help: "Import the valid rows even when others are bad (the bad ones are listed).") var partial = false
    @Option(help: "The date used for rows without a decision date (ISO 8601); today (UTC) by default.")
    var asOf: String?

    func run() throws {
        let today: Timestamp
        if let asOf {
            guard let parsed = try? DateParsing.parse(asOf) else {
                throw ValidationError("--as-of: \"\(asOf)\" is not an ISO 8601 date")
            }
            today = parsed.startOfDay
        } else {
            today = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).startOfDay
        }
        do {
            let ws = try Workspace.open(directory: workspace, create: false)
            let result = try ws.importDecisions(path: file, partial: partial, today: today)
            for p in result.problems { printError(p.description) }
            if !result.appended {
                printError(
                    "\(file): \(result.problems.count) problem(s); nothing imported (fix the rows, or use --partial)")
                throw ExitCodes.badInput
            }
            var summary = "\(file) (\(result.kind)): \(result.decisions.count) decision(s) appended to \(ws.path)"
            var notes: [String] = []
            if result.duplicates > 0 { notes.append("\(result.duplicates) already in the log") }
            if result.undecided > 0 { notes.append("\(result.undecided) row(s) without a decision") }
            if !result.problems.isEmpty { notes.append("\(result.problems.count) problem(s) skipped") }
            if !notes.isEmpty { summary += "; " + notes.joined(separator: ", ") }
            print(summary)
        } catch {
            try exitOnBadInput(error)
        }
    }
}
