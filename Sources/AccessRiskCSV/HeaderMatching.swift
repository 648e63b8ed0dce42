/// Header names compared the way SPEC §2.2 says: case-insensitively, ignoring spaces, `_`, `-`, `.` and a BOM.
public enum HeaderName {
    /// The comparable form of a header cell: lower-cased, with spaces, `_`, `-`, `.` and any BOM removed.
    public static func normalize(_ header: some StringProtocol) -> String {
        // ASCII fast path: importers normalise cell values (member types, object types) on every row.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(header.utf8.count)
        for b in header.utf8 {
            if b >= 0x80 { return normalizeUnicode(header) }
            switch b {
            case 0x20, 0x5F, 0x2D, 0x2E, 0x09: continue
            case 0x41...0x5A: bytes.append(b | 0x20)
            default: bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func normalizeUnicode(_ header: some StringProtocol) -> String {
        var out = String.UnicodeScalarView()
        for scalar in header.unicodeScalars {
            switch scalar {
            case " ", "_", "-", ".", "\u{FEFF}", "\t", "\u{00A0}":
                continue
            default:
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }
}

/// Where each wanted field sits in a header, resolved once per file from alias lists.
public struct HeaderMap: Sendable, Equatable {
    /// Normalised header cell → 0-based column index (the first occurrence wins).
    public let indexByName: [String: Int]
    /// The header cells as they were written.
    public let original: [String]

    public init(_ header: [String]) {
        original = header
        var index: [String: Int] = [:]
        for (i, cell) in header.enumerated() {
            let key = HeaderName.normalize(cell)
            if !key.isEmpty, index[key] == nil { index[key] = i }
        }
        indexByName = index
    }

    /// The column of the first alias present, if any.
    public func column(_ aliases: [String]) -> Int? {
        for alias in aliases {
            if let i = indexByName[HeaderName.normalize(alias)] { return i }
        }
        return nil
    }

    /// Whether every one of `names` is present.
    public func containsAll(_ names: [String]) -> Bool {
        names.allSatisfy { indexByName[HeaderName.normalize($0)] != nil }
    }

    /// The names (as given) that are absent.
    public func missing(_ names: [String]) -> [String] {
        names.filter { indexByName[HeaderName.normalize($0)] == nil }
    }
}
