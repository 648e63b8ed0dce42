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

    init(fieldIndex: [String: Int], header: [String], listSeparator: Character, locale: DateLocale) {
        let fields = fieldIndex.sorted { $0.key < $1.key }
        fieldNames = fields.map(\.key)
        fieldColumns = fields.map(\.value)
        self.header = header
        self.listSeparator = listSeparator
        self.locale = locale
    }

    /// Whether the file has a column for `field`.
    func has(_ field: String) -> Bool { column(field) != nil }

    /// The 0-based column of a field, nil when the file has none.
    @inline(__always)
    func column(_ field: String) -> Int? {
        for k in fieldNames.indices where fieldNames[k] == field { return fieldColumns[k] }
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
    var seenActiveIds: Set<GUID> = []
    var seenEligibleIds: Set<GUID> = []
    /// One `Scope` per distinct scope text: exports repeat a few thousand scopes over millions of rows.
    var scopes: [String: Scope] = [:]
    /// One copy of each repeated string (role names, display names).
    var strings: Set<String> = []
    /// `inspect` keeps no model: append-only collections are emptied as rows stream by.
    var keepModel = true
    /// Principal type spellings already read (nil: not a principal type).
    var principalTypes: [String: (PrincipalType, guest: Bool)?] = [:]
    var assetIndex: [String: Int] = [:]
    /// SQL classification: `ResourceId` cell → database id (thousands of columns share a database).
    var databaseIds: [String: String] = [:]
    /// Per-file counters behind summary problems (reset for each file).
    var notes: [String: Int] = [:]
    /// Principal types a complete directory export in this file holds.
    var typesExported: Set<PrincipalType> = []

    init(options: ImportOptions) {
        self.options = options
    }

    func source(_ record: Record) -> SourceRef { SourceRef(file: fileIndex, line: record.line) }

    /// Group → member pairs already imported (interned ids: no key string per membership).
    var seenMemberships: Set<MembershipKey> = []

    struct MembershipKey: Hashable {
        var group: String
        var member: String
    }

    /// Records a membership; false when it was already there. The ids are interned as they are kept.
    func firstTimeMembership(_ group: inout String, _ member: inout String) -> Bool {
        group = intern(group)!
        member = intern(member)!
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
            scopes.reserveCapacity(scopes.count + rows)
            seenActiveIds.reserveCapacity(seenActiveIds.count + rows)
        }
        if domains.contains(.memberships) {
            model.memberships.reserveCapacity(model.memberships.count + rows)
            seenMemberships.reserveCapacity(seenMemberships.count + rows)
        }
        if domains.contains(.assets) {
            model.assets.reserveCapacity(model.assets.count + rows)
            assetIndex.reserveCapacity(assetIndex.count + rows)
        }
    }

    /// Records a key; false when it was already there (a duplicate).
    func firstTime(_ key: String) -> Bool { seen.insert(key).inserted }

    func note(_ key: String, _ count: Int = 1) { notes[key, default: 0] += count }

    func scope(_ text: String) -> Scope {
        if let s = scopes[text] { return s }
        let s = Scope(text) { part in self.intern(String(part))! }
        // Keyed by the scope's own text when it is the cell's: the cache then holds no second copy of it.
        scopes[s.original == text ? s.original : text] = s
        return s
    }

    func intern(_ text: String?) -> String? {
        guard let text else { return nil }
        if text.utf8.count <= 15 { return text }
        return strings.insert(text).memberAfterInsert
    }

    /// Records an assignment id; false when it was already there.
    func firstTimeAssignment(_ id: String, _ type: AssignmentType) -> Bool {
        if let guid = Vocabulary.guid(id[id.lastPathSegmentRange]) {
            return type == .active ? seenActiveIds.insert(guid).inserted : seenEligibleIds.insert(guid).inserted
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
