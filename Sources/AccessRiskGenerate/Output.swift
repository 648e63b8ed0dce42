import Foundation

/// A deterministic pseudo-random generator (SplitMix64): the same seed gives the same tenant on every machine.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A GUID-shaped id (version 4 layout), lower-case.
    mutating func guid() -> String {
        let a = next()
        let b = next()
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(36)
        func put(_ value: UInt64, _ count: Int, _ shift: Int) {
            for i in 0..<count { out.append(hex[Int((value >> UInt64(shift - 4 * (i + 1))) & 0xF)]) }
        }
        put(a, 8, 64)
        out.append(0x2D)
        put(a, 4, 32)
        out.append(0x2D)
        out.append(UInt8(ascii: "4"))
        put(a, 3, 12)
        out.append(0x2D)
        out.append(hex[8 + Int(b >> 62)])
        put(b, 3, 60)
        out.append(0x2D)
        put(b, 12, 48)
        return String(decoding: out, as: UTF8.self)
    }
}

/// A file written row by row through a buffer, so a million-row export never sits in memory.
final class TextFile {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(_ path: String, bom: Bool = false) throws {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(1 << 22)
        if bom { buffer += [0xEF, 0xBB, 0xBF] }
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 22 { try flush() }
    }

    func flush() throws {
        if buffer.isEmpty { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}

/// Rows as the exporting tools write them (not our own spreadsheet-safe writer: these are *inputs*).
enum ExportRow {
    /// Windows PowerShell 5.1 `Export-Csv`: every field quoted, CRLF.
    static func quotedAll(_ fields: [String], delimiter: String = ",") -> String {
        fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: delimiter)
            + "\r\n"
    }

    /// RFC 4180 as needed, LF (PowerShell 7 `-UseQuotes AsNeeded`, Python's csv module, the AWS report).
    static func asNeeded(_ fields: [String], lineEnd: String = "\n") -> String {
        fields.map { f in
            f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + lineEnd
    }

    /// A JSON string literal.
    static func json(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 {
                    out += String(format: "\\u%04x", ch.value)
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }
}
