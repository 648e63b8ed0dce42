import AccessRiskModel

/// An unlabelled asset whose name or recorded information types show sensitive data (SPEC §4).
struct UnclassifiedSensitiveDataRule: Rule {
    static let description = RuleDescription(
        id: "unclassified-sensitive-data", category: .sensitiveData, title: "Sensitive data without a label",
        subject: "asset", requiredInputs: [.assets], baseLikelihood: 3, baseImpact: 3,
        rationale: """
            Labels drive data loss prevention, encryption and access decisions. Data that a scanner or its name \
            shows to be sensitive but that carries no label escapes every control keyed on labels, and nobody \
            has decided who may see it.
            """,
        condition: """
            The asset has no label of the taxonomy (empty, None, Unclassified or unknown) and the highest label \
            recommended for its information types (recorded by a scanner or, with none recorded, detected from \
            its name by the SQL classification patterns) is at or above the sensitivity threshold.
            """,
        remediation: """
            Classify the asset: apply the recommended label (Azure SQL Data Discovery & Classification, Purview \
            or Macie findings show it), or record why the data is not sensitive.
            """,
        controls: [
            "NIST 800-53 RA-2", "ISO 27001 A.5.12", "ISO 27001 A.5.13", "ISO 27001 A.5.9", "SOC2 C1.1",
            "PCI 9.4.2",
        ],
        anchors: [
            "Defender for Cloud: Sensitive data in your SQL databases should be classified",
            "Azure SQL Data Discovery & Classification recommendations", "Purview insights: unclassified assets",
            "Amazon Macie SensitiveData findings",
        ],
        triggering: [
            RuleExample(
                "unlabelled SSN column, detected by name",
                expect: [DataFixtures.key(DataFixtures.column("ssn"))]
            ) { m in
                m.assets = [DataFixtures.column("ssn", label: "")]
            },
            RuleExample(
                "label None, Unclassified or unknown counts as unlabelled; recorded Purview type",
                expect: [
                    DataFixtures.key(DataFixtures.column("c1")), DataFixtures.key(DataFixtures.column("c2")),
                    DataFixtures.key(DataFixtures.column("c3")),
                ]
            ) { m in
                m.assets = [
                    DataFixtures.column("c1", label: "None", types: ["MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER"]),
                    DataFixtures.column("c2", label: "Unclassified", types: ["Contact Info"]),
                    DataFixtures.column("c3", label: "Top Secret Stuff", types: ["PERSONAL_INFORMATION"]),
                ]
            },
            RuleExample(
                "unlabelled bucket with a Macie credentials finding",
                expect: [DataFixtures.key(DataFixtures.container("keys"))]
            ) { m in
                m.assets = [DataFixtures.container("keys", types: ["CREDENTIALS"])]
            },
        ],
        nonTriggering: [
            RuleExample("labelled sensitive column") { m in
                m.assets = [DataFixtures.column("ssn", label: "Confidential - GDPR")]
            },
            RuleExample("Microsoft 365 sub-label counts as a label") { m in
                m.assets = [DataFixtures.column("email", label: "Confidential \\ All Employees")]
            },
            RuleExample("unlabelled column whose name shows nothing sensitive") { m in
                m.assets = [
                    DataFixtures.column("created_at"), DataFixtures.column("order_count"),
                    DataFixtures.column("description"),
                ]
            },
            RuleExample("unlabelled column with an unknown recorded type and a harmless name") { m in
                m.assets = [DataFixtures.column("notes", types: ["SomethingElse"])]
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let threshold = context.settings.sensitivityThresholdTier
        let classifications = context.assetClassifications
        var out: [Finding] = []
        // Classifications read in place, by index: the asset and its classification are copied only for a finding.
        for i in classifications.indices {
            guard classifications[i].isUnlabelled, classifications[i].isSensitive(threshold: threshold) else {
                continue
            }
            let item = context.classifiedAsset(i)
            let c = item.classification
            guard let recommended = c.recommendedLabel else { continue }
            let text = item.asset.label ?? ""
            let unlabelled = NoValue.isNoValue(text) || SensitivityLabel.key(text) == "unclassified"
            let own = unlabelled ? "no label" : "the label '\(text)', which is not in the taxonomy"
            out.append(
                Self.description.assetFinding(
                    item,
                    evidence: "Asset \(describe(item.asset)) has \(own); \(recommendationReason(c)), "
                        + "so \(recommended.name) is recommended."))
        }
        return out
    }
}
