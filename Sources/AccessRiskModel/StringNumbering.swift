/// Numbers strings 0, 1, 2… in the order they are first seen; equal strings get equal numbers.
///
/// The importer keeps one copy of each repeated id (interning), so most strings numbered here are bit for bit the
/// string first seen with their text: the same storage reference and count. Such a string is told by its sixteen
/// bytes, looked up in a table of integers, without retaining it or reading its characters. Hashing (and retaining)
/// a million ids scattered over the heap costs a few cache misses each, and that was most of sorting the model and
/// of numbering principals in the analysis. A string whose bits are new is looked up by its text, as a dictionary
/// would, and its bits are recorded.
///
/// Bits stand for a text only while the storage they point to is alive: every string whose bits are recorded is
/// kept, so the caller's strings may come and go.
public struct StringNumbering: Sendable {
    /// Text → number, for strings whose bits are new.
    private var byText = CellTable<UInt32>()
    /// Open addressing on the strings' bits; `numbers[k] == .max` marks an empty slot.
    private var bits: [Bits] = []
    private var numbers: [UInt32] = []
    private var used = 0
    /// With `distinct`, one string per recorded bit pattern: what keeps the pattern meaning the same text.
    private var kept: [String] = []
    /// The distinct strings in order of their numbers.
    public var distinct: [String] { byText.keys }

    struct Bits: Equatable, Sendable {
        var low: UInt64
        var high: UInt64
    }

    public init(expecting count: Int = 0) {
        byText.reserveCapacity(min(count, 1 << 18))
        grow(to: Self.capacity(for: min(count, 1 << 16)))
    }

    /// How many distinct strings have been numbered.
    public var count: Int { byText.count }

    /// The number of `text`, the next number when it is new; `isNew` is set then.
    public mutating func number(_ text: String, isNew: inout Bool) -> UInt32 {
        withUnsafePointer(to: text) { number(stringAt: UnsafeRawPointer($0), isNew: &isNew) }
    }

    /// The number of `text`, the next number when it is new.
    public mutating func number(_ text: String) -> UInt32 {
        var isNew = false
        return number(text, isNew: &isNew)
    }

    /// The number of the initialised `String` at `pointer`, read in place (not retained unless its bits are new).
    public mutating func number(stringAt pointer: UnsafeRawPointer, isNew: inout Bool) -> UInt32 {
        guard StringWords.areReadable else { return numberByText(pointer.load(as: String.self), isNew: &isNew) }
        let key = Bits(low: pointer.load(as: UInt64.self), high: pointer.load(fromByteOffset: 8, as: UInt64.self))
        let mask = numbers.count - 1
        var k = Self.slot(key, mask)
        while numbers[k] != .max {
            if bits[k] == key { return numbers[k] }
            k = (k + 1) & mask
        }
        let text = pointer.load(as: String.self)
        var fresh = false
        let n = numberByText(text, isNew: &fresh)
        bits[k] = key
        numbers[k] = n
        // A new text is kept by `distinct` already.
        if fresh { isNew = true } else { kept.append(text) }
        used += 1
        if used * 2 > numbers.count { grow(to: numbers.count * 2) }
        return n
    }

    /// The number of a string made for this call (a computed key): looked up by text, its bits not recorded (they
    /// would not recur, and recording them would keep every such string).
    public mutating func numberByText(_ text: String) -> UInt32 {
        var isNew = false
        return numberByText(text, isNew: &isNew)
    }

    /// Text → number for every distinct string.
    public var dictionary: [String: UInt32] {
        Dictionary(uniqueKeysWithValues: byText.keys.enumerated().map { ($1, UInt32($0)) })
    }

    /// Text → number for every distinct string, as the table that numbered them (looked up on bytes).
    public var table: CellTable<UInt32> { byText }

    /// Each number's rank among the distinct strings in `String <` order (byte order when every string is ASCII).
    public func ranksInStringOrder() -> [UInt32] {
        let distinct = self.distinct
        let order =
            distinct.allSatisfy(ModelSorting.isASCII)
            ? ModelSorting.byteOrder(distinct) : distinct.indices.sorted { distinct[$0] < distinct[$1] }
        var ranks = [UInt32](repeating: 0, count: distinct.count)
        for (rank, n) in order.enumerated() { ranks[n] = UInt32(rank) }
        return ranks
    }

    /// Gives number `n` the number `newNumber[n]` (a permutation of the numbers), without reading or hashing any
    /// string: `distinct` comes in the new order.
    public mutating func renumber(_ newNumber: [UInt32]) {
        precondition(newNumber.count == count, "not a permutation of the numbers")
        byText.reorderEntries(newNumber)
        for n in 0..<count { byText.setValue(UInt32(n), at: n) }
        numbers.withUnsafeMutableBufferPointer { numbers in
            for k in numbers.indices where numbers[k] != .max { numbers[k] = newNumber[Int(numbers[k])] }
        }
    }

    private mutating func numberByText(_ text: String, isNew: inout Bool) -> UInt32 {
        let (entry, hash) = byText.find(text)
        if let entry { return byText.value(at: entry) }
        let n = UInt32(byText.count)
        byText.insert(key: text, value: n, hash: hash)
        isNew = true
        return n
    }

    @inline(__always)
    private static func slot(_ key: Bits, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: ((key.high ^ (key.low &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9) >> 32) & mask
    }

    private static func capacity(for count: Int) -> Int {
        var c = 16
        while c < count * 2 { c *= 2 }
        return c
    }

    private mutating func grow(to capacity: Int) {
        let oldBits = bits
        let oldNumbers = numbers
        bits = [Bits](repeating: Bits(low: 0, high: 0), count: capacity)
        numbers = [UInt32](repeating: .max, count: capacity)
        let mask = capacity - 1
        for (i, n) in oldNumbers.enumerated() where n != .max {
            var k = Self.slot(oldBits[i], mask)
            while numbers[k] != .max { k = (k + 1) & mask }
            bits[k] = oldBits[i]
            numbers[k] = n
        }
    }
}

extension StringNumbering {
    /// The numbers of a `String` property of every element of `buffer`, read in place: a copy of each element (or of
    /// its string) would retain it, which reads its storage from the heap.
    public mutating func numbers<T>(of buffer: UnsafeBufferPointer<T>, _ field: KeyPath<T, String>) -> [UInt32] {
        numbers(of: buffer, field) { _, _ in }
    }

    /// ``numbers(of:_:)``, calling `onNew` with each element index whose string got a new number (and that number).
    public mutating func numbers<T>(
        of buffer: UnsafeBufferPointer<T>, _ field: KeyPath<T, String>, onNew: (Int, UInt32) -> Void
    ) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(buffer.count)
        guard let offset = MemoryLayout<T>.offset(of: field), let base = buffer.baseAddress else {
            for i in buffer.indices {
                var isNew = false
                let n = number(buffer[i][keyPath: field], isNew: &isNew)
                if isNew { onNew(i, n) }
                out.append(n)
            }
            return out
        }
        let raw = UnsafeRawPointer(base) + offset
        let stride = MemoryLayout<T>.stride
        for i in buffer.indices {
            var isNew = false
            let n = number(stringAt: raw + i * stride, isNew: &isNew)
            if isNew { onNew(i, n) }
            out.append(n)
        }
        return out
    }
}
