import AccessRiskTestSupport
import Foundation
import Testing

/// Runs the real `accessrisk` binary, as a user would.
enum CLI {
    /// The executable built beside the test bundle.
    static var binary: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = testBinary.deletingLastPathComponent()
        // macOS puts the xctest bundle one level deeper (Contents/MacOS); Linux puts the executable beside it.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("accessrisk").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return TestSupport.repositoryRoot().appendingPathComponent(".build/debug/accessrisk").path
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestSupport.run(binary, arguments)
    }

    static func generate(_ profile: String, seed: Int = 5) throws -> URL {
        let dir = try TestSupport.temporaryDirectory("tenant-\(profile)")
        let r = try run([
            "generate", "--profile", profile, "--seed", "\(seed)", "--as-of", "2026-11-15", "--out", dir.path,
        ])
        precondition(r.status == 0, r.stderr)
        return dir
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

@Suite("accessrisk review, end to end", .serialized)
struct ReviewEndToEndTests {
    @Test(
        "a generated tenant yields exactly the planted number of findings for every rule",
        arguments: ["small", "medium"])
    func plantedCounts(_ profile: String) throws {
        let tenant = try CLI.generate(profile)
        let out = tenant.appendingPathComponent("report").path
        let r = try CLI.run([
            "review", tenant.appendingPathComponent("exports").path, "--as-of", "2026-11-15", "--no-workspace",
            "--out", out, "--json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try CLI.json(r.stdout)
        let byRule = try #require(summary["by_rule"] as? [String: Int])
        let expectedFile = try CLI.json(
            String(contentsOf: tenant.appendingPathComponent("expected-findings.json"), encoding: .utf8))
        let expected = try #require(expectedFile["expected_findings"] as? [String: Int])
        #expect(expected.count >= 40)
        for rule in Set(expected.keys).union(byRule.keys).sorted() {
            #expect(byRule[rule, default: 0] == expected[rule, default: 0], "\(rule)")
        }
        #expect((summary["rules_not_evaluated"] as? [String]) == [])
        for key in [
            "cycle", "as_of", "out", "open_findings", "by_severity", "by_state", "by_rule", "rules_not_evaluated",
            "rows_rejected",
        ] {
            #expect(summary[key] != nil, "--json lacks \(key)")
        }
        for file in [
            "risk-register.csv", "risk-assessment.md", "access-review.csv", "findings.json", "heatmap.svg",
            "manifest.json",
        ] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
    }

    @Test("the next cycle on the same inputs keeps every risk id and ref, with nothing new, changed or resolved")
    func stableAcrossCycles() throws {
        let tenant = try CLI.generate("small", seed: 11)
        let workspace = tenant.appendingPathComponent("ws").path
        let exports = tenant.appendingPathComponent("exports").path
        let first = try CLI.run([
            "review", exports, "--as-of", "2026-11-15", "--workspace", workspace, "--out",
            tenant.appendingPathComponent("r1").path, "--json",
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try CLI.run([
            "review", exports, "--as-of", "2026-11-16", "--cycle", "2026-Q4b", "--workspace", workspace, "--out",
            tenant.appendingPathComponent("r2").path, "--json",
        ])
        #expect(second.status == 0, "\(second.stderr)")
        let a = try CLI.json(first.stdout)
        let b = try CLI.json(second.stdout)
        let states = try #require(b["by_state"] as? [String: Int])
        #expect(states["new"] == 0)
        #expect(states["changed"] == 0, "evidence or severity moved although nothing changed")
        #expect(states["resolved"] == 0)
        #expect(states["persisting"] == (a["open_findings"] as? Int))
        func refs(_ dir: String) throws -> [String: String] {
            let text = try String(
                contentsOf: tenant.appendingPathComponent(dir + "/risk-register.csv"), encoding: .utf8)
            var out: [String: String] = [:]
            for line in text.split(whereSeparator: \.isNewline).dropFirst() {
                let cells = line.split(separator: ",", maxSplits: 2)
                if cells.count >= 2 {
                    out[String(cells[0]).replacingOccurrences(of: "\u{FEFF}", with: "")] = String(cells[1])
                }
            }
            return out
        }
        let r1 = try refs("r1")
        #expect(!r1.isEmpty)
        #expect(r1 == (try refs("r2")))
    }

    @Test("exit codes: 2 for an unrecognised input naming it, 1 for --fail-on, 64 for a usage error")
    func exitCodes() throws {
        let dir = try TestSupport.temporaryDirectory("bad-input")
        try "name,colour\nwidget,blue\n".write(
            to: dir.appendingPathComponent("inventory.csv"), atomically: true, encoding: .utf8)
        let bad = try CLI.run(["review", dir.path, "--no-workspace", "--out", dir.appendingPathComponent("o").path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("inventory.csv"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o/risk-register.csv").path))
        let inspect = try CLI.run(["inspect", dir.path, "--json"])
        #expect(inspect.status == 2)
        #expect(inspect.stdout.contains("\"kind\" : null"))

        let sample = TestSupport.repositoryRoot().appendingPathComponent("SampleData/exports").path
        let out = try TestSupport.temporaryDirectory("failon")
        let failing = try CLI.run([
            "review", sample, "--as-of", "2026-11-15", "--no-workspace", "--out", out.path, "--fail-on", "critical",
            "--quiet",
        ])
        #expect(failing.status == 1)
        #expect(failing.stdout.isEmpty, "--quiet prints nothing")
        #expect(try CLI.run(["review"]).status == 64)
        #expect(try CLI.run(["review", sample, "--fail-on", "severe"]).status == 64)
        let badDate = try CLI.run(["review", sample, "--as-of", "15/11/2026", "--no-workspace", "--out", out.path])
        #expect(badDate.status == 64 || badDate.status == 2)
        #expect(badDate.stderr.contains("--as-of"))
    }

    @Test("--pseudonymize leaves no real name or UPN in any output, and the same name gets the same pseudonym")
    func pseudonymizeEverything() throws {
        let root = TestSupport.repositoryRoot()
        let out = try TestSupport.temporaryDirectory("pseudo")
        let r = try CLI.run([
            "review", root.appendingPathComponent("SampleData/exports").path, "--previous",
            root.appendingPathComponent("SampleData/previous-cycle/risk-register-2026-Q3.csv").path, "--policy",
            root.appendingPathComponent("SampleData/policy.json").path, "--as-of", "2026-11-15", "--no-workspace",
            "--out", out.path, "--pseudonymize", "quarterly-secret-key",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        // Every display name and UPN of the demo directory.
        let users = try String(
            contentsOf: root.appendingPathComponent("SampleData/exports/entra/users.csv"), encoding: .utf8)
        var secrets: Set<String> = []
        for line in users.split(whereSeparator: \.isNewline).dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            if cells.count > 2 {
                secrets.insert(String(cells[1]))
                secrets.insert(String(cells[2]))
            }
        }
        #expect(secrets.count > 60)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(files.count >= 6)
        for file in files {
            let text = try String(contentsOfFile: out.path + "/" + file, encoding: .utf8)
            for secret in secrets where text.contains(secret) { Issue.record("\(file) contains \(secret)") }
        }
        for secret in secrets where r.stdout.contains(secret) { Issue.record("the terminal summary shows \(secret)") }
    }
}
