#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How broad a scope is (SPEC §3.2), broadest first.
public enum ScopeLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case root
    case managementGroup = "management_group"
    case subscription
    case resourceGroup = "resource_group"
    case resource
    /// Entra directory roles.
    case directory
    /// Anything that is not an ARM scope string.
    case other

    public static func < (a: ScopeLevel, b: ScopeLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Subscription or broader (root, management group).
    public var isSubscriptionOrWider: Bool { self == .root || self == .managementGroup || self == .subscription }
    /// Resource group or broader.
    public var isResourceGroupOrWider: Bool { isSubscriptionOrWider || self == .resourceGroup }
}

/// An ARM scope string, parsed once (SPEC §3.2). Compared case-insensitively with any trailing `/` ignored.
///
/// The parsed parts live in one shared immutable object: a scope is copied into every assignment, finding and index
/// that mentions it, and a copy is then one reference instead of seven strings.
public struct Scope: Sendable, Hashable, Codable, CustomStringConvertible {
    // Inlinable to other modules: reading a scope's text (a million of them in the worksheet) then needs no call
    // and no retain of it.
    @usableFromInline
    final class Storage: Sendable {
        @usableFromInline let original: String
        @usableFromInline let key: String
        @usableFromInline let level: ScopeLevel
        /// ``CellHash/hash(_:)`` of the key's bytes, computed as the scope is parsed.
        let keyHash: UInt64
        let subscriptionId: String?
        let managementGroup: String?
        let resourceGroup: String?
        let providerNamespace: String?

        init(
            original: String, key: String, level: ScopeLevel, keyHash: UInt64, subscriptionId: String?,
            managementGroup: String?, resourceGroup: String?, providerNamespace: String?
        ) {
            self.original = original
            self.key = key
            self.level = level
            self.keyHash = keyHash
            self.subscriptionId = subscriptionId
            self.managementGroup = managementGroup
            self.resourceGroup = resourceGroup
            self.providerNamespace = providerNamespace
        }
    }

    @usableFromInline let storage: Storage

    /// The scope as the export wrote it (trailing `/` removed), for people.
    @inlinable public var original: String { storage.original }
    /// Lower-cased, without a trailing `/`: the identity of the scope.
    @inlinable public var key: String { storage.key }
    /// The same for copies of one scope value (the importer makes one per distinct text), so equal identities mean
    /// equal keys without reading them; different identities may still have equal keys.
    public var identity: ObjectIdentifier { ObjectIdentifier(storage) }
    @inlinable public var level: ScopeLevel { storage.level }
    /// The hash of the key's bytes with the process's shared seed (``CellHash/hash(_:)``), worked out as the scope
    /// was parsed: a table made with `sharedSeed` finds the scope by key without reading the key again
    /// (``CellTable/find(_:hash:)``). A million scopes numbered by key otherwise read a million cold keys.
    public var keyHash: UInt64 { storage.keyHash }
    /// Lower-cased subscription GUID when the scope is inside a subscription.
    public var subscriptionId: String? { storage.subscriptionId }
    /// Lower-cased management group name for a management-group scope.
    public var managementGroup: String? { storage.managementGroup }
    /// Lower-cased resource group name when inside one.
    public var resourceGroup: String? { storage.resourceGroup }
    /// Lower-cased resource provider namespace of a resource scope (e.g. `microsoft.storage`).
    public var providerNamespace: String? { storage.providerNamespace }

    public static let root = Scope("/")
    public static let directory = Scope("/directory")

    public init(_ text: String) { self.init(text, interning: { String(decoding: $0, as: UTF8.self) }) }

    /// Parses `text`, making the subscription id from its bytes through `intern`: an importer passes its table of
    /// ids, so a million scopes in a few subscriptions share a few id strings.
    public init(_ text: String, interning intern: (UnsafeBufferPointer<UInt8>) -> String) {
        // Most cells need no trimming: then the scope keeps the cell's own string.
        let edges = (text.utf8.first, text.utf8.last)
        var trimmed =
            edges.0.map(String.isASCIISpace) == false && edges.1.map(String.isASCIISpace) == false
                && edges.0! < 0x80 && edges.1! < 0x80
            ? text : String(text.trimmingSpaces)
        while trimmed.utf8.count > 1, trimmed.utf8.last == UInt8(ascii: "/") { trimmed.removeLast() }
        if trimmed.isEmpty { trimmed = "/" }
        // Already lower-case (ASCII): the key shares the original's storage.
        let lower = trimmed.lowercasedIfNeeded()
        var level = ScopeLevel.other
        var subscription: String?
        var mg: String?
        var rg: String?
        var provider: String?
        var keyHash: UInt64 = 0
        // Segments compared and cut on the key's bytes in place ('/' and the literals are ASCII): a unique scope is
        // parsed without an allocation beyond the strings it keeps.
        var keyText = lower
        keyText.withUTF8 { bytes in
            keyHash = CellHash.hash(bytes)
            withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: Self.segmentsRead) { parts in
                let count = Self.segmentRanges(bytes, into: parts)
                func part(_ k: Int) -> String {
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[parts[k]]), as: UTF8.self)
                }
                func part(_ k: Int, is literal: StaticString) -> Bool {
                    let range = parts[k]
                    return range.count == literal.utf8CodeUnitCount
                        && memcmp(bytes.baseAddress! + range.lowerBound, literal.utf8Start, range.count) == 0
                }
                if bytes.count == 1, bytes[0] == UInt8(ascii: "/") {
                    level = .root
                } else if count >= 1, bytes[0] == UInt8(ascii: "/"), part(0, is: "directory"),
                    parts[0].lowerBound == 1
                {
                    level = .directory
                } else if bytes.first != UInt8(ascii: "/") {
                    level = .other
                } else if count >= 4, part(0, is: "providers"), part(1, is: "microsoft.management"),
                    part(2, is: "managementgroups")
                {
                    mg = part(3)
                    level = count == 4 ? .managementGroup : .other
                } else if count >= 2, part(0, is: "subscriptions") {
                    subscription = intern(UnsafeBufferPointer(rebasing: bytes[parts[1]]))
                    if count == 2 {
                        level = .subscription
                    } else if count >= 4, part(2, is: "resourcegroups") {
                        rg = part(3)
                        if count == 4 {
                            level = .resourceGroup
                        } else if count >= 7, part(4, is: "providers") {
                            provider = part(5)
                            level = .resource
                        }
                    } else if count >= 5, part(2, is: "providers") {
                        // A subscription-level resource (e.g. /subscriptions/x/providers/Microsoft.Security/pricings/y).
                        provider = part(3)
                        level = .resource
                    }
                }
            }
        }
        storage = Storage(
            original: trimmed, key: lower, level: level, keyHash: keyHash, subscriptionId: subscription,
            managementGroup: mg, resourceGroup: rg, providerNamespace: provider)
    }

    public var description: String { original }

    /// How many segments the parsing of a scope looks at.
    static let segmentsRead = 8

    /// Where the non-empty `/`-separated segments of a scope's bytes lie.
    static func segmentRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        bytes.withUnsafeBufferPointer { b in
            withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: b.count / 2 + 1) { parts in
                Array(parts.prefix(segmentRanges(b, into: parts)))
            }
        }
    }

    /// Stores where the non-empty `/`-separated segments of `bytes` lie, as many as `parts` holds, and returns how
    /// many segments there are in all.
    static func segmentRanges(_ bytes: UnsafeBufferPointer<UInt8>, into parts: UnsafeMutableBufferPointer<Range<Int>>)
        -> Int
    {
        var count = 0
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "/") {
            if i > start {
                if count < parts.count { parts.initializeElement(at: count, to: start..<i) }
                count += 1
            }
            start = i + 1
        }
        return count
    }

    /// The subscription scope containing this one, if any.
    public var subscriptionScopeKey: String? { subscriptionId.map { "/subscriptions/" + $0 } }

    /// Whether this scope covers `other` by path alone: equal, an ancestor path, or root over any ARM scope.
    /// Management-group ancestry needs ``ScopeHierarchy/covers(_:_:)``.
    public func coversByPath(_ other: Scope) -> Bool {
        if key == other.key { return true }
        if level == .directory || other.level == .directory { return false }
        if level == .root { return other.key.hasPrefix("/") }
        return other.key.hasPrefix(key) && other.key.utf8.dropFirst(key.utf8.count).first == UInt8(ascii: "/")
    }

    public static func == (a: Scope, b: Scope) -> Bool { a.storage === b.storage || a.key == b.key }
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(original)
    }
}

/// Management group → child management group / subscription (SPEC §2.1 `hierarchy`).
public struct HierarchyEdge: Sendable, Hashable, Codable {
    public var scope: Scope
    public var parent: Scope

    public init(scope: Scope, parent: Scope) {
        self.scope = scope
        self.parent = parent
    }
}

/// The covers relation with management-group ancestry (SPEC §3.2).
public struct ScopeHierarchy: Sendable {
    /// Child scope key → parent scope key.
    public let parentOf: [String: String]

    public init(edges: [HierarchyEdge]) {
        var parents: [String: String] = [:]
        for edge in edges where parents[edge.scope.key] == nil { parents[edge.scope.key] = edge.parent.key }
        parentOf = parents
    }

    /// The management-group ancestors of a scope, nearest first (cycles in the input are cut).
    public func ancestors(of scope: Scope) -> [String] {
        var start: String?
        switch scope.level {
        case .managementGroup: start = scope.key
        case .subscription, .resourceGroup, .resource: start = scope.subscriptionScopeKey
        default: start = nil
        }
        guard var current = start else { return [] }
        var out: [String] = []
        var seen: Set<String> = [current]
        while let parent = parentOf[current], !seen.contains(parent) {
            out.append(parent)
            seen.insert(parent)
            current = parent
        }
        return out
    }

    /// Scope `a` covers `b`: equal, `b` below `a` by path, `a` root, or `a` a management group that is an ancestor
    /// of `b`'s subscription (or management group).
    public func covers(_ a: Scope, _ b: Scope) -> Bool {
        if a.coversByPath(b) { return true }
        guard a.level == .managementGroup else { return false }
        return ancestors(of: b).contains(a.key)
    }
}
