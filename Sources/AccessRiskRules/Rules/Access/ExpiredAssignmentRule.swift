import AccessRiskModel

/// An assignment whose end date has passed is still present.
struct ExpiredAssignmentRule: Rule {
    static let description = RuleDescription(
        id: "expired-assignment", category: .staleAccess, title: "Expired assignment still present",
        subject: "assignment", requiredInputs: [.assignments], baseLikelihood: 3, baseImpact: 3,
        rationale:
            "An assignment past its end date should have been removed by PIM or by the owner; its presence in the "
            + "export means the expiry did not take effect or the export is inconsistent, and either needs checking.",
        condition: "An assignment (active or eligible) whose end date is before the as-of date.",
        remediation:
            "Remove the assignment, or renew it with a new end date and a justification; check why the expiry did "
            + "not remove it.",
        controls: [
            "NIST 800-53 AC-2(3)", "NIST 800-53 AC-2(7)", "ISO 27001 A.8.2", "ISO 27001 A.5.18", "SOC2 CC6.2",
            "PCI 7.2.4",
        ],
        anchors: ["PIM assignment end date", "ISO 27002 8.2 (expiry on each privileged right)"],
        triggering: [
            RuleExample(
                "ended the day before the review; an eligible assignment that ended last year",
                expect: [
                    ExampleRole.owner.subject("u1", at: ExampleScope.sub1),
                    ExampleRole.contributor.subject("u2", at: ExampleScope.rg1),
                ]
            ) { m in
                m.assign("u1", role: .owner, scope: ExampleScope.sub1, endOn: "2026-09-30")
                m.assign("u2", role: .contributor, scope: ExampleScope.rg1, eligible: true, endOn: "2025-06-30")
            }
        ],
        nonTriggering: [
            RuleExample("ends on the review date; ends later; no end date") { m in
                m.assign("u1", role: .owner, scope: ExampleScope.sub1, endOn: "2026-10-01")
                m.assign("u2", role: .owner, scope: ExampleScope.sub1, endOn: "2027-01-01")
                m.assign("u3", role: .owner, scope: ExampleScope.sub1)
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        context.model.assignments.indices.compactMap { i in
            let a = context.model.assignments[i]
            guard let end = a.endOn, end < context.asOf else { return nil }
            return context.finding(
                Self.description, assignmentIndex: i,
                evidence: "end date \(end.isoDate) has passed; the assignment is still present")
        }
    }
}
