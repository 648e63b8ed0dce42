/// Spreadsheet-safe CSV output (SPEC §7): RFC 4180 quoting, CRLF line ends, UTF-8 with an optional BOM, and a `'`
/// before any cell that a spreadsheet would otherwise read as a formula (OWASP CSV injection).
public struct CSVWriter: Sendable {
    public var delimiter: UInt8
    public var includeBOM: Bool
    private(set) public var bytes: [UInt8] = []

    public init(delimiter: UInt8 = UInt8(ascii: ","), includeBOM: Bool = true) {
        self.delimiter = delimiter
        self.includeBOM = includeBOM
        if includeBOM { bytes = [0xEF, 0xBB, 0xBF] }
    }

    /// Characters that make a spreadsheet treat a cell as a formula when they come first.
    public static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\n", "\r\n"]

    /// The cell as it is written for people: prefixed with `'` when it starts with a formula trigger.
    public static func neutralize(_ value: String) -> String {
        guard let first = value.first, formulaTriggers.contains(first) else { return value }
        return "'" + value
    }

    /// The inverse of ``neutralize(_:)`` for reading our own files back.
    public static func unneutralize(_ value: String) -> String {
        guard value.hasPrefix("'") else { return value }
        let rest = value.dropFirst()
        guard let first = rest.first, formulaTriggers.contains(first) else { return value }
        return String(rest)
    }

    /// Appends one record.
    public mutating func writeRow<S: Sequence>(_ fields: S) where S.Element == String {
        var first = true
        for field in fields {
            if !first { bytes.append(delimiter) }
            first = false
            appendField(Self.neutralize(field))
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    private mutating func appendField(_ value: String) {
        let utf8 = value.utf8
        let needsQuotes =
            utf8.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || utf8.first == 0x20 || utf8.last == 0x20 || utf8.first == 0x09 || utf8.last == 0x09
        if !needsQuotes {
            bytes.append(contentsOf: utf8)
            return
        }
        bytes.append(0x22)
        for b in utf8 {
            if b == 0x22 { bytes.append(0x22) }
            bytes.append(b)
        }
        bytes.append(0x22)
    }

    /// The text written so far, as a String (for tests and small outputs).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
