import AccessRiskCSV
import AccessRiskModel
import Foundation
import Testing

@testable import AccessRiskRegister

@Suite("decisions import, diff, remediate")
struct DecisionImportTests {
    typealias F = Fixture
    let cycles = BuilderTests()

    /// A workspace holding cycle 1.
    func workspace(_ dir: TempDir) throws -> (Workspace, RegisterResult) {
        let ws = try Workspace.open(directory: dir.path + "/ws")
        let c1 = cycles.cycle1
        try ws.commitCycle(c1)
        return (ws, c1)
    }

    func write(_ text: String, _ dir: TempDir, _ name: String) throws -> String {
        let path = dir.path + "/" + name
        try AtomicFile.write(text, to: path)
        return path
    }

    var worksheetHeader: String {
        "principal_id,upn,role,scope,risk_ids,highest_severity,recommendation,decision,justification,reviewer,"
            + "reviewed_on,ticket"
    }

    @Test func oneBadRowImportsNothingAndIsNamedByLine() throws {
        let dir = TempDir()
        let (ws, _) = try workspace(dir)
        let a = F.id(cycles.a)
        let d = F.id(cycles.d)
        let e = F.id(cycles.e)
        let text = [
            worksheetHeader,
            "alice,alice@contoso.com,Owner,/subscriptions/s1,\(a),high,revoke,Revoke,left the company,boss@contoso.com,"
                + "2026-10-05,CHG-1",
            // Approving privileged access without a justification: refused.
            "dave,dave@contoso.com,Owner,/mg1,\(d),high,review,Approve,,boss@contoso.com,2026-10-05,",
            "eve,eve@contoso.com,Reader,/subscriptions/s1,\(e),medium,revoke,Deny,,boss@contoso.com,10/6/2026,",
            "zed,zed@contoso.com,Reader,/subscriptions/s1,,,approve,Approve,,boss@contoso.com,2026-10-05,",
            "yan,yan@contoso.com,Reader,/subscriptions/s1,,,approve,,,,,",
        ].joined(separator: "\r\n")
        let path = try write(text, dir, "access-review.csv")
        let result = try ws.importDecisions(path: path, partial: false, today: F.day("2026-10-07"))
        #expect(!result.appended)
        #expect(result.kind == "access-review")
        #expect(result.problems.count == 1)
        let p = try #require(result.problems.first)
        #expect(p.line == 3)
        #expect(p.column == "justification")
        #expect(p.description.contains("access-review.csv:3"))
        #expect(p.description.contains("approving privileged access needs a justification"))
        #expect(try ws.decisions().isEmpty)

        // With --partial the valid rows go in; the bad one stays out.
        let partial = try ws.importDecisions(path: path, partial: true, today: F.day("2026-10-07"))
        #expect(partial.appended)
        let log = try ws.decisions()
        #expect(log.map(\.riskId) == [a, e])
        #expect(log[0].decision == .revoke && log[0].decidedBy == "boss@contoso.com" && log[0].ticket == "CHG-1")
        #expect(log[1].decision == .revoke && log[1].decidedOn == F.day("2026-10-06"))
        #expect(log[0].cycle == "2026-Q3" && log[0].severityAtDecision == cycles.cycle1.row(a)!.severity)
        #expect(partial.undecided == 2)

        // Importing the same file again appends nothing new.
        let again = try ws.importDecisions(path: path, partial: true, today: F.day("2026-10-07"))
        #expect(again.decisions.isEmpty && again.duplicates == 2)
        #expect(try ws.decisions().count == 2)
    }

    @Test func registerImportValidatesEveryRule() throws {
        let dir = TempDir()
        let (ws, c1) = try workspace(dir)
        var rows = c1.rows
        let b = F.id(cycles.b)
        let c = F.id(cycles.c)
        for i in rows.indices {
            switch rows[i].riskId {
            case b:  // accept without expiry
                rows[i].treatment = .accept
                rows[i].decidedBy = "boss@contoso.com"
            case c:  // unknown decision word
                rows[i].decidedBy = "boss@contoso.com"
            default: break
            }
        }
        var text = String(decoding: RegisterCSV.bytes(rows), as: UTF8.self)
        let cLine = rows.firstIndex { $0.riskId == c }! + 2
        var lines = text.components(separatedBy: "\r\n")
        // Carol's row says "maybe" in the decision column.
        var cRow = rows[cLine - 2]
        cRow.decision = nil
        var cells = cRow.cells
        cells[RegisterRow.columns.firstIndex(of: "decision")!] = "maybe"
        var writer = CSVWriter(includeBOM: false)
        writer.writeRow(cells)
        lines[cLine - 1] = String(writer.text.dropLast(2))
        // And an unknown risk id.
        var unknown = rows[0].cells
        unknown[0] = "AR-000000000000"
        unknown[RegisterRow.columns.firstIndex(of: "decision")!] = "revoke"
        unknown[RegisterRow.columns.firstIndex(of: "decided_by")!] = "boss@contoso.com"
        var w2 = CSVWriter(includeBOM: false)
        w2.writeRow(unknown)
        lines.insert(String(w2.text.dropLast(2)), at: lines.count - 1)
        text = lines.joined(separator: "\r\n")
        let path = try write(text, dir, "risk-register.csv")
        let result = try ws.importDecisions(path: path, partial: false, today: F.day("2026-10-07"))
        #expect(!result.appended)
        #expect(result.kind == "risk-register")
        let messages = result.problems.map(\.description)
        #expect(messages.count == 3)
        #expect(messages.contains { $0.contains("an accepted risk needs an expiry date") })
        #expect(messages.contains { $0.contains(":\(cLine) (column decision)") && $0.contains("\"maybe\"") })
        #expect(messages.contains { $0.contains("unknown risk id AR-000000000000") })
        #expect(try ws.decisions().isEmpty)
    }

    @Test func diffOfTwoRegisters() throws {
        let c1 = cycles.cycle1
        let c2 = RegisterBuilder.build(
            findings: cycles.cycle2Findings, cycle: "2026-Q4", asOf: F.day("2026-12-31"),
            previous: PreviousState(rows: c1.rows), decisions: cycles.decisions(after: c1))
        let diff = RegisterDiff.compare(old: c1.rows, new: c2.rows)
        #expect(diff.old == "2026-Q3" && diff.new == "2026-Q4")
        #expect(diff.items[.resolved]?.map(\.riskId) == [F.id(cycles.e)])
        #expect(diff.items[.new]?.count == 4)
        #expect(Set(diff.items[.changed]?.map(\.riskId) ?? []) == [F.id(cycles.c), F.id(cycles.d)])
        #expect(diff.items[.changed]?.first?.previousSeverity == .high)
        #expect(diff.items[.persisting]?.count == 2)
        #expect(diff.counts[.changed]?[.critical] == 1)
        let data = try JSONEncoder().encode(diff)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let counts = object?["counts"] as? [String: [String: Int]]
        #expect(counts?["resolved"]?["total"] == 1)
        #expect(diff.text.contains("resolved (1):"))

        // Via CSV files, and with the old register's resolved risk gone from view: same answer.
        let old = try RegisterCSV.read(bytes: RegisterCSV.bytes(c1.rows), displayName: "old.csv")
        let new = try RegisterCSV.read(bytes: RegisterCSV.bytes(c2.rows), displayName: "new.csv")
        #expect(RegisterDiff.compare(old: old, new: new).items == diff.items)
        // Reopened.
        let back = RegisterDiff.compare(old: c2.rows, new: c1.rows)
        #expect(back.items[.reopened]?.map(\.riskId) == [F.id(cycles.e)])
    }

    @Test func remediationScriptCoversEveryLatestRevoke() {
        let c1 = cycles.cycle1
        var log = cycles.decisions(after: c1)
        // Alice: revoke, then approved later → no longer to remove.
        log.append(
            Decision(
                riskId: F.id(cycles.a), decidedOn: F.day("2026-11-01"), decidedBy: "boss", decision: .approve,
                justification: "rehired"))
        var entries = c1.entries
        let eIndex = entries.firstIndex { $0.row.riskId == F.id(cycles.e) }!
        entries[eIndex].details.assignmentIds = [
            "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/x1"
        ]
        // A revoked risk reached through a group.
        var viaGroup = F.finding("stale-account-access", "o'brien", role: "Contributor")
        viaGroup.viaGroups = ["ops-team", "all-staff"]
        let g = RegisterBuilder.build(
            findings: [viaGroup], cycle: "2026-Q3", asOf: F.day("2026-09-30"), previous: nil, decisions: [])
        entries += g.entries
        log.append(
            Decision(riskId: F.id(viaGroup), decidedOn: F.day("2026-10-05"), decidedBy: "boss", decision: .revoke))

        let plan = Remediation.plan(entries: entries, decisions: log)
        #expect(plan.targets.map(\.principalId) == ["eve", "o'brien"])
        let az = Remediation.script(plan, format: .az, cycle: "2026-Q3")
        #expect(
            az.contains(
                "az role assignment delete --ids '/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/x1'"
            ))
        #expect(az.contains("az ad group member remove --group 'ops-team' --member-id 'o'\\''brien'"))
        #expect(az.contains("# Generated for review: nothing here has been run."))
        #expect(az.contains("CHG-2"))
        #expect(!az.contains("alice"))
        let ps = Remediation.script(plan, format: .powershell, cycle: "2026-Q3")
        #expect(ps.contains("Remove-AzADGroupMember -GroupDisplayName 'ops-team' -MemberObjectId 'o''brien'"))
        #expect(
            ps.contains(
                "Remove-AzRoleAssignment -ObjectId 'eve' -RoleDefinitionName 'Reader' -Scope '/subscriptions/s1'"))
        // Every line is a comment, blank, or a command: nothing from the evidence escapes a comment.
        for line in az.split(separator: "\n", omittingEmptySubsequences: true) {
            #expect(line.hasPrefix("#") || line.hasPrefix("az ") || line == "set -u")
        }
    }
}
