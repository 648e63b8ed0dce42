#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Values keyed by the UTF-8 bytes of a string, looked up on bytes: a cell read from a file is found without first
/// becoming a `String`, and without `Hasher`'s SipHash over its bytes.
///
/// A million-row export repeats a few hundred thousand ids, names and scopes over its rows. Making a `String` of
/// each cell, hashing it with SipHash into a `Set` and throwing the copy away was a third of reading a row; here a
/// repeated cell costs one word-at-a-time hash and one `memcmp` against the string already kept.
///
/// Open addressing with linear probing. Each slot is one word: the high 32 bits of the key's hash, which also place
/// it, beside the entry's index. A probe reads one word (one cache miss in a table of a million keys) and compares
/// bytes only when the hash bits agree; growing moves the words without reading or hashing a key. The hash is seeded per table from the system's random source, so a
/// file cannot be crafted to make its cells collide (lookups stay constant time on hostile input); the seed never
/// changes what is found, only where it is kept.
public struct CellTable<Value> {
    /// Per slot, the high 32 bits of the hash of its key above the entry index + 1; 0 marks an empty slot.
    @usableFromInline var slots: [UInt64]
    @usableFromInline var storedKeys: [String] = []
    @usableFromInline var storedValues: [Value] = []
    /// Keys and values in order of insertion.
    public var keys: [String] { storedKeys }
    public var values: [Value] { storedValues }

    /// The value of an entry.
    @inlinable
    public func value(at entry: Int) -> Value { storedValues[entry] }
    @usableFromInline var mask: Int
    @usableFromInline let seed: (UInt64, UInt64)

    public init(expecting count: Int = 0) { self.init(expecting: count, seed: CellHash.freshSeed()) }

    /// A table hashing with the process's shared seed (see ``CellHash``): a key hashed once with
    /// ``CellHash/hash(_:)``, when it was made, is found with ``find(_:hash:)`` without reading its bytes again.
    public init(expecting count: Int = 0, sharedSeed: Bool) {
        self.init(expecting: count, seed: sharedSeed ? CellHash.shared : CellHash.freshSeed())
    }

    init(expecting count: Int, seed: (UInt64, UInt64)) {
        self.seed = seed
        let capacity = Self.capacity(for: count)
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        storedKeys.reserveCapacity(count)
        storedValues.reserveCapacity(count)
    }

    public var count: Int { storedKeys.count }

    /// Slots for `count` entries at most half full.
    @usableFromInline
    static func capacity(for count: Int) -> Int {
        var c = 64
        while c < 2 * count { c *= 2 }
        return c
    }

    /// The slot word of an entry of this hash.
    @inlinable @inline(__always)
    static func word(entry: Int, hash h: UInt64) -> UInt64 { h & 0xFFFF_FFFF_0000_0000 | UInt64(entry + 1) }

    /// The first slot to probe for a hash (or a slot word: the same high bits): the low bits of the hash's high
    /// half, which the slot keeps, so the table grows without the keys.
    @inlinable @inline(__always)
    func home(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h >> 32) & mask }

    /// Makes room for `count` entries in all, so the table does not rehash while they arrive.
    public mutating func reserveCapacity(_ count: Int) {
        guard count > 0 else { return }
        storedKeys.reserveCapacity(count)
        storedValues.reserveCapacity(count)
        let capacity = Self.capacity(for: count)
        if capacity > slots.count { rehash(to: capacity) }
    }

    /// The hash of `bytes`, the same for canonically equivalent texts (what `String ==` compares, and what the
    /// `Set` and `Dictionary` this table replaces compared): ASCII text by its bytes; other text by the ASCII it is
    /// equivalent to when there is one, else by Swift's own (normalising) hash.
    @inlinable
    public func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 { CellHash.hash(bytes, seed: seed) }

    /// The index of the entry whose key has these bytes, with the hash to insert it under when there is none.
    @inlinable @inline(__always)
    public func find(_ bytes: UnsafeBufferPointer<UInt8>) -> (entry: Int?, hash: UInt64) {
        let h = hash(bytes)
        return (find(hash: h) { Self.sameBytes($0, bytes) || Self.equivalent($0, bytes) }, h)
    }

    /// The entry of `key`, whose hash with this table's seed is `h` (a table with the shared seed, and a hash from
    /// ``CellHash/hash(_:)``): the key's bytes are read only when an entry's hash bits agree.
    @inlinable
    public func find(_ key: String, hash h: UInt64) -> Int? { find(hash: h) { $0 == key } }

    /// Starts loading the slot a lookup of these bytes reads first (a hint, for a lookup a little later).
    @inlinable
    public func prefetch(_ bytes: UnsafeBufferPointer<UInt8>) { prefetch(hash: hash(bytes)) }

    /// Starts loading the slot a lookup of hash `h` reads first (a hint, for a lookup a little later).
    @inlinable @inline(__always)
    public func prefetch(hash h: UInt64) {
        slots.withUnsafeBufferPointer { MemoryHint.prefetch($0.baseAddress! + home(h)) }
    }

    /// The entry with hash `h` whose key `matches`.
    @inlinable @inline(__always)
    func find(hash h: UInt64, _ matches: (String) -> Bool) -> Int? {
        var k = home(h)
        while true {
            let word = slots[k]
            if word == 0 { return nil }
            if (word ^ h) >> 32 == 0 {
                let entry = Int(truncatingIfNeeded: word & 0xFFFF_FFFF) - 1
                if matches(storedKeys[entry]) { return entry }
            }
            k = (k + 1) & mask
        }
    }

    /// Replaces the value of an entry.
    @inlinable
    public mutating func setValue(_ value: Value, at entry: Int) { storedValues[entry] = value }

    /// ``find(_:)`` of a string's bytes.
    @inlinable
    public func find(_ key: String) -> (entry: Int?, hash: UInt64) {
        key.utf8.withContiguousStorageIfAvailable { find($0) } ?? Array(key.utf8).withUnsafeBufferPointer { find($0) }
    }

    /// ``find(_:)`` with the value found, through an in-place (mutating) access: a table held in a class's property
    /// is then not copied, its four arrays retained and released, for each lookup.
    @inlinable
    public mutating func lookUp(_ bytes: UnsafeBufferPointer<UInt8>) -> (value: Value?, entry: Int?, hash: UInt64) {
        let (entry, hash) = find(bytes)
        return (entry.map { storedValues[$0] }, entry, hash)
    }

    /// ``lookUp(_:)`` of a string's bytes.
    @inlinable
    public mutating func lookUp(_ key: String) -> (value: Value?, entry: Int?, hash: UInt64) {
        let (entry, hash) = find(key)
        return (entry.map { storedValues[$0] }, entry, hash)
    }

    /// The value kept under `key`, nil when there is none.
    @inlinable
    public subscript(key: String) -> Value? { find(key).entry.map(value(at:)) }

    /// Adds an entry whose key was not found; `hash` is what ``find(_:)`` returned for its bytes.
    @inlinable
    public mutating func insert(key: String, value: Value, hash h: UInt64) {
        storedKeys.append(key)
        storedValues.append(value)
        place(entry: storedKeys.count - 1, hash: h)
        if storedKeys.count * 2 > slots.count { rehash(to: slots.count * 2) }
    }

    @usableFromInline
    mutating func place(entry: Int, hash h: UInt64) {
        place(word: Self.word(entry: entry, hash: h))
    }

    @usableFromInline
    mutating func place(word: UInt64) {
        var k = home(word)
        while slots[k] != 0 { k = (k + 1) & mask }
        slots[k] = word
    }

    /// Moves entry `e` to `newIndex[e]` (`newIndex` is a permutation of the entries): keys and values in the new
    /// order, every slot still finding its key. No key is hashed, read or retained: the entries are moved, and each
    /// slot word gets its entry's new index.
    public mutating func reorderEntries(_ newIndex: [UInt32]) {
        precondition(newIndex.count == count, "not a permutation of the entries")
        // `ModelSorting.apply` takes, per new position, the old index that goes there.
        var order = [Int](repeating: 0, count: count)
        for (e, n) in newIndex.enumerated() { order[Int(n)] = e }
        ModelSorting.apply(order, to: &storedKeys)
        ModelSorting.apply(order, to: &storedValues)
        slots.withUnsafeMutableBufferPointer { slots in
            for k in slots.indices where slots[k] != 0 {
                let e = Int(truncatingIfNeeded: slots[k] & 0xFFFF_FFFF) - 1
                slots[k] = Self.word(entry: Int(newIndex[e]), hash: slots[k])
            }
        }
    }

    /// Moves the slot words into `capacity` slots: each one says where it goes.
    @usableFromInline
    mutating func rehash(to capacity: Int) {
        precondition(capacity <= 1 << 32, "a CellTable holds at most 2^31 entries")
        let old = slots
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        for word in old where word != 0 { place(word: word) }
    }

    /// Whether these bytes are the text of `key` as `String ==` sees it: canonically equivalent (asked only when the
    /// bytes differ and the hashes agree, which is almost always because the text is spelled differently).
    @usableFromInline
    static func equivalent(_ key: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        String(decoding: bytes, as: UTF8.self) == key
    }

    /// Whether a string's UTF-8 is `bytes`.
    @inlinable @inline(__always)
    public static func sameBytes(_ key: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        key.utf8.withContiguousStorageIfAvailable { stored in
            stored.count == bytes.count
                && (bytes.count == 0 || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        } ?? key.utf8.elementsEqual(bytes)
    }
}

extension CellTable where Value == Void {
    /// One copy of each string: the one kept for these bytes, made and kept when they are new.
    @inlinable
    public mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let (entry, h) = find(bytes)
        if let entry { return storedKeys[entry] }
        let text = String(decoding: bytes, as: UTF8.self)
        // Invalid UTF-8 is repaired when decoded: the repaired text is not these bytes, so it is not kept under them.
        guard Self.sameBytes(text, bytes) else { return text }
        insert(key: text, value: (), hash: h)
        return text
    }

    /// One copy of each string: the one kept for this text, or this one, now kept.
    @inlinable
    public mutating func intern(_ text: String) -> String {
        if let found = text.utf8.withContiguousStorageIfAvailable({ bytes -> String in
            let (entry, h) = find(bytes)
            if let entry { return storedKeys[entry] }
            insert(key: text, value: (), hash: h)
            return text
        }) {
            return found
        }
        var copy = text
        copy.makeContiguousUTF8()
        return intern(copy)
    }
}
extension CellTable: Sendable where Value: Sendable {}

/// The hash behind ``CellTable``, and the seed a process shares: a value that hashes its key once, when it is made
/// and its bytes are at hand (a scope, as an import parses it), is later placed in a table of that seed without its
/// bytes being read again (``CellTable/init(expecting:sharedSeed:)``). The seed is drawn once per process from the
/// system's random source, like every table's own.
public enum CellHash {
    /// The seed of tables made with `sharedSeed`.
    public static let shared: (UInt64, UInt64) = freshSeed()

    static func freshSeed() -> (UInt64, UInt64) {
        var random = SystemRandomNumberGenerator()
        return (random.next() | 1, random.next())
    }

    /// The hash of `bytes` with the shared seed: what a table made with `sharedSeed` computes for the same bytes.
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 { hash(bytes, seed: shared) }

    /// The hash of `bytes`, the same for canonically equivalent texts (what `String ==` compares, and what the
    /// `Set` and `Dictionary` this table replaces compared): ASCII text by its bytes; other text by the ASCII it is
    /// equivalent to when there is one, else by Swift's own (normalising) hash.
    @inlinable
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: (UInt64, UInt64)) -> UInt64 {
        var high: UInt8 = 0
        for b in bytes { high |= b }
        return high < 0x80 ? hashASCII(bytes, seed: seed) : hashNonASCII(bytes, seed: seed)
    }

    /// Only three non-ASCII scalars are canonically equivalent to ASCII (U+037E `;`, U+1FEF `` ` ``, U+212A `K`,
    /// singleton decompositions); a text of ASCII and those hashes as that ASCII. Any other non-ASCII text cannot
    /// equal an ASCII one, and takes `String`'s hash, equal for equivalent texts.
    @usableFromInline
    static func hashNonASCII(_ bytes: UnsafeBufferPointer<UInt8>, seed: (UInt64, UInt64)) -> UInt64 {
        let text = String(decoding: bytes, as: UTF8.self)
        var ascii: [UInt8] = []
        ascii.reserveCapacity(bytes.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0..<0x80: ascii.append(UInt8(scalar.value))
            case 0x037E: ascii.append(UInt8(ascii: ";"))
            case 0x1FEF: ascii.append(UInt8(ascii: "`"))
            case 0x212A: ascii.append(UInt8(ascii: "K"))
            default: return UInt64(bitPattern: Int64(text.hashValue)) ^ seed.1
            }
        }
        return ascii.withUnsafeBufferPointer { hashASCII($0, seed: seed) }
    }

    /// The hash of bytes: eight bytes at a time, each pair of words folded by a full-width multiply with the seed
    /// (wyhash's mixing), the length mixed in last.
    @inlinable
    static func hashASCII(_ bytes: UnsafeBufferPointer<UInt8>, seed: (UInt64, UInt64)) -> UInt64 {
        let n = bytes.count
        var h = seed.1 ^ UInt64(truncatingIfNeeded: n)
        guard let base = bytes.baseAddress, n > 0 else { return Self.mix(h, seed.0) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 16 <= n {
            let a = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let b = raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
            h = Self.mix(a ^ seed.0, b ^ h)
            i += 16
        }
        if i + 8 <= n {
            h = Self.mix(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ seed.0, h)
            i += 8
        }
        if i < n {
            // The last one to seven bytes, as one word.
            var tail: UInt64 = 0
            for k in i..<n { tail |= UInt64(base[k]) << (8 * UInt64(k - i)) }
            h = Self.mix(tail ^ seed.0, h ^ 0x9E37_79B9_7F4A_7C15)
        }
        return Self.mix(h, seed.0 ^ UInt64(truncatingIfNeeded: n))
    }

    @inlinable @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }
}
