import AccessRiskModel

/// A threshold a rule reads from the policy, with its default (SPEC §4 "default" column, §8).
public struct RuleThreshold: Sendable, Hashable, Codable {
    /// The policy key, snake_case (e.g. `max_owners`, `stale_days`).
    public var key: String
    public var defaultValue: Int
    public var summary: String

    public init(_ key: String, default defaultValue: Int, _ summary: String) {
        self.key = key
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

/// Everything a rule says about itself (after SwiftLint's `RuleDescription`): `accessrisk rules` and
/// `rules explain` print it, the register scores from it, and its examples are its tests.
public struct RuleDescription: Sendable {
    /// Stable id from SPEC §4, kebab-case.
    public var id: String
    public var category: RuleCategory
    public var title: String
    /// What one finding is about: `assignment`, `subscription`, `role`, `tenant`, `asset`, `principal × resource`, …
    public var subject: String
    /// The inputs without which the rule is not evaluated.
    public var requiredInputs: [InputKind]
    /// 1…5 before the adjustments of SPEC §5.
    public var baseLikelihood: Int
    public var baseImpact: Int
    public var rationale: String
    /// The condition in one or two sentences, as a reviewer would check it.
    public var condition: String
    public var remediation: String
    /// Control references: `CIS-Azure 1.23`, `NIST 800-53 AC-6`, `ISO 27001 A.5.18`, `SOC2 CC6.3`, `PCI 7.2.4` …
    public var controls: [String]
    /// Where the rule is anchored (Defender for Cloud recommendation, PIM alert, Prowler check, …).
    public var anchors: [String]
    public var thresholds: [RuleThreshold]
    /// Examples that must produce exactly the expected findings.
    public var triggering: [RuleExample]
    /// Examples that must produce no finding.
    public var nonTriggering: [RuleExample]

    public init(
        id: String, category: RuleCategory, title: String, subject: String, requiredInputs: [InputKind],
        baseLikelihood: Int, baseImpact: Int, rationale: String, condition: String, remediation: String,
        controls: [String], anchors: [String] = [], thresholds: [RuleThreshold] = [], triggering: [RuleExample],
        nonTriggering: [RuleExample]
    ) {
        self.id = id
        self.category = category
        self.title = title
        self.subject = subject
        self.requiredInputs = requiredInputs
        self.baseLikelihood = baseLikelihood
        self.baseImpact = baseImpact
        self.rationale = rationale
        self.condition = condition
        self.remediation = remediation
        self.controls = controls
        self.anchors = anchors
        self.thresholds = thresholds
        self.triggering = triggering
        self.nonTriggering = nonTriggering
    }

    /// The severity of a finding with no adjustments: Table I-2 of the base likelihood and impact.
    public var defaultSeverity: Severity {
        RiskMatrix.level(likelihood: .clamped(baseLikelihood), impact: .clamped(baseImpact)).severity
    }
}

/// An example tenant for a rule, with the subject keys it must produce (none for a non-triggering example).
/// It records where it was written so a failure points at it.
public struct RuleExample: Sendable {
    public var name: String
    public var model: AccessModel
    public var asOf: Timestamp
    /// Threshold overrides for this example, by policy key.
    public var thresholds: [String: Int]
    /// The subject keys of the findings the rule must produce, in any order.
    public var expectedSubjects: [String]
    public var file: String
    public var line: Int

    public init(
        _ name: String, asOf: Timestamp = RuleExample.defaultAsOf, thresholds: [String: Int] = [:],
        expect expectedSubjects: [String] = [], file: String = #filePath, line: Int = #line,
        model: (inout AccessModel) -> Void
    ) {
        self.name = name
        var m = AccessModel()
        model(&m)
        self.model = m
        self.asOf = asOf
        self.thresholds = thresholds
        self.expectedSubjects = expectedSubjects
        self.file = file
        self.line = line
    }

    /// 2026-10-01, the as-of date examples use unless they say otherwise.
    public static let defaultAsOf = Timestamp(year: 2026, month: 10, day: 1)!
}

/// A detection rule: a value that describes itself and evaluates the model. Time comes only from the context.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    func evaluate(_ context: RuleContext) -> [Finding]
    /// Why the rule cannot be evaluated on this model although its required input kinds are present (e.g. no
    /// Entra directory-role assignment among the assignments); nil when it can. Defaults to nil.
    static func notEvaluatedReason(_ model: AccessModel) -> String?
}

extension Rule {
    public var description: RuleDescription { Self.description }
    public static func notEvaluatedReason(_ model: AccessModel) -> String? { nil }
}
