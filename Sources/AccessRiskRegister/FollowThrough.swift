import AccessRiskModel

/// The review follow-through rules of SPEC §4, which need the decision log: `revocation-not-applied`,
/// `acceptance-expired` and `self-review`.
public enum FollowThrough {
    static let revocationControls = [
        "NIST 800-53 AC-2", "NIST 800-53 AC-6(7)", "ISO 27001 A.5.18", "SOC2 CC6.2", "PCI 7.2.4",
    ]
    static let acceptanceControls = ["NIST 800-53 RA-3", "ISO 27001 6.1.3", "ISO 27001 8.2"]
    static let selfReviewControls = ["NIST 800-53 AC-5", "ISO 27001 A.5.3", "SOC2 CC6.3"]

    /// The follow-through findings about one present finding whose latest decision is `d`.
    ///
    /// - `revocation-not-applied`: `d` says revoke, was made against an earlier cycle (its `cycle` differs from
    ///   this one, or without a cycle, it was made before the as-of day), and the finding — so the assignment — is
    ///   still present. Subject: the assignment (member principal, role, scope).
    /// - `acceptance-expired`: `d` accepted (or approved) the risk until a day before the as-of day. Subject: the
    ///   finding.
    /// - `self-review`: `d` was made by the principal under review (by UPN or object id, case-insensitively).
    ///   Subject: the decision.
    public static func findings(
        for f: Finding, riskId: String, decision d: Decision, cycle: String, asOf: Timestamp
    ) -> [Finding] {
        var out: [Finding] = []
        let what = describe(f)
        let decided = "decided \(decisionWords(d)) by \(d.decidedBy) on \(d.decidedOn.isoDate)"
        let ticket = d.ticket.isEmpty ? "" : " (ticket \(d.ticket))"

        let earlier = d.cycle.map { $0 != cycle } ?? (d.decidedOn.dayNumber < asOf.dayNumber)
        if d.decision == .revoke, earlier {
            let subject: String
            if let principal = f.principalId, let scope = f.scope {
                subject = principal + "|" + (f.roleId ?? f.role?.lowercased() ?? "") + "|" + Scope(scope).key
            } else {
                subject = riskId
            }
            out.append(
                Finding(
                    ruleId: FollowThroughRule.revocationNotApplied, category: .followThrough,
                    title: FollowThroughRule.title(FollowThroughRule.revocationNotApplied), subjectKey: subject,
                    principalId: f.principalId,
                    principalName: f.principalName, principalUPN: f.principalUPN, principalType: f.principalType,
                    role: f.role, roleId: f.roleId, scope: f.scope, scopeLevel: f.scopeLevel, resource: f.resource,
                    asset: f.asset, label: f.label,
                    // No as-of date or cycle in the evidence: it must read the same each cycle the problem persists.
                    evidence: "\(riskId) (\(f.ruleId)) was \(decided)\(ticket) in an earlier review cycle;"
                        + " \(what) is still present.",
                    viaGroups: f.viaGroups, grantKeys: f.grantKeys, facts: f.facts,
                    baseLikelihood: 4, baseImpact: f.baseImpact, controls: revocationControls))
        }

        if d.decision != .revoke, let until = d.acceptedUntil, until.dayNumber < asOf.dayNumber {
            out.append(
                Finding(
                    ruleId: FollowThroughRule.acceptanceExpired, category: .followThrough,
                    title: FollowThroughRule.title(FollowThroughRule.acceptanceExpired), subjectKey: riskId,
                    principalId: f.principalId,
                    principalName: f.principalName, principalUPN: f.principalUPN, principalType: f.principalType,
                    role: f.role, roleId: f.roleId, scope: f.scope, scopeLevel: f.scopeLevel, resource: f.resource,
                    asset: f.asset, label: f.label,
                    evidence:
                        "\(riskId) (\(f.ruleId)) was \(d.treatment == .accept ? "accepted" : decisionWords(d)) by \(d.decidedBy) on \(d.decidedOn.isoDate)"
                        + " until \(until.isoDate)\(ticket); the acceptance has expired and the risk is open again.",
                    viaGroups: f.viaGroups, grantKeys: f.grantKeys, facts: f.facts,
                    baseLikelihood: f.baseLikelihood, baseImpact: f.baseImpact, controls: acceptanceControls))
        }

        let reviewer = d.decidedBy.trimmingSpaces.lowercased()
        let identities = [f.principalUPN, f.principalId].compactMap { $0?.trimmingSpaces.lowercased() }.filter {
            !$0.isEmpty
        }
        if !reviewer.isEmpty, identities.contains(reviewer) {
            out.append(
                Finding(
                    ruleId: FollowThroughRule.selfReview, category: .followThrough,
                    title: FollowThroughRule.title(FollowThroughRule.selfReview),
                    subjectKey: riskId + "|" + reviewer + "|" + d.decidedOn.isoDate, principalId: f.principalId,
                    principalName: f.principalName, principalUPN: f.principalUPN, principalType: f.principalType,
                    role: f.role, roleId: f.roleId, scope: f.scope, scopeLevel: f.scopeLevel, resource: f.resource,
                    asset: f.asset, label: f.label,
                    evidence: "\(riskId) (\(f.ruleId)) was \(decided)\(ticket), who is the principal under review"
                        + " (\(what)).",
                    viaGroups: f.viaGroups, grantKeys: f.grantKeys,
                    facts: ScoringFacts(privilegedRole: f.facts.privilegedRole), baseLikelihood: 3, baseImpact: 3,
                    controls: selfReviewControls))
        }
        return out
    }

    static func decisionWords(_ d: Decision) -> String {
        switch (d.decision, d.treatment) {
        case (.some(let k), .some(let t)): return "\(k.rawValue) (\(t.rawValue))"
        case (.some(let k), nil): return k.rawValue
        case (nil, .some(let t)): return t.rawValue
        case (nil, nil): return "nothing"
        }
    }

    static func describe(_ f: Finding) -> String {
        guard let role = f.role else { return "the finding" }
        var parts = ["role \(role)"]
        if let p = f.principalUPN ?? f.principalName ?? f.principalId { parts.append("held by \(p)") }
        if let scope = f.scope { parts.append("at \(scope)") }
        if !f.viaGroups.isEmpty { parts.append("through group \(f.viaGroups.joined(separator: " → "))") }
        return "the assignment of " + parts.joined(separator: " ")
    }
}
