/// The classification data the rules use, as a value a policy file can override (SPEC §3.5, §8): the label
/// taxonomy, label aliases (Microsoft 365 names, GUIDs), information types with their recommended labels and
/// name patterns, how scanner-recorded types map to information types, and the credential name terms.
///
/// Start from ``default`` and change what the policy says; ``ClassificationCatalogue`` compiles it.
public struct ClassificationPolicy: Sendable, Hashable, Codable {
    /// The labels, lowest first (SPEC §3.5 order).
    public var labels: [SensitivityLabel]
    /// Other names of labels, by alias → label name: Microsoft 365 `Personal` / `Non-business` → Public, the
    /// default Microsoft 365 label GUIDs, … Compared by ``SensitivityLabel/key(_:)``.
    public var labelAliases: [String: String]
    public var informationTypes: [InformationType]
    /// Name patterns in the order they were given (the default policy's 361 patterns first).
    public var namePatterns: [NamePattern]
    /// Scanner type names → information type name, for names the built-in mapping does not know (compared by
    /// ``SensitivityLabel/key(_:)``). Purview `MICROSOFT.*` and Macie names are mapped without entries here.
    public var recordedTypeAliases: [String: String]
    /// What `credentials-in-data` looks for in a name (after removing spaces, `_`, `-` and `.`, lower-cased).
    public var credentialNameTerms: [String]
    /// Words that contain a credential term but are not credentials (`secretary`), removed before matching.
    public var credentialNameExclusions: [String]

    public init(
        labels: [SensitivityLabel], labelAliases: [String: String] = [:], informationTypes: [InformationType],
        namePatterns: [NamePattern], recordedTypeAliases: [String: String] = [:],
        credentialNameTerms: [String] = ClassificationPolicy.defaultCredentialNameTerms,
        credentialNameExclusions: [String] = ClassificationPolicy.defaultCredentialNameExclusions
    ) {
        self.labels = labels
        self.labelAliases = labelAliases
        self.informationTypes = informationTypes
        self.namePatterns = namePatterns
        self.recordedTypeAliases = recordedTypeAliases
        self.credentialNameTerms = credentialNameTerms
        self.credentialNameExclusions = credentialNameExclusions
    }

    /// The Azure SQL default policy (labels, 12 information types, 361 patterns) with the Microsoft 365 mapping.
    public static let `default`: ClassificationPolicy = {
        var labels: [SensitivityLabel] = []
        var types: [InformationType] = []
        for row in DefaultClassificationData.policyRows {
            switch row.kind {
            case "label":
                labels.append(
                    SensitivityLabel(name: row.name, order: row.order, tier: defaultTier(of: row.name), ids: [row.id]))
            default:
                types.append(
                    InformationType(
                        name: row.name, id: row.id, order: row.order, recommendedLabel: row.recommendedLabel))
            }
        }
        let patterns = DefaultClassificationData.patternRows.map {
            NamePattern(
                $0.pattern, sqlLike: $0.sqlLike, canBeNumeric: $0.canBeNumeric, informationType: $0.informationType)
        }
        return ClassificationPolicy(
            labels: labels, labelAliases: microsoft365Aliases, informationTypes: types, namePatterns: patterns)
    }()

    /// SPEC §3.5 tiers of the default label names.
    public static func defaultTier(of name: String) -> Int {
        switch SensitivityLabel.key(name) {
        case "public": LabelTier.publicData
        case "general": LabelTier.general
        case "confidential", "confidentialgdpr": LabelTier.confidential
        default: LabelTier.highlyConfidential
        }
    }

    /// Microsoft 365 default labels by name and by their default GUIDs (`defa4170-0d19-0005-XXXX-bc88714345d2`).
    /// Sub-labels (`Confidential \ All Employees`) map by their parent name without an entry here.
    public static let microsoft365Aliases: [String: String] = {
        var aliases: [String: String] = [
            "Personal": "Public",
            "Non-business": "Public",
            "Non business": "Public",
        ]
        let byNumber: [(String, String)] = [
            ("0000", "Public"), ("0001", "Public"), ("0002", "General"), ("0003", "General"), ("0004", "General"),
            ("0005", "Confidential"), ("0006", "Confidential"), ("0007", "Confidential"), ("0008", "Confidential"),
            ("0009", "Highly Confidential"), ("000a", "Highly Confidential"), ("000b", "Highly Confidential"),
        ]
        for (number, label) in byNumber { aliases["defa4170-0d19-0005-\(number)-bc88714345d2"] = label }
        return aliases
    }()

    /// SPEC §4 `credentials-in-data`: `password`, `passwd`, `pwd`, `secret`, `token`, `api key` (any separator).
    public static let defaultCredentialNameTerms = ["password", "passwd", "pwd", "secret", "token", "apikey"]
    /// `secretary`, `secretariat`, … are not secrets.
    public static let defaultCredentialNameExclusions = ["secretar"]

    /// Adds name patterns for an information type (a policy's extra patterns); `%` wildcards as in SQL `LIKE`.
    public mutating func addNamePatterns(_ patterns: [String], to informationType: String, canBeNumeric: Bool = true) {
        for p in patterns {
            namePatterns.append(
                NamePattern(p, sqlLike: true, canBeNumeric: canBeNumeric, informationType: informationType))
        }
    }
}
