import AccessRiskCSV
import AccessRiskModel

/// A problem in a file the register reads (a register CSV, a reviewer worksheet), naming file, line and column.
public struct RegisterInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += " (column \(column))" }
        return "\(location): \(message)"
    }
}

extension RegisterInputError {
    /// Any error met while reading a reviewer's file, as a RegisterInputError naming file, line and column.
    static func wrapping(_ error: any Error, displayName: String) -> RegisterInputError {
        if let e = error as? RegisterInputError { return e }
        if let e = error as? CSVError {
            return RegisterInputError(
                file: e.file, line: e.line, column: e.column.map { String($0) }, message: e.message)
        }
        return RegisterInputError(file: displayName, message: "\(error)")
    }
}

/// Writing and reading `risk-register.csv` (SPEC §7).
public enum RegisterCSV {
    /// The spreadsheet-safe bytes of a register: header, then one row per risk; RFC 4180 quoting, CRLF, BOM unless
    /// `includeBOM` is false, formula-like cells prefixed with `'`.
    public static func bytes(_ rows: [RegisterRow], includeBOM: Bool = true) -> [UInt8] {
        var writer = CSVWriter(includeBOM: includeBOM)
        writer.writeRow(RegisterRow.columns)
        for row in rows { writer.writeRow(row.cells) }
        return writer.bytes
    }

    /// Writes the register atomically (temporary file, then rename).
    public static func write(_ rows: [RegisterRow], to path: String, includeBOM: Bool = true) throws(FileWriteError) {
        try AtomicFile.write(bytes(rows, includeBOM: includeBOM), to: path)
    }

    /// Reads a register written by ``write(_:to:includeBOM:)``, also after a spreadsheet re-saved it (BOM or not,
    /// `,` or `;`, CRLF or LF, UTF-16, US or ISO dates). The `'` put before formula-like cells is removed.
    public static func read(path: String) throws(RegisterInputError) -> [RegisterRow] {
        try read(source: .file(path: path), displayName: path)
    }

    public static func read(bytes: [UInt8], displayName: String) throws(RegisterInputError) -> [RegisterRow] {
        try read(source: .bytes(bytes), displayName: displayName)
    }

    static let required = ["risk_id", "ref", "state", "rule_id", "severity", "first_seen"]

    static func read(source: ByteSource, displayName: String) throws(RegisterInputError) -> [RegisterRow] {
        var rows: [RegisterRow] = []
        do {
            let reader = try CSVReader(source: source, displayName: displayName)
            var header: HeaderMap?
            try reader.read { record in
                guard let map = header else {
                    let h = HeaderMap(record.fields)
                    let missing = h.missing(required)
                    if !missing.isEmpty {
                        throw RegisterInputError(
                            file: displayName, line: record.line,
                            message: "not a risk register: missing column(s) " + missing.joined(separator: ", "))
                    }
                    header = h
                    return
                }
                if record.isBlank { return }
                rows.append(try parseRow(record, map, displayName))
            }
            if header == nil { throw RegisterInputError(file: displayName, message: "empty file: no header") }
        } catch {
            throw RegisterInputError.wrapping(error, displayName: displayName)
        }
        return rows
    }

    /// A row's cells by column name, with the `'` neutralisation undone and surrounding spaces trimmed.
    struct Cells {
        /// The raw cell of a column; nil when the column is absent.
        let lookup: (String) -> String?
        let file: String
        let line: Int?

        func has(_ name: String) -> Bool { lookup(name) != nil }

        func text(_ name: String) -> String {
            String(raw(name).trimmingSpaces)
        }

        /// The cell verbatim apart from the neutralisation (free text keeps its spaces).
        func raw(_ name: String) -> String {
            CSVWriter.unneutralize(lookup(name) ?? "")
        }

        func fail(_ name: String, _ message: String) -> RegisterInputError {
            RegisterInputError(file: file, line: line, column: name, message: message)
        }

        func date(_ name: String) throws(RegisterInputError) -> Timestamp? {
            let t = text(name)
            do {
                return try DateParsing.parseOptional(t)?.startOfDay
            } catch {
                throw fail(name, error.description)
            }
        }

        func int(_ name: String) throws(RegisterInputError) -> Int {
            let t = text(name)
            guard let n = Int(t), (1...5).contains(n) else { throw fail(name, "\"\(t)\" is not a number 1-5") }
            return n
        }

        func value<T>(_ name: String, _ parse: (String) -> T?, _ expected: String) throws(RegisterInputError) -> T? {
            let t = text(name)
            if t.isEmpty { return nil }
            guard let v = parse(t) else { throw fail(name, "\"\(t)\" is not \(expected)") }
            return v
        }
    }

    static func parseRow(_ record: CSVRow, _ map: HeaderMap, _ file: String) throws(RegisterInputError) -> RegisterRow {
        let cells = Cells(
            lookup: { name in map.column([name]).map { record[$0] } }, file: file, line: record.line)
        return try parseRow(cells)
    }

    static func parseRow(_ c: Cells) throws(RegisterInputError) -> RegisterRow {
        let riskId = c.text("risk_id")
        guard RiskIdentity.isRiskId(riskId) else { throw c.fail("risk_id", "\"\(riskId)\" is not a risk id") }
        guard let state = try c.value("state", { RiskState(rawValue: $0.lowercased()) }, "a state") else {
            throw c.fail("state", "missing")
        }
        guard let severity = try c.value("severity", { Severity(rawValue: $0.lowercased()) }, "a severity") else {
            throw c.fail("severity", "missing")
        }
        guard let firstSeen = try c.date("first_seen") else { throw c.fail("first_seen", "missing") }
        let likelihood = c.has("likelihood") ? try c.int("likelihood") : 1
        let impact = c.has("impact") ? try c.int("impact") : 1
        let level =
            try c.value("level", RiskLevel.parse, "a level (Very Low … Very High)")
            ?? RiskMatrix.level(likelihood: .clamped(likelihood), impact: .clamped(impact))
        let controls = c.text("controls").split(separator: ";").map { String($0.trimmingSpaces) }.filter {
            !$0.isEmpty
        }
        return RegisterRow(
            riskId: riskId, ref: c.text("ref"), cycle: c.text("cycle"), state: state, ruleId: c.text("rule_id"),
            category: c.text("category"), title: c.raw("title"), severity: severity, level: level,
            likelihood: likelihood, impact: impact, scoreFactors: c.raw("score_factors"),
            principalId: c.text("principal_id"), principalName: c.raw("principal_name"),
            principalType: c.text("principal_type"), role: c.raw("role"), scope: c.text("scope"),
            scopeLevel: c.text("scope_level"), resource: c.text("resource"), asset: c.text("asset"),
            label: c.raw("label"), evidence: c.raw("evidence"), controls: controls, firstSeen: firstSeen,
            lastSeen: try c.date("last_seen") ?? firstSeen, dueDate: try c.date("due_date"),
            slaStatus: try c.value("sla_status", { SLAStatus(rawValue: $0.lowercased()) }, "an SLA status"),
            decision: try c.value("decision", DecisionKind.parse, "a decision (approve, revoke, modify, dont_know)"),
            treatment: try c.value("treatment", Treatment.parse, "a treatment (mitigate, accept, transfer, avoid)"),
            justification: c.raw("justification"), acceptedUntil: try c.date("accepted_until"),
            decidedBy: c.text("decided_by"), decidedOn: try c.date("decided_on"), ticket: c.text("ticket"),
            status: try c.value("status", { RiskStatus(rawValue: $0.lowercased()) }, "a status") ?? .open,
            schemeVersion: c.text("scheme_version").isEmpty ? RiskMatrix.schemeVersion : c.text("scheme_version"))
    }
}
