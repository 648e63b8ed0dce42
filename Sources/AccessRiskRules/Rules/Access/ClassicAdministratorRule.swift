import AccessRiskModel
import Foundation

/// Classic co-administrators present on a subscription.
struct ClassicAdministratorRule: Rule {
    static let description = RuleDescription(
        id: "classic-administrator", category: .staleAccess, title: "Classic co-administrator",
        subject: "subscription × identity", requiredInputs: [.assignments], baseLikelihood: 3, baseImpact: 3,
        rationale:
            "Classic co-administrators have Owner-equivalent rights outside Azure RBAC, invisible to role "
            + "assignment reviews and PIM; Microsoft retired classic administrators.",
        condition:
            "A classic administrator whose role is Co-Administrator (`CoAdministrator`) appears for a subscription "
            + "(AzGovViz ClassicAdministrators export).",
        remediation:
            "Convert the co-administrator to an Azure RBAC role assignment (Owner only if needed, preferably "
            + "eligible) and remove the classic administrator.",
        controls: ["NIST 800-53 AC-2", "NIST 800-53 AC-6(5)", "ISO 27001 A.8.2", "SOC2 CC6.3", "PCI 7.2.1"],
        anchors: ["AzGovViz ClassicAdministrators", "Defender for Cloud 2acd365d (deprecated classic controls)"],
        triggering: [
            RuleExample(
                "a co-administrator", expect: ["11111111-1111-1111-1111-111111111111|alice@contoso.example"]
            ) { m in
                m.assign("u1", role: .reader, scope: ExampleScope.sub1)
                m.classicAdministrators.append(
                    ClassicAdministrator(
                        subscriptionId: "11111111-1111-1111-1111-111111111111", identity: "Alice@Contoso.example",
                        role: "CoAdministrator"))
            }
        ],
        nonTriggering: [
            RuleExample("only the service administrator") { m in
                m.assign("u1", role: .reader, scope: ExampleScope.sub1)
                m.classicAdministrators.append(
                    ClassicAdministrator(
                        subscriptionId: "11111111-1111-1111-1111-111111111111", identity: "owner@contoso.example",
                        role: "ServiceAdministrator"))
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let d = Self.description
        return context.model.classicAdministrators.compactMap { admin in
            let role = admin.role.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(
                of: " ", with: "")
            guard role.contains("coadministrator") else { return nil }
            let sub = admin.subscriptionId.lowercased()
            return Finding(
                ruleId: d.id, category: d.category, title: d.title,
                subjectKey: sub + "|" + admin.identity.lowercased(), principalName: admin.identity,
                principalUPN: admin.identity, role: admin.role, scope: "/subscriptions/" + sub,
                scopeLevel: .subscription, resource: "/subscriptions/" + sub,
                evidence: "\(admin.identity) is a classic \(admin.role) of subscription \(sub)",
                facts: ScoringFacts(scopeLevel: .subscription, privilegedRole: true), baseLikelihood: d.baseLikelihood,
                baseImpact: d.baseImpact, controls: d.controls)
        }
    }
}
