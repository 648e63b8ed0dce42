import AccessRiskModel

/// A guest holds a privileged role, directly or through a group.
struct GuestPrivilegedAccessRule: Rule {
    static let description = RuleDescription(
        id: "guest-privileged-access", category: .overPrivilege, title: "Guest with privileged access",
        subject: "assignment", requiredInputs: [.assignments, .principals], baseLikelihood: 4, baseImpact: 5,
        rationale:
            "Guests are governed by another organisation's identity standards and leave without a joiner-mover-leaver "
            + "process here; privileged rights in their hands escape review and are a favoured persistence path.",
        condition:
            "A guest (user type Guest, a `#EXT#` UPN, or the export's `User Guest`) holds a privileged or "
            + "access-granting role (Owner, Contributor, User Access Administrator, RBAC Administrator, Global "
            + "Administrator, or such a custom role), directly or through nested groups; active or eligible.",
        remediation:
            "Remove the guest's privileged assignment or replace the guest by a member account under your own "
            + "lifecycle and MFA policies; if external administration is needed, make it eligible and time-bound.",
        controls: [
            "CIS-Azure 5.3.2", "NIST 800-53 AC-6(5)", "NIST 800-53 AC-2", "ISO 27001 A.5.16", "ISO 27001 A.8.2",
            "SOC2 CC6.2", "PCI 7.2.4",
        ],
        anchors: [
            "Defender for Cloud: Guest accounts with owner permissions on Azure resources should be removed (20606e75)",
            "Defender for Cloud: Guest accounts with write permissions should be removed (0354476c)",
            "AzGovViz high-privilege roles for guest users", "Maester MT.1025",
        ],
        triggering: [
            RuleExample(
                "a guest Owner, and a guest Contributor through a nested group",
                expect: [
                    ExampleRole.owner.subject("guest1", at: ExampleScope.sub1),
                    ExampleRole.contributor.subject("guest2", at: ExampleScope.rg1),
                ]
            ) { m in
                m.addUser("guest1", guest: true)
                m.addUser("guest2", guest: true)
                m.assign("guest1", role: .owner, scope: ExampleScope.sub1)
                m.addGroup("inner", members: ["guest2"])
                m.addGroup("outer", members: ["inner"])
                m.assign("outer", .group, role: .contributor, scope: ExampleScope.rg1)
            },
            RuleExample(
                "a guest reached through two groups holding Owner at the same scope is one finding",
                expect: [ExampleRole.owner.subject("guest1", at: ExampleScope.sub1)]
            ) { m in
                m.addUser("guest1", guest: true)
                m.addGroup("g1", members: ["guest1"])
                m.addGroup("g2", members: ["guest1"])
                m.assign("g1", .group, role: .owner, scope: ExampleScope.sub1)
                m.assign("g2", .group, role: .owner, scope: ExampleScope.sub1)
            },
        ],
        nonTriggering: [
            RuleExample("a guest Reader, a member Owner") { m in
                m.addUser("guest1", guest: true)
                m.addUser("member")
                m.assign("guest1", role: .reader, scope: ExampleScope.sub1)
                m.assign("member", role: .owner, scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let grants = context.analysis.effectiveGrants
        let traits = context.shared.assignmentTraits(context)
        var out: [Finding] = []
        for g in grants.indices {
            let i = grants.assignmentIndex(at: g)
            guard traits[i].privilegedOrGrants, context.isGuest(grantAt: g, grants, traits) else { continue }
            out.append(context.finding(Self.description, grantAt: g, evidence: "guest holds a privileged role"))
        }
        return out
    }
}
