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

    public init(
        model: AccessModel, analysis: AccessAnalysis, asOf: Timestamp, thresholds: [String: Int],
        settings: PolicySettings
    ) {
        self.model = model
        self.analysis = analysis
        self.asOf = asOf
        self.thresholds = thresholds
        self.settings = settings
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
}
