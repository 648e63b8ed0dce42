import AccessRiskModel
import AccessRiskRules
import Foundation
import Testing

/// The analysis stage on a synthetic 100,000-assignment tenant. A measurement, not a timed unit test: it runs only
/// with `ACCESSRISK_BENCH=1` and prints its figures, e.g.
/// `ACCESSRISK_BENCH=1 swift test -c release --filter AnalysisBenchmark`.
@Suite("Analysis benchmark")
struct AnalysisBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ACCESSRISK_BENCH"] != nil))
    func analysisOf100kAssignments() {
        let size = Int(ProcessInfo.processInfo.environment["ACCESSRISK_BENCH_ASSIGNMENTS"] ?? "") ?? 100_000
        let model = SyntheticTenant.build(assignments: size)
        let clock = ContinuousClock()
        let start = clock.now
        let result = RuleEngine.run(model: model, asOf: Timestamp(year: 2026, month: 10, day: 1)!)
        let total = clock.now - start
        print(
            "analysis: \(model.assignments.count) assignments, \(model.memberships.count) memberships, "
                + "\(result.analysis.effectiveGrants.count) effective grants; build \(result.analysisSeconds) s, "
                + "rules \(result.rulesSeconds) s, total \(total); \(result.findings.count) findings")
        #expect(result.analysis.effectiveGrants.count >= model.assignments.count / 2)
    }
}
