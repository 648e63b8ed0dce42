import AccessRiskModel

/// A label below the recommended label of the asset's information types (SPEC §4).
struct UnderClassifiedDataRule: Rule {
    static let description = RuleDescription(
        id: "under-classified-data", category: .sensitiveData, title: "Data labelled below its information type",
        subject: "asset", requiredInputs: [.assets], baseLikelihood: 3, baseImpact: 3,
        rationale: """
            A label lower than the data deserves opens it to the sharing, retention and access rules of the lower \
            label. Social security numbers labelled General are handled like the canteen menu.
            """,
        condition: """
            The asset's own label has a lower tier than the highest label recommended for its information types \
            (recorded by a scanner or, with none recorded, detected from its name). Labels compare by tier, so a \
            GDPR variant of the same tier is not below.
            """,
        remediation: """
            Raise the label to the recommended one, or correct the information type if the scanner or the name \
            misleads.
            """,
        controls: [
            "NIST 800-53 RA-2", "ISO 27001 A.5.12", "ISO 27001 A.5.13", "SOC2 C1.1", "PCI 9.4.2",
        ],
        anchors: [
            "Azure SQL information protection policy recommendedLabelId",
            "Defender CSPM data sensitivity threshold",
        ],
        triggering: [
            RuleExample(
                "SSN column labelled General, detected by name",
                expect: [DataFixtures.key(DataFixtures.column("ssn"))]
            ) { m in
                m.assets = [DataFixtures.column("ssn", label: "General")]
            },
            RuleExample(
                "recorded type wins over a harmless name; Microsoft 365 Personal maps to Public",
                expect: [DataFixtures.key(DataFixtures.column("notes")), DataFixtures.key(DataFixtures.column("c9"))]
            ) { m in
                m.assets = [
                    DataFixtures.column("notes", label: "Public", types: ["USA_SOCIAL_SECURITY_NUMBER"]),
                    DataFixtures.column("c9", label: "Personal", types: ["MICROSOFT.PERSONAL.EMAIL"]),
                ]
            },
        ],
        nonTriggering: [
            RuleExample("GDPR variant recommended, plain Confidential applied: same tier") { m in
                m.assets = [DataFixtures.column("ssn", label: "Confidential")]
            },
            RuleExample("label above the recommendation") { m in
                m.assets = [DataFixtures.column("email", label: "Highly Confidential - GDPR")]
            },
            RuleExample("unlabelled (the unclassified rule's case) and harmless labelled columns") { m in
                m.assets = [DataFixtures.column("ssn"), DataFixtures.column("created_at", label: "General")]
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let classifications = context.assetClassifications
        var out: [Finding] = []
        // Tiers read in place, by index: the asset and its classification are copied only for a finding.
        for i in classifications.indices {
            guard let ownTier = classifications[i].ownLabel?.tier,
                let recommendedTier = classifications[i].recommendedLabel?.tier, ownTier < recommendedTier
            else { continue }
            let item = context.classifiedAsset(i)
            let c = item.classification
            guard let own = c.ownLabel, let recommended = c.recommendedLabel else { continue }
            var f = Self.description.assetFinding(
                item,
                evidence: "Asset \(describe(item.asset)) is labelled \(own.name) (tier \(own.tier)); "
                    + "\(recommendationReason(c)), so \(recommended.name) (tier \(recommended.tier)) is recommended.")
            f.facts.dataTier = dataTier(recommended.tier)
            out.append(f)
        }
        return out
    }
}
