import AccessRiskModel
import AccessRiskRules
import AccessRiskTestSupport
import Testing

@Suite("Effective access")
struct EffectiveAccessTests {
    @Test func nestedGroupsExpandWithTheirChain() {
        var m = AccessModel()
        m.addUser("alice")
        m.addUser("bob")
        m.addGroup("inner", members: ["bob"])
        m.addGroup("outer", members: ["alice", "inner"])
        m.assign("outer", .group, role: .owner, scope: ExampleScope.sub1)
        m.assign("alice", role: .reader, scope: ExampleScope.rg1)
        let analysis = AccessAnalysis(model: m)

        let members = analysis.transitiveMembers(of: "outer")
        #expect(members.map(\.memberId) == ["alice", "bob"])
        #expect(members.map(\.chain) == [["outer"], ["outer", "inner"]])
        #expect(analysis.transitiveMemberCount(of: "outer") == 2)

        let bob = analysis.grants(of: "bob")
        #expect(bob.count == 1)
        #expect(bob.first?.viaGroups == ["outer", "inner"])
        #expect(analysis.grants(of: "alice").map(\.isDirect).sorted { !$0 && $1 } == [false, true])
        #expect(analysis.grants(of: "outer").isEmpty, "a group is expanded, not a holder")
    }

    /// The expansion works on numbered ids; it must equal breadth-first expansion on the id strings themselves:
    /// members sorted as Strings (accents, composed and decomposed, and ids that are prefixes of others), shortest
    /// chains, cycles cut, duplicate memberships, members typed only by the membership input, and ids long enough to
    /// be numbered by their bits, some of them copies in other storage.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func expansionOnNumbersEqualsExpansionOnStrings(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        func next(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &generator) }
        let long = (0..<12).map { "00000000-0000-4000-8000-\(String(repeating: "0", count: 10))\($0 + 10)" }
        let ids = ["a", "ab", "é", "e\u{301}", "z", "Zed"] + long
        // A copy of a long id in storage of its own: equal text, other bits.
        func spelled(_ id: String) -> String { next(2) == 0 ? String(decoding: Array(id.utf8), as: UTF8.self) : id }
        var m = AccessModel()
        let groups = Array(ids.shuffled(using: &generator).prefix(7))
        for g in groups { m.add(Principal(id: g, type: .group)) }
        for _ in 0..<40 {
            let type: PrincipalType? = next(4) == 0 ? .group : (next(3) == 0 ? .user : nil)
            m.memberships.append(
                Membership(
                    groupId: spelled(groups[next(groups.count)]), memberId: spelled(ids[next(ids.count)]),
                    memberType: type))
        }
        for _ in 0..<10 {
            let p = spelled(ids[next(ids.count)])
            m.assign(p, next(2) == 0 ? .group : .user, role: .reader, scope: ExampleScope.sub1)
        }
        let analysis = AccessAnalysis(model: m)

        // The reference: the expansion as it was written on strings.
        var direct: [String: [String]] = [:]
        var types: [String: PrincipalType] = [:]
        for x in m.memberships {
            direct[x.groupId, default: []].append(x.memberId)
            if let t = x.memberType, t != .unknown { types[x.memberId] = types[x.memberId] ?? t }
        }
        for key in direct.keys { direct[key]!.sort() }
        #expect(analysis.directMembers == direct)
        func isGroup(_ id: String) -> Bool {
            direct[id] != nil || m.principals[id]?.type == .group || types[id] == .group
        }
        for a in m.assignments where a.principalType == .group || isGroup(a.principalId) {
            var chains: [[String]] = [[a.principalId]]
            var out: [(String, [String])] = []
            var seen: Set<String> = [a.principalId]
            var queue = [(a.principalId, 0)]
            var head = 0
            while head < queue.count {
                let (group, chain) = queue[head]
                head += 1
                for member in direct[group] ?? [] where !seen.contains(member) {
                    seen.insert(member)
                    if isGroup(member) {
                        chains.append(chains[chain] + [member])
                        queue.append((member, chains.count - 1))
                    } else {
                        out.append((member, chains[chain]))
                    }
                }
            }
            out.sort { $0.0 < $1.0 }
            let got = analysis.transitiveMembers(of: a.principalId)
            #expect(got.map(\.memberId) == out.map(\.0), "members of \(a.principalId), seed \(seed)")
            #expect(got.map(\.chain) == out.map(\.1), "chains of \(a.principalId), seed \(seed)")
        }
    }

    @Test func cyclesAreTolerated() {
        var m = AccessModel()
        m.addUser("u1")
        m.addUser("u2")
        m.addGroup("a", members: ["b", "u1"])
        m.addGroup("b", members: ["a", "u2"])
        m.assign("a", .group, role: .reader, scope: ExampleScope.sub1)
        let analysis = AccessAnalysis(model: m)
        #expect(analysis.transitiveMembers(of: "a").map(\.memberId) == ["u1", "u2"])
        #expect(analysis.transitiveMembers(of: "b").map(\.memberId) == ["u1", "u2"])
        #expect(analysis.grants(of: "u2").first?.viaGroups == ["a", "b"])
        #expect(analysis.effectiveGrants.count == 2)
    }

    @Test func sameMemberThroughTwoGroupsAtSameRoleAndScopeIsOneGrant() {
        var m = AccessModel()
        m.addUser("u")
        m.addGroup("g1", members: ["u"])
        m.addGroup("g2", members: ["u"])
        m.assign("g1", .group, role: .owner, scope: ExampleScope.sub1)
        m.assign("g2", .group, role: .owner, scope: ExampleScope.sub1)
        m.assign("g2", .group, role: .owner, scope: ExampleScope.rg1)
        let analysis = AccessAnalysis(model: m)
        let grants = analysis.grants(of: "u")
        #expect(grants.count == 2, "one per scope")
        let atSub = grants.first { m.assignments[$0.assignmentIndex].scope.key == Scope(ExampleScope.sub1).key }
        #expect(atSub?.viaGroups == ["g1"])
        #expect(atSub.map(analysis.alsoVia) == [["g2"]])
    }

    @Test func activeIsKeptOverEligibleAndDirectOverGroup() {
        var m = AccessModel()
        m.addUser("u")
        m.addGroup("g", members: ["u"])
        m.assign("u", role: .owner, scope: ExampleScope.sub1, eligible: true)
        m.assign("g", .group, role: .owner, scope: ExampleScope.sub1)
        m.assign("u", role: .reader, scope: ExampleScope.sub1)
        m.assign("g", .group, role: .reader, scope: ExampleScope.sub1)
        let analysis = AccessAnalysis(model: m)
        let grants = analysis.grants(of: "u")
        let owner = grants.first { m.assignments[$0.assignmentIndex].roleName == "Owner" }
        #expect(m.assignments[owner!.assignmentIndex].assignmentType == .active)
        #expect(owner?.viaGroups == ["g"])
        let reader = grants.first { m.assignments[$0.assignmentIndex].roleName == "Reader" }
        #expect(reader?.isDirect == true)
    }

    @Test func coveringScopesThroughTheHierarchy() {
        var m = AccessModel()
        m.assign("a", role: .reader, scope: ExampleScope.mgProd)
        m.assign("b", role: .reader, scope: ExampleScope.sub1)
        m.assign("c", role: .reader, scope: ExampleScope.storage1)
        m.assign("d", role: .reader, scope: ExampleScope.root)
        m.assign("e", role: .reader, scope: ExampleScope.sub2)
        m.assign("f", role: .reader, scope: "/providers/Microsoft.Management/managementGroups/top")
        m.placeUnder("/providers/Microsoft.Management/managementGroups/top", ExampleScope.mgProd)
        m.placeUnder(ExampleScope.mgProd, ExampleScope.sub1)
        let analysis = AccessAnalysis(model: m)
        let blob = Scope(ExampleScope.storage1 + "/blobServices/default/containers/hr")
        let holders = analysis.effectiveGrants(covering: blob).map(\.principalId).sorted()
        #expect(holders == ["a", "b", "c", "d", "f"])
        #expect(
            analysis.assignmentIndices(covering: Scope(ExampleScope.sub2)).map { m.assignments[$0].principalId }
                .sorted() == ["d", "e"])
        #expect(
            analysis.subscriptionIds == [
                "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222",
            ])
        #expect(analysis.coveringScopeKeys(of: .directory) == ["/directory"])
    }

    @Test func accountActivityClassification() {
        var m = AccessModel()
        m.addUser("active", lastSignIn: "2026-09-01")
        m.addUser("stale", lastSignIn: "2026-01-01")
        m.addUser("edge", lastSignIn: "2026-07-03")
        m.addUser("never", created: "2026-01-01", lastSignIn: nil)
        m.addUser("new", created: "2026-09-20", lastSignIn: nil)
        m.addUser("nodata", created: "2020-01-01", lastSignIn: nil, signInData: false)
        m.addUser("off", enabled: false, lastSignIn: "2026-09-30")
        let analysis = AccessAnalysis(model: m)
        let asOf = RuleExample.defaultAsOf
        func state(_ id: String) -> AccountActivity { analysis.activity(of: id, asOf: asOf, staleDays: 90) }
        #expect(state("active") == .active)
        #expect(state("stale") == .stale(daysInactive: 273))
        #expect(state("edge") == .active)
        #expect(state("never") == .neverUsed(daysSinceCreated: 273))
        #expect(state("new") == .active)
        #expect(state("nodata") == .unknown)
        #expect(state("off") == .disabled)
        #expect(state("missing") == .unknown)
        #expect(analysis.isInactive("stale", asOf: asOf, staleDays: 90))
        #expect(!analysis.isInactive("active", asOf: asOf, staleDays: 90))
        #expect(analysis.scoringInactivity(of: "stale", asOf: asOf, staleDays: 90) == .beyondTwiceThreshold)
        #expect(analysis.scoringInactivity(of: "never", asOf: asOf, staleDays: 90) == .neverUsed)
    }

    @Test func groupHeldFindingNamesTheMemberAndTheChain() throws {
        var m = AccessModel()
        m.addUser("guest", name: "Gus", guest: true)
        m.addGroup("inner", name: "Inner", members: ["guest"])
        m.addGroup("outer", name: "Outer", members: ["inner"])
        m.assign("outer", .group, role: .owner, scope: ExampleScope.sub1)
        let result = RuleEngine.run(model: m, asOf: RuleExample.defaultAsOf)
        let f = try #require(result.findings.first { $0.ruleId == "guest-privileged-access" })
        #expect(f.principalId == "guest")
        #expect(f.subjectKey == ExampleRole.owner.subject("guest", at: ExampleScope.sub1))
        #expect(f.viaGroups == ["inner", "outer"])
        #expect(f.evidence.contains("Outer → Inner"))
        #expect(f.facts.guestOrExternal && f.facts.privilegedRole)
    }

    @Test("grant keys are looked up as a pass over every assignment would: presence, first id in model order")
    func grantLookupMatchesAFullPass() {
        var m = AccessModel()
        let scope = Scope(ExampleScope.sub1)
        func add(_ principal: String, _ role: String, _ id: String?) {
            m.assignments.append(
                Assignment(
                    id: id, principalId: principal, principalType: .user, roleName: role, scope: scope,
                    source: SourceRef(file: 0, line: m.assignments.count)))
        }
        add("a", "b|Reader", nil)  // the same key text as the next, split elsewhere
        add("a|b", "Reader", "id-1")  // a principal id holding the separator
        add("u", "Owner", nil)
        add("u", "Owner", "id-2")
        add("u", "Owner", "id-3")
        add("v", "Reader", nil)
        let analysis = AccessAnalysis(model: m)
        let keys = Set(m.assignments.map(\.grantKey) + ["nobody|reader|/", "u|owner|/elsewhere"])
        var ids: [String: String] = [:]
        var present: Set<String> = []
        for a in m.assignments where keys.contains(a.grantKey) {
            present.insert(a.grantKey)
            if ids[a.grantKey] == nil, let id = a.id { ids[a.grantKey] = id }
        }
        let found = analysis.lookUpGrants(keys)
        #expect(found.present == present)
        #expect(found.ids == ids)
        #expect(found.ids["u|owner|" + scope.key] == "id-2")
        #expect(found.ids["a|b|reader|" + scope.key] == "id-1")
    }

    @Test func indexesListAssignmentsByScopeAndPrincipalInOrder() {
        var m = AccessModel()
        m.addUser("u")
        m.addUser("v")
        m.addUser("w")
        m.addGroup("g", members: ["u", "w"])
        m.assign("u", role: .reader, scope: ExampleScope.sub1)
        m.assign("v", role: .reader, scope: ExampleScope.rg1)
        m.assign("g", .group, role: .owner, scope: ExampleScope.sub1)
        m.assign("u", role: .owner, scope: ExampleScope.rg1)
        let analysis = AccessAnalysis(model: m)
        let at = { (scope: String) in analysis.assignmentIndices(at: Scope(scope)).map { m.assignments[$0].principalId }
        }
        #expect(at(ExampleScope.sub1) == ["u", "g"])
        #expect(at(ExampleScope.rg1) == ["v", "u"])
        #expect(at("/subscriptions/none").isEmpty)
        #expect(
            analysis.assignmentIndices(of: "u").map { m.assignments[$0].scope.key } == [
                Scope(ExampleScope.sub1).key, Scope(ExampleScope.rg1).key,
            ])
        // A member that holds no assignment itself still has its grant; an unknown id has neither.
        #expect(analysis.assignmentIndices(of: "g").count == 1)
        #expect(analysis.assignmentIndices(of: "w").isEmpty && analysis.grants(of: "w").count == 1)
        #expect(analysis.grants(of: "u").count == 3)
        #expect(analysis.grants(of: "nobody").isEmpty && analysis.assignmentIndices(of: "nobody").isEmpty)
        #expect(analysis.assignmentIndices(covering: Scope(ExampleScope.rg1)).count == 4)
    }

    @Test func aSecondDirectAssignmentIsAnotherPath() {
        var m = AccessModel()
        m.addUser("u")
        m.addGroup("g", members: ["u"])
        m.assign("g", .group, role: .owner, scope: ExampleScope.sub1)
        m.assign("u", role: .owner, scope: ExampleScope.sub1)
        let analysis = AccessAnalysis(model: m)
        let grants = analysis.grants(of: "u")
        #expect(grants.count == 1)
        #expect(grants.first?.isDirect == true, "direct is kept over group-held")
        #expect(grants.first.map(analysis.alsoVia) == [["g"]])
    }
}
