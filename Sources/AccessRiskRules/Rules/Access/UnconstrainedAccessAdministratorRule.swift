import AccessRiskModel

/// User Access Administrator, RBAC Administrator or an access-granting custom role without a condition.
struct UnconstrainedAccessAdministratorRule: Rule {
    static let description = RuleDescription(
        id: "unconstrained-access-administrator", category: .overPrivilege,
        title: "Access administrator without a condition", subject: "assignment", requiredInputs: [.assignments],
        baseLikelihood: 4, baseImpact: 4,
        rationale:
            "A role that writes role assignments can grant any role, Owner included, to anyone, itself too; an ABAC "
            + "condition limiting which roles and principals it may assign is what keeps delegation from becoming "
            + "escalation.",
        condition:
            "An assignment of User Access Administrator or Role Based Access Control Administrator (by GUID), or of "
            + "a custom role that can grant access (allows role-assignment, role-definition or elevate-access "
            + "writes), with no condition.",
        remediation:
            "Add a condition that restricts the roles and principal types the holder may assign (\"Allow user to "
            + "only assign selected roles\"), or replace the assignment by a narrower role; make it PIM-eligible.",
        controls: [
            "CIS-Azure 5.3.3", "NIST 800-53 AC-6(5)", "NIST 800-53 AC-5", "ISO 27001 A.8.2", "ISO 27001 A.5.3",
            "SOC2 CC6.3", "PCI 7.2.2",
        ],
        anchors: [
            "CIS Azure 5.3.3 Use of User Access Administrator is restricted",
            "Prowler iam_role_user_access_admin_restricted",
            "Azure RBAC best practices: use conditions on roles that can create role assignments",
            "AzGovViz role definitions that can apply role assignments",
        ],
        triggering: [
            RuleExample(
                "User Access Administrator and a delegating custom role, both without a condition",
                expect: [
                    ExampleRole.userAccessAdministrator.subject("u1", at: ExampleScope.root),
                    "u2|c0ffee00-0000-0000-0000-000000000002|" + Scope(ExampleScope.sub1).key,
                ]
            ) { m in
                m.assign("u1", role: .userAccessAdministrator, scope: ExampleScope.root)
                m.addCustomRole(
                    "c0ffee00-0000-0000-0000-000000000002", name: "Role Writer",
                    actions: ["Microsoft.Authorization/*/write"])
                m.assign(
                    "u2", role: ExampleRole(id: "c0ffee00-0000-0000-0000-000000000002", name: "Role Writer"),
                    scope: ExampleScope.sub1)
            }
        ],
        nonTriggering: [
            RuleExample("RBAC Administrator with a condition; Owner (not an access administrator); Contributor") {
                m in
                m.assign(
                    "u1", role: .rbacAdministrator, scope: ExampleScope.sub1,
                    condition: "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] "
                        + "ForAnyOfAnyValues:GuidEquals {2a2b9908-6ea1-4ae2-8e65-a410df84e7d1}")
                m.assign("u2", role: .owner, scope: ExampleScope.sub1)
                m.assign("u3", role: .contributor, scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let analysis = context.analysis
        let assignments = context.model.assignments
        // Whether a role can assign roles depends on its key (GUID, else name) only: worked out once per role.
        let grantsAccess = analysis.perRole { a in
            let administrator =
                analysis.isBuiltIn(a, BuiltInRoleCatalogue.Known.userAccessAdministrator)
                || analysis.isBuiltIn(a, BuiltInRoleCatalogue.Known.rbacAdministrator)
            let customGrant =
                analysis.roles.catalogue.role(for: a) == nil
                && (analysis.roles.definition(for: a)?.isCustom ?? false)
                && analysis.capabilities(of: a).canGrantAccess
            return administrator || customGrant
        }
        var out: [Finding] = []
        for i in assignments.indices {
            guard grantsAccess[i], assignments[i].condition?.trimmingSpaces.isEmpty ?? true else { continue }
            out.append(
                context.finding(
                    Self.description, assignmentIndex: i,
                    evidence: "\(assignments[i].roleName) can assign roles and has no condition restricting which"))
        }
        return out
    }
}
