import AccessRiskModel

/// An asset with what the classification says about it.
struct ClassifiedAsset {
    let asset: Asset
    let classification: AssetClassification

    /// The stable subject key of an asset finding: its asset id, lower-cased (ARM ids are case-insensitive and
    /// exports vary their case between cycles).
    var subjectKey: String { asset.assetId.lowercased() }
}

extension RuleContext {
    /// The asset at `index` of `model.assets` with its classification (copies of both, made for a finding: the data
    /// rules read the assets and `assetClassifications` in place, by index, since a copy of every asset per rule
    /// was most of their work).
    func classifiedAsset(_ index: Int) -> ClassifiedAsset {
        ClassifiedAsset(asset: model.assets[index], classification: assetClassifications[index])
    }
}

extension RuleDescription {
    /// A finding of this rule with the description's id, category, title, base scores and controls.
    func finding(subjectKey: String, evidence: String, _ fill: (inout Finding) -> Void = { _ in }) -> Finding {
        var f = Finding(
            ruleId: id, category: category, title: title, subjectKey: subjectKey, evidence: evidence,
            baseLikelihood: baseLikelihood, baseImpact: baseImpact, controls: controls)
        fill(&f)
        return f
    }

    /// A finding about one asset: resource, asset, effective label and data tier filled in.
    func assetFinding(_ item: ClassifiedAsset, evidence: String) -> Finding {
        finding(subjectKey: item.subjectKey, evidence: evidence) { f in
            f.resource = item.asset.resourceId
            f.asset = item.asset.assetId
            f.label = item.classification.effectiveLabel?.name
            f.facts.dataTier = dataTier(item.classification.tier)
        }
    }
}

/// The data tier scoring adjusts on (SPEC §5): 3 Highly Confidential, 2 Confidential, nil below.
func dataTier(_ tier: Int?) -> Int? {
    guard let tier, tier >= LabelTier.confidential else { return nil }
    return min(tier, LabelTier.highlyConfidential)
}

/// How an asset is described in evidence: `column ssn (…/hr/dbo.employees.ssn)`.
func describe(_ asset: Asset) -> String {
    asset.name == asset.assetId ? "'\(asset.assetId)'" : "'\(asset.name)' (\(asset.assetId))"
}

/// Why the classification recommends a label, for evidence: `a scanner recorded SSN` / `its name matches SSN`.
func recommendationReason(_ c: AssetClassification) -> String {
    if !c.recordedTypes.isEmpty {
        return "a scanner recorded " + c.recordedTypes.map(\.name).joined(separator: ", ")
    }
    if !c.detectedTypes.isEmpty {
        return "its name matches " + c.detectedTypes.map(\.name).joined(separator: ", ")
    }
    return "no information type is known"
}

/// Example fixtures shared by the data rules' examples.
enum DataFixtures {
    static let subscription = "/subscriptions/11111111-1111-1111-1111-111111111111"
    static let resourceGroup = subscription + "/resourceGroups/rg-data"
    static let database = resourceGroup + "/providers/Microsoft.Sql/servers/sql-hr/databases/hr"
    static let storage = resourceGroup + "/providers/Microsoft.Storage/storageAccounts/sthr"
    static let container = storage + "/blobServices/default/containers/payroll"
    static let vault = resourceGroup + "/providers/Microsoft.KeyVault/vaults/kv-hr"

    /// An Azure SQL column asset, id `<database>/<schema>.<table>.<column>`.
    static func column(
        _ name: String, table: String = "dbo.employees", label: String? = nil, types: [String] = [],
        owner: String? = "dba@contoso.com", isPublic: Bool? = nil, database: String = DataFixtures.database
    ) -> Asset {
        Asset(
            assetId: database + "/" + table + "." + name, name: name, type: "sql_column", resourceId: database,
            owner: owner, label: label, informationTypes: types, isPublic: isPublic)
    }

    /// A storage container asset.
    static func container(
        _ name: String = "payroll", label: String? = nil, types: [String] = [], owner: String? = "hr@contoso.com",
        isPublic: Bool? = nil
    ) -> Asset {
        let id = storage + "/blobServices/default/containers/" + name
        return Asset(
            assetId: id, name: name, type: "storage_container", resourceId: id, owner: owner, label: label,
            informationTypes: types, isPublic: isPublic)
    }

    /// The subject key of a column asset finding.
    static func key(_ asset: Asset) -> String { asset.assetId.lowercased() }
}
