import AccessRiskModel

/// An assignment's role is neither a known built-in role nor defined in the inputs.
struct MissingRoleDefinitionRule: Rule {
    static let description = RuleDescription(
        id: "missing-role-definition", category: .staleAccess, title: "Role without a definition",
        subject: "assignment", requiredInputs: [.assignments, .roles], baseLikelihood: 3, baseImpact: 3,
        rationale:
            "An assignment of a role nobody can see the definition of cannot be judged: it may be harmless or "
            + "Owner-equivalent, or the definition was deleted and the assignment is a leftover.",
        condition:
            "An assignment whose role (by GUID, else by name) is neither in the built-in role catalogue nor among "
            + "the role definitions of the inputs; such a role is treated as custom and unknown (neither privileged "
            + "nor harmless).",
        remediation:
            "Export the role definitions (`az role definition list --custom-role-only false`) and rerun; delete the "
            + "assignment if its role was deleted.",
        controls: ["NIST 800-53 AC-6(7)", "ISO 27001 A.5.15", "ISO 27001 A.5.18", "SOC2 CC6.3", "PCI 7.2.1"],
        anchors: ["AzGovViz orphaned assignments (role definition deleted)"],
        triggering: [
            RuleExample(
                "a custom role id absent from the role definitions",
                expect: ["u1|deadbeef-0000-0000-0000-000000000001|" + Scope(ExampleScope.sub1).key]
            ) { m in
                m.addCustomRole("c0ffee00-0000-0000-0000-000000000030", name: "Known", actions: ["*/read"])
                m.assign(
                    "u1", role: ExampleRole(id: "deadbeef-0000-0000-0000-000000000001", name: "Mystery"),
                    scope: ExampleScope.sub1)
            }
        ],
        nonTriggering: [
            RuleExample("built-in roles by GUID and by name; a defined custom role") { m in
                m.addCustomRole("c0ffee00-0000-0000-0000-000000000030", name: "Known", actions: ["*/read"])
                m.assign("u1", role: .owner, scope: ExampleScope.sub1)
                m.assign("u2", role: ExampleRole(id: nil, name: "Storage Blob Data Reader"), scope: ExampleScope.sub1)
                m.assign(
                    "u3", role: ExampleRole(id: "c0ffee00-0000-0000-0000-000000000030", name: "Known"),
                    scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        context.model.assignments.indices.compactMap { i in
            // By the analysis's role table (no key hashed, no assignment copied) until a finding is made.
            guard !context.analysis.capabilities(ofAssignment: i).known else { return nil }
            let a = context.model.assignments[i]
            return context.finding(
                Self.description, assignmentIndex: i,
                evidence:
                    "role \(a.roleName) (\(a.roleKey)) has no definition in the inputs and is not a known built-in")
        }
    }
}
