import AccessRiskImport
import AccessRiskModel
import AccessRiskRegister
import AccessRiskReports
import AccessRiskRules
import ArgumentParser
import Foundation

extension Severity: ExpressibleByArgument {}

/// `accessrisk review`: import, analyse, score, merge with the previous cycle, write the reports (SPEC §1).
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Import, analyse, score, merge with the previous cycle, write the reports.",
        discussion: """
            Exit codes: 0 done; 1 a finding at or above --fail-on is open; 2 bad input or configuration; 64 usage.
            """)

    @Argument(help: "Input files or directories (searched recursively; each file recognised by its header).")
    var inputs: [String]
    @Option(help: "Where the reports go (created if missing).") var out = "./accessrisk-report"
    @Option(help: "The register's memory across cycles (an SQLite database inside).") var workspace = "./.accessrisk"
    @Flag(help: "Stateless run: no history, no cycle diff unless --previous.") var noWorkspace = false
    @Option(help: "A register CSV of the previous cycle, used instead of (or without) a workspace.")
    var previous: String?
    @Option(help: "Policy file (JSON or YAML): thresholds, exclusions, taxonomy, SLA profile.") var policy: String?
    @Option(help: "The date the review is run (ISO 8601); every age is measured from it. Default: today (UTC).")
    var asOf: String?
    @Option(help: "Name of this review cycle. Default: the quarter of --as-of, e.g. 2026-Q4.") var cycle: String?
    @Option(help: "Exit 1 when a finding at or above this severity is open (info|low|medium|high|critical).")
    var failOn: Severity?
    @Option(help: "A folder of Mustache templates overriding the built-in ones by file name.") var templates: String?
    @Flag(help: "No progress and no summary on the terminal.") var quiet = false
    @Flag(help: "One JSON summary object on standard output.") var json = false
    @Option(help: "Replace principal names and UPNs in every output by a keyed HMAC.") var pseudonymize: String?
    @Flag(help: "Write the CSV files without a UTF-8 byte-order mark.") var noBom = false

    func validate() throws {
        if noWorkspace && workspace != "./.accessrisk" {
            throw ValidationError("--workspace and --no-workspace cannot be used together")
        }
        if let key = pseudonymize, key.count < 8 {
            throw ValidationError("--pseudonymize needs a key of at least 8 characters")
        }
    }

    func run() throws {
        do {
            try review()
        } catch {
            try exitOnBadInput(error)
        }
    }

    /// The review date: --as-of, or today in UTC.
    static func reviewDate(_ text: String?) throws -> Timestamp {
        guard let text else { return Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)).startOfDay }
        guard let date = try? DateParsing.parse(text) else {
            throw ValidationError("--as-of \(text): not an ISO 8601 date (e.g. 2026-11-15)")
        }
        return date.startOfDay
    }

    /// `2026-Q4` for a date in October to December 2026.
    static func quarter(of date: Timestamp) -> String {
        let c = date.components
        return "\(c.year)-Q\((c.month - 1) / 3 + 1)"
    }

    func review() throws {
        let clock = ContinuousClock()
        var timings: [(stage: String, seconds: Double)] = []
        func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        let date = try Self.reviewDate(asOf)
        let cycleLabel = cycle ?? Self.quarter(of: date)
        let loadedPolicy =
            try policy.map { path throws -> Policy in
                do {
                    return try Policy.load(path: path)
                } catch {
                    printError("\(error)")
                    throw ExitCodes.badInput
                }
            } ?? Policy()
        let reportTemplates: ReportTemplates
        do {
            reportTemplates = try ReportTemplates(overrideDirectory: templates)
        } catch {
            printError("accessrisk review: \(error)")
            throw ExitCodes.badInput
        }
        let progress = Progress(enabled: !quiet && !json)

        // 1. Import.
        var started = clock.now
        let paths: [String]
        do {
            paths = try Importer.expandInputs(inputs)
        } catch {
            printError("accessrisk review: \(error)")
            throw ExitCodes.badInput
        }
        progress.say("Importing \(paths.count) file\(paths.count == 1 ? "" : "s")…")
        let bar = ProgressBar.make(enabled: !quiet && !json)
        var importOptions = ImportOptions(dateLocale: loadedPolicy.dateLocale)
        if let bar {
            importOptions.progress = { @Sendable progress in bar.update(progress) }
        }
        // Input hashes for the manifest are computed beside the import, a file at a time (the largest first), on
        // the core it leaves idle while its largest group of files is still being read, and on both cores once that
        // group is done: one piece for all of them kept one core hashing while the other had nothing left to read.
        let hashing = HashResults()
        let bySize = paths.map { ($0, Importer.fileSize($0)) }.sorted { $0.1 > $1.1 }
        importOptions.alongside = bySize.map { path, _ in
            { hashing.set(path, Result { try FileHash.sha256(path: path) }) }
        }
        // The analysis's index of the memberships is made on the core that read them, as soon as they are read:
        // the other core still reads the assignments then.
        let prepared = PreparedAnalysis()
        importOptions.partRead = { part in prepared.prepare(part) }
        let imported = try Importer.importFiles(paths, options: importOptions)
        let unreadable = imported.unreadableFiles
        if !unreadable.isEmpty {
            for file in unreadable {
                printError("\(file.path): " + (file.fatalError ?? file.problems.first ?? "not a recognised export"))
            }
            printError(
                "accessrisk review: \(unreadable.count) input file\(unreadable.count == 1 ? "" : "s") could not be "
                    + "used; see `accessrisk inspect` for details. Nothing was written.")
            throw ExitCodes.badInput
        }
        var inputSummaries: [InputSummary] = []
        for file in imported.files {
            inputSummaries.append(
                InputSummary(
                    path: file.path, sha256: try hashing[file.path]?.get() ?? FileHash.sha256(path: file.path),
                    format: file.format ?? "",
                    kind: file.kind?.rawValue ?? "", rowsRead: file.rowsRead, rowsUsed: file.rowsUsed,
                    rowsRejected: file.rowsRejected, duplicates: file.rowsDuplicate))
        }
        timings.append(("import", seconds(clock.now - started)))
        MemoryTrace.stage("import")

        // 2. Analysis.
        started = clock.now
        progress.say("Analysing \(imported.model.assignments.count) assignments with \(RuleRegistry.all.count) rules…")
        let engine = RuleEngine.run(model: imported.model, policy: loadedPolicy, asOf: date, prepared: prepared)
        timings.append(("analysis", seconds(clock.now - started)))
        MemoryTrace.stage("analysis")

        // 3. Register: previous cycle from the workspace or --previous, decisions, states, scores.
        started = clock.now
        let sla = loadedPolicy.sla
        let store: Workspace? = noWorkspace ? nil : try Workspace.open(directory: workspace)
        let prior: PreviousState?
        var decisions: [Decision] = []
        if let path = previous {
            prior = try PreviousState.load(registerCSV: path)
            decisions = prior?.carriedDecisions ?? []
        } else {
            prior = try store?.previousState(before: cycleLabel, asOf: date)
        }
        if let store { decisions += try store.decisions() }
        // Grant keys are looked up only for this cycle's findings (ARM ids, for `remediate`) and the previous
        // cycle's risks (is a revoked grant still there?): only those are kept, not a key per assignment.
        var wanted = Set(engine.findings.flatMap(\.grantKeys))
        if let prior { for details in prior.details.values { wanted.formUnion(details.grantKeys) } }
        let (assignmentIds, presentGrantKeys) = engine.analysis.lookUpGrants(wanted)
        let register = RegisterBuilder.build(
            findings: engine.findings, cycle: cycleLabel, asOf: date, previous: prior, decisions: decisions,
            slaProfile: sla, assignmentIds: assignmentIds, presentGrantKeys: presentGrantKeys)
        timings.append(("register", seconds(clock.now - started)))
        MemoryTrace.stage("register")
        // A decision the register refused (accept without expiry, privileged approve without justification…)
        // must never vanish silently: the reviewer has to hear why their decision did not count.
        if !quiet {
            for refused in register.refusedDecisions {
                printError(
                    "warning: decision on \(refused.decision.riskId) by \(refused.decision.decidedBy) not applied: "
                        + refused.problems.joined(separator: "; "))
            }
        }

        // 4. Reports, then the workspace commit: a failed write leaves the workspace as it was.
        started = clock.now
        let data = Self.reportData(
            imported: imported, engine: engine, register: register, previousCycle: prior?.cycle,
            inputs: inputSummaries, asOf: date, cycle: cycleLabel, timings: timings)
        let pseudonymizer = pseudonymize.map { key in
            Pseudonymizer(
                key: key, principals: imported.model.principals.values,
                extraNames: register.rows.map { (row: RegisterRow) in row.decidedBy })
        }
        var dataWithTimings = data
        let outputs = try ReportWriter.write(
            dataWithTimings, manifest: false,
            options: ReportOptions(
                outDirectory: out, includeBOM: !noBom, templates: reportTemplates, pseudonymizer: pseudonymizer))
        timings.append(("reports", seconds(clock.now - started)))
        MemoryTrace.stage("reports")
        if let store {
            let manifest = inputSummaries.map {
                InputManifestEntry(
                    path: $0.path, sha256: $0.sha256, format: $0.format, kind: $0.kind, rowsRead: $0.rowsRead,
                    rowsUsed: $0.rowsUsed, rowsRejected: $0.rowsRejected)
            }
            try store.commitCycle(register, inputs: manifest, toolVersion: AccessRiskVersion.current)
        }
        // The manifest carries the timings of every stage (the one file allowed to differ between runs).
        dataWithTimings.timings = timings
        try ReportWriter.writeManifest(
            dataWithTimings, outputs: outputs, outDirectory: out, pseudonymizer: pseudonymizer)

        // 5. Terminal.
        let summary = Summary(
            register: register, engine: engine, imported: imported, out: out, pseudonymizer: pseudonymizer)
        if json {
            print(summary.json(cycle: cycleLabel, asOf: date.isoDate))
        } else if !quiet {
            print(summary.text)
        }
        let failed =
            failOn.map { threshold in register.openEntries.contains { $0.row.severity >= threshold } } ?? false
        // Everything is written and the workspace committed: end the process here, while the model, the analysis
        // and the reports are still alive. Freeing millions of strings one by one took longer than writing the
        // reports; the operating system reclaims the memory at once.
        fflush(nil)
        Foundation.exit(failed ? ExitCodes.findings.rawValue : 0)
    }

    /// Everything the reports need, from the results of the stages.
    static func reportData(
        imported: ImportResult, engine: EngineResult, register: RegisterResult, previousCycle: String?,
        inputs: [InputSummary],
        asOf: Timestamp, cycle: String, timings: [(stage: String, seconds: Double)]
    ) -> ReportData {
        let descriptions = Dictionary(RuleRegistry.all.map { ($0.description.id, $0.description) }) { a, _ in a }
        var rules: [RuleStatusNote] = engine.outcomes.map { outcome in
            var missing: [String] = []
            if case .notEvaluated(let reason, let inputs) = outcome.status {
                missing = inputs.isEmpty ? [reason] : inputs.map(\.rawValue)
            }
            return RuleStatusNote(
                id: outcome.ruleId, title: outcome.title, category: outcome.category,
                rationale: descriptions[outcome.ruleId]?.rationale ?? "", evaluated: outcome.isEvaluated,
                missingInputs: missing, findings: outcome.findingCount)
        }
        let followCounts = Dictionary(grouping: register.followThrough, by: \.ruleId).mapValues(\.count)
        for id in FollowThroughRule.all {
            rules.append(
                RuleStatusNote(
                    id: id, title: FollowThroughRule.title(id), category: .followThrough,
                    rationale: FollowThroughRule.rationale(id), evaluated: true, missingInputs: [],
                    findings: followCounts[id] ?? 0))
        }
        var grantRisks: [GrantRisk] = []
        for entry in register.entries where entry.row.state != .resolved {
            var keys = entry.details.grantKeys
            if keys.isEmpty, let f = entry.finding, let pid = f.principalId, let scope = f.scope {
                keys = [pid + "|" + (f.roleId ?? (f.role ?? "").lowercased()) + "|" + Scope(scope).key]
            }
            for key in keys {
                grantRisks.append(
                    GrantRisk(
                        grantKey: key, riskId: entry.row.riskId, ruleId: entry.row.ruleId, severity: entry.row.severity)
                )
            }
        }
        let analysis = engine.analysis
        let riskIndex = AccessReviewWorksheet.RiskIndex(grantRisks)
        // The worksheet reads the analysis's own model (the imported one), whose assignments its per-assignment
        // capabilities are indexed by.
        let review = AccessReviewSource(
            model: analysis.model, index: riskIndex, members: { analysis.transitiveMembers(of: $0) },
            privileged: { i in
                let c = analysis.capabilities(ofAssignment: i)
                return c.known ? (c.privileged || c.canGrantAccess) : nil
            })
        let excludedCounts = Dictionary(grouping: engine.excluded, by: { $0.exclusion }).mapValues(\.count)
        let exclusions = engine.exclusions.map {
            ExclusionNote(principal: $0.account, reason: $0.reason, suppressedFindings: excludedCounts[$0] ?? 0)
        }
        let findings = register.entries.compactMap { e in e.finding.map { (riskId: e.row.riskId, finding: $0) } }
        return ReportData(
            toolVersion: AccessRiskVersion.current, schemeVersion: RiskMatrix.schemeVersion, cycle: cycle,
            previousCycle: previousCycle, asOf: asOf, inputs: inputs,
            risks: register.rows,
            findings: findings, rules: rules, exclusions: exclusions,
            rejectedRows: imported.rejectedRows.map {
                RejectedRowNote(file: $0.file, line: $0.line, column: $0.column ?? "", reason: $0.reason)
            },
            accessReview: review, model: imported.model, timings: timings)
    }
}

/// One-line progress messages on stderr, only on a terminal.
struct Progress {
    let enabled: Bool

    init(enabled: Bool) { self.enabled = enabled && isatty(2) == 1 }

    func say(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\u{1B}[2K\r" + message + "\n").utf8))
    }
}

/// `ACCESSRISK_TRACE_MEMORY=1`: after each stage, the resident and peak memory on stderr (for the benchmark).
enum MemoryTrace {
    static let enabled = ProcessInfo.processInfo.environment["ACCESSRISK_TRACE_MEMORY"] == "1"

    static func stage(_ name: String) {
        guard enabled, let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return }
        func kilobytes(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        printError(
            "memory after \(name): \(kilobytes("VmRSS") / 1024) MB resident, \(kilobytes("VmHWM") / 1024) MB peak")
    }
}

/// The input hashes, a file at a time, set from the import's cores and read after the import returns.
final class HashResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [String: Result<String, any Error>] = [:]

    func set(_ path: String, _ result: Result<String, any Error>) {
        lock.lock()
        results[path] = result
        lock.unlock()
    }

    subscript(path: String) -> Result<String, any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return results[path]
    }
}
