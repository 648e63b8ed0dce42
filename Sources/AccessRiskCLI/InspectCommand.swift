import AccessRiskImport
import ArgumentParser
import Foundation

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Dry run of the import: per file the format, encoding, delimiter, rows and problems. Writes nothing."
    )

    @Argument(help: "Input files or directories (searched recursively).") var inputs: [String]
    @Flag(help: "One JSON object per file.") var json = false

    func run() throws {
        let files = try InputFiles.expand(inputs)
        var reports: [FileInspection] = []
        for file in files {
            let (report, rejected) = Importer.inspect(file)
            reports.append(FileInspection(report, rejected: rejected))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(reports)
            print(String(decoding: data, as: UTF8.self))
        } else {
            for report in reports { print(report.text) }
        }
        if reports.contains(where: { $0.kind == nil || $0.incomplete }) { throw ExitCodes.badInput }
    }
}

/// Expands files and directories (recursively, sorted) into a list of files.
enum InputFiles {
    static func expand(_ inputs: [String]) throws -> [String] {
        do {
            return try Importer.expandInputs(inputs)
        } catch {
            printError(error.description)
            throw ExitCodes.badInput
        }
    }
}

/// What `inspect` says about one file (SPEC §1 keys).
struct FileInspection: Encodable {
    static let maxRejectedShown = 100

    var path: String
    var format: String?
    var formatName: String?
    var kind: String?
    var encoding: String?
    var delimiter: String?
    var rowsRead = 0
    var rowsUsed = 0
    var rowsRejected = 0
    var rowsDuplicate = 0
    var columns: [String: String] = [:]
    var problems: [String] = []
    var incomplete = false

    enum CodingKeys: String, CodingKey {
        case path, format, kind, encoding, delimiter, columns, problems
        case rowsRead = "rows_read"
        case rowsUsed = "rows_used"
        case rowsRejected = "rows_rejected"
    }

    init(_ report: FileImportReport, rejected: [RejectedRow]) {
        path = report.path
        format = report.format
        formatName = report.formatName
        kind = report.kind?.rawValue
        encoding = report.encoding
        delimiter = report.delimiter
        rowsRead = report.rowsRead
        // Duplicates are merged into an assignment already read: they count as used, so read = used + rejected
        // (SPEC §2.4); `problems` says how many there were.
        rowsUsed = report.rowsUsedOrMerged
        rowsRejected = report.rowsRejected
        rowsDuplicate = report.rowsDuplicate
        columns = report.columns
        problems = report.problems
        for row in rejected.prefix(Self.maxRejectedShown) {
            problems.append(
                "rejected line \(row.line)" + (row.column.map { ", column \"\($0)\"" } ?? "") + ": \(row.reason)")
        }
        if rejected.count > Self.maxRejectedShown {
            problems.append("… and \(rejected.count - Self.maxRejectedShown) more rejected rows")
        }
        incomplete = report.fatalError != nil
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(format, forKey: .format)
        try c.encode(kind, forKey: .kind)
        try c.encode(encoding, forKey: .encoding)
        try c.encode(delimiter, forKey: .delimiter)
        try c.encode(rowsRead, forKey: .rowsRead)
        try c.encode(rowsUsed, forKey: .rowsUsed)
        try c.encode(rowsRejected, forKey: .rowsRejected)
        try c.encode(columns, forKey: .columns)
        try c.encode(problems, forKey: .problems)
    }

    var text: String {
        var lines = ["\(path)"]
        lines.append(
            "  kind: \(kind ?? "unrecognised")   format: \(format.map { "\($0) (\(formatName ?? $0))" } ?? "-")")
        lines.append("  encoding: \(encoding ?? "-")   delimiter: \(delimiter ?? "-")")
        var rows = "  rows: \(rowsRead) read, \(rowsUsed) used, \(rowsRejected) rejected"
        if rowsDuplicate > 0 { rows += " (of the used, \(rowsDuplicate) duplicate)" }
        lines.append(rows)
        if !columns.isEmpty {
            lines.append("  columns:")
            for (header, field) in columns.sorted(by: { $0.key < $1.key }) { lines.append("    \(header) → \(field)") }
        }
        for p in problems.prefix(20) { lines.append("  - \(p)") }
        if problems.count > 20 { lines.append("  - … and \(problems.count - 20) more") }
        return lines.joined(separator: "\n")
    }
}
