import AccessRiskModel

/// A custom role whose effective actions allow `*`.
struct CustomRoleOwnerEquivalentRule: Rule {
    static let description = RuleDescription(
        id: "custom-role-owner-equivalent", category: .overPrivilege, title: "Owner-equivalent custom role",
        subject: "role", requiredInputs: [.roles], baseLikelihood: 3, baseImpact: 5,
        rationale:
            "A custom role allowing every action is Owner under another name: it escapes reviews that look for "
            + "Owner, and future actions are granted automatically.",
        condition: "A custom role definition with the action `*` and no notActions (its effective actions allow `*`).",
        remediation:
            "Delete the role or rewrite it with the specific actions the job needs; assign the built-in Owner where "
            + "full control is really intended, so it is visible as such.",
        controls: [
            "CIS-Azure 5.23", "NIST 800-53 AC-6", "NIST 800-53 AC-6(5)", "ISO 27001 A.8.2", "SOC2 CC6.3", "PCI 7.2.2",
        ],
        anchors: [
            "CIS Azure 5.23 No custom subscription administrator roles exist",
            "Azure Policy 10ee2ea2-fb4d-45b8-a7e9-a2e770044cd9 (deprecated)",
            "Prowler iam_subscription_roles_owner_custom_not_created", "AzGovViz custom role with Owner permissions",
        ],
        triggering: [
            RuleExample("actions [*]", expect: ["c0ffee00-0000-0000-0000-00000000000a"]) { m in
                m.addCustomRole("c0ffee00-0000-0000-0000-00000000000a", name: "Super", actions: ["*"])
            }
        ],
        nonTriggering: [
            RuleExample("[*] minus Authorization writes (Contributor-like); a narrow role") { m in
                m.addCustomRole(
                    "c0ffee00-0000-0000-0000-00000000000b", name: "Contributor clone", actions: ["*"],
                    notActions: ["Microsoft.Authorization/*/Write"])
                m.addCustomRole(
                    "c0ffee00-0000-0000-0000-00000000000c", name: "VM reader",
                    actions: ["Microsoft.Compute/virtualMachines/read"])
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        context.model.roleDefinitions.values.filter(\.isCustom).compactMap { role in
            guard role.computedCapabilities.ownerEquivalent else { return nil }
            return context.roleFinding(
                Self.description, role: role, evidence: "custom role \(role.name) allows every action (`*`)")
        }
    }
}
