import AccessRiskModel

/// An active, permanent privileged assignment to a user in a tenant that uses PIM.
struct StandingPrivilegedAccessRule: Rule {
    static let description = RuleDescription(
        id: "standing-privileged-access", category: .overPrivilege, title: "Standing privileged access",
        subject: "assignment", requiredInputs: [.assignments], baseLikelihood: 3, baseImpact: 4,
        rationale:
            "Where Privileged Identity Management is in use, a permanent active privileged assignment bypasses "
            + "just-in-time activation, its approval and its audit trail, and is always available to an attacker "
            + "who takes over the account.",
        condition:
            "The inputs show PIM in use (at least one eligible assignment), and a user holds a privileged role "
            + "through an active assignment with no end date, directly or through groups.",
        remediation:
            "Convert the assignment to PIM-eligible with activation approval and MFA, or give it an end date; keep "
            + "permanent assignments to documented break-glass accounts (excluded in the policy).",
        controls: [
            "CIS-Azure 5.3.4", "NIST 800-53 AC-2(7)", "NIST 800-53 AC-6(5)", "ISO 27001 A.8.2", "SOC2 CC6.3",
            "PCI 7.2.2",
        ],
        anchors: [
            "Defender for Cloud: Privileged roles should not have permanent access at the subscription and resource "
                + "group level (706b33f0)",
            "PIM alert: Roles are being assigned outside of Privileged Identity Management", "CISA MS.AAD.7.4",
            "Maester MT.1031",
        ],
        triggering: [
            RuleExample(
                "PIM in use; a permanent active Owner and a permanent Contributor through a group",
                expect: [
                    ExampleRole.owner.subject("u1", at: ExampleScope.sub1),
                    ExampleRole.contributor.subject("u2", at: ExampleScope.rg1),
                ]
            ) { m in
                m.addUser("u1")
                m.addUser("u2")
                m.addUser("u3")
                m.assign("u1", role: .owner, scope: ExampleScope.sub1)
                m.addGroup("ops", members: ["u2"])
                m.assign("ops", .group, role: .contributor, scope: ExampleScope.rg1)
                m.assign("u3", role: .owner, scope: ExampleScope.sub1, eligible: true)
            }
        ],
        nonTriggering: [
            RuleExample("no eligible assignment anywhere: PIM not in use") { m in
                m.addUser("u1")
                m.assign("u1", role: .owner, scope: ExampleScope.sub1)
            },
            RuleExample("PIM in use; time-bound Owner, eligible Owner, permanent Reader, SP Owner") { m in
                m.addUser("u1")
                m.addUser("u2")
                m.addServicePrincipal("sp1")
                m.assign("u1", role: .owner, scope: ExampleScope.sub1, endOn: "2026-12-31")
                m.assign("u2", role: .owner, scope: ExampleScope.sub1, eligible: true)
                m.assign("u2", role: .reader, scope: ExampleScope.sub2)
                m.assign("sp1", .servicePrincipal, role: .owner, scope: ExampleScope.rg1)
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        guard context.model.usesPIM else { return [] }
        let grants = context.analysis.effectiveGrants
        let traits = context.shared.assignmentTraits(context)
        let assignments = context.model.assignments
        var out: [Finding] = []
        for g in grants.indices {
            let i = grants.assignmentIndex(at: g)
            guard traits[i].privileged, assignments[i].assignmentType == .active, assignments[i].endOn == nil,
                context.analysis.principalType(ofGrant: g) == .user
            else { continue }
            out.append(
                context.finding(
                    Self.description, grantAt: g,
                    evidence: "permanent active privileged assignment while PIM is in use"))
        }
        return out
    }
}
