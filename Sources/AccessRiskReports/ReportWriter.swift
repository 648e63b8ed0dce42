import AccessRiskCSV
import AccessRiskModel
import AccessRiskRegister
import Crypto
import Foundation

/// How `review` writes its outputs.
public struct ReportOptions: Sendable {
    public var outDirectory: String
    public var includeBOM: Bool
    public var templates: ReportTemplates
    public var pseudonymizer: Pseudonymizer?

    public init(
        outDirectory: String, includeBOM: Bool = true, templates: ReportTemplates, pseudonymizer: Pseudonymizer?
    ) {
        self.outDirectory = outDirectory
        self.includeBOM = includeBOM
        self.templates = templates
        self.pseudonymizer = pseudonymizer
    }
}

/// Writes every output of SPEC §7 into the output folder, each atomically.
public enum ReportWriter {
    /// The rejected-rows columns.
    public static let rejectedColumns = ["file", "line", "column", "reason"]

    /// - Returns: output file name → SHA-256 of what was written.
    @discardableResult
    public static func write(
        _ data: ReportData, manifest: Bool = true, options: ReportOptions
    ) throws -> [String: String] {
        let fm = FileManager.default
        try fm.createDirectory(atPath: options.outDirectory, withIntermediateDirectories: true)
        AtomicFile.removeLeftovers(in: options.outDirectory)
        let p = options.pseudonymizer
        var written: [String: String] = [:]
        func put(_ name: String, _ bytes: [UInt8]) throws {
            try AtomicFile.write(bytes, to: options.outDirectory + "/" + name)
            written[name] = FileHash.sha256(bytes: bytes)
        }

        // risk-register.csv
        var registerRows = data.risks
        if let p {
            for i in registerRows.indices {
                let name = registerRows[i].principalName
                registerRows[i].principalName = p.name(name)
                registerRows[i].evidence = p.text(registerRows[i].evidence, mentioning: [name])
                registerRows[i].decidedBy = p.name(registerRows[i].decidedBy)
                registerRows[i].justification = p.text(registerRows[i].justification, mentioning: [name])
            }
        }
        try put("risk-register.csv", RegisterCSV.bytes(registerRows, includeBOM: options.includeBOM))

        // access-review.csv (the largest output) is written on the other core while the rest are.
        let worksheet = BackgroundWork { try writeWorksheet(data, options: options) }
        // Whatever happens to the other outputs, the worksheet's thread is done before this function returns.
        defer { worksheet.wait() }

        // findings.json
        let byRisk = Dictionary(data.risks.map { ($0.riskId, $0) }, uniquingKeysWith: { a, _ in a })
        let entries = data.findings.map { item -> FindingEntry in
            var f = item.finding
            if let p {
                let mentioned = [f.principalName ?? "", f.principalUPN ?? ""] + f.viaGroups
                f.evidence = p.text(f.evidence, mentioning: mentioned)
                // A subject key is built from stable facts, which can include a UPN (a self-review's reviewer).
                f.subjectKey = p.text(f.subjectKey, mentioning: mentioned)
                f.principalName = f.principalName.map(p.name)
                f.principalUPN = f.principalUPN.map(p.name)
                f.viaGroups = f.viaGroups.map { p.name($0) }
            }
            let r = byRisk[item.riskId]
            return FindingEntry(
                riskId: item.riskId, ref: r?.ref ?? "", state: r?.state.rawValue ?? "",
                severity: r?.severity.rawValue ?? "", level: r?.level.name ?? "", likelihood: r?.likelihood ?? 0,
                impact: r?.impact ?? 0,
                scoreFactors: r?.scoreFactors ?? "", finding: f)
        }
        try put(
            "findings.json",
            try JSONOutput.encode(FindingsFile(cycle: data.cycle, asOf: data.asOf.isoDate, findings: entries)))

        // heatmap.svg
        let svg = Heatmap.svg(
            counts: Heatmap.counts(of: data.risks), title: "Open risks, \(data.cycle): likelihood × impact")
        try put("heatmap.svg", Array(svg.utf8))

        // risk-assessment.md
        let markdown = try RiskAssessment.render(data, templates: options.templates, pseudonymizer: p)
        try put("risk-assessment.md", Array(markdown.utf8))

        // rejected-rows.csv, only when there are any (and a stale one from an earlier run is removed).
        let rejectedPath = options.outDirectory + "/rejected-rows.csv"
        if data.rejectedRows.isEmpty {
            try? fm.removeItem(atPath: rejectedPath)
        } else {
            var rejected = CSVWriter(includeBOM: options.includeBOM)
            rejected.writeRow(rejectedColumns)
            for r in data.rejectedRows { rejected.writeRow([r.file, String(r.line), r.column, r.reason]) }
            try put("rejected-rows.csv", rejected.bytes)
        }

        written["access-review.csv"] = try worksheet.value()

        if manifest {
            try writeManifest(data, outputs: written, outDirectory: options.outDirectory, pseudonymizer: p)
        }
        return written
    }

    /// `access-review.csv`, streamed to its file (one row per assignment: at enterprise scale the rows and their bytes
    /// held at once were the largest allocation of the whole review). The rows are rendered on both cores, a block
    /// of parts each, and the blocks written in order; four blocks are held at a time (two written, two rendered).
    /// Returns its SHA-256.
    static func writeWorksheet(_ data: ReportData, options: ReportOptions) throws -> String {
        let p = options.pseudonymizer
        let sink = WorksheetSink(file: try AtomicFileWriter(path: options.outDirectory + "/access-review.csv"))
        var header = CSVWriter(includeBOM: options.includeBOM)
        header.writeRow(AccessReviewWorksheet.columns)
        try sink.append(header.bytes)
        let source = data.accessReview
        @Sendable func render(_ parts: Range<Int>) throws -> [UInt8] {
            var csv = CSVWriter(includeBOM: false)
            try source.write(parts: parts, pseudonymizer: p, into: &csv)
            return csv.bytes
        }
        let block = 8_192
        var start = 0
        // Each round's blocks are hashed and written while the next round is rendered: copying half a gigabyte
        // into the page cache and hashing it took as long as rendering it, with the other core idle.
        var writing: BackgroundWork<Void>?
        while start < source.partCount {
            let ranges = [start, start + block].filter { $0 < source.partCount }.map {
                $0..<min($0 + block, source.partCount)
            }
            let blocks = Parallel.map(ranges.count, { k in Result { try render(ranges[k]) } })
            try writing?.value()
            writing = BackgroundWork { for block in blocks { try sink.append(try block.get()) } }
            start += 2 * block
        }
        try writing?.value()
        return try sink.commit()
    }

    /// The worksheet's file and hash, appended to by one thread at a time: each round's writer starts after the
    /// previous one is waited for.
    private final class WorksheetSink: @unchecked Sendable {
        private let file: AtomicFileWriter
        private var hash = SHA256()

        init(file: AtomicFileWriter) { self.file = file }

        func append(_ bytes: [UInt8]) throws {
            hash.update(data: bytes)
            try file.append(bytes)
        }

        /// Renames the file into place; returns its SHA-256.
        func commit() throws -> String {
            try file.commit()
            return FileHash.hex(hash.finalize())
        }
    }

    /// `manifest.json`, written last: it lists the hashes of every other output, and the timings of each stage.
    public static func writeManifest(
        _ data: ReportData, outputs: [String: String], outDirectory: String, pseudonymizer: Pseudonymizer? = nil
    ) throws {
        var manifest = Manifest(data, outputs: outputs)
        if let p = pseudonymizer {
            for i in manifest.exclusions.indices {
                manifest.exclusions[i].principal = p.name(manifest.exclusions[i].principal)
                manifest.exclusions[i].reason = p.text(manifest.exclusions[i].reason)
            }
        }
        try AtomicFile.write(try JSONOutput.encode(manifest), to: outDirectory + "/manifest.json")
    }
}

struct FindingsFile: Encodable {
    var cycle: String
    var asOf: String
    var findings: [FindingEntry]

    enum CodingKeys: String, CodingKey {
        case cycle, findings
        case asOf = "as_of"
    }
}
