import AccessRiskModel

/// A guest that never accepted its invitation holds a role.
struct PendingGuestAccessRule: Rule {
    static let description = RuleDescription(
        id: "pending-guest-access", category: .staleAccess, title: "Pending guest with access",
        subject: "assignment", requiredInputs: [.assignments, .principals], baseLikelihood: 3, baseImpact: 3,
        rationale:
            "A guest invitation nobody accepted is a dormant door: the redemption link can be used by whoever holds "
            + "it, and the access was granted before anyone confirmed the person.",
        condition:
            "A guest whose external user state is pending acceptance (`PendingAcceptance`) holds a role, directly or "
            + "through groups.",
        remediation:
            "Remove the assignment and the invitation; re-invite and grant access once the guest has redeemed it "
            + "and a sponsor confirmed the need.",
        controls: ["CIS-Azure 5.3.2", "NIST 800-53 AC-2", "ISO 27001 A.5.16", "SOC2 CC6.2", "PCI 7.2.4"],
        anchors: ["CIS Azure 5.3.2 Guest users are reviewed on a regular basis", "Entra guest externalUserState"],
        triggering: [
            RuleExample(
                "a pending guest with Reader, another through a group",
                expect: [
                    ExampleRole.reader.subject("g1", at: ExampleScope.sub1),
                    ExampleRole.reader.subject("g2", at: ExampleScope.rg1),
                ]
            ) { m in
                m.addUser("g1", guest: true, externalState: "PendingAcceptance")
                m.addUser("g2", guest: true, externalState: "PendingAcceptance")
                m.assign("g1", role: .reader, scope: ExampleScope.sub1)
                m.addGroup("partners", members: ["g2"])
                m.assign("partners", .group, role: .reader, scope: ExampleScope.rg1)
            }
        ],
        nonTriggering: [
            RuleExample("an accepted guest; a guest with no state") { m in
                m.addUser("g1", guest: true, externalState: "Accepted")
                m.addUser("g2", guest: true)
                m.assign("g1", role: .reader, scope: ExampleScope.sub1)
                m.assign("g2", role: .reader, scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        var out: [Finding] = []
        for g in context.analysis.effectiveGrants.indices where context.analysis.holder(ofGrant: g).isPendingGuest {
            let state = context.model.principals[context.analysis.effectiveGrants.principalId(at: g)]?.externalState
            out.append(
                context.finding(
                    Self.description, grantAt: g,
                    evidence: "guest invitation not accepted (state \(state ?? "pending"))"))
        }
        return out
    }
}
