import AccessRiskModel

/// A reviewer's decision on access, in the vocabulary of Entra access reviews (SPEC §6).
public enum DecisionKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// Keep the access.
    case approve
    /// Remove the access.
    case revoke
    /// Keep it in a reduced form (narrower role or scope).
    case modify
    /// The reviewer could not tell.
    case dontKnow = "dont_know"

    /// Reads the words reviewers write: `approve`/`approved`/`retain`/`keep`, `revoke`/`deny`/`denied`/`remove`,
    /// `modify`/`downgrade`, `dont_know`/`don't know`/`not sure`. nil for anything else.
    public static func parse(_ text: String) -> DecisionKind? {
        let key = text.lowercased().filter { $0.isLetter }
        switch key {
        case "approve", "approved", "retain", "keep", "ok": return .approve
        case "revoke", "revoked", "deny", "denied", "remove": return .revoke
        case "modify", "modified", "downgrade": return .modify
        case "dontknow", "donotknow", "notsure", "unsure": return .dontKnow
        default: return nil
        }
    }

    /// Words that mean "no decision yet" (the cell is skipped, not rejected).
    public static func isNotReviewed(_ text: String) -> Bool {
        let key = text.lowercased().filter { $0.isLetter }
        return key.isEmpty || key == "notreviewed" || key == "pending" || key == "na"
    }
}

/// The risk treatment (ISO/IEC 27005 options, SPEC §6).
public enum Treatment: String, Sendable, Codable, CaseIterable, Hashable {
    case mitigate
    case accept
    case transfer
    case avoid

    public static func parse(_ text: String) -> Treatment? {
        switch text.lowercased().filter({ $0.isLetter }) {
        case "mitigate", "mitigated", "modify", "reduce": return .mitigate
        case "accept", "accepted", "retain": return .accept
        case "transfer", "share", "shared": return .transfer
        case "avoid", "avoided": return .avoid
        default: return nil
        }
    }
}

/// One entry of the append-only decision log (SPEC §6).
public struct Decision: Sendable, Hashable, Codable {
    public var riskId: String
    public var decidedOn: Timestamp
    public var decidedBy: String
    public var decision: DecisionKind?
    public var treatment: Treatment?
    public var justification: String
    public var acceptedUntil: Timestamp?
    public var ticket: String
    /// The cycle whose register the decision was made against, when known. A `revoke` made against an earlier
    /// cycle that is still present raises `revocation-not-applied`.
    public var cycle: String?
    /// The severity of the risk when the decision was made, when known; if the severity rises above it the
    /// decision lapses and the risk needs review again.
    public var severityAtDecision: Severity?
    /// Position in the log (set by the workspace); breaks ties between decisions of the same day.
    public var sequence: Int?

    public init(
        riskId: String, decidedOn: Timestamp, decidedBy: String, decision: DecisionKind? = nil,
        treatment: Treatment? = nil, justification: String = "", acceptedUntil: Timestamp? = nil, ticket: String = "",
        cycle: String? = nil, severityAtDecision: Severity? = nil, sequence: Int? = nil
    ) {
        self.riskId = riskId
        self.decidedOn = decidedOn
        self.decidedBy = decidedBy
        self.decision = decision
        self.treatment = treatment
        self.justification = justification
        self.acceptedUntil = acceptedUntil
        self.ticket = ticket
        self.cycle = cycle
        self.severityAtDecision = severityAtDecision
        self.sequence = sequence
    }

    /// Whether two log entries say the same thing (the bookkeeping fields `cycle`, `severityAtDecision` and
    /// `sequence` aside). Used to skip re-imports of a decision already in the log.
    public func sameContent(as other: Decision) -> Bool {
        riskId == other.riskId && decidedOn.dayNumber == other.decidedOn.dayNumber && decidedBy == other.decidedBy
            && decision == other.decision && treatment == other.treatment && justification == other.justification
            && acceptedUntil?.dayNumber == other.acceptedUntil?.dayNumber && ticket == other.ticket
    }

    /// Whether `self` is later in the log than `other`: a later decision day, then a later sequence.
    public func isLater(than other: Decision) -> Bool {
        if decidedOn.dayNumber != other.decidedOn.dayNumber { return decidedOn.dayNumber > other.decidedOn.dayNumber }
        return (sequence ?? Int.max) > (other.sequence ?? Int.max)
    }

    /// The problems that make this decision unacceptable (SPEC §6); empty when it is valid. `privileged` says
    /// whether the risk involves a privileged or can-grant role.
    public func problems(privileged: Bool) -> [String] {
        var out: [String] = []
        if !RiskIdentity.isRiskId(riskId) { out.append("\"\(riskId)\" is not a risk id (AR- and 12 hex digits)") }
        if decision == nil && treatment == nil { out.append("no decision and no treatment") }
        if decidedBy.trimmingSpaces.isEmpty { out.append("no reviewer (decided_by) given") }
        if treatment == .accept && acceptedUntil == nil {
            out.append("an accepted risk needs an expiry date (accepted_until)")
        }
        if let until = acceptedUntil, until.dayNumber < decidedOn.dayNumber {
            out.append("accepted_until \(until.isoDate) is before the decision date \(decidedOn.isoDate)")
        }
        if decision == .approve && privileged && justification.trimmingSpaces.isEmpty {
            out.append("approving privileged access needs a justification")
        }
        return out
    }
}

/// The latest decision per risk id, from the log in any order.
public func latestDecisions(_ decisions: [Decision]) -> [String: Decision] {
    var latest: [String: Decision] = [:]
    for d in decisions {
        // Equal positions: the later entry of the array wins (log order).
        if let current = latest[d.riskId], current.isLater(than: d) { continue }
        latest[d.riskId] = d
    }
    return latest
}
