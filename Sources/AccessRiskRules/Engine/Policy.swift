import AccessRiskModel

/// The policy file (SPEC §8): per-rule `enabled` and thresholds, `stale_days`, `sensitivity_threshold`, label
/// taxonomy and mappings, extra name patterns, exclusions, SLA profile and `date_locale`.
///
/// Load one with ``Policy/load(path:)`` or ``Policy/parse(_:source:)``; `Policy()` is the built-in default.
/// ``Policy/defaultPolicyJSON(rules:)`` prints the defaults in the file's own shape (`accessrisk rules --json`).
public struct Policy: Sendable, Equatable {
    /// Days without activity after which an account is stale; also the default of every rule threshold named
    /// `stale_days` and of the scoring adjustments (SPEC §5).
    public var staleDays: Int
    /// The lowest label that counts as sensitive (SPEC §3.5), as written (`Confidential` by default).
    public var sensitivityThreshold: String
    /// The tier of ``sensitivityThreshold`` (Public 0, General 1, Confidential 2, Highly Confidential 3).
    public var sensitivityThresholdTier: Int
    /// How ambiguous `d/d/yyyy` dates are read.
    public var dateLocale: DateLocale
    /// Due days by severity (SPEC §6).
    public var sla: SLAProfile
    /// Per-rule settings the file gave, by rule id (rules it does not name keep their defaults).
    public var rules: [String: RulePolicy]
    /// Label taxonomy and mappings, passed through to classification; nil when the file has none.
    public var labels: LabelPolicy?
    /// Extra asset-name patterns per information type, passed through to classification.
    public var patterns: [String: [String]]
    /// Accounts whose findings are set aside (break-glass), each with a reason; listed in the report.
    public var exclusions: [Exclusion]

    public init(
        staleDays: Int = 90, sensitivityThreshold: String = "Confidential", sensitivityThresholdTier: Int = 2,
        dateLocale: DateLocale = .us, sla: SLAProfile = .init(), rules: [String: RulePolicy] = [:],
        labels: LabelPolicy? = nil, patterns: [String: [String]] = [:], exclusions: [Exclusion] = []
    ) {
        self.staleDays = staleDays
        self.sensitivityThreshold = sensitivityThreshold
        self.sensitivityThresholdTier = sensitivityThresholdTier
        self.dateLocale = dateLocale
        self.sla = sla
        self.rules = rules
        self.labels = labels
        self.patterns = patterns
        self.exclusions = exclusions
    }

    /// The settings rules see in their context.
    public var settings: PolicySettings {
        PolicySettings(
            staleDays: staleDays, sensitivityThresholdTier: sensitivityThresholdTier, dateLocale: dateLocale,
            labels: labels, patterns: patterns)
    }

    /// Whether a rule runs (every rule does unless the policy says `enabled: false`).
    public func isEnabled(_ ruleId: String) -> Bool { rules[ruleId]?.enabled ?? true }

    /// A rule's thresholds: its defaults, `stale_days` from the policy's global setting, then the rule's own.
    public func thresholds(for rule: RuleDescription) -> [String: Int] {
        var out: [String: Int] = [:]
        for t in rule.thresholds { out[t.key] = t.key == Self.globalStaleKey ? staleDays : t.defaultValue }
        for (k, v) in rules[rule.id]?.thresholds ?? [:] { out[k] = v }
        return out
    }

    /// The threshold key that follows the global `stale_days` unless a rule overrides it.
    public static let globalStaleKey = "stale_days"

    /// The default label tiers (SPEC §4 "Labels compare by tier"), by lower-cased label.
    public static let defaultLabelTiers: [String: Int] = [
        "public": 0, "general": 1, "confidential": 2, "confidential - gdpr": 2, "highly confidential": 3,
        "highly confidential - gdpr": 3,
    ]
}

/// One rule's block in the policy file.
public struct RulePolicy: Sendable, Equatable {
    /// nil when the file does not say (enabled).
    public var enabled: Bool?
    /// Threshold overrides by key.
    public var thresholds: [String: Int]

    public init(enabled: Bool? = nil, thresholds: [String: Int] = [:]) {
        self.enabled = enabled
        self.thresholds = thresholds
    }
}

/// An account whose findings are set aside, by object id or UPN, always with a reason (SPEC §8).
public struct Exclusion: Sendable, Equatable, Hashable, Codable {
    /// Lower-cased object id.
    public var objectId: String?
    /// Lower-cased UPN.
    public var upn: String?
    public var reason: String
    /// The rules it applies to; nil for every rule.
    public var rules: [String]?

    public init(objectId: String? = nil, upn: String? = nil, reason: String, rules: [String]? = nil) {
        self.objectId = objectId.map(Principal.key)
        self.upn = upn?.lowercased()
        self.reason = reason
        self.rules = rules
    }

    enum CodingKeys: String, CodingKey {
        case objectId = "object_id"
        case upn, reason, rules
    }

    /// Whether the exclusion covers a finding (its principal by id or UPN, and its rule).
    public func covers(_ finding: Finding, principalUPN: String?) -> Bool {
        if let rules, !rules.contains(finding.ruleId) { return false }
        if let objectId, let id = finding.principalId, Principal.key(id) == objectId { return true }
        if let upn {
            for candidate in [finding.principalUPN, principalUPN] where candidate?.lowercased() == upn { return true }
        }
        return false
    }

    /// How the exclusion names its account.
    public var account: String { [objectId, upn].compactMap { $0 }.joined(separator: " / ") }
}

/// Label taxonomy and mappings from the policy (SPEC §3.5, §8), passed through as data to classification.
public struct LabelPolicy: Sendable, Equatable, Hashable, Codable {
    /// Label names, lowest first; empty when the file does not give an order.
    public var order: [String]
    /// Tier per label (Public 0 … Highly Confidential 3), by label name as written.
    public var tiers: [String: Int]
    /// Exported label → taxonomy label (e.g. `Confidential \ All Employees` → `Confidential`).
    public var mappings: [String: String]

    public init(order: [String] = [], tiers: [String: Int] = [:], mappings: [String: String] = [:]) {
        self.order = order
        self.tiers = tiers
        self.mappings = mappings
    }
}

/// A policy file that cannot be used, naming the key path (`rules.stale-account-access.stale_days`).
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key path, `` for the document itself.
    public var path: String
    public var message: String
    /// The file, when loaded from one.
    public var file: String?

    public init(path: String, _ message: String, file: String? = nil) {
        self.path = path
        self.message = message
        self.file = file
    }

    public var description: String {
        let location = [file, path.isEmpty ? nil : path].compactMap { $0 }.joined(separator: ": ")
        return location.isEmpty ? message : location + ": " + message
    }
}
