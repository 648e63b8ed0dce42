import AccessRiskCSV
import AccessRiskModel
import AccessRiskTestSupport
import Foundation
import Testing

@testable import AccessRiskGenerate

@Suite("Synthetic tenants")
struct GeneratorTests {
    static let asOf = Timestamp(year: 2026, month: 11, day: 15)!

    func generate(seed: UInt64) throws -> (URL, GenerationSummary) {
        let out = try TestSupport.temporaryDirectory("gen")
        var generator = TenantGenerator(profile: .small, seed: seed, asOf: Self.asOf)
        return (out, try generator.write(to: out.path))
    }

    func contents(_ root: URL, _ files: [String]) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for f in files { out[f] = try Data(contentsOf: root.appendingPathComponent(f)) }
        return out
    }

    @Test("the same seed gives byte-identical files; another seed gives other ids")
    func deterministic() throws {
        let (a, sa) = try generate(seed: 42)
        let (b, sb) = try generate(seed: 42)
        let (c, _) = try generate(seed: 43)
        #expect(sa.files == sb.files)
        #expect(try contents(a, sa.files) == contents(b, sb.files))
        #expect(
            try Data(contentsOf: a.appendingPathComponent("exports/azure/role-assignments.csv"))
                != Data(contentsOf: c.appendingPathComponent("exports/azure/role-assignments.csv")))
        #expect(sa.expectedFindings == sb.expectedFindings)
    }

    @Test("the small profile has about 2,000 assignments and plants findings for every SPEC §4 rule family")
    func smallProfile() throws {
        let (root, summary) = try generate(seed: 1)
        #expect((1_900...2_100).contains(summary.assignments))
        #expect(summary.expectedFindings.count >= 40)
        #expect(summary.expectedFindings["too-many-subscription-owners"] == 3)
        #expect(summary.expectedFindings["guest-access"] == 9, "guest plants + pending guests + guests reaching data")
        #expect(
            !FileManager.default.fileExists(atPath: root.appendingPathComponent("exports/expected-findings.json").path))
        // Every delimited export reads to its end with a consistent column count.
        for file in summary.files where file.hasSuffix(".csv") {
            let reader = try CSVReader(path: root.appendingPathComponent(file).path)
            var width: Int?
            var rows = 0
            try reader.read { row in
                if let w = width { #expect(row.count == w, "\(file):\(row.line)") } else { width = row.count }
                rows += 1
            }
            #expect(rows > 1, "\(file)")
        }
        // JSON exports are valid JSON arrays.
        for file in summary.files where file.hasSuffix(".json") {
            let data = try Data(contentsOf: root.appendingPathComponent(file))
            #expect((try JSONSerialization.jsonObject(with: data)) is [Any], "\(file)")
        }
    }

    @Test("generated GUIDs are well-formed version-4 ids")
    func guids() {
        var random = SeededRandom(seed: 9)
        for _ in 0..<1000 {
            let g = random.guid()
            #expect(g.count == 36)
            let parts = g.split(separator: "-").map(\.count)
            #expect(parts == [8, 4, 4, 4, 12])
            #expect(g[g.index(g.startIndex, offsetBy: 14)] == "4")
            #expect("89ab".contains(g[g.index(g.startIndex, offsetBy: 19)]))
        }
    }
}
