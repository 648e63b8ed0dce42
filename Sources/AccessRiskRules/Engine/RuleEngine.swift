import AccessRiskModel
import Dispatch
import Foundation

/// What happened to one rule in a run.
public enum RuleStatus: Sendable, Equatable {
    case evaluated
    /// The rule could not run; the reason names the missing input (SPEC §4: never "no findings").
    case notEvaluated(reason: String, missingInputs: [InputKind])
    /// The policy turned it off.
    case disabled
}

/// One rule's outcome in a run, in catalogue order.
public struct RuleOutcome: Sendable, Equatable {
    public var ruleId: String
    public var title: String
    public var category: RuleCategory
    public var status: RuleStatus
    /// Findings kept (after exclusions).
    public var findingCount: Int
    /// Findings set aside by exclusions.
    public var excludedCount: Int

    public var isEvaluated: Bool { status == .evaluated }
}

/// A finding set aside by an exclusion; kept in the result so the report lists it (SPEC §8).
public struct ExcludedFinding: Sendable {
    public var finding: Finding
    public var exclusion: Exclusion
}

/// Everything a run of the rules produced.
public struct EngineResult: Sendable {
    /// Findings in a deterministic order: catalogue order of the rules, then subject key.
    public var findings: [Finding]
    /// Findings set aside by exclusions, in the same order, each with its exclusion.
    public var excluded: [ExcludedFinding]
    /// One outcome per rule of the catalogue, in catalogue order.
    public var outcomes: [RuleOutcome]
    /// The policy's exclusions (listed in the report even when they matched nothing).
    public var exclusions: [Exclusion]
    /// The shared analysis, for reports (access-review worksheet) and later stages.
    public var analysis: AccessAnalysis
    /// Seconds spent building the analysis and running the rules.
    public var analysisSeconds: Double
    public var rulesSeconds: Double

    /// The rules that were not evaluated, with their reasons.
    public var notEvaluated: [RuleOutcome] {
        outcomes.filter { if case .notEvaluated = $0.status { true } else { false } }
    }
}

/// Runs every enabled rule over a model (SPEC §4): rules whose inputs are missing are reported as not evaluated
/// with the input named, exclusions are applied and kept visible, and the order of findings is deterministic.
public enum RuleEngine {
    /// Runs `rules` (the whole catalogue by default) on `model` with `policy`, measuring every age from `asOf`.
    /// Rules run in parallel on the available cores; the result does not depend on scheduling. What `prepared`
    /// holds from this model's collections is used, not worked out again; the result is the same without it.
    public static func run(
        model: AccessModel, policy: Policy = Policy(), asOf: Timestamp, rules: [any Rule.Type] = RuleRegistry.all,
        prepared: PreparedAnalysis? = nil
    ) -> EngineResult {
        let clock = ContinuousClock()
        let start = clock.now
        let settings = policy.settings
        // The policy's taxonomy and patterns are compiled, and every asset classified, once for all data rules: on
        // the analysis's worker thread, after its group closures (a third thread would slow the main one, on which
        // most of the analysis is built).
        let classified = Handoff<(ClassificationCatalogue, [AssetClassification])>()
        let analysis = AccessAnalysis(model: model, memberships: prepared?.memberships) {
            let catalogue = ClassificationCatalogue(policy: settings.classificationPolicy)
            classified.set((catalogue, RuleContext.classify(model.assets, catalogue)))
        }
        let shared = SharedRuleFacts()
        // Most access rules read the assignments' traits (see `SharedRuleFacts`): worked out while the assets may
        // still be classified on the analysis's worker, which the rules then wait for.
        if !model.assignments.isEmpty,
            rules.contains(where: {
                $0.description.requiredInputs.contains(.assignments) && policy.isEnabled($0.description.id)
            })
        {
            shared.prepareAssignmentTraits(model, analysis)
        }
        let (classification, assetClassifications) = classified.value()
        let analysed = clock.now
        let results = Parallel.map(rules.count) { i -> (RuleStatus, [Finding]) in
            let rule = rules[i]
            let d = rule.description
            guard policy.isEnabled(d.id) else { return (.disabled, []) }
            let missing = d.requiredInputs.filter { !model.inputsPresent.contains($0) }
            if !missing.isEmpty {
                let names = missing.map(\.rawValue).joined(separator: ", ")
                return (.notEvaluated(reason: "missing input: \(names)", missingInputs: missing), [])
            }
            if let reason = rule.notEvaluatedReason(model) {
                return (.notEvaluated(reason: reason, missingInputs: []), [])
            }
            let context = RuleContext(
                model: model, analysis: analysis, asOf: asOf, thresholds: policy.thresholds(for: d), settings: settings,
                classification: classification, assetClassifications: assetClassifications,
                shared: shared)
            return (.evaluated, Self.orderedUnique(rule.init().evaluate(context)))
        }
        let ran = clock.now

        var findings: [Finding] = []
        var excluded: [ExcludedFinding] = []
        var outcomes: [RuleOutcome] = []
        findings.reserveCapacity(rules.indices.reduce(0) { $0 + results[$1].1.count })
        for (i, rule) in rules.enumerated() {
            let d = rule.description
            let (status, raw) = results[i]
            var kept = 0
            var set = 0
            if policy.exclusions.isEmpty {
                findings += raw
                kept = raw.count
            } else {
                for f in raw {
                    let upn = f.principalId.flatMap { model.principals[$0]?.upn }
                    if let exclusion = policy.exclusions.first(where: { $0.covers(f, principalUPN: upn) }) {
                        excluded.append(ExcludedFinding(finding: f, exclusion: exclusion))
                        set += 1
                    } else {
                        findings.append(f)
                        kept += 1
                    }
                }
            }
            outcomes.append(
                RuleOutcome(
                    ruleId: d.id, title: d.title, category: d.category, status: status, findingCount: kept,
                    excludedCount: set))
        }
        return EngineResult(
            findings: findings, excluded: excluded, outcomes: outcomes, exclusions: policy.exclusions,
            analysis: analysis, analysisSeconds: Self.seconds(start, analysed),
            rulesSeconds: Self.seconds(analysed, ran))
    }

    /// A rule's findings sorted by subject key (through an index: findings are large values), one per subject (a
    /// rule may reach the same subject twice, e.g. through an eligible and an active assignment). Runs on the
    /// worker thread of the rule.
    static func orderedUnique(_ raw: [Finding]) -> [Finding] {
        let order = raw.indices.sorted { raw[$0].subjectKey < raw[$1].subjectKey }
        var out: [Finding] = []
        out.reserveCapacity(raw.count)
        var previous: Int?
        for j in order {
            if let p = previous, raw[p].subjectKey == raw[j].subjectKey { continue }
            previous = j
            out.append(raw[j])
        }
        return out
    }

    static func seconds(_ a: ContinuousClock.Instant, _ b: ContinuousClock.Instant) -> Double {
        let d = b - a
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
