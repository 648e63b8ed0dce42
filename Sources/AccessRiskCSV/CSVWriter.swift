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

    /// The first bytes that make a spreadsheet read a cell as a formula: `= + - @` TAB CR LF. Checked on the first
    /// byte, not the first `Character`, so a combining mark after `-` cannot hide it.
    @inline(__always)
    static func isFormulaTrigger(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D, 0x0A: true
        default: false
        }
    }

    /// Whether ``neutralize(_:)`` prefixes `value`: it starts, after any run of `'`, with a formula trigger. Counting
    /// the apostrophes keeps the prefix reversible: a value that already starts with `'=` gets another `'`.
    static func needsPrefix(_ value: Substring.UTF8View) -> Bool {
        for byte in value where byte != UInt8(ascii: "'") { return isFormulaTrigger(byte) }
        return false
    }

    /// The cell as it is written for people: prefixed with `'` when it starts with a formula trigger (or with `'`
    /// followed by one, so that ``unneutralize(_:)`` gives back exactly the original value).
    public static func neutralize(_ value: String) -> String {
        needsPrefix(Substring(value).utf8) ? "'" + value : value
    }

    /// The inverse of ``neutralize(_:)`` for reading our own files back: drops the `'` that `neutralize` added.
    public static func unneutralize(_ value: String) -> String {
        guard value.utf8.first == UInt8(ascii: "'") else { return value }
        // Drop the apostrophe itself, not the first Character: a combining mark after it belongs to that Character.
        let rest = Substring(value.unicodeScalars.dropFirst())
        return needsPrefix(rest.utf8) ? String(rest) : value
    }

    /// Appends one record.
    public mutating func writeRow<S: Sequence>(_ fields: S) where S.Element == String {
        var count = 0
        var lastEmpty = false
        for field in fields {
            if count > 0 { bytes.append(delimiter) }
            count += 1
            lastEmpty = field.isEmpty
            appendField(Self.neutralize(field))
        }
        // A record of one empty field would be a blank line, which readers skip: write it as `""`.
        if count == 1, lastEmpty {
            bytes.append(0x22)
            bytes.append(0x22)
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// Whether a field must be quoted: it holds a quote, a line break or any delimiter a reader might sniff
    /// (`,` `;` TAB, whatever this writer's delimiter is), starts or ends with a space or TAB (readers trim them),
    /// or starts with `#` (a first cell `#TYPE …` would be skipped) or a BOM (taken for the file's own).
    private func needsQuotes(_ utf8: String.UTF8View) -> Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        if first == 0x20 || last == 0x20 || first == UInt8(ascii: "#") { return true }
        if first == 0xEF, utf8.starts(with: [0xEF, 0xBB, 0xBF]) { return true }
        let delimiter = self.delimiter
        return utf8.contains { b in
            b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D || b == 0x2C || b == 0x3B || b == 0x09
        }
    }

    private mutating func appendField(_ value: String) {
        let utf8 = value.utf8
        if !needsQuotes(utf8) {
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

    /// Hands the bytes written so far to `sink` and forgets them (keeping the buffer): large outputs stream to a
    /// file in pieces instead of growing one array.
    public mutating func drain(_ sink: ([UInt8]) throws -> Void) rethrows {
        guard !bytes.isEmpty else { return }
        try sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// The text written so far, as a String (for tests and small outputs).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
