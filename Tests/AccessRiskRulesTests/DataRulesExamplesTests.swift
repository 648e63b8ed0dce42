import AccessRiskModel
import Foundation
import Testing

@testable import AccessRiskRules

/// A data rule as a test argument, named by its id.
struct DataRuleCase: CustomTestStringConvertible, Sendable {
    let type: any Rule.Type
    var testDescription: String { type.description.id }
}

@Suite("Data rules: examples")
struct DataRulesExamplesTests {
    @Test(arguments: DataRuleList.all.map(DataRuleCase.init))
    func triggeringExamplesProduceExactlyTheExpectedSubjects(_ rule: DataRuleCase) {
        let d = rule.type.description
        #expect(!d.triggering.isEmpty, "\(d.id) has no triggering example")
        for example in d.triggering {
            let findings = RuleRunner.run(rule.type, example: example)
            let got = findings.map(\.subjectKey).sorted()
            #expect(
                got == example.expectedSubjects.sorted(),
                "\(d.id) — \(example.name) (\(example.file):\(example.line))")
            #expect(!example.expectedSubjects.isEmpty, "\(d.id) — \(example.name) expects nothing")
            for f in findings {
                #expect(f.ruleId == d.id)
                #expect(f.category == d.category)
                #expect(f.controls == d.controls)
                #expect(!f.evidence.isEmpty)
            }
        }
    }

    @Test(arguments: DataRuleList.all.map(DataRuleCase.init))
    func nonTriggeringExamplesProduceNothing(_ rule: DataRuleCase) {
        let d = rule.type.description
        #expect(!d.nonTriggering.isEmpty, "\(d.id) has no non-triggering example")
        for example in d.nonTriggering {
            let findings = RuleRunner.run(rule.type, example: example)
            #expect(
                findings.isEmpty,
                "\(d.id) — \(example.name) (\(example.file):\(example.line)): \(findings.map(\.subjectKey))")
        }
    }

    @Test(arguments: DataRuleList.all.map(DataRuleCase.init))
    func descriptionIsComplete(_ rule: DataRuleCase) {
        let d = rule.type.description
        #expect(!d.rationale.isEmpty && !d.condition.isEmpty && !d.remediation.isEmpty)
        #expect(!d.anchors.isEmpty)
        #expect((1...5).contains(d.baseLikelihood) && (1...5).contains(d.baseImpact))
        #expect(d.controls.contains { $0.hasPrefix("NIST 800-53 ") })
        #expect(d.controls.contains { $0.hasPrefix("ISO 27001 A.") })
        #expect(d.controls.contains { $0.hasPrefix("SOC2 ") })
        #expect(d.controls.contains { $0.hasPrefix("PCI ") })
        if d.category == .aws { #expect(d.controls.contains { $0.hasPrefix("CIS-AWS ") }) }
    }

    @Test func idsAreTheSpecsAndUnique() {
        let ids = DataRuleList.all.map { $0.description.id }
        #expect(Set(ids).count == ids.count)
        let spec: Set = [
            "unclassified-sensitive-data", "under-classified-data", "credentials-in-data",
            "sensitive-data-without-owner", "sensitive-data-public", "aws-root-access-key", "aws-root-without-mfa",
            "aws-console-user-without-mfa", "aws-unused-credentials", "aws-access-key-not-rotated",
        ]
        #expect(spec.isSubset(of: Set(ids)))
    }

    /// Every `*Rule.swift` file in `Rules/Data/` declares a rule that `DataRuleList` lists (swift-format's staleness
    /// test): a rule file nobody registered would silently never run.
    @Test func everyDataRuleFileIsRegistered() throws {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        let folder = parts.joined(separator: "/") + "/Sources/AccessRiskRules/Rules/Data"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix("Rule.swift") }
        let registered = Set(DataRuleList.all.map { String(describing: $0) + ".swift" })
        #expect(files.count == DataRuleList.all.count)
        for file in files { #expect(registered.contains(file), "\(file) is not in DataRuleList.all") }
    }
}
