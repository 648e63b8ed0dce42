import AccessRiskCSV
import AccessRiskModel
import AccessRiskReports
import Testing

/// The worksheet's records written straight from the model must be the bytes of its rows written one by one.
@Suite("The worksheet written without rows")
struct WorksheetRecordsTests {
    static let sub = Scope("/subscriptions/aaaaaaaa-0000-0000-0000-000000000001")
    static let rg = Scope("/subscriptions/aaaaaaaa-0000-0000-0000-000000000001/resourceGroups/rg,web \"x\"")
    /// Not an ARM scope, and a formula when it comes first in a cell.
    static let formula = Scope("=cmd|' /C calc'!A0")
    static let owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
    static let reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    static let ann = "11111111-1111-1111-1111-111111111111"
    static let zoe = "22222222-2222-2222-2222-222222222222"
    static let group = "33333333-3333-3333-3333-333333333333"
    static let member = "44444444-4444-4444-4444-444444444444"
    static let noName = "55555555-5555-5555-5555-555555555555"
    /// Absent from the directory, with a `|` in its key.
    static let orphan = "upn:odd|one@contoso.example"

    static func armId(_ scope: Scope, _ name: String) -> String { scope.key + Assignment.armIdInfix + name }

    /// Hostile names, principals with and without directory entries, names and UPNs, runs of one principal's
    /// assignments whose own names differ, ids kept relative to their scope and not, a group with a risky member.
    static var model: AccessModel {
        var m = AccessModel()
        m.add(
            Principal(
                id: ann, upn: "ann.lee@contoso.example", displayName: "=HYPERLINK(\"http://x\",\"y\")", type: .user,
                enabled: true, lastSignIn: Timestamp(year: 2026, month: 5, day: 1)))
        m.add(Principal(id: zoe, displayName: "Zoë, \"Z\"\nLee ", type: .user, isGuest: true, enabled: false))
        m.add(Principal(id: group, displayName: "sg;admins", type: .group))
        m.add(Principal(id: member, upn: "@member@contoso.example", displayName: "-\u{301}member", type: .user))
        m.add(Principal(id: noName, upn: "#noname@contoso.example", type: .servicePrincipal))
        m.memberships = [Membership(groupId: group, memberId: member), Membership(groupId: group, memberId: zoe)]
        m.assignments = [
            Assignment(
                id: armId(sub, "n1"), principalId: ann, principalName: "stale name", principalType: .user,
                roleId: owner, roleName: "Owner", scope: sub),
            Assignment(
                id: armId(rg, "n2"), principalId: ann, principalType: .user, roleName: "Role, \"quoted\"", scope: rg),
            Assignment(
                id: armId(formula, "n3"), principalId: ann, principalType: .user, roleId: reader, roleName: "Reader",
                scope: formula),
            Assignment(
                id: "plain-id", principalId: zoe, principalUPN: "zoe@fabrikam.example", principalType: .user,
                roleId: reader, roleName: "Reader", scope: rg, assignmentType: .eligible, principalIsGuest: true),
            Assignment(
                id: armId(rg, "n5"), principalId: group, principalName: "sg;admins", principalType: .group,
                roleId: reader, roleName: "Reader", scope: rg),
            Assignment(
                principalId: orphan, principalName: "First", principalUPN: " odd@contoso.example",
                principalType: .user, roleId: owner, roleName: "Owner", scope: sub),
            Assignment(
                principalId: orphan, principalName: "Second", principalType: .servicePrincipal, roleId: owner,
                roleName: "Owner", scope: rg, principalIsGuest: true),
            Assignment(
                id: "\u{FEFF}bom-id", principalId: noName, principalName: "N1", principalType: .servicePrincipal,
                roleId: reader, roleName: "Reader", scope: sub),
            Assignment(
                principalId: noName, principalName: "N2", principalType: .servicePrincipal, roleId: reader,
                roleName: "Reader", scope: rg),
            Assignment(
                principalId: ann, principalType: .user, roleId: reader, roleName: "Reader",
                scope: Scope("/subscriptions/aaaaaaaa-0000-0000-0000-000000000001/resourceGroups/Ünïcode😀")),
        ]
        return m
    }

    static var risks: [GrantRisk] {
        [
            GrantRisk(
                grantKey: "\(ann)|\(owner)|\(sub.key)", riskId: "AR-2", ruleId: "privileged-access",
                severity: .medium),
            GrantRisk(
                grantKey: "\(ann)|\(owner)|\(sub.key)", riskId: "AR-1", ruleId: "stale-account-access",
                severity: .high),
            GrantRisk(grantKey: "\(zoe)|\(reader)|\(rg.key)", riskId: "AR-3", ruleId: "guest-access", severity: .low),
            GrantRisk(
                grantKey: "\(member)|\(reader)|\(rg.key)", riskId: "AR-4", ruleId: "guest-access", severity: .medium),
            GrantRisk(
                grantKey: "\(orphan)|\(owner)|\(sub.key)", riskId: "AR-5", ruleId: "orphaned-assignment",
                severity: .critical),
            GrantRisk(
                grantKey: "99999999-9999-9999-9999-999999999999|\(owner)|\(sub.key)", riskId: "AR-6",
                ruleId: "guest-access", severity: .low),
        ]
    }

    static func privileged(_ a: Assignment) -> Bool? { a.roleId == nil ? nil : a.roleId == owner }

    static func members(_ model: AccessModel) -> @Sendable (String) -> [(memberId: String, chain: [String])] {
        { group in model.memberships.filter { $0.groupId == group }.map { ($0.memberId, [group]) } }
    }

    static var source: AccessReviewSource {
        let model = Self.model
        return AccessReviewSource(
            model: model, index: AccessReviewWorksheet.RiskIndex(risks), members: members(model),
            privileged: { privileged(model.assignments[$0]) })
    }

    /// The reference: every row built, pseudonymised, and written by ``AccessReviewWorksheet/write(_:into:)``.
    static func rowBytes(_ rows: [AccessReviewRow], _ p: Pseudonymizer?) -> [UInt8] {
        var csv = CSVWriter(includeBOM: false)
        for row in rows { AccessReviewWorksheet.write(AccessReviewWorksheet.pseudonymized(row, by: p), into: &csv) }
        return csv.bytes
    }

    @Test("the rows are those of the row builder")
    func sameRows() {
        let model = Self.model
        let built = AccessReviewWorksheet.build(
            model: model, risks: Self.risks, members: Self.members(model), privileged: Self.privileged)
        let rows = Self.source.rows
        #expect(rows == built)
        // The fixture reaches what it is for: member rows, risky rows, rows with their own names.
        #expect(rows.count == 12)
        #expect(rows.filter { !$0.viaGroup.isEmpty }.map(\.principalId) == [Self.member, Self.zoe])
        #expect(
            rows.filter { !$0.riskIds.isEmpty }.map(\.riskIds) == [
                ["AR-1", "AR-2"], ["AR-3"], ["AR-4"], ["AR-3"], ["AR-5"],
            ])
        #expect(rows.filter { $0.principalId == Self.orphan }.map(\.principalName) == ["First", "Second"])
        #expect(rows.filter { $0.principalId == Self.noName }.map(\.principalName) == ["N1", "N2"])
    }

    @Test("the records are the bytes of the rows, in one piece or many, pseudonymised or not")
    func sameBytes() throws {
        let source = Self.source
        let rows = source.rows
        let pseudonymizers: [Pseudonymizer?] = [
            nil, Pseudonymizer(key: "test-key-123", principals: Self.model.principals.values),
        ]
        for p in pseudonymizers {
            let expected = Self.rowBytes(rows, p)
            var whole = CSVWriter(includeBOM: false)
            try source.write(parts: 0..<source.partCount, pseudonymizer: p, into: &whole)
            // Compared as text, which a failure shows readably (both are valid UTF-8 built from Strings).
            #expect(String(decoding: whole.bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            // Split inside a principal's run of assignments, and one part at a time.
            for cuts in [[0, 1, 5, 6, 10], Array(0...10)] {
                var pieces = CSVWriter(includeBOM: false)
                for k in 0..<(cuts.count - 1) {
                    try source.write(parts: cuts[k]..<cuts[k + 1], pseudonymizer: p, into: &pieces)
                }
                #expect(pieces.bytes == expected)
            }
            // Rows already built are written the same way.
            var fromRows = CSVWriter(includeBOM: false)
            try AccessReviewSource(rows: rows).write(parts: 0..<rows.count, pseudonymizer: p, into: &fromRows)
            #expect(fromRows.bytes == expected)
        }
    }

    /// The role cells are rendered once per role and thread: with many more roles than the table of rendered cells has
    /// entries (texts short and long, a missing id, ids that need quotes, the same texts in other strings), every
    /// record still holds its own role's cells.
    @Test("role cells kept per role give each record its own role's cells")
    func roleCellsOfManyRoles() throws {
        var model = AccessModel()
        var roles: [(name: String, id: String?)] = (0..<700).map { k in
            let name = k % 3 == 0 ? "R\(k)" : "Role number \(k), long enough to be kept out of line"
            return (name, "role-id-\(k)-" + String(repeating: "x", count: k % 40))
        }
        roles += [("Reader", nil), ("Reader", ""), ("Quoted \"role\"", "id,with,commas")]
        for k in 0..<3_000 {
            let role = roles[(k * 7) % roles.count]
            // The same texts in fresh strings too: equal texts, other words.
            let name = k % 2 == 0 ? role.name : String(decoding: Array(role.name.utf8), as: UTF8.self)
            model.assignments.append(
                Assignment(
                    principalId: "p-\(k / 5)", principalType: .user, roleId: role.id, roleName: name,
                    scope: Scope("/subscriptions/s-\(k % 13)")))
        }
        let source = AccessReviewSource(
            model: model, index: AccessReviewWorksheet.RiskIndex([]), members: { _ in [] }, privileged: { _ in nil })
        var written = CSVWriter(includeBOM: false)
        try source.write(parts: 0..<source.partCount, pseudonymizer: nil, into: &written)
        #expect(
            String(decoding: written.bytes, as: UTF8.self)
                == String(decoding: Self.rowBytes(source.rows, nil), as: UTF8.self))
    }
}
