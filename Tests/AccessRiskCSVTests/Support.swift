import AccessRiskCSV
import Testing

/// One record as the tests compare it: everything the reader reports about it.
struct Record: Equatable, Sendable, CustomStringConvertible {
    var line: Int
    var fields: [String]
    var invalidUTF8Field: Int? = nil
    var nulField: Int? = nil

    var description: String {
        var text = "line \(line): \(fields.map { String(reflecting: $0) })"
        if let invalidUTF8Field { text += " invalidUTF8Field=\(invalidUTF8Field)" }
        if let nulField { text += " nulField=\(nulField)" }
        return text
    }
}

/// The whole outcome of reading an input.
struct ReadOutcome: Equatable {
    var records: [Record]
    var encoding: TextEncoding
    var delimiter: UInt8
    var skippedTypeLine: Bool
    var bytesRead: Int
}

/// Reads `bytes` with the real reader and collects every record.
func readAll(
    _ bytes: [UInt8], chunkSize: Int = 1 << 20, delimiter: UInt8? = nil, displayName: String = "input.csv"
) throws -> ReadOutcome {
    let reader = try CSVReader(
        source: .bytes(bytes), displayName: displayName,
        options: CSVReadOptions(delimiter: delimiter, chunkSize: chunkSize))
    var records: [Record] = []
    try reader.read { row in
        records.append(
            Record(
                line: row.line, fields: row.fields, invalidUTF8Field: row.invalidUTF8Field, nulField: row.nulField))
    }
    return ReadOutcome(
        records: records, encoding: reader.encoding, delimiter: reader.delimiter,
        skippedTypeLine: reader.skippedTypeLine, bytesRead: reader.bytesRead)
}

func readAll(_ text: String, chunkSize: Int = 1 << 20, delimiter: UInt8? = nil) throws -> ReadOutcome {
    try readAll(Array(text.utf8), chunkSize: chunkSize, delimiter: delimiter)
}

/// The `CSVError` thrown while opening or reading `bytes`, or nil when none is thrown.
func readError(_ bytes: [UInt8], chunkSize: Int = 1 << 20, displayName: String = "input.csv") -> CSVError? {
    do {
        _ = try readAll(bytes, chunkSize: chunkSize, displayName: displayName)
        return nil
    } catch let error as CSVError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// `text` as UTF-16 code units in the given byte order, with a BOM unless told otherwise.
func utf16(_ text: String, bigEndian: Bool, bom: Bool = true) -> [UInt8] {
    var units = Array(text.utf16)
    if bom { units.insert(0xFEFF, at: 0) }
    var bytes: [UInt8] = []
    for unit in units {
        let high = UInt8(unit >> 8)
        let low = UInt8(unit & 0xFF)
        bytes += bigEndian ? [high, low] : [low, high]
    }
    return bytes
}

/// Chunk sizes every streaming case runs with: tiny ones cut BOMs, UTF-16 code units, surrogate pairs and CRLF
/// pairs at every possible offset; the default reads everything at once.
let chunkSizes = [1, 2, 3, 7, 64, 1 << 20]

/// Path of the shared sample exports: the repository's parent folder holds `shared/formats`.
func formatsFolder(_ file: String = #filePath) -> String {
    var parts = file.split(separator: "/", omittingEmptySubsequences: false)
    // <repo>/Tests/AccessRiskCSVTests/<file>.swift → <repo>/../shared/formats
    parts.removeLast(4)
    return parts.joined(separator: "/") + "/shared/formats"
}
