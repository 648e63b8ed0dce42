import AccessRiskModel

/// More than N distinct principals can act as Owner of a subscription.
struct TooManySubscriptionOwnersRule: Rule {
    static let description = RuleDescription(
        id: "too-many-subscription-owners", category: .overPrivilege, title: "Too many subscription owners",
        subject: "subscription", requiredInputs: [.assignments], baseLikelihood: 4, baseImpact: 4,
        rationale:
            "Every Owner can change anything in the subscription and grant access to anyone; the fewer owners, the "
            + "less damage one compromised owner account can do.",
        condition:
            "More than `max_owners` distinct principals hold the built-in Owner role (by GUID), active and not "
            + "expired, at a scope covering the subscription (the subscription, a management group above it, or "
            + "root), directly or through groups (members counted, groups not), leaving out disabled and orphaned "
            + "principals.",
        remediation:
            "Reduce permanent owners to at most three: move day-to-day work to narrower roles (Contributor, job "
            + "function roles), make remaining owners eligible through PIM, and control membership of owner groups.",
        controls: [
            "CIS-Azure 5.27", "NIST 800-53 AC-6(5)", "NIST 800-53 AC-2(7)", "ISO 27001 A.8.2", "SOC2 CC6.3",
            "PCI 7.2.2",
        ],
        anchors: [
            "Defender for Cloud: A maximum of 3 owners should be designated for subscriptions (6f90a6d6)",
            "Azure Policy 4f11b553-d42e-4e3a-89be-32ca364cad4c", "CIS Azure 5.0 5.27", "PSRule Azure.RBAC.LimitOwner",
        ],
        thresholds: [RuleThreshold("max_owners", default: 3, "Most owners a subscription may have")],
        triggering: [
            RuleExample("four direct owners", expect: ["11111111-1111-1111-1111-111111111111"]) { m in
                for u in ["a", "b", "c", "d"] {
                    m.addUser(u)
                    m.assign(u, role: .owner, scope: ExampleScope.sub1)
                }
            },
            RuleExample(
                "two direct owners and two through a nested group at a management group above the subscription",
                expect: ["11111111-1111-1111-1111-111111111111"]
            ) { m in
                m.addUser("a")
                m.addUser("b")
                m.addUser("c")
                m.addUser("d")
                m.assign("a", role: .owner, scope: ExampleScope.sub1)
                m.assign("b", role: .owner, scope: ExampleScope.sub1)
                m.addGroup("inner", members: ["d"])
                m.addGroup("admins", members: ["c", "inner"])
                m.assign("admins", .group, role: .owner, scope: ExampleScope.mgProd)
                m.placeUnder(ExampleScope.mgProd, ExampleScope.sub1)
            },
            RuleExample(
                "threshold lowered to 1", thresholds: ["max_owners": 1],
                expect: [
                    "11111111-1111-1111-1111-111111111111"
                ]
            ) { m in
                m.addUser("a")
                m.addUser("b")
                m.assign("a", role: .owner, scope: ExampleScope.sub1)
                m.assign("b", role: .owner, scope: ExampleScope.sub1)
            },
        ],
        nonTriggering: [
            RuleExample("exactly three owners (at the threshold)") { m in
                for u in ["a", "b", "c"] {
                    m.addUser(u)
                    m.assign(u, role: .owner, scope: ExampleScope.sub1)
                }
            },
            RuleExample("four owners, one disabled and one reached twice through two groups") { m in
                m.addUser("a")
                m.addUser("b")
                m.addUser("c")
                m.addUser("off", enabled: false)
                m.assign("a", role: .owner, scope: ExampleScope.sub1)
                m.assign("off", role: .owner, scope: ExampleScope.sub1)
                m.addGroup("g1", members: ["b", "c"])
                m.addGroup("g2", members: ["b"])
                m.assign("g1", .group, role: .owner, scope: ExampleScope.sub1)
                m.assign("g2", .group, role: .owner, scope: ExampleScope.sub1)
            },
            RuleExample("four owners but one only eligible and one at a management group not above the subscription") {
                m in
                for u in ["a", "b", "c", "d"] { m.addUser(u) }
                m.assign("a", role: .owner, scope: ExampleScope.sub1)
                m.assign("b", role: .owner, scope: ExampleScope.sub1)
                m.assign("c", role: .owner, scope: ExampleScope.sub1, eligible: true)
                m.assign("d", role: .owner, scope: ExampleScope.mgProd)
                m.placeUnder(ExampleScope.mgProd, ExampleScope.sub2)
            },
            RuleExample("four Contributors (not Owner)") { m in
                for u in ["a", "b", "c", "d"] {
                    m.addUser(u)
                    m.assign(u, role: .contributor, scope: ExampleScope.sub1)
                }
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let limit = context.threshold("max_owners")
        return context.analysis.subscriptionIds.compactMap { sub in
            let owners = SubscriptionOwners(subscriptionId: sub, context: context)
            guard owners.count > limit else { return nil }
            return context.subscriptionFinding(
                Self.description, subscriptionId: sub,
                evidence: owners.evidence(context) + " (more than \(limit))", grantKeys: owners.grantKeys,
                facts: ScoringFacts(scopeLevel: .subscription, privilegedRole: true))
        }
    }
}
