import AccessRiskModel

/// Credentials stored as data: a recorded Credentials type or a credential-like name (SPEC §4).
struct CredentialsInDataRule: Rule {
    static let description = RuleDescription(
        id: "credentials-in-data", category: .sensitiveData, title: "Credentials stored in data",
        subject: "asset", requiredInputs: [.assets], baseLikelihood: 3, baseImpact: 4,
        rationale: """
            Passwords, secrets, tokens and API keys kept in tables or buckets hand every reader of the data the \
            access of the credential's owner: lateral movement that no role assignment shows.
            """,
        condition: """
            A scanner recorded the Credentials information type (Macie CREDENTIALS, Purview MICROSOFT.SECURITY.*, \
            SQL Credentials), or the asset's name contains password, passwd, pwd, secret, token or api key \
            (api_key, apikey, api-key), in any case. A user-name column alone is not a credential.
            """,
        remediation: """
            Move the secret to a vault (Key Vault, Secrets Manager) and rotate it; store only salted hashes of \
            passwords; restrict and monitor access to the data until it is gone.
            """,
        controls: [
            "NIST 800-53 IA-5(7)", "NIST 800-53 SC-28", "ISO 27001 A.5.17", "ISO 27001 A.8.24", "SOC2 CC6.1",
            "PCI 8.3.2",
        ],
        anchors: [
            "Amazon Macie SensitiveData:S3Object/Credentials", "Azure SQL information type Credentials",
            "Purview MICROSOFT.SECURITY classifications",
        ],
        triggering: [
            RuleExample(
                "credential-like column names",
                expect: ["password_hash", "API_Key", "refresh token", "db_pwd"].map {
                    DataFixtures.key(DataFixtures.column($0))
                }
            ) { m in
                m.assets = ["password_hash", "API_Key", "refresh token", "db_pwd"].map {
                    DataFixtures.column($0, label: "Confidential")
                }
            },
            RuleExample(
                "recorded Credentials types (Macie, Purview)",
                expect: [DataFixtures.key(DataFixtures.container("cfg")), DataFixtures.key(DataFixtures.column("c1"))]
            ) { m in
                m.assets = [
                    DataFixtures.container("cfg", types: ["CREDENTIALS"]),
                    DataFixtures.column("c1", types: ["MICROSOFT.SECURITY.AZURE_STORAGE_ACCOUNT_KEY"]),
                ]
            },
        ],
        nonTriggering: [
            RuleExample("user names, passports and secretaries are not credentials") { m in
                m.assets = ["username", "user_name", "UserAccount", "passport_no", "secretary_name"].map {
                    DataFixtures.column($0)
                }
            },
            RuleExample("recorded types other than Credentials") { m in
                m.assets = [DataFixtures.column("c1", types: ["MICROSOFT.PERSONAL.EMAIL", "Contact Info"])]
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let catalogue = context.classification
        let credentialsKey = SensitivityLabel.key(InformationType.credentials)
        // Column names repeat across tables and databases: judge each distinct name once.
        var credentialName: [String: Bool] = [:]
        // Assets and classifications are read in place, by index: each is copied only for a finding.
        let assets = context.model.assets
        let classifications = context.assetClassifications
        var out: [Finding] = []
        for i in assets.indices {
            let recorded = classifications[i].recordedTypes.contains {
                SensitivityLabel.key($0.name) == credentialsKey
            }
            let named: Bool
            if let known = credentialName[assets[i].name] {
                named = known
            } else {
                named = catalogue.isCredentialName(assets[i].name)
                credentialName[assets[i].name] = named
            }
            guard recorded || named else { continue }
            let why =
                recorded && named
                ? "a scanner recorded Credentials and its name looks like a credential"
                : recorded ? "a scanner recorded the Credentials information type" : "its name looks like a credential"
            let item = context.classifiedAsset(i)
            out.append(Self.description.assetFinding(item, evidence: "Asset \(describe(item.asset)): \(why)."))
        }
        return out
    }
}
