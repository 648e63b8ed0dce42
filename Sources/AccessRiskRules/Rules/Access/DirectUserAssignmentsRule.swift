import AccessRiskModel

/// More than N direct user assignments at scopes covering a subscription.
struct DirectUserAssignmentsRule: Rule {
    static let description = RuleDescription(
        id: "direct-user-assignments", category: .overPrivilege, title: "Many direct user assignments",
        subject: "subscription", requiredInputs: [.assignments], baseLikelihood: 2, baseImpact: 2,
        rationale:
            "Access granted to individual users instead of groups is hard to review, is forgotten when people move, "
            + "and consumes the role-assignment quota.",
        condition:
            "More than `max_direct_user_assignments` assignments made directly to users (not groups, not workload "
            + "identities) at a scope covering the subscription: the subscription itself, a management group above "
            + "it, or root.",
        remediation:
            "Create groups per job function, assign the roles to the groups and manage access through group "
            + "membership (with access reviews on the groups).",
        controls: ["NIST 800-53 AC-2", "NIST 800-53 AC-6", "ISO 27001 A.5.15", "SOC2 CC6.3", "PCI 7.2.1"],
        anchors: ["PSRule Azure.RBAC.UseGroups (at most 5)", "Azure RBAC best practices: assign roles to groups"],
        thresholds: [
            RuleThreshold(
                "max_direct_user_assignments", default: 5, "Most direct user assignments covering a subscription")
        ],
        triggering: [
            RuleExample(
                "four users on the subscription and two at the management group above it",
                expect: ["11111111-1111-1111-1111-111111111111"]
            ) { m in
                for u in ["a", "b", "c", "d"] {
                    m.addUser(u)
                    m.assign(u, role: .reader, scope: ExampleScope.sub1)
                }
                for u in ["e", "f"] {
                    m.addUser(u)
                    m.assign(u, role: .reader, scope: ExampleScope.mgProd)
                }
                m.placeUnder(ExampleScope.mgProd, ExampleScope.sub1)
            }
        ],
        nonTriggering: [
            RuleExample(
                "exactly five direct user assignments, plus a group and a service principal, plus users on "
                    + "a resource group"
            ) { m in
                for u in ["a", "b", "c", "d", "e"] {
                    m.addUser(u)
                    m.assign(u, role: .reader, scope: ExampleScope.sub1)
                }
                m.assign("g", .group, role: .reader, scope: ExampleScope.sub1)
                m.assign("sp", .servicePrincipal, role: .reader, scope: ExampleScope.sub1)
                m.assign("x", role: .reader, scope: ExampleScope.rg1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let limit = context.threshold("max_direct_user_assignments")
        // Whether each assignment is made directly to a user, decided once (not once per covered subscription).
        let assignments = context.model.assignments
        // The directory's type comes from the assignments' traits (asked once per principal, not per assignment).
        let traits = context.shared.assignmentTraits(context)
        let toUser = assignments.indices.map { i in
            traits[i].principalType(stated: assignments[i].principalType) == .user
        }
        return context.analysis.subscriptionIds.compactMap { sub in
            let indices = context.analysis.assignmentIndices(covering: Scope("/subscriptions/" + sub)).filter {
                toUser[$0]
            }
            guard indices.count > limit else { return nil }
            let keys = indices.map { context.model.assignments[$0].grantKey }.sorted()
            let users = Set(indices.map { context.model.assignments[$0].principalId }).sorted()
            return context.subscriptionFinding(
                Self.description, subscriptionId: sub,
                evidence: "\(indices.count) direct user assignments cover subscription \(sub) (more than \(limit)), "
                    + "held by \(users.count) users: " + users.map(context.displayName(of:)).joined(separator: ", "),
                grantKeys: keys)
        }
    }
}
