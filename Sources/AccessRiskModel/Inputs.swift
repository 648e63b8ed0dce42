/// The kinds of input of SPEC §2.1.
public enum InputKind: String, Sendable, Codable, CaseIterable, Comparable {
    case assignments
    case principals
    case memberships
    case roles
    case hierarchy
    case assets
    case awsCredentials = "aws-credentials"

    public static func < (a: InputKind, b: InputKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Where a model value came from: the input file (its index in the import's file list) and the physical line.
public struct SourceRef: Sendable, Hashable, Codable {
    public var file: Int32
    public var line: Int32

    public init(file: Int, line: Int) {
        self.file = Int32(truncatingIfNeeded: file)
        self.line = Int32(truncatingIfNeeded: line)
    }
}
