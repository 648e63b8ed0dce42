/// A file that cannot be read as delimited text, with where and why.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The file cannot be opened or read.
        case unreadable
        /// Not UTF-8 or UTF-16 with a BOM.
        case unsupportedEncoding = "unsupported_encoding"
        /// A binary file: NUL bytes or a known binary signature.
        case binary
        /// libcsv rejected the text in strict mode (stray quote, unterminated quoted field).
        case malformed
        /// A callback of the caller failed.
        case aborted
    }

    public var file: String
    /// 1-based physical line, when known.
    public var line: Int?
    /// 1-based field (column) number within the record, when known.
    public var column: Int?
    public var kind: Kind
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, kind: Kind, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.kind = kind
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(message)"
    }
}
