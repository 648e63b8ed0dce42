import AccessRiskModel

/// A risk's state against the previous cycle (SPEC §6).
public enum RiskState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Never seen before.
    case new
    /// Seen in the previous cycle, same severity and evidence.
    case persisting
    /// Seen in the previous cycle with a different severity or evidence.
    case changed
    /// Resolved earlier, present again.
    case reopened
    /// Absent now. The row stays in every later register so the auditor sees it and its reference is never reused.
    case resolved
}

/// How a risk stands after the decisions on it (this column is ours; SPEC §7 leaves the values open).
///
/// - `open`: no decision in force: none yet, `dont_know`, or an acceptance that has expired (a separate
///   `acceptance-expired` finding says so).
/// - `needs-review`: the latest decision lapsed because the severity rose since it was made.
/// - `accepted`: treatment `accept`, until `accepted_until`.
/// - `approved`: decision `approve` (access kept) without an acceptance.
/// - `revoked-pending`: decision `revoke`; the access is still present (from the next cycle on, a
///   `revocation-not-applied` finding says so).
/// - `remediating`: decision `modify`, or treatment `mitigate`, `transfer` or `avoid`.
/// - `resolved`: the finding is gone.
public enum RiskStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case open
    case needsReview = "needs-review"
    case accepted
    case approved
    case revokedPending = "revoked-pending"
    case remediating
    case resolved

    /// Whether the risk still needs action by the review (what `--fail-on` and "open findings" count).
    public var isOpen: Bool { self == .open || self == .needsReview }
}

/// One row of `risk-register.csv`, in the columns and order of SPEC §7.
public struct RegisterRow: Sendable, Hashable, Codable {
    public var riskId: String
    public var ref: String
    public var cycle: String
    public var state: RiskState
    public var ruleId: String
    /// A ``RuleCategory`` raw value.
    public var category: String
    public var title: String
    public var severity: Severity
    public var level: RiskLevel
    public var likelihood: Int
    public var impact: Int
    public var scoreFactors: String
    public var principalId: String
    public var principalName: String
    public var principalType: String
    public var role: String
    public var scope: String
    public var scopeLevel: String
    public var resource: String
    public var asset: String
    public var label: String
    public var evidence: String
    public var controls: [String]
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    public var dueDate: Timestamp?
    /// nil when no SLA applies: info severity, resolved, accepted or approved risks.
    public var slaStatus: SLAStatus?
    public var decision: DecisionKind?
    public var treatment: Treatment?
    public var justification: String
    public var acceptedUntil: Timestamp?
    public var decidedBy: String
    public var decidedOn: Timestamp?
    public var ticket: String
    public var status: RiskStatus
    public var schemeVersion: String

    /// The `risk-register.csv` header (SPEC §7).
    public static let columns = [
        "risk_id", "ref", "cycle", "state", "rule_id", "category", "title", "severity", "level", "likelihood",
        "impact", "score_factors", "principal_id", "principal_name", "principal_type", "role", "scope", "scope_level",
        "resource", "asset", "label", "evidence", "controls", "first_seen", "last_seen", "due_date", "sla_status",
        "decision", "treatment", "justification", "accepted_until", "decided_by", "decided_on", "ticket", "status",
        "scheme_version",
    ]

    /// Controls are written joined by this separator.
    public static let controlSeparator = "; "

    public init(
        riskId: String, ref: String, cycle: String, state: RiskState, ruleId: String, category: String,
        title: String, severity: Severity, level: RiskLevel, likelihood: Int, impact: Int, scoreFactors: String,
        principalId: String = "", principalName: String = "", principalType: String = "", role: String = "",
        scope: String = "", scopeLevel: String = "", resource: String = "", asset: String = "", label: String = "",
        evidence: String = "", controls: [String] = [], firstSeen: Timestamp, lastSeen: Timestamp,
        dueDate: Timestamp? = nil, slaStatus: SLAStatus? = nil, decision: DecisionKind? = nil,
        treatment: Treatment? = nil, justification: String = "", acceptedUntil: Timestamp? = nil,
        decidedBy: String = "", decidedOn: Timestamp? = nil, ticket: String = "", status: RiskStatus = .open,
        schemeVersion: String = RiskMatrix.schemeVersion
    ) {
        self.riskId = riskId
        self.ref = ref
        self.cycle = cycle
        self.state = state
        self.ruleId = ruleId
        self.category = category
        self.title = title
        self.severity = severity
        self.level = level
        self.likelihood = likelihood
        self.impact = impact
        self.scoreFactors = scoreFactors
        self.principalId = principalId
        self.principalName = principalName
        self.principalType = principalType
        self.role = role
        self.scope = scope
        self.scopeLevel = scopeLevel
        self.resource = resource
        self.asset = asset
        self.label = label
        self.evidence = evidence
        self.controls = controls
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.dueDate = dueDate
        self.slaStatus = slaStatus
        self.decision = decision
        self.treatment = treatment
        self.justification = justification
        self.acceptedUntil = acceptedUntil
        self.decidedBy = decidedBy
        self.decidedOn = decidedOn
        self.ticket = ticket
        self.status = status
        self.schemeVersion = schemeVersion
    }

    /// The cells in the order of ``columns``.
    public var cells: [String] {
        [
            riskId, ref, cycle, state.rawValue, ruleId, category, title, severity.rawValue, level.name,
            String(likelihood), String(impact), scoreFactors, principalId, principalName, principalType, role, scope,
            scopeLevel, resource, asset, label, evidence, controls.joined(separator: Self.controlSeparator),
            firstSeen.isoDate, lastSeen.isoDate, dueDate?.isoDate ?? "", slaStatus?.rawValue ?? "",
            decision?.rawValue ?? "", treatment?.rawValue ?? "", justification, acceptedUntil?.isoDate ?? "",
            decidedBy, decidedOn?.isoDate ?? "", ticket, status.rawValue, schemeVersion,
        ]
    }

    /// The decision shown on the row, as a log entry (nil when the row shows none). Without a decision date, the
    /// row's `last_seen` stands in.
    public var shownDecision: Decision? {
        guard decision != nil || treatment != nil else { return nil }
        let on = decidedOn ?? lastSeen
        return Decision(
            riskId: riskId, decidedOn: on, decidedBy: decidedBy, decision: decision, treatment: treatment,
            justification: justification, acceptedUntil: acceptedUntil, ticket: ticket, cycle: cycle,
            severityAtDecision: severity)
    }

    /// Shows `d` in the decision columns (or clears them for nil).
    public mutating func show(_ d: Decision?) {
        decision = d?.decision
        treatment = d?.treatment
        justification = d?.justification ?? ""
        acceptedUntil = d?.acceptedUntil
        decidedBy = d?.decidedBy ?? ""
        decidedOn = d?.decidedOn
        ticket = d?.ticket ?? ""
    }
}

extension RiskLevel {
    /// Reads `Very Low` … `Very High` (any case, spaces or `_` optional) or `1` … `5`.
    public static func parse(_ text: String) -> RiskLevel? {
        let key = text.lowercased().filter { $0.isLetter || $0.isNumber }
        if let n = Int(key), let level = RiskLevel(rawValue: n) { return level }
        return RiskLevel.allCases.first { $0.name.lowercased().filter { $0.isLetter } == key }
    }
}
