import AccessRiskModel
import AccessRiskRules
import Foundation
import Testing

@Suite("Catalogue text (accessrisk rules)")
struct CatalogueTextTests {
    @Test func tableListsEveryRuleWithSeverityInputsAndControls() {
        let lines = RuleCatalogue.table().split(separator: "\n")
        #expect(lines.count == RuleRegistry.all.count + 1)
        #expect(lines[0].hasPrefix("ID"))
        for (line, rule) in zip(lines.dropFirst(), RuleRegistry.all) {
            let d = rule.description
            #expect(line.hasPrefix(d.id + " "))
            #expect(line.contains(" " + d.defaultSeverity.rawValue + " "))
            #expect(line.contains(d.controls[0]))
        }
    }

    @Test func explainShowsThresholdsRemediationAndAnchors() throws {
        let rule = try #require(RuleCatalogue.rule("too-many-subscription-owners"))
        let text = RuleCatalogue.explain(rule)
        #expect(text.contains("max_owners = 3"))
        #expect(text.contains("Remediation\n"))
        #expect(text.contains("Azure Policy 4f11b553"))
        #expect(RuleCatalogue.rule("no-such-rule") == nil)
    }

    @Test func explainJSONIsOneObject() throws {
        let rule = try #require(RuleCatalogue.rule("global-admin-count"))
        let data = Data(RuleCatalogue.explainJSON(rule).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["id"] as? String == "global-admin-count")
        #expect(object["default_severity"] as? String == rule.description.defaultSeverity.rawValue)
        let thresholds = try #require(object["thresholds"] as? [[String: Any]])
        #expect(thresholds.compactMap { $0["key"] as? String } == ["min_global_admins", "max_global_admins"])
    }

    @Test func defaultPolicyJSONIsValidJSON() throws {
        let data = Data(Policy.defaultPolicyJSON().utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rules = try #require(object["rules"] as? [String: Any])
        #expect(rules.count == RuleRegistry.all.count)
        let owners = try #require(rules["too-many-subscription-owners"] as? [String: Any])
        #expect(owners["max_owners"] as? Int == 3)
        #expect(object["stale_days"] as? Int == 90)
    }
}
