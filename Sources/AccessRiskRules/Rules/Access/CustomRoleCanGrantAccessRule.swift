import AccessRiskModel

/// A custom role that can grant access but is not owner-equivalent.
struct CustomRoleCanGrantAccessRule: Rule {
    static let description = RuleDescription(
        id: "custom-role-can-grant-access", category: .overPrivilege, title: "Custom role that can grant access",
        subject: "role", requiredInputs: [.roles], baseLikelihood: 4, baseImpact: 4,
        rationale:
            "Writing role assignments or role definitions, or elevating access, lets the holder give itself or "
            + "anyone any role: a privilege-escalation path hidden in a custom role.",
        condition:
            "A custom role whose effective actions (glob actions minus notActions) allow "
            + "`Microsoft.Authorization/roleAssignments/write`, `Microsoft.Authorization/roleDefinitions/write` or "
            + "`Microsoft.Authorization/elevateAccess/Action`, and that is not owner-equivalent.",
        remediation:
            "Remove the authorization actions from the role, or replace it by the built-in RBAC Administrator with "
            + "a condition restricting the roles it may assign.",
        controls: [
            "CIS-Azure 5.23", "NIST 800-53 AC-6(5)", "NIST 800-53 AC-5", "ISO 27001 A.8.2", "SOC2 CC6.3", "PCI 7.2.2",
        ],
        anchors: [
            "AzGovViz role definitions that can apply role assignments", "Cloudsplaining PrivilegeEscalation",
            "azure-tiering Tier 0",
        ],
        triggering: [
            RuleExample(
                "Microsoft.Authorization/* and a role-definition writer",
                expect: ["c0ffee00-0000-0000-0000-000000000010", "c0ffee00-0000-0000-0000-000000000011"]
            ) { m in
                m.addCustomRole(
                    "c0ffee00-0000-0000-0000-000000000010", name: "Auth admin", actions: ["Microsoft.Authorization/*"])
                m.addCustomRole(
                    "c0ffee00-0000-0000-0000-000000000011", name: "Role author",
                    actions: ["microsoft.authorization/roledefinitions/WRITE"])
            }
        ],
        nonTriggering: [
            RuleExample("[*] (owner-equivalent, reported elsewhere); Authorization/* minus */write") { m in
                m.addCustomRole("c0ffee00-0000-0000-0000-000000000012", name: "Super", actions: ["*"])
                m.addCustomRole(
                    "c0ffee00-0000-0000-0000-000000000013", name: "Auth reader", actions: ["Microsoft.Authorization/*"],
                    notActions: ["Microsoft.Authorization/*/write", "Microsoft.Authorization/elevateAccess/Action"])
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        context.model.roleDefinitions.values.filter(\.isCustom).compactMap { role in
            let caps = role.computedCapabilities
            guard caps.canGrantAccess, !caps.ownerEquivalent else { return nil }
            let effective = EffectiveActions(role)
            let allowed = RoleDefinition.grantActions.filter { effective.allows($0) }
            return context.roleFinding(
                Self.description, role: role,
                evidence: "custom role \(role.name) allows " + allowed.joined(separator: ", "))
        }
    }
}
