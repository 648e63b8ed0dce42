import AccessRiskModel
import AccessRiskTestSupport
import Foundation
import Testing

@testable import AccessRiskRules

/// The analysis is built on two threads (half the directory facts and the assignments by principal on a worker,
/// beside the grants; the other half after them): what it answers must equal a straightforward computation on one
/// thread.
@Suite("Access analysis built on two threads")
struct AnalysisWorkerTests {
    /// Random tenants with nested groups, cycles, members absent from the directory, guests by user type and by
    /// `#EXT#` UPN, and assignments sharing role and scope (through several groups, and directly as well).
    ///
    /// Each tenant is analysed as built, after the sort (whose principal numbers the analysis takes over), with the
    /// memberships' index prepared beforehand, and with both of those made stale by a change after them (the
    /// analysis then works them out again).
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6], Variant.allCases)
    func answersEqualASequentialComputation(seed: UInt64, variant: Variant) {
        var m = Self.tenant(seed: seed)
        var prepared: MembershipIndex?
        switch variant {
        case .asBuilt: break
        case .sorted:
            m.sortDeterministically()
            #expect(m.assignmentPrincipals?.describes(m.assignments) == true)
        case .prepared:
            m.sortDeterministically()
            prepared = MembershipIndex(m.memberships, withTables: true)
            #expect(prepared?.isIndex(of: m.memberships) == true)
        case .stale:
            m.sortDeterministically()
            prepared = MembershipIndex(m.memberships, withTables: true)
            // Changed after: equal lengths, other arrays.
            m.assignments.swapAt(0, m.assignments.count - 1)
            m.memberships.swapAt(0, m.memberships.count - 1)
            #expect(m.assignmentPrincipals?.describes(m.assignments) == false)
            #expect(prepared?.isIndex(of: m.memberships) == false)
        }
        check(m, prepared: prepared, seed: seed)
    }

    enum Variant: CaseIterable, Sendable { case asBuilt, sorted, prepared, stale }

    /// No id a prefix of another: the sort ranks the principals then (and hands their numbers to the analysis).
    static let users = (0..<24).map { $0 < 10 ? "user-0\($0)" : "user-\($0)" }

    static func tenant(seed: UInt64) -> AccessModel {
        var generator = SeededGenerator(state: seed)
        func next(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &generator) }
        var m = AccessModel()
        let users = Self.users
        let groups = (0..<7).map { "group-\($0)" }
        // Every third user is absent from the directory.
        for (k, u) in users.enumerated() where k % 3 != 0 {
            m.addUser(
                u, upn: next(4) == 0 ? "\(u)_example.com#EXT#@contoso.example" : nil, guest: next(5) == 0,
                enabled: next(6) == 0 ? false : true, lastSignIn: next(2) == 0 ? "2026-0\(1 + next(9))-01" : nil)
        }
        for g in groups { m.addGroup(g, members: []) }
        for _ in 0..<40 {
            let member = next(4) == 0 ? groups[next(groups.count)] : users[next(users.count)]
            // Some memberships state the member's type (unknown too, which states nothing).
            let stated: [PrincipalType?] = [nil, nil, .unknown, member.hasPrefix("group") ? .group : .user]
            m.memberships.append(
                Membership(groupId: groups[next(groups.count)], memberId: member, memberType: stated[next(4)]))
        }
        let roles: [ExampleRole] = [.owner, .reader, .contributor]
        let scopes = [ExampleScope.sub1, ExampleScope.rg1, ExampleScope.storage1]
        for _ in 0..<60 {
            let isGroup = next(2) == 0
            m.assign(
                isGroup ? groups[next(groups.count)] : users[next(users.count)], isGroup ? .group : .user,
                role: roles[next(roles.count)], scope: scopes[next(scopes.count)], eligible: next(4) == 0)
        }
        return m
    }

    func check(_ m: AccessModel, prepared: MembershipIndex?, seed: UInt64) {
        let users = Self.users
        let groups = (0..<7).map { "group-\($0)" }
        let calls = CallCounter()
        let ran = Handoff<Bool>()
        let analysis = AccessAnalysis(model: m, memberships: prepared) {
            calls.record()
            ran.set(true)
        }
        // `alongside` may still be running when the analysis is built; it runs once.
        _ = ran.value()
        Thread.sleep(forTimeInterval: 0.01)
        #expect(calls.count == 1, "runs `alongside` once")

        // The grants: active before eligible, direct before group-held, one per principal, role and scope.
        var expected: [EffectiveGrant] = []
        var firstOf: [String: Int] = [:]
        var others: [Int: [[String]]] = [:]
        for eligible in [false, true] {
            for direct in [true, false] {
                for (i, a) in m.assignments.enumerated() where (a.assignmentType == .eligible) == eligible {
                    let viaGroup = a.principalType == .group || analysis.isGroup(a.principalId)
                    guard viaGroup != direct else { continue }
                    let holders =
                        viaGroup ? analysis.transitiveMembers(of: a.principalId) : [(a.principalId, [])]
                    for (holder, chain) in holders {
                        let identity = "\(holder)|\(a.roleKey)|\(a.scope.key)"
                        if let first = firstOf[identity] {
                            others[first, default: []].append(chain)
                        } else {
                            firstOf[identity] = expected.count
                            expected.append(EffectiveGrant(assignmentIndex: i, principalId: holder, viaGroups: chain))
                        }
                    }
                }
            }
        }
        #expect(Array(analysis.effectiveGrants) == expected, "seed \(seed)")
        // The direct members of each group, sorted by id, and the first member type a membership states.
        var direct: [String: [String]] = [:]
        var types: [String: PrincipalType] = [:]
        for ms in m.memberships {
            direct[ms.groupId, default: []].append(ms.memberId)
            if let t = ms.memberType, t != .unknown, types[ms.memberId] == nil { types[ms.memberId] = t }
        }
        #expect(analysis.directMembers == direct.mapValues { $0.sorted() }, "seed \(seed)")
        #expect(analysis.memberTypes == types, "seed \(seed)")
        // The readers that make no grant value agree with the values.
        #expect(
            analysis.effectiveGrants.indices.map(analysis.effectiveGrants.assignmentIndex(at:))
                == expected.map(\.assignmentIndex))
        #expect(
            analysis.effectiveGrants.indices.map(analysis.effectiveGrants.isDirect(at:)) == expected.map(\.isDirect))
        #expect(
            analysis.effectiveGrants.indices.map(analysis.effectiveGrants.principalId(at:))
                == expected.map(\.principalId))
        for (g, grant) in analysis.effectiveGrants.enumerated() {
            let chains = (others[g] ?? []).sorted { $0.lexicographicallyPrecedes($1) }
            #expect(analysis.alsoVia(grant) == chains, "other paths of grant \(g), seed \(seed)")
            let facts = m.principals[grant.principalId].map(PrincipalFacts.init) ?? .absent
            #expect(analysis.holder(ofGrant: g) == facts, "holder of grant \(g), seed \(seed)")
        }
        for id in users + groups + ["nobody"] {
            #expect(
                analysis.assignmentIndices(of: id)
                    == m.assignments.indices.filter { m.assignments[$0].principalId == id },
                "assignments of \(id), seed \(seed)")
            #expect(
                analysis.grants(of: id) == analysis.effectiveGrants.filter { $0.principalId == id },
                "grants of \(id), seed \(seed)")
        }
        for (i, a) in m.assignments.enumerated() {
            #expect(
                Array(analysis.grants(ofAssignment: i)) == expected.filter { $0.assignmentIndex == i },
                "grants of assignment \(i), seed \(seed)")
            #expect(analysis.assignmentIndices(at: a.scope).contains(i))
        }
    }

    /// A guest's UPN is marked `#EXT#` in any case, anywhere in it.
    @Test func externalUPNs() {
        #expect(AccessAnalysis.isExternalUPN("a_b.com#EXT#@contoso.example"))
        #expect(AccessAnalysis.isExternalUPN("a#ext#"))
        #expect(AccessAnalysis.isExternalUPN("##Ext#x"))
        #expect(!AccessAnalysis.isExternalUPN("a#EX#T@contoso.example"))
        #expect(!AccessAnalysis.isExternalUPN("#EXT"))
        #expect(!AccessAnalysis.isExternalUPN(nil))
    }
}
