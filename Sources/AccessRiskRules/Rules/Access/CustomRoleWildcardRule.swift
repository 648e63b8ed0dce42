import AccessRiskModel

/// A custom role with a wildcard action that is neither owner-equivalent nor access-granting.
struct CustomRoleWildcardRule: Rule {
    static let description = RuleDescription(
        id: "custom-role-wildcard", category: .overPrivilege, title: "Custom role with a wildcard",
        subject: "role", requiredInputs: [.roles], baseLikelihood: 3, baseImpact: 3,
        rationale:
            "A wildcard grants every action that matches it today and every one the provider adds tomorrow, so the "
            + "role's power grows without anyone changing it.",
        condition:
            "A custom role with `*` in an action or data action (e.g. `Microsoft.Storage/*`) that is neither "
            + "owner-equivalent nor able to grant access (those have their own rules).",
        remediation: "List the specific actions the job needs instead of the wildcard.",
        controls: ["NIST 800-53 AC-6", "ISO 27001 A.5.15", "SOC2 CC6.3", "PCI 7.2.2"],
        anchors: [
            "Azure RBAC best practices: avoid wildcards in custom roles", "Cloudsplaining ServiceWildcard",
            "Azure Policy a451c1ef-c6ca-483d-87ed-f49761e3ffb5 (audit custom roles)",
        ],
        triggering: [
            RuleExample(
                "Microsoft.Storage/* and a data-action wildcard",
                expect: ["c0ffee00-0000-0000-0000-000000000020", "c0ffee00-0000-0000-0000-000000000021"]
            ) { m in
                m.addCustomRole(
                    "c0ffee00-0000-0000-0000-000000000020", name: "Storage all", actions: ["Microsoft.Storage/*"])
                m.addCustomRole(
                    "c0ffee00-0000-0000-0000-000000000021", name: "Blob data all", actions: [],
                    dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"])
            }
        ],
        nonTriggering: [
            RuleExample("explicit actions only; [*] is reported as owner-equivalent instead") { m in
                m.addCustomRole(
                    "c0ffee00-0000-0000-0000-000000000022", name: "VM operator",
                    actions: ["Microsoft.Compute/virtualMachines/start/action"])
                m.addCustomRole("c0ffee00-0000-0000-0000-000000000023", name: "Super", actions: ["*"])
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        context.model.roleDefinitions.values.filter(\.isCustom).compactMap { role in
            let caps = role.computedCapabilities
            guard caps.hasWildcard, !caps.ownerEquivalent, !caps.canGrantAccess else { return nil }
            let wildcards = (role.actions + role.dataActions).filter { $0.contains("*") }
            return context.roleFinding(
                Self.description, role: role,
                evidence: "custom role \(role.name) uses wildcards: " + wildcards.joined(separator: ", "))
        }
    }
}
