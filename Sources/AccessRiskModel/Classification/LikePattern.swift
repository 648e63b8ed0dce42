/// A compiled SQL `LIKE` pattern, matched case-insensitively against a whole name (SQL Server semantics:
/// `%` any run of characters, `_` exactly one, `[abc]`, `[a-z]` and `[^…]` one character of / not of a class).
struct LikePattern: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case anyRun
        case anyOne
        case literal(Unicode.Scalar)
        /// Single characters and inclusive ranges; `negated` for `[^…]`.
        case characterClass(ranges: [ClosedRange<UInt32>], negated: Bool)

        func matches(_ scalar: Unicode.Scalar) -> Bool {
            switch self {
            case .anyRun, .anyOne: return true
            case .literal(let l): return l == scalar
            case .characterClass(let ranges, let negated):
                let inside = ranges.contains { $0.contains(scalar.value) }
                return inside != negated
            }
        }

        var isAnyRun: Bool {
            if case .anyRun = self { return true }
            return false
        }
    }

    let tokens: [Token]
    /// The ASCII scalars every match must contain (its literals), as bits of a ``ScalarSet``: a name lacking one
    /// cannot match, which rules out most patterns for most names without running the matcher.
    let required: ScalarSet

    /// Compiles `pattern`; with `sqlLike` false every character is literal (an exact whole-name match).
    init(_ pattern: String, sqlLike: Bool = true) {
        let scalars = Array(pattern.lowercased().unicodeScalars)
        guard sqlLike else {
            tokens = scalars.map { .literal($0) }
            required = ScalarSet(scalars)
            return
        }
        var out: [Token] = []
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            switch c {
            case "%":
                if out.last?.isAnyRun != true { out.append(.anyRun) }
                i += 1
            case "_":
                out.append(.anyOne)
                i += 1
            case "[":
                if let (token, next) = Self.characterClass(scalars, from: i) {
                    out.append(token)
                    i = next
                } else {
                    out.append(.literal(c))
                    i += 1
                }
            default:
                out.append(.literal(c))
                i += 1
            }
        }
        tokens = out
        required = ScalarSet(
            out.compactMap {
                if case .literal(let scalar) = $0 { return scalar }
                return nil
            })
    }

    /// Parses `[…]` starting at `start`; nil when the bracket is never closed (then it is a literal `[`).
    private static func characterClass(_ s: [Unicode.Scalar], from start: Int) -> (Token, Int)? {
        var i = start + 1
        var negated = false
        if i < s.count, s[i] == "^" {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while i < s.count {
            let c = s[i]
            if c == "]", !first { return (.characterClass(ranges: ranges, negated: negated), i + 1) }
            first = false
            if i + 2 < s.count, s[i + 1] == "-", s[i + 2] != "]" {
                let lo = min(c.value, s[i + 2].value)
                let hi = max(c.value, s[i + 2].value)
                ranges.append(lo...hi)
                i += 3
            } else {
                ranges.append(c.value...c.value)
                i += 1
            }
        }
        return nil
    }

    /// Whether the whole of `name` (already lower-cased scalars) matches.
    func matches(_ name: [Unicode.Scalar]) -> Bool {
        var i = 0
        var j = 0
        var starToken = -1
        var starName = 0
        while i < name.count {
            if j < tokens.count, tokens[j].isAnyRun {
                starToken = j
                starName = i
                j += 1
            } else if j < tokens.count, tokens[j].matches(name[i]) {
                i += 1
                j += 1
            } else if starToken >= 0 {
                j = starToken + 1
                starName += 1
                i = starName
            } else {
                return false
            }
        }
        while j < tokens.count, tokens[j].isAnyRun { j += 1 }
        return j == tokens.count
    }

    /// Whether the whole of `name` matches, `scalars` being the ``ScalarSet`` of `name`.
    func matches(_ name: [Unicode.Scalar], scalars: ScalarSet) -> Bool {
        required.isSubset(of: scalars) && matches(name)
    }

    /// Convenience for a name in any case.
    func matches(_ name: String) -> Bool {
        matches(Array(name.lowercased().unicodeScalars))
    }
}

/// Which ASCII scalars occur in a text, as 128 bits; every other scalar counts as bit 0 (NUL), so a set may say a
/// scalar occurs when it does not, never the reverse.
struct ScalarSet: Sendable, Hashable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(_ scalars: some Sequence<Unicode.Scalar>) {
        for scalar in scalars {
            let bit = scalar.value < 128 ? scalar.value : 0
            if bit < 64 { low |= 1 << UInt64(bit) } else { high |= 1 << UInt64(bit - 64) }
        }
    }

    func isSubset(of other: ScalarSet) -> Bool { low & ~other.low == 0 && high & ~other.high == 0 }
}
