import AccessRiskModel

/// An enabled user whose recorded last activity is older than N days holds a role.
struct StaleAccountAccessRule: Rule {
    static let description = RuleDescription(
        id: "stale-account-access", category: .staleAccess, title: "Stale account with access",
        subject: "assignment", requiredInputs: [.assignments, .principals], baseLikelihood: 3, baseImpact: 3,
        rationale:
            "An account nobody uses still carries its rights; its owner will not notice it being used by someone "
            + "else, and dormant accounts are a classic foothold.",
        condition:
            "An enabled user (member or guest) with a recorded last activity (latest of interactive, "
            + "non-interactive and successful sign-in) more than `stale_days` days before the as-of date holds a "
            + "role, directly or through groups. A user without any recorded sign-in is never stale (see "
            + "`never-used-account-access`).",
        remediation:
            "Confirm with the manager whether the account is still needed; remove its assignments (and disable it) "
            + "if not. Put inactive-user recommendations on the access review.",
        controls: ["CIS-Azure 5.3.4", "NIST 800-53 AC-2(3)", "ISO 27001 A.5.18", "SOC2 CC6.2", "PCI 8.2.6"],
        anchors: [
            "Prowler entra_user_with_recent_sign_in (90 days)", "PCI DSS 8.2.6 (90 days)",
            "Defender for Cloud: Permissions of inactive identities should be revoked (8b0bd683)",
            "PIM alert StaleSignInAlert",
        ],
        thresholds: [RuleThreshold("stale_days", default: 90, "Days without activity after which an account is stale")],
        triggering: [
            RuleExample(
                "last sign-in 91 days before as-of; a stale member of a nested group",
                expect: [
                    ExampleRole.reader.subject("old", at: ExampleScope.sub1),
                    ExampleRole.contributor.subject("old2", at: ExampleScope.rg1),
                ]
            ) { m in
                m.addUser("old", lastSignIn: "2026-07-02")
                m.assign("old", role: .reader, scope: ExampleScope.sub1)
                m.addUser("old2", lastSignIn: "2025-01-01")
                m.addGroup("inner", members: ["old2"])
                m.addGroup("outer", members: ["inner"])
                m.assign("outer", .group, role: .contributor, scope: ExampleScope.rg1)
            }
        ],
        nonTriggering: [
            RuleExample("exactly 90 days; never signed in; disabled; service principal") { m in
                m.addUser("edge", lastSignIn: "2026-07-03")
                m.addUser("never", lastSignIn: nil)
                m.addUser("off", enabled: false, lastSignIn: "2025-01-01")
                m.addServicePrincipal("sp", lastSignIn: "2025-01-01")
                for u in ["edge", "never", "off"] { m.assign(u, role: .reader, scope: ExampleScope.sub1) }
                m.assign("sp", .servicePrincipal, role: .reader, scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let days = context.threshold("stale_days")
        // A loop, not `compactMap`: an optional finding per grant was copied for each of millions of grants.
        var out: [Finding] = []
        for g in context.analysis.effectiveGrants.indices {
            let holder = context.analysis.holder(ofGrant: g)
            guard holder.type == .user,
                case .stale = holder.activity(asOf: context.asOf, staleDays: days)
            else { continue }
            let last = holder.lastActivity?.isoDate ?? "?"
            out.append(
                context.finding(
                    Self.description, grantAt: g, evidence: "last activity \(last) (stale after \(days) days)"))
        }
        return out
    }
}
