import AccessRiskModel

/// A sensitive asset with no owner (SPEC §4).
struct SensitiveDataWithoutOwnerRule: Rule {
    static let description = RuleDescription(
        id: "sensitive-data-without-owner", category: .sensitiveData, title: "Sensitive data without an owner",
        subject: "asset", requiredInputs: [.assets], baseLikelihood: 2, baseImpact: 3,
        rationale: """
            Access to sensitive data is approved by its owner. Without one, nobody can answer the access review \
            for it, and access accumulates unchallenged.
            """,
        condition: """
            The asset's effective label (its own label or, when unlabelled, the recommended label of its \
            information types) is at or above the sensitivity threshold and its owner is empty or no value, in an \
            input that records owners (an Azure SQL classification export has no owner column, so its columns are \
            not judged).
            """,
        remediation: "Name an accountable owner (data steward) for the asset in the catalogue or as a tag.",
        controls: ["NIST 800-53 CM-8", "NIST 800-53 PM-5", "ISO 27001 A.5.9", "SOC2 C1.1", "PCI 12.5.1"],
        anchors: ["Purview data governance: asset owners and stewards", "detection-rules D03 (HC asset unowned)"],
        triggering: [
            RuleExample(
                "labelled and unlabelled sensitive assets without owner",
                expect: [DataFixtures.key(DataFixtures.column("salary")), DataFixtures.key(DataFixtures.column("dob"))]
            ) { m in
                m.assets = [
                    DataFixtures.column("salary", label: "Highly Confidential", owner: nil),
                    DataFixtures.column("dob", owner: "N/A"),
                ]
            }
        ],
        nonTriggering: [
            RuleExample("a sensitive SQL column from an export that records no owners (owner unknown, not missing)") {
                m in
                m.assets = [
                    Asset(
                        assetId: "/db/dbo.people.ssn", name: "ssn", type: "sql_column", resourceId: "/db",
                        label: "Confidential - GDPR", ownerRecorded: false)
                ]
            },
            RuleExample("sensitive asset with an owner") { m in
                m.assets = [DataFixtures.column("ssn", label: "Confidential - GDPR", owner: "hr-data@contoso.com")]
            },
            RuleExample("asset below the threshold without owner") { m in
                m.assets = [
                    DataFixtures.column("menu", label: "General", owner: nil),
                    DataFixtures.column("created_at", owner: ""),
                ]
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let threshold = context.settings.sensitivityThresholdTier
        let assets = context.model.assets
        let classifications = context.assetClassifications
        var out: [Finding] = []
        // Fields read in place, by index: the asset and its classification are copied only for a finding.
        for i in assets.indices {
            // An input without owner information (an Azure SQL classification export) says nothing either way.
            guard assets[i].ownerRecorded, classifications[i].isSensitive(threshold: threshold),
                NoValue.isNoValue(assets[i].owner ?? "")
            else { continue }
            let item = context.classifiedAsset(i)
            guard let label = item.classification.effectiveLabel else { continue }
            out.append(
                Self.description.assetFinding(
                    item, evidence: "Asset \(describe(item.asset)) is \(label.name) and has no owner."))
        }
        return out
    }
}
