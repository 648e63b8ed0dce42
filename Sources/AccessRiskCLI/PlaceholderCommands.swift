import ArgumentParser

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Import, analyse, score, merge with the previous cycle, write the reports.")
    @Argument(help: "Input files or directories.") var inputs: [String]
    func run() throws { throw notYetAvailable("review") }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "The rule catalogue.")
    func run() throws { throw notYetAvailable("rules") }
}
