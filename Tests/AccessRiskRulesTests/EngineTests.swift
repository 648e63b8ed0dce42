import AccessRiskModel
import Foundation
import Testing

@testable import AccessRiskRules

@Suite("Rule engine")
struct EngineTests {
    static func tenant() -> AccessModel {
        var m = AccessModel()
        m.addUser("breakglass", upn: "bg@contoso.example", lastSignIn: "2025-01-01")
        m.addUser("stale", lastSignIn: "2025-01-01")
        m.addUser("guest", guest: true, lastSignIn: "2026-09-01")
        m.addGroup("admins", members: ["stale", "guest"])
        m.assign("breakglass", role: .owner, scope: ExampleScope.sub1)
        m.assign("admins", .group, role: .owner, scope: ExampleScope.sub1)
        m.assign("stale", role: .storageAccountContributor, scope: ExampleScope.sub1)
        return m
    }

    @Test func rulesWithoutTheirInputAreNotEvaluatedAndNameIt() throws {
        var m = AccessModel()
        m.assign("u1", role: .owner, scope: ExampleScope.sub1)
        let result = RuleEngine.run(model: m, asOf: RuleExample.defaultAsOf)
        let stale = try #require(result.outcomes.first { $0.ruleId == "stale-account-access" })
        #expect(stale.status == .notEvaluated(reason: "missing input: principals", missingInputs: [.principals]))
        let custom = try #require(result.outcomes.first { $0.ruleId == "custom-role-wildcard" })
        #expect(custom.status == .notEvaluated(reason: "missing input: roles", missingInputs: [.roles]))
        let global = try #require(result.outcomes.first { $0.ruleId == "global-admin-count" })
        if case .notEvaluated(let reason, let missing) = global.status {
            #expect(reason.contains("directory-role"))
            #expect(missing.isEmpty)
        } else {
            Issue.record("global-admin-count should not be evaluated without directory roles")
        }
        #expect(result.outcomes.first { $0.ruleId == "single-subscription-owner" }?.status == .evaluated)
        #expect(result.notEvaluated.allSatisfy { $0.findingCount == 0 })
        #expect(result.outcomes.count == RuleRegistry.all.count)
        #expect(result.findings.contains { $0.ruleId == "single-subscription-owner" })
        #expect(!result.findings.contains { $0.ruleId == "stale-account-access" })
    }

    @Test func disabledRulesAreReportedAsDisabled() {
        var policy = Policy()
        policy.rules["single-subscription-owner"] = RulePolicy(enabled: false)
        var m = AccessModel()
        m.assign("u1", role: .owner, scope: ExampleScope.sub1)
        let result = RuleEngine.run(model: m, policy: policy, asOf: RuleExample.defaultAsOf)
        #expect(result.outcomes.first { $0.ruleId == "single-subscription-owner" }?.status == .disabled)
        #expect(!result.findings.contains { $0.ruleId == "single-subscription-owner" })
    }

    @Test func exclusionsSetFindingsAsideVisibly() throws {
        var policy = Policy()
        policy.exclusions = [
            Exclusion(upn: "BG@contoso.example", reason: "break-glass account, monitored sign-ins"),
            Exclusion(objectId: "STALE", reason: "leaving next week", rules: ["stale-account-access"]),
        ]
        let result = RuleEngine.run(model: Self.tenant(), policy: policy, asOf: RuleExample.defaultAsOf)
        #expect(!result.findings.contains { $0.principalId == "breakglass" })
        let aside = result.excluded.filter { $0.finding.principalId == "breakglass" }
        #expect(!aside.isEmpty)
        #expect(aside.allSatisfy { $0.exclusion.reason.hasPrefix("break-glass") })
        // The per-rule exclusion hides only that rule's findings.
        #expect(
            result.excluded.contains {
                $0.finding.principalId == "stale" && $0.finding.ruleId == "stale-account-access"
            })
        #expect(!result.findings.contains { $0.principalId == "stale" && $0.ruleId == "stale-account-access" })
        #expect(result.findings.contains { $0.principalId == "stale" && $0.ruleId == "credential-role-broad-scope" })
        #expect(result.findings.contains { $0.principalId == "guest" && $0.ruleId == "guest-privileged-access" })
        let outcome = try #require(result.outcomes.first { $0.ruleId == "stale-account-access" })
        #expect(outcome.excludedCount >= 1)
        #expect(result.exclusions == policy.exclusions)
    }

    @Test func findingsAreDeterministicAndOrderedByCatalogueThenSubject() {
        let a = RuleEngine.run(model: Self.tenant(), asOf: RuleExample.defaultAsOf)
        var reversed = Self.tenant()
        reversed.assignments.reverse()
        reversed.memberships.reverse()
        let b = RuleEngine.run(model: reversed, asOf: RuleExample.defaultAsOf)
        #expect(
            a.findings.map { $0.ruleId + " " + $0.subjectKey } == b.findings.map { $0.ruleId + " " + $0.subjectKey })
        for _ in 0..<5 {
            let again = RuleEngine.run(model: Self.tenant(), asOf: RuleExample.defaultAsOf)
            #expect(again.findings == a.findings)
        }
        let order = Dictionary(uniqueKeysWithValues: RuleRegistry.all.enumerated().map { ($1.description.id, $0) })
        let keys = a.findings.map { String(format: "%03d", order[$0.ruleId]!) + " " + $0.subjectKey }
        #expect(keys == keys.sorted())
        #expect(!a.findings.isEmpty)
    }

    /// What was prepared from the model's own memberships is used, and gives what the engine works out itself; what
    /// was prepared from memberships the model no longer holds is not.
    @Test func preparedMembershipsGiveTheSameFindings() {
        var model = Self.tenant()
        model.sortDeterministically()
        let plain = RuleEngine.run(model: model, asOf: RuleExample.defaultAsOf)
        let prepared = PreparedAnalysis()
        prepared.prepare(model)
        #expect(prepared.memberships?.isIndex(of: model.memberships) == true)
        let withPrepared = RuleEngine.run(model: model, asOf: RuleExample.defaultAsOf, prepared: prepared)
        #expect(withPrepared.findings == plain.findings)
        #expect(!plain.findings.isEmpty)
        // A membership dropped after: the index is of other memberships, and the engine sees the change.
        var changed = model
        changed.memberships.removeLast()
        #expect(prepared.memberships?.isIndex(of: changed.memberships) == false)
        #expect(
            RuleEngine.run(model: changed, asOf: RuleExample.defaultAsOf, prepared: prepared).findings
                == RuleEngine.run(model: changed, asOf: RuleExample.defaultAsOf).findings)
    }

    @Test func staleDaysOfThePolicyReachTheRules() {
        var m = AccessModel()
        m.addUser("u", lastSignIn: "2026-08-01")
        m.assign("u", role: .reader, scope: ExampleScope.sub1)
        let quiet = RuleEngine.run(model: m, asOf: RuleExample.defaultAsOf)
        #expect(!quiet.findings.contains { $0.ruleId == "stale-account-access" })
        var policy = Policy()
        policy.staleDays = 30
        let loud = RuleEngine.run(model: m, policy: policy, asOf: RuleExample.defaultAsOf)
        #expect(loud.findings.contains { $0.ruleId == "stale-account-access" })
        policy.rules["stale-account-access"] = RulePolicy(thresholds: ["stale_days": 120])
        let overridden = RuleEngine.run(model: m, policy: policy, asOf: RuleExample.defaultAsOf)
        #expect(!overridden.findings.contains { $0.ruleId == "stale-account-access" })
    }
}
