import AccessRiskRules
import ArgumentParser

/// `accessrisk rules`: the rule catalogue; `--json` prints the default policy file, which loads back unchanged.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "The rule catalogue: id, category, title, default severity, inputs, controls.",
        discussion:
            "With --json, prints the defaults in the policy file's own shape (every rule with `enabled` and its "
            + "thresholds, stale_days, sensitivity_threshold, SLA, exclusions): save it, edit it, pass it to "
            + "`review --policy`.",
        subcommands: [RulesExplainCommand.self]
    )

    @Flag(help: "Print the default policy (JSON) instead of the table.") var json = false

    func run() throws {
        print(json ? Policy.defaultPolicyJSON() : RuleCatalogue.table(), terminator: "")
    }
}

/// `accessrisk rules explain RULE-ID`: one rule in full.
struct RulesExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "One rule in full: rationale, condition, thresholds, remediation, anchors.")

    @Argument(help: "The rule id, e.g. too-many-subscription-owners.") var ruleId: String
    @Flag(help: "One JSON object.") var json = false

    func validate() throws {
        guard RuleCatalogue.rule(ruleId) != nil else {
            throw ValidationError("unknown rule id \"\(ruleId)\" (see `accessrisk rules`)")
        }
    }

    func run() throws {
        guard let rule = RuleCatalogue.rule(ruleId) else { throw ExitCodes.usage }
        print(json ? RuleCatalogue.explainJSON(rule) : RuleCatalogue.explain(rule), terminator: "")
    }
}
