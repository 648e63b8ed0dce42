import AccessRiskModel
import Testing

@testable import AccessRiskRules

/// The facts rules share in a run say what each rule worked out alone before.
@Suite("Facts shared by the rules of a run")
struct SharedRuleFactsTests {
    static func tenant() -> AccessModel {
        var m = SyntheticTenant.build(assignments: 3_000)
        // A few guests by the export only, and principals the directory does not list.
        for i in stride(from: 0, to: m.assignments.count, by: 97) { m.assignments[i].principalIsGuest = true }
        for i in stride(from: 5, to: m.assignments.count, by: 89) {
            m.assignments[i].principalUPN = "x_fabrikam.com#EXT#@contoso.onmicrosoft.com"
        }
        for i in stride(from: 7, to: m.assignments.count, by: 83) { m.assignments[i].principalId = "absent-\(i)" }
        return m
    }

    @Test func assignmentTraitsAgreeWithTheAnalysisAndTheModel() {
        let m = Self.tenant()
        let analysis = AccessAnalysis(model: m)
        let traits = AssignmentTraits.all(m, analysis)
        #expect(traits.count == m.assignments.count)
        var guests = 0
        var absent = 0
        for (i, a) in m.assignments.enumerated() {
            let caps = analysis.capabilities(of: a)
            #expect(traits[i].level == a.scope.level)
            #expect(traits[i].privileged == caps.privileged)
            #expect(traits[i].canGrantAccess == caps.canGrantAccess)
            #expect(traits[i].reachesData == caps.reachesData)
            #expect(traits[i].credentialAccess == caps.credentialAccess)
            #expect(traits[i].exportGuest == (a.principalIsGuest || AccessAnalysis.isExternalUPN(a.principalUPN)))
            #expect(traits[i].inDirectory == (m.principals[a.principalId] != nil))
            #expect(
                traits[i].principalType(stated: a.principalType)
                    == (m.principals[a.principalId]?.type ?? a.principalType))
            if traits[i].exportGuest { guests += 1 }
            if !traits[i].inDirectory { absent += 1 }
        }
        #expect(guests > 30)
        #expect(absent > 30)
    }

    @Test func guestByTraitsIsTheAnalysisGuest() {
        let m = Self.tenant()
        let analysis = AccessAnalysis(model: m)
        let context = RuleContext(
            model: m, analysis: analysis, asOf: RuleExample.defaultAsOf, thresholds: [:], settings: .init())
        let traits = context.shared.assignmentTraits(context)
        let grants = analysis.effectiveGrants
        for g in grants.indices {
            #expect(context.isGuest(grantAt: g, grants, traits) == analysis.isGuest(grantAt: g))
        }
    }

    /// Every rule run by the engine (facts shared, rules in parallel) finds what it finds alone with its own facts.
    @Test func theEngineFindsWhatEachRuleFindsAlone() {
        var m = Self.tenant()
        m.assets = ReachFixtures.hrColumns + [ReachFixtures.payroll, ReachFixtures.vaultSecret]
        m.inputsPresent.insert(.assets)
        let asOf = RuleExample.defaultAsOf
        let result = RuleEngine.run(model: m, asOf: asOf)
        let analysis = AccessAnalysis(model: m)
        for rule in RuleRegistry.all {
            let d = rule.description
            guard result.outcomes.first(where: { $0.ruleId == d.id })?.isEvaluated == true else { continue }
            var thresholds: [String: Int] = [:]
            for t in d.thresholds { thresholds[t.key] = t.defaultValue }
            let alone = RuleEngine.orderedUnique(
                rule.init().evaluate(
                    RuleContext(model: m, analysis: analysis, asOf: asOf, thresholds: thresholds, settings: .init())))
            #expect(result.findings.filter { $0.ruleId == d.id } == alone, "\(d.id)")
        }
        #expect(result.findings.count > 100)
    }
}
