import AccessRiskModel

/// A stale, never-used or disabled account reaches a sensitive asset (SPEC §4, identity × data).
struct InactiveAccountReachesSensitiveDataRule: Rule {
    typealias F = ReachFixtures

    static let description = RuleDescription(
        id: "inactive-account-reaches-sensitive-data", category: .dataAccess,
        title: "Inactive account reaches sensitive data", subject: "principal × resource",
        requiredInputs: [.assignments, .principals, .assets], baseLikelihood: 3, baseImpact: 4,
        rationale: """
            Nobody notices when a dormant account signs in again. Unused, never-used and disabled accounts that \
            keep a path to sensitive data are what attackers take over, and what a leaver's access looks like.
            """,
        condition: """
            An account reaches (directly or through nested groups, with a role that reaches the asset's provider \
            at a covering scope) an asset whose effective label is at or above the threshold, and it is disabled; \
            or its last activity is more than stale_days (policy, 90) before the as-of date; or it is a user with \
            sign-in data but no sign-in, created more than never_used_days (30) before. No sign-in data at all \
            means unknown, not inactive.
            """,
        remediation: """
            Remove the account's access (and disable or delete the account if it is no longer needed); confirm \
            with the data owner before restoring it.
            """,
        controls: [
            "CIS-Azure 5.3.5", "NIST 800-53 AC-2(3)", "NIST 800-53 AC-6", "ISO 27001 A.5.18", "SOC2 CC6.2",
            "PCI 8.2.6",
        ],
        anchors: [
            "Defender for Cloud: Blocked accounts with read and write permissions should be removed",
            "Defender for Cloud: inactive identities (45 days)", "detection-rules E02",
        ],
        thresholds: [
            RuleThreshold("never_used_days", default: 30, "days after creation before a never-used user counts")
        ],
        triggering: [
            RuleExample(
                "disabled (Contributor on the subscription: both resources), stale (91 days), never used (31 days)",
                expect: [
                    "disabled-1|" + F.hrKey, "disabled-1|" + F.vaultKey, "stale-1|" + F.vaultKey, "never-1|" + F.hrKey,
                ]
            ) { m in
                let disabled = F.user("disabled-1", enabled: false)
                let stale = F.user("stale-1", lastSignIn: RuleExample.defaultAsOf.adding(days: -91))
                let never = F.user("never-1", created: RuleExample.defaultAsOf.adding(days: -31), lastSignIn: nil)
                F.add([disabled, stale, never], to: &m)
                m.assignments = [
                    F.contributor(disabled, at: DataFixtures.subscription),
                    F.secretsUser(stale, at: DataFixtures.resourceGroup),
                    F.owner(never, at: DataFixtures.database),
                ]
                m.assets = F.hrColumns + [F.vaultSecret]
            },
            RuleExample(
                "stale member of a nested group holding Owner at the management group",
                expect: ["stale-2|" + F.containerKey]
            ) { m in
                let stale = F.user("stale-2", lastSignIn: Timestamp(year: 2025, month: 1, day: 1))
                F.add([stale, F.group("grp-a"), F.group("grp-b")], to: &m)
                F.underManagementGroup(&m)
                m.memberships = [
                    Membership(groupId: "grp-a", memberId: "grp-b"), Membership(groupId: "grp-b", memberId: "stale-2"),
                ]
                m.assignments = [F.owner(F.group("grp-a"), at: F.managementGroup)]
                m.assets = [F.payroll]
            },
        ],
        nonTriggering: [
            RuleExample("last sign-in exactly 90 days ago; never used but created exactly 30 days ago") { m in
                let edge = F.user("edge-1", lastSignIn: RuleExample.defaultAsOf.adding(days: -90))
                let young = F.user("young-1", created: RuleExample.defaultAsOf.adding(days: -30), lastSignIn: nil)
                F.add([edge, young], to: &m)
                m.assignments = [
                    F.owner(edge, at: DataFixtures.subscription), F.owner(young, at: DataFixtures.subscription),
                ]
                m.assets = F.hrColumns
            },
            RuleExample("no sign-in data is unknown, not never used; active users") { m in
                let unknown = F.user("unknown-1", lastSignIn: nil, signInData: false)
                F.add([unknown, F.user("active-1")], to: &m)
                m.assignments = [
                    F.owner(unknown, at: DataFixtures.subscription),
                    F.owner(F.user("active-1"), at: DataFixtures.subscription),
                ]
                m.assets = F.hrColumns
            },
            RuleExample("disabled account with Reader, or reaching only non-sensitive data") { m in
                let disabled = F.user("disabled-1", enabled: false)
                F.add([disabled], to: &m)
                m.assignments = [
                    F.reader(disabled, at: DataFixtures.subscription),
                    F.blobReader(disabled, at: DataFixtures.subscription),
                ]
                m.assets = F.hrColumns + [DataFixtures.container("menu", label: "General")]
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let neverUsedDays = context.threshold("never_used_days")
        var status: [String: (String, Inactivity)?] = [:]
        func inactive(_ id: String) -> (String, Inactivity)? {
            if let known = status[id] { return known }
            let s = Self.inactivity(context.principal(id), context, neverUsedDays: neverUsedDays)
            status[id] = s
            return s
        }
        let reaches = DataReach(context: context).reachesByPrincipal(
            minimumTier: context.settings.sensitivityThresholdTier,
            allows: { caps, provider in caps.reaches(provider: provider) },
            include: { id, _ in inactive(id) != nil })
        return reaches.compactMap { r in
            guard let (why, level) = inactive(r.principalId) else { return nil }
            var f = Self.description.reachFinding(r, context, what: "Account (\(why))")
            f.facts.inactivity = level
            f.facts.guestOrExternal = context.isGuest(r.principalId, r.grants[0])
            return f
        }
    }

    /// Why an account counts as inactive, with the scoring inactivity; nil when it is active or unknown.
    static func inactivity(_ p: Principal?, _ context: RuleContext, neverUsedDays: Int) -> (String, Inactivity)? {
        guard let p, p.type != .group else { return nil }
        let staleDays = context.settings.staleDays
        let level: Inactivity
        var reason: String?
        if let last = p.lastActivity {
            let days = last.days(until: context.asOf)
            level = days > 2 * staleDays ? .beyondTwiceThreshold : days > staleDays ? .beyondThreshold : .active
            if days > staleDays { reason = "no activity since \(last.isoDate) (stale after \(staleDays) days)" }
        } else if p.type == .user, p.hasSignInData, let created = p.createdOn,
            created.days(until: context.asOf) > neverUsedDays
        {
            level = .neverUsed
            reason = "never signed in since its creation on \(created.isoDate)"
        } else {
            level = .active
        }
        if p.enabled == false { return ("disabled" + (reason.map { ", " + $0 } ?? ""), level) }
        return reason.map { ($0, level) }
    }
}
