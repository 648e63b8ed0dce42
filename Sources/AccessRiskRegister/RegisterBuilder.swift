import AccessRiskModel

/// Facts about a risk that the register CSV does not show but the workspace keeps: what `remediate`, the
/// follow-through rules and decision validation need.
public struct RiskDetails: Sendable, Hashable, Codable {
    public var principalUPN: String?
    public var roleId: String?
    public var grantKeys: [String]
    public var viaGroups: [String]
    /// A privileged or can-grant role is involved (approving it needs a justification).
    public var privileged: Bool
    /// ARM ids of the role assignments behind the risk, when the review knew them.
    public var assignmentIds: [String]
    /// For a follow-through finding: the risk it follows up.
    public var followsRiskId: String?

    public init(
        principalUPN: String? = nil, roleId: String? = nil, grantKeys: [String] = [], viaGroups: [String] = [],
        privileged: Bool = false, assignmentIds: [String] = [], followsRiskId: String? = nil
    ) {
        self.principalUPN = principalUPN
        self.roleId = roleId
        self.grantKeys = grantKeys
        self.viaGroups = viaGroups
        self.privileged = privileged
        self.assignmentIds = assignmentIds
        self.followsRiskId = followsRiskId
    }
}

/// One risk of a cycle: its register row, the finding behind it (nil for a resolved risk) and its details.
public struct RegisterEntry: Sendable, Hashable {
    public var row: RegisterRow
    public var finding: Finding?
    public var details: RiskDetails
    /// Whether the risk was resolved in this cycle (false for one resolved in an earlier cycle and carried).
    public var resolvedThisCycle: Bool
    /// Why the latest decision no longer holds, when it lapsed this cycle.
    public var lapse: DecisionLapse?

    public init(
        row: RegisterRow, finding: Finding?, details: RiskDetails, resolvedThisCycle: Bool = false,
        lapse: DecisionLapse? = nil
    ) {
        self.row = row
        self.finding = finding
        self.details = details
        self.resolvedThisCycle = resolvedThisCycle
        self.lapse = lapse
    }
}

/// Why a carried decision stopped holding (SPEC §6).
public enum DecisionLapse: String, Sendable, Codable, Hashable {
    /// The decision's `accepted_until` has passed (an acceptance, or an approval given until a date).
    case expired
    /// The severity rose above the one the decision was made at.
    case severityRose = "severity_rose"
}

/// What the register knew at the end of the previous cycle.
public struct PreviousState: Sendable {
    public var cycle: String?
    public var asOf: Timestamp?
    /// The previous register, resolved rows included.
    public var rows: [RegisterRow]
    /// Details by risk id, when the workspace kept them.
    public var details: [String: RiskDetails]
    /// Every reference ever given (risk id → ref). Rows' refs are added to it.
    public var refs: [String: String]

    public init(
        cycle: String? = nil, asOf: Timestamp? = nil, rows: [RegisterRow], details: [String: RiskDetails] = [:],
        refs: [String: String] = [:]
    ) {
        self.cycle = cycle ?? rows.first?.cycle
        self.asOf = asOf ?? rows.map(\.lastSeen).max()
        self.rows = rows
        self.details = details
        var all = refs
        for row in rows where !row.ref.isEmpty && all[row.riskId] == nil { all[row.riskId] = row.ref }
        self.refs = all
    }

    /// The stateless path (`--no-workspace --previous FILE`): the previous cycle from its `risk-register.csv`.
    public static func load(registerCSV path: String) throws(RegisterInputError) -> PreviousState {
        PreviousState(rows: try RegisterCSV.read(path: path))
    }

    /// The decisions a previous register shows, for a run without a decision log (`--no-workspace`): the
    /// decision columns of every row, as the tool wrote them or as a reviewer filled them in.
    ///
    /// A decision dated after the row's `last_seen` was made on this register (a reviewer's edit) and holds at
    /// the row's severity. One the tool showed on a `needs-review` row had lapsed because the severity rose, so it
    /// is carried as made at a lower severity and stays lapsed. Any other holds at the row's severity.
    public var carriedDecisions: [Decision] {
        rows.compactMap { row in
            guard var d = row.shownDecision else { return nil }
            d.severityAtDecision = row.severity
            if row.status == .needsReview, d.decidedOn.dayNumber <= row.lastSeen.dayNumber,
                let i = Severity.allCases.firstIndex(of: row.severity), i > 0
            {
                d.severityAtDecision = Severity.allCases[i - 1]
            }
            return d
        }
    }
}

/// The register of one cycle.
public struct RegisterResult: Sendable {
    public var cycle: String
    public var asOf: Timestamp
    public var schemeVersion: String
    /// Sorted: risks present this cycle by severity (worst first), impact, likelihood, ref; then resolved ones by ref.
    public var entries: [RegisterEntry]
    /// The follow-through findings raised this cycle (also in `entries`).
    public var followThrough: [Finding]
    /// References given for the first time this cycle.
    public var newRefs: [String: String]
    /// Latest decisions that were not applied because they break SPEC §6 (accept without expiry, privileged
    /// approve without justification …), with why. Only possible when decisions did not come through
    /// ``Workspace/appendDecisions(_:source:)``, e.g. edited into a previous register.
    public var refusedDecisions: [RefusedDecision] = []

    public var rows: [RegisterRow] { entries.map(\.row) }

    /// Risks present this cycle by severity (resolved ones left out).
    public var countsBySeverity: [Severity: Int] {
        var out: [Severity: Int] = [:]
        for e in entries where e.row.state != .resolved { out[e.row.severity, default: 0] += 1 }
        return out
    }

    /// Risks by state; `resolved` counts only the risks resolved this cycle.
    public var countsByState: [RiskState: Int] {
        var out: [RiskState: Int] = [:]
        for e in entries where e.row.state != .resolved || e.resolvedThisCycle { out[e.row.state, default: 0] += 1 }
        return out
    }

    /// Risks present this cycle that still need action (status `open` or `needs-review`).
    public var openEntries: [RegisterEntry] { entries.filter { $0.row.state != .resolved && $0.row.status.isOpen } }
}

/// A decision the builder did not apply, and why.
public struct RefusedDecision: Sendable, Hashable {
    public var decision: Decision
    public var problems: [String]
}

/// The rule ids of SPEC §4 "Review follow-through", raised by the register itself.
public enum FollowThroughRule {
    public static let revocationNotApplied = "revocation-not-applied"
    public static let acceptanceExpired = "acceptance-expired"
    public static let selfReview = "self-review"
    public static let all = [revocationNotApplied, acceptanceExpired, selfReview]

    /// The title of a follow-through rule, as the report lists it.
    public static func title(_ id: String) -> String {
        switch id {
        case revocationNotApplied: "Revocation decided but not applied"
        case acceptanceExpired: "Risk acceptance expired"
        case selfReview: "Reviewer decided on their own access"
        default: id
        }
    }

    /// Why a follow-through rule matters, for the report's per-category section.
    public static func rationale(_ id: String) -> String {
        switch id {
        case revocationNotApplied:
            "A review that decides to revoke access but leaves it in place gives false assurance: the auditor "
                + "sees a decision, the attacker still sees the access."
        case acceptanceExpired:
            "An accepted risk is accepted for a period; when the acceptance date passes the risk is open again "
                + "until someone decides anew."
        case selfReview:
            "A reviewer approving their own access defeats the segregation of duties the review exists to prove."
        default: ""
        }
    }
}

/// Builds a cycle's register from its findings, the previous cycle and the decision log (SPEC §5, §6). Pure: no
/// files, no clock.
public enum RegisterBuilder {
    /// - Parameters:
    ///   - findings: what the rules found this cycle.
    ///   - cycle: this cycle's label.
    ///   - asOf: the review date; every age is measured from it.
    ///   - previous: the previous cycle (nil for the first review).
    ///   - decisions: the decision log (any order). With no log, pass `previous?.carriedDecisions`.
    ///   - slaProfile: due dates by severity.
    ///   - assignmentIds: ARM role-assignment ids by grant key (``Assignment/grantKey``), for `remediate`.
    ///   - presentGrantKeys: the grant keys of every assignment in this cycle's inputs, when known. A risk decided
    ///     `revoke` whose finding is gone but whose assignment (by the grant keys the workspace kept) is still
    ///     present also raises `revocation-not-applied`.
    public static func build(
        findings: [Finding], cycle: String, asOf: Timestamp, previous: PreviousState?, decisions: [Decision],
        slaProfile: SLAProfile = .standard, assignmentIds: [String: String] = [:],
        presentGrantKeys: Set<String>? = nil
    ) -> RegisterResult {
        let today = asOf.startOfDay
        var latest = latestDecisions(decisions)
        let previousRows = Dictionary(previous?.rows.map { ($0.riskId, $0) } ?? [], uniquingKeysWith: { a, _ in a })

        // 1. Score and identify this cycle's findings (one per risk id: the worst if a rule repeated itself).
        var scored: [String: (Finding, RiskScore)] = [:]
        var order: [String] = []
        func add(_ f: Finding) {
            let id = RiskIdentity.riskId(ruleId: f.ruleId, subjectKey: f.subjectKey)
            let s = Scoring.score(f)
            if let existing = scored[id] {
                if (s.level, s.impact, s.likelihood) > (existing.1.level, existing.1.impact, existing.1.likelihood) {
                    scored[id] = (f, s)
                }
                return
            }
            scored[id] = (f, s)
            order.append(id)
        }
        for f in findings { add(f) }

        // Latest decisions that break the rules are not applied.
        var refused: [RefusedDecision] = []
        for id in order {
            guard let d = latest[id] else { continue }
            let problems = d.problems(privileged: scored[id]!.0.facts.privilegedRole)
            if !problems.isEmpty {
                refused.append(RefusedDecision(decision: d, problems: problems))
                latest[id] = nil
            }
        }

        // 2. Follow-through findings from the decisions on this cycle's risks.
        var followThrough: [Finding] = []
        var follows: [String: String] = [:]
        for id in order {
            let (f, _) = scored[id]!
            guard f.category != .followThrough, let d = latest[id] else { continue }
            for raised in FollowThrough.findings(for: f, riskId: id, decision: d, cycle: cycle, asOf: today) {
                let raisedId = RiskIdentity.riskId(ruleId: raised.ruleId, subjectKey: raised.subjectKey)
                if follows[raisedId] == nil {
                    followThrough.append(raised)
                    follows[raisedId] = id
                }
            }
        }
        // A revoked risk whose finding is gone while its assignment is still there.
        if let present = presentGrantKeys, let previous {
            for prior in previous.rows where scored[prior.riskId] == nil && prior.ruleId != FollowThroughRule.selfReview
            {
                guard let d = latest[prior.riskId], d.decision == .revoke,
                    let details = previous.details[prior.riskId],
                    details.grantKeys.contains(where: present.contains)
                else { continue }
                let stand = Finding(
                    ruleId: prior.ruleId, category: RuleCategory(rawValue: prior.category) ?? .followThrough,
                    title: prior.title, subjectKey: prior.riskId, principalId: nonEmpty(prior.principalId),
                    principalName: nonEmpty(prior.principalName), principalUPN: details.principalUPN,
                    principalType: PrincipalType(rawValue: prior.principalType), role: nonEmpty(prior.role),
                    roleId: details.roleId, scope: nonEmpty(prior.scope),
                    scopeLevel: ScopeLevel(rawValue: prior.scopeLevel), resource: nonEmpty(prior.resource),
                    asset: nonEmpty(prior.asset), label: nonEmpty(prior.label), evidence: prior.evidence,
                    viaGroups: details.viaGroups, grantKeys: details.grantKeys,
                    facts: ScoringFacts(privilegedRole: details.privileged), baseLikelihood: prior.likelihood,
                    baseImpact: prior.impact, controls: prior.controls)
                let raised = FollowThrough.findings(
                    for: stand, riskId: prior.riskId, decision: d, cycle: cycle, asOf: today
                ).filter { $0.ruleId == FollowThroughRule.revocationNotApplied }
                for r in raised {
                    var r = r
                    r.facts = ScoringFacts()
                    let raisedId = RiskIdentity.riskId(ruleId: r.ruleId, subjectKey: r.subjectKey)
                    if follows[raisedId] == nil {
                        followThrough.append(r)
                        follows[raisedId] = prior.riskId
                    }
                }
            }
        }
        for f in followThrough { add(f) }

        // 3. Rows for the risks present now.
        var entries: [RegisterEntry] = []
        for id in order {
            let (f, s) = scored[id]!
            let prior = previousRows[id]
            let state: RiskState
            if let prior {
                if prior.state == .resolved {
                    state = .reopened
                } else if prior.severity != s.severity || prior.evidence != f.evidence {
                    state = .changed
                } else {
                    state = .persisting
                }
            } else {
                // Resolved rows stay in every later register, so a risk absent from the previous one is new
                // (a reference given by an earlier run of this same cycle is kept, below).
                state = .new
            }
            let firstSeen = prior?.firstSeen ?? today
            var row = RegisterRow(
                riskId: id, ref: "", cycle: cycle, state: state, ruleId: f.ruleId, category: f.category.rawValue,
                title: f.title, severity: s.severity, level: s.level, likelihood: s.likelihood, impact: s.impact,
                scoreFactors: s.factors, principalId: f.principalId ?? "",
                principalName: f.principalName ?? f.principalUPN ?? "", principalType: f.principalType?.rawValue ?? "",
                role: f.role ?? "", scope: f.scope ?? "", scopeLevel: f.scopeLevel?.rawValue ?? "",
                resource: f.resource ?? "", asset: f.asset ?? "", label: f.label ?? "", evidence: f.evidence,
                controls: f.controls, firstSeen: firstSeen, lastSeen: today,
                dueDate: slaProfile.dueDate(severity: s.severity, firstSeen: firstSeen), schemeVersion: s.schemeVersion)
            var lapse: DecisionLapse?
            if let d = latest[id] {
                row.show(d)
                if d.decision != .revoke, let until = d.acceptedUntil, until.dayNumber < today.dayNumber {
                    lapse = .expired
                } else if let at = d.severityAtDecision, s.severity > at {
                    lapse = .severityRose
                }
                row.status = status(of: d, lapse: lapse)
            }
            if let due = row.dueDate, row.status != .accepted, row.status != .approved {
                row.slaStatus = slaProfile.status(due: due, asOf: today)
            }
            let details = RiskDetails(
                principalUPN: f.principalUPN, roleId: f.roleId, grantKeys: f.grantKeys, viaGroups: f.viaGroups,
                privileged: f.facts.privilegedRole, assignmentIds: f.grantKeys.compactMap { assignmentIds[$0] },
                followsRiskId: follows[id])
            entries.append(RegisterEntry(row: row, finding: f, details: details, lapse: lapse))
        }

        // 4. Resolved: in the previous register, absent now (kept, with the latest decision shown).
        for prior in previous?.rows ?? [] where scored[prior.riskId] == nil {
            var row = prior
            let resolvedNow = prior.state != .resolved
            row.cycle = cycle
            row.state = .resolved
            row.status = .resolved
            row.slaStatus = nil
            if let d = latest[prior.riskId] { row.show(d) }
            let details = previous?.details[prior.riskId] ?? RiskDetails()
            entries.append(RegisterEntry(row: row, finding: nil, details: details, resolvedThisCycle: resolvedNow))
        }

        // 5. Sort, then give references to risks that never had one, in that order.
        entries.sort(by: sortsBefore)
        var refs = previous?.refs ?? [:]
        var next = (refs.values.compactMap(RiskIdentity.refNumber).max() ?? 0) + 1
        var newRefs: [String: String] = [:]
        for i in entries.indices {
            let id = entries[i].row.riskId
            if let ref = refs[id] {
                entries[i].row.ref = ref
            } else {
                let ref = RiskIdentity.ref(number: next)
                next += 1
                refs[id] = ref
                newRefs[id] = ref
                entries[i].row.ref = ref
            }
        }
        // References now known: sort again so equal keys fall back to the reference.
        entries.sort(by: sortsBefore)
        return RegisterResult(
            cycle: cycle, asOf: today, schemeVersion: RiskMatrix.schemeVersion, entries: entries,
            followThrough: followThrough, newRefs: newRefs, refusedDecisions: refused)
    }

    static func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    /// The status a decision gives a present risk (see ``RiskStatus``).
    static func status(of d: Decision, lapse: DecisionLapse?) -> RiskStatus {
        switch lapse {
        case .expired: return .open
        case .severityRose: return .needsReview
        case nil: break
        }
        if d.decision == .revoke { return .revokedPending }
        if d.treatment == .accept { return .accepted }
        if d.decision == .approve { return .approved }
        if d.decision == .modify || d.treatment != nil { return .remediating }
        return .open
    }

    static func sortsBefore(_ a: RegisterEntry, _ b: RegisterEntry) -> Bool {
        let ar = a.row.state == .resolved
        let br = b.row.state == .resolved
        if ar != br { return !ar }
        if !ar {
            if a.row.severity != b.row.severity { return a.row.severity > b.row.severity }
            if a.row.impact != b.row.impact { return a.row.impact > b.row.impact }
            if a.row.likelihood != b.row.likelihood { return a.row.likelihood > b.row.likelihood }
        }
        let an = RiskIdentity.refNumber(a.row.ref) ?? Int.max
        let bn = RiskIdentity.refNumber(b.row.ref) ?? Int.max
        if an != bn { return an < bn }
        if a.row.ruleId != b.row.ruleId { return a.row.ruleId < b.row.ruleId }
        return a.row.riskId < b.row.riskId
    }
}

extension RegisterBuilder {
    /// The stateless path (`--no-workspace`, with or without `--previous FILE`): the previous cycle and the
    /// decisions in force both come from the previous `risk-register.csv`.
    public static func buildStateless(
        findings: [Finding], cycle: String, asOf: Timestamp, previousRegister path: String?,
        slaProfile: SLAProfile = .standard, assignmentIds: [String: String] = [:]
    ) throws(RegisterInputError) -> RegisterResult {
        let previous = try path.map { (p: String) throws(RegisterInputError) in try PreviousState.load(registerCSV: p) }
        return build(
            findings: findings, cycle: cycle, asOf: asOf, previous: previous,
            decisions: previous?.carriedDecisions ?? [], slaProfile: slaProfile, assignmentIds: assignmentIds)
    }
}
