import AccessRiskModel

/// A disabled account still holds a role.
struct DisabledAccountAccessRule: Rule {
    static let description = RuleDescription(
        id: "disabled-account-access", category: .staleAccess, title: "Disabled account with access",
        subject: "assignment", requiredInputs: [.assignments, .principals], baseLikelihood: 4, baseImpact: 4,
        rationale:
            "Disabling an account does not remove its role assignments: re-enabling it (by mistake, by a sync, or "
            + "by an attacker with directory rights) restores every right at once, and leavers' access must be "
            + "revoked, not suspended.",
        condition:
            "An account (user or workload identity) that a directory input shows as disabled holds a role, "
            + "directly or through groups.",
        remediation:
            "Remove the account's role assignments and group memberships as part of the leaver process; delete the "
            + "account when its retention period ends.",
        controls: ["CIS-Azure 5.3.5", "NIST 800-53 AC-2(3)", "ISO 27001 A.5.18", "SOC2 CC6.2", "PCI 8.2.5"],
        anchors: [
            "Defender for Cloud: Blocked accounts with owner permissions should be removed (050ac097)",
            "Defender for Cloud: Blocked accounts with read and write permissions should be removed (1ff0b4c9)",
            "CIS Azure 5.3.5 Disabled user accounts do not have read, write, or owner permissions",
        ],
        triggering: [
            RuleExample(
                "a disabled user directly and a disabled service principal through a group",
                expect: [
                    ExampleRole.owner.subject("leaver", at: ExampleScope.sub1),
                    ExampleRole.reader.subject("oldapp", at: ExampleScope.rg1),
                ]
            ) { m in
                m.addUser("leaver", enabled: false)
                m.assign("leaver", role: .owner, scope: ExampleScope.sub1)
                m.addServicePrincipal("oldapp", enabled: false)
                m.addGroup("apps", members: ["oldapp"])
                m.assign("apps", .group, role: .reader, scope: ExampleScope.rg1)
            }
        ],
        nonTriggering: [
            RuleExample("an enabled user; a user whose enabled state no input gives") { m in
                m.addUser("active")
                m.addUser("unknown", enabled: nil)
                m.assign("active", role: .owner, scope: ExampleScope.sub1)
                m.assign("unknown", role: .owner, scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for g in context.analysis.effectiveGrants.indices where context.analysis.holder(ofGrant: g).enabled == false {
            out.append(context.finding(Self.description, grantAt: g, evidence: "the account is disabled"))
        }
        return out
    }
}
