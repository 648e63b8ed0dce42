import AccessRiskModel

/// The principal of an assignment is `Unknown` or absent from a complete directory export.
struct OrphanedAssignmentRule: Rule {
    static let description = RuleDescription(
        id: "orphaned-assignment", category: .staleAccess, title: "Orphaned assignment", subject: "assignment",
        requiredInputs: [.assignments], baseLikelihood: 3, baseImpact: 3,
        rationale:
            "An assignment whose identity was deleted grants nothing today but clutters reviews and the quota, and "
            + "shows the leaver process removed the identity without its access.",
        condition:
            "The assignment's principal has object type `Unknown` (the exporter could not resolve it) and no "
            + "directory input knows it, or its id is absent from every principals input of its type while at least "
            + "one input of that type is present (a user missing from a user export, a service principal missing "
            + "from a service-principal export).",
        remediation:
            "Delete the orphaned assignment (`az role assignment delete --ids …`); fix the leaver process so access "
            + "is removed before the identity.",
        controls: ["NIST 800-53 AC-2", "NIST 800-53 AC-2(3)", "ISO 27001 A.5.16", "SOC2 CC6.2", "PCI 8.2.5"],
        anchors: ["AzGovViz orphaned role assignments (ObjectType Unknown)"],
        triggering: [
            RuleExample(
                "an Unknown principal; a user missing from the user export",
                expect: [
                    ExampleRole.reader.subject("deleted", at: ExampleScope.sub1),
                    ExampleRole.contributor.subject("gone", at: ExampleScope.rg1),
                ]
            ) { m in
                m.addUser("present")
                m.assign("deleted", .unknown, role: .reader, scope: ExampleScope.sub1)
                m.assign("gone", .user, role: .contributor, scope: ExampleScope.rg1)
                m.assign("present", .user, role: .reader, scope: ExampleScope.rg1)
            }
        ],
        nonTriggering: [
            RuleExample("a service principal missing while only users were exported; users without any export") { m in
                m.addUser("present")
                m.assign("present", role: .reader, scope: ExampleScope.sub1)
                m.assign("sp", .servicePrincipal, role: .reader, scope: ExampleScope.sub1)
            },
            RuleExample("no principals input at all: absence proves nothing") { m in
                m.assign("someone", .user, role: .reader, scope: ExampleScope.sub1)
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let assignments = context.model.assignments
        // Whether the directory lists each principal comes from the assignments' traits (asked once per principal).
        let traits = context.shared.assignmentTraits(context)
        let exported = context.model.principalTypesExported
        var out: [Finding] = []
        for i in assignments.indices {
            // As ``AccessAnalysis/isOrphaned(principalId:statedType:)``; fields read in place.
            let stated = assignments[i].principalType
            let orphaned =
                traits[i].inDirectory
                ? traits[i].directoryType == .unknown && stated == .unknown
                : stated == .unknown || exported.contains(stated)
            guard orphaned else { continue }
            let a = assignments[i]
            let why =
                a.principalType == .unknown
                ? "the export lists the principal as Unknown and no directory input knows it"
                : "principal absent from the \(a.principalType.rawValue) export"
            out.append(context.finding(Self.description, assignmentIndex: i, evidence: why))
        }
        return out
    }
}
