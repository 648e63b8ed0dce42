import AccessRiskModel
import Testing

@testable import AccessRiskRules

/// The policy file's label taxonomy and extra name patterns reach the classification rules (SPEC §8).
@Suite("Policy-driven classification")
struct ClassificationPolicyTests {
    static let asOf = Timestamp(year: 2026, month: 11, day: 15)!

    static var model: AccessModel {
        var m = AccessModel()
        m.inputsPresent = [.assets]
        m.assets = [
            Asset(
                assetId: "/db/dbo.visits.diagnosis_text", name: "diagnosis_text", type: "sql_column", resourceId: "/db",
                owner: "clinic-data@contoso.example"),
            Asset(
                assetId: "/st/c/board", name: "board", type: "storage_container", resourceId: "/st",
                owner: "cfo@contoso.example", label: "Internal Only", informationTypes: ["Financial"]),
        ]
        return m
    }

    func findings(_ policyText: String) throws -> [String: [String]] {
        let policy = try Policy.parse(policyText)
        let result = RuleEngine.run(model: Self.model, policy: policy, asOf: Self.asOf)
        return Dictionary(grouping: result.findings, by: \.ruleId).mapValues { $0.map(\.subjectKey).sorted() }
    }

    @Test("an extra name pattern in the policy makes an unlabelled column sensitive")
    func extraPattern() throws {
        // "board" carries an unknown label, so it counts as unlabelled with a recorded Financial type either way.
        let without = try findings("{}")
        #expect(without["unclassified-sensitive-data"] == ["/st/c/board"], "diagnosis_text matches no default pattern")
        let with = try findings(#"{"patterns": {"Health": ["%diagnosis%"]}}"#)
        #expect(with["unclassified-sensitive-data"] == ["/db/dbo.visits.diagnosis_text", "/st/c/board"])
    }

    @Test("a label mapping in the policy decides how an exported label compares")
    func labelMapping() throws {
        // Unknown label "Internal Only": the asset counts as unlabelled (unclassified, not under-classified).
        let unknown = try findings("{}")
        #expect(unknown["under-classified-data"] == nil)
        #expect(unknown["unclassified-sensitive-data"]?.contains("/st/c/board") == true)
        // Mapped to General (tier 1), below Financial's recommended Confidential: under-classified.
        let mapped = try findings(#"{"labels": {"mappings": {"Internal Only": "General"}}}"#)
        #expect(mapped["under-classified-data"] == ["/st/c/board"])
        #expect(mapped["unclassified-sensitive-data"]?.contains("/st/c/board") != true)
    }
}

@Suite("Policy SLA profile")
struct PolicySLATests {
    @Test("the policy's default SLA is the register's standard one: info gets no due date")
    func defaultIsStandard() throws {
        #expect(Policy().sla == SLAProfile.standard)
        #expect(Policy().sla.days(for: .info) == nil)
        let custom = try Policy.parse(#"{"sla": {"critical": 3, "low": 200}}"#)
        #expect(custom.sla.days(for: .critical) == 3 && custom.sla.days(for: .low) == 200)
        #expect(custom.sla.days(for: .high) == 30 && custom.sla.days(for: .info) == nil)
    }
}
