import AccessRiskModel

/// A guest holds a role that is not privileged.
struct GuestAccessRule: Rule {
    static let description = RuleDescription(
        id: "guest-access", category: .overPrivilege, title: "Guest with access",
        subject: "assignment", requiredInputs: [.assignments, .principals], baseLikelihood: 3, baseImpact: 3,
        rationale:
            "Guest access outlives the collaboration it was granted for unless someone reviews it; even read access "
            + "exposes configuration and data to another organisation's accounts.",
        condition:
            "A guest holds any role that is not privileged (privileged ones are `guest-privileged-access`), "
            + "directly or through nested groups; active or eligible.",
        remediation:
            "Confirm with the sponsor that the guest still needs the access; remove it otherwise, and put guests "
            + "under a recurring access review.",
        controls: [
            "CIS-Azure 5.3.2", "NIST 800-53 AC-2", "ISO 27001 A.5.16", "ISO 27001 A.5.18", "SOC2 CC6.2", "PCI 7.2.4",
        ],
        anchors: [
            "Defender for Cloud: Guest accounts with read permissions on Azure resources should be removed (fde1c0c9)",
            "CIS Azure 5.3.2 Guest users are reviewed on a regular basis", "ScoutSuite aad-guest-users",
        ],
        triggering: [
            RuleExample(
                "a guest Reader directly, and a guest through a group holding a data role",
                expect: [
                    ExampleRole.reader.subject("guest1", at: ExampleScope.sub1),
                    ExampleRole.storageBlobDataReader.subject("guest2", at: ExampleScope.storage1),
                ]
            ) { m in
                m.addUser("guest1", guest: true)
                m.addUser("guest2", upn: "bob_fabrikam.example#EXT#@contoso.example")
                m.assign("guest1", role: .reader, scope: ExampleScope.sub1)
                m.addGroup("partners", members: ["guest2"])
                m.assign("partners", .group, role: .storageBlobDataReader, scope: ExampleScope.storage1)
            }
        ],
        nonTriggering: [
            RuleExample("a guest Owner is reported by guest-privileged-access instead; a member Reader") { m in
                m.addUser("guest1", guest: true)
                m.addUser("member")
                m.assign("guest1", role: .owner, scope: ExampleScope.sub1)
                m.assign("member", role: .reader, scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let grants = context.analysis.effectiveGrants
        let traits = context.shared.assignmentTraits(context)
        var out: [Finding] = []
        for g in grants.indices {
            let i = grants.assignmentIndex(at: g)
            guard !traits[i].privilegedOrGrants, context.isGuest(grantAt: g, grants, traits) else { continue }
            out.append(context.finding(Self.description, grantAt: g, evidence: "guest holds a role"))
        }
        return out
    }
}
