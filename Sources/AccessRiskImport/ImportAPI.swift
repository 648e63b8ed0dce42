import AccessRiskCSV
import AccessRiskModel

/// How files are read.
public struct ImportOptions: Sendable {
    /// How ambiguous `d/d/yyyy` dates are read (SPEC §2.4): US unless a policy names a day-first locale.
    public var dateLocale: DateLocale
    /// Called as files are read (at each file's start and every few thousand rows), for a progress bar.
    public var progress: (@Sendable (ImportProgress) -> Void)?
    /// Pieces of work to run beside the import on a core it leaves idle (e.g. hashing the inputs, a piece per
    /// file): handed out in this order after every group of files, each to the first core free, so they fill the
    /// time in which the largest group is still being read instead of slowing it, and whichever core finishes its
    /// files first takes the next; beside the reading, one after another, when there is one group. Every piece is
    /// finished before `importFiles` returns. Put the longest first.
    public var alongside: [@Sendable () -> Void]
    /// Called with each group of files' part of the model as soon as it is read, on the core that read it, while
    /// the other groups may still be read: every collection of the part is in its final order except the
    /// assignments. Work on a collection that would otherwise wait for the whole import goes here (the analysis's
    /// index of the memberships). The import may still replace a collection after (the join by UPN rewrites ids):
    /// work kept for later must check it is given the same array. With one group, called once with the whole
    /// model before that join.
    public var partRead: (@Sendable (AccessModel) -> Void)?

    public init(
        dateLocale: DateLocale = .us, progress: (@Sendable (ImportProgress) -> Void)? = nil,
        alongside: [@Sendable () -> Void] = [], partRead: (@Sendable (AccessModel) -> Void)? = nil
    ) {
        self.dateLocale = dateLocale
        self.progress = progress
        self.alongside = alongside
        self.partRead = partRead
    }
}

/// How far an import has got.
public struct ImportProgress: Sendable {
    /// 0-based index of the file being read, and how many there are.
    public var fileIndex: Int
    public var fileCount: Int
    public var path: String
    /// Bytes of this file read so far, and its size.
    public var bytesRead: Int
    public var fileBytes: Int
    /// Bytes of all the files before this one, and of all files.
    public var bytesBefore: Int
    public var totalBytes: Int

    public var fraction: Double {
        totalBytes == 0 ? 1 : Double(bytesBefore + min(bytesRead, fileBytes)) / Double(totalBytes)
    }
}

/// A row that could not be used: the file, the physical line (for JSON, the line where the object starts), the
/// column as the file names it (nil when the row as a whole is wrong) and why.
public struct RejectedRow: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int
    public var column: String?
    public var reason: String

    public init(file: String, line: Int, column: String?, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        "\(file):\(line)" + (column.map { " column \"\($0)\"" } ?? "") + ": \(reason)"
    }
}

/// What the import did with one file. `rowsRead == rowsUsed + rowsRejected + rowsDuplicate` always holds.
public struct FileImportReport: Sendable, Codable {
    /// The path as given.
    public var path: String
    /// The detected format's id (see ``ImportFormat``), nil when the file was not recognised.
    public var format: String?
    /// The detected format's human name.
    public var formatName: String?
    /// The kind of input, nil when the file was not recognised.
    public var kind: InputKind?
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`; nil when the file could not be decoded.
    public var encoding: String?
    /// `,`, `;` or `tab` for delimited files; nil for JSON.
    public var delimiter: String?
    public var rowsRead = 0
    public var rowsUsed = 0
    public var rowsRejected = 0
    /// Rows that repeat an assignment (or other record) already imported; not used, not rejected.
    public var rowsDuplicate = 0
    /// Header cell as written → the model field it feeds. Columns the format does not use are absent.
    public var columns: [String: String] = [:]
    /// Everything worth telling the user: why the file was not recognised, duplicates, unresolved principals, …
    public var problems: [String] = []
    /// Set when the file could not be read to its end (bad encoding, malformed quoting): the reason.
    public var fatalError: String?

    public init(path: String) {
        self.path = path
    }

    /// Rows used plus duplicates merged into a record already read: with this, `rowsRead == rowsUsedOrMerged +
    /// rowsRejected` (SPEC §2.4's balance; the duplicate count is told in ``problems``).
    public var rowsUsedOrMerged: Int { rowsUsed + rowsDuplicate }

    /// Whether the file was recognised and read to its end.
    public var isComplete: Bool { kind != nil && fatalError == nil }
}

/// Everything the import produced: the joined model, one report per file, every rejected row.
///
/// `SourceRef.file` in model values is the index of the file in ``files``. Principals come only from directory
/// exports (`principals` kind), never from assignment or member lists, so a principal absent from ``model`` is
/// absent from every directory export; ``AccessModel/principalTypesExported`` lists the types such exports cover.
public struct ImportResult: Sendable {
    public var model: AccessModel
    public var files: [FileImportReport]
    public var rejectedRows: [RejectedRow]

    public init(model: AccessModel, files: [FileImportReport], rejectedRows: [RejectedRow]) {
        self.model = model
        self.files = files
        self.rejectedRows = rejectedRows
    }

    /// Files no format matched, or that could not be read to their end.
    public var unreadableFiles: [FileImportReport] { files.filter { !$0.isComplete } }
    public var totalRowsRejected: Int { files.reduce(0) { $0 + $1.rowsRejected } }
}

/// Errors that stop an import before it starts (a missing input). Problems inside a file never throw: they are
/// recorded in the file's report.
public enum ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchFile(String)

    public var description: String {
        switch self {
        case .noSuchFile(let path): "\(path): no such file or directory"
        }
    }
}
