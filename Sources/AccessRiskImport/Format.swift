import AccessRiskCSV
import AccessRiskModel

/// A column a format reads: the model field it feeds and the header spellings that name it. Aliases are compared
/// with ``HeaderName/normalize(_:)``, so `ObjectId`, `object_id` and `object id` are one alias.
struct Column: Sendable {
    let field: String
    let aliases: [String]

    init(_ field: String, _ aliases: [String]) {
        self.field = field
        self.aliases = aliases
    }
}

/// Why a row cannot be used; the column is the model field (translated to the header cell by the caller).
struct RowProblem: Error {
    var field: String?
    var reason: String

    init(field: String?, _ reason: String) {
        self.field = field
        self.reason = reason
    }
}

enum RowOutcome {
    case used
    case duplicate
}

/// One export layout: how to recognise it (a header or JSON key set), which columns it reads and how a row becomes
/// model values. Formats are recognised by content only, never by file name.
struct ImportFormat: Sendable {
    /// Stable id shown by `inspect` (e.g. `azure-powershell-role-assignments`).
    let id: String
    let name: String
    let kind: InputKind
    /// The id reported when the same layout comes as a JSON document (e.g. the portal's JSON download).
    let jsonId: String
    /// Each element is a group of aliases of which one must be present for the format to match.
    let signature: [[String]]
    /// The columns read, by model field.
    let columns: [Column]
    /// Breaks ties between formats whose signatures all match: the higher wins.
    let priority: Int
    let handler: @Sendable (Record, ImportSink) throws -> RowOutcome
    /// Called once after the last row (per-file summaries).
    let finish: (@Sendable (ImportSink, inout FileImportReport) -> Void)?
    /// The parts of the import state its rows write to (by default those of its kind).
    let domains: ImportDomains

    init(
        id: String, name: String, kind: InputKind, jsonId: String? = nil, domains: ImportDomains? = nil,
        signature: [[String]], columns: [Column], priority: Int = 0,
        handler: @escaping @Sendable (Record, ImportSink) throws -> RowOutcome,
        finish: (@Sendable (ImportSink, inout FileImportReport) -> Void)? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.domains = domains ?? ImportDomains(kind)
        self.jsonId = jsonId ?? id
        self.signature = signature
        self.columns = columns
        self.priority = priority
        self.handler = handler
        self.finish = finish
    }

    /// How many signature groups the header satisfies, and the first alias of each missing group.
    func match(_ header: HeaderMap) -> (present: Int, missing: [String]) {
        var present = 0
        var missing: [String] = []
        for group in signature {
            if header.column(group) != nil { present += 1 } else { missing.append(group.joined(separator: " or ")) }
        }
        return (present, missing)
    }

    /// Number of this format's columns present in the header (a finer tie-breaker).
    func columnsPresent(_ header: HeaderMap) -> Int {
        columns.reduce(0) { $0 + (header.column($1.aliases) != nil ? 1 : 0) }
    }
}

/// Picks the format of a header, or explains why none fits.
enum FormatDetector {
    static func detect(_ header: HeaderMap, json: Bool) -> Result<ImportFormat, FormatFailure> {
        let candidates = Formats.all
        var best: ImportFormat?
        var bestScore = (Int.min, Int.min)
        for format in candidates {
            let m = format.match(header)
            guard m.missing.isEmpty else { continue }
            let score = (format.priority, format.columnsPresent(header))
            if best == nil || score > bestScore {
                best = format
                bestScore = score
            }
        }
        if let best { return .success(best) }
        // Explain: the closest formats by share of signature present.
        let ranked = candidates.map { f -> (ImportFormat, Double, [String]) in
            let m = f.match(header)
            return (f, Double(m.present) / Double(max(1, f.signature.count)), m.missing)
        }
        .sorted { ($0.1, $0.0.id) > ($1.1, $1.0.id) }
        let tried = candidates.map(\.id).sorted()
        var reason = "no known \(json ? "JSON" : "CSV") format matches this \(json ? "document" : "header")."
        let close = ranked.prefix(3).filter { $0.1 > 0 }
        if !close.isEmpty {
            reason += " Closest: "
            reason += close.map { "\($0.0.name) (missing \($0.2.joined(separator: ", ")))" }.joined(separator: "; ")
            reason += "."
        }
        reason += " Formats tried: " + tried.joined(separator: ", ") + "."
        return .failure(FormatFailure(reason: reason))
    }
}

struct FormatFailure: Error {
    var reason: String
}
