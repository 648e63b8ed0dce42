import AccessRiskModel

/// A finding's score (SPEC §5): likelihood and impact on 1…5, the Table I-2 level, the severity, and every
/// adjustment in words so anyone can recompute it.
public struct RiskScore: Sendable, Hashable, Codable {
    public var likelihood: Int
    public var impact: Int
    public var level: RiskLevel
    public var severity: Severity
    /// E.g. `L3 base; +1 guest or external; +2 never used → L5 | I3 base; +1 subscription scope → I4`.
    public var factors: String
    public var schemeVersion: String

    public init(
        likelihood: Int, impact: Int, level: RiskLevel, severity: Severity, factors: String,
        schemeVersion: String = RiskMatrix.schemeVersion
    ) {
        self.likelihood = likelihood
        self.impact = impact
        self.level = level
        self.severity = severity
        self.factors = factors
        self.schemeVersion = schemeVersion
    }
}

/// Scoring of SPEC §5 under the scheme `nist80030-5x5@1`.
///
/// Likelihood starts at the rule's base: +1 guest or external; +1 last activity beyond the stale threshold, +2
/// beyond twice it or never used; +1 no MFA registered (only when known). Impact starts at the rule's base: +2 root
/// or management-group scope, +1 subscription scope, -1 single resource; +1 privileged or can-grant role; +2 Highly
/// Confidential data reached, +1 Confidential. Each axis is clamped to 1…5 after the sum; the level comes from NIST
/// SP 800-30 Table I-2 and maps to a severity.
public enum Scoring {
    public static let schemeVersion = RiskMatrix.schemeVersion

    /// One adjustment: its signed amount and what it is for.
    public struct Adjustment: Sendable, Hashable {
        public var amount: Int
        public var reason: String
    }

    public static func likelihoodAdjustments(_ facts: ScoringFacts) -> [Adjustment] {
        var out: [Adjustment] = []
        if facts.guestOrExternal { out.append(.init(amount: 1, reason: "guest or external")) }
        switch facts.inactivity {
        case .active: break
        case .beyondThreshold: out.append(.init(amount: 1, reason: "inactive beyond stale threshold"))
        case .beyondTwiceThreshold: out.append(.init(amount: 2, reason: "inactive beyond twice the stale threshold"))
        case .neverUsed: out.append(.init(amount: 2, reason: "never used"))
        }
        if facts.mfaRegistered == false { out.append(.init(amount: 1, reason: "no MFA registered")) }
        return out
    }

    public static func impactAdjustments(_ facts: ScoringFacts) -> [Adjustment] {
        var out: [Adjustment] = []
        switch facts.scopeLevel {
        case .root: out.append(.init(amount: 2, reason: "root scope"))
        case .managementGroup: out.append(.init(amount: 2, reason: "management-group scope"))
        case .subscription: out.append(.init(amount: 1, reason: "subscription scope"))
        case .resource: out.append(.init(amount: -1, reason: "single resource scope"))
        case .resourceGroup, .directory, .other, nil: break
        }
        if facts.privilegedRole { out.append(.init(amount: 1, reason: "privileged or can-grant role")) }
        if let tier = facts.dataTier {
            if tier >= 3 {
                out.append(.init(amount: 2, reason: "Highly Confidential data"))
            } else if tier == 2 {
                out.append(.init(amount: 1, reason: "Confidential data"))
            }
        }
        return out
    }

    /// Scores a finding from its rule's base values and its facts.
    public static func score(_ finding: Finding) -> RiskScore {
        score(baseLikelihood: finding.baseLikelihood, baseImpact: finding.baseImpact, facts: finding.facts)
    }

    public static func score(baseLikelihood: Int, baseImpact: Int, facts: ScoringFacts) -> RiskScore {
        let (likelihood, likelihoodText) = axis("L", base: baseLikelihood, likelihoodAdjustments(facts))
        let (impact, impactText) = axis("I", base: baseImpact, impactAdjustments(facts))
        let level = RiskMatrix.level(likelihood: .clamped(likelihood), impact: .clamped(impact))
        return RiskScore(
            likelihood: likelihood, impact: impact, level: level, severity: level.severity,
            factors: likelihoodText + " | " + impactText)
    }

    private static func axis(_ letter: String, base: Int, _ adjustments: [Adjustment]) -> (Int, String) {
        var parts = ["\(letter)\(base) base"]
        var sum = base
        for a in adjustments {
            parts.append((a.amount >= 0 ? "+" : "-") + "\(abs(a.amount)) " + a.reason)
            sum += a.amount
        }
        let clamped = min(5, max(1, sum))
        var text = parts.joined(separator: "; ") + " → \(letter)\(clamped)"
        if clamped != sum { text += " (capped from \(sum))" }
        return (clamped, text)
    }
}
