import AccessRiskModel

/// A role that reaches data through keys or secrets, at subscription scope or wider.
struct CredentialRoleBroadScopeRule: Rule {
    static let description = RuleDescription(
        id: "credential-role-broad-scope", category: .overPrivilege,
        title: "Key or secret access at a broad scope", subject: "assignment", requiredInputs: [.assignments],
        baseLikelihood: 3, baseImpact: 4,
        rationale:
            "Account keys open all data of a storage account (Shared Key) and Key Vault secrets open whatever they "
            + "protect; at subscription scope or wider, one assignment reaches every account and vault below it.",
        condition:
            "An assignment of a role that reaches data through keys or secrets (Storage Account Contributor, Storage "
            + "Account Key Operator Service Role, Reader and Data Access, Key Vault Administrator, Key Vault Secrets "
            + "Officer, Key Vault Secrets User, or a non-privileged custom role allowing `listKeys` or reading "
            + "secrets) at subscription, management-group or root scope.",
        remediation:
            "Assign the role on the specific storage account or vault that needs it; prefer Entra ID data roles "
            + "(Storage Blob Data Reader) over key-based access and disable Shared Key where possible.",
        controls: ["NIST 800-53 AC-6", "ISO 27001 A.8.3", "ISO 27001 A.5.17", "SOC2 CC6.1", "PCI 7.2.2"],
        anchors: [
            "azure-tiering Tier 1 (lateral navigators)", "Cloudsplaining CredentialsExposure",
            "Storage Account Contributor: access to account keys (built-in role description)",
        ],
        triggering: [
            RuleExample(
                "Storage Account Contributor on a subscription; Key Vault Secrets User through a group at a "
                    + "management group",
                expect: [
                    ExampleRole.storageAccountContributor.subject("u1", at: ExampleScope.sub1),
                    ExampleRole.keyVaultSecretsUser.subject("u2", at: ExampleScope.mgProd),
                ]
            ) { m in
                m.assign("u1", role: .storageAccountContributor, scope: ExampleScope.sub1)
                m.addGroup("devs", members: ["u2"])
                m.assign("devs", .group, role: .keyVaultSecretsUser, scope: ExampleScope.mgProd)
            }
        ],
        nonTriggering: [
            RuleExample("Storage Account Contributor on one account; Blob Data Reader on a subscription") { m in
                m.assign("u1", role: .storageAccountContributor, scope: ExampleScope.storage1)
                m.assign("u2", role: .storageBlobDataReader, scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let grants = context.analysis.effectiveGrants
        let traits = context.shared.assignmentTraits(context)
        // A loop over the grants with the assignments' traits: no scope read, no capabilities copied and no
        // optional finding made per grant (seven million at the enterprise size).
        var out: [Finding] = []
        for g in grants.indices {
            let i = grants.assignmentIndex(at: g)
            guard traits[i].credentialAccess, traits[i].level.isSubscriptionOrWider else { continue }
            let a = context.model.assignments[i]
            out.append(
                context.finding(
                    Self.description, grantAt: g,
                    evidence: "\(a.roleName) reaches data through keys or secrets at \(a.scope.level.rawValue) scope"))
        }
        return out
    }
}
