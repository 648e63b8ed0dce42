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
    static func needsPrefix(_ value: some Sequence<UInt8>) -> Bool {
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
        writeRow(Array(fields))
    }

    /// Appends one record. Fields are read through pointers to their UTF-8 bytes: the worksheet writes a million
    /// rows of 23 cells, and walking each cell's UTF-8 view was most of its cost.
    public mutating func writeRow(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(delimiter) }
            var field = field
            field.withUTF8 { appendField($0) }
        }
        // A record of one empty field would be a blank line, which readers skip: write it as `""`.
        if fields.count == 1, fields[0].isEmpty {
            bytes.append(0x22)
            bytes.append(0x22)
        }
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// Whether a field must be quoted: it holds a quote, a line break or any delimiter a reader might sniff
    /// (`,` `;` TAB, whatever this writer's delimiter is), starts or ends with a space or TAB (readers trim them),
    /// or starts with `#` (a first cell `#TYPE …` would be skipped) or a BOM (taken for the file's own). The
    /// `prefixed` cell is the value after the formula-guard `'`, which starts it when set.
    private func needsQuotes(_ value: UnsafeBufferPointer<UInt8>, prefixed: Bool) -> Bool {
        guard let last = value.last else { return false }
        let first = prefixed ? UInt8(ascii: "'") : value[0]
        if first == 0x20 || last == 0x20 || first == UInt8(ascii: "#") { return true }
        if !prefixed, value.count >= 3, value[0] == 0xEF, value[1] == 0xBB, value[2] == 0xBF { return true }
        return containsSpecialByte(value)
    }

    /// Whether `value` holds a quote, CR, LF, `,`, `;`, TAB or this writer's delimiter. Sixteen bytes at a time:
    /// the worksheet scans half a gigabyte of cells, and a byte at a time with seven comparisons each was an
    /// eighth of the cost of writing it.
    func containsSpecialByte(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let delimiter = self.delimiter
        let count = value.count
        var i = 0
        if count >= 16, let base = value.baseAddress {
            let raw = UnsafeRawPointer(base)
            let d = SIMD16<UInt8>(repeating: delimiter)
            let quote = SIMD16<UInt8>(repeating: 0x22)
            let lf = SIMD16<UInt8>(repeating: 0x0A)
            let cr = SIMD16<UInt8>(repeating: 0x0D)
            let comma = SIMD16<UInt8>(repeating: 0x2C)
            let semicolon = SIMD16<UInt8>(repeating: 0x3B)
            let tab = SIMD16<UInt8>(repeating: 0x09)
            while i + 16 <= count {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                let hit =
                    (v .== d) .| (v .== quote) .| (v .== lf) .| (v .== cr) .| (v .== comma) .| (v .== semicolon)
                    .| (v .== tab)
                if any(hit) { return true }
                i += 16
            }
        }
        while i < count {
            let b = value[i]
            if b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D || b == 0x2C || b == 0x3B || b == 0x09 {
                return true
            }
            i += 1
        }
        return false
    }

    /// Appends one cell: neutralised (see ``neutralize(_:)``), then quoted when needed.
    private mutating func appendField(_ value: UnsafeBufferPointer<UInt8>) {
        let prefixed = Self.needsPrefix(value)
        if !needsQuotes(value, prefixed: prefixed) {
            if prefixed { bytes.append(UInt8(ascii: "'")) }
            bytes.append(contentsOf: value)
            return
        }
        bytes.append(0x22)
        if prefixed { bytes.append(UInt8(ascii: "'")) }
        for b in value {
            if b == 0x22 { bytes.append(0x22) }
            bytes.append(b)
        }
        bytes.append(0x22)
    }

    /// Appends one cell of a record written cell by cell: the same bytes ``writeRow(_:)`` writes for it, without a
    /// delimiter. Records written this way are put together with ``appendDelimiter()`` and ``endRecord()`` (a
    /// record of a single empty cell is the caller's to avoid: ``writeRow(_:)`` writes that one as `""`).
    public mutating func appendCell(_ value: String) {
        // A native string lends its bytes without a copy; anything else is made contiguous first.
        if value.utf8.withContiguousStorageIfAvailable({ appendField($0) }) != nil { return }
        var value = value
        value.withUTF8 { appendField($0) }
    }

    /// Appends the cell `first + second + third` (see ``appendCell(_:)``) without building it: the pieces are
    /// copied, then the cell is checked, and rewritten in the rare case it needs a prefix or quotes.
    public mutating func appendCell(_ first: String, _ second: String, _ third: String) {
        let start = bytes.count
        appendRaw(first)
        appendRaw(second)
        appendRaw(third)
        let plain = bytes.withUnsafeBufferPointer { all in
            let cell = UnsafeBufferPointer(rebasing: all[start...])
            let prefixed = Self.needsPrefix(cell)
            return !prefixed && !needsQuotes(cell, prefixed: false)
        }
        if plain { return }
        let cell = Array(bytes[start...])
        bytes.removeSubrange(start...)
        cell.withUnsafeBufferPointer { appendField($0) }
    }

    /// Appends a string's bytes as they are.
    private mutating func appendRaw(_ value: String) {
        if value.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) != nil { return }
        bytes.append(contentsOf: value.utf8)
    }

    /// Appends one cell given as UTF-8 bytes (see ``appendCell(_:)``).
    public mutating func appendCell(utf8 value: UnsafeBufferPointer<UInt8>) { appendField(value) }

    /// Appends the delimiter between two cells.
    public mutating func appendDelimiter() { bytes.append(delimiter) }

    /// Ends a record written cell by cell.
    public mutating func endRecord() {
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    /// Appends what another writer wrote (cells rendered once and repeated in many records). Its delimiter must be
    /// this writer's.
    public mutating func append(_ other: CSVWriter) {
        precondition(other.delimiter == delimiter, "cells written with another delimiter")
        bytes.append(contentsOf: other.bytes)
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
