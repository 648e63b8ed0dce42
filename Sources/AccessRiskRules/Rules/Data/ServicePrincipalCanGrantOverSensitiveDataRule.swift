import AccessRiskModel

/// A service principal that can grant access holds it at a scope covering Highly Confidential data (SPEC §4).
struct ServicePrincipalCanGrantOverSensitiveDataRule: Rule {
    typealias F = ReachFixtures

    static let description = RuleDescription(
        id: "service-principal-can-grant-over-sensitive-data", category: .dataAccess,
        title: "Service principal can grant access to Highly Confidential data", subject: "principal × resource",
        requiredInputs: [.assignments, .assets], baseLikelihood: 3, baseImpact: 5,
        rationale: """
            An application that can write role assignments can give itself, or anyone, access to the data below \
            its scope. Its secret or certificate is then the key to the most sensitive data, and it is rarely \
            reviewed like a person.
            """,
        condition: """
            A service principal or managed identity holds, directly or through nested groups, a role that can \
            grant access (Owner, User Access Administrator, Role Based Access Control Administrator, or a custom \
            role allowing roleAssignments/write, roleDefinitions/write or elevateAccess) at a scope covering the \
            resource of an asset whose effective label is Highly Confidential (tier 3).
            """,
        remediation: """
            Replace the role with one that cannot grant access, narrow its scope below the sensitive resource, or \
            constrain it with an ABAC condition on the roles it may assign.
            """,
        controls: [
            "NIST 800-53 AC-6", "NIST 800-53 AC-6(5)", "ISO 27001 A.8.2", "ISO 27001 A.5.15", "SOC2 CC6.3",
            "PCI 7.2.2",
        ],
        anchors: [
            "Defender for Cloud: service principals with Owner (effc9a76)", "AzGovViz roleAssignments/write capability",
            "detection-rules E03",
        ],
        triggering: [
            RuleExample(
                "service principal with User Access Administrator on the subscription",
                expect: ["sp-deploy|" + F.hrKey]
            ) { m in
                let sp = F.servicePrincipal("sp-deploy")
                F.add([sp], to: &m)
                m.assignments = [F.userAccessAdministrator(sp, at: DataFixtures.subscription)]
                m.assets = F.hrColumns
            },
            RuleExample(
                "managed identity with Owner through a group at the management group",
                expect: ["mi-ops|" + F.containerKey]
            ) { m in
                let mi = F.servicePrincipal("mi-ops", type: .managedIdentity)
                F.add([mi, F.group("grp-automation")], to: &m)
                F.underManagementGroup(&m)
                m.memberships = [Membership(groupId: "grp-automation", memberId: "mi-ops")]
                m.assignments = [F.owner(F.group("grp-automation"), at: F.managementGroup)]
                m.assets = [F.payroll]
            },
            RuleExample(
                "custom role allowing roleAssignments/write",
                expect: ["sp-custom|" + F.hrKey]
            ) { m in
                let sp = F.servicePrincipal("sp-custom")
                F.add([sp], to: &m)
                m.add(
                    RoleDefinition(
                        id: "99999999-0000-0000-0000-000000000001", name: "Access Granter", isCustom: true,
                        actions: ["Microsoft.Authorization/roleAssignments/*"]))
                m.assignments = [
                    F.assign(
                        sp, "99999999-0000-0000-0000-000000000001", "Access Granter", at: DataFixtures.resourceGroup)
                ]
                m.assets = F.hrColumns
            },
        ],
        nonTriggering: [
            RuleExample("Contributor cannot grant access; only Confidential data under UAA") { m in
                let sp = F.servicePrincipal("sp-1")
                F.add([sp], to: &m)
                m.assignments = [
                    F.contributor(sp, at: DataFixtures.subscription),
                    F.userAccessAdministrator(sp, at: "/subscriptions/33333333-3333-3333-3333-333333333333"),
                ]
                m.assets =
                    F.hrColumns + [
                        Asset(
                            assetId: "/subscriptions/33333333-3333-3333-3333-333333333333/rg/x", name: "email",
                            type: "sql_column", resourceId: "/subscriptions/33333333-3333-3333-3333-333333333333/rg")
                    ]
            },
            RuleExample("a user with User Access Administrator is not a service principal") { m in
                let user = F.user("admin-1")
                F.add([user], to: &m)
                m.assignments = [F.userAccessAdministrator(user, at: DataFixtures.subscription)]
                m.assets = F.hrColumns
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        func isWorkload(_ id: String, _ a: Assignment) -> Bool {
            if let p = context.principal(id), p.type != .unknown { return p.type.isWorkload }
            return a.principalId == id && a.principalType.isWorkload
        }
        let reaches = DataReach(context: context).reachesByPrincipal(
            minimumTier: LabelTier.highlyConfidential, allows: { caps, _ in caps.canGrantAccess },
            include: isWorkload)
        return reaches.map { r in
            let what =
                context.principalType(r.principalId, r.grants[0]) == .managedIdentity
                ? "Managed identity" : "Service principal"
            var f = Self.description.reachFinding(r, context, what: what)
            f.facts.privilegedRole = true
            return f
        }
    }
}
