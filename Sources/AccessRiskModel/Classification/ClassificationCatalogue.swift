/// Where an asset's effective label comes from (SPEC §4 "How the rules read").
public enum LabelSource: String, Sendable, Codable, Hashable {
    /// The asset's own label.
    case own
    /// The highest recommended label of the information types a scanner recorded.
    case recordedTypes = "recorded_types"
    /// The highest recommended label of the information types its name shows (none recorded).
    case nameDetected = "name_detected"
}

/// What the classification says about one asset.
public struct AssetClassification: Sendable, Hashable {
    /// The asset's own label when it is one of the taxonomy (after Microsoft 365 mapping); nil when unlabelled.
    public var ownLabel: SensitivityLabel?
    /// The information types the asset's recorded types map to (duplicates removed, policy order).
    public var recordedTypes: [InformationType]
    /// With no recorded types, the information types its name shows; empty otherwise.
    public var detectedTypes: [InformationType]
    /// The highest recommended label of `recordedTypes`, or else of `detectedTypes`.
    public var recommendedLabel: SensitivityLabel?
    /// The own label, or the recommended label when unlabelled.
    public var effectiveLabel: SensitivityLabel?
    public var labelSource: LabelSource?

    /// Whether the asset has no label of the taxonomy (empty, `None`, `Unclassified` or unknown).
    public var isUnlabelled: Bool { ownLabel == nil }
    /// The types the recommendation is based on: recorded ones, or with none recorded the name-detected ones.
    public var informationTypes: [InformationType] { recordedTypes.isEmpty ? detectedTypes : recordedTypes }
    /// The tier of the effective label, nil when there is none.
    public var tier: Int? { effectiveLabel?.tier }

    /// Effective label at or above `threshold` (a tier; 2 = Confidential by default).
    public func isSensitive(threshold: Int) -> Bool {
        guard let tier else { return false }
        return tier >= threshold
    }
}

/// The compiled classification policy (SPEC §3.5): label taxonomy and tiers, Microsoft 365 mapping, information
/// types with recommended labels, name-pattern detection and the mapping of scanner-recorded types.
public struct ClassificationCatalogue: Sendable {
    public let policy: ClassificationPolicy
    /// Labels lowest first.
    public let labels: [SensitivityLabel]
    public let informationTypes: [InformationType]
    private let labelsByKey: [String: SensitivityLabel]
    private let typesByKey: [String: InformationType]
    private let recordedAliases: [String: String]
    private let patterns: [(like: LikePattern, canBeNumeric: Bool, typeIndex: Int)]
    private let credentialTerms: [String]
    private let credentialExclusions: [String]
    /// The terms and exclusions as bytes when all are ASCII: then an ASCII name is judged on its bytes.
    private let asciiCredentialRules: (terms: [[UInt8]], exclusions: [[UInt8]])?

    /// The default policy, compiled once.
    public static let standard = ClassificationCatalogue(policy: .default)

    public init(policy: ClassificationPolicy) {
        self.policy = policy
        labels = policy.labels.sorted { ($0.order, $0.tier) < ($1.order, $1.tier) }
        var byKey: [String: SensitivityLabel] = [:]
        for label in labels {
            byKey[SensitivityLabel.key(label.name)] = label
            for id in label.ids { byKey[SensitivityLabel.key(id)] = label }
        }
        for (alias, target) in policy.labelAliases.sorted(by: { $0.key < $1.key }) {
            if let label = byKey[SensitivityLabel.key(target)], byKey[SensitivityLabel.key(alias)] == nil {
                byKey[SensitivityLabel.key(alias)] = label
            }
        }
        labelsByKey = byKey
        informationTypes = policy.informationTypes.sorted { ($0.order, $0.name) < ($1.order, $1.name) }
        var types: [String: InformationType] = [:]
        for type in informationTypes {
            types[SensitivityLabel.key(type.name)] = type
            if !type.id.isEmpty { types[SensitivityLabel.key(type.id)] = type }
        }
        typesByKey = types
        var aliases: [String: String] = [:]
        for (alias, target) in policy.recordedTypeAliases { aliases[SensitivityLabel.key(alias)] = target }
        recordedAliases = aliases
        var index: [String: Int] = [:]
        for (i, type) in informationTypes.enumerated() { index[SensitivityLabel.key(type.name)] = i }
        patterns = policy.namePatterns.compactMap { p in
            guard let i = index[SensitivityLabel.key(p.informationType)] else { return nil }
            return (LikePattern(p.pattern, sqlLike: p.sqlLike), p.canBeNumeric, i)
        }
        credentialTerms = policy.credentialNameTerms.map { Self.compact($0) }.filter { !$0.isEmpty }
        credentialExclusions = policy.credentialNameExclusions.map { Self.compact($0) }.filter { !$0.isEmpty }
        let allASCII = (credentialTerms + credentialExclusions).allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
        asciiCredentialRules =
            allASCII ? (credentialTerms.map { Array($0.utf8) }, credentialExclusions.map { Array($0.utf8) }) : nil
    }

    // MARK: Labels

    /// The taxonomy label a label text means, or nil when unlabelled (empty, `None`, `Unclassified`, unknown).
    /// Microsoft 365 labels map by their parent name (`Confidential \ All Employees` → Confidential) and by the
    /// policy's aliases (`Personal`, `Non-business` → Public); label GUIDs of the taxonomy are recognised too.
    public func label(named text: String?) -> SensitivityLabel? {
        guard let text else { return nil }
        let whole = SensitivityLabel.key(text)
        guard !whole.isEmpty else { return nil }
        if let label = labelsByKey[whole] { return label }
        // A Microsoft 365 sub-label: `Parent \ Sub` (also written with `/` or `>`).
        if let cut = text.firstIndex(where: { $0 == "\\" || $0 == "/" || $0 == ">" }) {
            let parent = SensitivityLabel.key(text[..<cut])
            if !parent.isEmpty, let label = labelsByKey[parent] { return label }
        }
        return nil
    }

    /// The tier of a label text, nil when it names no label of the taxonomy.
    public func tier(_ labelText: String) -> Int? { label(named: labelText)?.tier }

    /// The highest tier of the taxonomy (Highly Confidential, 3, by default).
    public var highestTier: Int { labels.map(\.tier).max() ?? LabelTier.highlyConfidential }

    // MARK: Information types

    /// The information type with this name or GUID.
    public func informationType(named name: String) -> InformationType? {
        typesByKey[SensitivityLabel.key(name)]
    }

    /// The information type a scanner-recorded type means: an information type name or GUID, a policy alias, or
    /// a Purview `MICROSOFT.*` / Macie name by its words (unknown Purview and Macie names count as `Other`);
    /// nil for a name nothing explains.
    public func informationType(forRecorded recorded: String) -> InformationType? {
        let key = SensitivityLabel.key(recorded)
        guard !key.isEmpty else { return nil }
        if let type = typesByKey[key] { return type }
        if let target = recordedAliases[key], let type = informationType(named: target) { return type }
        if let name = RecordedTypeMapping.keywordType(recorded), let type = informationType(named: name) {
            return type
        }
        return nil
    }

    /// The information types a column or asset name shows by the policy's name patterns, in policy order.
    /// With `numeric` true (a numeric column), patterns that cannot apply to numbers are skipped.
    public func detectedTypes(name: String, numeric: Bool = false) -> [InformationType] {
        let scalars = Array(name.trimmingSpaces.lowercased().unicodeScalars)
        guard !scalars.isEmpty else { return [] }
        var hit = [Bool](repeating: false, count: informationTypes.count)
        // Patterns needing a letter the name lacks are passed over without matching (most, for most names).
        let present = ScalarSet(scalars)
        for p in patterns where !hit[p.typeIndex] && (p.canBeNumeric || !numeric) {
            if p.like.matches(scalars, scalars: present) { hit[p.typeIndex] = true }
        }
        return informationTypes.indices.filter { hit[$0] }.map { informationTypes[$0] }
    }

    /// The highest recommended label of some information types (by taxonomy order), nil for none.
    public func recommendedLabel(for types: [InformationType]) -> SensitivityLabel? {
        types.compactMap { label(named: $0.recommendedLabel) }.max { $0.order < $1.order }
    }

    // MARK: Credentials

    /// Whether a name says it holds credentials (SPEC §4 `credentials-in-data`): `password`, `passwd`, `pwd`,
    /// `secret`, `token` or `api key` in any case and with any separator. A user-name column is not a credential.
    public func isCredentialName(_ name: String) -> Bool {
        if let rules = asciiCredentialRules, let answer = Self.isCredentialName(ascii: name, rules) { return answer }
        return isCredentialNameByCharacters(name)
    }

    /// ``isCredentialName(_:)`` on `Character`s, for any name.
    func isCredentialNameByCharacters(_ name: String) -> Bool {
        var text = Self.compact(name)
        for exclusion in credentialExclusions { text = text.replacing(exclusion, with: "") }
        return credentialTerms.contains { text.contains($0) }
    }

    /// ``isCredentialName(_:)`` on the bytes of an ASCII name (ASCII terms and exclusions): there characters are
    /// bytes, so compacting, removing every exclusion left to right and looking for the terms give the same answer
    /// as on `String`s, without Foundation's searches. Nil when the name is not ASCII.
    static func isCredentialName(ascii name: String, _ rules: (terms: [[UInt8]], exclusions: [[UInt8]])) -> Bool? {
        var name = name
        return name.withUTF8 { bytes -> Bool? in
            var text: [UInt8] = []
            text.reserveCapacity(bytes.count)
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                // `Character.isWhitespace` for ASCII: tab, line feed, vertical tab, form feed, return, space.
                if (0x09...0x0D).contains(byte) || byte == 0x20 || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                {
                    continue
                }
                text.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            }
            for exclusion in rules.exclusions where text.count >= exclusion.count {
                var kept: [UInt8] = []
                kept.reserveCapacity(text.count)
                var i = 0
                while i < text.count {
                    if text.count - i >= exclusion.count, text[i] == exclusion[0],
                        text[i..<(i + exclusion.count)].elementsEqual(exclusion)
                    {
                        i += exclusion.count
                    } else {
                        kept.append(text[i])
                        i += 1
                    }
                }
                text = kept
            }
            return rules.terms.contains { term in
                guard text.count >= term.count else { return false }
                for start in 0...(text.count - term.count)
                where text[start] == term[0] && text[start..<(start + term.count)].elementsEqual(term) {
                    return true
                }
                return false
            }
        }
    }

    /// Lower-cased with spaces, `_`, `-` and `.` removed (`API_Key` → `apikey`).
    static func compact(_ text: String) -> String {
        String(text.lowercased().filter { !($0.isWhitespace || $0 == "_" || $0 == "-" || $0 == ".") })
    }

    // MARK: Assets

    /// What the classification says about an asset (effective label per SPEC §4 "How the rules read").
    public func classify(_ asset: Asset) -> AssetClassification {
        classify(asset, detect: { detectedTypes(name: $0) })
    }

    /// The asset's effective label: its own label, or when unlabelled the highest recommended label of its
    /// recorded information types, or with none recorded of its name-detected types.
    public func effectiveLabel(for asset: Asset) -> SensitivityLabel? { classify(asset).effectiveLabel }

    /// Whether the asset's effective label is at or above `threshold` (a tier; Confidential = 2 by default).
    public func isSensitive(_ asset: Asset, threshold: Int = LabelTier.confidential) -> Bool {
        classify(asset).isSensitive(threshold: threshold)
    }

    func classify(_ asset: Asset, detect: (String) -> [InformationType]) -> AssetClassification {
        let recorded = recordedTypes(asset.informationTypes)
        return classification(
            own: label(named: asset.label), recorded: recorded, detected: recorded.isEmpty ? detect(asset.name) : [])
    }

    /// The distinct information types of an asset's recorded type texts, in taxonomy order.
    func recordedTypes(_ texts: [String]) -> [InformationType] {
        var recorded: [InformationType] = []
        for text in texts {
            if let type = informationType(forRecorded: text), !recorded.contains(type) { recorded.append(type) }
        }
        recorded.sort { $0.order < $1.order }
        return recorded
    }

    /// An asset's classification from its own label, its recorded types and (when none is recorded) the types its
    /// name shows.
    func classification(own: SensitivityLabel?, recorded: [InformationType], detected: [InformationType])
        -> AssetClassification
    {
        let recommended = recommendedLabel(for: recorded.isEmpty ? detected : recorded)
        let source: LabelSource? =
            own != nil ? .own : recommended == nil ? nil : recorded.isEmpty ? .nameDetected : .recordedTypes
        return AssetClassification(
            ownLabel: own, recordedTypes: recorded, detectedTypes: detected, recommendedLabel: recommended,
            effectiveLabel: own ?? recommended, labelSource: source)
    }

    /// A classifier that remembers name detection per distinct name, for classifying many assets.
    public func makeClassifier() -> AssetClassifier { AssetClassifier(catalogue: self) }
}

/// Classifies many assets. Labels and lists of recorded types repeat across an estate and are looked up once each;
/// names repeat in real ones (column names) but need not, so the types a name shows are remembered for the first
/// 16,384 distinct names only. (A memo of every (label, name, types) grew to half a million entries that were never
/// hit in the enterprise benchmark: its growth and fresh pages cost more than matching the names.)
public struct AssetClassifier {
    public let catalogue: ClassificationCatalogue
    private var labels: [String: SensitivityLabel?] = [:]
    private var recorded: [[String]: [InformationType]] = [:]
    private var detected: [String: [InformationType]] = [:]
    /// How many distinct names' detected types are remembered.
    let namesRemembered: Int

    init(catalogue: ClassificationCatalogue, namesRemembered: Int = 16_384) {
        self.catalogue = catalogue
        self.namesRemembered = namesRemembered
    }

    public mutating func classify(_ asset: Asset) -> AssetClassification {
        let own = asset.label.map { text in
            if let known = labels[text] { return known }
            let label = catalogue.label(named: text)
            labels[text] = label
            return label
        }
        let types: [InformationType]
        if asset.informationTypes.isEmpty {
            types = []
        } else if let known = recorded[asset.informationTypes] {
            types = known
        } else {
            types = catalogue.recordedTypes(asset.informationTypes)
            recorded[asset.informationTypes] = types
        }
        var shown: [InformationType] = []
        if types.isEmpty {
            if let known = detected[asset.name] {
                shown = known
            } else {
                shown = catalogue.detectedTypes(name: asset.name)
                if detected.count < namesRemembered { detected[asset.name] = shown }
            }
        }
        return catalogue.classification(own: own ?? nil, recorded: types, detected: shown)
    }
}
