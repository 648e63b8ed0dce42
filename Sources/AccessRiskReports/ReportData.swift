import AccessRiskModel
import AccessRiskRegister

/// Whether a rule ran, and if not, which inputs it lacked.
public struct RuleStatusNote: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var category: RuleCategory
    public var rationale: String
    public var evaluated: Bool
    public var missingInputs: [String]
    public var findings: Int

    public init(
        id: String, title: String, category: RuleCategory, rationale: String, evaluated: Bool,
        missingInputs: [String], findings: Int
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.rationale = rationale
        self.evaluated = evaluated
        self.missingInputs = missingInputs
        self.findings = findings
    }
}

/// One input file as the manifest and the appendix list it.
public struct InputSummary: Sendable, Hashable, Codable {
    public var path: String
    public var sha256: String
    public var format: String
    public var kind: String
    public var rowsRead: Int
    public var rowsUsed: Int
    public var rowsRejected: Int
    public var duplicates: Int

    public init(
        path: String, sha256: String, format: String, kind: String, rowsRead: Int, rowsUsed: Int, rowsRejected: Int,
        duplicates: Int
    ) {
        self.path = path
        self.sha256 = sha256
        self.format = format
        self.kind = kind
        self.rowsRead = rowsRead
        self.rowsUsed = rowsUsed
        self.rowsRejected = rowsRejected
        self.duplicates = duplicates
    }

    enum CodingKeys: String, CodingKey {
        case path, sha256, format, kind, duplicates
        case rowsRead = "rows_read"
        case rowsUsed = "rows_used"
        case rowsRejected = "rows_rejected"
    }
}

/// An input row that was not used.
public struct RejectedRowNote: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var column: String
    public var reason: String

    public init(file: String, line: Int, column: String, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }
}

/// A principal the policy excludes from findings (break-glass accounts), kept visible in the report.
public struct ExclusionNote: Sendable, Hashable, Codable {
    public var principal: String
    public var reason: String
    public var suppressedFindings: Int

    enum CodingKeys: String, CodingKey {
        case principal, reason
        case suppressedFindings = "suppressed_findings"
    }

    public init(principal: String, reason: String, suppressedFindings: Int) {
        self.principal = principal
        self.reason = reason
        self.suppressedFindings = suppressedFindings
    }
}

/// Everything `review` hands the reports.
public struct ReportData: Sendable {
    public var toolVersion: String
    public var schemeVersion: String
    public var cycle: String
    public var previousCycle: String?
    public var asOf: Timestamp
    public var inputs: [InputSummary]
    /// The register of this cycle, resolved risks included.
    public var risks: [RegisterRow]
    /// Findings of this cycle with their risk id (findings.json).
    public var findings: [(riskId: String, finding: Finding)]
    public var rules: [RuleStatusNote]
    public var exclusions: [ExclusionNote]
    public var rejectedRows: [RejectedRowNote]
    public var accessReview: AccessReviewSource
    public var model: AccessModel
    /// Seconds per stage, for the manifest only (never in other files, so they stay byte-identical).
    public var timings: [(stage: String, seconds: Double)]

    public init(
        toolVersion: String, schemeVersion: String, cycle: String, previousCycle: String?, asOf: Timestamp,
        inputs: [InputSummary], risks: [RegisterRow], findings: [(riskId: String, finding: Finding)],
        rules: [RuleStatusNote], exclusions: [ExclusionNote], rejectedRows: [RejectedRowNote],
        accessReview: AccessReviewSource, model: AccessModel, timings: [(stage: String, seconds: Double)]
    ) {
        self.toolVersion = toolVersion
        self.schemeVersion = schemeVersion
        self.cycle = cycle
        self.previousCycle = previousCycle
        self.asOf = asOf
        self.inputs = inputs
        self.risks = risks
        self.findings = findings
        self.rules = rules
        self.exclusions = exclusions
        self.rejectedRows = rejectedRows
        self.accessReview = accessReview
        self.model = model
        self.timings = timings
    }

    /// Open risks (not resolved), worst first.
    public var openRisks: [RegisterRow] { risks.filter(\.isPresent).sorted(by: ReportData.worstFirst) }

    /// Severity descending, then likelihood × impact descending, then risk id.
    public static func worstFirst(_ a: RegisterRow, _ b: RegisterRow) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.likelihood * a.impact != b.likelihood * b.impact {
            return a.likelihood * a.impact > b.likelihood * b.impact
        }
        return a.riskId < b.riskId
    }
}

extension RegisterRow {
    /// Present in this cycle (every state but `resolved`).
    public var isPresent: Bool { state != .resolved }

    /// The row as SPEC §7 column → cell.
    public var columnValues: [String: String] { Dictionary(uniqueKeysWithValues: zip(Self.columns, cells)) }
}
