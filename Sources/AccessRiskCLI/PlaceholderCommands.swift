import ArgumentParser

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Import, analyse, score, merge with the previous cycle, write the reports.")
    @Argument(help: "Input files or directories.") var inputs: [String]
    func run() throws { throw notYetAvailable("review") }
}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Compare two registers.")
    @Argument var old: String
    @Argument var new: String
    func run() throws { throw notYetAvailable("diff") }
}

struct DecisionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decisions", abstract: "Reviewer decisions.", subcommands: [DecisionsImportCommand.self])
}

struct DecisionsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import reviewer decisions.")
    @Argument var file: String
    func run() throws { throw notYetAvailable("decisions import") }
}

struct RemediateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remediate", abstract: "A script removing every assignment decided `revoke`.")
    func run() throws { throw notYetAvailable("remediate") }
}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Write a synthetic tenant.")
    func run() throws { throw notYetAvailable("generate") }
}
