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
/// Open addressing with linear probing. Each slot keeps 32 bits of the hash beside the entry's index, so a probe
/// compares bytes only when those bits agree. The hash is seeded per table from the system's random source, so a
/// file cannot be crafted to make its cells collide (lookups stay constant time on hostile input); the seed never
/// changes what is found, only where it is kept.
struct CellTable<Value> {
    /// Entry index + 1 per slot; 0 marks an empty slot.
    private var slots: [UInt32]
    /// The high 32 bits of the hash of each slot's key.
    private var tags: [UInt32]
    /// Keys and values in order of insertion.
    private(set) var keys: [String] = []
    private(set) var values: [Value] = []
    private var mask: Int
    private let seed: (UInt64, UInt64)

    init(expecting count: Int = 0) {
        var random = SystemRandomNumberGenerator()
        seed = (random.next() | 1, random.next())
        let capacity = Self.capacity(for: count)
        slots = Array(repeating: 0, count: capacity)
        tags = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    var count: Int { keys.count }

    /// Slots for `count` entries at most half full.
    static func capacity(for count: Int) -> Int {
        var c = 64
        while c < 2 * count { c *= 2 }
        return c
    }

    /// Makes room for `count` entries in all, so the table does not rehash while they arrive.
    mutating func reserveCapacity(_ count: Int) {
        guard count > 0 else { return }
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
        let capacity = Self.capacity(for: count)
        if capacity > slots.count { rehash(to: capacity) }
    }

    /// The hash of `bytes`: eight bytes at a time, each pair of words folded by a full-width multiply with the seed
    /// (wyhash's mixing), the length mixed in last.
    func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
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

    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// The index of the entry whose key has these bytes, with the hash to insert it under when there is none.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> (entry: Int?, hash: UInt64) {
        let h = hash(bytes)
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        var k = Int(truncatingIfNeeded: h) & mask
        while slots[k] != 0 {
            let entry = Int(slots[k]) - 1
            if tags[k] == tag, Self.equal(keys[entry], bytes) { return (entry, h) }
            k = (k + 1) & mask
        }
        return (nil, h)
    }

    /// Replaces the value of an entry.
    mutating func setValue(_ value: Value, at entry: Int) { values[entry] = value }

    /// ``find(_:)`` of a string's bytes.
    func find(_ key: String) -> (entry: Int?, hash: UInt64) {
        key.utf8.withContiguousStorageIfAvailable { find($0) } ?? Array(key.utf8).withUnsafeBufferPointer { find($0) }
    }

    /// Adds an entry whose key was not found; `hash` is what ``find(_:)`` returned for its bytes.
    mutating func insert(key: String, value: Value, hash h: UInt64) {
        keys.append(key)
        values.append(value)
        place(entry: keys.count - 1, hash: h)
        if keys.count * 2 > slots.count { rehash(to: slots.count * 2) }
    }

    private mutating func place(entry: Int, hash h: UInt64) {
        var k = Int(truncatingIfNeeded: h) & mask
        while slots[k] != 0 { k = (k + 1) & mask }
        slots[k] = UInt32(entry + 1)
        tags[k] = UInt32(truncatingIfNeeded: h >> 32)
    }

    private mutating func rehash(to capacity: Int) {
        slots = Array(repeating: 0, count: capacity)
        tags = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        for entry in keys.indices {
            let h = keys[entry].utf8.withContiguousStorageIfAvailable { hash($0) } ?? hash(Array(keys[entry].utf8))
            place(entry: entry, hash: h)
        }
    }

    private func hash(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBufferPointer { hash($0) } }

    /// Whether a string's UTF-8 is `bytes`.
    @inline(__always)
    static func equal(_ key: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        key.utf8.withContiguousStorageIfAvailable { stored in
            stored.count == bytes.count
                && (bytes.count == 0 || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        } ?? key.utf8.elementsEqual(bytes)
    }
}

extension CellTable where Value == Void {
    /// One copy of each string: the one kept for these bytes, made and kept when they are new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let (entry, h) = find(bytes)
        if let entry { return keys[entry] }
        let text = String(decoding: bytes, as: UTF8.self)
        // Invalid UTF-8 is repaired when decoded: the repaired text is not these bytes, so it is not kept under them.
        guard Self.equal(text, bytes) else { return text }
        insert(key: text, value: (), hash: h)
        return text
    }

    /// One copy of each string: the one kept for this text, or this one, now kept.
    mutating func intern(_ text: String) -> String {
        if let found = text.utf8.withContiguousStorageIfAvailable({ bytes -> String in
            let (entry, h) = find(bytes)
            if let entry { return keys[entry] }
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
