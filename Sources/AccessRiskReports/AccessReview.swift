import AccessRiskCSV
import AccessRiskModel
import Foundation

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
    /// Writes the records of some parts without building their rows (see ``write(parts:pseudonymizer:into:)``);
    /// nil when the records are the rows of `produce` written one by one.
    private let render:
        (@Sendable (_ parts: Range<Int>, _ pseudonymizer: Pseudonymizer?, _ csv: inout CSVWriter) -> Void)?

    /// Rows already built (tests, small outputs): one part per row.
    public init(rows: [AccessReviewRow]) {
        partCount = rows.count
        produce = { parts, body in for r in rows[parts] { try body(r) } }
        render = nil
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
        render = nil
    }

    /// The worksheet of a model, one part per assignment: its rows are built on demand (``forEach(_:)``), and its
    /// file is written straight from the model (``write(parts:pseudonymizer:into:)``), the same bytes without a
    /// row of strings per assignment.
    ///
    /// - Parameters:
    ///   - privileged: whether the role of the assignment at an index of `model.assignments` is privileged or can
    ///     grant access; nil when unknown.
    public init(
        model: AccessModel, index: AccessReviewWorksheet.RiskIndex,
        members: @escaping @Sendable (String) -> [(memberId: String, chain: [String])],
        privileged: @escaping @Sendable (Int) -> Bool?
    ) {
        partCount = model.assignments.count
        produce = { parts, body in
            try AccessReviewWorksheet.forEachRow(
                model: model, index: index, in: parts, members: members, privilegedAt: privileged, body)
        }
        render = { parts, pseudonymizer, csv in
            AccessReviewWorksheet.writeRecords(
                model: model, index: index, in: parts, members: members, privilegedAt: privileged,
                pseudonymizer: pseudonymizer, into: &csv)
        }
    }

    /// Appends the worksheet records of some parts, in worksheet order, with names and UPNs pseudonymised when
    /// asked: what ``AccessReviewWorksheet/write(_:into:)`` writes for each row of ``forEach(parts:_:)`` after
    /// ``AccessReviewWorksheet/pseudonymized(_:by:)``.
    public func write(parts: Range<Int>, pseudonymizer: Pseudonymizer?, into csv: inout CSVWriter) throws {
        if let render { return render(parts, pseudonymizer, &csv) }
        try produce(parts) { row in
            AccessReviewWorksheet.write(AccessReviewWorksheet.pseudonymized(row, by: pseudonymizer), into: &csv)
        }
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
        /// Every text before a `|` of a grant key with a risk: a principal id not in it has no risk on any grant,
        /// so its rows need no grant key built and looked up (almost every row of a large worksheet).
        let principalPrefixes: CellTable<Void>
        /// Every text after a `|` of a key of `principalsByRoleScope`: a group assignment whose scope key is not in
        /// it has no risky member, without its role | scope key built and looked up.
        let scopeSuffixes: CellTable<Void>

        public init(_ risks: [GrantRisk]) {
            var byGrant: [String: [GrantRisk]] = [:]
            var byRoleScope: [Substring: Set<Substring>] = [:]
            // Tables looked up on bytes (see `CellTable`): every assignment's principal id and every group assignment's
            // scope key is looked up, and SipHashing them in a `Set` was a tenth of the worksheet.
            var prefixes = CellTable<Void>()
            var suffixes = CellTable<Void>()
            for r in risks {
                byGrant[r.grantKey, default: []].append(r)
                if let bar = r.grantKey.firstIndex(of: "|") {
                    byRoleScope[r.grantKey[r.grantKey.index(after: bar)...], default: []].insert(r.grantKey[..<bar])
                }
                // Every `|`, not only the first: an id holding a `|` (a `upn:` key) is still found. Bytes, not
                // Characters: a `|` followed by a combining mark is still a `|` of the key.
                let utf8 = r.grantKey.utf8
                for bar in utf8.indices where utf8[bar] == UInt8(ascii: "|") {
                    _ = prefixes.intern(String(Substring(utf8[..<bar])))
                }
            }
            for roleScope in byRoleScope.keys {
                let utf8 = roleScope.utf8
                for bar in utf8.indices where utf8[bar] == UInt8(ascii: "|") {
                    _ = suffixes.intern(String(Substring(utf8[utf8.index(after: bar)...])))
                }
            }
            risksByGrant = byGrant
            principalsByRoleScope = byRoleScope
            principalPrefixes = prefixes
            scopeSuffixes = suffixes
        }

        /// Whether a grant of this principal may have a risk (false: none has).
        func mayHaveRisks(_ principalId: String) -> Bool {
            principalPrefixes.count > 0 && principalPrefixes.find(principalId).entry != nil
        }

        /// Whether a member of a group may have a risk on a grant at this scope (false: none has).
        func mayHaveMemberRisks(scopeKey: String) -> Bool {
            scopeSuffixes.count > 0 && scopeSuffixes.find(scopeKey).entry != nil
        }

        /// The risks on one grant, sorted by risk id.
        func risks(principalId: String, roleKey: String, scopeKey: String) -> [GrantRisk] {
            guard mayHaveRisks(principalId) else { return [] }
            return (risksByGrant[principalId + "|" + roleKey + "|" + scopeKey] ?? []).sorted { $0.riskId < $1.riskId }
        }
    }

    /// The rows of the assignments in `range` (and of their risky group members), in worksheet order.
    public static func forEachRow(
        model: AccessModel, index: RiskIndex, in range: Range<Int>,
        members: (String) -> [(memberId: String, chain: [String])],
        privileged: (Assignment) -> Bool?,
        _ body: (AccessReviewRow) throws -> Void
    ) rethrows {
        try forEachRow(
            model: model, index: index, in: range, members: members,
            privilegedAt: { privileged(model.assignments[$0]) }, body)
    }

    /// The rows of the assignments in `range` (and of their risky group members), in worksheet order, with
    /// `privilegedAt` given the index of an assignment in `model.assignments`.
    public static func forEachRow(
        model: AccessModel, index: RiskIndex, in range: Range<Int>,
        members: (String) -> [(memberId: String, chain: [String])],
        privilegedAt: (Int) -> Bool?,
        _ body: (AccessReviewRow) throws -> Void
    ) rethrows {
        for position in range {
            let assignment = model.assignments[position]
            let priv = privilegedText(privilegedAt(position))
            let holder = model.principals[assignment.principalId]
            try body(
                row(
                    principalId: assignment.principalId, principal: holder,
                    fallbackName: assignment.principalName, fallbackUPN: assignment.principalUPN,
                    type: assignment.principalType, guest: assignment.principalIsGuest, assignment: assignment,
                    privileged: priv, viaGroup: "", index: index))
            try forEachMemberRow(
                model: model, index: index, at: position, holderType: holder?.type, privileged: priv,
                members: members, body)
        }
    }

    /// The `privileged` cell: `yes`, `no`, or `unknown`.
    static func privilegedText(_ privileged: Bool?) -> String {
        privileged.map { $0 ? "yes" : "no" } ?? "unknown"
    }

    /// The rows of the members of a group assignment that a risk is about (none for an assignment to anything
    /// else).
    static func forEachMemberRow(
        model: AccessModel, index: RiskIndex, at position: Int, holderType: PrincipalType?, privileged: String,
        members: (String) -> [(memberId: String, chain: [String])],
        _ body: (AccessReviewRow) throws -> Void
    ) rethrows {
        let isGroup = model.assignments[position].principalType == .group || holderType == .group
        guard isGroup, index.mayHaveMemberRisks(scopeKey: model.assignments[position].scope.key) else { return }
        let assignment = model.assignments[position]
        let roleScope = Substring(assignment.roleKey + "|" + assignment.scope.key)
        guard let candidates = index.principalsByRoleScope[roleScope] else { return }
        for member in members(assignment.principalId) where candidates.contains(Substring(member.memberId)) {
            let p = model.principals[member.memberId]
            let via = member.chain.map { model.principals[$0]?.displayName ?? $0 }.joined(separator: " > ")
            try body(
                row(
                    principalId: member.memberId, principal: p, fallbackName: nil, fallbackUPN: nil,
                    type: p?.type ?? .unknown, guest: false, assignment: assignment, privileged: privileged,
                    viaGroup: via, index: index))
        }
    }

    static func row(
        principalId: String, principal: Principal?, fallbackName: String?, fallbackUPN: String?,
        type: PrincipalType, guest: Bool, assignment: Assignment, privileged: String, viaGroup: String,
        index: RiskIndex
    ) -> AccessReviewRow {
        let grantKey = principalId + "|" + assignment.roleKey + "|" + assignment.scope.key
        let risks = index.risks(principalId: principalId, roleKey: assignment.roleKey, scopeKey: assignment.scope.key)
        let (riskIds, highest, recommendation) = assessment(of: risks)
        return AccessReviewRow(
            principalId: principalId, principalName: shownName(principal, fallbackName),
            principalUPN: shownUPN(principal, fallbackUPN), principalType: (principal?.type ?? type).rawValue,
            guest: shownGuest(principal, stated: guest), enabled: principal?.enabled,
            lastActivity: principal?.lastActivity, role: assignment.roleName, roleId: assignment.roleId ?? "",
            privileged: privileged, scope: assignment.scope.original, scopeLevel: assignment.scope.level.rawValue,
            assignmentType: assignment.assignmentType.rawValue, viaGroup: viaGroup, assignmentId: assignment.id ?? "",
            riskIds: riskIds, highestSeverity: highest, recommendation: recommendation, grantKey: grantKey)
    }

    /// The name a row shows: the directory's, else the assignment export's.
    static func shownName(_ principal: Principal?, _ fallback: String?) -> String {
        principal?.displayName ?? fallback ?? ""
    }

    /// The UPN a row shows: the directory's, else the assignment export's.
    static func shownUPN(_ principal: Principal?, _ fallback: String?) -> String { principal?.upn ?? fallback ?? "" }

    /// The guest cell: the directory's word or the export's; unknown without a directory entry unless the export
    /// says guest.
    static func shownGuest(_ principal: Principal?, stated: Bool) -> Bool? {
        shownGuest(directoryGuest: principal?.isGuest, stated: stated)
    }

    /// The same from what the directory says (nil: it does not list the principal).
    static func shownGuest(directoryGuest: Bool?, stated: Bool) -> Bool? {
        directoryGuest.map { $0 || stated } ?? (stated ? true : nil)
    }

    /// What the risks on one grant (sorted by risk id) say: their distinct ids, the highest severity, and the
    /// recommendation (SPEC §7).
    static func assessment(
        of risks: [GrantRisk]
    ) -> (riskIds: [String], highest: Severity?, recommendation: String) {
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
        return (riskIds, highest, recommendation)
    }

    /// A row with its names, UPN and group chain pseudonymised (`--pseudonymize`); the row itself without one.
    public static func pseudonymized(_ row: AccessReviewRow, by pseudonymizer: Pseudonymizer?) -> AccessReviewRow {
        guard let p = pseudonymizer else { return row }
        var row = row
        row.principalName = p.name(row.principalName)
        row.principalUPN = p.name(row.principalUPN)
        row.viaGroup = row.viaGroup.components(separatedBy: " > ").map { p.name($0) }.joined(separator: " > ")
        return row
    }

    /// The cells of a record that come from its principal: id, name, UPN and type, each followed by a delimiter
    /// (`head`), then the guest cell (which also depends on the assignment), then a delimiter, enabled, last
    /// activity and a delimiter (`tail`). Written once for a principal's run of assignments.
    /// A class: each row holds it, and a struct holding the directory's principal was copied, a dozen strings
    /// retained, for each of a million rows.
    final class PrincipalCells {
        let principalId: String
        /// The directory's type, when it lists the principal.
        let directoryType: PrincipalType?
        /// Whether the directory gives a name, a UPN; whether it says the principal is a guest.
        let directoryHasName: Bool
        let directoryHasUPN: Bool
        let directoryGuest: Bool?
        /// What the cells took from the assignment, when the directory has no name, UPN or entry at all.
        let fallbackName: String?
        let fallbackUPN: String?
        let type: PrincipalType
        /// Whether any of the principal's grants may have a risk.
        let mayHaveRisks: Bool
        let head: CSVWriter
        let tail: CSVWriter

        init(
            principalId: String, principal: Principal?, fallbackName: String?, fallbackUPN: String?,
            type: PrincipalType, index: RiskIndex, pseudonymizer p: Pseudonymizer?, delimiter: UInt8
        ) {
            self.principalId = principalId
            directoryType = principal?.type
            directoryHasName = principal?.displayName != nil
            directoryHasUPN = principal?.upn != nil
            directoryGuest = principal?.isGuest
            // Only what the cells use is kept, so that `fits` compares only that.
            self.fallbackName = principal?.displayName == nil ? fallbackName : nil
            self.fallbackUPN = principal?.upn == nil ? fallbackUPN : nil
            self.type = principal == nil ? type : .unknown
            mayHaveRisks = index.mayHaveRisks(principalId)
            var name = shownName(principal, fallbackName)
            var upn = shownUPN(principal, fallbackUPN)
            if let p {
                name = p.name(name)
                upn = p.name(upn)
            }
            var head = CSVWriter(delimiter: delimiter, includeBOM: false)
            for cell in [principalId, name, upn, (principal?.type ?? type).rawValue] {
                head.appendCell(cell)
                head.appendDelimiter()
            }
            self.head = head
            var tail = CSVWriter(delimiter: delimiter, includeBOM: false)
            tail.appendDelimiter()
            tail.appendCell(yesNo(principal?.enabled))
            tail.appendDelimiter()
            tail.appendCell(principal?.lastActivity?.isoDate ?? "")
            tail.appendDelimiter()
            self.tail = tail
        }

        /// Whether these are the cells of an assignment of this principal with this name, UPN and type.
        func fits(principalId: String, fallbackName: String?, fallbackUPN: String?, type: PrincipalType) -> Bool {
            principalId == self.principalId
                && (directoryHasName || fallbackName == self.fallbackName)
                && (directoryHasUPN || fallbackUPN == self.fallbackUPN)
                && (directoryType != nil || type == self.type)
        }

        /// The guest cell of an assignment whose export says whether the principal is a guest.
        func guest(statedGuest: Bool) -> String {
            yesNo(shownGuest(directoryGuest: directoryGuest, stated: statedGuest))
        }
    }

    /// The role name and role id cells of a row, and the delimiter after each, rendered once per role: the rows of
    /// a million assignments name a few dozen roles, and reading each row's two strings retained them, the same few
    /// strings on both threads writing the worksheet. Roles are told apart by the words of their strings (see
    /// ``AssignmentWords``), in a table of 256 entries placed by those words.
    struct RoleCells {
        private var words = [SIMD4<UInt64>?](repeating: nil, count: 256)
        private var rendered: [CSVWriter]
        private let delimiter: UInt8

        init(delimiter: UInt8) {
            self.delimiter = delimiter
            rendered = Array(repeating: CSVWriter(delimiter: delimiter, includeBOM: false), count: 256)
        }

        mutating func append(of assignment: UnsafePointer<Assignment>, into csv: inout CSVWriter) {
            guard let key = AssignmentWords.role(of: assignment) else {
                csv.append(Self.render(assignment, delimiter))
                return
            }
            let mixed = (key[0] ^ key[1] &* 0x9E37_79B9_7F4A_7C15 ^ key[2] &* 0xBF58_476D_1CE4_E5B9 ^ key[3])
            let slot = Int(truncatingIfNeeded: (mixed &* 0x94D0_49BB_1331_11EB) >> 56)
            if words[slot] != key {
                words[slot] = key
                rendered[slot] = Self.render(assignment, delimiter)
            }
            csv.append(rendered[slot])
        }

        private static func render(_ assignment: UnsafePointer<Assignment>, _ delimiter: UInt8) -> CSVWriter {
            var cells = CSVWriter(delimiter: delimiter, includeBOM: false)
            cells.appendCell(assignment.pointee.roleName)
            cells.appendDelimiter()
            cells.appendCell(assignment.pointee.roleId ?? "")
            cells.appendDelimiter()
            return cells
        }
    }

    /// The records of the assignments in `range` (and of their risky group members) written straight into `csv`:
    /// the bytes that ``write(_:into:)`` writes for the rows of
    /// ``forEachRow(model:index:in:members:privilegedAt:_:)`` after ``pseudonymized(_:by:)``, without building
    /// the rows. A principal's cells are written once for its run of assignments (the model keeps a principal's
    /// assignments together), no assignment is copied, and a grant key is built only for a principal with a risk.
    static func writeRecords(
        model: AccessModel, index: RiskIndex, in range: Range<Int>,
        members: (String) -> [(memberId: String, chain: [String])],
        privilegedAt: (Int) -> Bool?, pseudonymizer: Pseudonymizer?, into csv: inout CSVWriter
    ) {
        var cells: PrincipalCells?
        var roleCells = RoleCells(delimiter: csv.delimiter)
        model.assignments.withUnsafeBufferPointer { assignments in
            for position in range {
                // The scopes and texts of the rows ahead are asked for now, so their misses overlap this row's work
                // (see `AssignmentPrefetch`).
                AssignmentPrefetch.scope(of: assignments, at: position + 16)
                AssignmentPrefetch.texts(of: assignments, at: position + 8)
                // Fields read through the pointer: the assignment is borrowed, not copied.
                let a = assignments.baseAddress! + position
                let principalId = a.pointee.principalId
                let fits =
                    cells?.fits(
                        principalId: principalId, fallbackName: a.pointee.principalName,
                        fallbackUPN: a.pointee.principalUPN, type: a.pointee.principalType) ?? false
                if !fits {
                    cells = PrincipalCells(
                        principalId: principalId, principal: model.principals[principalId],
                        fallbackName: a.pointee.principalName, fallbackUPN: a.pointee.principalUPN,
                        type: a.pointee.principalType, index: index, pseudonymizer: pseudonymizer,
                        delimiter: csv.delimiter)
                }
                let holder = cells!
                let priv = privilegedText(privilegedAt(position))
                csv.append(holder.head)
                csv.appendCell(holder.guest(statedGuest: a.pointee.principalIsGuest))
                csv.append(holder.tail)
                roleCells.append(of: a, into: &csv)
                csv.appendCell(priv)
                csv.appendDelimiter()
                csv.appendCell(a.pointee.scope.original)
                csv.appendDelimiter()
                csv.appendCell(a.pointee.scope.level.rawValue)
                csv.appendDelimiter()
                csv.appendCell(a.pointee.assignmentType.rawValue)
                // An empty via_group.
                csv.appendDelimiter()
                csv.appendDelimiter()
                // The id as it is kept: most are a name after the scope's key, and building them was a tenth of
                // the worksheet's cost.
                if let (text, scopeRelative) = a.pointee.storedIdParts {
                    if scopeRelative {
                        csv.appendCell(a.pointee.scope.key, Assignment.armIdInfix, text)
                    } else {
                        csv.appendCell(text)
                    }
                }
                csv.appendDelimiter()
                let risks =
                    holder.mayHaveRisks
                    ? index.risks(principalId: principalId, roleKey: a.pointee.roleKey, scopeKey: a.pointee.scope.key)
                    : []
                if risks.isEmpty {
                    // No risk ids, no severity.
                    csv.appendDelimiter()
                    csv.appendDelimiter()
                    csv.appendCell("approve")
                } else {
                    let (riskIds, highest, recommendation) = assessment(of: risks)
                    csv.appendCell(riskIds.joined(separator: ";"))
                    csv.appendDelimiter()
                    csv.appendCell(highest?.rawValue ?? "")
                    csv.appendDelimiter()
                    csv.appendCell(recommendation)
                }
                // The five decision columns, empty.
                for _ in 0..<5 { csv.appendDelimiter() }
                csv.endRecord()
                forEachMemberRow(
                    model: model, index: index, at: position, holderType: holder.directoryType, privileged: priv,
                    members: members
                ) { row in
                    write(pseudonymized(row, by: pseudonymizer), into: &csv)
                }
            }
        }
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
