import AccessRiskModel
import Foundation
import Testing

@testable import AccessRiskImport

@Suite struct AssignmentImportTests {
    @Test func powershellCurrentGenerationWithTypeLineAndMultiLineCondition() throws {
        let result = try Fixture.load(fixture: "ps-role-assignments-current.csv")
        #expect(result.file.format == "azure-powershell-role-assignments")
        #expect(result.file.rowsRead == 5)
        #expect(result.file.rowsUsed == 5)
        #expect(result.file.columns["ObjectId"] == "principal_id")
        #expect(result.file.columns["Condition"] == "condition")
        let model = result.model
        let owner = try #require(model.assignment("11111111-1111-1111-1111-111111111111"))
        #expect(owner.principalId == "a1b2c3d4-0000-0000-0000-00000000000a")  // GUID lower-cased
        #expect(owner.roleId == "8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
        #expect(owner.scope.level == .subscription)
        #expect(owner.source?.line == 3)  // the #TYPE line and the header come first
        let guest = try #require(model.assignment("22222222-2222-2222-2222-222222222222"))
        #expect(guest.principalIsGuest)
        #expect(guest.condition?.contains("StringEquals 'public'") == true)
        #expect(guest.condition?.contains("\n") == true)
        #expect(guest.scope.level == .resourceGroup)
        let unknown = try #require(model.assignment("33333333-3333-3333-3333-333333333333"))
        #expect(unknown.principalType == .unknown)
        #expect(unknown.principalTypeStated)
        // The record after the 9-line Condition (lines 4–12) starts on line 13 (CRLF counted once).
        #expect(unknown.source?.line == 13)
        #expect(result.file.problems.contains { $0.contains("type Unknown") })
        #expect(model.assignment("44444444-4444-4444-4444-444444444444")?.scope.level == .managementGroup)
        #expect(model.assignment("55555555-5555-5555-5555-555555555555")?.principalType == .servicePrincipal)
    }

    @Test func powershellOlderGenerations() throws {
        let older = try Fixture.load(fixture: "ps-role-assignments-older.csv")
        #expect(older.file.rowsUsed == 1)
        #expect(older.model.assignments.first?.roleName == "User Access Administrator")
        let eight = try Fixture.load(fixture: "ps-role-assignments-8col.csv")
        #expect(eight.file.format == "azure-powershell-role-assignments")
        #expect(eight.file.rowsRead == 3)
        #expect(eight.file.rowsUsed == 1)
        #expect(eight.rejectedRows.count == 2)
        let badScope = try #require(eight.rejectedRows.first { $0.line == 3 })
        #expect(badScope.column == "Scope")
        #expect(badScope.reason.contains("not an ARM scope"))
        let badType = try #require(eight.rejectedRows.first { $0.line == 4 })
        #expect(badType.column == "ObjectType")
        #expect(badType.file == Fixture.path("ps-role-assignments-8col.csv"))
    }

    @Test func semicolonDelimitedWithBOM() throws {
        let result = try Fixture.load(fixture: "ps-role-assignments-semicolon.csv")
        #expect(result.file.delimiter == ";")
        #expect(result.file.encoding == "utf-8-bom")
        #expect(result.model.assignments.first?.principalName == "Jürgen Müller, IT")
        #expect(result.model.assignments.first?.roleName == "Owner")
    }

    /// Windows PowerShell `Export-Csv -Encoding Unicode`: UTF-16LE with a BOM, CRLF, `#TYPE` line.
    @Test func utf16LittleEndianPowerShellFile() throws {
        let text =
            "#TYPE Microsoft.Azure.Commands.Resources.Models.Authorization.PSRoleAssignment\r\n"
            + "\"RoleAssignmentId\",\"Scope\",\"DisplayName\",\"SignInName\",\"RoleDefinitionName\",\"RoleDefinitionId\","
            + "\"ObjectId\",\"ObjectType\"\r\n"
            + "\"/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/abc\",\"/subscriptions/s1\","
            + "\"Zoë Ünal\",\"zoe@contoso.com\",\"Owner\",\"8e3af657-a8ff-443c-a75c-2fe8c4bcb635\","
            + "\"90000000-0000-0000-0000-000000000009\",\"User\"\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let result = try Fixture.load(try Fixture.temporary(bytes))
        #expect(result.file.encoding == "utf-16le")
        #expect(result.file.format == "azure-powershell-role-assignments")
        #expect(result.file.rowsUsed == 1)
        let a = try #require(result.model.assignments.first)
        #expect(a.principalName == "Zoë Ünal")
        #expect(a.scope.subscriptionId == "s1")
        #expect(a.source?.line == 3)
    }

    @Test func subsetFromSelectObjectIsRecognised() throws {
        let path = try Fixture.temporary(
            "DisplayName,SignInName,RoleDefinitionName,Scope,ObjectType\nAlice,alice@contoso.com,Owner,/subscriptions/s1,User\n"
        )
        let result = try Fixture.load(path)
        #expect(result.file.format == "azure-powershell-role-assignments")
        let a = try #require(result.model.assignments.first)
        #expect(a.principalId == "upn:alice@contoso.com")
    }

    @Test func portalJSONDownload() throws {
        let result = try Fixture.load(fixture: "portal-role-assignments.json")
        #expect(result.file.format == "azure-portal-role-assignments-json")
        #expect(result.file.delimiter == nil)
        #expect(result.model.assignments.first?.principalUPN == "alice@contoso.com")
        #expect(result.model.assignments.first?.condition == nil)
    }

    @Test func azCLIJSONWithNoneAndNull() throws {
        let result = try Fixture.load(fixture: "az-role-assignments.json")
        #expect(result.file.rowsRead == 3)
        #expect(result.file.rowsUsed == 2)
        let alice = try #require(result.model.assignment("14141414-1414-1414-1414-141414141414"))
        #expect(alice.principalUPN == "alice@contoso.com")  // principalName of a user is the UPN
        #expect(alice.principalId == "a1b2c3d4-0000-0000-0000-00000000000a")
        let sp = try #require(result.model.assignment("15151515-1515-1515-1515-151515151515"))
        #expect(sp.createdOn == nil)  // "None"
        #expect(sp.condition == nil)  // "None"
        #expect(sp.principalName == nil)
        let rejected = try #require(result.rejectedRows.first)
        #expect(rejected.line == 17)  // the line where the third object starts
        #expect(rejected.column == "createdOn")
        #expect(rejected.reason.contains("yesterday"))
    }

    @Test func azGovVizRoleAssignmentsDeduplicated() throws {
        let result = try Fixture.load(fixture: "AzGovViz_mg-corp_RoleAssignments.csv")
        #expect(result.file.format == "azgovviz-role-assignments")
        #expect(result.file.delimiter == ";")
        #expect(result.file.rowsRead == 7)
        #expect(result.file.rowsDuplicate == 2)  // one inherited repeat, one per-member repeat
        #expect(result.file.rowsUsed == 5)
        #expect(result.file.problems.contains { $0.hasPrefix("2 duplicate") })
        let model = result.model
        #expect(model.assignments.count == 5)
        let mg = try #require(model.assignment("aaaa0000-0000-0000-0000-000000000001"))
        #expect(mg.scope.key == "/providers/microsoft.management/managementgroups/mg-corp")
        let guest = try #require(model.assignment("aaaa0000-0000-0000-0000-000000000002"))
        #expect(guest.principalIsGuest)
        #expect(guest.principalType == .user)
        #expect(guest.roleName == "Contributor")  // HTML link stripped
        #expect(
            model.memberships == [
                Membership(
                    groupId: "d0000000-0000-0000-0000-0000000000d0", memberId: "e0000000-0000-0000-0000-0000000000e0",
                    memberType: .user)
            ])
        #expect(model.assignment("aaaa0000-0000-0000-0000-000000000004")?.principalType == .unknown)
        // The hierarchy comes with the rows: subscription → mg-corp.
        #expect(model.inputsPresent == [.assignments, .hierarchy])
        let hierarchy = ScopeHierarchy(edges: model.hierarchy)
        #expect(
            hierarchy.covers(mg.scope, try #require(model.assignment("aaaa0000-0000-0000-0000-000000000005")).scope))
        #expect(model.assignment("aaaa0000-0000-0000-0000-000000000005")?.principalType == .managedIdentity)
    }

    @Test func azGovVizPIMEligibility() throws {
        let result = try Fixture.load(fixture: "AzGovViz_mg-corp_PIMEligibility.csv")
        #expect(result.file.rowsUsed == 2)
        #expect(result.file.rowsDuplicate == 1)
        let model = result.model
        #expect(model.assignments.allSatisfy { $0.assignmentType == .eligible })
        #expect(model.usesPIM)
        let uaa = try #require(model.assignments.first { $0.roleName == "User Access Administrator" })
        #expect(uaa.scope.level == .managementGroup)
        #expect(uaa.principalIsGuest)
        #expect(uaa.endOn == nil)
        let owner = try #require(model.assignments.first { $0.roleName == "Owner" })
        #expect(owner.scope == Scope("/subscriptions/aaaaaaaa-0000-0000-0000-000000000001"))
        #expect(owner.endOn == Timestamp(year: 2025, month: 1, day: 1))
    }

    @Test func azGovVizClassicAdministrators() throws {
        let result = try Fixture.load(fixture: "AzGovViz_mg-corp_ClassicAdministrators.csv")
        #expect(result.file.kind == .assignments)
        #expect(result.model.classicAdministrators.count == 2)
        #expect(
            result.model.classicAdministrators.map(\.identity).sorted() == ["legacy@contoso.com", "old@contoso.com"])
    }

    @Test func entraPIMExport() throws {
        let result = try Fixture.load(fixture: "entra-pim-export.csv")
        #expect(result.file.rowsRead == 4)
        #expect(result.file.rowsUsed == 2)
        #expect(result.file.rowsDuplicate == 1)
        #expect(result.file.rowsRejected == 1)
        let ga = try #require(result.model.assignments.first { $0.roleName == "Global Administrator" })
        #expect(ga.scope == .directory)
        #expect(ga.assignmentType == .eligible)
        #expect(ga.endOn == nil)  // Permanent
        #expect(ga.createdOn == Timestamp(year: 2024, month: 1, day: 15, hour: 9))
        #expect(ga.principalId == "upn:alice@contoso.com")
        let group = try #require(result.model.assignments.first { $0.roleName == "Helpdesk Administrator" })
        #expect(group.principalId == "name:helpdesk team")
        #expect(group.principalType == .group)
        let bad = try #require(result.rejectedRows.first)
        #expect(bad.line == 5)
        #expect(bad.column == "Assignment Start Time (UTC)")
    }

    @Test func graphDirectoryRoleScheduleInstances() throws {
        let result = try Fixture.load(fixture: "graph-role-eligibility.json")
        #expect(result.file.format == "graph-directory-role-assignments")
        let model = result.model
        #expect(model.assignments.count == 2)
        #expect(model.assignments.allSatisfy { $0.assignmentType == .eligible && !$0.principalTypeStated })
        #expect(Set(model.assignments.map(\.scope.key)) == ["/directory", "/directory/administrativeunits/au-1"])
        #expect(result.file.problems.allSatisfy { !$0.contains("Unknown") })
    }

    @Test func nativeAssignmentsAndJoinByUPN() throws {
        let result = try Importer.importFiles([
            Fixture.path("native-assignments.csv"), Fixture.path("native-principals.csv"),
        ])
        let file = result.files[0]
        #expect(file.format == "native-assignments")
        #expect(file.rowsUsed == 2)
        #expect(file.rowsRejected == 1)
        #expect(result.rejectedRows.first?.column == "assignment_type")
        let model = result.model
        let owner = try #require(model.assignments.first { $0.roleName == "Owner" })
        #expect(owner.scope.key == "/subscriptions/aaaaaaaa-0000-0000-0000-000000000001")  // trailing / dropped
        let zed = try #require(model.assignments.first { $0.assignmentType == .eligible })
        // Known by UPN only on both sides: the key stays upn: and the principal is the same.
        #expect(zed.principalId == "upn:zed@contoso.com")
        #expect(model.principals["upn:zed@contoso.com"]?.displayName == "Zed")
        #expect(zed.endOn == Timestamp(year: 2024, month: 9, day: 1))
    }

    @Test func upnOnlyAssignmentJoinsTheDirectoryObjectId() throws {
        let result = try Importer.importFiles([
            Fixture.path("entra-pim-export.csv"), Fixture.path("entra-users-legacy.csv"),
        ])
        let ga = try #require(result.model.assignments.first { $0.roleName == "Global Administrator" })
        #expect(ga.principalId == "a1b2c3d4-0000-0000-0000-00000000000a")
        #expect(ga.principalType == .user)
    }

    @Test func unstatedTypeComesFromTheDirectory() throws {
        let result = try Importer.importFiles([
            Fixture.path("graph-role-eligibility.json"), Fixture.path("entra-users-legacy.csv"),
        ])
        let alice = try #require(result.model.assignments.first { $0.principalId.hasPrefix("a1b2c3d4") })
        #expect(alice.principalType == .user)
        let other = try #require(result.model.assignments.first { $0.principalId.hasPrefix("10000000") })
        #expect(other.principalType == .unknown)
    }

    @Test func sameAssignmentInTwoExportsIsADuplicate() throws {
        let result = try Importer.importFiles([
            Fixture.path("ps-role-assignments-current.csv"), Fixture.path("ps-role-assignments-current.csv"),
        ])
        #expect(result.model.assignments.count == 5)
        #expect(result.files[1].rowsDuplicate == 5)
        #expect(result.files[1].rowsUsed == 0)
    }
}

@Suite struct ClassicAndValueTests {
    @Test func includeClassicAdministratorsRowsBecomeClassicAdministrators() throws {
        let text = """
            RoleAssignmentId,Scope,DisplayName,SignInName,RoleDefinitionName,RoleDefinitionId,ObjectId,ObjectType
            ,/subscriptions/S1,Legacy,legacy@contoso.com,ServiceAdministrator;AccountAdministrator,,,User
            /subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/r1,/subscriptions/s1,Dave,dave@contoso.com,Reader,acdd72a7-3385-48ef-bd42-f606fba81ae7,10000000-0000-0000-0000-000000000001,User

            """
        let result = try Fixture.load(try Fixture.temporary(text))
        #expect(result.file.rowsUsed == 2)
        #expect(result.model.assignments.count == 1)
        let classic = try #require(result.model.classicAdministrators.first)
        #expect(classic.subscriptionId == "s1")
        #expect(classic.identity == "legacy@contoso.com")
        #expect(classic.role == "ServiceAdministrator;AccountAdministrator")
    }

    @Test(arguments: [" None ", "N/A", "null", "", "  ", "no_information", "NOT_SUPPORTED", "\u{00A0}n/a"])
    func noValueCells(_ cell: String) {
        #expect(Record.clean(cell) == nil)
    }

    @Test(arguments: [("Owner", "Owner"), ("  Owner ", "Owner"), ("Nonesuch", "Nonesuch"), ("Zoë ", "Zoë")])
    func valuesAreTrimmed(_ cell: String, _ expected: String) {
        #expect(Record.clean(cell) == expected)
    }

    @Test(arguments: [
        ("User", PrincipalType.user, false), ("User Guest", .user, true), ("SP APP EXT", .servicePrincipal, false),
        ("SP MI Usr", .managedIdentity, false), ("ForeignGroup", .group, false),
        ("#microsoft.graph.group", .group, false),
        ("service_principal", .servicePrincipal, false), ("Unknown", .unknown, false),
    ])
    func principalTypeSpellings(_ text: String, _ type: PrincipalType, _ guest: Bool) throws {
        let parsed = try #require(Vocabulary.principalType(text))
        #expect(parsed.0 == type)
        #expect(parsed.guest == guest)
    }
}

@Suite struct AssignmentIdTests {
    @Test func guidsParseInEitherCaseWithOrWithoutBraces() {
        let lower = Vocabulary.guid(lastSegmentOf: "fb68d389-627e-4392-a4c5-08bf6bd7bf68")
        #expect(lower != nil)
        #expect(Vocabulary.guid(lastSegmentOf: "FB68D389-627E-4392-A4C5-08BF6BD7BF68") == lower)
        #expect(Vocabulary.guid(lastSegmentOf: "{fb68d389-627e-4392-a4c5-08bf6bd7bf68}") == lower)
        #expect(Vocabulary.guid(lastSegmentOf: "fb68d389-627e-4392-a4c5-08bf6bd7bf69") != lower)
        #expect(Vocabulary.guid(lastSegmentOf: "fb68d389x627e-4392-a4c5-08bf6bd7bf68") == nil)
        #expect(Vocabulary.guid(lastSegmentOf: "fb68d389-627e-4392-a4c5-08bf6bd7bf6g") == nil)
        #expect(Vocabulary.guid(lastSegmentOf: "not-a-guid") == nil)
    }

    @Test func lastSegmentIgnoresTrailingSlashes() {
        #expect(Vocabulary.lastSegment("/a/b/ROLEASSIGNMENTS/ABC//") == "abc")
        #expect(Vocabulary.lastSegment("plain") == "plain")
        #expect(Vocabulary.lastSegment("") == "")
    }
}
