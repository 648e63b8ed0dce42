import AccessRiskModel

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

    /// A principal and a role, hashed without building a joined string.
    private struct Holder: Hashable {
        var principal: String
        var role: String
    }

    func evaluate(_ context: RuleContext) -> [Finding] {
        let assignments = context.model.assignments
        var scopesByHolder: [Holder: Set<String>] = [:]
        for a in assignments {
            scopesByHolder[Holder(principal: a.principalId, role: a.roleKey), default: []].insert(a.scope.key)
        }
        return assignments.indices.compactMap { i in
            guard
                let scopes = scopesByHolder[
                    Holder(principal: assignments[i].principalId, role: assignments[i].roleKey)],
                scopes.count > 1
            else { return nil }
            let own = assignments[i].scope
            let broader = context.analysis.coveringScopeKeys(of: own).filter { $0 != own.key && scopes.contains($0) }
            guard let nearest = broader.first else { return nil }
            return context.finding(
                Self.description, assignmentIndex: i,
                evidence: "also assigned \(assignments[i].roleName) at the covering scope \(nearest)")
        }
    }
}
