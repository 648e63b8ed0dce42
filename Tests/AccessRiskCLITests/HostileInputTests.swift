import AccessRiskTestSupport
import Foundation
import Testing

/// SPEC §9 robustness, through the real binary: every hostile file ends in exit 0 or 2 within seconds, never a
/// signal or a hang, with a message naming the file, and with rows read = used + rejected.
@Suite("Hostile inputs", .serialized)
struct HostileInputTests {
    static let header =
        "\"RoleAssignmentName\",\"RoleAssignmentId\",\"Scope\",\"DisplayName\",\"SignInName\",\"RoleDefinitionName\","
        + "\"RoleDefinitionId\",\"ObjectId\",\"ObjectType\",\"CanDelegate\",\"Description\",\"ConditionVersion\",\"Condition\"\r\n"
    static let row =
        "\"a1\",\"/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a1\",\"/subscriptions/s1\","
        + "\"Ann\",\"ann@contoso.example\",\"Reader\",\"acdd72a7-3385-48ef-bd42-f606fba81ae7\","
        + "\"11111111-1111-1111-1111-111111111111\",\"User\",\"False\",\"\",\"\",\"\"\r\n"

    static func users(_ rows: [String]) -> String {
        "id,upn,display_name,type,user_type,enabled,created_on,last_sign_in\n" + rows.joined(separator: "\n") + "\n"
    }

    /// Name → file bytes.
    static var corpus: [(String, [UInt8])] {
        let full = Array((header + row + row.replacingOccurrences(of: "a1", with: "a2")).utf8)
        var cases: [(String, [UInt8])] = [
            ("truncated-mid-quote.csv", Array(full.prefix(full.count - 40))),
            ("truncated-mid-utf8.csv", Array((header + row).utf8) + Array("\"é".utf8).prefix(2)),
            ("invalid-utf8.csv", Array(header.utf8) + Array(row.utf8).map { $0 == UInt8(ascii: "A") ? 0xFF : $0 }),
            ("nul-bytes.csv", Array(header.utf8) + Array(row.utf8).map { $0 == UInt8(ascii: "n") ? 0 : $0 }),
            ("empty.csv", []),
            ("header-only.csv", Array(header.utf8)),
            (
                "png-named.csv",
                [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array(repeating: 7, count: 64)
            ),
            ("mixed-delimiters.csv", Array((header + row.replacingOccurrences(of: "\",\"", with: "\";\"")).utf8)),
            ("cr-only.csv", Array((header + row).replacingOccurrences(of: "\r\n", with: "\r").utf8)),
            ("utf16-no-bom.csv", Array((header + row).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })),
            ("csv-named.json", Array((header + row).utf8)),
            ("json-named.csv", Array("[{\"principalId\": \"x\", \"roleDefinitionName\": \"Reader\"}]".utf8)),
            (
                "dates-out-of-range.csv",
                Array(
                    users(["u1,u1@c.example,U1,user,member,true,9999-99-99,1/1/0001 0:00:00 AM", "u2,,,user,,,-1,"])
                        .utf8)
            ),
            (
                "huge-and-negative.csv",
                Array(users(["u3,u3@c.example,U3,user,member,true,2026-01-01T00:00:00+99:99,2026-13-45"]).utf8)
            ),
            (
                "bad-guids.csv",
                Array((header + row.replacingOccurrences(of: "11111111-1111", with: "{not a guid")).utf8)
            ),
        ]
        cases.append(
            (
                "ten-mb-field.csv",
                Array((header + "\"a3\",\"" + String(repeating: "x", count: 10_000_000) + "\"\r\n").utf8)
            ))
        cases.append(("million-columns.csv", Array((String(repeating: "c,", count: 999_999) + "c\n1\n").utf8)))
        return cases
    }

    @Test("inspect ends each hostile file with exit 0 or 2, a named file, and every row accounted for")
    func inspectEachCase() throws {
        let dir = try TestSupport.temporaryDirectory("hostile")
        for (name, bytes) in Self.corpus {
            let path = dir.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            let started = Date()
            let r = try CLI.run(["inspect", path, "--json"])
            let seconds = Date().timeIntervalSince(started)
            #expect(r.status == 0 || r.status == 2, "\(name): exit \(r.status) \(r.stderr)")
            #expect(seconds < 30, "\(name) took \(seconds) s")
            let reports = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
            let report = try #require(reports?.first, "\(name): no JSON report")
            let read = report["rows_read"] as? Int ?? -1
            let used = report["rows_used"] as? Int ?? -1
            let rejected = report["rows_rejected"] as? Int ?? -1
            #expect(read == used + rejected, "\(name): \(read) read ≠ \(used) used + \(rejected) rejected")
            if report["kind"] is NSNull || rejected > 0 {
                let problems = report["problems"] as? [String] ?? []
                #expect(!problems.isEmpty, "\(name): rejected without a reason")
            }
        }
    }

    @Test("review survives 100-level nested groups and a membership cycle")
    func deepAndCyclicGroups() throws {
        let dir = try TestSupport.temporaryDirectory("groups")
        var members = "group_id,member_id\n"
        for level in 0..<100 { members += "g\(level),g\(level + 1)\n" }
        members += "g100,u1\n"
        members += "c1,c2\nc2,c3\nc3,c1\nc3,u1\n"
        try members.write(to: dir.appendingPathComponent("members.csv"), atomically: true, encoding: .utf8)
        try Self.users(["u1,u1@c.example,U1,user,member,true,2020-01-01,2026-11-01"]).write(
            to: dir.appendingPathComponent("users.csv"), atomically: true, encoding: .utf8)
        try """
        principal_id,principal_name,principal_type,role_id,role_name,scope,assignment_type
        g0,deep,group,8e3af657-a8ff-443c-a75c-2fe8c4bcb635,Owner,/subscriptions/s1,active
        c1,cyclic,group,b24988ac-6180-42a0-ab88-20f7382dd24c,Contributor,/subscriptions/s1,active

        """.write(to: dir.appendingPathComponent("assignments.csv"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out").path
        let r = try CLI.run(["review", dir.path, "--as-of", "2026-11-15", "--no-workspace", "--out", out, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        // The one owner sits 101 levels down; the owner count reaches it and names the whole chain.
        let findings = try CLI.json(String(contentsOfFile: out + "/findings.json", encoding: .utf8))
        let entries = try #require(findings["findings"] as? [[String: Any]])
        let owner = entries.compactMap { $0["finding"] as? [String: Any] }.first {
            $0["ruleId"] as? String == "single-subscription-owner"
        }
        let evidence = try #require(owner?["evidence"] as? String)
        #expect(evidence.contains("U1"))
        #expect(evidence.contains("g0 → g1") && evidence.contains("g99 → g100"))
        let summary = try CLI.json(r.stdout)
        #expect((summary["by_rule"] as? [String: Int])?["single-subscription-owner"] == 1)
    }

    @Test("killing review at random points leaves the workspace at the old cycle or the new one, never half")
    func killDuringReview() throws {
        let tenant = try CLI.generate("small", seed: 21)
        let exports = tenant.appendingPathComponent("exports").path
        let workspace = tenant.appendingPathComponent("ws").path
        let out = tenant.appendingPathComponent("out").path
        let first = try CLI.run([
            "review", exports, "--as-of", "2026-11-15", "--workspace", workspace, "--out", out, "--quiet",
        ])
        #expect(first.status == 0, "\(first.stderr)")
        // How long an uninterrupted second cycle takes, and what it commits.
        let reference = tenant.appendingPathComponent("ref-ws").path
        try FileManager.default.copyItem(atPath: workspace, toPath: reference)
        let started = Date()
        let full = try CLI.run([
            "review", exports, "--as-of", "2027-02-15", "--workspace", reference, "--out", out + "-ref", "--quiet",
        ])
        #expect(full.status == 0)
        let duration = Date().timeIntervalSince(started)
        let complete = try Self.cycles(reference)
        #expect(complete.count == 2)

        for attempt in 0..<6 {
            let ws = tenant.appendingPathComponent("ws-\(attempt)").path
            try FileManager.default.copyItem(atPath: workspace, toPath: ws)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = [
                "review", exports, "--as-of", "2027-02-15", "--workspace", ws, "--out", out + "-\(attempt)", "--quiet",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: duration * Double(attempt + 1) / 7)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let after = try Self.cycles(ws)
            #expect(
                after == Array(complete.prefix(1)) || after == complete,
                "attempt \(attempt): workspace holds \(after), expected the old cycle or both")
            // No output file is half-written: each one there parses completely.
            for file in (try? FileManager.default.contentsOfDirectory(atPath: out + "-\(attempt)")) ?? [] {
                let path = out + "-\(attempt)/" + file
                if file.hasSuffix(".json") {
                    #expect(
                        (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))) != nil,
                        "\(file) half-written")
                } else if file.hasSuffix(".csv") {
                    let text = try String(contentsOfFile: path, encoding: .utf8)
                    #expect(text.hasSuffix("\r\n"), "\(file) does not end with a complete record")
                } else if file.hasSuffix(".svg") {
                    #expect(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("</svg>\n"))
                }
                // A temporary `.name.tmp-XXXXXX` may remain (SIGKILL leaves no chance to clean up): never an output.
            }
            // The next review after a kill succeeds.
            let next = try CLI.run([
                "review", exports, "--as-of", "2027-02-15", "--workspace", ws, "--out", out + "-\(attempt)", "--quiet",
            ])
            #expect(next.status == 0, "attempt \(attempt): \(next.stderr)")
            #expect(try Self.cycles(ws) == complete)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: out + "-\(attempt)").filter {
                $0.hasPrefix(".")
            }
            #expect(leftovers.isEmpty, "the next review removes what a killed one left: \(leftovers)")
        }
    }

    /// (label, register rows) of every cycle in a workspace, read with Python's sqlite3 (an independent reader).
    static func cycles(_ workspace: String) throws -> [String] {
        let script = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            for label, n in db.execute("SELECT c.label, (SELECT count(*) FROM register_row r WHERE r.cycle_id = c.id)"
                                       " FROM cycle c ORDER BY c.as_of, c.id"):
                print(f"{label}:{n}")
            """
        let r = try TestSupport.run("/usr/bin/env", ["python3", "-c", script, workspace + "/workspace.sqlite"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }
}
