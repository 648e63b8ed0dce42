import AccessRiskModel

/// A group with more than N transitive members holds a privileged role.
struct LargeGroupPrivilegedRule: Rule {
    static let description = RuleDescription(
        id: "large-group-privileged", category: .overPrivilege, title: "Large group with a privileged role",
        subject: "assignment", requiredInputs: [.assignments, .memberships], baseLikelihood: 3, baseImpact: 4,
        rationale:
            "Every member of a group holding a privileged role is an administrator; in a large or nested group "
            + "nobody knows who they all are, and any member's compromise is an administrator's compromise.",
        condition:
            "A group holds a privileged role (or one that can grant access) and has more than `max_group_members` "
            + "transitive members (nested groups expanded, groups themselves not counted).",
        remediation:
            "Assign the role to a small dedicated admin group (role-assignable, owned, reviewed), or make the "
            + "membership eligible through PIM for Groups.",
        controls: [
            "CIS-Azure 5.27", "NIST 800-53 AC-6(5)", "NIST 800-53 AC-2", "ISO 27001 A.8.2", "SOC2 CC6.3", "PCI 7.2.2",
        ],
        anchors: [
            "AzGovViz transitive group member counts", "CIS Azure 5.27 (owner group membership tightly controlled)",
        ],
        thresholds: [
            RuleThreshold("max_group_members", default: 50, "Most members of a group holding a privileged role")
        ],
        triggering: [
            RuleExample(
                "Contributor held by a group of 51 members, 31 of them through a nested group",
                expect: [ExampleRole.contributor.subject("big", at: ExampleScope.sub1)]
            ) { m in
                m.addGroup("nested", members: (1...31).map { "n\($0)" })
                m.addGroup("big", members: (1...20).map { "d\($0)" } + ["nested"])
                m.assign("big", .group, role: .contributor, scope: ExampleScope.sub1)
            },
            RuleExample(
                "threshold lowered to 2; Owner held by a group of 3",
                thresholds: ["max_group_members": 2], expect: [ExampleRole.owner.subject("g", at: ExampleScope.rg1)]
            ) { m in
                m.addGroup("g", members: ["a", "b", "c"])
                m.assign("g", .group, role: .owner, scope: ExampleScope.rg1)
            },
        ],
        nonTriggering: [
            RuleExample("exactly 50 members; a group of 60 holding Reader") { m in
                m.addGroup("fifty", members: (1...50).map { "u\($0)" })
                m.assign("fifty", .group, role: .owner, scope: ExampleScope.sub1)
                m.addGroup("readers", members: (1...60).map { "r\($0)" })
                m.assign("readers", .group, role: .reader, scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let limit = context.threshold("max_group_members")
        // The role is read from the assignments' traits and the principal in place: no assignment copied.
        let traits = context.shared.assignmentTraits(context)
        let assignments = context.model.assignments
        var out: [Finding] = []
        for i in traits.indices where traits[i].privilegedOrGrants {
            let id = assignments[i].principalId
            guard context.analysis.isGroup(id) else { continue }
            let count = context.analysis.transitiveMemberCount(of: id)
            guard count > limit else { continue }
            out.append(
                context.finding(
                    Self.description, assignmentIndex: i,
                    evidence: "group \(context.displayName(of: id)) has \(count) transitive members "
                        + "(more than \(limit))"))
        }
        return out
    }
}
