import AccessRiskModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The same principal and role also assigned at a covering scope.
struct RedundantAssignmentRule: Rule {
    static let description = RuleDescription(
        id: "redundant-assignment", category: .overPrivilege, title: "Redundant assignment", subject: "assignment",
        requiredInputs: [.assignments], baseLikelihood: 2, baseImpact: 2,
        rationale:
            "An assignment already inherited from a broader scope adds nothing but survives the removal of the "
            + "broader one, so revoking access silently fails to revoke it; it also clutters reviews and the quota.",
        condition:
            "A principal holds a role at a scope, and the same principal holds the same role (by GUID, else name) at "
            + "a strictly broader scope covering it (path ancestor, management group above its subscription, or "
            + "root).",
        remediation:
            "Remove the narrower assignment, or remove the broader one if the narrower scope is what is intended.",
        controls: ["NIST 800-53 AC-6(7)", "ISO 27001 A.5.18", "SOC2 CC6.3", "PCI 7.2.4"],
        anchors: ["AzGovViz inherited role assignments", "PIM alert: Duplicate role created"],
        triggering: [
            RuleExample(
                "Reader on a resource group and on its subscription; Owner on a subscription and its management group",
                expect: [
                    ExampleRole.reader.subject("u1", at: ExampleScope.rg1),
                    ExampleRole.owner.subject("u2", at: ExampleScope.sub1),
                ]
            ) { m in
                m.assign("u1", role: .reader, scope: ExampleScope.rg1)
                m.assign("u1", role: .reader, scope: ExampleScope.sub1)
                m.assign("u2", role: .owner, scope: ExampleScope.sub1)
                m.assign("u2", role: .owner, scope: ExampleScope.mgProd)
                m.placeUnder(ExampleScope.mgProd, ExampleScope.sub1)
            }
        ],
        nonTriggering: [
            RuleExample("different roles, different principals, a management group not above the subscription") { m in
                m.assign("u1", role: .reader, scope: ExampleScope.rg1)
                m.assign("u1", role: .contributor, scope: ExampleScope.sub1)
                m.assign("u2", role: .reader, scope: ExampleScope.sub1)
                m.assign("u3", role: .owner, scope: ExampleScope.sub1)
                m.assign("u3", role: .owner, scope: ExampleScope.mgProd)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let assignments = context.model.assignments
        let analysis = context.analysis
        // Per principal (the analysis's lists), its assignments grouped by role: only a principal and role held at
        // two scopes or more can be redundant, and only those compute the scopes covering theirs.
        var nearest: [(index: Int, scope: String)] = []
        let parents = Set(analysis.hierarchy.parentOf.values)
        // Only a key as long as a parent's can be one: most keys are ruled out without hashing them.
        var parentLength = [Bool](repeating: false, count: (parents.map(\.utf8.count).max() ?? 0) + 1)
        for parent in parents { parentLength[parent.utf8.count] = true }
        func isParent(_ key: String) -> Bool {
            let n = key.utf8.count
            return n < parentLength.count && parentLength[n] && parents.contains(key)
        }
        // (role number, assignment index) of one principal's assignments, reused from principal to principal: sorted,
        // it groups them by role without a dictionary per principal.
        var byRole: [(role: Int32, index: Int)] = []
        analysis.forEachPrincipalsAssignments { list in
            guard list.count > 1 else { return }
            byRole.removeAll(keepingCapacity: true)
            for i in list { byRole.append((analysis.roleNumber(ofAssignment: Int(i)), Int(i))) }
            byRole.sort { $0.role != $1.role ? $0.role < $1.role : $0.index < $1.index }
            var start = 0
            while start < byRole.count {
                var end = start + 1
                while end < byRole.count, byRole[end].role == byRole[start].role { end += 1 }
                let group = start..<end
                start = end
                guard group.count > 1 else { continue }
                let held = byRole[group].map(\.index)
                let keys = held.map { assignments[$0].scope.key }
                // A few scopes (the usual holder) are compared pairwise first: when none is root or a parent in
                // the hierarchy and none is a prefix of another, none covers another and nothing is hashed.
                if keys.count <= 8, !Self.mayCover(keys, isParent: isParent) { continue }
                let scopes = Set(keys)
                guard scopes.count > 1 else { continue }
                // Only a path prefix of a scope, a parent in the hierarchy or root can cover it: when none of the
                // other scopes is one, the covering scopes need not be listed. Prefixes are looked up as substrings
                // of the scope's key (no string made), so a holder of many scopes costs linear time.
                let rootOrParent = scopes.contains { $0 == "/" || isParent($0) }
                // In byte order, a key that is a prefix of another sorts just before a key that starts with it:
                // without such a neighbour pair, no scope of the holder is a path ancestor of another.
                let sorted = scopes.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                let nested = zip(sorted, sorted.dropFirst()).contains { $1.utf8.starts(with: $0.utf8) }
                guard rootOrParent || nested else { continue }
                let scopeKeys = nested ? Set(scopes.map { Substring($0) }) : []
                for i in held {
                    let own = assignments[i].scope
                    guard rootOrParent || Self.hasPathAncestor(own.key, in: scopeKeys) else { continue }
                    if let broader = analysis.coveringScopeKeys(of: own).first(where: {
                        $0 != own.key && scopes.contains($0)
                    }) {
                        nearest.append((i, broader))
                    }
                }
            }
        }
        return nearest.sorted { $0.index < $1.index }.map { found in
            context.finding(
                Self.description, assignmentIndex: found.index,
                evidence: "also assigned \(assignments[found.index].roleName) at the covering scope \(found.scope)")
        }
    }

    /// Whether a scope of `keys` may cover another: one is root or a parent in the hierarchy, or one is a proper
    /// prefix of another (compared on bytes). False rules out every covering among them.
    static func mayCover(_ keys: [String], isParent: (String) -> Bool) -> Bool {
        for key in keys where key == "/" || isParent(key) { return true }
        for a in keys {
            for b in keys where b.utf8.count > a.utf8.count && b.hasBytePrefix(a) { return true }
        }
        return false
    }

    /// Whether a proper prefix of `key` ending before a `/` is in `keys`.
    static func hasPathAncestor(_ key: String, in keys: Set<Substring>) -> Bool {
        let utf8 = key.utf8
        var i = utf8.index(after: utf8.startIndex)
        while i < utf8.endIndex {
            if utf8[i] == UInt8(ascii: "/"), keys.contains(key[..<i]) { return true }
            i = utf8.index(after: i)
        }
        return false
    }
}
