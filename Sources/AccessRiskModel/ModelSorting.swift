#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The sorting behind ``AccessModel/sortDeterministically()``, without a key string per element.
///
/// The order is defined as that of joined keys (the parts of an element joined with U+0001, compared with `String <`),
/// and is kept exactly; but a million assignments would need a million grant-key strings (a quarter of a gigabyte
/// at the enterprise size) and a second copy of the array. Here elements are compared on the strings they already
/// hold (mostly on integer ranks of them), and the sorted order is applied by moving the elements.
enum ModelSorting {
    /// Reorders `items` so that `items[k]` becomes the old `items[order[k]]` (`order` is a permutation of the
    /// indices). The elements are moved, never copied (no retain of the strings they hold): all of them to a scratch
    /// buffer at once, then each back to its place, which reads the scratch buffer at random but writes in order
    /// (swapping along the permutation's cycles touched two random elements per step and was memory-bound).
    static func apply<T>(_ order: [Int], to items: inout [T]) {
        let n = items.count
        precondition(order.count == n, "the order is not one of these items")
        guard n > 1 else { return }
        let scratch = UnsafeMutablePointer<T>.allocate(capacity: n)
        defer { scratch.deallocate() }
        items.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            scratch.moveInitialize(from: base, count: n)
            order.withUnsafeBufferPointer { order in
                for k in 0..<n { (base + k).moveInitialize(from: scratch + order[k], count: 1) }
            }
        }
    }

    /// The stable sorted order of `items`: `order[k]` is the index of the element that goes to `k`. `less` compares
    /// the elements at two indices of the buffer: it reads the fields it needs, where a copy of each element would
    /// retain every string it holds.
    static func order<T>(_ items: [T], by less: (UnsafeBufferPointer<T>, Int, Int) -> Bool) -> [Int] {
        guard items.count > 1 else { return Array(items.indices) }
        return items.withUnsafeBufferPointer { buffer in
            Array(buffer.indices).sorted { less(buffer, $0, $1) }
        }
    }

    /// Assignments in the order of the joined key `grantKey`, type, id (see ``AccessModel/sortDeterministically()``).
    static func assignmentOrder(_ items: [Assignment]) -> [Int] {
        guard items.count > 1 else { return Array(items.indices) }
        // Role keys are computed (a lower-cased name when there is no role id): once per element, not per compare.
        let roleKeys = items.withUnsafeBufferPointer { buffer in buffer.indices.map { buffer[$0].roleKey } }
        if let order = rankedAssignmentOrder(items, roleKeys: roleKeys) { return order }
        // The byte comparison below equals `String <` only on ASCII; other elements compare their joined keys.
        let ascii = items.indices.map { i in
            isASCII(items[i].principalId) && isASCII(roleKeys[i]) && isASCII(items[i].scope.key)
        }
        return items.withUnsafeBufferPointer { buffer in
            // Fields are read through the buffer: a copy of an element would retain every string it holds.
            func joinedKey(_ i: Int) -> String {
                [buffer[i].grantKey, buffer[i].assignmentType.rawValue, buffer[i].id ?? ""].joined(separator: "\u{1}")
            }
            return Array(buffer.indices).sorted { i, j in
                if ascii[i], ascii[j] {
                    // grantKey is principal | role | scope: equal parts move on; a part that is a proper prefix of
                    // the other would compare `|` with a character of the longer part, so it takes the slow path.
                    switch compareBytes(buffer[i].principalId, buffer[j].principalId) {
                    case .less: return true
                    case .greater: return false
                    case .prefix: return joinedKey(i) < joinedKey(j)
                    case .equal: break
                    }
                    switch compareBytes(roleKeys[i], roleKeys[j]) {
                    case .less: return true
                    case .greater: return false
                    case .prefix: return joinedKey(i) < joinedKey(j)
                    case .equal: break
                    }
                    return scopeTypeIdLess(buffer, i, j)
                }
                return joinedKey(i) < joinedKey(j)
            }
        }
    }

    /// The order of two assignments of one principal and role: scope, then type, then id.
    static func scopeTypeIdLess(_ buffer: UnsafeBufferPointer<Assignment>, _ i: Int, _ j: Int) -> Bool {
        // The scope ends the grant key (U+0001 follows, below every character): a prefix is smaller.
        switch compareBytes(buffer[i].scope.key, buffer[j].scope.key) {
        case .less: return true
        case .greater: return false
        case .prefix: return buffer[i].scope.key.utf8.count < buffer[j].scope.key.utf8.count
        case .equal: break
        }
        if buffer[i].assignmentType != buffer[j].assignmentType {
            return buffer[i].assignmentType.rawValue < buffer[j].assignmentType.rawValue
        }
        // Only duplicates of one grant get here: the id (rebuilt from the scope) is the last part.
        return (buffer[i].id ?? "") < (buffer[j].id ?? "")
    }

    /// The assignment order compared mostly on integers: each principal id and role key is replaced by its rank
    /// among the distinct values (a few thousand principals hold a million assignments), and only assignments of
    /// one principal and role compare their scopes. Nil when a principal id or role key is not ASCII or is a proper
    /// prefix of another: then `|` would meet a character of the longer one in the joined key, and the general
    /// comparison decides.
    static func rankedAssignmentOrder(_ items: [Assignment], roleKeys: [String]) -> [Int]? {
        // Fields are read through the buffer: a copy of an element would retain every string it holds.
        let scopesASCII = items.withUnsafeBufferPointer { buffer in
            buffer.indices.allSatisfy { isASCII(buffer[$0].scope.key) }
        }
        let principalRanks = items.withUnsafeBufferPointer { buffer in
            ranks(buffer.indices.lazy.map { buffer[$0].principalId })
        }
        guard scopesASCII, let principalRanks, let roleRanks = ranks(roleKeys) else {
            return nil
        }
        guard var order = pairOrder(principalRanks, roleRanks) else { return nil }
        // Runs of one principal and role are ordered by scope, type and id (stable: a run starts in index order;
        // sorting a run leaves the runs after it where they are).
        func samePair(_ a: Int, _ b: Int) -> Bool {
            principalRanks[a] == principalRanks[b] && roleRanks[a] == roleRanks[b]
        }
        items.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < order.count {
                var end = start + 1
                while end < order.count, samePair(order[end], order[start]) { end += 1 }
                if end - start > 1 {
                    order[start..<end].sort { scopeTypeIdLess(buffer, $0, $1) }
                }
                start = end
            }
        }
        return order
    }

    /// The stable order of `items` by one string field, or by the tuple of two (compared with `String <`, a prefix
    /// smaller), on integer ranks of the values; nil when a value is not ASCII (the caller then compares strings).
    /// Fields are read through the buffer: a copy of an element would retain every string it holds.
    static func stringOrder<T>(
        _ items: [T], _ first: (UnsafeBufferPointer<T>, Int) -> String,
        then second: ((UnsafeBufferPointer<T>, Int) -> String)? = nil
    ) -> [Int]? {
        items.withUnsafeBufferPointer { buffer in
            func ranksOf(_ field: (UnsafeBufferPointer<T>, Int) -> String) -> [UInt32]? {
                withoutActuallyEscaping(field) { field in
                    ranks(buffer.indices.lazy.map { field(buffer, $0) }, prefixAllowed: true)
                }
            }
            guard let a = ranksOf(first) else { return nil }
            guard let second else { return pairOrder(a, nil) }
            guard let b = ranksOf(second) else { return nil }
            return pairOrder(a, b)
        }
    }

    /// Indices sorted by the rank pair (`a[i]`, `b[i]`), stably: both ranks and the index packed into one integer
    /// and sorted as integers. Nil when the pairs do not fit in 32 bits.
    static func pairOrder(_ a: [UInt32], _ b: [UInt32]?) -> [Int]? {
        guard a.count < 1 << 32 else { return nil }
        let bCount = UInt64(b?.max() ?? 0) + 1
        let (pairs, overflow) = (UInt64(a.max() ?? 0) + 1).multipliedReportingOverflow(by: bCount)
        guard !overflow, pairs <= 1 << 32 else { return nil }
        var packed = a.indices.map { i in (UInt64(a[i]) * bCount + UInt64(b?[i] ?? 0)) << 32 | UInt64(i) }
        packed.sort()
        return packed.map { Int($0 & 0xFFFF_FFFF) }
    }

    /// Each value's rank among the distinct values in byte order (which is `String <` on ASCII); nil when one is not
    /// ASCII, or is a proper prefix of another and `prefixAllowed` is false.
    static func ranks(_ values: some Collection<String>, prefixAllowed: Bool = false) -> [UInt32]? {
        var slot: [String: UInt32] = [:]
        slot.reserveCapacity(min(values.count, 1 << 16))
        var distinct: [String] = []
        var slots: [UInt32] = []
        slots.reserveCapacity(values.count)
        for value in values {
            if let s = slot[value] {
                slots.append(s)
            } else {
                guard isASCII(value) else { return nil }
                slot[value] = UInt32(distinct.count)
                slots.append(UInt32(distinct.count))
                distinct.append(value)
            }
        }
        let sorted = distinct.indices.sorted { a, b in
            switch compareBytes(distinct[a], distinct[b]) {
            case .less: true
            case .greater, .equal: false
            case .prefix: distinct[a].utf8.count < distinct[b].utf8.count
            }
        }
        // A value that is a proper prefix of another sorts just before a value that starts with it.
        for (a, b) in zip(sorted, sorted.dropFirst())
        where !prefixAllowed && compareBytes(distinct[a], distinct[b]) == .prefix {
            return nil
        }
        var rankOfSlot = [UInt32](repeating: 0, count: distinct.count)
        for (rank, s) in sorted.enumerated() { rankOfSlot[s] = UInt32(rank) }
        return slots.map { rankOfSlot[Int($0)] }
    }

    enum ByteOrder {
        case less, greater, equal
        /// One is a proper prefix of the other.
        case prefix
    }

    /// Compares UTF-8 bytes; `.prefix` when the shorter is a proper prefix of the longer.
    static func compareBytes(_ a: String, _ b: String) -> ByteOrder {
        if let order = a.utf8.withContiguousStorageIfAvailable({ pa in
            b.utf8.withContiguousStorageIfAvailable { pb in compareBytes(pa, pb) }
        }), let order {
            return order
        }
        return compareBytes(Array(a.utf8), Array(b.utf8))
    }

    private static func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> ByteOrder {
        let n = min(a.count, b.count)
        let c = n == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, n)
        if c < 0 { return .less }
        if c > 0 { return .greater }
        return a.count == b.count ? .equal : .prefix
    }

    private static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> ByteOrder {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in compareBytes(pa, pb) } }
    }

    static func isASCII(_ s: String) -> Bool {
        if let result = s.utf8.withContiguousStorageIfAvailable({ bytes in bytes.allSatisfy { $0 < 0x80 } }) {
            return result
        }
        return s.utf8.allSatisfy { $0 < 0x80 }
    }
}
