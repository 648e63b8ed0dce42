import AccessRiskCSV
import AccessRiskModel

/// Cell vocabularies shared by several exports.
enum Vocabulary {
    /// A principal type as PowerShell (`User`, `ServicePrincipal`, `ForeignGroup`, `Unknown`), the CLI, AzGovViz
    /// (`User Guest`, `SP MI Sys`, …), Graph (`#microsoft.graph.user`) or the native format writes it.
    /// Returns the type and whether the spelling itself says guest. nil for an unknown spelling.
    static func principalType(_ text: String?) -> (PrincipalType, guest: Bool)? {
        guard let text else { return (.unknown, false) }
        var key = HeaderName.normalize(text)
        if key.hasPrefix("#microsoftgraph") { key.removeFirst("#microsoftgraph".count) }
        switch key {
        case "user", "usermember", "member": return (.user, false)
        case "userguest", "guest": return (.user, true)
        case "group", "foreigngroup", "securitygroup", "m365group", "unifiedgroup": return (.group, false)
        case "serviceprincipal", "spappint", "spappext", "app", "application", "sp", "legacy", "socialidp":
            return (.servicePrincipal, false)
        case "managedidentity", "spmiusr", "spmisys", "msi", "mi", "systemassignedmanagedidentity",
            "userassignedmanagedidentity":
            return (.managedIdentity, false)
        case "unknown", "device", "orgcontact", "contact": return (.unknown, false)
        default:
            if key.hasPrefix("spmi") { return (.managedIdentity, false) }
            if key.hasPrefix("sp") { return (.servicePrincipal, false) }
            return nil
        }
    }

    static func principalType(_ record: Record, _ field: String, _ sink: ImportSink? = nil) throws -> (
        PrincipalType, guest: Bool
    ) {
        guard let parsed = sink.map({ principalType(record, field, cached: $0) }) ?? principalType(record.text(field))
        else {
            throw RowProblem(
                field: field,
                "\"\(record.text(field) ?? "")\" is not a principal type (User, Group, ServicePrincipal, ManagedIdentity, "
                    + "Unknown)")
        }
        return parsed
    }

    /// ``principalType(_:)`` of a cell, remembered per distinct cell in the sink (a file repeats a handful of
    /// spellings over every row): found by the cell's bytes, no String made.
    static func principalType(_ record: Record, _ field: String, cached sink: ImportSink) -> (
        PrincipalType, guest: Bool
    )? {
        record.memo(field, &sink.principalTypes) { principalType($0) }
    }

    /// `active`/`eligible` and the PIM spellings (`Assigned`, `Activated`, `Active`, `Eligible`, `Permanent`).
    static func assignmentType(_ record: Record, _ field: String, default fallback: AssignmentType = .active) throws
        -> AssignmentType
    {
        guard let value = record.text(field) else { return fallback }
        switch HeaderName.normalize(value) {
        case "active", "assigned", "activated", "permanent", "permanentlyassigned", "direct": return .active
        case "eligible", "permanentlyeligible", "eligibleassignment": return .eligible
        default:
            throw RowProblem(field: field, "\"\(value)\" is not an assignment type (active or eligible)")
        }
    }

    /// A GUID-looking object id check: keeps ids as given (lower-cased) but rejects obvious garbage with spaces.
    /// With a sink, the id is interned there (a plain lower-case ASCII cell without making a String of it).
    static func objectId(_ record: Record, _ field: String, _ sink: ImportSink? = nil) throws -> String? {
        if let sink {
            if let key = record.internedLowercaseASCII(field, sink, excluding: (UInt8(ascii: "{"), 0x09)) {
                return key
            }
            return try objectId(record, field).map { sink.intern($0)! }
        }
        guard let value = record.text(field) else { return nil }
        var key = value.containsBytes("{") ? Principal.key(value) : value.lowercasedIfNeeded()
        if key.withUTF8({ $0.contains { $0 == 0x20 || $0 == 0x09 } }) {
            throw RowProblem(field: field, "\"\(value)\" is not an object id")
        }
        return key
    }

    /// Removes HTML markup (AzGovViz writes built-in role names as links).
    static func stripHTML(_ text: String) -> String {
        guard text.containsBytes("<") else { return text }
        var out = ""
        var inTag = false
        for c in text {
            if c == "<" {
                inTag = true
            } else if c == ">" {
                inTag = false
            } else if !inTag {
                out.append(c)
            }
        }
        return String(out.trimmingSpaces)
    }

    /// The scope part of an assignment id `{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}`.
    static func scope(fromAssignmentId id: String) -> String? {
        let lower = id.lowercased()
        guard let range = lower.byteRange(of: "/providers/microsoft.authorization/roleassignments/") else { return nil }
        let offset = lower.distance(from: lower.startIndex, to: range.lowerBound)
        let scope = String(id.prefix(offset))
        return scope.isEmpty ? "/" : scope
    }

    /// The last path segment of an id, lower-cased.
    static func lastSegment(_ id: String) -> String {
        let range = id.lastPathSegmentRange
        return Principal.key(String(id[range]))
    }

    /// The GUID of the last path segment of an id (the text after the last `/`, trailing `/`s ignored; see
    /// ``guid(_:)``), read from the id's bytes.
    static func guid(lastSegmentOf id: String) -> GUID? {
        var id = id
        return id.withUTF8 { bytes in guid(UnsafeBufferPointer(rebasing: bytes[String.lastPathSegment(in: bytes)])) }
    }

    /// A GUID (`8-4-4-4-12` hex digits, either case, optionally in braces) as 16 bytes; nil for anything else.
    static func guid(_ bytes: UnsafeBufferPointer<UInt8>) -> GUID? {
        if bytes.count == 38, bytes[0] == UInt8(ascii: "{"), bytes[37] == UInt8(ascii: "}") {
            return GUID.parse(UnsafeBufferPointer(rebasing: bytes[1..<37]))
        }
        return GUID.parse(bytes)
    }

    /// A role definition GUID from a bare GUID or a full definition id, lower-cased.
    static func roleGuid(_ text: String) -> String {
        text.containsBytes("/") || text.containsBytes("{")
            ? RoleDefinition.guid(fromDefinitionId: text) : text.lowercasedIfNeeded()
    }

    /// A role definition id cell (a GUID or a definition id) as ``roleGuid(_:)``, interned in the sink.
    static func roleId(_ record: Record, _ field: String, _ sink: ImportSink) -> String? {
        if let guid = record.internedLowercaseASCII(field, sink, excluding: (UInt8(ascii: "/"), UInt8(ascii: "{"))) {
            return guid
        }
        return sink.intern(record.text(field).map(roleGuid))
    }

    /// A role name cell, HTML markup removed (``stripHTML(_:)``), interned in the sink.
    static func roleName(_ record: Record, _ field: String, _ sink: ImportSink) -> String? {
        record.internedText(field, sink).map { $0.containsBytes("<") ? sink.intern(stripHTML($0))! : $0 }
    }

    /// An ARM scope cell: must start with `/`.
    static func armScope(_ record: Record, _ field: String, _ sink: ImportSink? = nil) throws -> Scope? {
        if let sink,
            let scope = record.withPlainCell(field, { $0[0] == UInt8(ascii: "/") ? sink.scope(bytes: $0) : nil })
        {
            return scope
        }
        guard let value = record.text(field) else { return nil }
        guard value.hasPrefix("/") else {
            throw RowProblem(field: field, "\"\(value)\" is not an ARM scope (it must start with /)")
        }
        return sink?.scope(value) ?? Scope(value)
    }
}

/// A GUID held as two integers: a million assignment ids de-duplicate in 16 bytes each.
struct GUID: Hashable {
    var high: UInt64 = 0
    var low: UInt64 = 0

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// `8-4-4-4-12` hex digits, either case, as 16 bytes; nil for anything else. The first sixteen digits are
    /// ``high``, the last sixteen ``low``.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> GUID? {
        guard bytes.count == 36, let p = bytes.baseAddress else { return nil }
        let dash = UInt8(ascii: "-")
        guard p[8] == dash, p[13] == dash, p[18] == dash, p[23] == dash else { return nil }
        // Digits are or-ed into `invalid` as well: any byte that is not one leaves a bit at or above 16.
        var invalid: UInt8 = 0
        @inline(__always) func digits(_ from: Int, _ to: Int, _ value: inout UInt64) {
            for i in from..<to {
                let d = hexValue(p[i])
                invalid |= d
                value = value << 4 | UInt64(d & 0x0F)
            }
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        digits(0, 8, &high)
        digits(9, 13, &high)
        digits(14, 18, &high)
        digits(19, 23, &low)
        digits(24, 36, &low)
        guard invalid < 16 else { return nil }
        return GUID(high: high, low: low)
    }

    /// The value of a hex digit (either case); 0xFF for any other byte.
    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8 {
        let digit = b &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        // Or-ing 0x20 makes `A`-`F` `a`-`f` and no other byte lands there.
        let letter = (b | 0x20) &- UInt8(ascii: "a")
        return letter < 6 ? letter + 10 : 0xFF
    }
}

/// A set of GUIDs: open addressing with linear probing over 16-byte slots at most half full, hashed by two
/// full-width multiplies with a seed from the system's random source (a file cannot be crafted to make its ids
/// collide). Replaces a `Set<GUID>`, whose SipHash of each id was most of the cost of de-duplicating a million
/// assignment ids. The all-zero GUID marks an empty slot, so that one is kept aside.
final class GUIDSet {
    private var slots: UnsafeMutablePointer<GUID>
    private var mask: Int
    private let seed: (UInt64, UInt64)
    private var hasZero = false
    /// The number of GUIDs in the set.
    private(set) var count = 0

    init(expecting count: Int = 0) {
        var random = SystemRandomNumberGenerator()
        seed = (random.next() | 1, random.next())
        let capacity = Self.capacity(for: count)
        slots = Self.allocate(capacity)
        mask = capacity - 1
    }

    deinit { slots.deallocate() }

    /// The number of slots.
    var capacity: Int { mask + 1 }

    /// Slots for `count` GUIDs at most half full.
    static func capacity(for count: Int) -> Int {
        var c = 64
        while c < 2 * count { c *= 2 }
        return c
    }

    /// Zeroed slots: empty.
    private static func allocate(_ capacity: Int) -> UnsafeMutablePointer<GUID> {
        let slots = UnsafeMutablePointer<GUID>.allocate(capacity: capacity)
        slots.initialize(repeating: GUID(high: 0, low: 0), count: capacity)
        return slots
    }

    @inline(__always)
    private func slot(of guid: GUID) -> Int {
        let a = (guid.high ^ seed.0).multipliedFullWidth(by: guid.low ^ seed.1)
        let b = (a.high ^ seed.1).multipliedFullWidth(by: a.low ^ seed.0)
        return Int(truncatingIfNeeded: b.high ^ b.low) & mask
    }

    /// Adds a GUID; false when it was there already.
    @inline(__always)
    func insert(_ guid: GUID) -> Bool {
        if guid.high == 0, guid.low == 0 {
            if hasZero { return false }
            hasZero = true
            count += 1
            return true
        }
        var k = slot(of: guid)
        while true {
            let found = slots[k]
            if found.high == guid.high, found.low == guid.low { return false }
            if found.high == 0, found.low == 0 { break }
            k = (k + 1) & mask
        }
        slots[k] = guid
        count += 1
        if 2 * count > capacity { rehash(to: capacity * 2) }
        return true
    }

    /// Starts loading the slot an insert of this GUID reads first (a hint, for an insert a little later).
    @inline(__always)
    func prefetch(_ guid: GUID) { MemoryHint.prefetch(slots + slot(of: guid)) }

    /// Whether the set holds a GUID.
    func contains(_ guid: GUID) -> Bool {
        if guid.high == 0, guid.low == 0 { return hasZero }
        var k = slot(of: guid)
        while true {
            let found = slots[k]
            if found.high == guid.high, found.low == guid.low { return true }
            if found.high == 0, found.low == 0 { return false }
            k = (k + 1) & mask
        }
    }

    /// Makes room for `count` GUIDs in all, so the set does not rehash while they arrive.
    func reserveCapacity(_ count: Int) {
        let capacity = Self.capacity(for: count)
        if capacity > self.capacity { rehash(to: capacity) }
    }

    private func rehash(to newCapacity: Int) {
        let old = slots
        let oldCapacity = capacity
        slots = Self.allocate(newCapacity)
        mask = newCapacity - 1
        for i in 0..<oldCapacity {
            let guid = old[i]
            guard guid.high != 0 || guid.low != 0 else { continue }
            var k = slot(of: guid)
            while slots[k].high != 0 || slots[k].low != 0 { k = (k + 1) & mask }
            slots[k] = guid
        }
        old.deallocate()
    }
}
