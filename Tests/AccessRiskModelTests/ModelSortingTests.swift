import Testing

@testable import AccessRiskModel

/// `sortDeterministically` compares the strings elements hold instead of building a joined key per element; the
/// order must stay exactly the joined keys' order, which reports and register ids were built on.
@Suite("Model sorting: the joined-key order without key strings")
struct ModelSortingTests {
    /// The definition the sort must keep: grant key, type and id joined with U+0001, compared as Strings, stable.
    static func reference(_ items: [Assignment]) -> [Assignment] {
        let keys = items.map { [$0.grantKey, $0.assignmentType.rawValue, $0.id ?? ""].joined(separator: "\u{1}") }
        return keys.indices.sorted { keys[$0] < keys[$1] }.map { items[$0] }
    }

    /// A deterministic pseudo-random generator (the test must not depend on the run).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func assignments(count: Int, seed: UInt64) -> [Assignment] {
        var g = Generator(state: seed)
        // Principal ids and role names where one is a prefix of another and `|` meets a longer part's character;
        // upper case, accents (é composed and decomposed), and scopes that are prefixes of other scopes.
        let principals = ["a", "ab", "a|b", "b", "upn:x@contoso.com", "upn:x@contoso.com.au", "é", "e\u{301}", "z"]
        let roles: [(String?, String)] = [
            (nil, "Reader"), (nil, "Reader and Data Access"), ("acdd72a7", "Reader"), (nil, "Ré"), (nil, "R"),
            ("b24988ac", "Contributor"),
        ]
        let scopes = ["/", "/subscriptions/s1", "/subscriptions/s1/resourcegroups/rg", "/subscriptions/s10", "/x|y"]
        return (0..<count).map { n in
            let role = roles[g.next(roles.count)]
            let scope = Scope(scopes[g.next(scopes.count)])
            let id: String? =
                switch g.next(3) {
                case 0: nil
                case 1: "\(g.next(4))"
                default: scope.key + "/providers/microsoft.authorization/roleassignments/\(g.next(4))"
                }
            return Assignment(
                id: id, principalId: principals[g.next(principals.count)], principalType: .user, roleId: role.0,
                roleName: role.1, scope: scope, assignmentType: g.next(2) == 0 ? .active : .eligible,
                source: SourceRef(file: 0, line: n))
        }
    }

    @Test(arguments: [1, 2, 7, 40, 500])
    func assignmentsKeepTheJoinedKeyOrder(count: Int) {
        for seed in UInt64(1)...5 {
            var model = AccessModel()
            model.assignments = Self.assignments(count: count, seed: seed)
            let expected = Self.reference(model.assignments)
            model.sortDeterministically()
            // Equal elements keep their input order (the sort is stable): the source line tells them apart.
            #expect(model.assignments == expected, "seed \(seed)")
        }
    }

    @Test func thePipeAfterAPrefixDecides() {
        // "a|…" against "ab|…": joined, `|` (0x7C) sorts after `b` (0x62), so "ab" comes first although "a" < "ab".
        var model = AccessModel()
        model.assignments = [
            Assignment(principalId: "a", principalType: .user, roleName: "Reader", scope: .root),
            Assignment(principalId: "ab", principalType: .user, roleName: "Reader", scope: .root),
        ]
        model.sortDeterministically()
        #expect(model.assignments.map(\.principalId) == ["ab", "a"])
    }

    @Test func applyingAnOrderMovesEveryElementOnce() {
        var items = ["a", "b", "c", "d", "e", "f"]
        ModelSorting.apply([3, 0, 1, 2, 5, 4], to: &items)
        #expect(items == ["d", "a", "b", "c", "f", "e"])
        var same = ["x", "y"]
        ModelSorting.apply([0, 1], to: &same)
        #expect(same == ["x", "y"])
    }

    /// Split over the cores (large enough to be split, an odd count so the halves differ), the moves give the same
    /// order, and every string is moved once: none lost, none left shared with a copy.
    @Test func applyingAnOrderOnBothCoresGivesTheSameOrder() {
        let n = 100_001
        let items = (0..<n).map { "item-\($0)-" + String(repeating: "x", count: $0 % 20) }
        // A permutation that sends elements across the halves: reversed, with neighbours swapped.
        var order = Array((0..<n).reversed())
        for k in stride(from: 0, to: n - 1, by: 2) { order.swapAt(k, k + 1) }
        var serial = items
        ModelSorting.apply(order, to: &serial)
        var split = items
        ModelSorting.apply(order, to: &split, parallel: true)
        #expect(split == serial)
        #expect(split == order.map { items[$0] })
    }

    @Test func otherCollectionsSortByTheirParts() {
        var model = AccessModel()
        model.memberships = [
            Membership(groupId: "g2", memberId: "a"), Membership(groupId: "g", memberId: "z"),
            Membership(groupId: "g", memberId: "b"),
        ]
        model.sortDeterministically()
        #expect(model.memberships.map { $0.groupId + "/" + $0.memberId } == ["g/b", "g/z", "g2/a"])
    }

    /// Ids of one length (no id a prefix of another) and role ids: the ranked path, on integers, decides.
    static func rankedAssignments(count: Int, seed: UInt64) -> [Assignment] {
        var g = Generator(state: seed)
        let principals = (0..<12).map { "p\(($0 * 7919) % 97 + 100)" }
        let roles: [(String?, String)] = [("acdd72a7", "Reader"), ("b24988ac", "Contributor"), (nil, "Custom Role")]
        let scopes = ["/", "/subscriptions/s1", "/subscriptions/s1/resourcegroups/rg", "/subscriptions/s10", "/x|y"]
        return (0..<count).map { n in
            let role = roles[g.next(roles.count)]
            let scope = Scope(scopes[g.next(scopes.count)])
            return Assignment(
                id: g.next(3) == 0 ? nil : "\(g.next(4))", principalId: principals[g.next(principals.count)],
                principalType: .user, roleId: role.0, roleName: role.1, scope: scope,
                assignmentType: g.next(2) == 0 ? .active : .eligible, source: SourceRef(file: 0, line: n))
        }
    }

    @Test(arguments: [2, 40, 2_000])
    func theRankedOrderIsTheJoinedKeyOrder(count: Int) {
        for seed in UInt64(1)...5 {
            let items = Self.rankedAssignments(count: count, seed: seed)
            let roleKeys = items.map(\.roleKey)
            #expect(ModelSorting.rankedAssignmentOrder(items, roleKeys: roleKeys) != nil)
            var model = AccessModel()
            model.assignments = items
            model.sortDeterministically()
            #expect(model.assignments == Self.reference(items), "seed \(seed)")
        }
        // Prefix ids and accents leave the ranked path to the general comparison.
        let tricky = Self.assignments(count: 200, seed: 1)
        #expect(ModelSorting.rankedAssignmentOrder(tricky, roleKeys: tricky.map(\.roleKey)) == nil)
    }

    @Test func ranksAreByteOrderAndRefusePrefixesUnlessAllowed() {
        #expect(ModelSorting.ranks(["b", "a", "c", "a"]) == [1, 0, 2, 0])
        #expect(ModelSorting.ranks(["ab", "a"]) == nil)
        #expect(ModelSorting.ranks(["ab", "a", "B"], prefixAllowed: true) == [2, 1, 0])
        #expect(ModelSorting.ranks(["é", "a"], prefixAllowed: true) == nil)
    }

    @Test func byteOrderSortsEightBytesAtATimeLikeStrings() {
        var g = Generator(state: 11)
        // Long shared starts (decided by later words), prefixes ending inside and at the end of a word, NUL bytes
        // (zero padding must not make "a" equal "a\0"), duplicates, and the empty string.
        let stems = [
            "", "a", "a\u{0}", "/subscriptions/", "/subscriptions/0000", "/subscriptions/00000000", "12345678",
        ]
        let tails = ["", "0", "00000000", "9", "x/y", "\u{0}\u{0}", "zzzzzzzzzzzzzzzzz"]
        for count in [0, 1, 2, 50, 400] {
            let strings = (0..<count).map { _ in stems[g.next(stems.count)] + tails[g.next(tails.count)] }
            let expected = strings.indices.sorted { i, j in
                let (a, b) = (Array(strings[i].utf8), Array(strings[j].utf8))
                return a == b ? i < j : a.lexicographicallyPrecedes(b)
            }
            #expect(ModelSorting.byteOrder(strings) == expected, "\(count) strings")
        }
    }

    @Test func pairOrderFallsBackWhenRanksAndIndexOverflowSixtyFourBits() {
        // Ranks near 2^31 on both sides need 62 bits before the index: the integer triple decides instead.
        let a: [UInt32] = [3_000_000_000, 1, 3_000_000_000, 1, 0, 7]
        let b: [UInt32] = [2, 3_000_000_000, 1, 3_000_000_000, 5, 0]
        let expected = a.indices.sorted { (a[$0], b[$0], $0) < (a[$1], b[$1], $1) }
        #expect(ModelSorting.pairOrder(a, b) == expected)
        // Small ranks take the packed path and must agree.
        let small = a.map { $0 % 4 }
        #expect(
            ModelSorting.pairOrder(small, b.map { $0 % 3 })
                == a.indices.sorted {
                    (small[$0], b[$0] % 3, $0) < (small[$1], b[$1] % 3, $1)
                })
        #expect(ModelSorting.pairOrder(small, nil) == a.indices.sorted { (small[$0], $0) < (small[$1], $1) })
    }

    /// Sorted in two halves on both cores and merged, large inputs give the order of one sort, ties by index.
    @Test func pairOrderInHalvesIsTheSameOrder() {
        var g = Generator(state: 11)
        for count in [65_536, 100_001] {
            // Few distinct ranks: long runs of ties cross the halves' boundary.
            let a = (0..<count).map { _ in UInt32(g.next(50)) }
            let b = (0..<count).map { _ in UInt32(g.next(7)) }
            let serial = ModelSorting.pairOrder(a, b)
            #expect(serial == a.indices.sorted { (a[$0], b[$0], $0) < (a[$1], b[$1], $1) })
            #expect(ModelSorting.pairOrder(a, b, parallel: true) == serial, "\(count) keys")
            #expect(ModelSorting.pairOrder(a, nil, parallel: true) == ModelSorting.pairOrder(a, nil))
        }
    }

    @Test func stringNumberingTellsInternedAndCopiedStringsApart() {
        var numbering = StringNumbering()
        let id = "00001af0-93ef-4947-b9b4-a3f8fddc7f78"
        // The same text in new storage (not interned) must get the same number; a short string lives inline.
        let copy = String(decoding: Array(id.utf8), as: UTF8.self)
        let other = "10001af0-93ef-4947-b9b4-a3f8fddc7f78"
        #expect(numbering.number(id) == 0)
        #expect(numbering.number(other) == 1)
        #expect(numbering.number(copy) == 0)
        #expect(numbering.number(id) == 0)
        #expect(numbering.number("short") == 2)
        #expect(numbering.number(String(decoding: Array("short".utf8), as: UTF8.self)) == 2)
        // Strings made and dropped one after another reuse a few addresses with the same length (the same bits but
        // another text): each text must keep its own number.
        var got: [UInt32] = []
        for k in 0..<2_000 {
            let letter = Character(UnicodeScalar(UInt8(ascii: "a") + UInt8(k % 26)))
            got.append(numbering.number(String(repeating: letter, count: 40)))
        }
        let wrong = got.indices.filter { got[$0] != UInt32(3 + $0 % 26) }
        #expect(wrong.isEmpty, "\(wrong.count) wrong numbers, the first at \(wrong.first ?? -1)")
        #expect(numbering.count == 29)
        #expect(numbering.distinct[1] == other)
        // Read in place from a buffer of elements.
        let memberships = [
            Membership(groupId: id, memberId: "m"), Membership(groupId: copy, memberId: "m"),
            Membership(groupId: "g", memberId: "m"),
        ]
        var fresh = StringNumbering()
        #expect(memberships.withUnsafeBufferPointer { fresh.numbers(of: $0, \.groupId) } == [0, 0, 1])
    }

    /// Renumbering moves every string to its new number, found by its bits and by its text, the table growing after.
    @Test func stringNumberingRenumbersWithoutLosingAString() {
        var numbering = StringNumbering()
        let texts = (0..<500).map { "principal-\($0)-00001af0-93ef-4947-b9b4-a3f8fddc7f78" }
        #expect(texts.map { numbering.number($0) } == (0..<500).map(UInt32.init))
        // Reversed, then every other one swapped with its neighbour.
        let newNumber = (0..<500).map { n -> UInt32 in
            let reversed = 499 - n
            return UInt32(reversed % 2 == 0 ? reversed + 1 : reversed - 1)
        }
        numbering.renumber(newNumber)
        #expect(numbering.count == 500)
        for (n, text) in texts.enumerated() {
            #expect(numbering.number(text) == newNumber[n], "by its bits: \(text)")
            let copy = String(decoding: Array(text.utf8), as: UTF8.self)
            #expect(numbering.number(copy) == newNumber[n], "by its text: \(text)")
            #expect(numbering.distinct[Int(newNumber[n])] == text)
        }
        #expect(numbering.table[texts[7]] == newNumber[7])
        // New strings take the next numbers, through growth.
        for k in 0..<2_000 { #expect(numbering.number("new-\(k)") == UInt32(500 + k)) }
        #expect(numbering.number(texts[0]) == newNumber[0])
    }

    @Test func membershipsAndAssetsKeepTheTupleOrder() {
        var g = Generator(state: 7)
        let ids = ["g", "g2", "g|x", "G", "a", "ab", "é", "e\u{301}", "z"]
        for ascii in [true, false] {
            let pool = ascii ? ids.filter { $0.utf8.allSatisfy { $0 < 0x80 } } : ids
            let memberships = (0..<300).map { _ in
                Membership(groupId: pool[g.next(pool.count)], memberId: pool[g.next(pool.count)])
            }
            var model = AccessModel()
            model.memberships = memberships
            model.sortDeterministically()
            let expected = memberships.indices.sorted {
                (memberships[$0].groupId, memberships[$0].memberId, $0)
                    < (memberships[$1].groupId, memberships[$1].memberId, $1)
            }.map { memberships[$0] }
            #expect(model.memberships == expected)
            let pairs = ModelSorting.stringOrder(memberships, \.groupId, then: \.memberId)
            #expect((pairs != nil) == ascii)
            // One field (how assets sort): stable, a prefix first.
            let single = memberships.map(\.memberId)
            if let order = ModelSorting.stringOrder(single, \.self) {
                #expect(order == single.indices.sorted { (single[$0], $0) < (single[$1], $1) })
            } else {
                #expect(!ascii)
            }
        }
    }
}

@Suite("Model sorting on both cores")
struct ParallelModelSortingTests {
    /// The assignments alone are sorted with their ranking passes and their runs split over the cores: the result
    /// must be the joined-key order, with many runs of one principal and role (and duplicates) on both sides of
    /// the split.
    @Test(arguments: [2, 3, 40, 2_000, 20_000])
    func assignmentsAloneSortOnBothCoresInTheJoinedKeyOrder(count: Int) {
        for seed in UInt64(1)...3 {
            let items = ModelSortingTests.rankedAssignments(count: count, seed: seed)
            let roleKeys = items.map(\.roleKey)
            let serial = ModelSorting.rankedAssignmentOrder(items, roleKeys: roleKeys)?.order
            #expect(ModelSorting.rankedAssignmentOrder(items, roleKeys: roleKeys, parallel: true)?.order == serial)
            var model = AccessModel()
            model.assignments = items
            model.memberships = [Membership(groupId: "g2", memberId: "a"), Membership(groupId: "g", memberId: "z")]
            model.sortDeterministically(.assignments)
            #expect(model.assignments == ModelSortingTests.reference(items), "seed \(seed)")
            // Only what was asked for is sorted.
            #expect(model.memberships.map(\.groupId) == ["g2", "g"])
        }
        // The general comparison (prefix ids, accents) is used on both cores too.
        let tricky = ModelSortingTests.assignments(count: 300, seed: 2)
        #expect(ModelSorting.assignmentOrder(tricky, parallel: true) == ModelSorting.assignmentOrder(tricky))
    }

    /// The sort hands over the principal numbers it works out: the distinct principal ids in id order, and per
    /// assignment the position of its principal there; only for the array it sorted, and only when it ranked the
    /// principals (not when an id is a proper prefix of another).
    @Test func sortKeepsThePrincipalNumbersOfTheArrayItSorted() {
        func model(_ principals: [String]) -> AccessModel {
            var m = AccessModel()
            for (k, p) in principals.enumerated() {
                m.assignments.append(
                    Assignment(
                        principalId: p, principalType: .user, roleName: "Reader",
                        scope: Scope("/subscriptions/s\(k % 3)")))
            }
            return m
        }
        var m = model(["p-3", "p-1", "p-2", "p-1", "p-3", "p-3", "p-9"])
        #expect(m.assignmentPrincipals == nil)
        m.sortDeterministically()
        guard let kept = m.assignmentPrincipals else {
            Issue.record("the sort kept no principal numbers")
            return
        }
        #expect(kept.describes(m.assignments))
        #expect(kept.names == ["p-1", "p-2", "p-3", "p-9"])
        #expect(kept.ofAssignment.map { kept.names[Int($0)] } == m.assignments.map(\.principalId))
        // Another array with the same elements, and the same array changed, are not described.
        var copy = m
        copy.assignments = m.assignments.map { $0 }
        #expect(copy.assignmentPrincipals?.describes(copy.assignments) == false)
        m.assignments[0].principalId = "p-0"
        #expect(m.assignmentPrincipals?.describes(m.assignments) == false)
        // A sort of the other collections leaves them; a sort of the assignments works them out again.
        m.sortDeterministically(.memberships)
        #expect(m.assignmentPrincipals?.describes(m.assignments) == false)
        m.sortDeterministically()
        #expect(m.assignmentPrincipals?.describes(m.assignments) == true)
        #expect(m.assignmentPrincipals?.names == ["p-0", "p-1", "p-2", "p-3", "p-9"])
        // Ids one of which is a prefix of another are sorted by the general comparison, which ranks nothing.
        var prefixed = model(["p-1", "p-10", "p-1"])
        prefixed.sortDeterministically()
        #expect(prefixed.assignmentPrincipals == nil)
    }
}
