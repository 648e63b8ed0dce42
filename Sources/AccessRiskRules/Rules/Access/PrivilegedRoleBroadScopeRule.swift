import AccessRiskModel

/// A privileged role assigned at root or management-group scope.
struct PrivilegedRoleBroadScopeRule: Rule {
    static let description = RuleDescription(
        id: "privileged-role-broad-scope", category: .overPrivilege, title: "Privileged role at a broad scope",
        subject: "assignment", requiredInputs: [.assignments], baseLikelihood: 3, baseImpact: 5,
        rationale:
            "A privileged role at root or a management group is inherited by every subscription below it, so one "
            + "assignment controls many environments and is easy to overlook in per-subscription reviews.",
        condition:
            "An assignment of a privileged role (Owner, Contributor, User Access Administrator, Role Based Access "
            + "Control Administrator, or a custom role that is privileged by its effective actions) at root (`/`) or "
            + "management-group scope.",
        remediation:
            "Assign the role at the narrowest scope that serves the need (subscription, resource group or "
            + "resource); keep tenant-wide administration to a few PIM-eligible break-glass identities.",
        controls: [
            "CIS-Azure 5.3.4", "NIST 800-53 AC-6", "NIST 800-53 AC-6(5)", "ISO 27001 A.8.2", "SOC2 CC6.3",
            "PCI 7.2.2",
        ],
        anchors: [
            "Azure RBAC best practices: limit privileged administrator role assignments, narrow scope",
            "PSRule Azure.Subscription.LimitMGDelegation", "Maester MT.1056",
        ],
        triggering: [
            RuleExample(
                "Owner at a management group and Contributor at root",
                expect: [
                    ExampleRole.owner.subject("a", at: ExampleScope.mgProd),
                    ExampleRole.contributor.subject("b", at: ExampleScope.root),
                ]
            ) { m in
                m.assign("a", role: .owner, scope: ExampleScope.mgProd)
                m.assign("b", role: .contributor, scope: ExampleScope.root)
            },
            RuleExample(
                "a custom role writing role assignments, held by a group at a management group",
                expect: ["admins|c0ffee00-0000-0000-0000-000000000001|" + Scope(ExampleScope.mgProd).key]
            ) { m in
                m.addCustomRole(
                    "c0ffee00-0000-0000-0000-000000000001", name: "Delegator",
                    actions: ["Microsoft.Authorization/roleAssignments/*"])
                m.assign(
                    "admins", .group, role: ExampleRole(id: "c0ffee00-0000-0000-0000-000000000001", name: "Delegator"),
                    scope: ExampleScope.mgProd)
            },
        ],
        nonTriggering: [
            RuleExample("Owner at subscription scope, Reader at a management group") { m in
                m.assign("a", role: .owner, scope: ExampleScope.sub1)
                m.assign("b", role: .reader, scope: ExampleScope.mgProd)
            },
            RuleExample("a data role at root is not privileged") { m in
                m.assign("a", role: .storageBlobDataReader, scope: ExampleScope.root)
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        // The assignments' traits, not the assignments: no copy, no scope read, no role looked up by its key.
        let traits = context.shared.assignmentTraits(context)
        var out: [Finding] = []
        for i in traits.indices {
            let level = traits[i].level
            guard level == .root || level == .managementGroup, traits[i].privileged else { continue }
            let name = level == .root ? "root" : "management-group"
            out.append(
                context.finding(
                    Self.description, assignmentIndex: i,
                    evidence: "privileged role \(context.model.assignments[i].roleName) at \(name) scope"))
        }
        return out
    }
}
