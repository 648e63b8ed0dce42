import AccessRiskCSV
import AccessRiskModel
import Foundation

/// One row of an input seen through its format's column map: values by model field, with the conversions every
/// importer needs. Reused for every row of a file (the reader reuses its row too), so read it and let it go.
final class Record {
    /// The physical line (CSV) or the 1-based element number (JSON arrays).
    var line = 0
    var row: CSVRow?
    var values: [String] = []
    /// Header cells as written.
    let header: [String]
    /// The separator of lists inside one cell.
    let listSeparator: Character
    let locale: DateLocale

    /// Model field → 0-based column, as two parallel arrays searched in order: a row reads a dozen fields by name,
    /// and comparing short names (inline strings) is far cheaper than hashing each one, which was a fifth of an
    /// import.
    private let fieldNames: [String]
    private let fieldColumns: [Int]
    /// The two words of each name in `fieldNames` (see ``column(_:)``; none where they cannot be read), and its
    /// length in UTF-8 bytes.
    private let fieldBits: [SIMD2<UInt64>]
    private let fieldLengths: [Int]

    init(fieldIndex: [String: Int], header: [String], listSeparator: Character, locale: DateLocale) {
        let fields = fieldIndex.sorted { $0.key < $1.key }
        fieldNames = fields.map(\.key)
        fieldColumns = fields.map(\.value)
        fieldBits = StringWords.areReadable ? fieldNames.map(StringWords.of) : []
        fieldLengths = fieldNames.map(\.utf8.count)
        self.header = header
        self.listSeparator = listSeparator
        self.locale = locale
    }

    /// Whether the file has a column for `field`.
    func has(_ field: String) -> Bool { column(field) != nil }

    /// The 0-based column of a field, nil when the file has none.
    ///
    /// Names are first compared by the two words a `String` is made of (``StringWords``): equal words are the same
    /// text, and `fieldNames` keeps the names alive. The importers ask for fields by literal names, so this finds them
    /// without a call to the string comparison for each name passed over (an eighth of the instructions spent on
    /// the rows of the medium profile's files went there). Only a name not found that way is compared as text,
    /// after its length.
    @inline(__always)
    func column(_ field: String) -> Int? {
        if !fieldBits.isEmpty {
            let bits = StringWords.of(field)
            for k in fieldBits.indices where fieldBits[k] == bits { return fieldColumns[k] }
        }
        let length = field.utf8.count
        for k in fieldNames.indices where fieldLengths[k] == length && fieldNames[k] == field {
            return fieldColumns[k]
        }
        return nil
    }

    /// The cell as written, nil when the file has no such column.
    func raw(_ field: String) -> String? {
        guard let i = column(field) else { return nil }
        if let row { return row[i] }
        return i < values.count ? values[i] : ""
    }

    /// The trimmed cell, nil when absent or a "no value" spelling (SPEC §2.4).
    func text(_ field: String) -> String? {
        guard let value = raw(field) else { return nil }
        return Self.clean(value)
    }

    /// Calls `body` with the bytes of a plain cell: longer than 15 bytes (so not a "no value" spelling), its first
    /// and last bytes ASCII and not spaces (so nothing to trim): ``text(_:)`` would give these bytes. Returns nil
    /// without calling it for any other cell, or when the file has no such column: the caller takes the String path.
    @inline(__always)
    func withPlainCell<R>(_ field: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R?) rethrows -> R? {
        guard let i = column(field) else { return nil }
        if let row { return try row.withBytes(i) { bytes in Self.isPlain(bytes) ? try body(bytes) : nil } }
        guard i < values.count else { return nil }
        return try values[i].utf8.withContiguousStorageIfAvailable { bytes in
            Self.isPlain(bytes) ? try body(bytes) : nil
        } ?? nil
    }

    @inline(__always)
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count > 15 else { return false }
        let first = bytes[0]
        let last = bytes[bytes.count - 1]
        return first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80
    }

    /// `compute` of ``text(_:)``, remembered in `table` per distinct cell (by its bytes as written): for cells a
    /// file repeats over its rows, whose String need then never be made. A value that throws is not remembered.
    func memo<T>(_ field: String, _ table: inout CellTable<T>, _ compute: (String?) throws -> T) rethrows -> T {
        guard let i = column(field) else { return try compute(nil) }
        if let row { return try row.withBytes(i) { try Self.memo($0, &table, compute) } }
        guard i < values.count else { return try compute(Self.clean("")) }
        var value = values[i]
        return try value.withUTF8 { try Self.memo($0, &table, compute) }
    }

    static func memo<T>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ table: inout CellTable<T>, _ compute: (String?) throws -> T
    ) rethrows -> T {
        let (entry, hash) = table.find(bytes)
        if let entry { return table.value(at: entry) }
        let text = String(decoding: bytes, as: UTF8.self)
        let value = try compute(clean(text))
        // A cell whose bytes are not its text (invalid UTF-8, repaired) is not kept under them.
        if CellTable<T>.sameBytes(text, bytes) { table.insert(key: text, value: value, hash: hash) }
        return value
    }

    /// ``text(_:)``, interned in the sink: a plain cell repeated over the rows is found by its bytes, no String made.
    func internedText(_ field: String, _ sink: ImportSink) -> String? {
        if let found = withPlainCell(field, { sink.intern(bytes: $0) }) { return found }
        return sink.intern(text(field))
    }

    /// A plain cell of ASCII holding no space, tab or `excluded` byte, lower-cased and interned; nil for any other
    /// cell (the caller takes the String path).
    func internedLowercaseASCII(_ field: String, _ sink: ImportSink, excluding excluded: (UInt8, UInt8)) -> String? {
        withPlainCell(field) { bytes -> String? in
            var bits: UInt8 = 0
            var upper = false
            for b in bytes {
                bits |= b
                if b == 0x20 || b == 0x09 || b == excluded.0 || b == excluded.1 { return nil }
                if b &- 0x41 < 26 { upper = true }
            }
            guard bits < 0x80 else { return nil }
            guard upper else { return sink.intern(bytes: bytes) }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { out in
                for i in bytes.indices { out[i] = bytes[i] &- 0x41 < 26 ? bytes[i] | 0x20 : bytes[i] }
                return sink.intern(bytes: UnsafeBufferPointer(out))
            }
        }
    }

    /// The value trimmed, nil for a "no value" spelling. ASCII cells without surrounding spaces (nearly all of
    /// them) skip the Unicode-aware trimming.
    static func clean(_ value: String) -> String? {
        let utf8 = value.utf8
        guard let first = utf8.first, let last = utf8.last else { return nil }
        if first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            if utf8.count <= 15, NoValue.isNoValue(value) { return nil }
            return value
        }
        if NoValue.isNoValue(value) { return nil }
        return String(value.trimmingSpaces)
    }

    /// The trimmed cell, which must hold a value.
    func required(_ field: String) throws -> String {
        guard let value = text(field) else { throw RowProblem(field: field, "required value is missing") }
        return value
    }

    func date(_ field: String) throws -> Timestamp? {
        // Most date cells are read on their bytes, without a String (see `DateParsing.parseOptional(ascii:locale:)`).
        guard let column = column(field) else { return nil }
        if let row, let parsed = row.withBytes(column, { DateParsing.parseOptional(ascii: $0, locale: locale) }) {
            return parsed
        }
        guard let value = raw(field) else { return nil }
        do {
            return try DateParsing.parseOptional(value, locale: locale)
        } catch {
            throw RowProblem(field: field, error.description)
        }
    }

    func bool(_ field: String) throws -> Bool? {
        guard let value = raw(field) else { return nil }
        do {
            return try BoolParsing.parse(value)
        } catch {
            throw RowProblem(field: field, error.description)
        }
    }

    /// A list inside one cell, split on the list separator (JSON arrays use an internal one), trimmed, no empties.
    func list(_ field: String) -> [String] {
        guard let value = text(field) else { return [] }
        let separator: Character =
            value.contains(JSONFlattener.listSeparator) ? JSONFlattener.listSeparator : listSeparator
        return value.split(separator: separator).map { String($0.trimmingSpaces) }.filter {
            !$0.isEmpty && !NoValue.isNoValue($0)
        }
    }

    /// The header cell that feeds `field` (for messages).
    func columnName(_ field: String?) -> String? {
        guard let field, let i = column(field), i < header.count else { return field }
        return header[i]
    }
}

/// Where rows go: the model being built and what is needed to de-duplicate across files.
final class ImportSink {
    var model = AccessModel()
    let options: ImportOptions
    var fileIndex = 0
    /// Reports bytes read of the current file to the caller's progress callback, when there is one.
    var reportProgress: ((Int) -> Void)?
    var seen: Set<String> = []
    /// Assignment ids that are GUIDs, kept as 16 bytes each (a million rows stay small).
    let seenActiveIds = GUIDSet()
    let seenEligibleIds = GUIDSet()
    /// One `Scope` per distinct scope text, found by the cell's bytes: exports repeat a few thousand scopes over
    /// millions of rows. Given up (see ``scope(bytes:text:)``) when it does not pay.
    var scopes = CellTable<Scope>()
    /// Lookups in `scopes` and how many found a scope; whether the table is given up.
    private var scopeLookups = 0
    private var scopeHits = 0
    private var scopesGivenUp = false
    /// After this many lookups, `scopes` is given up when fewer than one in sixteen found a scope.
    static let scopeTrialLookups = 65_536
    /// One copy of each repeated string (ids, role names, display names), found by the cell's bytes.
    var strings = CellTable<Void>()
    /// `inspect` keeps no model: append-only collections are emptied as rows stream by.
    var keepModel = true
    /// Principal type spellings already read (nil: not a principal type).
    var principalTypes = CellTable<(PrincipalType, guest: Bool)?>()
    var assetIndex = CellTable<Int>()
    /// SQL classification: `ResourceId` cell → database id (thousands of columns share a database).
    var databaseIds = CellTable<String?>()
    /// Per-file counters behind summary problems (reset for each file).
    var notes: [String: Int] = [:]
    /// Principal types a complete directory export in this file holds.
    var typesExported: Set<PrincipalType> = []

    init(options: ImportOptions) {
        self.options = options
    }

    func source(_ record: Record) -> SourceRef { SourceRef(file: fileIndex, line: record.line) }

    /// Group → member pairs already imported whose ids are not both longer than 15 bytes.
    var seenMemberships: Set<MembershipKey> = []
    /// Group → member pairs of long ids (GUIDs), told by the storage of the ids' interned strings: one string per
    /// text, kept alive by ``strings``, so equal storage is equal text. A pair is kept as its two words (a `GUID`'s
    /// 16 bytes) in the set that keeps assignment ids: a `Set` SipHashed them, a sixth of reading a member row.
    let seenMembershipStorage = GUIDSet()

    struct MembershipKey: Hashable {
        var group: String
        var member: String
    }

    /// Records a membership of two ids interned in this sink (what `Vocabulary.objectId` with the sink gives);
    /// false when it was already there.
    func firstTimeMembership(_ group: String, _ member: String) -> Bool {
        // An interned id longer than 15 bytes is held out of line: its storage word stands for its text.
        if StringWords.areReadable, group.utf8.count > 15, member.utf8.count > 15 {
            return seenMembershipStorage.insert(
                GUID(high: StringWords.objectWord(group), low: StringWords.objectWord(member)))
        }
        return seenMemberships.insert(MembershipKey(group: group, member: member)).inserted
    }

    /// Makes room for about `rows` more rows of a format writing `domains` (counted, or estimated from a file's
    /// size): tables of a million keys grown by doubling rehash every key several times.
    func expect(rows: Int, domains: ImportDomains) {
        // Capped: an estimate from a hostile file (tiny rows, huge size) must not reserve gigabytes.
        guard keepModel, rows > 0 else { return }
        let rows = min(rows, 1 << 22)
        if domains.contains(.assignments) {
            model.assignments.reserveCapacity(model.assignments.count + rows)
            // The table may be given up after its trial: room for the trial's scopes at first.
            if !scopesGivenUp { scopes.reserveCapacity(scopes.count + min(rows, Self.scopeTrialLookups)) }
            seenActiveIds.reserveCapacity(seenActiveIds.count + rows)
        }
        if domains.contains(.memberships) {
            model.memberships.reserveCapacity(model.memberships.count + rows)
            seenMembershipStorage.reserveCapacity(seenMembershipStorage.count + rows)
        }
        if domains.contains(.principals) {
            model.principals.reserveCapacity(model.principals.count + rows)
            principalFiles.reserveCapacity(principalFiles.count + rows)
        }
        if domains.contains(.assets) {
            model.assets.reserveCapacity(model.assets.count + rows)
            assetIndex.reserveCapacity(assetIndex.count + rows)
        }
    }

    /// Principal id → the last file that listed it.
    var principalFiles = CellTable<Int>()

    /// Records a principal of the current file; false when the file listed it already (a duplicate). Another
    /// file's listing is not a duplicate: the principal is merged.
    func firstTimePrincipal(_ id: String) -> Bool {
        let (file, found, hash) = principalFiles.lookUp(id)
        guard let entry = found, let file else {
            principalFiles.insert(key: id, value: fileIndex, hash: hash)
            return true
        }
        guard file != fileIndex else { return false }
        principalFiles.setValue(fileIndex, at: entry)
        return true
    }

    /// Records a key; false when it was already there (a duplicate).
    func firstTime(_ key: String) -> Bool { seen.insert(key).inserted }

    func note(_ key: String, _ count: Int = 1) { notes[key, default: 0] += count }

    func scope(_ text: String) -> Scope {
        text.utf8.withContiguousStorageIfAvailable { scope(bytes: $0, text: text) }
            ?? Scope(text) { part in
                self.intern(bytes: part)
            }
    }

    /// The scope of a cell's bytes; `text` is the cell as a String when the caller has made one already.
    ///
    /// Scopes are looked up in `scopes`, so that an export repeating a scope makes one value of it. An export whose
    /// scopes hardly repeat (resource-level assignments: the enterprise profile's million rows name a million scopes)
    /// gains nothing from the table and pays a missed lookup and an insertion per row, and the table's memory: after
    /// ``scopeTrialLookups`` lookups with fewer than one in sixteen found, the table is given up and each scope is
    /// made on its own. Only sharing is lost: equal scopes compare equal whether or not they are one value.
    func scope(bytes: UnsafeBufferPointer<UInt8>, text: String? = nil) -> Scope {
        if scopesGivenUp {
            return Scope(text ?? String(decoding: bytes, as: UTF8.self)) { part in self.intern(bytes: part) }
        }
        let (found, _, hash) = scopes.lookUp(bytes)
        scopeLookups += 1
        if let found {
            scopeHits += 1
            return found
        }
        if scopeLookups >= Self.scopeTrialLookups, scopeHits < scopeLookups / 16 {
            scopesGivenUp = true
            scopes = CellTable<Scope>()
        }
        let text = text ?? String(decoding: bytes, as: UTF8.self)
        let s = Scope(text) { part in self.intern(bytes: part) }
        // Keyed by the scope's own text when it is the cell's: the cache then holds no second copy of it. A cell
        // whose bytes are not its text (invalid UTF-8, repaired) is not kept.
        let key = s.original == text ? s.original : text
        if !scopesGivenUp, CellTable<Scope>.sameBytes(key, bytes) { scopes.insert(key: key, value: s, hash: hash) }
        return s
    }

    func intern(_ text: String?) -> String? {
        guard let text else { return nil }
        if text.utf8.count <= 15 { return text }
        return strings.intern(text)
    }

    /// The one copy of the string these bytes spell (short strings are made: they are held inline).
    func intern(bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.count <= 15 { return String(decoding: bytes, as: UTF8.self) }
        return strings.intern(bytes)
    }

    /// Records an assignment id; false when it was already there.
    func firstTimeAssignment(_ id: String, _ type: AssignmentType) -> Bool {
        if let guid = Vocabulary.guid(lastSegmentOf: id) {
            return type == .active ? seenActiveIds.insert(guid) : seenEligibleIds.insert(guid)
        }
        return firstTime("assignment|\(type.rawValue)|" + Vocabulary.lastSegment(id))
    }

    /// Without a model to keep, drops what append-only collections hold.
    func trimIfNotKeeping() {
        guard !keepModel, model.assignments.count >= 4096 else { return }
        model.assignments.removeAll(keepingCapacity: true)
        model.memberships.removeAll(keepingCapacity: true)
        model.awsCredentials.removeAll(keepingCapacity: true)
    }
}
