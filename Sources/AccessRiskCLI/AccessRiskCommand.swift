import ArgumentParser
import Foundation

/// The `accessrisk` command line: each subcommand parses options and calls the libraries.
public struct AccessRiskCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "accessrisk",
        abstract: "Cloud access reviews and risk assessments from the exports you already have.",
        version: AccessRiskVersion.current,
        subcommands: [
            ReviewCommand.self, InspectCommand.self, RulesCommand.self, DiffCommand.self, DecisionsCommand.self,
            RemediateCommand.self, GenerateCommand.self,
        ]
    )

    public init() {}
}

public enum AccessRiskVersion {
    public static let current = "0.1.0"
}

/// Exit codes of SPEC §1.
public enum ExitCodes {
    /// Findings at or above `--fail-on`.
    public static let findings = ExitCode(1)
    /// Bad input or configuration.
    public static let badInput = ExitCode(2)
    /// Usage error.
    public static let usage = ExitCode(64)
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Ends a command on an error: an exit code passes through; anything else is printed (every error type here
/// describes itself with file and line) and becomes exit 2, bad input.
func exitOnBadInput(_ error: any Error) throws -> Never {
    if let code = error as? ExitCode { throw code }
    printError(String(describing: error))
    throw ExitCodes.badInput
}
