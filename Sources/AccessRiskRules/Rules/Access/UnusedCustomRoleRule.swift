import AccessRiskModel

/// A custom role with no assignment.
struct UnusedCustomRoleRule: Rule {
    static let description = RuleDescription(
        id: "unused-custom-role", category: .staleAccess, title: "Unused custom role", subject: "role",
        requiredInputs: [.roles, .assignments], baseLikelihood: 2, baseImpact: 2,
        rationale:
            "A custom role nobody holds is clutter that counts against the tenant's limit and can be assigned "
            + "tomorrow without anyone re-reading what it allows.",
        condition: "A custom role definition that no assignment in the inputs refers to (by GUID, else by name).",
        remediation: "Delete the role definition, or document why it is kept (e.g. referenced by a policy).",
        controls: ["NIST 800-53 AC-6(7)", "ISO 27001 A.5.15", "SOC2 CC6.3", "PCI 7.2.1"],
        anchors: ["AzGovViz orphaned custom role definitions"],
        triggering: [
            RuleExample("a custom role nobody holds", expect: ["c0ffee00-0000-0000-0000-000000000040"]) { m in
                m.addCustomRole("c0ffee00-0000-0000-0000-000000000040", name: "Forgotten", actions: ["*/read"])
                m.assign("u1", role: .reader, scope: ExampleScope.sub1)
            }
        ],
        nonTriggering: [
            RuleExample("custom roles assigned by GUID and by name (eligible counts too)") { m in
                m.addCustomRole("c0ffee00-0000-0000-0000-000000000041", name: "Used", actions: ["*/read"])
                m.addCustomRole("c0ffee00-0000-0000-0000-000000000042", name: "Named", actions: ["*/read"])
                m.assign(
                    "u1", role: ExampleRole(id: "c0ffee00-0000-0000-0000-000000000041", name: "Used"),
                    scope: ExampleScope.sub1, eligible: true)
                m.assign("u2", role: ExampleRole(id: nil, name: "named"), scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        var usedIds: Set<String> = []
        var usedNames: Set<String> = []
        // Assignments with the same role number have the same role key (the GUID, else the lower-cased name): one
        // with a GUID and one without are enough per role, not a copy and a hash of every assignment.
        let assignments = context.model.assignments
        var seen: [(withId: Bool, withoutId: Bool)] = []
        for i in assignments.indices {
            let role = Int(context.analysis.roleNumber(ofAssignment: i))
            if role >= seen.count { seen += Array(repeating: (false, false), count: role + 1 - seen.count) }
            if let id = assignments[i].roleId {
                guard !seen[role].withId else { continue }
                seen[role].withId = true
                usedIds.insert(id)
            } else {
                guard !seen[role].withoutId else { continue }
                seen[role].withoutId = true
                usedNames.insert(assignments[i].roleName.lowercased())
            }
        }
        return context.model.roleDefinitions.values.filter(\.isCustom).compactMap { role in
            guard !usedIds.contains(role.id), !usedNames.contains(role.name.lowercased()) else { return nil }
            return context.roleFinding(
                Self.description, role: role, evidence: "custom role \(role.name) has no assignment in the inputs")
        }
    }
}
