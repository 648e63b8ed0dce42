import AccessRiskModel

/// Fewer than N principals can act as Owner of a subscription: no redundancy.
struct SingleSubscriptionOwnerRule: Rule {
    static let description = RuleDescription(
        id: "single-subscription-owner", category: .overPrivilege, title: "Subscription without a second owner",
        subject: "subscription", requiredInputs: [.assignments], baseLikelihood: 3, baseImpact: 3,
        rationale:
            "With a single owner, nobody can administer the subscription when that person leaves, is locked out or "
            + "is compromised; a second owner is the spare administrator.",
        condition:
            "Fewer than `min_owners` distinct principals hold the built-in Owner role (by GUID), active and not "
            + "expired, at a scope covering the subscription, directly or through groups (members counted, groups "
            + "not), leaving out disabled and orphaned principals.",
        remediation:
            "Designate a second owner (preferably eligible through PIM, or an owner group with controlled "
            + "membership); keep break-glass accounts documented.",
        controls: ["CIS-Azure 5.27", "NIST 800-53 AC-2", "ISO 27001 A.8.2", "SOC2 CC6.3", "PCI 7.2.1"],
        anchors: [
            "Defender for Cloud: There should be more than one owner assigned to subscriptions (2c79b4af)",
            "Azure Policy 09024ccc-0c5f-475e-9457-b7c0d9ed487b", "CIS Azure 5.0 5.27",
        ],
        thresholds: [RuleThreshold("min_owners", default: 2, "Fewest owners a subscription must have")],
        triggering: [
            RuleExample("one owner", expect: ["11111111-1111-1111-1111-111111111111"]) { m in
                m.addUser("a")
                m.addUser("r")
                m.assign("a", role: .owner, scope: ExampleScope.sub1)
                m.assign("r", role: .reader, scope: ExampleScope.sub1)
            },
            RuleExample(
                "two owners, one of them disabled",
                expect: ["11111111-1111-1111-1111-111111111111"]
            ) { m in
                m.addUser("a")
                m.addUser("off", enabled: false)
                m.assign("a", role: .owner, scope: ExampleScope.sub1)
                m.assign("off", role: .owner, scope: ExampleScope.sub1)
            },
            RuleExample(
                "an owner group with a single member counts the member, not the group",
                expect: ["11111111-1111-1111-1111-111111111111"]
            ) { m in
                m.addUser("a")
                m.addGroup("owners", members: ["a"])
                m.assign("owners", .group, role: .owner, scope: ExampleScope.sub1)
            },
        ],
        nonTriggering: [
            RuleExample("two owners (at the threshold), one through a management group above the subscription") { m in
                m.addUser("a")
                m.addUser("b")
                m.assign("a", role: .owner, scope: ExampleScope.sub1)
                m.assign("b", role: .owner, scope: ExampleScope.mgProd)
                m.placeUnder(ExampleScope.mgProd, ExampleScope.sub1)
            },
            RuleExample("two owners through a nested group") { m in
                m.addUser("a")
                m.addUser("b")
                m.addGroup("inner", members: ["b"])
                m.addGroup("owners", members: ["a", "inner"])
                m.assign("owners", .group, role: .owner, scope: ExampleScope.sub1)
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let minimum = context.threshold("min_owners")
        return context.analysis.subscriptionIds.compactMap { sub in
            let owners = SubscriptionOwners(subscriptionId: sub, context: context)
            guard owners.count < minimum else { return nil }
            return context.subscriptionFinding(
                Self.description, subscriptionId: sub,
                evidence: owners.evidence(context) + " (fewer than \(minimum))", grantKeys: owners.grantKeys)
        }
    }
}
