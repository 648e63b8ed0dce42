import AccessRiskCSV
import AccessRiskModel
import AccessRiskRegister
import AccessRiskTestSupport
import Foundation
import Testing

@testable import AccessRiskReports

@Suite("Reports")
struct ReportTests {
    /// Writes the fixture's reports into a fresh folder and returns it.
    func writeReports(
        pseudonymizer: Pseudonymizer? = nil, templates: ReportTemplates? = nil
    ) throws -> URL {
        let out = try TestSupport.temporaryDirectory("reports")
        try ReportWriter.write(
            ReportFixture.data(),
            options: ReportOptions(
                outDirectory: out.path, templates: templates ?? (try ReportTemplates.builtIn()),
                pseudonymizer: pseudonymizer))
        return out
    }

    func read(_ url: URL, _ name: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
    }

    static let outputs = [
        "risk-assessment.md", "risk-register.csv", "access-review.csv", "findings.json", "heatmap.svg",
        "manifest.json", "rejected-rows.csv",
    ]

    @Test("every output matches its golden file", arguments: outputs)
    func golden(_ name: String) throws {
        let out = try writeReports()
        try TestSupport.assertGolden(try read(out, name), named: name)
    }

    @Test("the same inputs give byte-identical outputs")
    func deterministic() throws {
        let a = try writeReports()
        let b = try writeReports()
        for name in Self.outputs {
            #expect(
                try Data(contentsOf: a.appendingPathComponent(name))
                    == Data(contentsOf: b.appendingPathComponent(name)), "\(name)")
        }
    }

    @Test("a formula-like display name is neutralised in the CSVs and a table-breaking one escaped in Markdown")
    func hostileNamesNeutralised() throws {
        let out = try writeReports()
        for csv in ["risk-register.csv", "access-review.csv"] {
            let text = try read(out, csv)
            #expect(text.contains("'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")"), "\(csv) keeps the formula prefixed")
            #expect(!text.contains(",=HYPERLINK"), "\(csv) has an unprefixed formula")
            #expect(!text.contains("\"=HYPERLINK"), "\(csv) has an unprefixed quoted formula")
            // A leading '-' in free text is prefixed too.
            if csv == "risk-register.csv" { #expect(text.contains("'-contractor until December")) }
        }
        let markdown = try read(out, "risk-assessment.md")
        #expect(markdown.contains("\\| bad \\| table \\|"))
        #expect(!markdown.contains("| bad | table |"))
        #expect(markdown.contains("=HYPERLINK(\"http://x\",\"y\")") == false || markdown.contains("\\=HYPERLINK"))
        // Every table row of the Markdown has the column count of its header.
        var expectedPipes: Int?
        for line in markdown.components(separatedBy: "\n") {
            guard line.hasPrefix("|") else {
                expectedPipes = nil
                continue
            }
            let pipes = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            if let e = expectedPipes {
                #expect(pipes == e, "row has \(pipes) cells separators, header \(e): \(line)")
            } else {
                expectedPipes = pipes
            }
        }
        let svg = try read(out, "heatmap.svg")
        #expect(!svg.contains("HYPERLINK"))
    }

    @Test(
        "our reader and Python's csv module read the same rows back",
        arguments: ["risk-register.csv", "access-review.csv"])
    func independentReader(_ name: String) throws {
        let out = try writeReports()
        let path = out.appendingPathComponent(name).path
        var ours: [[String]] = []
        try CSVReader(path: path).read { row in ours.append(row.fields) }
        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
                print(json.dumps(list(csv.reader(f))))
            """
        let result = try TestSupport.run("/usr/bin/env", ["python3", "-c", script, path])
        #expect(result.status == 0, "\(result.stderr)")
        let python = try JSONDecoder().decode([[String]].self, from: Data(result.stdout.utf8))
        #expect(python == ours)
        #expect(ours.count > 1)
        #expect(ours[0] == (name == "risk-register.csv" ? RegisterRow.columns : AccessReviewWorksheet.columns))
    }

    @Test("heatmap.svg parses as XML and counts the open risks")
    func svgIsXML() throws {
        let out = try writeReports()
        let path = out.appendingPathComponent("heatmap.svg").path
        let script = """
            import sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            ns = '{http://www.w3.org/2000/svg}'
            rects = root.findall('.//' + ns + 'rect')
            print(root.tag, len(rects))
            """
        let result = try TestSupport.run("/usr/bin/env", ["python3", "-c", script, path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "{http://www.w3.org/2000/svg}svg 26")
        let counts = Heatmap.counts(of: ReportFixture.data().risks)
        #expect(counts.flatMap { $0 }.reduce(0, +) == 2, "resolved risks are not on the heat map")
        #expect(counts[3][3] == 1 && counts[2][2] == 1)
    }

    @Test("a --templates folder overrides a template by name")
    func templateOverride() throws {
        let dir = try TestSupport.temporaryDirectory("templates")
        try "{{% CONTENT_TYPE: TEXT}}\nCUSTOM {{cycle}}: {{openCount}} open\n".write(
            to: dir.appendingPathComponent("risk-assessment.mustache"), atomically: true, encoding: .utf8)
        let templates = try ReportTemplates(overrideDirectory: dir.path)
        #expect(templates.overridden == ["risk-assessment"])
        let out = try writeReports(templates: templates)
        #expect(try read(out, "risk-assessment.md") == "CUSTOM 2026-Q4: 2 open\n")
    }

    @Test("a missing, empty or misnamed --templates folder is a clear error")
    func templateErrors() throws {
        #expect(throws: TemplateError.self) { try ReportTemplates(overrideDirectory: "/nonexistent/templates") }
        let empty = try TestSupport.temporaryDirectory("empty")
        let error = #expect(throws: TemplateError.self) { try ReportTemplates(overrideDirectory: empty.path) }
        #expect(error?.message.contains("no .mustache templates") == true)
        let misnamed = try TestSupport.temporaryDirectory("misnamed")
        try "x".write(to: misnamed.appendingPathComponent("risk-asessment.mustache"), atomically: true, encoding: .utf8)
        let e2 = #expect(throws: TemplateError.self) { try ReportTemplates(overrideDirectory: misnamed.path) }
        #expect(e2?.message.contains("not a template name") == true)
    }

    @Test("the built-in templates are exactly Templates/report/*.mustache")
    func builtinTemplatesInSync() throws {
        let folder = TestSupport.repositoryRoot().appendingPathComponent("Templates/report")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasSuffix(".mustache")
        }
        #expect(Set(files.map { String($0.dropLast(9)) }) == Set(BuiltinTemplates.all.keys))
        for file in files {
            var text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            if text.hasSuffix("\n") { text.removeLast() }
            #expect(BuiltinTemplates.all[String(file.dropLast(9))] == text, "run scripts/embed-templates.sh")
        }
    }

    @Test("with --pseudonymize no real name or UPN appears in any output")
    func pseudonymized() throws {
        let model = ReportFixture.model
        let p = Pseudonymizer(key: "s3cret", principals: Array(model.principals.values))
        let out = try writeReports(pseudonymizer: p)
        let secrets = model.principals.values.flatMap { [$0.displayName, $0.upn].compactMap { $0 } }
        #expect(secrets.count == 5)
        for name in Self.outputs {
            let text = try read(out, name)
            for secret in secrets {
                #expect(!text.contains(secret), "\(name) contains \(secret)")
                #expect(!text.contains(MarkdownText.cell(secret)), "\(name) contains escaped \(secret)")
            }
        }
        // Same name, same pseudonym, in every file.
        let pseudonym = p.name("ann.lee@contoso.example")
        #expect(pseudonym.hasPrefix("upn-"))
        #expect(try read(out, "access-review.csv").contains(pseudonym))
        #expect(try read(out, "risk-register.csv").contains(pseudonym))
        #expect(Pseudonymizer(key: "other", principals: []).name("ann.lee@contoso.example") != pseudonym)
        // A known display name takes its principal's type (looked up); an unknown one is pseudonymised as a name.
        for principal in model.principals.values {
            guard let shown = principal.displayName, !shown.isEmpty else { continue }
            #expect(p.name(shown).hasPrefix(Pseudonymizer.prefix(for: principal.type) + "-"), "\(shown)")
        }
        #expect(p.name("Nobody Known").hasPrefix("name-"))
    }

    @Test("access-review recommendations follow SPEC §7")
    func recommendations() throws {
        let rows = ReportFixture.data().accessReview.rows
        #expect(rows.count == 3, "two assignments and one member reached through the group")
        let owner = try #require(rows.first { $0.roleId == "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" })
        #expect(owner.recommendation == "revoke")
        #expect(owner.highestSeverity == .high)
        #expect(owner.privileged == "yes")
        let member = try #require(rows.first { !$0.viaGroup.isEmpty })
        #expect(member.recommendation == "review")
        #expect(member.guest == true)
        #expect(member.viaGroup == "sg-admins")
        let group = try #require(rows.first { $0.principalType == "group" })
        #expect(group.recommendation == "approve")
        #expect(group.riskIds.isEmpty)
    }

    @Test("Markdown cells escape what could break a table or inject markup")
    func markdownEscaping() {
        #expect(MarkdownText.cell("| a | b |") == "\\| a \\| b \\|")
        #expect(MarkdownText.cell("line1\r\nline2\nline3") == "line1<br>line2<br>line3")
        #expect(MarkdownText.cell("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(MarkdownText.cell("# heading") == "\\# heading")
        #expect(MarkdownText.cell("- item") == "\\- item")
        #expect(MarkdownText.cell("[x](http://evil)") == "\\[x\\](http://evil)")
        #expect(MarkdownText.code("a`b|c") == "`a'b\\|c`")
    }
}

@Suite("The worksheet rendered in blocks on both cores")
struct WorksheetBlockTests {
    @Test("blocks are written in order: the file is the rows rendered one after another, BOM and header first")
    func blocksInOrder() throws {
        let base = ReportFixture.data()
        let one = base.accessReview.rows
        #expect(!one.isEmpty)
        // 20,000 parts: two full rounds of two blocks and a short last round, each row told apart by its id.
        var rows: [AccessReviewRow] = []
        for k in 0..<20_000 {
            var row = one[k % one.count]
            row.assignmentId = "a-\(k)"
            rows.append(row)
        }
        var data = base
        data.accessReview = AccessReviewSource(rows: rows)
        let dir = try TestSupport.temporaryDirectory("worksheet")
        let options = ReportOptions(
            outDirectory: dir.path, includeBOM: true, templates: try ReportTemplates(overrideDirectory: nil),
            pseudonymizer: nil)
        var expected = CSVWriter(includeBOM: true)
        expected.writeRow(AccessReviewWorksheet.columns)
        for row in rows { AccessReviewWorksheet.write(row, into: &expected) }
        // The default blocks, and small ones: many blocks finishing out of order on the two threads.
        for block in [8_192, 1, 7, 333] {
            let hash = try ReportWriter.writeWorksheet(data, options: options, block: block)
            let written = try [UInt8](Data(contentsOf: dir.appendingPathComponent("access-review.csv")))
            #expect(written == expected.bytes, "blocks of \(block)")
            #expect(hash == FileHash.sha256(bytes: expected.bytes), "blocks of \(block)")
        }
    }

    final class Appended: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [UInt8] = []
        func add(_ bytes: [UInt8]) {
            lock.lock()
            stored += bytes
            lock.unlock()
        }
        var bytes: [UInt8] {
            lock.lock()
            defer { lock.unlock() }
            return stored
        }
    }

    struct Refused: Error {}

    @Test("ordered blocks are appended in their order whatever order they finish in; an error stops the work")
    func orderedBlocks() throws {
        for count in [0, 1, 2, 5, 200] {
            let appended = Appended()
            try OrderedBlocks.run(count: count, ahead: 3) { k in
                // Some blocks take longer, so the threads finish out of order.
                if k % 3 == 0 { Thread.sleep(forTimeInterval: 0.001) }
                return [UInt8(k % 251)]
            } append: {
                appended.add($0)
            }
            #expect(appended.bytes == (0..<count).map { UInt8($0 % 251) }, "\(count) blocks")
        }
        #expect(throws: Refused.self) {
            try OrderedBlocks.run(count: 50) { k in
                if k == 17 { throw Refused() }
                return [0]
            } append: { _ in
            }
        }
        let appended = Appended()
        #expect(throws: Refused.self) {
            try OrderedBlocks.run(count: 50) { k in
                [UInt8(k)]
            } append: { bytes in
                if bytes == [9] { throw Refused() }
                appended.add(bytes)
            }
        }
        #expect(appended.bytes == Array(0..<9))
    }
}

@Suite struct FileHashTests {
    /// A file hashes as its bytes do, whether it is empty, within one read, or spans several reads with a partial
    /// last one; a missing file and a directory are errors, not a hash.
    @Test func fileHashEqualsHashOfItsBytes() throws {
        let dir = try TestSupport.temporaryDirectory("file-hash").path
        let sizes = [0, 1, FileHash.bufferSize - 1, FileHash.bufferSize, 2 * FileHash.bufferSize + 12_345]
        for size in sizes {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
            let path = dir + "/f\(size).bin"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try FileHash.sha256(path: path) == FileHash.sha256(bytes: bytes), "size \(size)")
        }
        #expect(
            try FileHash.sha256(path: dir + "/f0.bin")
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(throws: (any Error).self) { try FileHash.sha256(path: dir + "/missing.bin") }
        #expect(throws: (any Error).self) { try FileHash.sha256(path: dir) }
    }
}

@Suite struct CoverageTableTests {
    /// The classification coverage table counts assets and labelled assets per resource, rows in `String <` order of
    /// the resource ids, equal texts (composed or decomposed) one row: what a dictionary keyed by the id gave.
    @Test func coverageCountsPerResourceInStringOrder() throws {
        let resources = ["/db/b", "/db/a", "/db/caf\u{E9}", "/db/cafe\u{301}", "/db/A", "/db/a|x", "/db/`tick`"]
        let labels: [String?] = [nil, "", "None", " unclassified ", "Confidential", "Public", "n/a", "Secret"]
        var assets: [Asset] = []
        for k in 0..<200 {
            assets.append(
                Asset(
                    assetId: "a\(k)", name: "n\(k)", type: "column", resourceId: resources[(k * 7 + k / 5) % 7],
                    label: labels[(k * 3 + k / 7) % labels.count]))
        }
        // The reference: a dictionary keyed by resource id, its keys sorted.
        var expected: [String: (Int, Int)] = [:]
        for a in assets {
            expected[a.resourceId, default: (0, 0)].0 += 1
            if RiskAssessment.isLabelled(a.label) { expected[a.resourceId, default: (0, 0)].1 += 1 }
        }
        let table = try #require(RiskAssessment.coverage(assets))
        let rows = try #require(table["rows"] as? [[String: Any]])
        #expect(rows.count == expected.count)
        #expect(rows.count == 6)
        for (row, key) in zip(rows, expected.keys.sorted()) {
            #expect(row["resource"] as? String == MarkdownText.code(key))
            #expect(row["assets"] as? Int == expected[key]!.0)
            #expect(row["labelled"] as? Int == expected[key]!.1)
        }
        #expect(table["assets"] as? Int == 200)
        #expect(table["labelled"] as? Int == expected.values.reduce(0) { $0 + $1.1 })
        #expect(RiskAssessment.coverage([]) == nil)
    }

    @Test func inlineCodeKeepsPlainIdsAndReplacesTheRest() {
        #expect(MarkdownText.code("/subscriptions/s1/resourceGroups/rg") == "`/subscriptions/s1/resourceGroups/rg`")
        #expect(MarkdownText.code("caf\u{E9}") == "`caf\u{E9}`")
        #expect(MarkdownText.code("a\nb\rc|d`e") == "`a b c\\|d'e`")
        #expect(MarkdownText.code("") == "")
    }
}
