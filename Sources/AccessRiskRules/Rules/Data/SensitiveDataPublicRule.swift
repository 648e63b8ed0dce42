import AccessRiskModel

/// A sensitive (or unclassified-sensitive) asset flagged public (SPEC §4).
struct SensitiveDataPublicRule: Rule {
    static let description = RuleDescription(
        id: "sensitive-data-public", category: .sensitiveData, title: "Sensitive data exposed publicly",
        subject: "asset", requiredInputs: [.assets], baseLikelihood: 4, baseImpact: 4,
        rationale: """
            Public or anonymous access bypasses identity altogether: anyone who finds the URL reads the data, and \
            no access review can see who did.
            """,
        condition: """
            The asset is flagged public (public blob access, Macie effectivePermission PUBLIC, …) and its \
            effective label (own label or, when unlabelled, the recommended label of its information types) is \
            at or above the sensitivity threshold.
            """,
        remediation: """
            Disable anonymous/public access (Allow Blob Anonymous Access off, S3 Block Public Access on) and share \
            through identities or time-limited delegation instead.
            """,
        controls: [
            "CIS-Azure 10.3.9", "CIS-AWS 2.1.4", "NIST 800-53 AC-3", "NIST 800-53 AC-22", "ISO 27001 A.5.15",
            "ISO 27001 A.8.3", "SOC2 CC6.1", "PCI 7.2.1",
        ],
        anchors: [
            "Macie Policy:IAMUser/S3BucketPublic",
            "Defender for Cloud: Storage account public access should be disallowed",
        ],
        triggering: [
            RuleExample(
                "public Highly Confidential container and public unlabelled e-mail column",
                expect: [
                    DataFixtures.key(DataFixtures.container("payroll")), DataFixtures.key(DataFixtures.column("email")),
                ]
            ) { m in
                m.assets = [
                    DataFixtures.container("payroll", label: "Highly Confidential", isPublic: true),
                    DataFixtures.column("email", isPublic: true),
                ]
            }
        ],
        nonTriggering: [
            RuleExample("public data below the threshold") { m in
                m.assets = [
                    DataFixtures.container("press", label: "Public", isPublic: true),
                    DataFixtures.container("menu", label: "General", isPublic: true),
                ]
            },
            RuleExample("sensitive data not public, or exposure unknown") { m in
                m.assets = [
                    DataFixtures.container("payroll", label: "Highly Confidential", isPublic: false),
                    DataFixtures.column("ssn", label: "Confidential"),
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
            guard assets[i].isPublic == true, classifications[i].isSensitive(threshold: threshold) else { continue }
            let item = context.classifiedAsset(i)
            guard let label = item.classification.effectiveLabel else { continue }
            let how = item.classification.isUnlabelled ? "unlabelled but recommended \(label.name)" : label.name
            out.append(
                Self.description.assetFinding(
                    item, evidence: "Asset \(describe(item.asset)) is flagged public and is \(how)."))
        }
        return out
    }
}
