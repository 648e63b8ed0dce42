import Testing

@testable import AccessRiskModel

@Suite("Classification: taxonomy, patterns, recorded types, effective label")
struct ClassificationTests {
    let catalogue = ClassificationCatalogue.standard

    // MARK: Taxonomy

    @Test func taxonomyOrderAndTiers() {
        #expect(
            catalogue.labels.map(\.name) == [
                "Public", "General", "Confidential", "Confidential - GDPR", "Highly Confidential",
                "Highly Confidential - GDPR",
            ])
        #expect(catalogue.labels.map(\.tier) == [0, 1, 2, 2, 3, 3])
        #expect(catalogue.labels.map(\.order) == [100, 200, 300, 400, 500, 600])
        #expect(catalogue.highestTier == LabelTier.highlyConfidential)
    }

    @Test(arguments: [
        ("Public", 0), ("general", 1), ("CONFIDENTIAL", 2), ("Confidential - GDPR", 2), ("Confidential-GDPR", 2),
        ("confidential gdpr", 2), ("Highly Confidential", 3), ("Highly Confidential - GDPR", 3),
        ("  Highly Confidential  ", 3),
    ])
    func labelTiers(_ text: String, _ tier: Int) {
        #expect(catalogue.tier(text) == tier)
    }

    @Test(arguments: [
        ("Confidential \\ All Employees", "Confidential"), ("Confidential\\Trusted People", "Confidential"),
        ("Highly Confidential \\ Specified People", "Highly Confidential"),
        ("General \\ Anyone (unrestricted)", "General"), ("Personal", "Public"), ("Non-business", "Public"),
        ("Non-Business", "Public"), ("defa4170-0d19-0005-0009-bc88714345d2", "Highly Confidential"),
        ("331f0b13-76b5-2f1b-a77b-def5a73c73c2", "Confidential"),
    ])
    func microsoft365AndGuidMapping(_ text: String, _ expected: String) {
        #expect(catalogue.label(named: text)?.name == expected)
    }

    @Test(arguments: ["", "   ", "None", "Unclassified", "Top Secret", "N/A", "Restricted \\ Finance"])
    func unlabelledSpellings(_ text: String) {
        #expect(catalogue.label(named: text) == nil)
    }

    @Test func nilLabelIsUnlabelled() {
        #expect(catalogue.label(named: nil) == nil)
    }

    // MARK: Information types

    @Test func informationTypesAndRecommendedLabels() {
        let byName = Dictionary(uniqueKeysWithValues: catalogue.informationTypes.map { ($0.name, $0.recommendedLabel) })
        #expect(byName.count == 12)
        #expect(byName["Networking"] == "Confidential")
        #expect(byName["Credentials"] == "Confidential")
        #expect(byName["SSN"] == "Confidential - GDPR")
        #expect(byName["Health"] == "Confidential - GDPR")
        #expect(byName["Date Of Birth"] == "Confidential - GDPR")
        #expect(byName["Other"] == "Confidential")
        #expect(catalogue.informationType(named: "d936ec2c-04a4-9cf7-44c2-378a96456c61")?.name == "SSN")
    }

    // MARK: Name patterns

    @Test(arguments: [
        ("ssn", ["SSN"]), ("SSN", ["SSN"]), ("EmployeeSSN", ["SSN"]), ("soc_sec_id", ["SSN"]),
        ("email", ["Contact Info"]), ("E-Mail", ["Contact Info"]), ("ip", ["Networking"]),
        ("client_ip_address", ["Networking", "Contact Info"]), ("mac_address", ["Networking", "Contact Info"]),
        ("dob", ["Date Of Birth"]), ("birth_date", ["Date Of Birth"]), ("iban", ["Banking"]),
        ("credit_card_number", ["Credit Card"]), ("Führerschein", ["National ID"]),
        ("patient_id", ["Health"]), ("first_name", ["Name"]), ("password", ["Credentials"]),
        ("username", ["Credentials"]), ("passport_no", ["Credentials", "National ID"]),
    ])
    func detectsByName(_ name: String, _ types: [String]) {
        #expect(catalogue.detectedTypes(name: name).map(\.name) == types)
    }

    /// The SQL policy is broad: `social_security_no` also matches Credit Card (`%security%no%`-style card terms) and
    /// Other (`%security%`); the highest recommendation still decides.
    @Test func overlappingPatternsAllCount() {
        let types = catalogue.detectedTypes(name: "social_security_no").map(\.name)
        #expect(types.first == "SSN")
        #expect(types.contains("Other"))
        #expect(catalogue.classify(asset("social_security_no")).effectiveLabel?.name == "Confidential - GDPR")
    }

    @Test(arguments: ["created_at", "order_count", "description", "notes", "id", "status", "ipsum", "shipaddress2"])
    func harmlessNamesDetectNothingSensitive(_ name: String) {
        let types = catalogue.detectedTypes(name: name).map(\.name)
        if name == "shipaddress2" {
            // `%addr%` is Contact Info; `%[^h]ip%address%` needs a character other than `h` before `ip`.
            #expect(types == ["Contact Info"])
        } else {
            #expect(types.isEmpty, "\(name): \(types)")
        }
    }

    @Test func exactWordsMatchOnlyTheWholeName() {
        #expect(catalogue.detectedTypes(name: "ssn").map(\.name) == ["SSN"])
        #expect(catalogue.detectedTypes(name: "lesson").isEmpty)
        #expect(catalogue.detectedTypes(name: "mc").map(\.name) == ["Credit Card"])
        #expect(catalogue.detectedTypes(name: "mcdonald").isEmpty)
    }

    @Test func numericColumnsSkipPatternsThatCannotBeNumeric() {
        // `%email%`, `ip`, `%first%name%` have can_be_numeric = 0; `%ssn%`-like and `%card%` have 1.
        #expect(catalogue.detectedTypes(name: "email_count", numeric: true).isEmpty)
        #expect(catalogue.detectedTypes(name: "email_count", numeric: false).map(\.name) == ["Contact Info"])
        #expect(catalogue.detectedTypes(name: "ip", numeric: true).isEmpty)
        #expect(catalogue.detectedTypes(name: "first_name", numeric: true).isEmpty)
        #expect(catalogue.detectedTypes(name: "ssn", numeric: true).map(\.name) == ["SSN"])
        #expect(catalogue.detectedTypes(name: "card_number", numeric: true).map(\.name) == ["Credit Card"])
    }

    @Test func likeSemantics() {
        #expect(LikePattern("%ss_num%").matches("emp_ss-num"))
        #expect(!LikePattern("%ss_num%").matches("ssnum"))
        #expect(LikePattern("%[^h]ip%address%").matches("client_ipaddress"))
        #expect(!LikePattern("%[^h]ip%address%").matches("shipaddress"))
        #expect(!LikePattern("%[^h]ip%address%").matches("ipaddress"))
        #expect(LikePattern("ip%address%").matches("IP_Address"))
        #expect(LikePattern("[a-c]x").matches("bx"))
        #expect(!LikePattern("[a-c]x").matches("dx"))
        #expect(LikePattern("%a%b%").matches("xaxxbx"))
        #expect(!LikePattern("%a%b%").matches("xbxxax"))
        #expect(LikePattern("abc[").matches("abc["))
        #expect(!LikePattern("ip", sqlLike: false).matches("ipx"))
        #expect(LikePattern("%_%", sqlLike: false).matches("%_%"))
        #expect(!LikePattern("%_%", sqlLike: false).matches("abc"))
    }

    // MARK: Credentials

    @Test(arguments: [
        "password", "user_password", "Passwd", "pwd_hash", "client_secret", "access_token", "API Key", "api_key",
        "apikey", "api-key", "ApiKey",
    ])
    func credentialNames(_ name: String) {
        #expect(catalogue.isCredentialName(name))
    }

    @Test(arguments: [
        "username", "user_name", "UserName", "user_account", "passport", "secretary", "email", "apiversion",
    ])
    func notCredentialNames(_ name: String) {
        #expect(!catalogue.isCredentialName(name))
    }

    // MARK: Recorded types

    @Test(arguments: [
        ("MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER", "SSN"), ("MICROSOFT.PERSONAL.EMAIL", "Contact Info"),
        ("MICROSOFT.PERSONAL.NAME", "Name"), ("MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER", "Credit Card"),
        ("MICROSOFT.GOVERNMENT.CITY_NAME", "Contact Info"), ("MICROSOFT.GOVERNMENT.US.STATE_NAME", "Contact Info"),
        ("MICROSOFT.PERSONAL.IPADDRESS", "Networking"),
        ("MICROSOFT.SECURITY.AZURE_STORAGE_ACCOUNT_KEY", "Credentials"),
        ("MICROSOFT.GOVERNMENT.US.PASSPORT_NUMBER", "National ID"), ("MICROSOFT.MISCELLANEOUS.WHATEVER", "Other"),
        ("PERSONAL_INFORMATION", "Name"), ("FINANCIAL_INFORMATION", "Financial"), ("CREDENTIALS", "Credentials"),
        ("CUSTOM_IDENTIFIER", "Other"), ("USA_SOCIAL_SECURITY_NUMBER", "SSN"), ("EMAIL_ADDRESS", "Contact Info"),
        ("AWS_CREDENTIALS", "Credentials"), ("SensitiveData:S3Object/Personal", "Name"),
        ("SensitiveData:S3Object/Financial", "Financial"), ("SensitiveData:S3Object/Multiple", "Other"),
        ("Credit Card", "Credit Card"), ("date of birth", "Date Of Birth"), ("Contact Info", "Contact Info"),
        ("c64aba7b-3a3e-95b6-535d-3bc535da5a59", "Credentials"),
    ])
    func recordedTypeMapping(_ recorded: String, _ expected: String) {
        #expect(catalogue.informationType(forRecorded: recorded)?.name == expected)
    }

    @Test func unknownRecordedTypesMapToNothing() {
        #expect(catalogue.informationType(forRecorded: "SomethingElse") == nil)
        #expect(catalogue.informationType(forRecorded: "") == nil)
    }

    // MARK: Effective label

    func asset(_ name: String, label: String? = nil, types: [String] = []) -> Asset {
        Asset(
            assetId: "db/dbo.t." + name, name: name, type: "sql_column", resourceId: "db", label: label,
            informationTypes: types)
    }

    @Test func ownLabelWins() {
        let c = catalogue.classify(asset("ssn", label: "General"))
        #expect(c.effectiveLabel?.name == "General")
        #expect(c.labelSource == .own)
        #expect(c.recommendedLabel?.name == "Confidential - GDPR")
        #expect(!c.isUnlabelled)
        #expect(!catalogue.isSensitive(asset("ssn", label: "General")))
    }

    @Test func recordedTypesBeatTheName() {
        let c = catalogue.classify(asset("email", label: "None", types: ["USA_SOCIAL_SECURITY_NUMBER"]))
        #expect(c.isUnlabelled)
        #expect(c.recordedTypes.map(\.name) == ["SSN"])
        #expect(c.detectedTypes.isEmpty)
        #expect(c.effectiveLabel?.name == "Confidential - GDPR")
        #expect(c.labelSource == .recordedTypes)
    }

    @Test func nameDetectionWhenNothingRecorded() {
        let c = catalogue.classify(asset("customer_email", types: ["SomethingElse"]))
        #expect(c.detectedTypes.map(\.name) == ["Contact Info"])
        #expect(c.effectiveLabel?.name == "Confidential")
        #expect(c.labelSource == .nameDetected)
        #expect(catalogue.isSensitive(asset("customer_email")))
        #expect(!catalogue.isSensitive(asset("customer_email"), threshold: LabelTier.highlyConfidential))
    }

    @Test func highestRecommendedLabelAmongTypes() {
        // Contact Info (Confidential, order 300) and Name (Confidential - GDPR, order 400): the GDPR label wins.
        let c = catalogue.classify(asset("x", types: ["EMAIL_ADDRESS", "NAME"]))
        #expect(c.effectiveLabel?.name == "Confidential - GDPR")
        #expect(c.tier == 2)
    }

    @Test func nothingKnownMeansNoEffectiveLabel() {
        let c = catalogue.classify(asset("created_at"))
        #expect(c.effectiveLabel == nil)
        #expect(c.labelSource == nil)
        #expect(!c.isSensitive(threshold: 0))
        #expect(catalogue.effectiveLabel(for: asset("created_at")) == nil)
    }

    @Test func classifierMemoAgreesWithDirectClassification() {
        var classifier = catalogue.makeClassifier()
        let assets = ["ssn", "email", "ssn", "created_at", "password", "email"].map { asset($0) }
        for a in assets { #expect(classifier.classify(a) == catalogue.classify(a)) }
    }

    @Test("the classifier agrees with direct classification on labels, recorded types and names past its memo")
    func classifierAgreesPastItsNameMemo() {
        // Two names remembered: the third distinct name onwards is matched each time it comes.
        var classifier = AssetClassifier(catalogue: catalogue, namesRemembered: 2)
        let assets = [
            asset("ssn"), asset("customer_email"), asset("password"), asset("ssn"), asset("password"),
            asset("notes", label: "Highly Confidential"), asset("notes", label: "highly confidential"),
            asset("notes", label: "Confidential \\ Finance"), asset("notes", label: "no such label"),
            asset("ssn", label: "Public"), asset("created_at", types: ["EMAIL_ADDRESS", "NAME"]),
            asset("ssn", types: ["EMAIL_ADDRESS", "NAME"]), asset("x", types: ["NAME", "EMAIL_ADDRESS"]),
            asset("email", types: ["unknown scanner type"]), asset("email", types: []), asset("customer_email"),
            asset("x", label: "General", types: ["EMAIL_ADDRESS"]),
        ]
        for a in assets + assets { #expect(classifier.classify(a) == catalogue.classify(a)) }
    }

    // MARK: Policy overrides

    @Test func extraPatternsAndAliasesFromAPolicy() {
        var policy = ClassificationPolicy.default
        policy.addNamePatterns(["%salary%"], to: "Financial")
        policy.recordedTypeAliases["ACME.PAYROLL"] = "Financial"
        policy.labelAliases["Internal"] = "General"
        let custom = ClassificationCatalogue(policy: policy)
        #expect(custom.detectedTypes(name: "base_salary").map(\.name) == ["Financial"])
        #expect(catalogue.detectedTypes(name: "base_salary").isEmpty)
        #expect(custom.informationType(forRecorded: "acme.payroll")?.name == "Financial")
        #expect(custom.label(named: "Internal")?.name == "General")
    }

    @Test func customTaxonomyFromAPolicy() {
        var policy = ClassificationPolicy.default
        policy.labels = [
            SensitivityLabel(name: "Open", order: 1, tier: 0), SensitivityLabel(name: "Internal", order: 2, tier: 1),
            SensitivityLabel(name: "Restricted", order: 3, tier: 2),
            SensitivityLabel(name: "Secret", order: 4, tier: 3),
        ]
        policy.informationTypes = policy.informationTypes.map {
            var t = $0
            t.recommendedLabel = t.name == "SSN" ? "Secret" : "Restricted"
            return t
        }
        let custom = ClassificationCatalogue(policy: policy)
        #expect(custom.tier("Secret") == 3)
        #expect(custom.label(named: "Confidential") == nil)
        #expect(custom.classify(asset("ssn")).effectiveLabel?.name == "Secret")
        #expect(custom.classify(asset("email", label: "Internal")).recommendedLabel?.name == "Restricted")
    }
}
