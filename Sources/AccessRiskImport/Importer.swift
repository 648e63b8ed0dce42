import AccessRiskCSV
import AccessRiskModel
import Foundation

/// Reads exports into one ``AccessModel``: each file's format is recognised by its header or JSON shape
/// (SPEC §2.2), every row is used, rejected with a reason, or counted as a duplicate.
public enum Importer {
    /// Files and directories (searched recursively, hidden files skipped, each directory's files sorted) → files.
    public static func expandInputs(_ inputs: [String]) throws(ImportError) -> [String] {
        let fm = FileManager.default
        var files: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: input, isDirectory: &isDirectory) else { throw .noSuchFile(input) }
            guard isDirectory.boolValue else {
                files.append(input)
                continue
            }
            let base = input.hasSuffix("/") && input.count > 1 ? String(input.dropLast()) : input
            var found: [String] = []
            if let walker = fm.enumerator(atPath: base) {
                while let relative = walker.nextObject() as? String {
                    let full = base + "/" + relative
                    var dir: ObjCBool = false
                    let hidden = relative.split(separator: "/").contains { $0.hasPrefix(".") }
                    if !hidden, fm.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue {
                        found.append(full)
                    }
                }
            }
            files += found.sorted()
        }
        return files
    }

    /// Imports every file (directories are expanded) and joins the result.
    ///
    /// Principals are joined across files by object id; a principal known only by UPN (`upn:` key) is joined to the
    /// object id a directory export gives that UPN. The model is sorted, so the same inputs give the same model.
    public static func importFiles(_ paths: [String], options: ImportOptions = .init()) throws(ImportError)
        -> ImportResult
    {
        try importFiles(paths, options: options, inParallel: true)
    }

    /// ``importFiles(_:options:)``, optionally with every file read in one sink in order (what the parallel reading
    /// must equal).
    static func importFiles(_ paths: [String], options: ImportOptions, inParallel: Bool) throws(ImportError)
        -> ImportResult
    {
        let files = try expandInputs(paths)
        let sizes = files.map(fileSize)
        var progress = ImportProgressTracker(paths: files, sizes: sizes, callback: options.progress)
        // Files whose formats write different parts of the state are read on both cores, each group into a sink
        // of its own; one group (or a file whose rows were not what its header said) reads everything in order.
        let groups = inParallel ? groups(files.map(sniffDomains), sizes: sizes) : []
        var results: [ImportGroupResult]?
        // The work beside the import: a piece after the groups when they are read in parallel, else a thread of
        // its own beside the reading.
        var alongside: BackgroundWork<Void>?
        if groups.count > 1 {
            results = importGroupsInParallel(groups, files: files, options: options, progress: progress)
        } else if !options.alongside.isEmpty {
            alongside = BackgroundWork { for work in options.alongside { work() } }
        }
        defer { alongside?.wait() }
        if results == nil {
            if groups.count > 1 {
                progress = ImportProgressTracker(paths: files, sizes: sizes, callback: options.progress)
            }
            let all = ImportGroup(files: Array(files.indices), domains: .all, bytes: sizes.reduce(0, +))
            results = [importGroup(all, files: files, options: options, progress: progress)]
        }
        progress.end()
        var reports: [FileImportReport?] = Array(repeating: nil, count: files.count)
        var rejectedByFile: [[RejectedRow]] = Array(repeating: [], count: files.count)
        for result in results! {
            for file in result.files {
                reports[file.index] = file.report
                rejectedByFile[file.index] = file.rejected
            }
        }
        var model = join(results!)
        results = nil
        let rewritten = joinByUPN(&model)
        resolveUnstatedTypes(&model)
        // Every other collection was sorted by the group that read it (see `importGroup`), unless the join by UPN
        // rewrote its keys.
        model.sortDeterministically(rewritten.union(.assignments))
        return ImportResult(model: model, files: reports.map { $0! }, rejectedRows: rejectedByFile.flatMap { $0 })
    }

    /// The size of a file in bytes; 0 when it cannot be read (the import then reports why).
    public static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    /// Every format the importer recognises: id (as `inspect` prints it), human name, kind.
    public static var supportedFormats: [(id: String, name: String, kind: InputKind)] {
        Formats.all.map { ($0.id, $0.name, $0.kind) }.sorted { $0.id < $1.id }
    }

    /// Inspects one file: the same reading as an import, the model thrown away.
    public static func inspect(_ path: String, options: ImportOptions = .init()) -> (FileImportReport, [RejectedRow]) {
        let sink = ImportSink(options: options)
        sink.keepModel = false
        var rejected: [RejectedRow] = []
        let report = importFile(path, sink: sink, rejected: &rejected)
        return (report, rejected)
    }

    // MARK: - One file

    static func importFile(_ path: String, sink: ImportSink, rejected: inout [RejectedRow]) -> FileImportReport {
        sink.notes = [:]
        sink.typesExported = []
        var report = FileImportReport(path: path)
        if looksLikeJSON(path) {
            importJSON(path, sink: sink, report: &report, rejected: &rejected)
        } else {
            importCSV(path, sink: sink, report: &report, rejected: &rejected)
        }
        if let kind = report.kind, report.fatalError == nil || report.rowsRead > 0 {
            sink.model.inputsPresent.insert(kind)
        }
        if sink.notes["hierarchy", default: 0] > 0 { sink.model.inputsPresent.insert(.hierarchy) }
        // A directory export read to its end lists every principal of its types (orphan detection relies on it).
        if report.kind == .principals, report.fatalError == nil {
            if report.format?.hasPrefix("entra-users") == true { sink.typesExported.insert(.user) }
            if report.format == "graph-service-principals" {
                sink.typesExported.formUnion([.servicePrincipal, .managedIdentity])
            }
            sink.model.principalTypesExported.formUnion(sink.typesExported)
        }
        for (key, count) in sink.notes.sorted(by: { $0.key < $1.key }) where count > 0 {
            report.problems.append(Self.noteText(key, count))
        }
        return report
    }

    static func noteText(_ key: String, _ count: Int) -> String {
        switch key {
        case "duplicate": "\(count) duplicate row(s) de-duplicated (same assignment id or record key)"
        case "unknown-principal":
            "\(count) row(s) name a principal of type Unknown (deleted, or the exporter could not read it): "
                + "orphan candidates"
        case "blank-type":
            "\(count) row(s) have no principal type (the exporter could not read the directory); kept as unknown"
        case "via-group": "\(count) row(s) hold the role through a group and repeat the group's own assignment"
        case "no-subscription":
            "\(count) row(s) have no SubscriptionId or ResourceId: their database id is built without the "
                + "subscription (/resourceGroups/…) and only root-scope access is seen to reach them"
        case "classic": "\(count) row(s) are classic administrators (kept as classic administrators)"
        case "merged": "\(count) finding(s) add information types to an asset already imported"
        case "sign-in-type-name":
            "\(count) row(s) have a SignInActivity cell that is not JSON (a .NET type name?): sign-in dates unknown; "
                + "export with Select-Object @{n='LastSignInDateTime';e={$_.SignInActivity.LastSignInDateTime}}"
        case "hierarchy": "\(count) management group / subscription edge(s) of the hierarchy derived from the rows"
        default: "\(count) × \(key)"
        }
    }

    /// Whether the first non-space character (after any BOM, in UTF-8 or UTF-16) is `[` or `{`. NUL bytes are
    /// skipped, which reads UTF-16 of either byte order.
    static func looksLikeJSON(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        var bytes = [UInt8]((try? handle.read(upToCount: 512)) ?? Data())
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            bytes.removeFirst(2)
        }
        for b in bytes where !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0) {
            return b == UInt8(ascii: "[") || b == UInt8(ascii: "{")
        }
        return false
    }

    static func delimiterName(_ d: UInt8) -> String {
        switch d {
        case UInt8(ascii: ","): ","
        case UInt8(ascii: ";"): ";"
        case 0x09: "tab"
        default: String(UnicodeScalar(d))
        }
    }

    static func fieldMap(_ format: ImportFormat, _ header: HeaderMap, report: inout FileImportReport) -> [String: Int] {
        var map: [String: Int] = [:]
        for column in format.columns {
            guard map[column.field] == nil, let i = header.column(column.aliases) else { continue }
            map[column.field] = i
            report.columns[header.original[i]] = column.field
        }
        return map
    }

    static func importCSV(
        _ path: String, sink: ImportSink, report: inout FileImportReport, rejected: inout [RejectedRow]
    ) {
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path)
        } catch {
            report.fatalError = error.description
            report.problems.append("not recognised: " + error.message)
            return
        }
        report.encoding = reader.encoding.rawValue
        report.delimiter = delimiterName(reader.delimiter)
        let listSeparator: Character = reader.delimiter == UInt8(ascii: ",") ? ";" : ","
        var format: ImportFormat?
        var record: Record?
        var headerCount = 0
        var unrecognised: String?
        var localReport = report
        var localRejected: [RejectedRow] = []
        func reject(_ line: Int, _ column: String?, _ reason: String) {
            localReport.rowsRejected += 1
            localRejected.append(RejectedRow(file: path, line: line, column: column, reason: reason))
        }
        var rowsSinceReport = 0
        var sampledBytes = 0
        let fileBytes = fileSize(path)
        do {
            try reader.read { row in
                rowsSinceReport += 1
                if rowsSinceReport == 16_384, let report = sink.reportProgress {
                    rowsSinceReport = 0
                    report(reader.bytesRead)
                }
                guard let current = record, let format else {
                    let header = HeaderMap(row.fields)
                    headerCount = row.count
                    switch FormatDetector.detect(header, json: false) {
                    case .success(let found):
                        format = found
                        localReport.format = found.id
                        localReport.formatName = found.name
                        localReport.kind = found.kind
                        let map = fieldMap(found, header, report: &localReport)
                        record = Record(
                            fieldIndex: map, header: header.original, listSeparator: listSeparator,
                            locale: sink.options.dateLocale)
                    case .failure(let failure):
                        unrecognised = failure.reason
                        reader.stop()
                    }
                    return
                }
                localReport.rowsRead += 1
                // After the first rows, room is made for the rows the file's size promises (see `expect`).
                if localReport.rowsRead <= Self.sampleRows {
                    sampledBytes += (0..<row.count).reduce(row.count + 1) { $0 + row.byteCount($1) + 2 }
                    if localReport.rowsRead == Self.sampleRows, sampledBytes > 0 {
                        sink.expect(rows: fileBytes / (sampledBytes / Self.sampleRows), domains: format.domains)
                    }
                }
                if row.count != headerCount {
                    reject(row.line, nil, "\(row.count) fields where the header has \(headerCount)")
                    return
                }
                if let bad = row.invalidUTF8Field {
                    reject(row.line, current.header[bad], "invalid UTF-8 (the file mixes encodings?)")
                    return
                }
                if let nul = row.nulField {
                    reject(row.line, current.header[nul], "NUL byte in the cell")
                    return
                }
                current.row = row
                current.line = row.line
                do {
                    switch try format.handler(current, sink) {
                    case .used: localReport.rowsUsed += 1
                    case .duplicate: localReport.rowsDuplicate += 1
                    }
                } catch let problem as RowProblem {
                    reject(row.line, current.columnName(problem.field), problem.reason)
                }
                current.row = nil
            }
        } catch let error as CSVError where unrecognised == nil {
            localReport.fatalError = error.description
            localReport.problems.append("reading stopped: " + error.description)
        } catch  where unrecognised == nil {
            localReport.fatalError = "\(error)"
            localReport.problems.append("reading stopped: \(error)")
        } catch {
            // The header was not recognised: what follows it does not matter.
        }
        if let unrecognised {
            localReport.problems.insert("not recognised: " + unrecognised, at: 0)
        } else if record == nil, localReport.fatalError == nil {
            localReport.problems.insert("not recognised: empty file (no header)", at: 0)
        }
        if let format, format.finish != nil { format.finish!(sink, &localReport) }
        report = localReport
        rejected += localRejected
    }

    /// The rows whose length estimates a CSV file's row count.
    static let sampleRows = 1_000

    static func importJSON(
        _ path: String, sink: ImportSink, report: inout FileImportReport, rejected: inout [RejectedRow]
    ) {
        guard let data = FileManager.default.contents(atPath: path) else {
            report.fatalError = "cannot read the file"
            report.problems.append("not recognised: cannot read the file")
            return
        }
        if data.starts(with: [0xFF, 0xFE]) {
            report.encoding = TextEncoding.utf16LE.rawValue
        } else if data.starts(with: [0xFE, 0xFF]) {
            report.encoding = TextEncoding.utf16BE.rawValue
        } else if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            report.encoding = TextEncoding.utf8BOM.rawValue
        } else {
            report.encoding = TextEncoding.utf8.rawValue
        }
        let table: JSONFlattener.Table
        var lines: [Int]
        do {
            var text = data
            if report.encoding == TextEncoding.utf16LE.rawValue || report.encoding == TextEncoding.utf16BE.rawValue {
                let enc: String.Encoding = report.encoding == "utf-16le" ? .utf16LittleEndian : .utf16BigEndian
                guard let s = String(data: data.dropFirst(2), encoding: enc) else {
                    throw JSONFlattener.Failure.notJSON("invalid UTF-16")
                }
                text = Data(s.utf8)
            }
            (table, lines) = try JSONFlattener.tableAndLines(from: text)
        } catch {
            let reason =
                switch error as? JSONFlattener.Failure {
                case .notJSON(let why): "not valid JSON (\(why))"
                default: "a JSON document that holds no objects"
                }
            report.fatalError = reason
            report.problems.append("not recognised: " + reason)
            return
        }
        guard !table.rows.isEmpty else {
            report.problems.append("not recognised: the JSON document holds no objects (empty export?)")
            return
        }
        let header = HeaderMap(table.header)
        let format: ImportFormat
        switch FormatDetector.detect(header, json: true) {
        case .success(let found): format = found
        case .failure(let failure):
            report.problems.append("not recognised: " + failure.reason)
            return
        }
        report.format = format.jsonId
        report.formatName = format.name
        report.kind = format.kind
        sink.expect(rows: table.rows.count, domains: format.domains)
        let map = fieldMap(format, header, report: &report)
        let record = Record(
            fieldIndex: map, header: table.header, listSeparator: JSONFlattener.listSeparator,
            locale: sink.options.dateLocale)
        // Lines where each object starts; a single top-level object (not an array) is line 1.
        if lines.count != table.rows.count { lines = table.rows.count == 1 ? [1] : Array(1...table.rows.count) }
        for (i, values) in table.rows.enumerated() {
            report.rowsRead += 1
            record.values = values
            record.line = lines[i]
            do {
                switch try format.handler(record, sink) {
                case .used: report.rowsUsed += 1
                case .duplicate: report.rowsDuplicate += 1
                }
            } catch let problem as RowProblem {
                report.rowsRejected += 1
                rejected.append(
                    RejectedRow(
                        file: path, line: lines[i], column: record.columnName(problem.field), reason: problem.reason))
            } catch {
                report.rowsRejected += 1
                rejected.append(RejectedRow(file: path, line: lines[i], column: nil, reason: "\(error)"))
            }
        }
        if let finish = format.finish { finish(sink, &report) }
    }

    // MARK: - Joining

    /// Assignments whose export gave no principal type take the directory's type (guest too) when it is known.
    static func resolveUnstatedTypes(_ model: inout AccessModel) {
        for i in model.assignments.indices where !model.assignments[i].principalTypeStated {
            guard let principal = model.principals[model.assignments[i].principalId] else { continue }
            if model.assignments[i].principalType == .unknown || principal.type != .unknown {
                model.assignments[i].principalType = principal.type
            }
            model.assignments[i].principalIsGuest = model.assignments[i].principalIsGuest || principal.isGuest
        }
    }

    /// Rewrites `upn:` principal keys to the object id a directory export gives the same UPN; returns the
    /// collections whose elements it changed.
    @discardableResult
    static func joinByUPN(_ model: inout AccessModel) -> AccessModel.Collections {
        // Checked on bytes: `hasPrefix` compares Characters, and every assignment and membership is checked.
        @Sendable func isUPNKey(_ key: String) -> Bool { key.hasBytePrefix("upn:") }
        // The million assignments and memberships are looked at on the cores side by side, through their buffers
        // (an element copy would retain its strings); reading each key's first bytes is a cache miss per key.
        let (assignments, memberships) = (model.assignments, model.memberships)
        let found = Parallel.map(2) { part -> [Int] in
            part == 0
                ? assignments.withUnsafeBufferPointer { b in b.indices.filter { isUPNKey(b[$0].principalId) } }
                : memberships.withUnsafeBufferPointer { b in b.indices.filter { isUPNKey(b[$0].memberId) } }
        }
        let (upnAssignments, upnMembers) = (found[0], found[1])
        let upnPrincipals = model.principals.keys.filter(isUPNKey).sorted()
        guard !upnAssignments.isEmpty || !upnMembers.isEmpty || !upnPrincipals.isEmpty else { return [] }
        var idByUPN: [String: String] = [:]
        for (key, principal) in model.principals where !isUPNKey(key) {
            if let upn = principal.upn?.lowercased(), idByUPN[upn] == nil || key < idByUPN[upn]! {
                idByUPN[upn] = key
            }
        }
        guard !idByUPN.isEmpty else { return [] }
        func resolve(_ key: String) -> String {
            guard isUPNKey(key) else { return key }
            return idByUPN[String(key.dropFirst(4))] ?? key
        }
        for key in upnPrincipals {
            let target = resolve(key)
            guard target != key, let principal = model.principals.removeValue(forKey: key) else { continue }
            model.principals[target]?.merge(principal)
        }
        var changed: AccessModel.Collections = []
        for i in upnAssignments {
            let target = resolve(model.assignments[i].principalId)
            if target != model.assignments[i].principalId {
                model.assignments[i].principalId = target
                changed.insert(.assignments)
            }
        }
        for i in upnMembers {
            let target = resolve(model.memberships[i].memberId)
            if target != model.memberships[i].memberId {
                model.memberships[i].memberId = target
                changed.insert(.memberships)
            }
        }
        return changed
    }
}
