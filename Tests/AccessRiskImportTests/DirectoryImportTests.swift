import AccessRiskModel
import Foundation
import Testing

@testable import AccessRiskImport

@Suite struct PrincipalImportTests {
    @Test func entraLegacyGeneration() throws {
        let result = try Fixture.load(fixture: "entra-users-legacy.csv")
        #expect(result.file.format == "entra-users-legacy")
        let bob = try #require(result.model.principals["b0000000-0000-0000-0000-00000000000b"])
        #expect(bob.isGuest)
        #expect(bob.enabled == false)
        #expect(bob.hasSignInData == false)
        let alice = try #require(result.model.principals["a1b2c3d4-0000-0000-0000-00000000000a"])
        #expect(alice.department == "IT")
        #expect(!alice.isGuest)
    }

    /// Unquoted values: a comma inside a name makes the row ragged; it is rejected with its line, the rest is used.
    @Test func entra2021RaggedRowAndUSDates() throws {
        let result = try Fixture.load(fixture: "entra-users-2021.csv")
        #expect(result.file.format == "entra-users-graph")
        #expect(result.file.rowsRead == 4)
        #expect(result.file.rowsUsed == 2)
        #expect(result.file.rowsRejected == 2)
        let ragged = try #require(result.rejectedRows.first { $0.line == 3 })
        #expect(ragged.column == nil)
        #expect(ragged.reason == "30 fields where the header has 29")
        let bool = try #require(result.rejectedRows.first { $0.line == 5 })
        #expect(bool.column == "accountEnabled")
        let gus = try #require(result.model.principals["20000000-0000-0000-0000-000000000002"])
        #expect(gus.isGuest)
        #expect(gus.createdOn == Timestamp(year: 2023, month: 12, day: 1, hour: 11, minute: 59, second: 59))
        #expect(gus.displayName == "=1+3 Gus")
    }

    @Test func dayFirstLocaleReadsTheSameCellDifferently() throws {
        let path = try Fixture.temporary(
            "userPrincipalName,id,createdDateTime\na@contoso.com,11111111-0000-0000-0000-000000000001,1/2/2022 09:05:00\n"
        )
        let us = try Fixture.load(path).model.principals["11111111-0000-0000-0000-000000000001"]
        let gb = try Fixture.load(path, options: ImportOptions(dateLocale: .dayFirst)).model.principals[
            "11111111-0000-0000-0000-000000000001"]
        #expect(us?.createdOn == Timestamp(year: 2022, month: 1, day: 2, hour: 9, minute: 5))
        #expect(gb?.createdOn == Timestamp(year: 2022, month: 2, day: 1, hour: 9, minute: 5))
    }

    @Test func entraPreviewWithJSONInsideACell() throws {
        let result = try Fixture.load(fixture: "entra-users-preview.csv")
        #expect(result.file.rowsUsed == 2)
        let alice = try #require(result.model.principals["a1b2c3d4-0000-0000-0000-00000000000a"])
        #expect(alice.lastSignIn == Timestamp(year: 2024, month: 5, day: 1, hour: 10))
        #expect(alice.lastNonInteractiveSignIn == Timestamp(year: 2024, month: 6, day: 1, hour: 10))
        #expect(alice.lastSuccessfulSignIn == nil)
        #expect(alice.lastActivity == Timestamp(year: 2024, month: 6, day: 1, hour: 10))
        #expect(alice.hasSignInData)
        let ivy = try #require(result.model.principals["50000000-0000-0000-0000-000000000005"])
        #expect(ivy.isPendingGuest)
        let bad = try #require(result.rejectedRows.first)
        #expect(bad.line == 4)
        #expect(bad.column == "signInActivity")
        #expect(bad.reason.contains("last tuesday"))
    }

    @Test func graphExportWithFlattenedSignInColumns() throws {
        let result = try Fixture.load(fixture: "graph-users-flattened.csv")
        #expect(result.file.columns["LastNonInteractiveSignInDateTime"] == "last_non_interactive_sign_in")
        let alice = try #require(result.model.principals["a1b2c3d4-0000-0000-0000-00000000000a"])
        #expect(alice.lastActivity == Timestamp(year: 2024, month: 7, day: 1, hour: 10))
        let kim = try #require(result.model.principals["70000000-0000-0000-0000-000000000007"])
        #expect(kim.lastSignIn == nil)  // N/A is no value, not 0001-01-01
        #expect(kim.hasSignInData)
        #expect(kim.createdOn == Timestamp(year: 2022, month: 1, day: 2, hour: 21, minute: 5))
    }

    @Test func servicePrincipalsAndManagedIdentities() throws {
        let result = try Fixture.load(fixture: "service-principals.csv")
        #expect(result.file.format == "graph-service-principals")
        #expect(result.model.principals["e0000000-0000-0000-0000-00000000000e"]?.type == .servicePrincipal)
        #expect(result.model.principals["f1000000-0000-0000-0000-0000000000f1"]?.type == .managedIdentity)
        #expect(result.model.principalTypesExported == [.servicePrincipal, .managedIdentity])
    }

    @Test func nativePrincipals() throws {
        let result = try Fixture.load(fixture: "native-principals.csv")
        #expect(result.file.format == "native-principals")
        let model = result.model
        #expect(model.principals["d0000000-0000-0000-0000-0000000000d0"]?.type == .group)
        let alice = try #require(model.principals["a1b2c3d4-0000-0000-0000-00000000000a"])
        #expect(alice.enabled == true)
        #expect(alice.mfaRegistered == true)
        #expect(alice.managerUPN == "boss@contoso.com")
        #expect(model.principals["upn:zed@contoso.com"]?.enabled == false)
        #expect(model.principalTypesExported == [.group, .user])
    }

    @Test func principalsMergeAcrossFilesByObjectId() throws {
        let result = try Importer.importFiles([
            Fixture.path("entra-users-legacy.csv"), Fixture.path("graph-users-flattened.csv"),
        ])
        let alice = try #require(result.model.principals["a1b2c3d4-0000-0000-0000-00000000000a"])
        #expect(alice.department == "IT")
        #expect(alice.lastNonInteractiveSignIn == Timestamp(year: 2024, month: 7, day: 1, hour: 10))
        #expect(result.model.principals.count == 3)
    }
}

@Suite struct MembershipImportTests {
    @Test func graphGroupMembers() throws {
        let result = try Fixture.load(fixture: "group-members.csv")
        #expect(result.file.kind == .memberships)
        #expect(result.file.rowsUsed == 2)
        #expect(result.file.rowsDuplicate == 1)  // same pair, different GUID case
        #expect(result.file.rowsRejected == 1)
        #expect(result.rejectedRows.first?.column == "GroupId")
        let members = result.model.memberships
        #expect(members.map(\.memberType) == [.user, .group])
        #expect(members.allSatisfy { $0.groupId == "d0000000-0000-0000-0000-0000000000d0" })
        #expect(result.model.principals.isEmpty)  // member lists are not a directory export
    }

    @Test func nativeMemberships() throws {
        let result = try Fixture.load(fixture: "native-memberships.csv")
        #expect(result.file.format == "group-members")
        #expect(result.model.memberships.count == 1)
    }
}

@Suite struct RoleAndHierarchyImportTests {
    @Test func azRoleDefinitionList() throws {
        let result = try Fixture.load(fixture: "az-role-definitions.json")
        #expect(result.file.format == "az-role-definition-list")
        let custom = try #require(result.model.roleDefinitions["c0ffee00-0000-0000-0000-000000000002"])
        #expect(custom.isCustom)
        #expect(custom.name == "Almost Owner")
        #expect(custom.actions == ["*", "Microsoft.Storage/*/read"])
        #expect(custom.notActions == ["Microsoft.Authorization/*/Delete"])
        #expect(custom.dataActions == ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"])
        #expect(custom.assignableScopes.count == 2)
        #expect(result.model.roleDefinitions["acdd72a7-3385-48ef-bd42-f606fba81ae7"]?.isCustom == false)
    }

    @Test func azGovVizRoleDefinitionsSplitListsOnComma() throws {
        let result = try Fixture.load(fixture: "AzGovViz_mg-corp_RoleDefinitions.csv")
        #expect(result.file.format == "azgovviz-role-definitions")
        let custom = try #require(result.model.roleDefinitions["c0ffee00-0000-0000-0000-000000000001"])
        #expect(custom.isCustom)
        #expect(custom.actions == ["Microsoft.Resources/*", "Microsoft.Authorization/roleAssignments/write"])
        #expect(result.model.roleDefinitions["acdd72a7-3385-48ef-bd42-f606fba81ae7"]?.isCustom == false)
    }

    @Test func nativeRolesSplitListsOnSemicolon() throws {
        let result = try Fixture.load(fixture: "native-roles.csv")
        let role = try #require(result.model.roleDefinitions["c0ffee00-0000-0000-0000-000000000003"])
        #expect(role.actions.count == 2)
        #expect(role.isCustom)
    }

    @Test func nativeHierarchy() throws {
        let result = try Fixture.load(fixture: "native-hierarchy.csv")
        #expect(result.file.rowsUsed == 2)
        #expect(result.rejectedRows.first?.line == 4)
        let hierarchy = ScopeHierarchy(edges: result.model.hierarchy)
        let root = Scope("/providers/Microsoft.Management/managementGroups/tenant-root")
        #expect(hierarchy.covers(root, Scope("/subscriptions/AAAAAAAA-0000-0000-0000-000000000001/resourceGroups/x")))
    }
}

@Suite struct AssetImportTests {
    @Test func sqlClassificationWithResourceId() throws {
        let result = try Fixture.load(fixture: "sql-classification.csv")
        #expect(result.file.rowsUsed == 2)
        #expect(result.rejectedRows.first?.column == "TableName")
        let db =
            "/subscriptions/aaaaaaaa-0000-0000-0000-000000000001/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-prod/databases/crm"
        let email = try #require(result.model.assets.first { $0.name == "Email" })
        #expect(email.assetId == db + "/dbo.Customers.Email")
        #expect(email.resourceId == db)
        #expect(email.label == "Confidential")
        #expect(email.informationTypes == ["Contact Info"])
        #expect(email.type == "sql_column")
        let ssn = try #require(result.model.assets.first { $0.name == "SSN" })
        #expect(ssn.label == nil)  // unclassified column
        #expect(ssn.informationTypes.isEmpty)
    }

    @Test func sqlClassificationBuildsTheDatabaseId() throws {
        let withSub = try Fixture.load(fixture: "sql-classification-sub.csv").model.assets[0]
        #expect(
            withSub.resourceId
                == "/subscriptions/aaaaaaaa-0000-0000-0000-000000000001/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-prod/databases/hr"
        )
        #expect(withSub.scope.level == .resource)
        let noSub = try Fixture.load(fixture: "sql-classification-nosub.csv")
        #expect(
            noSub.model.assets[0].resourceId
                == "/resourceGroups/rg-data/providers/Microsoft.Sql/servers/sql-prod/databases/hr")
        #expect(noSub.file.problems.contains { $0.contains("no SubscriptionId or ResourceId") })
    }

    @Test func nativeAssets() throws {
        let result = try Fixture.load(fixture: "native-assets.csv")
        let asset = try #require(result.model.assets.first)
        #expect(asset.isPublic == true)
        #expect(asset.informationTypes == ["MICROSOFT.PERSONAL.EMAIL", "MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER"])
        #expect(result.rejectedRows.first?.column == "public")
    }

    @Test func macieFindingsMergePerObject() throws {
        let result = try Fixture.load(fixture: "macie-findings.json")
        let model = result.model
        #expect(model.assets.count == 3)
        #expect(model.assets.first { $0.name == "partner-drop" }?.isPublic == true)  // from the bucket policy
        let object = try #require(model.assets.first { $0.type == "s3_object" })
        #expect(object.assetId == "arn:aws:s3:::hr-exports/2024/staff.csv")
        #expect(object.name == "staff.csv")
        #expect(object.isPublic == false)
        #expect(
            Set(object.informationTypes) == [
                "PERSONAL_INFORMATION", "FINANCIAL_INFORMATION", "USA_SOCIAL_SECURITY_NUMBER", "NAME",
                "CREDIT_CARD_NUMBER", "CREDENTIALS", "AWS_CREDENTIALS",
            ])
        let bucket = try #require(model.assets.first { $0.name == "public-site" })
        #expect(bucket.isPublic == true)
        #expect(bucket.resourceId == "arn:aws:s3:::public-site")
    }

    @Test func credentialReportSubsetAndBadBoolean() throws {
        let result = try Fixture.load(fixture: "aws-credential-report-subset.csv")
        #expect(result.file.rowsUsed == 2)
        let bad = try #require(result.rejectedRows.first)
        #expect(bad.line == 4)
        #expect(bad.column == "password_enabled")
        let root = try #require(result.model.awsCredentials.first { $0.isRoot })
        #expect(root.mfaActive == true)  // TRUE as the docs write it
        #expect(root.passwordLastUsed == nil)  // no_information
        #expect(root.accountId == "123456789012")
    }

    @Test func credentialReportNeverKeepsAccessKeyIds() throws {
        let path = try Fixture.temporary(
            "user,arn,mfa_active,access_key_1_active,access_key_1_id\nops,arn:aws:iam::1:user/ops,false,true,AKIAIOSFODNN7EXAMPLE\n"
        )
        let result = try Fixture.load(path)
        #expect(result.model.awsCredentials.count == 1)
        #expect(result.file.columns["access_key_1_id"] == nil)
        #expect(!String(describing: result.model.awsCredentials).contains("AKIA"))
    }
}

@Suite struct EntraVariantTests {
    /// The 2025 export writes the whole `signInActivity` object into the "Last … sign-in date" columns.
    @Test func signInColumnsHoldingTheWholeObject() throws {
        let text = """
            id,userPrincipalName,Last interactive sign-in date,Last non-interactive sign-in date
            11111111-0000-0000-0000-000000000001,a@contoso.com,"{""lastSignInDateTime"":""2024-03-01T08:00:00Z"",""lastNonInteractiveSignInDateTime"":""2024-04-01T08:00:00Z""}","{""lastSignInDateTime"":""2024-03-01T08:00:00Z"",""lastNonInteractiveSignInDateTime"":""2024-04-01T08:00:00Z""}"
            22222222-0000-0000-0000-000000000002,b@contoso.com,2024-01-05T00:00:00Z,

            """
        let result = try Fixture.load(try Fixture.temporary(text))
        #expect(result.file.rowsUsed == 2)
        let a = try #require(result.model.principals["11111111-0000-0000-0000-000000000001"])
        #expect(a.lastSignIn == Timestamp(year: 2024, month: 3, day: 1, hour: 8))
        #expect(a.lastNonInteractiveSignIn == Timestamp(year: 2024, month: 4, day: 1, hour: 8))
        #expect(
            result.model.principals["22222222-0000-0000-0000-000000000002"]?.lastSignIn
                == Timestamp(year: 2024, month: 1, day: 5))
    }

    @Test func rolesAndAdministratorsStyleExportWithAdministrativeUnit() throws {
        let text = """
            Role,Principal Type,UserPrincipalName,DisplayName,ObjectId,Assignment Type,Scope
            Global Administrator,User,alice@contoso.com,Alice,A1B2C3D4-0000-0000-0000-00000000000A,Permanent,Directory
            User Administrator,Group,,Helpdesk,d0000000-0000-0000-0000-0000000000d0,Eligible,/administrativeUnits/au-9

            """
        let result = try Fixture.load(try Fixture.temporary(text))
        #expect(result.file.format == "entra-pim-role-assignments")
        let ga = try #require(result.model.assignments.first { $0.roleName == "Global Administrator" })
        #expect(ga.scope == .directory)
        #expect(ga.principalId == "a1b2c3d4-0000-0000-0000-00000000000a")
        #expect(ga.assignmentType == .active)
        let ua = try #require(result.model.assignments.first { $0.roleName == "User Administrator" })
        #expect(ua.scope.key == "/directory/administrativeunits/au-9")
        #expect(ua.principalType == .group)
        #expect(ua.assignmentType == .eligible)
    }
}

@Suite struct SignInTypeNameTests {
    @Test func unflattenedSignInActivityIsNotSignInData() throws {
        let text = """
            "Id","UserPrincipalName","SignInActivity"
            "11111111-0000-0000-0000-000000000001","a@contoso.com","Microsoft.Graph.PowerShell.Models.MicrosoftGraphSignInActivity"
            "22222222-0000-0000-0000-000000000002","b@contoso.com",""

            """
        let result = try Fixture.load(try Fixture.temporary(text))
        #expect(result.model.principals["11111111-0000-0000-0000-000000000001"]?.hasSignInData == false)
        #expect(result.model.principals["22222222-0000-0000-0000-000000000002"]?.hasSignInData == true)
        #expect(result.file.problems.contains { $0.contains("not JSON") })
    }
}
