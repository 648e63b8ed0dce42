import AccessRiskCSV
import AccessRiskModel

/// One row of `access-review.csv`: an assignment as a reviewer decides on it, or a member reached through a group
/// assignment that a finding is about (with `via_group`).
public struct AccessReviewRow: Sendable, Hashable {
    public var principalId: String
    public var principalName: String
    public var principalUPN: String
    public var principalType: String
    public var guest: Bool?
    public var enabled: Bool?
    public var lastActivity: Timestamp?
    public var role: String
    public var roleId: String
    /// `yes`, `no`, or `unknown` for a custom role without a definition.
    public var privileged: String
    public var scope: String
    public var scopeLevel: String
    public var assignmentType: String
    public var viaGroup: String
    public var assignmentId: String
    public var riskIds: [String]
    public var highestSeverity: Severity?
    public var recommendation: String
    /// The key findings use to point at this access (principal | role | scope).
    public var grantKey: String
}

/// The worksheet's rows, produced when they are written: a million-assignment worksheet streams to its file instead
/// of being held in memory as rows and then as bytes.
public struct AccessReviewSource: Sendable {
    /// How many parts the rows come in (assignments: each gives its row and its risky members' rows).
    public let partCount: Int
    private let produce: @Sendable (_ parts: Range<Int>, _ body: (AccessReviewRow) throws -> Void) throws -> Void

    /// Rows already built (tests, small outputs): one part per row.
    public init(rows: [AccessReviewRow]) {
        partCount = rows.count
        produce = { parts, body in for r in rows[parts] { try body(r) } }
    }

    /// Rows generated on each pass, part by part, e.g. by
    /// ``AccessReviewWorksheet/forEachRow(model:index:in:members:privileged:_:)``. Parts may be produced on several
    /// threads at once.
    public init(
        partCount: Int,
        produce: @escaping @Sendable (_ parts: Range<Int>, _ body: (AccessReviewRow) throws -> Void) throws -> Void
    ) {
        self.partCount = partCount
        self.produce = produce
    }

    /// Calls `body` with every row, in worksheet order.
    public func forEach(_ body: (AccessReviewRow) throws -> Void) throws { try produce(0..<partCount, body) }

    /// Calls `body` with the rows of some parts, in worksheet order.
    public func forEach(parts: Range<Int>, _ body: (AccessReviewRow) throws -> Void) throws {
        try produce(parts, body)
    }

    /// Every row (for tests: this holds them all).
    public var rows: [AccessReviewRow] {
        var out: [AccessReviewRow] = []
        try? produce(0..<partCount) { out.append($0) }
        return out
    }
}

/// A risk as the worksheet needs it: which access it is about.
public struct GrantRisk: Sendable, Hashable {
    public var grantKey: String
    public var riskId: String
    public var ruleId: String
    public var severity: Severity

    public init(grantKey: String, riskId: String, ruleId: String, severity: Severity) {
        self.grantKey = grantKey
        self.riskId = riskId
        self.ruleId = ruleId
        self.severity = severity
    }
}

/// The access-review worksheet of SPEC §7: the whole population of assignments, not only findings.
public enum AccessReviewWorksheet {
    public static let columns = [
        "principal_id", "principal_name", "principal_upn", "principal_type", "guest", "enabled", "last_activity",
        "role", "role_id", "privileged", "scope", "scope_level", "assignment_type", "via_group", "assignment_id",
        "risk_ids", "highest_severity", "recommendation", "decision", "justification", "reviewer", "reviewed_on",
        "ticket",
    ]

    /// Rules whose findings mean the access should go (SPEC §7: stale, disabled, orphaned, pending).
    public static let revokeRules: Set<String> = [
        "stale-account-access", "never-used-account-access", "stale-service-principal-access",
        "disabled-account-access", "orphaned-assignment", "pending-guest-access", "expired-assignment",
        "revocation-not-applied",
    ]

    /// One row per assignment (the whole population), plus one row per member of a group assignment that a
    /// finding is about (with `via_group`), so a reviewer sees member-level risks without the worksheet growing
    /// with every group's size.
    ///
    /// - Parameters:
    ///   - members: the transitive members of a group with the group chain down to each (cycles tolerated).
    ///   - privileged: whether an assignment's role is privileged or can grant access; nil when unknown.
    public static func build(
        model: AccessModel, risks: [GrantRisk],
        members: (String) -> [(memberId: String, chain: [String])],
        privileged: (Assignment) -> Bool?
    ) -> [AccessReviewRow] {
        var rows: [AccessReviewRow] = []
        rows.reserveCapacity(model.assignments.count)
        forEachRow(model: model, risks: risks, members: members, privileged: privileged) { rows.append($0) }
        return rows
    }

    /// The rows of ``build(model:risks:members:privileged:)`` one at a time, in the same order, none kept.
    public static func forEachRow(
        model: AccessModel, risks: [GrantRisk],
        members: (String) -> [(memberId: String, chain: [String])],
        privileged: (Assignment) -> Bool?,
        _ body: (AccessReviewRow) throws -> Void
    ) rethrows {
        try forEachRow(
            model: model, index: RiskIndex(risks), in: model.assignments.indices, members: members,
            privileged: privileged, body)
    }

    /// The risks by the access they are about, built once for every part of the worksheet.
    public struct RiskIndex: Sendable {
        let risksByGrant: [String: [GrantRisk]]
        /// role | scope → principals with a risk on that role and scope, to find risky members of a group.
        let principalsByRoleScope: [Substring: Set<Substring>]

        public init(_ risks: [GrantRisk]) {
            var byGrant: [String: [GrantRisk]] = [:]
            var byRoleScope: [Substring: Set<Substring>] = [:]
            for r in risks {
                byGrant[r.grantKey, default: []].append(r)
                if let bar = r.grantKey.firstIndex(of: "|") {
                    byRoleScope[r.grantKey[r.grantKey.index(after: bar)...], default: []].insert(r.grantKey[..<bar])
                }
            }
            risksByGrant = byGrant
            principalsByRoleScope = byRoleScope
        }
    }

    /// The rows of the assignments in `range` (and of their risky group members), in worksheet order.
    public static func forEachRow(
        model: AccessModel, index: RiskIndex, in range: Range<Int>,
        members: (String) -> [(memberId: String, chain: [String])],
        privileged: (Assignment) -> Bool?,
        _ body: (AccessReviewRow) throws -> Void
    ) rethrows {
        let risksByGrant = index.risksByGrant
        let principalsByRoleScope = index.principalsByRoleScope
        for position in range {
            let assignment = model.assignments[position]
            let priv = privileged(assignment).map { $0 ? "yes" : "no" } ?? "unknown"
            let holder = model.principals[assignment.principalId]
            try body(
                row(
                    principalId: assignment.principalId, principal: holder,
                    fallbackName: assignment.principalName, fallbackUPN: assignment.principalUPN,
                    type: assignment.principalType, guest: assignment.principalIsGuest, assignment: assignment,
                    privileged: priv, viaGroup: "", risksByGrant: risksByGrant))
            let isGroup = assignment.principalType == .group || holder?.type == .group
            guard isGroup, !principalsByRoleScope.isEmpty else { continue }
            let roleScope = Substring(assignment.roleKey + "|" + assignment.scope.key)
            guard let candidates = principalsByRoleScope[roleScope] else { continue }
            for member in members(assignment.principalId) where candidates.contains(Substring(member.memberId)) {
                let p = model.principals[member.memberId]
                let via = member.chain.map { model.principals[$0]?.displayName ?? $0 }.joined(separator: " > ")
                try body(
                    row(
                        principalId: member.memberId, principal: p, fallbackName: nil, fallbackUPN: nil,
                        type: p?.type ?? .unknown, guest: false, assignment: assignment, privileged: priv,
                        viaGroup: via, risksByGrant: risksByGrant))
            }
        }
    }

    static func row(
        principalId: String, principal: Principal?, fallbackName: String?, fallbackUPN: String?,
        type: PrincipalType, guest: Bool, assignment: Assignment, privileged: String, viaGroup: String,
        risksByGrant: [String: [GrantRisk]]
    ) -> AccessReviewRow {
        let grantKey = principalId + "|" + assignment.roleKey + "|" + assignment.scope.key
        let risks = (risksByGrant[grantKey] ?? []).sorted { $0.riskId < $1.riskId }
        var riskIds: [String] = []
        for r in risks where !riskIds.contains(r.riskId) { riskIds.append(r.riskId) }
        let highest = risks.map(\.severity).max()
        let recommendation: String
        if risks.contains(where: { revokeRules.contains($0.ruleId) }) {
            recommendation = "revoke"
        } else if !risks.isEmpty {
            recommendation = "review"
        } else {
            recommendation = "approve"
        }
        return AccessReviewRow(
            principalId: principalId, principalName: principal?.displayName ?? fallbackName ?? "",
            principalUPN: principal?.upn ?? fallbackUPN ?? "",
            principalType: (principal?.type ?? type).rawValue,
            guest: principal.map { $0.isGuest || guest } ?? (guest ? true : nil), enabled: principal?.enabled,
            lastActivity: principal?.lastActivity, role: assignment.roleName, roleId: assignment.roleId ?? "",
            privileged: privileged, scope: assignment.scope.original, scopeLevel: assignment.scope.level.rawValue,
            assignmentType: assignment.assignmentType.rawValue, viaGroup: viaGroup, assignmentId: assignment.id ?? "",
            riskIds: riskIds, highestSeverity: highest, recommendation: recommendation, grantKey: grantKey)
    }

    /// Appends one row as the worksheet's CSV record (the decision columns left empty for the reviewer).
    public static func write(_ r: AccessReviewRow, into writer: inout CSVWriter) {
        writer.writeRow([
            r.principalId, r.principalName, r.principalUPN, r.principalType, yesNo(r.guest), yesNo(r.enabled),
            r.lastActivity?.isoDate ?? "", r.role, r.roleId, r.privileged, r.scope, r.scopeLevel,
            r.assignmentType, r.viaGroup, r.assignmentId, r.riskIds.joined(separator: ";"),
            r.highestSeverity?.rawValue ?? "", r.recommendation, "", "", "", "", "",
        ])
    }

    static func yesNo(_ value: Bool?) -> String {
        guard let value else { return "" }
        return value ? "true" : "false"
    }
}
