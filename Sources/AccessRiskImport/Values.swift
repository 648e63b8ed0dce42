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

    /// A GUID (`8-4-4-4-12` hex digits, either case) as 16 bytes; nil for anything else.
    static func guid(_ text: Substring) -> GUID? {
        var text = text
        if text.utf8.count == 38, text.utf8.first == UInt8(ascii: "{"), text.utf8.last == UInt8(ascii: "}") {
            text = text.dropFirst().dropLast()
        }
        return text.utf8.withContiguousStorageIfAvailable { GUID(bytes: $0) } ?? GUID(bytes: Array(text.utf8))
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

    init?(bytes: some RandomAccessCollection<UInt8>) {
        guard bytes.count == 36 else { return nil }
        var digits = 0
        for (offset, b) in bytes.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard b == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = b - UInt8(ascii: "A") + 10
            default: return nil
            }
            if digits < 16 {
                high = high << 4 | UInt64(value)
            } else {
                low = low << 4 | UInt64(value)
            }
            digits += 1
        }
    }
}
