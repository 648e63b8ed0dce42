import AccessRiskCSV
import AccessRiskModel
import AccessRiskRegister
import AccessRiskReports

/// A small tenant with hostile display names, as the reports receive it.
enum ReportFixture {
    static let asOf = Timestamp(year: 2026, month: 11, day: 15)!
    static let hostileName = "=HYPERLINK(\"http://x\",\"y\")"
    static let tableBreaker = "| bad | table |"

    static var model: AccessModel {
        var m = AccessModel()
        m.add(
            Principal(
                id: "11111111-1111-1111-1111-111111111111", upn: "ann.lee@contoso.example", displayName: hostileName,
                type: .user, enabled: true, lastSignIn: Timestamp(year: 2026, month: 5, day: 1)))
        m.add(
            Principal(
                id: "22222222-2222-2222-2222-222222222222", upn: "guest_fabrikam.example#EXT#@contoso.example",
                displayName: tableBreaker, type: .user, isGuest: true, enabled: true))
        m.add(Principal(id: "33333333-3333-3333-3333-333333333333", displayName: "sg-admins", type: .group))
        m.memberships = [
            Membership(
                groupId: "33333333-3333-3333-3333-333333333333", memberId: "22222222-2222-2222-2222-222222222222")
        ]
        let sub = Scope("/subscriptions/aaaaaaaa-0000-0000-0000-000000000001")
        m.assignments = [
            Assignment(
                id: "ra-1", principalId: "11111111-1111-1111-1111-111111111111", principalName: hostileName,
                principalUPN: "ann.lee@contoso.example", principalType: .user,
                roleId: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", roleName: "Owner", scope: sub),
            Assignment(
                id: "ra-2", principalId: "33333333-3333-3333-3333-333333333333", principalName: "sg-admins",
                principalType: .group, roleId: "acdd72a7-3385-48ef-bd42-f606fba81ae7", roleName: "Reader",
                scope: Scope(sub.original + "/resourceGroups/rg-web")),
        ]
        m.assets = [
            Asset(
                assetId: "/db/Sales.Customer.Email", name: "Email", type: "sql_column", resourceId: "/db",
                label: "Confidential"),
            Asset(assetId: "/db/Sales.Customer.Phone", name: "Phone", type: "sql_column", resourceId: "/db"),
        ]
        m.inputsPresent = [.assignments, .principals, .memberships, .assets]
        return m
    }

    static func risk(_ columns: [String: String]) -> [String: String] {
        var base: [String: String] = [
            "cycle": "2026-Q4", "category": "stale-and-orphaned-access", "level": "Moderate", "likelihood": "3",
            "impact": "3", "principal_type": "user", "scope_level": "subscription", "first_seen": "2026-11-15",
            "last_seen": "2026-11-15", "status": "open", "scheme_version": RiskMatrix.schemeVersion,
        ]
        for (k, v) in columns { base[k] = v }
        return base
    }

    static var registerRows: [[String: String]] {
        [
            risk([
                "risk_id": "AR-0123456789ab", "ref": "R-0001", "state": "new", "rule_id": "stale-account-access",
                "title": "Stale account holds a role", "severity": "high", "level": "High", "likelihood": "4",
                "impact": "4", "score_factors": "L3 base; +1 stale → L4 | I3 base; +1 subscription scope → I4",
                "principal_id": "11111111-1111-1111-1111-111111111111", "principal_name": hostileName,
                "role": "Owner", "scope": "/subscriptions/aaaaaaaa-0000-0000-0000-000000000001",
                "evidence": "\(hostileName) last signed in 2026-05-01 (198 days before 2026-11-15)",
                "controls": "NIST 800-53 AC-2(3);ISO 27001 A.5.18", "due_date": "2026-12-15", "sla_status": "within",
            ]),
            risk([
                "risk_id": "AR-abcdef012345", "ref": "R-0002", "state": "persisting", "rule_id": "guest-access",
                "category": "over-privilege", "title": "Guest holds a role", "severity": "medium",
                "principal_id": "22222222-2222-2222-2222-222222222222", "principal_name": tableBreaker,
                "role": "Reader", "scope": "/subscriptions/aaaaaaaa-0000-0000-0000-000000000001/resourceGroups/rg-web",
                "scope_level": "resource_group", "evidence": "\(tableBreaker) is a guest, through group sg-admins",
                "controls": "ISO 27001 A.5.18", "first_seen": "2026-08-01", "due_date": "2026-10-30",
                "sla_status": "overdue", "decision": "approve", "treatment": "accept", "accepted_until": "2026-12-01",
                "justification": "-contractor until December", "decided_by": "ann.lee@contoso.example",
                "decided_on": "2026-09-01",
            ]),
            risk([
                "risk_id": "AR-fedcba987654", "ref": "R-0003", "state": "resolved", "rule_id": "orphaned-assignment",
                "title": "Orphaned assignment", "severity": "low", "level": "Low", "likelihood": "2", "impact": "3",
                "principal_id": "44444444-4444-4444-4444-444444444444", "role": "Contributor",
                "scope": "/subscriptions/aaaaaaaa-0000-0000-0000-000000000001", "evidence": "principal not found",
                "first_seen": "2026-05-20", "last_seen": "2026-08-20", "status": "resolved",
            ]),
        ]
    }

    static var rules: [RuleStatusNote] {
        [
            RuleStatusNote(
                id: "stale-account-access", title: "Stale account holds a role", category: .staleAccess,
                rationale: "Accounts nobody uses are taken over unnoticed.", evaluated: true, missingInputs: [],
                findings: 1),
            RuleStatusNote(
                id: "guest-access", title: "Guest holds a role", category: .overPrivilege,
                rationale: "Guests are outside the organisation's lifecycle.", evaluated: true, missingInputs: [],
                findings: 1),
            RuleStatusNote(
                id: "aws-root-access-key", title: "AWS root user has an access key", category: .aws,
                rationale: "Root keys cannot be scoped.", evaluated: false, missingInputs: ["aws-credentials"],
                findings: 0),
        ]
    }

    /// The rows as the register reads them back from its own CSV.
    static var risks: [RegisterRow] {
        var writer = CSVWriter(includeBOM: false)
        writer.writeRow(RegisterRow.columns)
        for row in registerRows { writer.writeRow(RegisterRow.columns.map { row[$0] ?? "" }) }
        do {
            return try RegisterCSV.read(bytes: writer.bytes, displayName: "fixture")
        } catch {
            fatalError("fixture register does not parse: \(error)")
        }
    }

    static func data(model: AccessModel = model) -> ReportData {
        let risks = Self.risks
        let finding = Finding(
            ruleId: "stale-account-access", category: .staleAccess, title: "Stale account holds a role",
            subjectKey:
                "11111111-1111-1111-1111-111111111111|8e3af657-a8ff-443c-a75c-2fe8c4bcb635|/subscriptions/aaaaaaaa-0000-0000-0000-000000000001",
            principalId: "11111111-1111-1111-1111-111111111111", principalName: hostileName,
            principalUPN: "ann.lee@contoso.example", principalType: .user, role: "Owner",
            scope: "/subscriptions/aaaaaaaa-0000-0000-0000-000000000001", scopeLevel: .subscription,
            evidence: "\(hostileName) last signed in 2026-05-01", baseLikelihood: 3, baseImpact: 3)
        let grantRisks = [
            GrantRisk(
                grantKey:
                    "11111111-1111-1111-1111-111111111111|8e3af657-a8ff-443c-a75c-2fe8c4bcb635|/subscriptions/aaaaaaaa-0000-0000-0000-000000000001",
                riskId: "AR-0123456789ab", ruleId: "stale-account-access", severity: .high),
            GrantRisk(
                grantKey:
                    "22222222-2222-2222-2222-222222222222|acdd72a7-3385-48ef-bd42-f606fba81ae7|/subscriptions/aaaaaaaa-0000-0000-0000-000000000001/resourcegroups/rg-web",
                riskId: "AR-abcdef012345", ruleId: "guest-access", severity: .medium),
        ]
        let review = AccessReviewWorksheet.build(
            model: model, risks: grantRisks,
            members: { group in
                model.memberships.filter { $0.groupId == group }.map { ($0.memberId, [group]) }
            },
            privileged: { $0.roleName == "Owner" })
        return ReportData(
            toolVersion: "0.0.0-test", schemeVersion: RiskMatrix.schemeVersion, cycle: "2026-Q4",
            previousCycle: "2026-Q3", asOf: asOf,
            inputs: [
                InputSummary(
                    path: "exports/role-assignments.csv", sha256: String(repeating: "a", count: 64),
                    format: "azure-powershell-role-assignments", kind: "assignments", rowsRead: 3, rowsUsed: 2,
                    rowsRejected: 1, duplicates: 0)
            ],
            risks: risks, findings: [("AR-0123456789ab", finding)], rules: rules,
            exclusions: [
                ExclusionNote(
                    principal: "breakglass@contoso.example", reason: "Break-glass account", suppressedFindings: 2)
            ],
            rejectedRows: [
                RejectedRowNote(
                    file: "exports/role-assignments.csv", line: 4, column: "Scope", reason: "empty required field")
            ],
            accessReview: AccessReviewSource(rows: review), model: model, timings: [])
    }
}
