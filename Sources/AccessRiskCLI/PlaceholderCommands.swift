import ArgumentParser

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules", abstract: "The rule catalogue.")
    func run() throws { throw notYetAvailable("rules") }
}
