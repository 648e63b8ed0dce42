import AccessRiskModel

/// What a rule sees: the model, the shared analysis (effective access, role capabilities), the as-of date and
/// its own thresholds. Rules read time only from here.
public struct RuleContext: Sendable {
    public let model: AccessModel
    public let analysis: AccessAnalysis
    public let asOf: Timestamp
    /// This rule's thresholds after the policy (defaults where the policy is silent), by key.
    public let thresholds: [String: Int]
    /// Global settings of the policy (stale days, sensitivity threshold, …).
    public let settings: PolicySettings
    /// The label taxonomy, information types and name patterns, with the policy's overrides compiled in.
    public let classification: ClassificationCatalogue
    /// The classification of each of `model.assets` (same order), computed once per run for every data rule.
    public let assetClassifications: [AssetClassification]
    /// Facts several rules read, computed once for every rule of the run.
    let shared: SharedRuleFacts

    /// - Parameters:
    ///   - classification: the compiled catalogue; built from `settings` when nil.
    ///   - assetClassifications: `model.assets` classified by it; computed here when nil.
    public init(
        model: AccessModel, analysis: AccessAnalysis, asOf: Timestamp, thresholds: [String: Int],
        settings: PolicySettings, classification: ClassificationCatalogue? = nil,
        assetClassifications: [AssetClassification]? = nil
    ) {
        self.init(
            model: model, analysis: analysis, asOf: asOf, thresholds: thresholds, settings: settings,
            classification: classification, assetClassifications: assetClassifications, shared: SharedRuleFacts())
    }

    /// The same, with the facts shared by the rules of one run.
    init(
        model: AccessModel, analysis: AccessAnalysis, asOf: Timestamp, thresholds: [String: Int],
        settings: PolicySettings, classification: ClassificationCatalogue?,
        assetClassifications: [AssetClassification]?, shared: SharedRuleFacts
    ) {
        self.shared = shared
        self.model = model
        self.analysis = analysis
        self.asOf = asOf
        self.thresholds = thresholds
        self.settings = settings
        let catalogue = classification ?? ClassificationCatalogue(policy: settings.classificationPolicy)
        self.classification = catalogue
        self.assetClassifications = assetClassifications ?? Self.classify(model.assets, catalogue)
    }

    /// Classifies assets, matching each distinct name against the patterns once.
    public static func classify(_ assets: [Asset], _ catalogue: ClassificationCatalogue) -> [AssetClassification] {
        var classifier = catalogue.makeClassifier()
        // Read through the buffer: `map` copied each asset, retaining its strings.
        return assets.withUnsafeBufferPointer { buffer in buffer.indices.map { classifier.classify(buffer[$0]) } }
    }

    /// A threshold by key; a key the rule did not declare is a programming error.
    public func threshold(_ key: String) -> Int {
        guard let value = thresholds[key] else { preconditionFailure("rule threshold \(key) is not declared") }
        return value
    }
}

/// Policy settings that are not per rule (SPEC §8). The policy file fills them; the defaults are SPEC's.
public struct PolicySettings: Sendable, Hashable, Codable {
    /// Days without activity after which an account is stale.
    public var staleDays: Int
    /// The lowest label tier that counts as sensitive (2 = Confidential).
    public var sensitivityThresholdTier: Int
    public var dateLocale: DateLocale
    /// The policy's label taxonomy and mappings (nil: the shipped defaults), for classification rules.
    public var labels: LabelPolicy?
    /// The policy's extra asset-name patterns per information type, for classification rules.
    public var patterns: [String: [String]]

    public init(
        staleDays: Int = 90, sensitivityThresholdTier: Int = 2, dateLocale: DateLocale = .us,
        labels: LabelPolicy? = nil, patterns: [String: [String]] = [:]
    ) {
        self.staleDays = staleDays
        self.sensitivityThresholdTier = sensitivityThresholdTier
        self.dateLocale = dateLocale
        self.labels = labels
        self.patterns = patterns
    }

    /// The shipped classification policy with this policy's label taxonomy, mappings and extra name patterns
    /// (SPEC §3.5, §8).
    public var classificationPolicy: ClassificationPolicy {
        var policy = ClassificationPolicy.default
        if let labels {
            if !labels.order.isEmpty {
                policy.labels = labels.order.enumerated().map { i, name in
                    let existing = policy.labels.first { SensitivityLabel.key($0.name) == SensitivityLabel.key(name) }
                    return SensitivityLabel(
                        name: name, order: (i + 1) * 100,
                        tier: labels.tiers[name] ?? existing?.tier ?? ClassificationPolicy.defaultTier(of: name),
                        ids: existing?.ids ?? [])
                }
            } else {
                for (name, tier) in labels.tiers {
                    if let i = policy.labels.firstIndex(where: {
                        SensitivityLabel.key($0.name) == SensitivityLabel.key(name)
                    }) {
                        policy.labels[i].tier = tier
                    } else {
                        let order = (policy.labels.map(\.order).max() ?? 0) + 100
                        policy.labels.append(SensitivityLabel(name: name, order: order, tier: tier))
                    }
                }
            }
            for (alias, label) in labels.mappings { policy.labelAliases[alias] = label }
        }
        for (type, extra) in patterns.sorted(by: { $0.key < $1.key }) {
            policy.addNamePatterns(extra, to: type)
        }
        return policy
    }
}
