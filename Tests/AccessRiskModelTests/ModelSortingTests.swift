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
            let pairs = ModelSorting.stringOrder(memberships, { $0[$1].groupId }, then: { $0[$1].memberId })
            #expect((pairs != nil) == ascii)
            // One field (how assets sort): stable, a prefix first.
            let single = memberships.map(\.memberId)
            if let order = ModelSorting.stringOrder(single, { $0[$1] }) {
                #expect(order == single.indices.sorted { (single[$0], $0) < (single[$1], $1) })
            } else {
                #expect(!ascii)
            }
        }
    }
}
