import AccessRiskModel
import Foundation

/// `manifest.json`: what was read, what ran, and how long it took (SPEC §7).
public struct Manifest: Encodable, Sendable {
    public struct RuleRun: Encodable, Sendable {
        public var id: String
        public var findings: Int
        public var missingInputs: [String]?

        enum CodingKeys: String, CodingKey {
            case id, findings
            case missingInputs = "missing_inputs"
        }
    }

    public struct Timing: Encodable, Sendable {
        public var stage: String
        public var seconds: Double
    }

    public var toolVersion: String
    public var schemeVersion: String
    public var asOf: String
    public var cycle: String
    public var previousCycle: String?
    public var inputs: [InputSummary]
    public var rowsRead: Int
    public var rowsUsed: Int
    public var rowsRejected: Int
    public var rulesEvaluated: [RuleRun]
    public var rulesNotEvaluated: [RuleRun]
    public var exclusions: [ExclusionNote]
    public var outputs: [String: String]
    public var timings: [Timing]

    enum CodingKeys: String, CodingKey {
        case inputs, cycle, exclusions, outputs, timings
        case toolVersion = "tool_version"
        case schemeVersion = "scheme_version"
        case asOf = "as_of"
        case previousCycle = "previous_cycle"
        case rowsRead = "rows_read"
        case rowsUsed = "rows_used"
        case rowsRejected = "rows_rejected"
        case rulesEvaluated = "rules_evaluated"
        case rulesNotEvaluated = "rules_not_evaluated"
    }

    public init(_ data: ReportData, outputs: [String: String]) {
        toolVersion = data.toolVersion
        schemeVersion = data.schemeVersion
        asOf = data.asOf.isoDate
        cycle = data.cycle
        previousCycle = data.previousCycle
        inputs = data.inputs
        rowsRead = data.inputs.reduce(0) { $0 + $1.rowsRead }
        rowsUsed = data.inputs.reduce(0) { $0 + $1.rowsUsed }
        rowsRejected = data.inputs.reduce(0) { $0 + $1.rowsRejected }
        rulesEvaluated = data.rules.filter(\.evaluated).map { RuleRun(id: $0.id, findings: $0.findings) }
        rulesNotEvaluated = data.rules.filter { !$0.evaluated }.map {
            RuleRun(id: $0.id, findings: 0, missingInputs: $0.missingInputs)
        }
        exclusions = data.exclusions
        self.outputs = outputs
        timings = data.timings.map { Timing(stage: $0.stage, seconds: ($0.seconds * 1000).rounded() / 1000) }
    }
}

enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var bytes = Array(try encoder.encode(value))
        bytes.append(0x0A)
        return bytes
    }
}

/// One entry of `findings.json`: the finding with all its facts, its risk id and how the register scored it.
struct FindingEntry: Encodable {
    var riskId: String
    var ref: String
    var state: String
    var severity: String
    var level: String
    var likelihood: Int
    var impact: Int
    var scoreFactors: String
    var finding: Finding

    enum CodingKeys: String, CodingKey {
        case ref, state, severity, level, likelihood, impact, finding
        case riskId = "risk_id"
        case scoreFactors = "score_factors"
    }
}
