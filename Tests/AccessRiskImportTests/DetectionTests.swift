import AccessRiskModel
import Foundation
import Testing

@testable import AccessRiskImport

@Suite struct DetectionTests {
    @Test func unrecognisedFileNamesTheClosestFormatsAndMissingColumns() {
        let (report, _) = Importer.inspect(Fixture.path("almost-assignments.csv"))
        #expect(report.kind == nil)
        #expect(report.format == nil)
        let reason = report.problems.first ?? ""
        #expect(reason.contains("Closest: Get-AzRoleAssignment / portal IAM download (missing Scope)"))
        #expect(reason.contains("Formats tried:"))
        #expect(reason.contains("entra-users-legacy"))
    }

    @Test func unrelatedHeaderSaysNoFormatMatches() {
        let (report, _) = Importer.inspect(Fixture.path("unknown-layout.csv"))
        #expect(report.kind == nil)
        #expect(report.problems.first?.hasPrefix("not recognised: no known CSV format matches") == true)
    }

    @Test func fileNameNeverDecides() throws {
        // An Entra users export named like an AzGovViz role assignment file is still read as users.
        let text = try String(contentsOfFile: Fixture.path("entra-users-legacy.csv"), encoding: .utf8)
        let path = try Fixture.temporary(text, name: "AzGovViz_x_RoleAssignments.csv")
        #expect(Importer.inspect(path).0.kind == .principals)
        let json = try Fixture.temporary(text, name: "export.json")
        #expect(Importer.inspect(json).0.format == "entra-users-legacy")
    }

    @Test func emptyAndHeaderOnlyFiles() throws {
        let (empty, _) = Importer.inspect(Fixture.path("empty.csv"))
        #expect(empty.kind == nil)
        #expect(empty.problems.first?.contains("empty file") == true)
        let result = try Fixture.load(fixture: "header-only.csv")
        #expect(result.file.kind == .assignments)
        #expect(result.file.rowsRead == 0)
        #expect(result.model.inputsPresent == [.assignments])
    }

    @Test func brokenJSONIsNotRecognised() {
        let (report, _) = Importer.inspect(Fixture.path("not-json.json"))
        #expect(report.kind == nil)
        #expect(report.problems.first?.contains("not valid JSON") == true)
    }

    @Test func invalidUTF8RowIsRejectedWithItsColumn() throws {
        var bytes = Array("user,arn,mfa_active\n".utf8)
        bytes += Array("ok,arn:aws:iam::1:user/ok,true\n".utf8)
        bytes += Array("bad".utf8) + [0xFF, 0xFE, 0x41] + Array(",arn:aws:iam::1:user/bad,true\n".utf8)
        let result = try Fixture.load(try Fixture.temporary(bytes))
        #expect(result.file.rowsRead == 2)
        #expect(result.file.rowsUsed == 1)
        let utf8 = try #require(result.rejectedRows.first)
        #expect(utf8.line == 3)
        #expect(utf8.column == "user")
        #expect(utf8.reason.contains("UTF-8"))
    }

    /// A NUL near the start makes the whole file binary (the reader's sniffing); later, only its row is rejected.
    @Test func nulByteAfterTheSniffedStartRejectsOnlyItsRow() throws {
        var bytes = Array("user,arn,mfa_active\n".utf8)
        for i in 0..<400 { bytes += Array("u\(i),arn:aws:iam::1:user/u\(i),true\n".utf8) }
        bytes += Array("nul,arn:aws:iam::1:user/n".utf8) + [0x00] + Array("ul,false\n".utf8)
        let result = try Fixture.load(try Fixture.temporary(bytes))
        #expect(result.file.rowsRead == 401)
        #expect(result.file.rowsUsed == 400)
        let nul = try #require(result.rejectedRows.first)
        #expect(nul.line == 402)
        #expect(nul.column == "arn")
        #expect(nul.reason.contains("NUL"))
    }

    @Test func malformedQuotingStopsTheFileWithItsLine() throws {
        let text = "user,arn,mfa_active\nok,arn:aws:iam::1:user/ok,true\nbad,\"arn:aws:iam::1:user/\"x\"\",true\n"
        let result = try Fixture.load(try Fixture.temporary(text))
        #expect(result.file.kind == .awsCredentials)
        #expect(result.file.rowsUsed == 1)
        #expect(result.file.fatalError?.contains(":3:") == true)
        #expect(!result.file.isComplete)
    }

    @Test func binaryFileIsRefused() throws {
        let path = try Fixture.temporary([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x01, 0x02], name: "book.xlsx")
        let (report, _) = Importer.inspect(path)
        #expect(report.kind == nil)
        #expect(report.fatalError != nil)
    }

    @Test func missingInputThrows() {
        #expect(throws: ImportError.noSuchFile("/nonexistent/accessrisk")) {
            try Importer.importFiles(["/nonexistent/accessrisk"])
        }
    }

    @Test(arguments: ["ObjectId", "object_id", "OBJECT ID", "object-id", "\u{FEFF}ObjectId"])
    func headerAliasesMatchIgnoringCaseAndSeparators(_ header: String) throws {
        let path = try Fixture.temporary(
            "RoleDefinitionName,Scope,\(header)\nOwner,/subscriptions/s1,11111111-0000-0000-0000-000000000001\n")
        let result = try Fixture.load(path)
        #expect(result.file.format == "azure-powershell-role-assignments")
        #expect(result.model.assignments.first?.principalId == "11111111-0000-0000-0000-000000000001")
    }

    @Test func everyFormatIdIsUnique() {
        let ids = Formats.all.map(\.id)
        #expect(Set(ids).count == ids.count)
    }
}

@Suite struct DeterminismTests {
    static func snapshot(_ model: AccessModel) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var parts: [String] = []
        func add(_ value: some Encodable) throws {
            parts.append(String(decoding: try encoder.encode(value), as: UTF8.self))
        }
        try add(model.principals)
        try add(model.assignments)
        try add(model.roleDefinitions)
        try add(model.memberships)
        try add(model.hierarchy)
        try add(model.assets)
        try add(model.awsCredentials)
        try add(model.classicAdministrators)
        try add(model.inputsPresent.sorted())
        try add(model.principalTypesExported.map(\.rawValue).sorted())
        return parts.joined(separator: "\n")
    }

    @Test func importingTheSameFolderTwiceGivesTheSameModel() throws {
        let folder = Fixture.path("")
        let first = try Importer.importFiles([folder])
        let second = try Importer.importFiles([folder])
        #expect(try Self.snapshot(first.model) == Self.snapshot(second.model))
        #expect(first.rejectedRows == second.rejectedRows)
        #expect(first.model.assignments.count > 20)
        #expect(first.files.map(\.path) == first.files.map(\.path).sorted())
    }

    @Test func everyFileBalancesAndEveryRejectedRowNamesItsFile() throws {
        let result = try Importer.importFiles([Fixture.path("")])
        for file in result.files {
            #expect(file.rowsRead == file.rowsUsed + file.rowsRejected + file.rowsDuplicate, "\(file.path)")
            let rejected = result.rejectedRows.filter { $0.file == file.path }
            #expect(rejected.count == file.rowsRejected, "\(file.path)")
        }
        #expect(result.rejectedRows.allSatisfy { $0.line > 0 && !$0.reason.isEmpty })
    }
}

@Suite struct DirectoryCompletenessTests {
    @Test func headerOnlyUserExportStillListsEveryUser() throws {
        let path = try Fixture.temporary("userPrincipalName,id,userType,accountEnabled\n")
        let result = try Fixture.load(path)
        #expect(result.model.principalTypesExported == [.user])
        #expect(result.model.inputsPresent == [.principals])
    }

    @Test func aUserExportCutShortIsNotComplete() throws {
        let path = try Fixture.temporary(
            "userPrincipalName,id\na@contoso.com,11111111-0000-0000-0000-000000000001\nb@c,\"x\"y\n")
        let result = try Fixture.load(path)
        #expect(result.file.fatalError != nil)
        #expect(result.model.principalTypesExported.isEmpty)
        #expect(result.model.principals.count == 1)
    }

    @Test func assignmentExportsDoNotAddPrincipals() throws {
        let result = try Fixture.load(fixture: "ps-role-assignments-current.csv")
        #expect(result.model.principals.isEmpty)
        #expect(result.model.principalTypesExported.isEmpty)
    }

    @Test func supportedFormatsCoverEveryKind() {
        #expect(Set(Importer.supportedFormats.map(\.kind)) == Set(InputKind.allCases))
    }
}

@Suite struct JSONLineTests {
    @Test func recordLinesSkipStringsAndNestedObjects() {
        let text = "[\n  {\"a\": \"{ [ \\\" }\", \"b\": {\"c\": 1}},\n\n  {\"a\": 2}\n]"
        #expect(JSONFlattener.recordLines(Array(text.utf8)) == [2, 4])
        let page = "{\"@odata.context\": \"x\",\r\n \"value\": [\r\n {\"id\": 1},\r\n {\"id\": 2}]}"
        #expect(JSONFlattener.recordLines(Array(page.utf8)) == [3, 4])
    }

    @Test func graphPageRowsCarryTheirLines() throws {
        let result = try Fixture.load(fixture: "graph-role-eligibility.json")
        #expect(result.model.assignments.compactMap(\.source?.line).sorted() == [3, 6])
    }
}

@Suite struct JSONEncodingTests {
    @Test func utf16JSONWithBOMIsRead() throws {
        let text = try String(contentsOfFile: Fixture.path("portal-role-assignments.json"), encoding: .utf8)
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let result = try Fixture.load(try Fixture.temporary(bytes, name: "roles.json"))
        #expect(result.file.encoding == "utf-16le")
        #expect(result.file.format == "azure-portal-role-assignments-json")
        #expect(result.model.assignments.count == 1)
    }
}
