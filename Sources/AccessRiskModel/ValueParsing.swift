#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A cell value that could not be understood.
public struct ValueError: Error, Sendable, Equatable, CustomStringConvertible {
    public let value: String
    public let expected: String
    public init(value: String, expected: String) {
        self.value = value
        self.expected = expected
    }
    public var description: String {
        let shown = value.count > 60 ? String(value.prefix(60)) + "…" : value
        return "\"\(shown)\" is not \(expected)"
    }
}

/// The ways an export says "no value" (SPEC §2.4). Such a cell is reported as missing, never as a date of 0001-01-01.
public enum NoValue {
    static let spellings: Set<String> = [
        "", "n/a", "na", "none", "null", "nil", "no_information", "not_supported", "-",
    ]

    public static func isNoValue<S: StringProtocol>(_ text: S) -> Bool where S.SubSequence == Substring {
        // Every imported cell is asked: a cell whose first non-space byte is neither `-` nor `n`/`N` (nearly all
        // of them) cannot be a spelling of "no value".
        if let answer = text.utf8.withContiguousStorageIfAvailable({ bytes -> Bool? in
            var i = 0
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D {
                i += 1
            }
            if i == bytes.count { return true }
            // A non-ASCII first character may be a Unicode space: the full check decides.
            if bytes[i] >= 0x80 { return nil }
            let first = bytes[i] | 0x20
            return first == UInt8(ascii: "n") || bytes[i] == UInt8(ascii: "-") ? nil : false
        }), let answer {
            return answer
        }
        let t = text.trimmingSpaces
        if t.isEmpty { return true }
        return spellings.contains(t.lowercased())
    }
}

/// Booleans as the exports write them.
public enum BoolParsing {
    /// nil for a "no value" cell; throws for anything that is neither a boolean nor no value.
    public static func parse<S: StringProtocol>(_ text: S) throws(ValueError) -> Bool?
    where S.SubSequence == Substring {
        if NoValue.isNoValue(text) { return nil }
        switch text.trimmingSpaces.lowercased() {
        case "true", "yes", "1", "y", "enabled": return true
        case "false", "no", "0", "n", "disabled": return false
        default: throw ValueError(value: String(text), expected: "a boolean (true/false, yes/no, 1/0)")
        }
    }
}

/// Which order an ambiguous `d/d/yyyy` date is read in (SPEC §2.4, §8).
public enum DateLocale: String, Sendable, Codable, CaseIterable {
    /// `M/d/yyyy h:mm:ss tt`, as the Entra export writes it (the default).
    case us = "en-US"
    /// `dd/MM/yyyy HH:mm:ss`, only when a policy names it.
    case dayFirst = "en-GB"
}

/// The date forms of SPEC §2.4: ISO 8601 with or without time and zone, US `M/d/yyyy h:mm:ss tt`, and day-first
/// when the policy says so. An unparseable date throws; it never silently becomes "no value".
public enum DateParsing {
    /// nil for a "no value" cell (and the `0001-01-01` placeholders some exporters write for "never").
    public static func parseOptional<S: StringProtocol>(_ text: S, locale: DateLocale = .us) throws(ValueError)
        -> Timestamp? where S.SubSequence == Substring
    {
        if NoValue.isNoValue(text) { return nil }
        let t = text.trimmingSpaces
        if neverPlaceholders.contains(where: { t.hasPrefix($0) }) { return nil }
        return try parse(t, locale: locale)
    }

    public static func parse<S: StringProtocol>(_ text: S, locale: DateLocale = .us) throws(ValueError) -> Timestamp
    where S.SubSequence == Substring {
        let bytes = Array(text.trimmingSpaces.utf8)
        let parsed = bytes.withUnsafeBufferPointer { b in
            parseISO(b) ?? parseSlashed(b, dayFirst: locale == .dayFirst)
        }
        if let parsed { return parsed }
        throw ValueError(
            value: String(text),
            expected: locale == .us
                ? "a date (ISO 8601 or M/d/yyyy h:mm:ss AM/PM)" : "a date (ISO 8601 or dd/MM/yyyy HH:mm:ss)")
    }

    /// The placeholders some exporters write for "never" (``parseOptional(_:locale:)`` gives nil for them), and
    /// their bytes for the byte path.
    static let neverPlaceholders = ["0001-01-01", "1/1/0001", "01/01/0001"]
    static let neverPlaceholderBytes = neverPlaceholders.map { Array($0.utf8) }

    /// ``parseOptional(_:locale:)`` of a cell's bytes, read in place, when that is sure to give the same answer: an
    /// ASCII cell starting with a digit (so not a "no value" spelling, and nothing to trim) that is a date. Nil
    /// otherwise, for the caller to take the String path (which also says what is wrong with a cell that is not a
    /// date). Four dates a row of a user export made a String, trimmed it twice and copied its bytes each.
    public static func parseOptional(ascii bytes: UnsafeBufferPointer<UInt8>, locale: DateLocale) -> Timestamp?? {
        guard let first = bytes.first, first >= 0x30, first <= 0x39, String.isASCII(bytes), bytes.last! > 0x20
        else { return nil }
        for placeholder in neverPlaceholderBytes where bytes.starts(with: placeholder) { return .some(nil) }
        guard let t = parseISO(bytes) ?? parseSlashed(bytes, dayFirst: locale == .dayFirst) else { return nil }
        return .some(t)
    }

    private static func number(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, maxDigits: Int) -> Int? {
        var value = 0
        var digits = 0
        while i < b.count, digits < maxDigits, b[i] >= 0x30, b[i] <= 0x39 {
            value = value * 10 + Int(b[i] - 0x30)
            i += 1
            digits += 1
        }
        return digits == 0 ? nil : value
    }

    /// yyyy-MM-dd[(T| )HH:mm[:ss[.fff…]]][Z|±HH[:]mm]
    static func parseISO(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var i = 0
        guard b.count >= 10, let y = number(b, &i, maxDigits: 4), i == 4, b[i] == 0x2D else { return nil }
        i += 1
        guard let mo = number(b, &i, maxDigits: 2), i < b.count, b[i] == 0x2D else { return nil }
        i += 1
        guard let d = number(b, &i, maxDigits: 2) else { return nil }
        var h = 0
        var mi = 0
        var s = 0
        var offset = 0
        if i < b.count {
            guard b[i] == 0x54 || b[i] == 0x74 || b[i] == 0x20 else { return nil }
            i += 1
            guard let hh = number(b, &i, maxDigits: 2), i < b.count, b[i] == 0x3A else { return nil }
            i += 1
            guard let mm = number(b, &i, maxDigits: 2) else { return nil }
            h = hh
            mi = mm
            if i < b.count, b[i] == 0x3A {
                i += 1
                guard let ss = number(b, &i, maxDigits: 2) else { return nil }
                s = ss
                if i < b.count, b[i] == 0x2E || b[i] == 0x2C {
                    i += 1
                    guard number(b, &i, maxDigits: 9) != nil else { return nil }
                    while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                }
            }
            if i < b.count {
                if b[i] == 0x5A || b[i] == 0x7A {
                    i += 1
                } else if b[i] == 0x2B || b[i] == 0x2D {
                    let sign = b[i] == 0x2D ? -1 : 1
                    i += 1
                    guard let oh = number(b, &i, maxDigits: 2), oh <= 14 else { return nil }
                    var om = 0
                    if i < b.count, b[i] == 0x3A { i += 1 }
                    if i < b.count {
                        guard let m = number(b, &i, maxDigits: 2), m < 60 else { return nil }
                        om = m
                    }
                    offset = sign * (oh * 3600 + om * 60)
                }
            }
            guard i == b.count else { return nil }
        }
        guard let t = Timestamp(year: y, month: mo, day: d, hour: h, minute: mi, second: s) else { return nil }
        return Timestamp(secondsSinceEpoch: t.secondsSinceEpoch - Int64(offset))
    }

    /// M/d/yyyy[ h:mm[:ss][ AM|PM]] (US) or dd/MM/yyyy[ HH:mm[:ss]] (day first).
    static func parseSlashed(_ b: UnsafeBufferPointer<UInt8>, dayFirst: Bool) -> Timestamp? {
        var i = 0
        guard let a = number(b, &i, maxDigits: 2), i < b.count, b[i] == 0x2F else { return nil }
        i += 1
        guard let c = number(b, &i, maxDigits: 2), i < b.count, b[i] == 0x2F else { return nil }
        i += 1
        let yearStart = i
        guard let y = number(b, &i, maxDigits: 4), i - yearStart == 4 else { return nil }
        var h = 0
        var mi = 0
        var s = 0
        if i < b.count {
            guard b[i] == 0x20 else { return nil }
            while i < b.count, b[i] == 0x20 { i += 1 }
            guard let hh = number(b, &i, maxDigits: 2), i < b.count, b[i] == 0x3A else { return nil }
            i += 1
            guard let mm = number(b, &i, maxDigits: 2) else { return nil }
            h = hh
            mi = mm
            if i < b.count, b[i] == 0x3A {
                i += 1
                guard let ss = number(b, &i, maxDigits: 2) else { return nil }
                s = ss
            }
            while i < b.count, b[i] == 0x20 { i += 1 }
            if i < b.count {
                guard !dayFirst, i + 2 == b.count, b[i + 1] == 0x4D || b[i + 1] == 0x6D else { return nil }
                let marker = b[i] | 0x20
                guard (1...12).contains(h) else { return nil }
                if marker == 0x61 {  // AM
                    if h == 12 { h = 0 }
                } else if marker == 0x70 {  // PM
                    if h != 12 { h += 12 }
                } else {
                    return nil
                }
                i = b.count
            }
        }
        let (month, day) = dayFirst ? (c, a) : (a, c)
        return Timestamp(year: y, month: month, day: day, hour: h, minute: mi, second: s)
    }
}

extension StringProtocol where SubSequence == Substring {
    /// The text without leading and trailing spaces, tabs and line breaks.
    ///
    /// Every imported cell passes through here, so ASCII is handled on bytes; only a non-ASCII character at either
    /// end (a no-break space, say) takes the Unicode path.
    public var trimmingSpaces: Substring {
        let whole: Substring = self[...]
        let bytes = whole.utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, Self.isASCIISpace(bytes[start]) { start = bytes.index(after: start) }
        while start < end {
            let last = bytes.index(before: end)
            guard Self.isASCIISpace(bytes[last]) else { break }
            end = last
        }
        if start < end, bytes[start] < 0x80, bytes[bytes.index(before: end)] < 0x80 {
            return whole[start..<end]
        }
        if start == end { return whole[whole.endIndex...] }
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
        let lastIndex = lastIndex(where: { !$0.isWhitespace })!
        return self[first...lastIndex]
    }

    @inline(__always)
    static func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
}

extension StringProtocol {
    /// The first occurrence of `needle` compared byte for byte (no locale, no Unicode equivalence): what ids, scopes
    /// and markers such as `#EXT#` need, without Foundation's string search on every row.
    public func byteRange(of needle: String) -> Range<Index>? {
        // Contiguous UTF-8 (native strings and their substrings): memchr/memcmp, no index arithmetic per byte.
        let found: Range<Int>?? = utf8.withContiguousStorageIfAvailable { hay in
            var pattern = needle
            return pattern.withUTF8 { pat in byteSearch(hay, pat) }
        }
        if let found {
            guard let found else { return nil }
            let lower = utf8.index(utf8.startIndex, offsetBy: found.lowerBound)
            return lower..<utf8.index(lower, offsetBy: found.count)
        }
        let hay = utf8
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return startIndex..<startIndex }
        var i = hay.startIndex
        while i != hay.endIndex {
            if hay[i] == first {
                var j = hay.index(after: i)
                var k = 1
                while k < pattern.count, j != hay.endIndex, hay[j] == pattern[k] {
                    j = hay.index(after: j)
                    k += 1
                }
                if k == pattern.count { return i..<j }
            }
            i = hay.index(after: i)
        }
        return nil
    }

    /// Whether `needle` occurs, compared byte for byte.
    public func containsBytes(_ needle: String) -> Bool { byteRange(of: needle) != nil }
}

/// The first occurrence of `pattern` in `hay`, as byte offsets.
func byteSearch(_ hay: UnsafeBufferPointer<UInt8>, _ pat: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
    guard let patBase = pat.baseAddress, !pat.isEmpty else { return 0..<0 }
    guard let base = hay.baseAddress, hay.count >= pat.count else { return nil }
    let first = Int32(pat[0])
    let lastStart = hay.count - pat.count
    var offset = 0
    while offset <= lastStart {
        guard let hit = memchr(base + offset, first, lastStart - offset + 1) else { return nil }
        offset = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        if memcmp(base + offset, patBase, pat.count) == 0 { return offset..<(offset + pat.count) }
        offset += 1
    }
    return nil
}

extension String {
    /// Where the last non-empty `/`-separated segment lies (trailing `/` ignored), found on the bytes through a
    /// pointer; an empty range at the start when there is none. For ids: assignment names, role definition GUIDs.
    public var lastPathSegmentRange: Range<String.Index> {
        var text = self
        let range = text.withUTF8 { Self.lastPathSegment(in: $0) }
        let utf8 = self.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        return lower..<utf8.index(lower, offsetBy: range.count)
    }

    /// ``lastPathSegmentRange`` of UTF-8 bytes, as offsets.
    @inlinable
    public static func lastPathSegment(in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let slash = UInt8(ascii: "/")
        var end = bytes.count
        while end > 0, bytes[end - 1] == slash { end -= 1 }
        var start = end
        while start > 0, bytes[start - 1] != slash { start -= 1 }
        return start..<end
    }

    /// Whether every byte is ASCII, read through a pointer eight bytes at a time. (The byte-by-byte check over the
    /// million scope keys of an enterprise review was the longest of the assignment sort's three ranking passes.)
    public var isASCIIBytes: Bool {
        // Read in place (no copy of the string, which retained it); a bridged string is made contiguous first.
        if let answer = utf8.withContiguousStorageIfAvailable({ Self.isASCII($0) }) { return answer }
        var text = self
        return text.withUTF8 { Self.isASCII($0) }
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var bits: UInt64 = 0
        var i = 0
        while i + 8 <= bytes.count {
            bits |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            bits |= UInt64(bytes[i])
            i += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    /// Whether the bytes of `self` start with those of `prefix` (memcmp: the UTF-8 views' generic `starts(with:)`
    /// costs tens of nanoseconds a call, a tenth of a second over a million ids).
    public func hasBytePrefix(_ prefix: String) -> Bool {
        // The lengths are in the strings themselves: a shorter text is answered without reading its bytes.
        guard prefix.utf8.count <= utf8.count else { return false }
        func compare(_ t: UnsafeBufferPointer<UInt8>, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
            guard p.count <= t.count else { return false }
            guard let tb = t.baseAddress, let pb = p.baseAddress else { return p.isEmpty }
            return memcmp(tb, pb, p.count) == 0
        }
        // Read in place (no copy of the strings, which retained them); bridged strings are made contiguous first.
        if let answer = utf8.withContiguousStorageIfAvailable({ t in
            prefix.utf8.withContiguousStorageIfAvailable { p in compare(t, p) }
        }), let answer {
            return answer
        }
        var text = self
        var prefix = prefix
        return text.withUTF8 { t in prefix.withUTF8 { p in compare(t, p) } }
    }

    /// `lowercased()`, without allocating when the text is ASCII with no upper-case letter (ids, GUIDs, keys).
    ///
    /// The bytes are read through a pointer, and ASCII text is lower-cased byte by byte: walking the UTF-8 view and
    /// calling `lowercased()` cost an eighth of an import of role assignments (their ids are long and mixed-case).
    public func lowercasedIfNeeded() -> String {
        var text = self
        return text.withUTF8 { bytes -> String in
            // Branch-free, so the loop vectorises: any high bit means non-ASCII, any 1 in `upper` an A-Z.
            var bits: UInt8 = 0
            var upper: UInt8 = 0
            for b in bytes {
                bits |= b
                upper |= b &- 0x41 < 26 ? 1 : 0
            }
            if bits >= 0x80 { return lowercased() }
            guard upper != 0 else { return self }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for i in bytes.indices { out[i] = bytes[i] &- 0x41 < 26 ? bytes[i] | 0x20 : bytes[i] }
                return bytes.count
            }
        }
    }
}
