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
    static func writeWorksheet(_ data: ReportData, options: ReportOptions, block: Int = 8_192) throws -> String {
        let p = options.pseudonymizer
        let sink = WorksheetSink(
            file: try AtomicFileWriter(path: options.outDirectory + "/access-review.csv", bypassingCache: true))
        var header = CSVWriter(includeBOM: options.includeBOM)
        header.writeRow(AccessReviewWorksheet.columns)
        try sink.append(header.bytes)
        let source = data.accessReview
        // Blocks of parts are rendered on both cores and appended (copied into the page cache and hashed) in order
        // by whichever thread finished the next one. Rendering a round on both cores while a third thread appended
        // the last one ran the rendering on one core: dispatch counted the appending thread as that core's.
        try OrderedBlocks.run(count: (source.partCount + block - 1) / block) { k in
            var csv = CSVWriter(includeBOM: false)
            try source.write(
                parts: k * block..<min((k + 1) * block, source.partCount), pseudonymizer: p, into: &csv)
            return csv.bytes
        } append: { bytes in
            try sink.append(bytes)
        }
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

/// Numbered blocks rendered on every core and appended in their order: the thread that finishes the next block to
/// append appends it, and every block after it that is ready, so appending moves between the threads instead of
/// keeping one busy while the rendering waits for it. At most `ahead` blocks are rendered beyond the last appended
/// one (the memory they hold is bounded).
enum OrderedBlocks {
    static func run(
        count: Int, ahead: Int = 4, render: @escaping @Sendable (Int) throws -> [UInt8],
        append: @escaping @Sendable ([UInt8]) throws -> Void
    ) throws {
        let state = State(count: count, ahead: max(ahead, 1))
        _ = Parallel.map(2) { _ in state.work(render, append) }
        try state.finish()
    }

    /// What the workers share, under one lock.
    private final class State: @unchecked Sendable {
        private let condition = NSCondition()
        private let count: Int
        private let ahead: Int
        private var nextToRender = 0
        private var nextToAppend = 0
        private var rendered: [Int: [UInt8]] = [:]
        private var appending = false
        private var failure: (any Error)?

        init(count: Int, ahead: Int) {
            self.count = count
            self.ahead = ahead
        }

        func work(_ render: (Int) throws -> [UInt8], _ append: ([UInt8]) throws -> Void) {
            condition.lock()
            defer { condition.unlock() }
            while true {
                while failure == nil, nextToRender < count, nextToRender - nextToAppend >= ahead { condition.wait() }
                guard failure == nil, nextToRender < count else { return }
                let k = nextToRender
                nextToRender += 1
                condition.unlock()
                let bytes = Result { try render(k) }
                condition.lock()
                switch bytes {
                case .failure(let error):
                    fail(error)
                    return
                case .success(let bytes): rendered[k] = bytes
                }
                // The thread appending now appends this block too when its turn comes.
                guard !appending else { continue }
                appending = true
                while failure == nil, let next = rendered.removeValue(forKey: nextToAppend) {
                    condition.unlock()
                    let appended = Result { try append(next) }
                    condition.lock()
                    if case .failure(let error) = appended {
                        fail(error)
                        break
                    }
                    nextToAppend += 1
                    condition.broadcast()
                }
                appending = false
            }
        }

        /// Records the first error and wakes every waiting worker (they stop).
        private func fail(_ error: any Error) {
            if failure == nil { failure = error }
            condition.broadcast()
        }

        /// After the workers: the first error, or a check that every block was appended.
        func finish() throws {
            condition.lock()
            defer { condition.unlock() }
            if let failure { throw failure }
            precondition(nextToAppend == count, "every block is appended")
        }
    }
}
