import CLibCSV

/// One record of a delimited file, handed to the caller of ``CSVReader/read(_:)``.
///
/// The reader reuses one instance for every record: read what you need inside the callback and do not keep it.
/// Fields are stored as bytes and become `String`s only when asked for.
public final class CSVRow {
    /// The 1-based physical line on which the record starts.
    // The properties are exempt from dynamic exclusivity checks: the row is touched once per field on the hot
    // path, only by the reader's own thread, and the checks cost more than libcsv's parsing of the field.
    @exclusivity(unchecked) public internal(set) var line = 1
    // The fields live in two buffers the row owns and frees: an array property of a class is retained and released
    // around each access, a dozen times a row, which cost more than reading the fields.
    /// The bytes of every field, back to back: `byteCount` of `byteCapacity` used.
    @usableFromInline @exclusivity(unchecked) var bytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private(set) var byteCount = 0
    @exclusivity(unchecked) private var byteCapacity: Int
    /// The end offset of each field in `bytes`: `fieldCount` of `endCapacity` used.
    @usableFromInline @exclusivity(unchecked) var ends: UnsafeMutablePointer<Int>
    @usableFromInline @exclusivity(unchecked) var fieldCount = 0
    @exclusivity(unchecked) private var endCapacity: Int
    /// The 0-based index of the first field that is not valid text, if any: invalid UTF-8, or in a UTF-16 file an
    /// unpaired surrogate or a truncated code unit (shown as U+FFFD in the String).
    @exclusivity(unchecked) public internal(set) var invalidUTF8Field: Int?
    /// The 0-based index of the first field holding a NUL byte, if any.
    @exclusivity(unchecked) public internal(set) var nulField: Int?
    /// How many line breaks the record spans inside quoted fields.
    @exclusivity(unchecked) var embeddedNewlines = 0

    init() {
        byteCapacity = 4096
        bytes = .allocate(capacity: byteCapacity)
        endCapacity = 64
        ends = .allocate(capacity: endCapacity)
    }

    deinit {
        bytes.deallocate()
        ends.deallocate()
    }

    /// The number of fields in the record.
    @inlinable public var count: Int { fieldCount }

    /// The byte range of field `index`, which must be in range.
    @inlinable @inline(__always)
    func range(_ index: Int) -> (start: Int, end: Int) {
        (index == 0 ? 0 : ends[index - 1], ends[index])
    }

    /// Field `index` (0-based) as a String; an index past the end gives "".
    public subscript(index: Int) -> String {
        guard index >= 0, index < count else { return "" }
        let (start, end) = range(index)
        if start == end { return "" }
        return String(decoding: UnsafeBufferPointer(start: bytes + start, count: end - start), as: UTF8.self)
    }

    /// The byte length of field `index`, without making a String.
    public func byteCount(_ index: Int) -> Int {
        guard index >= 0, index < count else { return 0 }
        let (start, end) = range(index)
        return end - start
    }

    /// Calls `body` with the raw UTF-8 bytes of field `index`.
    @inlinable @inline(__always)
    public func withBytes<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard index >= 0, index < fieldCount else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        let (start, end) = range(index)
        return try withExtendedLifetime(self) {
            try body(UnsafeBufferPointer(start: bytes + start, count: end - start))
        }
    }

    /// Every field as a String.
    public var fields: [String] { (0..<count).map { self[$0] } }

    /// Whether every field is empty (a line of delimiters only).
    public var isBlank: Bool { byteCount == 0 }

    /// Adds a field of these bytes (none for an empty field).
    @inline(__always)
    func append(_ field: UnsafeRawBufferPointer) {
        if !field.isEmpty {
            if byteCount + field.count > byteCapacity { growBytes(to: byteCount + field.count) }
            (bytes + byteCount).initialize(
                from: field.baseAddress!.assumingMemoryBound(to: UInt8.self), count: field.count)
            byteCount += field.count
        }
        if fieldCount == endCapacity { growEnds() }
        (ends + fieldCount).initialize(to: byteCount)
        fieldCount += 1
    }

    private func growBytes(to needed: Int) {
        var capacity = byteCapacity * 2
        while capacity < needed { capacity *= 2 }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.initialize(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = capacity
    }

    private func growEnds() {
        let capacity = endCapacity * 2
        let grown = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        grown.initialize(from: ends, count: fieldCount)
        ends.deallocate()
        ends = grown
        endCapacity = capacity
    }

    func reset() {
        byteCount = 0
        fieldCount = 0
        invalidUTF8Field = nil
        nulField = nil
        embeddedNewlines = 0
    }
}

/// Options of a ``CSVReader``.
public struct CSVReadOptions: Sendable {
    /// The delimiter, or nil to sniff it among `,` `;` and TAB from the first record that holds one (normally the
    /// header), within the first 256 KiB.
    public var delimiter: UInt8?
    /// Bytes read from the input at a time.
    public var chunkSize: Int
    /// Skip a first line starting with `#TYPE ` (PowerShell's `Export-Csv` without `-NoTypeInformation`).
    public var skipTypeLine: Bool
    /// The longest record accepted, in bytes of UTF-8. A longer one is an error (usually a quote that is never
    /// closed), so memory stays bounded whatever the file holds.
    public var maxRecordBytes: Int

    public init(
        delimiter: UInt8? = nil, chunkSize: Int = 1 << 20, skipTypeLine: Bool = true, maxRecordBytes: Int = 64 << 20
    ) {
        self.delimiter = delimiter
        self.chunkSize = chunkSize
        self.skipTypeLine = skipTypeLine
        self.maxRecordBytes = maxRecordBytes
    }
}

/// A streaming reader of delimited text over libcsv.
///
/// It detects the encoding (UTF-8 with or without BOM, UTF-16 LE/BE with BOM), sniffs the delimiter, skips a
/// `#TYPE` line, tracks the physical line of every record (quoted fields may span lines; CRLF, LF or CR), and
/// turns libcsv's strict-mode errors into a ``CSVError`` naming the file, line and field. Memory use is bounded by
/// the chunk size and the longest record, not by the file size.
public final class CSVReader {
    /// The name used in messages (usually the path as the user gave it).
    public let displayName: String
    public let encoding: TextEncoding
    /// The delimiter in use (sniffed unless given).
    public let delimiter: UInt8
    /// Whether a `#TYPE` line was skipped.
    public let skippedTypeLine: Bool
    /// The raw bytes read from the input so far.
    public var bytesRead: Int { byteReader.totalBytes }

    private let maxRecordBytes: Int
    private let byteReader: ChunkedByteReader
    private let decoder: UTF8ChunkDecoder
    private var firstChunk: [UInt8]
    private var consumed = false
    private var stopRequested = false
    private var activeContext: ParseContext?

    public convenience init(path: String, displayName: String? = nil, options: CSVReadOptions = .init())
        throws(CSVError)
    {
        try self.init(source: .file(path: path), displayName: displayName ?? path, options: options)
    }

    public init(source: ByteSource, displayName: String, options: CSVReadOptions = .init()) throws(CSVError) {
        self.displayName = displayName
        do {
            byteReader = try ChunkedByteReader(source: source, displayName: displayName, chunkSize: options.chunkSize)
            decoder = try UTF8ChunkDecoder(reader: byteReader, displayName: displayName)
        } catch {
            var e = error
            e.file = displayName
            throw e
        }
        encoding = decoder.encoding
        maxRecordBytes = max(options.maxRecordBytes, 1)
        // Gather the `#TYPE` line, if any, and the records needed for sniffing (up to `headLimit` bytes), the
        // same way whatever the chunk size.
        var head: [UInt8] = []
        var atEnd = false
        let source = decoder
        func gather() throws(CSVError) {
            let more = try Self.next(source, displayName)
            if more.isEmpty { atEnd = true } else { head += more }
        }
        try gather()
        var skipped = false
        // Each check rescans the head, so it runs again only once the head has doubled: linear in the head even
        // with tiny chunks.
        var checkAt = 0
        if options.skipTypeLine {
            while !atEnd, head.count < Self.typePrefix.count, Self.typePrefix.starts(with: head) { try gather() }
            if head.starts(with: Self.typePrefix) {
                while true {
                    let full = atEnd || head.count >= Self.headLimit
                    if full || head.count >= checkAt {
                        if let end = Self.firstLineEnd(head, atEnd: atEnd), end <= Self.headLimit {
                            head.removeFirst(end)
                            skipped = true
                            break
                        }
                        if full { break }
                        checkAt = head.count * 2
                    }
                    try gather()
                }
            }
        }
        var sniffed = options.delimiter
        checkAt = 0
        while sniffed == nil {
            let full = atEnd || head.count >= Self.headLimit
            if full || head.count >= checkAt {
                // Only the first `headLimit` bytes count, so the answer does not depend on how much was read.
                let window = head.count > Self.headLimit ? Array(head.prefix(Self.headLimit)) : head
                if let decided = Self.sniffDelimiter(window, atEnd: full) {
                    sniffed = decided
                    break
                }
                checkAt = head.count * 2
            }
            try gather()
        }
        skippedTypeLine = skipped
        firstChunk = head
        delimiter = sniffed ?? 0x2C
    }

    /// The start of PowerShell's type line.
    static let typePrefix = Array("#TYPE ".utf8)
    /// The most the reader gathers before parsing to skip the type line and sniff the delimiter.
    static let headLimit = 256 * 1024

    private static func next(_ decoder: UTF8ChunkDecoder, _ name: String) throws(CSVError) -> [UInt8] {
        do {
            return try decoder.next()
        } catch {
            var e = error
            e.file = name
            throw e
        }
    }

    /// The offset just past the first line break (CRLF, LF or CR) in `bytes`, or nil when it is not known yet
    /// (no line break, or a CR that may be followed by an LF in the next chunk).
    static func firstLineEnd(_ bytes: [UInt8], atEnd: Bool) -> Int? {
        guard let nl = bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else { return atEnd ? bytes.count : nil }
        if bytes[nl] == 0x0A { return nl + 1 }
        if nl + 1 < bytes.count { return bytes[nl + 1] == 0x0A ? nl + 2 : nl + 1 }
        return atEnd ? nl + 1 : nil
    }

    /// Picks the delimiter among `,` `;` and TAB from the first record that holds any of them outside quotes
    /// (a one-column header says nothing): the one that occurs most often there, a tie going to `,`, then `;`.
    /// Blank lines are skipped; with no candidate anywhere the answer is `,`.
    static func sniffDelimiter(_ text: [UInt8]) -> UInt8 {
        sniffDelimiter(text, atEnd: true) ?? 0x2C
    }

    /// As ``sniffDelimiter(_:)``, or nil when `text` ends before a record with a candidate is complete and more
    /// text may follow.
    static func sniffDelimiter(_ text: [UInt8], atEnd: Bool) -> UInt8? {
        var comma = 0
        var semicolon = 0
        var tab = 0
        var inQuotes = false
        var seenText = false
        func pick() -> UInt8? {
            if comma == 0, semicolon == 0, tab == 0 { return nil }
            if tab > comma, tab > semicolon { return 0x09 }
            return semicolon > comma ? 0x3B : 0x2C
        }
        for b in text {
            if b == 0x22 {
                inQuotes.toggle()
                seenText = true
            } else if inQuotes {
                continue
            } else if b == 0x0A || b == 0x0D {
                if seenText, let best = pick() { return best }
                seenText = false
            } else {
                seenText = true
                switch b {
                case 0x2C: comma += 1
                case 0x3B: semicolon += 1
                case 0x09: tab += 1
                default: break
                }
            }
        }
        return atEnd ? pick() ?? 0x2C : nil
    }

    /// Ends the reading after the current record.
    public func stop() {
        stopRequested = true
        activeContext?.stop = true
    }

    /// Reads every record, calling `body` for each with its physical line. Blank lines are skipped.
    ///
    /// The first record is the header, if the file has one. Errors thrown by `body` stop the reading and are
    /// rethrown unchanged.
    public func read(_ body: (CSVRow) throws -> Void) throws {
        precondition(!consumed, "a CSVReader reads its input once")
        consumed = true
        try withoutActuallyEscaping(body) { escapable in
            let context = ParseContext(
                body: escapable, firstLine: skippedTypeLine ? 2 : 1, displayName: displayName,
                maxRecordBytes: maxRecordBytes)
            activeContext = context
            defer { activeContext = nil }
            try run(context)
        }
    }

    private func run(_ context: ParseContext) throws {
        let parser = UnsafeMutablePointer<csv_parser>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) == 0 else {
            throw CSVError(file: displayName, kind: .unreadable, message: "libcsv could not be initialised")
        }
        defer { csv_free(parser) }
        csv_set_delim(parser, delimiter)
        let opaque = Unmanaged.passUnretained(context).toOpaque()
        // Characters of the current physical line that lie in earlier chunks, for the column of an error. Only the
        // tail of each chunk is scanned; the line itself comes from the record lines the callbacks keep.
        var columnCarry = 0
        func feed(_ chunk: UnsafeBufferPointer<UInt8>) throws {
            let parsed = withExtendedLifetime(context) {
                csv_parse(parser, chunk.baseAddress, chunk.count, fieldCallback, rowCallback, opaque)
            }
            if let error = context.error { throw error }
            if context.stop { stopRequested = true }
            if parsed < chunk.count {
                throw malformed(parser, context, chunk: chunk, at: parsed, columnCarry: columnCarry)
            }
            if context.row.byteCount + parser.pointee.entry_pos > maxRecordBytes {
                throw context.recordTooLong(column: context.row.count + 1)
            }
            if let nl = chunk.lastIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                columnCarry = Self.characters(UnsafeBufferPointer(rebasing: chunk[(nl + 1)...]))
            } else {
                columnCarry += Self.characters(chunk)
            }
        }
        let first = firstChunk
        firstChunk = []
        // The chunks after the head are read into one buffer of the decoder (see `nextInPlace`).
        if !first.isEmpty {
            try first.withUnsafeBufferPointer { try feed($0) }
            while !stopRequested {
                let chunk: UnsafeBufferPointer<UInt8>
                do {
                    chunk = try decoder.nextInPlace()
                } catch {
                    var e = error
                    e.file = displayName
                    throw e
                }
                if chunk.isEmpty { break }
                try feed(chunk)
            }
        }
        if stopRequested { return }
        let finished = withExtendedLifetime(context) {
            csv_fini(parser, fieldCallback, rowCallback, opaque)
        }
        if let error = context.error { throw error }
        if finished != 0 {
            throw CSVError(
                file: displayName, line: context.nextRowLine, column: context.row.count + 1, kind: .malformed,
                message: "unterminated quoted field: the file ends inside quotes (truncated file?)")
        }
    }
}

extension CSVReader {
    /// The number of characters (UTF-8 lead bytes) in `bytes`.
    static func characters(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for b in bytes where b & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// The number of line breaks in `bytes`, a CRLF counting once.
    static func lineBreaks(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        var previous: UInt8 = 0
        for b in bytes {
            if b == 0x0D || (b == 0x0A && previous != 0x0D) { n += 1 }
            previous = b
        }
        return n
    }

    /// The error for libcsv's refusal of the byte at `offset` of `chunk`, located as a physical line, a field and a
    /// character of the line.
    fileprivate func malformed(
        _ parser: UnsafeMutablePointer<csv_parser>, _ context: ParseContext, chunk: UnsafeBufferPointer<UInt8>,
        at offset: Int,
        columnCarry: Int
    ) -> CSVError {
        let status = csv_error(parser)
        // The record starts on `nextRowLine`; add the line breaks in its fields so far, including the one being read
        // (libcsv's entry buffer holds it, line breaks unchanged).
        var line = context.nextRowLine + context.row.embeddedNewlines
        if let entry = parser.pointee.entry_buf, parser.pointee.entry_pos > 0 {
            line += Self.lineBreaks(UnsafeBufferPointer(start: entry, count: parser.pointee.entry_pos))
        }
        let before = UnsafeBufferPointer(rebasing: chunk[..<offset])
        let column =
            if let nl = before.lastIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                Self.characters(UnsafeBufferPointer(rebasing: before[(nl + 1)...]))
            } else {
                columnCarry + Self.characters(before)
            }
        let reason =
            status == CSV_EPARSE
            ? "malformed quoting: a quote inside an unquoted field, or text after a closing quote"
            : String(cString: csv_strerror(status))
        return CSVError(
            file: displayName, line: line, column: context.row.count + 1, kind: .malformed,
            message: "\(reason) (character \(column + 1) of the line)")
    }
}

/// State shared with libcsv's callbacks during one `csv_parse`/`csv_fini` call.
private final class ParseContext {
    let body: (CSVRow) throws -> Void
    let row = CSVRow()
    let firstLine: Int
    /// The physical line on which the next record starts.
    @exclusivity(unchecked) var nextRowLine: Int
    @exclusivity(unchecked) var lastTerminator: Int32 = -2
    @exclusivity(unchecked) var error: (any Error)?
    @exclusivity(unchecked) var stop = false

    let displayName: String
    let maxRecordBytes: Int

    init(body: @escaping (CSVRow) throws -> Void, firstLine: Int, displayName: String, maxRecordBytes: Int) {
        self.body = body
        self.firstLine = firstLine
        self.nextRowLine = firstLine
        self.displayName = displayName
        self.maxRecordBytes = maxRecordBytes
    }

    /// The error for a record that grew past `maxRecordBytes` while reading its field `column` (1-based).
    func recordTooLong(column: Int) -> CSVError {
        CSVError(
            file: displayName, line: nextRowLine, column: column, kind: .malformed,
            message:
                "record longer than \(maxRecordBytes) bytes: a quote that is never closed? "
                + "(limit: CSVReadOptions.maxRecordBytes)")
    }

    @inline(__always)
    func appendField(_ data: UnsafeMutableRawPointer?, _ length: Int) {
        if length > 0, let data {
            let bytes = UnsafeRawBufferPointer(start: data, count: length)
            let fieldIndex = row.count
            if Self.needsInspection(bytes) { inspect(bytes, fieldIndex: fieldIndex) }
            row.append(bytes)
            if row.byteCount > maxRecordBytes, error == nil {
                error = recordTooLong(column: fieldIndex + 1)
                stop = true
            }
        } else {
            row.append(UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }

    /// Whether any byte is a control character below 0x0E (NUL, CR, LF) or not ASCII.
    @inline(__always)
    static func needsInspection(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var i = 0
        let base = bytes.baseAddress!
        while i + 8 <= count {
            let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if ((w &- 0x0E0E_0E0E_0E0E_0E0E) | w) & 0x8080_8080_8080_8080 != 0 { return true }
            i += 8
        }
        while i < count {
            let b = bytes[i]
            if b < 0x0E || b >= 0x80 { return true }
            i += 1
        }
        return false
    }

    func inspect(_ bytes: UnsafeRawBufferPointer, fieldIndex: Int) {
        var highBit = false
        var previous: UInt8 = 0
        for b in bytes {
            switch b {
            case 0:
                if row.nulField == nil { row.nulField = fieldIndex }
            case 0x0A:
                if previous != 0x0D { row.embeddedNewlines += 1 }
            case 0x0D:
                row.embeddedNewlines += 1
            case 0x80...:
                highBit = true
            default:
                break
            }
            previous = b
        }
        if highBit, row.invalidUTF8Field == nil {
            let valid = bytes.withMemoryRebound(to: UInt8.self) { isValidUTF8($0) }
            if !valid { row.invalidUTF8Field = fieldIndex }
        }
    }

    func endRow(_ terminator: Int32) {
        defer { lastTerminator = terminator }
        if row.count == 0 {
            // A line break outside any record (CSV_REPALL_NL): a blank line, or the LF of a CRLF.
            if !(terminator == 0x0A && lastTerminator == 0x0D) { nextRowLine += 1 }
            return
        }
        row.line = nextRowLine
        nextRowLine += row.embeddedNewlines + (terminator >= 0 ? 1 : 0)
        if error == nil, !stop {
            do {
                try body(row)
            } catch {
                self.error = error
            }
        }
        row.reset()
    }
}

private func fieldCallback(_ data: UnsafeMutableRawPointer?, _ length: Int, _ context: UnsafeMutableRawPointer?) {
    // The context outlives the csv_parse call that invokes this (withExtendedLifetime): no retain needed.
    Unmanaged<ParseContext>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.appendField(data, length) }
}

private func rowCallback(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
    Unmanaged<ParseContext>.fromOpaque(context!)._withUnsafeGuaranteedRef { $0.endRow(terminator) }
}
