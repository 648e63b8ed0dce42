import AccessRiskCSV
import AccessRiskModel
import Foundation
import Testing

@testable import AccessRiskRegister

@Suite("risk-register.csv (SPEC §7)")
struct RegisterCSVTests {
    typealias F = Fixture

    static let hostile = [
        "=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2", "@SUM(A1)", "\tTAB", "\rCR", "\nLF", "a,b;c\"d\"",
        "Zoë 東京 \u{1F600}", " spaced ", "line1\r\nline2",
    ]

    func hostileRow(_ i: Int, _ value: String) -> RegisterRow {
        RegisterRow(
            riskId: RiskIdentity.riskId(ruleId: "r", subjectKey: "\(i)"), ref: RiskIdentity.ref(number: i + 1),
            cycle: "2026-Q4", state: .new, ruleId: "guest-access", category: "over-privilege", title: value,
            severity: .high, level: .high, likelihood: 4, impact: 4, scoreFactors: "L3 base; +1 guest → L4",
            principalId: "p\(i)", principalName: value, principalType: "user", role: value, scope: "/subscriptions/s1",
            scopeLevel: "subscription", resource: "", asset: "", label: "", evidence: value,
            controls: ["NIST 800-53 AC-6", "PCI 7.2.4"], firstSeen: F.day("2026-10-01"), lastSeen: F.day("2026-12-31"),
            dueDate: F.day("2026-10-31"), slaStatus: .overdue, decision: .approve, treatment: .accept,
            justification: value, acceptedUntil: F.day("2027-01-31"), decidedBy: "r@x.com",
            decidedOn: F.day("2026-11-02"), ticket: "-T1", status: .accepted)
    }

    @Test func headerIsExactlyTheSpecColumns() {
        let text = String(decoding: RegisterCSV.bytes([]), as: UTF8.self)
        #expect(
            text
                == "\u{FEFF}risk_id,ref,cycle,state,rule_id,category,title,severity,level,likelihood,impact,"
                + "score_factors,principal_id,principal_name,principal_type,role,scope,scope_level,resource,asset,"
                + "label,evidence,controls,first_seen,last_seen,due_date,sla_status,decision,treatment,justification,"
                + "accepted_until,decided_by,decided_on,ticket,status,scheme_version\r\n")
        #expect(RegisterRow.columns.count == 36)
    }

    @Test func hostileValuesAreNeutralisedAndReadBackIntact() throws {
        let rows = Self.hostile.enumerated().map { hostileRow($0.offset, $0.element) }
        let bytes = RegisterCSV.bytes(rows)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""))
        #expect(text.contains(",'+1+1,"))
        #expect(text.contains(",'-2,"))
        #expect(text.contains(",'@SUM(A1),"))
        #expect(text.contains(",'-T1,"))
        // No cell starts with a formula trigger.
        #expect(!text.contains(",=") && !text.contains(",+") && !text.contains(",@"))
        let back = try RegisterCSV.read(bytes: bytes, displayName: "r.csv")
        #expect(back == rows)
    }

    @Test func readsAnExcelResaveWithSemicolonsNoBOMAndUSDates() throws {
        let header = RegisterRow.columns.joined(separator: ";")
        let row = [
            "AR-0123456789ab", "R-0007", "2026-Q4", "persisting", "stale-account-access", "stale-and-orphaned-access",
            "Stale", "medium", "Moderate", "3", "3", "L3 base → L3 | I3 base → I3", "u1", "User One", "user",
            "Owner", "/subscriptions/s1", "subscription", "", "", "", "'=evidence", "\"AC-2; PCI 8.2.6\"", "10/1/2026",
            "12/31/2026", "12/30/2026", "due_soon", "Approve", "", "ok", "", "boss@x.com", "11/2/2026", "", "approved",
            "nist80030-5x5@1",
        ].joined(separator: ";")
        let bytes = Array((header + "\n" + row + "\n").utf8)
        let rows = try RegisterCSV.read(bytes: bytes, displayName: "resaved.csv")
        #expect(rows.count == 1)
        let r = rows[0]
        #expect(r.ref == "R-0007" && r.state == .persisting && r.severity == .medium && r.level == .moderate)
        #expect(r.evidence == "=evidence")
        #expect(r.controls == ["AC-2", "PCI 8.2.6"])
        #expect(r.firstSeen == F.day("2026-10-01") && r.dueDate == F.day("2026-12-30"))
        #expect(r.decision == .approve && r.status == .approved && r.slaStatus == .dueSoon)
    }

    @Test func badCellsAreNamedByLineAndColumn() {
        var rows = [hostileRow(0, "x"), hostileRow(1, "y")]
        rows[1].ticket = "ok"
        var text = String(decoding: RegisterCSV.bytes(rows), as: UTF8.self)
        text = text.replacingOccurrences(of: ",high,High,", with: ",severe,High,")
        do {
            _ = try RegisterCSV.read(bytes: Array(text.utf8), displayName: "bad.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == "severity")
            #expect(error.description.hasPrefix("bad.csv:2 (column severity): \"severe\" is not a severity"))
        }
        #expect(throws: RegisterInputError.self) {
            try RegisterCSV.read(bytes: Array("a,b\n1,2\n".utf8), displayName: "other.csv")
        }
    }

    @Test func writesAtomicallyToAFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows = [hostileRow(0, "@x")]
        try RegisterCSV.write(rows, to: dir + "/risk-register.csv")
        #expect(try RegisterCSV.read(path: dir + "/risk-register.csv") == rows)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["risk-register.csv"])
    }
}
