import AccessRiskModel
import AccessRiskTestSupport
import Foundation
import Testing

@testable import AccessRiskImport

@Suite("Reading files on both cores")
struct ParallelImportTests {
    static let fixtureNames: [String] = {
        let dir = URL(fileURLWithPath: Fixture.path("empty.csv")).deletingLastPathComponent().path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }()

    static let sharedNames = [
        "aws-credential-report.csv", "az-role-assignment-list.json", "entra-download-users-2021.csv",
        "entra-download-users-2025-preview-REDACTED.csv", "macie-findings-export.json",
        "sql-classification-default-policy.csv", "sql-classification-keyword-patterns.csv",
    ]

    static func format(_ id: String?) -> ImportFormat? {
        guard let id else { return nil }
        return Formats.all.first { $0.id == id || $0.jsonId == id }
    }

    /// A file's group is chosen from the parts of the state its format declares; if a format wrote anything else,
    /// two groups could write one collection and de-duplication across files would break.
    @Test("every sample writes only the parts of the state its format declares, and its header alone tells them")
    func declaredDomains() throws {
        let paths = Self.fixtureNames.map { Fixture.path($0) } + Self.sharedNames.map { Fixture.shared($0) }
        #expect(paths.count > 40)
        var written: [String: ImportDomains] = [:]
        for path in paths {
            let result = try Importer.importFiles([path], options: .init(), inParallel: false)
            let sniffed = Importer.sniffDomains(path)
            guard let format = Self.format(result.file.format) else {
                #expect(sniffed == [] || sniffed == .all, "\(path): unrecognised, yet its header names a format")
                continue
            }
            let wrote = ImportDomains(writtenIn: result.model)
            #expect(wrote.isSubset(of: format.domains), "\(path): \(format.id) wrote \(wrote.rawValue)")
            #expect(sniffed == format.domains, "\(path): the header alone gives \(sniffed.rawValue)")
            written[format.id, default: []].formUnion(wrote)
        }
        // The formats that write more than their kind's part are seen doing it.
        #expect(written["azgovviz-role-assignments"] == [.assignments, .memberships, .hierarchy])
        #expect(written["azgovviz-classic-administrators"] == .classicAdministrators)
        #expect(written.count >= 15)
    }

    @Test("files are grouped so that no two groups share a part of the state")
    func grouping() {
        let groups = Importer.groups(
            [
                .assignments, .principals, [.assignments, .memberships, .hierarchy], [], .memberships, .assets,
                .hierarchy,
            ],
            sizes: [10, 20, 30, 40, 50, 60, 70])
        #expect(groups.map(\.files) == [[0, 2, 4, 6], [1], [3], [5]])
        #expect(groups.map(\.bytes) == [160, 20, 40, 60])
        #expect(groups[0].domains == [.assignments, .memberships, .hierarchy])
        // An undecidable file joins everything after it too.
        let serial = Importer.groups([.principals, .all, .assets], sizes: [1, 1, 1])
        #expect(serial.map(\.files) == [[0, 1, 2]])
    }

    static func folder(_ files: [(String, String)]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "accessrisk-parallel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, source) in files {
            try FileManager.default.copyItem(atPath: source, toPath: dir.appendingPathComponent(name).path)
        }
        return dir.path
    }

    static func write(_ text: String, in dir: String, as name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: dir).appendingPathComponent(name))
    }

    /// Everything an import produced, compared field by field.
    static func expectSame(_ a: ImportResult, _ b: ImportResult) {
        #expect(a.model.assignments == b.model.assignments)
        #expect(a.model.memberships == b.model.memberships)
        #expect(a.model.hierarchy == b.model.hierarchy)
        #expect(a.model.assets == b.model.assets)
        #expect(a.model.principals == b.model.principals)
        #expect(a.model.roleDefinitions == b.model.roleDefinitions)
        #expect(a.model.classicAdministrators == b.model.classicAdministrators)
        #expect(a.model.awsCredentials == b.model.awsCredentials)
        #expect(a.model.inputsPresent == b.model.inputsPresent)
        #expect(a.model.principalTypesExported == b.model.principalTypesExported)
        #expect(a.rejectedRows == b.rejectedRows)
        #expect(a.files.count == b.files.count)
        for (x, y) in zip(a.files, b.files) {
            #expect(x.path == y.path)
            #expect(x.format == y.format)
            let counts: (FileImportReport) -> [Int] = { [$0.rowsRead, $0.rowsUsed, $0.rowsDuplicate, $0.rowsRejected] }
            #expect(counts(x) == counts(y), "\(x.path)")
            #expect(x.problems == y.problems)
            #expect(x.columns == y.columns)
        }
    }

    @Test("a folder read in groups on both cores gives what one sink reading every file in order gives")
    func sameAsSerial() throws {
        let f: (String) -> String = { Fixture.path($0) }
        let dir = try Self.folder([
            ("a-AzGovViz_RoleAssignments.csv", f("AzGovViz_mg-corp_RoleAssignments.csv")),
            ("b-az.json", f("az-role-assignments.json")),
            ("c-az-again.json", f("az-role-assignments.json")),
            ("d-ps.csv", f("ps-role-assignments-current.csv")),
            ("e-users.csv", f("entra-users-2021.csv")),
            ("f-users-legacy.csv", f("entra-users-legacy.csv")),
            ("g-sps.csv", f("service-principals.csv")),
            ("h-members.csv", f("group-members.csv")),
            ("i-members-native.csv", f("native-memberships.csv")),
            ("j-members-again.csv", f("group-members.csv")),
            ("k-hierarchy.csv", f("native-hierarchy.csv")),
            ("l-sql.csv", f("sql-classification.csv")),
            ("m-assets.csv", f("native-assets.csv")),
            ("n-macie.json", f("macie-findings.json")),
            ("o-roles.json", f("az-role-definitions.json")),
            ("p-classic.csv", f("AzGovViz_mg-corp_ClassicAdministrators.csv")),
            ("q-aws.csv", f("aws-credential-report-subset.csv")),
            ("r-unknown.csv", f("unknown-layout.csv")),
            ("s-not.json", f("not-json.json")),
        ])
        let files = try Importer.expandInputs([dir])
        let groups = Importer.groups(files.map(Importer.sniffDomains), sizes: files.map { _ in 1 })
        #expect(groups.count >= 6, "the parallel path is not exercised")
        let serial = try Importer.importFiles([dir], options: .init(), inParallel: false)
        let parallel = try Importer.importFiles([dir])
        Self.expectSame(parallel, serial)
        // The copies are read as duplicates of the first files, across the files of a group.
        #expect(parallel.files[2].rowsDuplicate == parallel.files[2].rowsRead - parallel.files[2].rowsRejected)
        #expect(parallel.files[9].rowsDuplicate > 0)
    }

    @Test("a file whose rows are not what its first record said sends the whole import back to one sink")
    func misleadingFirstRecord() throws {
        let dir = try Self.folder([("e-users.csv", Fixture.path("entra-users-2021.csv"))])
        let id = "14141414-1414-1414-1414-141414141414"
        let scope = "/subscriptions/aaaaaaaa-0000-0000-0000-000000000001"
        try Self.write(
            """
            "RoleAssignmentId","Scope","DisplayName","SignInName","RoleDefinitionName","RoleDefinitionId","ObjectId","ObjectType"
            "\(scope)/providers/Microsoft.Authorization/roleAssignments/\(id)","\(scope)","Alice","alice@contoso.com","Owner","8e3af657-a8ff-443c-a75c-2fe8c4bcb635","a1b2c3d4-0000-0000-0000-00000000000a","User"

            """, in: dir, as: "a-ps.csv")
        // The first object names no format, so the file is grouped alone; its later objects are az CLI assignments,
        // one of them the PowerShell file's. Over a megabyte, the document is not read whole to group it.
        let az = try String(contentsOfFile: Fixture.path("az-role-assignments.json"), encoding: .utf8)
        let body = az.drop { $0 != "[" }.dropFirst()
        let padding = String(repeating: " ", count: 1_100_000)
        try Self.write("[{\"note\": \"exported by a script\"}," + padding + body, in: dir, as: "b-list.json")
        let files = try Importer.expandInputs([dir])
        #expect(Importer.sniffDomains(files[1]) == [])
        #expect(Importer.groups(files.map(Importer.sniffDomains), sizes: [1, 1, 1]).count == 3)
        let parallel = try Importer.importFiles([dir])
        #expect(parallel.files[1].format == "az-role-assignment-list")
        #expect(parallel.files[1].rowsDuplicate == 1)
        Self.expectSame(parallel, try Importer.importFiles([dir], options: .init(), inParallel: false))
    }

    @Test("progress across parallel groups only grows and ends at every byte")
    func progress() throws {
        let f: (String) -> String = { Fixture.path($0) }
        let dir = try Self.folder([
            ("a.json", f("az-role-assignments.json")), ("b.csv", f("entra-users-2021.csv")),
            ("c.csv", f("group-members.csv")), ("d.csv", f("sql-classification.csv")),
        ])
        let seen = ProgressLog()
        _ = try Importer.importFiles([dir], options: ImportOptions(progress: { seen.add($0) }))
        let fractions = seen.items.map(\.fraction)
        #expect(fractions.count >= 5)
        #expect(zip(fractions, fractions.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(seen.items.last?.fileIndex == 4)
        #expect(fractions.last == 1)
    }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [ImportProgress] = []

    func add(_ p: ImportProgress) {
        lock.lock()
        log.append(p)
        lock.unlock()
    }

    var items: [ImportProgress] {
        lock.lock()
        defer { lock.unlock() }
        return log
    }
}

/// Each group sorts its own collections while the others are still read; the joined model must be sorted exactly as
/// if the whole model had been sorted after the join, including a collection the join by UPN rewrote.
@Suite("Sorting in the groups")
struct GroupSortingTests {
    @Test("memberships sorted by their group are sorted again when the join by UPN rewrites a member")
    func joinByUPNResortsMemberships() throws {
        let memberships = try Fixture.temporary(
            "group_id;member_id\n"
                + "g1;upn:zed@contoso.com\ng1;b0000000-0000-0000-0000-000000000001\n"
                + "g0;c0000000-0000-0000-0000-000000000002\n",
            name: "memberships.csv")
        let users = try Fixture.temporary(
            "id,upn,display_name,type\n"
                + "00000000-0000-0000-0000-00000000000a,zed@contoso.com,Zed,user\n"
                + "b0000000-0000-0000-0000-000000000001,bob@contoso.com,Bob,user\n",
            name: "users.csv")
        for inParallel in [true, false] {
            let model = try Importer.importFiles([memberships, users], options: .init(), inParallel: inParallel).model
            #expect(
                model.memberships.map { $0.groupId + "/" + $0.memberId } == [
                    "g0/c0000000-0000-0000-0000-000000000002", "g1/00000000-0000-0000-0000-00000000000a",
                    "g1/b0000000-0000-0000-0000-000000000001",
                ], "in parallel: \(inParallel)")
            var resorted = model
            resorted.sortDeterministically()
            #expect(resorted.memberships == model.memberships)
            #expect(resorted.assignments == model.assignments)
        }
    }

    @Test("the model of the shared samples read in groups is the model sorted after the join")
    func groupSortedModelIsTheSortedModel() throws {
        let paths =
            ParallelImportTests.sharedNames.map { Fixture.shared($0) }
            + ParallelImportTests.fixtureNames.filter { $0.hasSuffix(".csv") || $0.hasSuffix(".json") }.map {
                Fixture.path($0)
            }
        let model = try Importer.importFiles(paths, options: .init(), inParallel: true).model
        #expect(model.memberships.count > 0 && model.assets.count > 0 && model.assignments.count > 0)
        var resorted = model
        resorted.sortDeterministically()
        #expect(resorted.assignments == model.assignments)
        #expect(resorted.memberships == model.memberships)
        #expect(resorted.hierarchy == model.hierarchy)
        #expect(resorted.assets == model.assets)
        #expect(resorted.awsCredentials == model.awsCredentials)
        #expect(resorted.classicAdministrators == model.classicAdministrators)
    }
}

@Suite("Work beside the import")
struct AlongsideWorkTests {
    @Test("the work runs once and is finished when the import returns, with one group or several")
    func everyPieceAlongsideRunsOnceBeforeImportReturns() throws {
        let several = ParallelImportTests.sharedNames.map { Fixture.shared($0) }
        for (paths, parallel) in [
            ([Fixture.path("native-memberships.csv")], true), (several, true), (several, false),
        ] {
            let counters = [CallCounter(), CallCounter(), CallCounter()]
            // Each piece takes a while: the import must wait for every one, not only start it.
            let options = ImportOptions(
                alongside: counters.map { counter in
                    {
                        Thread.sleep(forTimeInterval: 0.05)
                        counter.record()
                    }
                })
            let result = try Importer.importFiles(paths, options: options, inParallel: parallel)
            #expect(counters.map(\.count) == [1, 1, 1], "\(paths.count) files, in parallel: \(parallel)")
            // The reading is the same with and without the work.
            let plain = try Importer.importFiles(paths, options: .init(), inParallel: parallel)
            #expect(result.model.assignments == plain.model.assignments)
            #expect(result.files.map(\.rowsUsed) == plain.files.map(\.rowsUsed))
        }
    }

    @Test("each group's part is handed over once, sorted, and its collections are the ones the model ends with")
    func partsAreHandedOverOnceWithTheirFinalCollections() throws {
        let several =
            ParallelImportTests.sharedNames.map { Fixture.shared($0) } + [Fixture.path("native-memberships.csv")]
        for parallel in [true, false] {
            let parts = PartRecorder()
            let options = ImportOptions(partRead: { parts.add($0) })
            let model = try Importer.importFiles(several, options: options, inParallel: parallel).model
            let seen = parts.parts
            let groups = Importer.groups(several.map(Importer.sniffDomains), sizes: several.map(Importer.fileSize))
            #expect(groups.count > 2)
            #expect(seen.count == (parallel ? groups.count : 1))
            // Every collection but the assignments is in a part, sorted and the very array the model holds.
            let withMemberships = seen.filter { !$0.memberships.isEmpty }
            #expect(withMemberships.count == 1, "in parallel: \(parallel)")
            if let part = withMemberships.first {
                #expect(part.memberships == model.memberships)
                part.memberships.withUnsafeBufferPointer { a in
                    model.memberships.withUnsafeBufferPointer { b in #expect(a.baseAddress == b.baseAddress) }
                }
            }
            let withAssets = seen.filter { !$0.assets.isEmpty }
            #expect(withAssets.count == 1 && withAssets.first?.assets == model.assets, "in parallel: \(parallel)")
        }
    }
}

/// The parts an import hands over, from any thread.
final class PartRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [AccessModel] = []

    func add(_ part: AccessModel) { lock.withLock { recorded.append(part) } }
    var parts: [AccessModel] { lock.withLock { recorded } }
}
