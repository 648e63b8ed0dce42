import AccessRiskModel

/// A service principal with sign-in data and no activity for N days holds a role.
struct StaleServicePrincipalAccessRule: Rule {
    static let description = RuleDescription(
        id: "stale-service-principal-access", category: .staleAccess, title: "Unused service principal with access",
        subject: "assignment", requiredInputs: [.assignments, .principals], baseLikelihood: 3, baseImpact: 3,
        rationale:
            "An application that no longer signs in keeps its role assignments and usually its credentials; a leaked "
            + "secret of a forgotten app is access nobody watches.",
        condition:
            "A service principal or managed identity whose export carries sign-in data holds a role (directly or "
            + "through groups) and either its last activity is more than `stale_days` days before the as-of date, "
            + "or it has no recorded activity and was created more than `stale_days` days before (or its creation "
            + "date is unknown).",
        remediation:
            "Confirm with the application owner; remove the role assignments and credentials of unused apps, then "
            + "delete the app registration.",
        controls: ["NIST 800-53 AC-2(3)", "ISO 27001 A.5.18", "SOC2 CC6.2", "PCI 7.2.5", "PCI 8.2.6"],
        anchors: [
            "Entra recommendation staleApps (90 days)", "IAM Access Analyzer UnusedIAMRole (90 days)",
            "Defender for Cloud inactive identities (8b0bd683)",
        ],
        thresholds: [
            RuleThreshold("stale_days", default: 90, "Days without activity after which a service principal is unused")
        ],
        triggering: [
            RuleExample(
                "last sign-in 91 days ago; never signed in and created long ago",
                expect: [
                    ExampleRole.contributor.subject("sp-old", at: ExampleScope.rg1),
                    ExampleRole.reader.subject("mi-never", at: ExampleScope.sub1),
                ]
            ) { m in
                m.addServicePrincipal("sp-old", lastSignIn: "2026-07-02")
                m.addServicePrincipal("mi-never", type: .managedIdentity, created: "2025-01-01", lastSignIn: nil)
                m.assign("sp-old", .servicePrincipal, role: .contributor, scope: ExampleScope.rg1)
                m.assign("mi-never", .managedIdentity, role: .reader, scope: ExampleScope.sub1)
            }
        ],
        nonTriggering: [
            RuleExample("exactly 90 days; no sign-in data exported; new and unused; a stale user") { m in
                m.addServicePrincipal("sp-edge", lastSignIn: "2026-07-03")
                m.addServicePrincipal("sp-nodata", lastSignIn: nil, signInData: false)
                m.addServicePrincipal("sp-new", created: "2026-09-15", lastSignIn: nil)
                m.addUser("user", lastSignIn: "2025-01-01")
                for sp in ["sp-edge", "sp-nodata", "sp-new"] {
                    m.assign(sp, .servicePrincipal, role: .reader, scope: ExampleScope.sub1)
                }
                m.assign("user", role: .reader, scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let days = context.threshold("stale_days")
        // A loop, not `compactMap`: an optional finding per grant was copied for each of millions of grants.
        var out: [Finding] = []
        for g in context.analysis.effectiveGrants.indices {
            let p = context.analysis.holder(ofGrant: g)
            guard p.inDirectory, p.type.isWorkload, p.hasSignInData else { continue }
            let evidence: String
            if let last = p.lastActivity {
                let inactive = last.days(until: context.asOf)
                guard inactive > days else { continue }
                evidence = "last sign-in \(last.isoDate) (stale after \(days) days)"
            } else if let created = p.createdOn {
                let age = created.days(until: context.asOf)
                guard age > days else { continue }
                evidence = "no sign-in recorded; created \(created.isoDate)"
            } else {
                evidence = "no sign-in recorded"
            }
            out.append(context.finding(Self.description, grantAt: g, evidence: evidence))
        }
        return out
    }
}
