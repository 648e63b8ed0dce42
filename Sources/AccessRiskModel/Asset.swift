/// A data asset with its classification (SPEC §2.1 `assets`): a SQL column, a storage container, a bucket, …
public struct Asset: Sendable, Hashable, Codable {
    /// Stable id: for an Azure SQL column `<database resource id>/<schema>.<table>.<column>`.
    public var assetId: String
    /// The asset's own name (the column name for SQL), which name patterns apply to.
    public var name: String
    /// e.g. `sql_column`, `storage_container`, `s3_bucket`.
    public var type: String
    /// The ARM (or other) resource id holding the asset; access reaches it through scopes covering this.
    public var resourceId: String
    public var owner: String?
    /// Whether the input that described the asset records ownership at all. An Azure SQL classification export
    /// has no owner column: its columns have an unknown owner, not a missing one.
    public var ownerRecorded: Bool
    /// The sensitivity label as exported; nil or empty when unlabelled.
    public var label: String?
    /// Information types recorded by a scanner (Purview `MICROSOFT.*`, Macie categories, SQL information type).
    public var informationTypes: [String]
    /// nil when the input does not say.
    public var isPublic: Bool?
    public var source: SourceRef?

    public init(
        assetId: String, name: String, type: String, resourceId: String, owner: String? = nil, label: String? = nil,
        informationTypes: [String] = [], isPublic: Bool? = nil, ownerRecorded: Bool = true, source: SourceRef? = nil
    ) {
        self.assetId = assetId
        self.ownerRecorded = ownerRecorded
        self.name = name
        self.type = type
        self.resourceId = resourceId
        self.owner = owner
        self.label = label
        self.informationTypes = informationTypes
        self.isPublic = isPublic
        self.source = source
    }

    /// The scope the asset lives at, for the covers relation.
    public var scope: Scope { Scope(resourceId) }
}

/// One row of the AWS IAM credential report (access key ids are never kept).
public struct AWSCredential: Sendable, Hashable, Codable {
    public var user: String
    public var arn: String
    public var userCreationTime: Timestamp?
    public var passwordEnabled: Bool?
    public var passwordLastUsed: Timestamp?
    public var passwordLastChanged: Timestamp?
    public var mfaActive: Bool?
    public var accessKey1Active: Bool?
    public var accessKey1LastRotated: Timestamp?
    public var accessKey1LastUsed: Timestamp?
    public var accessKey2Active: Bool?
    public var accessKey2LastRotated: Timestamp?
    public var accessKey2LastUsed: Timestamp?
    public var source: SourceRef?

    public init(user: String, arn: String) {
        self.user = user
        self.arn = arn
    }

    /// The AWS account id from the ARN (`arn:aws:iam::123456789012:user/x`).
    public var accountId: String {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 4 ? String(parts[4]) : ""
    }

    /// The root user's row is named `<root_account>`.
    public var isRoot: Bool { user == "<root_account>" }
}
