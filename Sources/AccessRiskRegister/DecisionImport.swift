import AccessRiskCSV
import AccessRiskModel

/// What a reviewer-edited file holds for the decision log.
public struct DecisionImportResult: Sendable {
    /// The file's kind: `risk-register` or `access-review`.
    public var kind: String
    /// Valid decisions not yet in the log, in file order.
    public var decisions: [Decision]
    /// Rows that cannot be imported, each naming file, line and column.
    public var problems: [RegisterInputError]
    /// Rows without a decision (empty, `not reviewed`).
    public var undecided: Int
    /// Decisions already in the log (or repeated in the file), skipped.
    public var duplicates: Int
    /// Rows with a valid decision (before duplicates are skipped).
    public var decidedRows: Int
    /// Whether `decisions` were appended to the log (false when problems stopped the import).
    public var appended = false
}

extension Workspace {
    /// Reads, validates and appends the decisions of a reviewer-edited file in one transaction. With problems and
    /// without `partial`, nothing is appended (`appended` is false); with `partial`, the valid rows are.
    public func importDecisions(path: String, partial: Bool, today: Timestamp) throws -> DecisionImportResult {
        var result = try DecisionImport.read(
            path: path, known: try knownRisks(), knownIds: Set(try refs().keys), existing: try decisions(),
            today: today)
        if result.problems.isEmpty || partial {
            try appendDecisions(result.decisions, source: path)
            result.appended = true
        }
        return result
    }
}

/// Reads decisions from a reviewer-edited `risk-register.csv` or `access-review.csv` (SPEC §1, §6, §7) and
/// validates every row against the workspace.
///
/// - `risk-register.csv`: `risk_id`, `decision`, `treatment`, `justification`, `accepted_until`, `decided_by`,
///   `decided_on`, `ticket`.
/// - `access-review.csv`: `risk_ids` (several separated by `;`, `,` or spaces; one decision each), `decision`,
///   `justification`, `reviewer` (→ decided_by), `reviewed_on` (→ decided_on), `ticket`, and, when present,
///   `treatment` and `accepted_until`. A row deciding `approve` or `dont_know` on an assignment without risk ids
///   is left out (the log is keyed by risk id); `revoke` or `modify` there is an error.
///
/// Checks: a known risk id; known decision and treatment words; a reviewer; a valid date (an empty decision date
/// means `today`); an expiry for an acceptance; a justification for approving privileged access.
public enum DecisionImport {
    public static func read(
        path: String, known: [String: KnownRisk], knownIds: Set<String>, existing: [Decision], today: Timestamp
    ) throws(RegisterInputError) -> DecisionImportResult {
        try read(
            source: .file(path: path), displayName: path, known: known, knownIds: knownIds, existing: existing,
            today: today)
    }

    public static func read(
        bytes: [UInt8], displayName: String, known: [String: KnownRisk], knownIds: Set<String>,
        existing: [Decision], today: Timestamp
    ) throws(RegisterInputError) -> DecisionImportResult {
        try read(
            source: .bytes(bytes), displayName: displayName, known: known, knownIds: knownIds, existing: existing,
            today: today)
    }

    static func read(
        source: ByteSource, displayName: String, known: [String: KnownRisk], knownIds: Set<String>,
        existing: [Decision], today: Timestamp
    ) throws(RegisterInputError) -> DecisionImportResult {
        var result = DecisionImportResult(
            kind: "", decisions: [], problems: [], undecided: 0, duplicates: 0, decidedRows: 0)
        var seen = existing
        do {
            let reader = try CSVReader(source: source, displayName: displayName)
            var header: HeaderMap?
            var worksheet = false
            try reader.read { record in
                guard let map = header else {
                    let h = HeaderMap(record.fields)
                    if h.containsAll(["risk_ids"]) {
                        worksheet = true
                        result.kind = "access-review"
                    } else if h.containsAll(["risk_id"]) {
                        result.kind = "risk-register"
                    } else {
                        throw RegisterInputError(
                            file: displayName, line: record.line,
                            message: "neither a risk-register.csv (no risk_id column) nor an access-review.csv"
                                + " (no risk_ids column)")
                    }
                    let needed = worksheet ? ["decision", "reviewer"] : ["decision", "decided_by"]
                    let missing = h.missing(needed)
                    if !missing.isEmpty {
                        throw RegisterInputError(
                            file: displayName, line: record.line,
                            message: "missing column(s) " + missing.joined(separator: ", "))
                    }
                    header = h
                    return
                }
                if record.isBlank { return }
                let cells = RegisterCSV.Cells(
                    lookup: { name in map.column([name]).map { record[$0] } }, file: displayName, line: record.line)
                switch parse(cells, worksheet: worksheet, known: known, knownIds: knownIds, today: today) {
                case .undecided:
                    result.undecided += 1
                case .problems(let p):
                    result.problems += p
                case .decisions(let ds):
                    result.decidedRows += 1
                    for d in ds {
                        if seen.contains(where: { $0.sameContent(as: d) }) {
                            result.duplicates += 1
                        } else {
                            seen.append(d)
                            result.decisions.append(d)
                        }
                    }
                }
            }
            if header == nil { throw RegisterInputError(file: displayName, message: "empty file: no header") }
        } catch {
            throw RegisterInputError.wrapping(error, displayName: displayName)
        }
        return result
    }

    enum Parsed {
        case undecided
        case problems([RegisterInputError])
        case decisions([Decision])
    }

    static func parse(
        _ c: RegisterCSV.Cells, worksheet: Bool, known: [String: KnownRisk], knownIds: Set<String>, today: Timestamp
    ) -> Parsed {
        let decisionText = c.text("decision")
        let treatmentText = c.text("treatment")
        if DecisionKind.isNotReviewed(decisionText) && treatmentText.isEmpty { return .undecided }
        var problems: [RegisterInputError] = []
        var decision: DecisionKind?
        var treatment: Treatment?
        if !DecisionKind.isNotReviewed(decisionText) {
            decision = DecisionKind.parse(decisionText)
            if decision == nil {
                problems.append(
                    c.fail("decision", "\"\(decisionText)\" is not a decision (approve, revoke, modify, dont_know)"))
            }
        }
        if !treatmentText.isEmpty {
            treatment = Treatment.parse(treatmentText)
            if treatment == nil {
                problems.append(
                    c.fail(
                        "treatment", "\"\(treatmentText)\" is not a treatment (mitigate, accept, transfer, avoid)"))
            }
        }
        let byColumn = worksheet ? "reviewer" : "decided_by"
        let onColumn = worksheet ? "reviewed_on" : "decided_on"
        var decidedOn = today.startOfDay
        do {
            if let on = try c.date(onColumn) { decidedOn = on }
        } catch { problems.append(error) }
        var acceptedUntil: Timestamp?
        let untilColumn = ["accepted_until", "acceptance_expiry", "expires_on"].first { c.has($0) } ?? "accepted_until"
        do {
            acceptedUntil = try c.date(untilColumn)
        } catch { problems.append(error) }

        let ids: [String]
        if worksheet {
            ids = c.text("risk_ids").split(whereSeparator: { $0 == ";" || $0 == "," || $0 == " " || $0 == "|" })
                .map(String.init)
            if ids.isEmpty {
                if decision == .revoke || decision == .modify {
                    problems.append(
                        c.fail(
                            "risk_ids",
                            "a \(decision!.rawValue) decision on an assignment without a risk id cannot be recorded"
                                + " (the decision log is keyed by risk id); remove the access by hand"))
                    return .problems(problems)
                }
                return problems.isEmpty ? .undecided : .problems(problems)
            }
        } else {
            ids = [c.text("risk_id")]
        }
        var out: [Decision] = []
        for id in ids {
            guard knownIds.contains(id) else {
                problems.append(
                    c.fail(
                        worksheet ? "risk_ids" : "risk_id",
                        RiskIdentity.isRiskId(id)
                            ? "unknown risk id \(id): not in the workspace" : "\"\(id)\" is not a risk id"))
                continue
            }
            let k = known[id]
            let d = Decision(
                riskId: id, decidedOn: decidedOn, decidedBy: c.text(byColumn), decision: decision,
                treatment: treatment, justification: c.raw("justification").trimmingCharacters(),
                acceptedUntil: acceptedUntil, ticket: c.text("ticket"), cycle: k?.cycle,
                severityAtDecision: k?.severity)
            if problems.isEmpty {
                for p in d.problems(privileged: k?.privileged ?? false) {
                    let column =
                        p.contains("justification")
                        ? "justification"
                        : p.contains("accepted_until") ? untilColumn : p.contains("decided_by") ? byColumn : "decision"
                    problems.append(c.fail(column, "\(id): \(p)"))
                }
            }
            out.append(d)
        }
        return problems.isEmpty ? .decisions(out) : .problems(problems)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
