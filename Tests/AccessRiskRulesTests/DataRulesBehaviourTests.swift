import AccessRiskModel
import Testing

@testable import AccessRiskRules

@Suite("Data rules: findings, reach and capabilities")
struct DataRulesBehaviourTests {
    typealias F = ReachFixtures

    func context(_ model: AccessModel, asOf: Timestamp = RuleExample.defaultAsOf) -> RuleContext {
        RuleContext(
            model: model, analysis: AccessAnalysis(model: model), asOf: asOf, thresholds: [:], settings: .init())
    }

    func run(_ rule: any Rule.Type, settings: PolicySettings = .init(), _ build: @escaping (inout AccessModel) -> Void)
        -> [Finding]
    {
        RuleRunner.run(rule, example: RuleExample("test", model: build), settings: settings)
    }

    // MARK: Identity × data

    @Test func guestThroughNestedGroupsAtManagementGroupScope() throws {
        let findings = run(GuestReachesSensitiveDataRule.self) { m in
            let guest = F.user("guest-2", guest: true)
            F.add([guest, F.group("grp-outer"), F.group("grp-inner")], to: &m)
            F.underManagementGroup(&m)
            m.memberships = [
                Membership(groupId: "grp-outer", memberId: "grp-inner"),
                Membership(groupId: "grp-inner", memberId: "guest-2"),
            ]
            m.assignments = [F.contributor(F.group("grp-outer"), at: F.managementGroup)]
            m.assets = F.hrColumns
        }
        let f = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(f.subjectKey == "guest-2|" + F.hrKey)
        #expect(f.principalId == "guest-2")
        #expect(f.principalType == .user)
        #expect(f.viaGroups == ["grp-inner", "grp-outer"])
        #expect(f.scope == F.managementGroup)
        #expect(f.scopeLevel == .managementGroup)
        #expect(f.resource == DataFixtures.database)
        #expect(f.label == "Highly Confidential - GDPR")
        #expect(f.grantKeys == ["guest-2|" + BuiltInDataRoles.contributor + "|" + F.managementGroup.lowercased()])
        #expect(f.facts.guestOrExternal)
        #expect(f.facts.dataTier == 3)
        #expect(f.facts.privilegedRole)
        #expect(f.facts.scopeLevel == .managementGroup)
        #expect(f.evidence.contains("via group grp-inner → grp-outer"))
        #expect(f.evidence.contains("3 assets"))
    }

    @Test func sensitivityThresholdComesFromTheSettings() {
        let build: (inout AccessModel) -> Void = { m in
            let guest = F.user("guest-1", guest: true)
            F.add([guest], to: &m)
            m.assignments = [F.owner(guest, at: DataFixtures.subscription)]
            m.assets = [DataFixtures.column("email"), DataFixtures.container("contracts", label: "Confidential")]
        }
        #expect(run(GuestReachesSensitiveDataRule.self, build).count == 2)
        let strict = PolicySettings(sensitivityThresholdTier: LabelTier.highlyConfidential)
        #expect(run(GuestReachesSensitiveDataRule.self, settings: strict, build).isEmpty)
        #expect(run(UnclassifiedSensitiveDataRule.self, settings: strict, build).isEmpty)
        #expect(run(UnclassifiedSensitiveDataRule.self, build).map(\.asset) == [DataFixtures.column("email").assetId])
    }

    @Test func inactiveUsesTheStaleDaysSetting() {
        let build: (inout AccessModel) -> Void = { m in
            let user = F.user("u1", lastSignIn: RuleExample.defaultAsOf.adding(days: -40))
            F.add([user], to: &m)
            m.assignments = [F.owner(user, at: DataFixtures.subscription)]
            m.assets = F.hrColumns
        }
        #expect(run(InactiveAccountReachesSensitiveDataRule.self, build).isEmpty)
        let findings = run(InactiveAccountReachesSensitiveDataRule.self, settings: PolicySettings(staleDays: 30), build)
        #expect(findings.map(\.subjectKey) == ["u1|" + F.hrKey])
        #expect(findings.first?.facts.inactivity == .beyondThreshold)
    }

    @Test func coveringScopeKeysIncludePathPrefixesRootAndManagementGroups() {
        var m = AccessModel()
        F.underManagementGroup(&m)
        let keys = DataReach(context: context(m)).coveringScopeKeys(Scope(DataFixtures.database))
        #expect(keys.first == DataFixtures.database.lowercased())
        #expect(keys.contains("/"))
        #expect(keys.contains(DataFixtures.subscription.lowercased()))
        #expect(keys.contains(DataFixtures.resourceGroup.lowercased()))
        #expect(keys.contains(F.managementGroup.lowercased()))
        #expect(keys.contains("/providers/microsoft.management/managementgroups/tenant-root"))
        #expect(Set(keys).count == keys.count)
    }

    // MARK: Capabilities

    func caps(_ a: Assignment, roles: [RoleDefinition] = []) -> RoleCapabilities {
        var m = AccessModel()
        for r in roles { m.add(r) }
        return context(m).analysis.capabilities(of: a)
    }

    @Test func builtInRolesAreServiceAware() {
        let p = F.user("x")
        #expect(!caps(F.reader(p, at: "/")).reachesData)
        #expect(caps(F.blobReader(p, at: "/")).reaches(provider: "microsoft.storage"))
        #expect(!caps(F.blobReader(p, at: "/")).reaches(provider: "microsoft.sql"))
        #expect(caps(F.secretsUser(p, at: "/")).reaches(provider: "microsoft.keyvault"))
        #expect(!caps(F.secretsUser(p, at: "/")).reaches(provider: "microsoft.storage"))
        #expect(caps(F.contributor(p, at: "/")).reaches(provider: "microsoft.sql"))
        #expect(!caps(F.contributor(p, at: "/")).canGrantAccess)
        #expect(caps(F.userAccessAdministrator(p, at: "/")).canGrantAccess)
        var byName = F.blobReader(p, at: "/")
        byName.roleId = nil
        #expect(caps(byName).reaches(provider: "microsoft.storage"))
    }

    @Test func customRolesFromTheirActions() {
        let p = F.user("x")
        func custom(_ actions: [String], notActions: [String] = [], dataActions: [String] = []) -> RoleCapabilities {
            let role = RoleDefinition(
                id: "c0000000-0000-0000-0000-000000000001", name: "Custom", isCustom: true, actions: actions,
                notActions: notActions, dataActions: dataActions)
            return caps(F.assign(p, role.id, role.name, at: "/"), roles: [role])
        }
        let secrets = custom([], dataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action"])
        #expect(secrets.reaches(provider: "microsoft.keyvault") && !secrets.reaches(provider: "microsoft.storage"))
        #expect(custom(["Microsoft.Storage/*"]).reaches(provider: "microsoft.storage"))
        #expect(custom(["Microsoft.Storage/storageAccounts/listKeys/action"]).reaches(provider: "microsoft.storage"))
        #expect(!custom(["Microsoft.Storage/storageAccounts/read"]).reachesData)
        let star = custom(["*"])
        #expect(star.privileged && star.canGrantAccess && star.reaches(provider: "microsoft.sql"))
        let contributorLike = custom(
            ["*"],
            notActions: [
                "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
                "Microsoft.Authorization/elevateAccess/Action",
            ])
        #expect(contributorLike.reaches(provider: "microsoft.sql") && !contributorLike.canGrantAccess)
        #expect(custom(["*"], notActions: ["Microsoft.Authorization/*/Write"]).canGrantAccess)  // elevateAccess left
        #expect(custom(["Microsoft.Authorization/roleAssignments/write"]).canGrantAccess)
        // A custom role id nothing defines is unknown, and not counted as reaching data.
        let missing = caps(F.assign(p, "d0000000-0000-0000-0000-000000000009", "Ghost", at: "/"))
        #expect(!missing.known && !missing.reachesData)
    }

    // MARK: Asset and AWS findings

    @Test func assetFindingCarriesLabelResourceAndTier() throws {
        let findings = run(SensitiveDataPublicRule.self) { m in
            m.assets = [DataFixtures.container("payroll", label: "Highly Confidential - GDPR", isPublic: true)]
        }
        let f = try #require(findings.first)
        #expect(f.subjectKey == DataFixtures.container.lowercased())
        #expect(f.asset == DataFixtures.container)
        #expect(f.resource == DataFixtures.container)
        #expect(f.label == "Highly Confidential - GDPR")
        #expect(f.facts.dataTier == 3)
        #expect(f.category == .sensitiveData)
    }

    @Test func unclassifiedEvidenceSaysWhyAndWhatIsRecommended() {
        let findings = run(UnclassifiedSensitiveDataRule.self) { m in
            m.assets = [
                DataFixtures.column("ssn", label: "None"),
                DataFixtures.column("c1", label: "Secret", types: ["MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER"]),
            ]
        }
        let evidence = findings.sorted { $0.subjectKey < $1.subjectKey }.map(\.evidence)
        #expect(evidence.count == 2)
        #expect(
            evidence.last?.contains("has no label; its name matches SSN, so Confidential - GDPR is recommended") == true
        )
        #expect(
            evidence.first?.contains("'Secret', which is not in the taxonomy; a scanner recorded Credit Card") == true)
        #expect(findings.allSatisfy { $0.facts.dataTier == 2 })
    }

    /// The rows of `formats/aws-credential-report.csv`, as the importer turns them into the model.
    static var sampleReport: [AWSCredential] {
        func t(_ y: Int, _ mo: Int, _ d: Int) -> Timestamp { Timestamp(year: y, month: mo, day: d)! }
        let arn = "arn:aws:iam::278368863034:"
        var root = AWSCredential(user: "<root_account>", arn: arn + "root")
        root.userCreationTime = t(2022, 3, 8)
        root.passwordLastUsed = t(2022, 12, 21)
        root.mfaActive = false
        root.accessKey1Active = false
        root.accessKey2Active = false
        var cloudgoat = AWSCredential(user: "cloudgoat", arn: arn + "user/cloudgoat")
        cloudgoat.userCreationTime = t(2022, 5, 27)
        cloudgoat.passwordEnabled = false
        cloudgoat.mfaActive = false
        cloudgoat.accessKey1Active = true
        cloudgoat.accessKey1LastRotated = t(2022, 5, 27)
        cloudgoat.accessKey1LastUsed = t(2022, 12, 21)
        cloudgoat.accessKey2Active = false
        var jake = AWSCredential(user: "jake", arn: arn + "user/jake")
        jake.userCreationTime = t(2022, 5, 18)
        jake.passwordEnabled = true
        jake.passwordLastUsed = t(2023, 1, 3)
        jake.passwordLastChanged = t(2022, 5, 18)
        jake.mfaActive = false
        jake.accessKey1Active = true
        jake.accessKey1LastRotated = t(2022, 5, 18)
        jake.accessKey1LastUsed = t(2023, 1, 3)
        jake.accessKey2Active = false
        var test = AWSCredential(user: "test_account", arn: arn + "user/test_account")
        test.userCreationTime = t(2022, 12, 19)
        test.passwordEnabled = true
        test.passwordLastChanged = t(2022, 12, 19)
        test.mfaActive = false
        test.accessKey1Active = false
        test.accessKey2Active = false
        var key = AWSCredential(user: "test_key_account", arn: arn + "user/test_key_account")
        key.userCreationTime = t(2022, 12, 19)
        key.passwordEnabled = false
        key.mfaActive = false
        key.accessKey1Active = true
        key.accessKey1LastRotated = t(2022, 12, 19)
        key.accessKey2Active = false
        return [root, cloudgoat, jake, test, key]
    }

    @Test func awsRulesOnTheRealSampleReport() {
        let asOf = Timestamp(year: 2023, month: 3, day: 1)!
        func keys(_ rule: any Rule.Type) -> [String] {
            let example = RuleExample("sample", asOf: asOf) { $0.awsCredentials = Self.sampleReport }
            return RuleRunner.run(rule, example: example).map(\.subjectKey).sorted()
        }
        let user = "arn:aws:iam::278368863034:user/"
        #expect(keys(AWSRootWithoutMFARule.self) == ["278368863034"])
        #expect(keys(AWSRootAccessKeyRule.self).isEmpty)
        #expect(keys(AWSConsoleUserWithoutMFARule.self) == [user + "jake", user + "test_account"])
        // 2023-03-01: cloudgoat's key last used 2022-12-21 (70 days), jake used 2023-01-03 (57 days), the test
        // accounts' credentials never used since 2022-12-19 (72 days).
        #expect(
            keys(AWSUnusedCredentialsRule.self) == [
                user + "cloudgoat|access_key_1", user + "jake|access_key_1", user + "jake|password",
                user + "test_account|password", user + "test_key_account|access_key_1",
            ])
        #expect(
            keys(AWSAccessKeyNotRotatedRule.self) == [user + "cloudgoat|access_key_1", user + "jake|access_key_1"])
    }
}
