import AccessRiskModel
import Foundation
import Testing

@testable import AccessRiskRegister

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh temporary directory, removed at the end of the test.
final class TempDir {
    let path: String
    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("accessrisk-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

struct Simulated: Error {}

@Suite("Workspace (SQLite via GRDB)")
struct WorkspaceTests {
    typealias F = Fixture
    let cycles = BuilderTests()

    func cycle1() -> RegisterResult { cycles.cycle1 }

    @Test func storesAndReadsBackACycle() throws {
        let dir = TempDir()
        let ws = try Workspace.open(directory: dir.path + "/ws")
        #expect(try ws.latestCycle() == nil)
        #expect(try ws.previousState(before: "2026-Q3", asOf: F.day("2026-09-30")) == nil)
        let c1 = cycle1()
        let inputs = [
            InputManifestEntry(
                path: "in/roles.csv", sha256: String(repeating: "a", count: 64), format: "azure-portal-iam",
                kind: "assignments", rowsRead: 10, rowsUsed: 9, rowsRejected: 1)
        ]
        try ws.commitCycle(c1, inputs: inputs, toolVersion: "0.1.0")
        let latest = try #require(try ws.latestCycle())
        #expect(latest.label == "2026-Q3" && latest.asOf == F.day("2026-09-30"))
        #expect(latest.schemeVersion == "nist80030-5x5@1")
        #expect(try ws.registerRows(cycle: "2026-Q3") == c1.rows)
        let entries = try ws.entries(cycle: "2026-Q3")
        #expect(entries.map(\.finding) == c1.entries.map(\.finding))
        #expect(entries.map(\.details) == c1.entries.map(\.details))
        #expect(try ws.inputs(cycle: "2026-Q3") == inputs)
        #expect(try ws.refs().count == 5)

        // Reopening finds the same state.
        let again = try Workspace.open(directory: dir.path + "/ws", create: false)
        #expect(try again.registerRows(cycle: "2026-Q3") == c1.rows)
        #expect(throws: WorkspaceError.self) { try Workspace.open(directory: dir.path + "/none", create: false) }
    }

    @Test func decisionLogIsAppendOnly() throws {
        let dir = TempDir()
        let ws = try Workspace.open(directory: dir.path)
        let c1 = cycle1()
        try ws.commitCycle(c1)
        let log = cycles.decisions(after: c1)
        try ws.appendDecisions(log, source: "test")
        let stored = try ws.decisions()
        #expect(stored.count == 5)
        #expect(stored.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(
            stored.map {
                var d = $0; d.sequence = nil; return d
            }
                == log.map {
                    var d = $0; d.sequence = nil; return d
                })
        for sql in ["UPDATE decision SET decision = 'approve'", "DELETE FROM decision"] {
            do {
                try ws.queue.write { db in try db.execute(sql: sql) }
                Issue.record("\(sql) was allowed")
            } catch {
                #expect("\(error)".contains("the decision log is append-only"))
            }
        }
        #expect(try ws.decisions().count == 5)

        // Invalid decisions are refused as a batch.
        let privilegedApprove = Decision(
            riskId: F.id(cycles.d), decidedOn: F.day("2026-10-09"), decidedBy: "boss", decision: .approve)
        let fine = Decision(
            riskId: F.id(cycles.c), decidedOn: F.day("2026-10-09"), decidedBy: "boss", decision: .revoke)
        #expect(throws: WorkspaceError.self) { try ws.appendDecisions([fine, privilegedApprove]) }
        #expect(try ws.decisions().count == 5)
    }

    @Test func aFailureInsideTheTransactionLeavesThePreviousStateAndTheNextCommitSucceeds() throws {
        let dir = TempDir()
        let ws = try Workspace.open(directory: dir.path)
        let c1 = cycle1()
        try ws.commitCycle(c1)
        let log = cycles.decisions(after: c1)
        try ws.appendDecisions(log)
        let previous = try #require(try ws.previousState(before: "2026-Q4", asOf: F.day("2026-12-31")))
        let c2 = RegisterBuilder.build(
            findings: cycles.cycle2Findings, cycle: "2026-Q4", asOf: F.day("2026-12-31"), previous: previous,
            decisions: try ws.decisions())

        #expect(throws: WorkspaceError.self) {
            try ws.commitCycle(c2, inputs: [], toolVersion: "", beforeCommit: { _ in throw Simulated() })
        }
        #expect(try ws.cycles().map(\.label) == ["2026-Q3"])
        #expect(try ws.registerRows(cycle: "2026-Q4").isEmpty)
        #expect(try ws.refs().count == 5)
        #expect(try ws.registerRows(cycle: "2026-Q3") == c1.rows)

        try ws.commitCycle(c2)
        #expect(try ws.cycles().map(\.label) == ["2026-Q3", "2026-Q4"])
        #expect(try ws.registerRows(cycle: "2026-Q4") == c2.rows)
        #expect(try ws.refs().count == 9)
        let summaries = try ws.cycleSummaries()
        #expect(summaries.map(\.cycle.label) == ["2026-Q3", "2026-Q4"])
        #expect(summaries[0].byState == [.new: 5])
        #expect(summaries[1].byState == c2.countsByState)
        #expect(summaries[1].bySeverity == c2.countsBySeverity)
        #expect(summaries[1].open == c2.openEntries.count)
        let stored = try ws.entries(cycle: "2026-Q4")
        #expect(stored.first { $0.row.state == .resolved }?.resolvedThisCycle == true)
        #expect(stored.first { $0.row.riskId == F.id(cycles.d) }?.lapse == .severityRose)
    }

    /// A process killed in the middle of a commit: the database file and its rollback journal are copied while the
    /// transaction is open (with a tiny page cache, so changed pages have already been written to the database
    /// file), which is what the disk holds if the process dies at that moment. Opening the copy rolls the journal
    /// back: the previous cycle is intact and the next commit works.
    @Test func aCrashMidCommitLeavesThePreviousState() throws {
        let dir = TempDir()
        let live = dir.path + "/live"
        let crashed = dir.path + "/crashed"
        let ws = try Workspace.open(directory: live, create: true, cachePages: 2)
        let c1 = cycle1()
        try ws.commitCycle(c1)
        let many = (0..<2000).map {
            F.finding("guest-access", "user\($0)", evidence: String(repeating: "x", count: 200))
        }
        let big = RegisterBuilder.build(
            findings: many, cycle: "2026-Q4", asOf: F.day("2026-12-31"),
            previous: try ws.previousState(before: "2026-Q4", asOf: F.day("2026-12-31")), decisions: [])
        var journalSeen = false
        #expect(throws: WorkspaceError.self) {
            try ws.commitCycle(
                big, inputs: [], toolVersion: "",
                beforeCommit: { _ in
                    let fm = FileManager.default
                    try fm.createDirectory(atPath: crashed, withIntermediateDirectories: true)
                    for suffix in ["", "-journal", "-wal"] {
                        let source = live + "/" + Workspace.fileName + suffix
                        if fm.fileExists(atPath: source) {
                            try fm.copyItem(atPath: source, toPath: crashed + "/" + Workspace.fileName + suffix)
                            if suffix == "-journal" { journalSeen = true }
                        }
                    }
                    throw Simulated()
                })
        }
        #expect(journalSeen)
        let recovered = try Workspace.open(directory: crashed, create: false)
        #expect(try recovered.cycles().map(\.label) == ["2026-Q3"])
        #expect(try recovered.registerRows(cycle: "2026-Q3") == c1.rows)
        #expect(try recovered.refs().count == 5)
        try recovered.commitCycle(big)
        #expect(try recovered.registerRows(cycle: "2026-Q4").count == 2000 + 5)
    }

    @Test func reRunningACycleReplacesItsRowsAndKeepsRefs() throws {
        let dir = TempDir()
        let ws = try Workspace.open(directory: dir.path)
        let c1 = cycle1()
        try ws.commitCycle(c1)
        let fewer = RegisterBuilder.build(
            findings: [cycles.a], cycle: "2026-Q3", asOf: F.day("2026-09-30"),
            previous: try ws.previousState(before: "2026-Q3", asOf: F.day("2026-09-30")), decisions: [])
        try ws.commitCycle(fewer)
        #expect(fewer.rows.map(\.state) == [.new])
        #expect(fewer.rows.map(\.ref) == [c1.row(F.id(cycles.a))!.ref])
        #expect(try ws.cycles().count == 1)
        #expect(try ws.registerRows(cycle: "2026-Q3").count == 1)
        #expect(try ws.refs().count == 5)
        #expect(try ws.knownRisks().count == 1)
    }

    @Test func reviewCycleFlagsARevokedAssignmentStillPresentAfterItsFindingWentAway() throws {
        let dir = TempDir()
        let ws = try Workspace.open(directory: dir.path)
        let c1 = try ws.reviewCycle(
            findings: [cycles.a, cycles.b], cycle: "2026-Q3", asOf: F.day("2026-09-30"),
            assignmentIds: [
                cycles.a.grantKeys[0]: "/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/a1"
            ])
        #expect(c1.entry(F.id(cycles.a))?.details.assignmentIds.count == 1)
        try ws.appendDecisions([
            Decision(
                riskId: F.id(cycles.a), decidedOn: F.day("2026-10-02"), decidedBy: "boss", decision: .revoke,
                cycle: "2026-Q3", severityAtDecision: .medium)
        ])
        // Alice signed in, so the stale finding is gone, but her Owner assignment is still in the export.
        let c2 = try ws.reviewCycle(
            findings: [cycles.b], cycle: "2026-Q4", asOf: F.day("2026-12-31"),
            presentGrantKeys: Set(cycles.a.grantKeys + cycles.b.grantKeys))
        #expect(c2.row(F.id(cycles.a))?.state == .resolved)
        let raised = c2.rows(rule: "revocation-not-applied")
        #expect(raised.count == 1)
        #expect(raised.first?.principalId == "alice" && raised.first?.impact == c1.row(F.id(cycles.a))?.impact)
        #expect(try ws.registerRows(cycle: "2026-Q4") == c2.rows)

        // The assignment is gone in the next export: the follow-up resolves.
        let c3 = try ws.reviewCycle(
            findings: [cycles.b], cycle: "2027-Q1", asOf: F.day("2027-03-31"),
            presentGrantKeys: Set(cycles.b.grantKeys))
        #expect(c3.rows(rule: "revocation-not-applied").map(\.state) == [.resolved])
    }

    #if os(Linux)
        static let crashDirVariable = "ACCESSRISK_TEST_CRASH_WORKSPACE"

        /// The child's half of ``aChildProcessKilledMidCommitLeavesThePreviousState``: does nothing unless the
        /// parent set the variable; then it starts committing a large cycle and kills itself inside the transaction.
        @Test func crashChildHelper() throws {
            guard let dir = ProcessInfo.processInfo.environment[Self.crashDirVariable] else { return }
            let ws = try Workspace.open(directory: dir, create: false, cachePages: 2)
            let many = (0..<2000).map {
                F.finding("guest-access", "user\($0)", evidence: String(repeating: "y", count: 200))
            }
            let big = RegisterBuilder.build(
                findings: many, cycle: "2026-Q4", asOf: F.day("2026-12-31"),
                previous: try ws.previousState(before: "2026-Q4", asOf: F.day("2026-12-31")), decisions: [])
            try ws.commitCycle(big, inputs: [], toolVersion: "", beforeCommit: { _ in kill(getpid(), SIGKILL) })
        }

        /// A real crash: a child process (this test binary, running ``crashChildHelper``) is killed with SIGKILL
        /// in the middle of a commit. The workspace still holds exactly the previous cycle, and commits again.
        @Test func aChildProcessKilledMidCommitLeavesThePreviousState() throws {
            let dir = TempDir()
            let ws = try Workspace.open(directory: dir.path)
            let c1 = cycle1()
            try ws.commitCycle(c1)
            try ws.appendDecisions(cycles.decisions(after: c1))

            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            child.arguments = ["--testing-library", "swift-testing", "--filter", "crashChildHelper"]
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SWT_") }
            environment[Self.crashDirVariable] = dir.path
            child.environment = environment
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)
            #expect(child.terminationStatus == SIGKILL)

            let after = try Workspace.open(directory: dir.path, create: false)
            #expect(try after.cycles().map(\.label) == ["2026-Q3"])
            #expect(try after.registerRows(cycle: "2026-Q3") == c1.rows)
            #expect(try after.refs().count == 5)
            #expect(try after.decisions().count == 5)
            let c2 = try after.reviewCycle(findings: cycles.cycle2Findings, cycle: "2026-Q4", asOf: F.day("2026-12-31"))
            #expect(try after.registerRows(cycle: "2026-Q4") == c2.rows)
        }
    #endif
}
