import AccessRiskModel

/// A synthetic tenant built in code for the analysis measurement (no files, no randomness: a fixed LCG).
enum SyntheticTenant {
    /// `assignments` assignments over 50 subscriptions under 5 management groups; a tenth as many users, 2,000
    /// groups (a fifth of them nested), four memberships per user, a quarter of the assignments held by groups,
    /// 60 % of the assignments at resource scope.
    static func build(assignments count: Int) -> AccessModel {
        var seed: UInt64 = 0x5EED
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        func guid(_ kind: UInt64, _ i: Int) -> String {
            let h = String(kind * 1_000_000_000 + UInt64(i), radix: 16)
            let p = String(repeating: "0", count: max(0, 32 - h.count)) + h
            let c = Array(p)
            return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20])
                + "-" + String(c[20..<32])
        }
        var m = AccessModel()
        let users = max(100, count / 10)
        let groups = 2_000
        let subscriptions = (0..<50).map { guid(3, $0) }
        let mgs = (0..<5).map { "/providers/Microsoft.Management/managementGroups/mg\($0)" }
        for (i, s) in subscriptions.enumerated() {
            m.hierarchy.append(HierarchyEdge(scope: Scope("/subscriptions/" + s), parent: Scope(mgs[i % 5])))
        }
        let asOf = Timestamp(year: 2026, month: 10, day: 1)!
        for u in 0..<users {
            // Most users active within the quarter; 5 % stale, 3 % never signed in, 3 % guests, 2 % disabled.
            let r = next(100)
            let last = r < 3 ? nil : asOf.adding(days: -(r < 8 ? 91 + next(400) : next(90)))
            m.add(
                Principal(
                    id: guid(1, u), upn: "user\(u)@contoso.example", displayName: "User \(u)", type: .user,
                    isGuest: next(100) < 3, enabled: next(100) >= 2, createdOn: asOf.adding(days: -400 - next(900)),
                    lastSignIn: last, hasSignInData: true))
        }
        for g in 0..<groups {
            m.add(Principal(id: guid(2, g), displayName: "Group \(g)", type: .group))
            if g % 5 == 0, g > 0 { m.memberships.append(Membership(groupId: guid(2, g), memberId: guid(2, next(g)))) }
        }
        for u in 0..<users {
            for _ in 0..<4 { m.memberships.append(Membership(groupId: guid(2, next(groups)), memberId: guid(1, u))) }
        }
        let roles: [(String, String)] = [
            (BuiltInRoleCatalogue.Known.reader, "Reader"), (BuiltInRoleCatalogue.Known.contributor, "Contributor"),
            (BuiltInRoleCatalogue.Known.owner, "Owner"),
            (BuiltInRoleCatalogue.Known.storageBlobDataReader, "Storage Blob Data Reader"),
            (BuiltInRoleCatalogue.Known.keyVaultSecretsUser, "Key Vault Secrets User"),
        ]
        for i in 0..<count {
            let byGroup = next(4) == 0
            let principal = byGroup ? guid(2, next(groups)) : guid(1, next(users))
            let sub = "/subscriptions/" + subscriptions[next(subscriptions.count)]
            let scope: String
            switch next(10) {
            case 0: scope = sub
            case 1: scope = mgs[next(5)]
            case 2...5: scope = sub + "/resourceGroups/rg\(next(40))"
            default: scope = sub + "/resourceGroups/rg\(next(40))/providers/Microsoft.Storage/storageAccounts/st\(i)"
            }
            // Reader 50 %, Contributor 15 %, Blob Data Reader 20 %, Key Vault Secrets User 10 %, Owner 5 %.
            let pick = next(100)
            let role = roles[pick < 50 ? 0 : pick < 65 ? 1 : pick < 85 ? 3 : pick < 95 ? 4 : 2]
            m.assignments.append(
                Assignment(
                    principalId: principal, principalType: byGroup ? .group : .user, roleId: role.0, roleName: role.1,
                    scope: Scope(scope), assignmentType: next(10) == 0 ? .eligible : .active))
        }
        m.inputsPresent = [.assignments, .principals, .memberships, .hierarchy]
        m.principalTypesExported = [.user, .group]
        m.sortDeterministically()
        return m
    }
}
