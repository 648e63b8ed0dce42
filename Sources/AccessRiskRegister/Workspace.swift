import AccessRiskModel
import Foundation
import GRDB

/// One review cycle stored in the workspace.
public struct CycleRecord: Sendable, Hashable {
    public var label: String
    public var asOf: Timestamp
    public var schemeVersion: String
    /// When the cycle was (last) committed, ISO 8601.
    public var createdAt: String
}

/// One input of a review, as the manifest records it (SPEC §7 `manifest.json`).
public struct InputManifestEntry: Sendable, Hashable, Codable {
    public var path: String
    public var sha256: String
    public var format: String
    public var kind: String
    public var rowsRead: Int
    public var rowsUsed: Int
    public var rowsRejected: Int

    public init(
        path: String, sha256: String, format: String, kind: String = "", rowsRead: Int, rowsUsed: Int,
        rowsRejected: Int
    ) {
        self.path = path
        self.sha256 = sha256
        self.format = format
        self.kind = kind
        self.rowsRead = rowsRead
        self.rowsUsed = rowsUsed
        self.rowsRejected = rowsRejected
    }
}

/// What the workspace knows about a risk id from the most recent cycle it appeared in: what decision import
/// validates against.
public struct KnownRisk: Sendable, Hashable {
    public var riskId: String
    public var ref: String
    public var cycle: String
    public var severity: Severity
    public var privileged: Bool
    public var row: RegisterRow
    public var details: RiskDetails
}

/// A workspace failure (cannot open, incompatible, a refused write), naming the database file.
public struct WorkspaceError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}

/// The register's memory across cycles (SPEC §6): an SQLite database `workspace.sqlite` in a directory.
///
/// Schema (migration `v1`):
/// - `cycle(id, label UNIQUE, as_of, scheme_version, created_at, tool_version)`
/// - `register_row(cycle_id → cycle, risk_id, <every risk-register.csv column as text>, details_json,
///   finding_json, resolved_this_cycle, lapse)`, primary key `(cycle_id, risk_id)`: each cycle's register, resolved rows included, with the
///   finding behind each row.
/// - `risk_ref(risk_id PRIMARY KEY, ref UNIQUE, number UNIQUE, first_cycle)`: references, given once, never reused.
/// - `decision(seq AUTOINCREMENT, risk_id, decided_on, decided_by, decision, treatment, justification,
///   accepted_until, ticket, cycle, severity_at_decision, source, recorded_at)`: append-only; triggers refuse
///   UPDATE and DELETE.
/// - `input_file(cycle_id → cycle, path, sha256, format, kind, rows_read, rows_used, rows_rejected)`.
///
/// Every write is one transaction: a crash or an error leaves the previous state intact.
public final class Workspace: Sendable {
    public static let fileName = "workspace.sqlite"
    public static let defaultDirectory = ".accessrisk"

    public let directory: String
    public let path: String
    let queue: DatabaseQueue

    init(directory: String, path: String, queue: DatabaseQueue) {
        self.directory = directory
        self.path = path
        self.queue = queue
    }

    /// Opens (creating the directory and database when `create` is true) and migrates the workspace.
    public static func open(directory: String, create: Bool = true) throws(WorkspaceError) -> Workspace {
        try open(directory: directory, create: create, cachePages: nil)
    }

    static func open(directory: String, create: Bool, cachePages: Int?) throws(WorkspaceError) -> Workspace {
        let path = (directory.hasSuffix("/") ? String(directory.dropLast()) : directory) + "/" + fileName
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            guard create else { throw WorkspaceError(path: path, message: "no workspace here") }
            do {
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw WorkspaceError(path: directory, message: "cannot create the workspace directory: \(error)")
            }
        }
        var config = Configuration()
        config.label = "accessrisk-workspace"
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            if let cachePages { try db.execute(sql: "PRAGMA cache_size = \(cachePages)") }
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try migrator.migrate(queue)
            return Workspace(directory: directory, path: path, queue: queue)
        } catch {
            throw WorkspaceError(path: path, message: "cannot open the workspace: \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE cycle (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        label TEXT NOT NULL UNIQUE,
                        as_of TEXT NOT NULL,
                        scheme_version TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        tool_version TEXT NOT NULL DEFAULT ''
                    );
                    CREATE TABLE risk_ref (
                        risk_id TEXT PRIMARY KEY,
                        ref TEXT NOT NULL UNIQUE,
                        number INTEGER NOT NULL UNIQUE,
                        first_cycle TEXT NOT NULL
                    );
                    CREATE TABLE decision (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        risk_id TEXT NOT NULL,
                        decided_on TEXT NOT NULL,
                        decided_by TEXT NOT NULL,
                        decision TEXT,
                        treatment TEXT,
                        justification TEXT NOT NULL DEFAULT '',
                        accepted_until TEXT,
                        ticket TEXT NOT NULL DEFAULT '',
                        cycle TEXT,
                        severity_at_decision TEXT,
                        source TEXT NOT NULL DEFAULT '',
                        recorded_at TEXT NOT NULL
                    );
                    CREATE INDEX decision_risk ON decision(risk_id);
                    CREATE TRIGGER decision_no_update BEFORE UPDATE ON decision
                        BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
                    CREATE TRIGGER decision_no_delete BEFORE DELETE ON decision
                        BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
                    CREATE TABLE input_file (
                        cycle_id INTEGER NOT NULL REFERENCES cycle(id) ON DELETE CASCADE,
                        path TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        format TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        rows_read INTEGER NOT NULL,
                        rows_used INTEGER NOT NULL,
                        rows_rejected INTEGER NOT NULL,
                        PRIMARY KEY (cycle_id, path)
                    );
                    """)
            let columns = RegisterRow.columns.map { "\($0) TEXT NOT NULL" }.joined(separator: ", ")
            try db.execute(
                sql: """
                    CREATE TABLE register_row (
                        cycle_id INTEGER NOT NULL REFERENCES cycle(id) ON DELETE CASCADE,
                        \(columns),
                        details_json TEXT NOT NULL,
                        finding_json TEXT,
                        resolved_this_cycle INTEGER NOT NULL DEFAULT 0,
                        lapse TEXT,
                        PRIMARY KEY (cycle_id, risk_id)
                    );
                    """)
        }
        return m
    }

    // MARK: - Reading

    public func cycles() throws(WorkspaceError) -> [CycleRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM cycle ORDER BY as_of, id").map(Self.cycle)
        }
    }

    public func cycle(label: String) throws(WorkspaceError) -> CycleRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM cycle WHERE label = ?", arguments: [label]).map(Self.cycle)
        }
    }

    /// The most recent cycle (by as-of date, then by when it was first committed).
    public func latestCycle() throws(WorkspaceError) -> CycleRecord? {
        try cycles().last
    }

    /// The cycle a review labelled `label` as of `asOf` builds on: the most recent other cycle not after `asOf`.
    public func previousCycle(before label: String, asOf: Timestamp) throws(WorkspaceError) -> CycleRecord? {
        try cycles().last { $0.label != label && $0.asOf.dayNumber <= asOf.dayNumber }
    }

    public func registerRows(cycle label: String) throws(WorkspaceError) -> [RegisterRow] {
        try entries(cycle: label).map(\.row)
    }

    /// The stored register of a cycle, in its register order, with details and findings.
    public func entries(cycle label: String) throws(WorkspaceError) -> [RegisterEntry] {
        try entries(cycle: label, withFindings: true)
    }

    /// `withFindings: false` skips decoding the stored findings (their `finding` is nil).
    func entries(cycle label: String, withFindings: Bool) throws(WorkspaceError) -> [RegisterEntry] {
        let path = self.path
        let findingColumn = withFindings ? "r.finding_json" : "NULL"
        let columns = (RegisterRow.columns + ["details_json", "resolved_this_cycle", "lapse"]).map { "r." + $0 }
            .joined(separator: ", ")
        return try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(columns), \(findingColumn) AS stored_finding FROM register_row r JOIN cycle c ON c.id = r.cycle_id
                    WHERE c.label = ? ORDER BY r.rowid
                    """, arguments: [label])
            let decoder = JSONDecoder()
            return try rows.map { row in
                let cells = RegisterCSV.Cells(
                    lookup: { name in row[name] as String? }, file: path, line: nil)
                let registerRow = try RegisterCSV.parseRow(cells)
                let details = try decoder.decode(RiskDetails.self, from: Data((row["details_json"] as String).utf8))
                let finding = try (row["stored_finding"] as String?).map {
                    try decoder.decode(Finding.self, from: Data($0.utf8))
                }
                return RegisterEntry(
                    row: registerRow, finding: finding, details: details,
                    resolvedThisCycle: row["resolved_this_cycle"] as Bool,
                    lapse: (row["lapse"] as String?).flatMap(DecisionLapse.init))
            }
        }
    }

    /// Every reference ever given (risk id → ref).
    public func refs() throws(WorkspaceError) -> [String: String] {
        try read { db in
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT risk_id, ref FROM risk_ref") {
                out[row["risk_id"]] = row["ref"] as String
            }
            return out
        }
    }

    /// The previous state for a review labelled `label` as of `asOf` (nil when there is no earlier cycle).
    public func previousState(before label: String, asOf: Timestamp) throws(WorkspaceError) -> PreviousState? {
        guard let prior = try previousCycle(before: label, asOf: asOf) else {
            let refs = try refs()
            return refs.isEmpty ? nil : PreviousState(rows: [], refs: refs)
        }
        let entries = try entries(cycle: prior.label)
        var details: [String: RiskDetails] = [:]
        for e in entries { details[e.row.riskId] = e.details }
        return PreviousState(
            cycle: prior.label, asOf: prior.asOf, rows: entries.map(\.row), details: details, refs: try refs())
    }

    /// The whole decision log, in log order.
    public func decisions() throws(WorkspaceError) -> [Decision] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM decision ORDER BY seq").map { row in
                Decision(
                    riskId: row["risk_id"], decidedOn: Self.date(row["decided_on"]) ?? Timestamp(secondsSinceEpoch: 0),
                    decidedBy: row["decided_by"], decision: (row["decision"] as String?).flatMap(DecisionKind.init),
                    treatment: (row["treatment"] as String?).flatMap(Treatment.init),
                    justification: row["justification"], acceptedUntil: Self.date(row["accepted_until"]),
                    ticket: row["ticket"], cycle: row["cycle"],
                    severityAtDecision: (row["severity_at_decision"] as String?).flatMap(Severity.init),
                    sequence: row["seq"])
            }
        }
    }

    /// Every risk id the workspace has seen, with its row from the most recent cycle it appears in.
    public func knownRisks() throws(WorkspaceError) -> [String: KnownRisk] {
        var out: [String: KnownRisk] = [:]
        let wanted = try refs().count
        // Newest first; resolved rows are carried, so the latest cycle usually holds every risk.
        for cycle in try cycles().reversed() where out.count < wanted {
            for e in try entries(cycle: cycle.label, withFindings: false) where out[e.row.riskId] == nil {
                out[e.row.riskId] = KnownRisk(
                    riskId: e.row.riskId, ref: e.row.ref, cycle: cycle.label, severity: e.row.severity,
                    privileged: e.details.privileged, row: e.row, details: e.details)
            }
        }
        return out
    }

    public func inputs(cycle label: String) throws(WorkspaceError) -> [InputManifestEntry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT i.* FROM input_file i JOIN cycle c ON c.id = i.cycle_id WHERE c.label = ? ORDER BY i.path
                    """, arguments: [label]
            ).map { row in
                InputManifestEntry(
                    path: row["path"], sha256: row["sha256"], format: row["format"], kind: row["kind"],
                    rowsRead: row["rows_read"], rowsUsed: row["rows_used"], rowsRejected: row["rows_rejected"])
            }
        }
    }

    // MARK: - Writing

    /// Stores a cycle's register, its new references and its input manifest in one transaction. Committing a
    /// label again replaces that cycle's rows and manifest (a re-run); references and decisions are never removed.
    public func commitCycle(
        _ result: RegisterResult, inputs: [InputManifestEntry] = [], toolVersion: String = ""
    ) throws(WorkspaceError) {
        try commitCycle(result, inputs: inputs, toolVersion: toolVersion, beforeCommit: nil)
    }

    func commitCycle(
        _ result: RegisterResult, inputs: [InputManifestEntry], toolVersion: String,
        beforeCommit: ((Database) throws -> Void)?
    ) throws(WorkspaceError) {
        let now = Self.now()
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO cycle(label, as_of, scheme_version, created_at, tool_version) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(label) DO UPDATE SET as_of = excluded.as_of, scheme_version = excluded.scheme_version,
                    created_at = excluded.created_at, tool_version = excluded.tool_version
                    """,
                arguments: [result.cycle, result.asOf.isoDate, result.schemeVersion, now, toolVersion])
            let cycleId =
                try Int64.fetchOne(db, sql: "SELECT id FROM cycle WHERE label = ?", arguments: [result.cycle]) ?? 0
            try db.execute(sql: "DELETE FROM register_row WHERE cycle_id = ?", arguments: [cycleId])
            try db.execute(sql: "DELETE FROM input_file WHERE cycle_id = ?", arguments: [cycleId])

            let known = try Self.allRefs(db)
            let refInsert = try db.cachedStatement(
                sql: "INSERT INTO risk_ref(risk_id, ref, number, first_cycle) VALUES (?, ?, ?, ?)")
            for e in result.entries {
                if let existing = known[e.row.riskId] {
                    guard existing == e.row.ref else {
                        throw WorkspaceError(
                            path: "",
                            message: "\(e.row.riskId) has reference \(existing), the register says \(e.row.ref)")
                    }
                    continue
                }
                guard let number = RiskIdentity.refNumber(e.row.ref) else {
                    throw WorkspaceError(path: "", message: "\(e.row.riskId) has no reference")
                }
                try refInsert.execute(arguments: [e.row.riskId, e.row.ref, number, result.cycle])
            }

            let names = RegisterRow.columns + ["details_json", "finding_json", "resolved_this_cycle", "lapse"]
            let placeholders = Array(repeating: "?", count: names.count + 1).joined(separator: ", ")
            let rowInsert = try db.cachedStatement(
                sql: "INSERT INTO register_row(cycle_id, \(names.joined(separator: ", "))) VALUES (\(placeholders))")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for e in result.entries {
                var values: [(any DatabaseValueConvertible)?] = [cycleId]
                values += e.row.cells.map { $0 }
                values.append(String(decoding: try encoder.encode(e.details), as: UTF8.self))
                values.append(try e.finding.map { String(decoding: try encoder.encode($0), as: UTF8.self) })
                values.append(e.resolvedThisCycle)
                values.append(e.lapse?.rawValue)
                try rowInsert.execute(arguments: StatementArguments(values))
            }

            let inputInsert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO input_file(cycle_id, path, sha256, format, kind, rows_read, rows_used,
                    rows_rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for i in inputs {
                try inputInsert.execute(arguments: [
                    cycleId, i.path, i.sha256, i.format, i.kind, i.rowsRead, i.rowsUsed, i.rowsRejected,
                ])
            }
            try beforeCommit?(db)
        }
    }

    /// Appends decisions to the log in one transaction (all or none). `source` says where they came from. Each is
    /// checked first (``Decision/problems(privileged:)``, with what the workspace knows of the risk): an invalid
    /// one refuses the whole batch.
    public func appendDecisions(_ decisions: [Decision], source: String = "") throws(WorkspaceError) {
        if decisions.isEmpty { return }
        let known = try knownRisks()
        var refused: [String] = []
        for d in decisions {
            refused += d.problems(privileged: known[d.riskId]?.privileged ?? false).map { "\(d.riskId): \($0)" }
        }
        if !refused.isEmpty {
            throw WorkspaceError(path: path, message: "decisions refused: " + refused.joined(separator: "; "))
        }
        let now = Self.now()
        try write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO decision(risk_id, decided_on, decided_by, decision, treatment, justification,
                    accepted_until, ticket, cycle, severity_at_decision, source, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for d in decisions {
                try insert.execute(arguments: [
                    d.riskId, d.decidedOn.isoDate, d.decidedBy, d.decision?.rawValue, d.treatment?.rawValue,
                    d.justification, d.acceptedUntil?.isoDate, d.ticket, d.cycle, d.severityAtDecision?.rawValue,
                    source, now,
                ])
            }
        }
    }

    // MARK: - Helpers

    func read<T>(_ body: (Database) throws -> T) throws(WorkspaceError) -> T {
        do {
            return try queue.read(body)
        } catch let e as WorkspaceError {
            throw WorkspaceError(path: path, message: e.message)
        } catch {
            throw WorkspaceError(path: path, message: "\(error)")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(WorkspaceError) -> T {
        do {
            return try queue.write(body)
        } catch let e as WorkspaceError {
            throw WorkspaceError(path: path, message: e.message)
        } catch {
            throw WorkspaceError(path: path, message: "\(error)")
        }
    }

    static func allRefs(_ db: Database) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT risk_id, ref FROM risk_ref") { out[row["risk_id"]] = row["ref"] }
        return out
    }

    static func cycle(_ row: Row) -> CycleRecord {
        CycleRecord(
            label: row["label"], asOf: date(row["as_of"]) ?? Timestamp(secondsSinceEpoch: 0),
            schemeVersion: row["scheme_version"], createdAt: row["created_at"])
    }

    static func date(_ text: String?) -> Timestamp? {
        guard let text else { return nil }
        return try? DateParsing.parseOptional(text)
    }

    static func now() -> String {
        Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).isoDateTime
    }
}

extension Workspace {
    /// The whole register step of `review` with a workspace: the previous cycle and the decision log from the
    /// workspace, ``RegisterBuilder/build(findings:cycle:asOf:previous:decisions:slaProfile:assignmentIds:presentGrantKeys:)``,
    /// then one ``commitCycle(_:inputs:toolVersion:)`` transaction. Returns what was committed.
    public func reviewCycle(
        findings: [Finding], cycle: String, asOf: Timestamp, slaProfile: SLAProfile = .standard,
        assignmentIds: [String: String] = [:], presentGrantKeys: Set<String>? = nil,
        inputs: [InputManifestEntry] = [], toolVersion: String = ""
    ) throws(WorkspaceError) -> RegisterResult {
        let result = RegisterBuilder.build(
            findings: findings, cycle: cycle, asOf: asOf, previous: try previousState(before: cycle, asOf: asOf),
            decisions: try decisions(), slaProfile: slaProfile, assignmentIds: assignmentIds,
            presentGrantKeys: presentGrantKeys)
        try commitCycle(result, inputs: inputs, toolVersion: toolVersion)
        return result
    }
}

/// One cycle's totals, for trends across cycles.
public struct CycleSummary: Sendable, Hashable {
    public var cycle: CycleRecord
    /// Risks present in the cycle by severity (resolved ones left out).
    public var bySeverity: [Severity: Int]
    /// Risks by state; `resolved` counts only those resolved in that cycle.
    public var byState: [RiskState: Int]
    /// Present risks still needing action (status `open` or `needs-review`).
    public var open: Int
}

extension Workspace {
    /// Totals of every cycle, oldest first (SPEC §6: history and trends without keeping old CSVs).
    public func cycleSummaries() throws(WorkspaceError) -> [CycleSummary] {
        let all = try cycles()
        return try read { db in
            var out: [String: CycleSummary] = [:]
            for c in all { out[c.label] = CycleSummary(cycle: c, bySeverity: [:], byState: [:], open: 0) }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.label AS label, r.state AS state, r.severity AS severity, r.status AS status,
                    r.resolved_this_cycle AS resolved_now, COUNT(*) AS n
                    FROM register_row r JOIN cycle c ON c.id = r.cycle_id
                    GROUP BY c.label, r.state, r.severity, r.status, r.resolved_this_cycle
                    """)
            for row in rows {
                let label: String = row["label"]
                let n: Int = row["n"]
                guard let state = RiskState(rawValue: row["state"]), let severity = Severity(rawValue: row["severity"])
                else { continue }
                if state != .resolved {
                    out[label]?.bySeverity[severity, default: 0] += n
                    if RiskStatus(rawValue: row["status"])?.isOpen == true { out[label]?.open += n }
                }
                if state != .resolved || row["resolved_now"] as Bool {
                    out[label]?.byState[state, default: 0] += n
                }
            }
            return all.compactMap { out[$0.label] }
        }
    }
}
