import AccessRiskModel

/// A guest reaches a sensitive asset (SPEC §4, identity × data).
struct GuestReachesSensitiveDataRule: Rule {
    typealias F = ReachFixtures

    static let description = RuleDescription(
        id: "guest-reaches-sensitive-data", category: .dataAccess, title: "Guest reaches sensitive data",
        subject: "principal × resource", requiredInputs: [.assignments, .assets], baseLikelihood: 3, baseImpact: 4,
        rationale: """
            Guests are managed by another organisation: their joiners and leavers, MFA and devices are outside \
            your control. A guest that can read sensitive data is the shortest path for it to leave.
            """,
        condition: """
            A guest (user type Guest or a #EXT# UPN) holds, directly or through nested groups, a role that \
            reaches data of the asset's provider (privileged roles: every provider; Storage roles: \
            Microsoft.Storage; Key Vault roles: Microsoft.KeyVault; …) at a scope covering the resource of an \
            asset whose effective label is at or above the sensitivity threshold. One finding per guest and \
            resource.
            """,
        remediation: """
            Remove the guest's access (or its group membership), or confirm it with the data owner and restrict \
            it to the data needed, with an expiry (access package or access review).
            """,
        controls: [
            "CIS-Azure 5.3.2", "NIST 800-53 AC-6", "NIST 800-53 AC-2", "ISO 27001 A.5.16", "ISO 27001 A.8.3",
            "SOC2 CC6.1", "SOC2 CC6.2", "PCI 7.2.1",
        ],
        anchors: [
            "Defender for Cloud: Guest accounts with read permissions should be removed",
            "Defender CSPM attack paths to sensitive data", "detection-rules E01",
        ],
        triggering: [
            RuleExample(
                "guest with Storage Blob Data Reader on the resource group of a Highly Confidential container",
                expect: ["guest-1|" + F.containerKey]
            ) { m in
                let guest = F.user("guest-1", guest: true)
                F.add([guest], to: &m)
                m.assignments = [F.blobReader(guest, at: DataFixtures.resourceGroup)]
                m.assets = [F.payroll]
            },
            RuleExample(
                "nested groups and a management-group scope; three sensitive columns, two groups: one finding",
                expect: ["guest-2|" + F.hrKey]
            ) { m in
                let guest = F.user("guest-2", guest: true)
                F.add([guest, F.group("grp-outer"), F.group("grp-inner"), F.group("grp-other")], to: &m)
                F.underManagementGroup(&m)
                m.memberships = [
                    Membership(groupId: "grp-outer", memberId: "grp-inner"),
                    Membership(groupId: "grp-inner", memberId: "guest-2"),
                    Membership(groupId: "grp-other", memberId: "guest-2"),
                ]
                m.assignments = [
                    F.contributor(F.group("grp-outer"), at: F.managementGroup),
                    F.contributor(F.group("grp-other"), at: F.managementGroup),
                ]
                m.assets = F.hrColumns
            },
            RuleExample(
                "guest flagged only by the assignment export (AzGovViz User Guest)",
                expect: ["ext-3|" + F.hrKey]
            ) { m in
                var a = F.owner(F.user("ext-3"), at: DataFixtures.subscription)
                a.principalIsGuest = true
                m.assignments = [a]
                m.assets = F.hrColumns
            },
        ],
        nonTriggering: [
            RuleExample("a Reader role does not reach data") { m in
                let guest = F.user("guest-1", guest: true)
                F.add([guest], to: &m)
                m.assignments = [F.reader(guest, at: DataFixtures.subscription)]
                m.assets = F.hrColumns + [F.payroll]
            },
            RuleExample("a Storage role does not reach a SQL database") { m in
                let guest = F.user("guest-1", guest: true)
                F.add([guest], to: &m)
                m.assignments = [F.blobReader(guest, at: DataFixtures.subscription)]
                m.assets = F.hrColumns
            },
            RuleExample("members are not guests; guests reaching only General data; another subscription") { m in
                let member = F.user("alice")
                let guest = F.user("guest-1", guest: true)
                F.add([member, guest], to: &m)
                m.assignments = [
                    F.owner(member, at: DataFixtures.subscription),
                    F.owner(guest, at: "/subscriptions/22222222-2222-2222-2222-222222222222"),
                    F.contributor(guest, at: DataFixtures.storage),
                ]
                m.assets = F.hrColumns + [DataFixtures.container("menu", label: "General")]
            },
            RuleExample("management group without the subscription in the hierarchy input does not cover it") { m in
                let guest = F.user("guest-1", guest: true)
                F.add([guest], to: &m)
                m.assignments = [F.owner(guest, at: F.managementGroup)]
                m.assets = F.hrColumns
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let reach = DataReach(context: context)
        let reaches = reach.reachesByPrincipal(
            minimumTier: context.settings.sensitivityThresholdTier,
            allows: { caps, provider in caps.reaches(provider: provider) },
            include: { id, a in
                if let p = context.principal(id) {
                    return p.isGuest || (p.upn?.uppercased().contains("#EXT#") ?? false)
                }
                return a.principalId == id
                    && (a.principalIsGuest || (a.principalUPN?.uppercased().contains("#EXT#") ?? false))
            })
        return reaches.compactMap { r in
            guard context.isGuest(r.principalId, r.grants[0]) else { return nil }
            var f = Self.description.reachFinding(r, context, what: "Guest")
            f.facts.guestOrExternal = true
            return f
        }
    }
}
