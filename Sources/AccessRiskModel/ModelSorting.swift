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
    /// With `parallel`, each step is split in two halves run on the cores side by side (each writes its own half);
    /// the million assignments' moves were a tenth of a second on one core while the other sat idle.
    static func apply<T>(_ order: [Int], to items: inout [T], parallel: Bool = false) {
        let n = items.count
        precondition(order.count == n, "the order is not one of these items")
        guard n > 1 else { return }
        let scratch = SendablePointer(UnsafeMutablePointer<T>.allocate(capacity: n))
        defer { scratch.base.deallocate() }
        let pieces = parallel && n >= 65_536 ? 2 : 1
        let bounds = (0...pieces).map { n * $0 / pieces }
        items.withUnsafeMutableBufferPointer { buffer in
            let base = SendablePointer(buffer.baseAddress!)
            _ = Parallel.map(pieces) { p in
                (scratch.base + bounds[p]).moveInitialize(from: base.base + bounds[p], count: bounds[p + 1] - bounds[p])
            }
            order.withUnsafeBufferPointer { order in
                let order = SendablePointer(UnsafeMutablePointer(mutating: order.baseAddress!))
                _ = Parallel.map(pieces) { p in
                    for k in bounds[p]..<bounds[p + 1] {
                        (base.base + k).moveInitialize(from: scratch.base + order.base[k], count: 1)
                    }
                }
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
    /// With `parallel`, the work is split over the cores (the result is the same).
    static func assignmentOrder(_ items: [Assignment], parallel: Bool = false) -> [Int] {
        assignmentOrderAndPrincipals(items, parallel: parallel).order
    }

    /// ``assignmentOrder(_:parallel:)``, with the principal ids' ranks it worked out on the way when it did: per
    /// element (in the elements' order before sorting), the rank of its principal id among the distinct ids, and
    /// the numbering of those ids by rank.
    static func assignmentOrderAndPrincipals(_ items: [Assignment], parallel: Bool = false) -> (
        order: [Int], principals: (ranks: [UInt32], numbering: StringNumbering)?
    ) {
        guard items.count > 1 else { return (Array(items.indices), nil) }
        // Role keys are computed (a lower-cased name when there is no role id): once per element, not per compare.
        let roleKeys = items.withUnsafeBufferPointer { buffer in buffer.indices.map { buffer[$0].roleKey } }
        if let (order, principals) = rankedAssignmentOrder(items, roleKeys: roleKeys, parallel: parallel) {
            return (order, principals)
        }
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
                    return scopeTypeIdLess(buffer, i, j)
                }
                return joinedKey(i) < joinedKey(j)
            }
        }
        return (order, nil)
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
    /// Also gives the principal ids' ranks (see ``assignmentOrderAndPrincipals(_:parallel:)``).
    static func rankedAssignmentOrder(_ items: [Assignment], roleKeys: [String], parallel: Bool = false) -> (
        order: [Int], principals: (ranks: [UInt32], numbering: StringNumbering)
    )? {
        // Fields are read through the buffer: a copy of an element would retain every string it holds. The three
        // passes are independent: with `parallel` they run on the cores side by side.
        let passes =
            parallel
            ? Parallel.map(3) { rankingPass($0, items, roleKeys) } : (0..<3).map { rankingPass($0, items, roleKeys) }
        guard passes[2] != nil, let (principalRanks, principalNumbering) = passes[0], let (roleRanks, _) = passes[1],
            let principalNumbering
        else {
            return nil
        }
        var order = pairOrder(principalRanks, roleRanks, parallel: parallel)
        // Runs of one principal and role are ordered by scope, type and id (stable: a run starts in index order;
        // sorting a run leaves the runs after it where they are).
        var runs: [Range<Int>] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, principalRanks[order[end]] == principalRanks[order[start]],
                roleRanks[order[end]] == roleRanks[order[start]]
            {
                end += 1
            }
            if end - start > 1 { runs.append(start..<end) }
            start = end
        }
        // With `parallel`, the runs are split in two halves of about as many elements, each sorted on a core: the
        // halves write disjoint parts of `order`.
        var split = runs.count
        if parallel {
            let half = runs.reduce(0) { $0 + $1.count } / 2
            var sum = 0
            split =
                runs.firstIndex { run in
                    sum += run.count
                    return sum >= half
                }.map { $0 + 1 } ?? runs.count
        }
        order.withUnsafeMutableBufferPointer { buffer in
            let target = SendablePointer(buffer.baseAddress!)
            let halves = parallel ? [runs[..<split], runs[split...]] : [runs[...]]
            _ = Parallel.map(halves.count) { h in sortRuns(halves[h], of: target, items) }
        }
        return (order, (principalRanks, principalNumbering))
    }

    /// Sorts each run of `target` (indices of `items`) by scope, type and id, stably.
    private static func sortRuns(_ runs: ArraySlice<Range<Int>>, of target: SendablePointer<Int>, _ items: [Assignment])
    {
        items.withUnsafeBufferPointer { elements in
            // A run's assignments lie anywhere in the heap: the scopes of the run after next and the keys of the
            // next are asked for while this one is sorted (see `AssignmentPrefetch`).
            var k = runs.startIndex
            while k < runs.endIndex {
                if k + 2 < runs.endIndex {
                    for i in runs[k + 2] { AssignmentPrefetch.scope(of: elements, at: target.base[i]) }
                }
                if k + 1 < runs.endIndex {
                    for i in runs[k + 1] { AssignmentPrefetch.scopeKey(of: elements, at: target.base[i]) }
                }
                let run = runs[k]
                var part = UnsafeMutableBufferPointer(start: target.base + run.lowerBound, count: run.count)
                part.sort { scopeTypeIdLess(elements, $0, $1) }
                k += 1
            }
        }
    }

    /// One of the independent passes of ``rankedAssignmentOrder(_:roleKeys:parallel:)``: 0, the principal ids'
    /// ranks, with their numbering by rank; 1, the role keys' ranks; 2, no ranks when every scope key is ASCII. Nil
    /// when the pass fails.
    private static func rankingPass(_ pass: Int, _ items: [Assignment], _ roleKeys: [String]) -> (
        [UInt32], StringNumbering?
    )? {
        switch pass {
        case 0: items.withUnsafeBufferPointer { rankedValues($0, \.principalId) }
        case 1: roleKeys.withUnsafeBufferPointer { ranks($0, \.self) }.map { ($0, nil) }
        default:
            items.withUnsafeBufferPointer { buffer in buffer.indices.allSatisfy { isASCII(buffer[$0].scope.key) } }
                ? ([], nil) : nil
        }
    }

    /// The stable order of `items` by one string field, or by the tuple of two (compared with `String <`, a prefix
    /// smaller), on integer ranks of the values; nil when a value is not ASCII (the caller then compares strings).
    /// Fields are read through the buffer: a copy of an element would retain every string it holds.
    static func stringOrder<T>(
        _ items: [T], _ first: KeyPath<T, String>, then second: KeyPath<T, String>? = nil
    ) -> [Int]? {
        items.withUnsafeBufferPointer { buffer in
            guard let second else {
                // One field: sorted directly (ids that are all different gain nothing from being numbered).
                let values = buffer.indices.map { buffer[$0][keyPath: first] }
                return values.allSatisfy(isASCII) ? byteOrder(values) : nil
            }
            guard let a = ranks(buffer, first, prefixAllowed: true) else { return nil }
            guard let b = ranks(buffer, second, prefixAllowed: true) else { return nil }
            return pairOrder(a, b)
        }
    }

    /// Indices sorted by the rank pair (`a[i]`, `b[i]`), stably: both ranks and the index packed into one integer
    /// and sorted as integers, or, when they do not fit in 64 bits, compared as a triple of integers.
    /// With `parallel`, the packed keys are sorted in two halves on the cores side by side, then merged.
    static func pairOrder(_ a: [UInt32], _ b: [UInt32]?, parallel: Bool = false) -> [Int] {
        func bits(_ count: UInt64) -> Int { count <= 1 ? 0 : 64 - (count - 1).leadingZeroBitCount }
        let bCount = UInt64(b?.max() ?? 0) + 1
        let (pairs, overflow) = (UInt64(a.max() ?? 0) + 1).multipliedReportingOverflow(by: bCount)
        let indexBits = bits(UInt64(a.count))
        guard !overflow, bits(pairs) + indexBits <= 64 else {
            // 50,000 groups times 200,000 members: more pairs than 32 bits hold, with the index beside them.
            return a.indices.sorted { i, j in
                if a[i] != a[j] { return a[i] < a[j] }
                if let b, b[i] != b[j] { return b[i] < b[j] }
                return i < j
            }
        }
        var packed = a.indices.map { i in (UInt64(a[i]) * bCount + UInt64(b?[i] ?? 0)) << indexBits | UInt64(i) }
        let mask: UInt64 = indexBits == 0 ? 0 : UInt64.max >> (64 - indexBits)
        guard parallel, packed.count >= 65_536 else {
            packed.sort()
            return packed.map { Int($0 & mask) }
        }
        // Every key is distinct (its index is part of it): the merge of the sorted halves is the sorted whole.
        let half = packed.count / 2
        packed.withUnsafeMutableBufferPointer { buffer in
            let base = SendablePointer(buffer.baseAddress!)
            let bounds = [0, half, buffer.count]
            _ = Parallel.map(2) { h in
                var part = UnsafeMutableBufferPointer(start: base.base + bounds[h], count: bounds[h + 1] - bounds[h])
                part.sort()
            }
        }
        return packed.withUnsafeBufferPointer { keys in
            [Int](unsafeUninitializedCapacity: keys.count) { out, initialized in
                var i = 0
                var j = half
                var k = 0
                while i < half, j < keys.count {
                    if keys[i] < keys[j] {
                        out[k] = Int(keys[i] & mask)
                        i += 1
                    } else {
                        out[k] = Int(keys[j] & mask)
                        j += 1
                    }
                    k += 1
                }
                while i < half {
                    out[k] = Int(keys[i] & mask)
                    i += 1
                    k += 1
                }
                while j < keys.count {
                    out[k] = Int(keys[j] & mask)
                    j += 1
                    k += 1
                }
                initialized = k
            }
        }
    }

    /// Each value's rank among the distinct values in byte order (which is `String <` on ASCII); nil when one is not
    /// ASCII, or is a proper prefix of another and `prefixAllowed` is false.
    static func ranks(_ values: some Collection<String>, prefixAllowed: Bool = false) -> [UInt32]? {
        var numbering = StringNumbering(expecting: values.count)
        let numbers = values.map { numbering.number($0) }
        return ranks(numbers, numbering.distinct, prefixAllowed: prefixAllowed)
    }

    /// ``ranks(_:prefixAllowed:)`` of a `String` property of every element, read in place (see ``StringNumbering``):
    /// interned ids are numbered by their bits, where hashing and retaining a million ids scattered over the heap
    /// was most of the sort.
    static func ranks<T>(_ buffer: UnsafeBufferPointer<T>, _ field: KeyPath<T, String>, prefixAllowed: Bool = false)
        -> [UInt32]?
    {
        var numbering = StringNumbering(expecting: buffer.count)
        let numbers = numbering.numbers(of: buffer, field)
        return ranks(numbers, numbering.distinct, prefixAllowed: prefixAllowed)
    }

    /// ``ranks(_:_:prefixAllowed:)``, with the numbering of the distinct values by their ranks.
    static func rankedValues<T>(
        _ buffer: UnsafeBufferPointer<T>, _ field: KeyPath<T, String>, prefixAllowed: Bool = false
    ) -> (ranks: [UInt32], numbering: StringNumbering)? {
        var numbering = StringNumbering(expecting: buffer.count)
        let numbers = numbering.numbers(of: buffer, field)
        guard let rankOfNumber = rankOfNumbers(numbering.distinct, prefixAllowed: prefixAllowed) else { return nil }
        numbering.renumber(rankOfNumber)
        return (numbers.map { rankOfNumber[Int($0)] }, numbering)
    }

    /// Ranks from numbers given to the distinct values (`numbers[i]` indexes `distinct`).
    static func ranks(_ numbers: [UInt32], _ distinct: [String], prefixAllowed: Bool) -> [UInt32]? {
        rankOfNumbers(distinct, prefixAllowed: prefixAllowed).map { rank in numbers.map { rank[Int($0)] } }
    }

    /// Each distinct value's rank (see ``ranks(_:prefixAllowed:)``), nil as there.
    static func rankOfNumbers(_ distinct: [String], prefixAllowed: Bool) -> [UInt32]? {
        guard distinct.allSatisfy(isASCII) else { return nil }
        let sorted = byteOrder(distinct)
        // A value that is a proper prefix of another sorts just before a value that starts with it.
        for (a, b) in zip(sorted, sorted.dropFirst())
        where !prefixAllowed && compareBytes(distinct[a], distinct[b]) == .prefix {
            return nil
        }
        var rankOfNumber = [UInt32](repeating: 0, count: distinct.count)
        for (rank, n) in sorted.enumerated() { rankOfNumber[n] = UInt32(rank) }
        return rankOfNumber
    }

    /// The indices of `strings` in byte order (a proper prefix first), equal strings in index order.
    ///
    /// Sorted eight bytes at a time, as integers: first on each string's first eight bytes, then each run of equal
    /// words on the next eight, and so on. Comparing two strings reads both from the heap, and ids sharing a long
    /// start (`/subscriptions/…`) compare it again and again.
    static func byteOrder(_ strings: [String]) -> [Int] {
        var order = Array(strings.indices)
        var keyed: [(word: UInt64, index: Int)] = []
        // Runs still to sort: a range of `order` and the byte offset of the word that decides it.
        var runs: [(range: Range<Int>, offset: Int)] = [(0..<order.count, 0)]
        while let (range, offset) = runs.popLast() {
            keyed.removeAll(keepingCapacity: true)
            for i in order[range] { keyed.append((word(strings[i], at: offset), i)) }
            keyed.sort { ($0.word, $0.index) < ($1.word, $1.index) }
            for (k, entry) in keyed.enumerated() { order[range.lowerBound + k] = entry.index }
            var start = 0
            while start < keyed.count {
                var end = start + 1
                while end < keyed.count, keyed[end].word == keyed[start].word { end += 1 }
                if end - start > 1 {
                    // Strings that end within this word come first (each is a prefix of the longer ones), shorter
                    // first; the others are decided by their next word.
                    let next = offset + 8
                    let run = (range.lowerBound + start)..<(range.lowerBound + end)
                    let ended = order[run].filter { strings[$0].utf8.count <= next }
                    if !ended.isEmpty {
                        let sortedEnded = ended.sorted {
                            (strings[$0].utf8.count, $0) < (strings[$1].utf8.count, $1)
                        }
                        let rest = order[run].filter { strings[$0].utf8.count > next }
                        order.replaceSubrange(run, with: sortedEnded + rest)
                    }
                    if run.count - ended.count > 1 {
                        runs.append(((run.lowerBound + ended.count)..<run.upperBound, next))
                    }
                }
                start = end
            }
        }
        return order
    }

    /// Bytes `offset..<offset + 8` of a string, big-endian, zero-padded past its end: their order as integers is
    /// the byte order of the strings wherever the integers differ.
    static func word(_ text: String, at offset: Int) -> UInt64 {
        func read(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var key: UInt64 = 0
            let end = min(bytes.count, offset + 8)
            var i = offset
            while i < end {
                key = key << 8 | UInt64(bytes[i])
                i += 1
            }
            let n = max(0, end - offset)
            return n == 8 ? key : (n == 0 ? 0 : key << (8 * UInt64(8 - n)))
        }
        if let key = text.utf8.withContiguousStorageIfAvailable(read) { return key }
        return Array(text.utf8).withUnsafeBufferPointer(read)
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

    static func isASCII(_ s: String) -> Bool { s.isASCIIBytes }
}
