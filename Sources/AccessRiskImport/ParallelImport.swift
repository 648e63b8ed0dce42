import AccessRiskCSV
import AccessRiskModel
import Dispatch
import Foundation

/// The parts of the import state a format writes: its model collection and the de-duplication keys that go with
/// it. Files whose formats share no part cannot affect each other, so they can be read at the same time, each group
/// into its own sink, and the sinks joined after (``Importer/importFiles(_:options:)``).
struct ImportDomains: OptionSet, Hashable, Sendable {
    let rawValue: UInt8

    init(rawValue: UInt8) { self.rawValue = rawValue }

    static let assignments = ImportDomains(rawValue: 1 << 0)
    static let classicAdministrators = ImportDomains(rawValue: 1 << 1)
    static let memberships = ImportDomains(rawValue: 1 << 2)
    static let hierarchy = ImportDomains(rawValue: 1 << 3)
    static let principals = ImportDomains(rawValue: 1 << 4)
    static let roles = ImportDomains(rawValue: 1 << 5)
    static let assets = ImportDomains(rawValue: 1 << 6)
    static let awsCredentials = ImportDomains(rawValue: 1 << 7)
    static let all = ImportDomains(rawValue: .max)

    /// The part a kind of input writes.
    init(_ kind: InputKind) {
        switch kind {
        case .assignments: self = .assignments
        case .principals: self = .principals
        case .memberships: self = .memberships
        case .roles: self = .roles
        case .hierarchy: self = .hierarchy
        case .assets: self = .assets
        case .awsCredentials: self = .awsCredentials
        }
    }

    /// The parts a model holds anything in: what the files read into it actually wrote.
    init(writtenIn model: AccessModel) {
        var d: ImportDomains = []
        if !model.assignments.isEmpty { d.insert(.assignments) }
        if !model.classicAdministrators.isEmpty { d.insert(.classicAdministrators) }
        if !model.memberships.isEmpty { d.insert(.memberships) }
        if !model.hierarchy.isEmpty { d.insert(.hierarchy) }
        if !model.principals.isEmpty { d.insert(.principals) }
        if !model.roleDefinitions.isEmpty { d.insert(.roles) }
        if !model.assets.isEmpty { d.insert(.assets) }
        if !model.awsCredentials.isEmpty { d.insert(.awsCredentials) }
        self = d
    }
}

/// Files that must be read in order into one sink: every file whose format writes a part of the state another file
/// of the group writes.
struct ImportGroup: Sendable {
    var files: [Int]
    var domains: ImportDomains
    var bytes: Int
}

/// What one group's reading produced.
struct ImportGroupResult: Sendable {
    var model: AccessModel
    /// Report and rejected rows of each file of the group, in the group's (file) order.
    var files: [(index: Int, report: FileImportReport, rejected: [RejectedRow])]
}

extension Importer {
    /// The parts of the state the format of a file's header (CSV) or first record (JSON array) writes, without
    /// reading further: none when the file matches no format, `.all` when the format cannot be told cheaply (a JSON
    /// document that is not an array, UTF-16 JSON).
    static func sniffDomains(_ path: String) -> ImportDomains {
        if looksLikeJSON(path) {
            switch firstJSONRecordHeader(path) {
            case .header(let header):
                if case .success(let format) = FormatDetector.detect(HeaderMap(header), json: true) {
                    return format.domains
                }
                return []
            case .notJSON: return []
            case .unknown: return .all
            }
        }
        guard let reader = try? CSVReader(path: path) else { return [] }
        var domains: ImportDomains = []
        do {
            try reader.read { row in
                if case .success(let format) = FormatDetector.detect(HeaderMap(row.fields), json: false) {
                    domains = format.domains
                }
                reader.stop()
            }
        } catch {
            // A file that cannot be read writes nothing; reading it again in its group gives the error.
        }
        return domains
    }

    enum JSONSniff {
        case header([String])
        /// A document read whole that the import will not read either.
        case notJSON
        /// Not told without reading the whole document.
        case unknown
    }

    /// The flattened keys of a UTF-8 JSON document under a megabyte, or of the first object of a larger JSON array.
    static func firstJSONRecordHeader(_ path: String) -> JSONSniff {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .notJSON }
        defer { try? handle.close() }
        let limit = 1 << 20
        guard var bytes = try? handle.read(upToCount: limit).map({ [UInt8]($0) }) else { return .notJSON }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return .unknown }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // A small document is read whole, the way the import reads it (a Graph page too).
        if bytes.count < limit - 3, (try? handle.read(upToCount: 1))??.isEmpty ?? true {
            guard let table = try? JSONFlattener.table(from: Data(bytes)), !table.rows.isEmpty else { return .notJSON }
            return .header(table.header)
        }
        guard let open = bytes.firstIndex(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }),
            bytes[open] == UInt8(ascii: "[")
        else { return .unknown }
        // The first element: from its `{` to the matching `}`, strings and escapes skipped.
        guard
            let start = bytes[(open + 1)...].firstIndex(where: {
                !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D)
            }),
            bytes[start] == UInt8(ascii: "{")
        else { return .unknown }
        var depth = 0
        var scanner = JSONFlattener.Scanner()
        var end: Int?
        for i in start..<bytes.count {
            guard let b = scanner.structural(bytes[i]) else { continue }
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    end = i
                    break
                }
            }
        }
        guard let end,
            let table = try? JSONFlattener.table(
                from: Data([UInt8(ascii: "[")] + bytes[start...end] + [UInt8(ascii: "]")])),
            !table.rows.isEmpty
        else { return .unknown }
        return .header(table.header)
    }

    /// Files grouped so that no two groups write the same part of the state; groups in order of their first file.
    static func groups(_ domains: [ImportDomains], sizes: [Int]) -> [ImportGroup] {
        var groups: [ImportGroup] = []
        for (index, d) in domains.enumerated() {
            var merged = ImportGroup(files: [index], domains: d, bytes: sizes[index])
            if !d.isEmpty {
                // Every earlier group sharing a part joins this file's group.
                var kept: [ImportGroup] = []
                for group in groups {
                    if group.domains.isDisjoint(with: d) {
                        kept.append(group)
                    } else {
                        merged.files += group.files
                        merged.domains.formUnion(group.domains)
                        merged.bytes += group.bytes
                    }
                }
                groups = kept
            }
            merged.files.sort()
            groups.append(merged)
        }
        return groups.sorted { $0.files[0] < $1.files[0] }
    }

    /// Reads one group's files, in order, into a sink of its own.
    static func importGroup(
        _ group: ImportGroup, files: [String], options: ImportOptions, progress: ImportProgressTracker
    ) -> ImportGroupResult {
        let sink = ImportSink(options: options)
        var results: [(index: Int, report: FileImportReport, rejected: [RejectedRow])] = []
        for index in group.files {
            sink.fileIndex = index
            if progress.isReporting {
                sink.reportProgress = { bytes in progress.update(file: index, bytesRead: bytes) }
                progress.update(file: index, bytesRead: 0)
            }
            var rejected: [RejectedRow] = []
            let report = importFile(files[index], sink: sink, rejected: &rejected)
            progress.finish(file: index)
            results.append((index, report, rejected))
        }
        sink.reportProgress = nil
        // The group's collections other than the assignments are put in their final order here, on the core that
        // read them, while the other groups are still being read. Each collection comes from one group, so the
        // joined model keeps this order. The assignments are sorted after the join on both cores: their group is
        // the largest, the last to finish.
        sink.model.sortDeterministically(AccessModel.Collections.all.subtracting(.assignments))
        options.partRead?(sink.model)
        return ImportGroupResult(model: sink.model, files: results)
    }

    /// Reads the groups on every core (the largest first), or nil when a file turned out to write a part of the
    /// state its group does not own (its format was not the one its header suggested): the caller then reads every
    /// file in one sink.
    static func importGroupsInParallel(
        _ groups: [ImportGroup], files: [String], options: ImportOptions, progress: ImportProgressTracker
    ) -> [ImportGroupResult]? {
        // Largest first: pieces are handed out in index order, so the biggest group starts at once.
        let order = groups.indices.sorted { (groups[$0].bytes, $1) > (groups[$1].bytes, $0) }
        // The work beside the import comes last: the core that finishes its groups first takes the first piece,
        // and the other core shares the rest once it is done.
        let extra = options.alongside.count
        let done = Parallel.map(groups.count + extra) { k -> ImportGroupResult? in
            guard k < groups.count else {
                options.alongside[k - groups.count]()
                return nil
            }
            return importGroup(groups[order[k]], files: files, options: options, progress: progress)
        }.prefix(groups.count).map { $0! }
        var results = done
        for (k, g) in order.enumerated() { results[g] = done[k] }
        for (group, result) in zip(groups, results)
        where !ImportDomains(writtenIn: result.model).isSubset(of: group.domains) {
            return nil
        }
        return results
    }

    /// Joins the groups' models. Each collection comes from one group only (the groups write disjoint parts), so it
    /// keeps the file order it had in that group.
    static func join(_ results: [ImportGroupResult]) -> AccessModel {
        var model = AccessModel()
        // An empty part is skipped: appending nothing to an array still shared with the group's result copied
        // every element first (0.03 s for medium's assignments, and as much again to free the copy).
        func take<T>(_ target: inout [T], _ part: [T]) {
            guard !part.isEmpty else { return }
            if target.isEmpty { target = part } else { target += part }
        }
        for result in results {
            var part = result.model
            take(&model.assignments, part.assignments)
            take(&model.memberships, part.memberships)
            take(&model.hierarchy, part.hierarchy)
            take(&model.assets, part.assets)
            take(&model.awsCredentials, part.awsCredentials)
            take(&model.classicAdministrators, part.classicAdministrators)
            if model.principals.isEmpty {
                swap(&model.principals, &part.principals)
            } else {
                for principal in part.principals.values { model.add(principal) }
            }
            if model.roleDefinitions.isEmpty {
                swap(&model.roleDefinitions, &part.roleDefinitions)
            } else {
                for role in part.roleDefinitions.values { model.add(role) }
            }
            model.inputsPresent.formUnion(part.inputsPresent)
            model.principalTypesExported.formUnion(part.principalTypesExported)
        }
        return model
    }
}

/// Adds up the bytes read by every file being read, for one progress figure across parallel readers.
final class ImportProgressTracker: @unchecked Sendable {
    private let lock = NSLock()
    private let callback: (@Sendable (ImportProgress) -> Void)?
    private let paths: [String]
    private let sizes: [Int]
    private let total: Int
    private var finished = 0
    private var reading: [Int: Int] = [:]

    init(paths: [String], sizes: [Int], callback: (@Sendable (ImportProgress) -> Void)?) {
        self.paths = paths
        self.sizes = sizes
        self.callback = callback
        total = sizes.reduce(0, +)
    }

    var isReporting: Bool { callback != nil }

    func update(file index: Int, bytesRead: Int) {
        guard let callback else { return }
        lock.lock()
        defer { lock.unlock() }
        let read = min(bytesRead, sizes[index])
        reading[index] = read
        let others = reading.reduce(0) { $0 + ($1.key == index ? 0 : $1.value) }
        callback(
            ImportProgress(
                fileIndex: index, fileCount: paths.count, path: paths[index], bytesRead: read, fileBytes: sizes[index],
                bytesBefore: finished + others, totalBytes: total))
    }

    func finish(file index: Int) {
        lock.lock()
        reading[index] = nil
        finished += sizes[index]
        lock.unlock()
    }

    /// The last call: every file read.
    func end() {
        callback?(
            ImportProgress(
                fileIndex: paths.count, fileCount: paths.count, path: "", bytesRead: 0, fileBytes: 0,
                bytesBefore: total, totalBytes: total))
    }
}
