import AccessRiskModel

/// Runs one rule on one model, as the engine does, for examples and tests.
public enum RuleRunner {
    /// The rule's findings on the example's model, with its default thresholds overridden by the example's.
    public static func run(_ rule: any Rule.Type, example: RuleExample, settings: PolicySettings = .init()) -> [Finding]
    {
        var thresholds: [String: Int] = [:]
        for t in rule.description.thresholds { thresholds[t.key] = t.defaultValue }
        for (k, v) in example.thresholds { thresholds[k] = v }
        let context = RuleContext(
            model: example.model, analysis: AccessAnalysis(model: example.model), asOf: example.asOf,
            thresholds: thresholds, settings: settings)
        return rule.init().evaluate(context)
    }
}
