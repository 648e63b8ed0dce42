import AccessRiskModel
import AccessRiskRules
import Testing

/// One case per example of every registered rule.
struct ExampleCase: Sendable, CustomTestStringConvertible {
    let rule: any Rule.Type
    let example: RuleExample
    let triggering: Bool

    var testDescription: String {
        "\(rule.description.id) \(triggering ? "triggers" : "stays quiet"): \(example.name)"
    }

    static var all: [ExampleCase] {
        RuleRegistry.all.flatMap { rule in
            rule.description.triggering.map { ExampleCase(rule: rule, example: $0, triggering: true) }
                + rule.description.nonTriggering.map { ExampleCase(rule: rule, example: $0, triggering: false) }
        }
    }
}

@Suite("Rule examples")
struct RuleExampleTests {
    @Test(arguments: ExampleCase.all)
    func exampleBehaves(_ c: ExampleCase) {
        let findings = RuleRunner.run(c.rule, example: c.example)
        let location = SourceLocation(
            fileID: "AccessRiskRules/" + (c.example.file.split(separator: "/").last.map(String.init) ?? ""),
            filePath: c.example.file, line: c.example.line, column: 1)
        let subjects = findings.map(\.subjectKey).sorted()
        if c.triggering {
            #expect(
                !c.example.expectedSubjects.isEmpty, "a triggering example names its subjects", sourceLocation: location
            )
            #expect(subjects == c.example.expectedSubjects.sorted(), sourceLocation: location)
        } else {
            #expect(subjects.isEmpty, "non-triggering example produced findings", sourceLocation: location)
        }
        for f in findings {
            #expect(f.ruleId == c.rule.description.id, sourceLocation: location)
            #expect(!f.evidence.isEmpty, sourceLocation: location)
            #expect(f.controls == c.rule.description.controls, sourceLocation: location)
        }
    }

    /// The same examples through the engine (parallel, exclusions, ordering) give the same subjects.
    @Test(arguments: ExampleCase.all.filter(\.triggering))
    func engineAgreesWithRunner(_ c: ExampleCase) {
        var policy = Policy()
        policy.rules[c.rule.description.id] = RulePolicy(thresholds: c.example.thresholds)
        var model = c.example.model
        model.inputsPresent.formUnion(c.rule.description.requiredInputs)
        let result = RuleEngine.run(model: model, policy: policy, asOf: c.example.asOf, rules: [c.rule])
        #expect(result.findings.map(\.subjectKey) == c.example.expectedSubjects.sorted())
    }
}
