import AccessRiskModel

/// An enabled user created more than N days ago with no recorded sign-in holds a role.
struct NeverUsedAccountAccessRule: Rule {
    static let description = RuleDescription(
        id: "never-used-account-access", category: .staleAccess, title: "Never-used account with access",
        subject: "assignment", requiredInputs: [.assignments, .principals], baseLikelihood: 3, baseImpact: 3,
        rationale:
            "An account that has never signed in since it was created was provisioned for nothing, or for someone "
            + "who never arrived; its rights are pure exposure and its initial credential may still be valid.",
        condition:
            "An enabled user whose directory export carries sign-in data but no recorded sign-in at all, created "
            + "more than `never_used_days` days before the as-of date, holds a role directly or through groups.",
        remediation:
            "Remove the assignments and disable or delete the account unless its owner confirms it is about to be "
            + "used; provision access when it is needed, not in advance.",
        controls: ["NIST 800-53 AC-2(3)", "NIST 800-53 AC-2", "ISO 27001 A.5.18", "SOC2 CC6.2", "PCI 8.2.6"],
        anchors: [
            "CIS AWS 1.11 (no credentials at initial setup)", "Prowler console/key never used",
            "Entra staleApps recommendation (excludes new apps)",
        ],
        thresholds: [
            RuleThreshold("never_used_days", default: 30, "Days after creation before a never-used account counts")
        ],
        triggering: [
            RuleExample(
                "created 31 days before as-of, never signed in, holding Reader through a group",
                expect: [ExampleRole.reader.subject("new", at: ExampleScope.sub1)]
            ) { m in
                m.addUser("new", created: "2026-08-31", lastSignIn: nil)
                m.addGroup("team", members: ["new"])
                m.assign("team", .group, role: .reader, scope: ExampleScope.sub1)
            }
        ],
        nonTriggering: [
            RuleExample("created exactly 30 days ago; signed in; no sign-in data exported; disabled; no creation date")
            { m in
                m.addUser("edge", created: "2026-09-01", lastSignIn: nil)
                m.addUser("used", created: "2024-01-01", lastSignIn: "2026-09-20")
                m.addUser("unknown", created: "2024-01-01", lastSignIn: nil, signInData: false)
                m.addUser("off", enabled: false, created: "2024-01-01", lastSignIn: nil)
                m.addUser("undated", created: nil, lastSignIn: nil)
                for u in ["edge", "used", "unknown", "off", "undated"] {
                    m.assign(u, role: .reader, scope: ExampleScope.sub1)
                }
            },
            RuleExample("a stale user (has a recorded sign-in) is never also never-used") { m in
                m.addUser("stale", created: "2020-01-01", lastSignIn: "2021-01-01")
                m.assign("stale", role: .reader, scope: ExampleScope.sub1)
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let days = context.threshold("never_used_days")
        // A loop, not `compactMap`: an optional finding per grant was copied for each of millions of grants.
        var out: [Finding] = []
        for g in context.analysis.effectiveGrants.indices {
            let holder = context.analysis.holder(ofGrant: g)
            guard holder.type == .user,
                case .neverUsed = holder.activity(
                    asOf: context.asOf, staleDays: context.settings.staleDays, neverUsedDays: days)
            else { continue }
            out.append(
                context.finding(
                    Self.description, grantAt: g,
                    evidence: "no sign-in recorded; created \(holder.createdOn?.isoDate ?? "?") "
                        + "(never-used after \(days) days)"))
        }
        return out
    }
}
