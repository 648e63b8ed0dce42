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
/// hold, and the sorted order is applied by swapping in place.
enum ModelSorting {
    /// Reorders `items` so that `items[k]` becomes the old `items[order[k]]`, by following the permutation's cycles
    /// with swaps: no second array of elements, no copies.
    static func apply<T>(_ order: [Int], to items: inout [T]) {
        var order = order
        for start in order.indices where order[start] != start {
            var j = start
            while order[j] != start {
                let k = order[j]
                items.swapAt(j, k)
                order[j] = j
                j = k
            }
            order[j] = j
        }
    }

    /// Sorts `items` stably, in place. `less` compares the elements at two indices of the buffer: it reads the
    /// fields it needs, where a copy of each element would retain every string it holds.
    static func sort<T>(_ items: inout [T], by less: (UnsafeBufferPointer<T>, Int, Int) -> Bool) {
        guard items.count > 1 else { return }
        let order = items.withUnsafeBufferPointer { buffer in
            Array(buffer.indices).sorted { less(buffer, $0, $1) }
        }
        apply(order, to: &items)
    }

    /// Assignments in the order of the joined key `grantKey`, type, id (see ``AccessModel/sortDeterministically()``).
    static func sortAssignments(_ items: inout [Assignment]) {
        guard items.count > 1 else { return }
        // Role keys are computed (a lower-cased name when there is no role id): once per element, not per compare.
        let roleKeys = items.map(\.roleKey)
        // The byte comparison below equals `String <` only on ASCII; other elements compare their joined keys.
        let ascii = items.indices.map { i in
            isASCII(items[i].principalId) && isASCII(roleKeys[i]) && isASCII(items[i].scope.key)
        }
        let order = items.withUnsafeBufferPointer { buffer in
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
                return joinedKey(i) < joinedKey(j)
            }
        }
        apply(order, to: &items)
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
