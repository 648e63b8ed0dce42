/// The comparison tiers of SPEC §3.5: labels compare by tier, so a GDPR variant is a refinement, not a higher tier.
public enum LabelTier {
    public static let publicData = 0
    public static let general = 1
    public static let confidential = 2
    public static let highlyConfidential = 3
}

/// A sensitivity label of the taxonomy (SPEC §3.5).
public struct SensitivityLabel: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The label's display name, e.g. `Confidential - GDPR`.
    public var name: String
    /// Its position in the taxonomy, highest last (the SQL policy's `order`: 100, 200, …).
    public var order: Int
    /// What labels compare by: Public 0, General 1, Confidential (and - GDPR) 2, Highly Confidential (and - GDPR) 3.
    public var tier: Int
    /// Well-known ids of the label (SQL information protection label GUIDs), lower-cased.
    public var ids: [String]

    public init(name: String, order: Int, tier: Int, ids: [String] = []) {
        self.name = name
        self.order = order
        self.tier = tier
        self.ids = ids.map { $0.lowercased() }
    }

    public var description: String { name }

    /// The comparison key of a label or information type name: lower-cased letters and digits only, so
    /// `Confidential - GDPR`, `confidential-gdpr` and `Confidential GDPR` are the same label.
    public static func key<S: StringProtocol>(_ name: S) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(name.unicodeScalars.count)
        for scalar in name.lowercased().unicodeScalars
        where scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

/// An information type of the classification policy (the Azure SQL default policy: Networking, Contact Info, …).
public struct InformationType: Sendable, Hashable, Codable, CustomStringConvertible {
    public var name: String
    /// The SQL information protection GUID, lower-cased; empty for a type a policy added without one.
    public var id: String
    public var order: Int
    /// The name of the label the policy recommends for data of this type.
    public var recommendedLabel: String

    public init(name: String, id: String = "", order: Int, recommendedLabel: String) {
        self.name = name
        self.id = id.lowercased()
        self.order = order
        self.recommendedLabel = recommendedLabel
    }

    public var description: String { name }

    /// The name of the Credentials type of the default policy, which `credentials-in-data` looks for.
    public static let credentials = "Credentials"
    /// The catch-all type of the default policy.
    public static let other = "Other"
}

/// A column/asset-name pattern of an information type: an SQL `LIKE` pattern (`%` any run, `_` any one
/// character, `[…]` / `[^…]` a character class), or an exact whole-name word when `sqlLike` is false.
/// Matching ignores case. A pattern with `canBeNumeric` false does not apply to numeric columns.
public struct NamePattern: Sendable, Hashable, Codable {
    public var pattern: String
    public var sqlLike: Bool
    public var canBeNumeric: Bool
    /// The name of the information type the pattern detects.
    public var informationType: String

    public init(_ pattern: String, sqlLike: Bool = true, canBeNumeric: Bool = true, informationType: String) {
        self.pattern = pattern
        self.sqlLike = sqlLike
        self.canBeNumeric = canBeNumeric
        self.informationType = informationType
    }
}
