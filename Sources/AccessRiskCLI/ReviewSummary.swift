import AccessRiskImport
import AccessRiskModel
import AccessRiskRegister
import AccessRiskReports
import AccessRiskRules
import Foundation

/// What `review` says at the end: counts by severity and state, the worst five findings, where the reports are.
struct Summary {
    let register: RegisterResult
    let engine: EngineResult
    let imported: ImportResult
    let out: String
    let pseudonymizer: Pseudonymizer?

    var open: [RegisterEntry] { register.entries.filter { $0.row.state != .resolved } }

    var bySeverity: [String: Int] {
        var counts: [String: Int] = [:]
        for s in Severity.allCases { counts[s.rawValue] = 0 }
        for e in open { counts[e.row.severity.rawValue, default: 0] += 1 }
        return counts
    }

    var byState: [String: Int] {
        var counts: [String: Int] = [:]
        for s in RiskState.allCases { counts[s.rawValue] = 0 }
        for (state, n) in register.countsByState { counts[state.rawValue] = n }
        return counts
    }

    var byRule: [String: Int] {
        var counts: [String: Int] = [:]
        for e in open { counts[e.row.ruleId, default: 0] += 1 }
        return counts
    }

    var rowsRejected: Int { imported.files.reduce(0) { $0 + $1.rowsRejected } }

    var text: String {
        var lines: [String] = []
        let severities = Severity.allCases.reversed().map { "\(bySeverity[$0.rawValue] ?? 0) \($0.rawValue)" }
        lines.append("Review \(register.cycle) as of \(register.asOf.isoDate): \(open.count) open risks")
        lines.append("  by severity: " + severities.joined(separator: ", "))
        lines.append(
            "  by state:    "
                + RiskState.allCases.map { "\(byState[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
        let inputs = imported.files.count
        let rows = imported.files.reduce(0) { $0 + $1.rowsRead }
        lines.append(
            "  inputs:      \(inputs) files, \(rows) rows read, \(rowsRejected) rejected"
                + (rowsRejected > 0 ? " (see rejected-rows.csv)" : ""))
        let notEvaluated = engine.notEvaluated
        if !notEvaluated.isEmpty {
            lines.append("  not evaluated: \(notEvaluated.count) rules for lack of an input (see the assessment, §8)")
        }
        let worst = open.prefix(5)
        if !worst.isEmpty {
            lines.append("Worst findings:")
            for e in worst {
                let r = e.row
                let who = pseudonymizer?.name(r.principalName) ?? r.principalName
                let what = [who, r.role, r.resource.isEmpty ? r.scope : r.resource].filter { !$0.isEmpty }
                    .joined(separator: " · ")
                lines.append(
                    "  \(r.ref)  \(r.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(r.ruleId): \(what)"
                )
            }
        }
        lines.append(
            "Reports: \(out)/risk-assessment.md, risk-register.csv, access-review.csv (and findings.json, "
                + "heatmap.svg, manifest.json)")
        return lines.joined(separator: "\n")
    }

    func json(cycle: String, asOf: String) -> String {
        struct Output: Encodable {
            var cycle: String
            var asOf: String
            var out: String
            var openFindings: Int
            var bySeverity: [String: Int]
            var byState: [String: Int]
            var byRule: [String: Int]
            var rulesNotEvaluated: [String]
            var rowsRejected: Int

            enum CodingKeys: String, CodingKey {
                case cycle, out
                case asOf = "as_of"
                case openFindings = "open_findings"
                case bySeverity = "by_severity"
                case byState = "by_state"
                case byRule = "by_rule"
                case rulesNotEvaluated = "rules_not_evaluated"
                case rowsRejected = "rows_rejected"
            }
        }
        let output = Output(
            cycle: cycle, asOf: asOf, out: out, openFindings: open.count, bySeverity: bySeverity, byState: byState,
            byRule: byRule, rulesNotEvaluated: engine.notEvaluated.map(\.ruleId).sorted(), rowsRejected: rowsRejected)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(output)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
