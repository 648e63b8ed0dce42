import AccessRiskModel

/// A service principal or managed identity holds a privileged role at resource-group scope or wider.
struct ServicePrincipalPrivilegedRule: Rule {
    static let description = RuleDescription(
        id: "service-principal-privileged", category: .overPrivilege,
        title: "Service principal with a privileged role", subject: "assignment", requiredInputs: [.assignments],
        baseLikelihood: 4, baseImpact: 4,
        rationale:
            "Workload identities authenticate with secrets, certificates or federated tokens that leak through code "
            + "and pipelines; with a privileged role at a broad scope, a leaked credential controls the environment.",
        condition:
            "A service principal or managed identity (as the directory, the membership or the assignment export "
            + "types it) holds a privileged role (Owner, Contributor, User Access Administrator, RBAC Administrator "
            + "or a privileged custom role) at resource-group scope or wider, directly or through groups.",
        remediation:
            "Give the workload a job-specific role at the narrowest scope it needs (resource or resource group); "
            + "prefer managed identities over secrets and rotate any client secret.",
        controls: [
            "NIST 800-53 AC-6", "NIST 800-53 AC-6(5)", "ISO 27001 A.8.2", "SOC2 CC6.3", "PCI 7.2.5",
        ],
        anchors: [
            "Defender for Cloud: Service Principals should not be assigned with administrative roles at the "
                + "subscription and resource group level (effc9a76)",
            "AzGovViz Owner assigned to a ServicePrincipal",
        ],
        triggering: [
            RuleExample(
                "a service principal Contributor on a subscription, a managed identity Owner on a resource group",
                expect: [
                    ExampleRole.contributor.subject("sp1", at: ExampleScope.sub1),
                    ExampleRole.owner.subject("mi1", at: ExampleScope.rg1),
                ]
            ) { m in
                m.addServicePrincipal("sp1")
                m.addServicePrincipal("mi1", type: .managedIdentity)
                m.assign("sp1", .servicePrincipal, role: .contributor, scope: ExampleScope.sub1)
                m.assign("mi1", .managedIdentity, role: .owner, scope: ExampleScope.rg1)
            },
            RuleExample(
                "a service principal in a group holding User Access Administrator at a management group",
                expect: [ExampleRole.userAccessAdministrator.subject("sp1", at: ExampleScope.mgProd)]
            ) { m in
                m.addServicePrincipal("sp1")
                m.addGroup("automation", members: ["sp1"])
                m.assign("automation", .group, role: .userAccessAdministrator, scope: ExampleScope.mgProd)
            },
        ],
        nonTriggering: [
            RuleExample("a service principal Owner of a single resource; a user Owner; an SP Reader") { m in
                m.addServicePrincipal("sp1")
                m.addUser("u1")
                m.assign("sp1", .servicePrincipal, role: .owner, scope: ExampleScope.storage1)
                m.assign("u1", role: .owner, scope: ExampleScope.sub1)
                m.assign("sp1", .servicePrincipal, role: .reader, scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let grants = context.analysis.effectiveGrants
        let traits = context.shared.assignmentTraits(context)
        var out: [Finding] = []
        for g in grants.indices {
            let i = grants.assignmentIndex(at: g)
            let level = traits[i].level
            guard level.isResourceGroupOrWider, traits[i].privileged,
                context.analysis.principalType(ofGrant: g).isWorkload
            else { continue }
            out.append(
                context.finding(
                    Self.description, grantAt: g,
                    evidence: "workload identity holds a privileged role at \(level.rawValue) scope"))
        }
        return out
    }
}
