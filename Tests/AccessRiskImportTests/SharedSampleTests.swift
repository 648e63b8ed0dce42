import AccessRiskModel
import Foundation
import Testing

@testable import AccessRiskImport

/// The real public samples in `shared/formats/` (see its SOURCES.md).
@Suite struct SharedSampleTests {
    struct Expectation: Sendable, CustomStringConvertible {
        let file: String
        let format: String
        let kind: InputKind
        let rows: Int
        var description: String { file }
    }

    static let recognised: [Expectation] = [
        Expectation(file: "aws-credential-report.csv", format: "aws-credential-report", kind: .awsCredentials, rows: 5),
        Expectation(
            file: "az-role-assignment-list.json", format: "az-role-assignment-list", kind: .assignments, rows: 2),
        Expectation(file: "entra-download-users-2021.csv", format: "entra-users-graph", kind: .principals, rows: 2),
        Expectation(
            file: "entra-download-users-2025-preview-REDACTED.csv", format: "entra-users", kind: .principals, rows: 3),
        Expectation(file: "macie-findings-export.json", format: "macie-findings", kind: .assets, rows: 1),
    ]

    @Test(arguments: recognised)
    func sampleIsRecognisedAndFullyUsed(_ e: Expectation) throws {
        let (report, rejected) = Importer.inspect(Fixture.shared(e.file))
        #expect(report.format == e.format)
        #expect(report.kind == e.kind)
        #expect(report.rowsRead == e.rows)
        #expect(report.rowsUsed == e.rows)
        #expect(report.rowsRejected == 0)
        #expect(rejected.isEmpty)
        #expect(report.fatalError == nil)
    }

    /// Files of `shared/formats/` that are not exports of SPEC §2.2 must be refused, not misread.
    @Test(arguments: [
        "gcp-search-all-iam-policies.yaml", "sql-classification-default-policy.csv",
        "sql-classification-keyword-patterns.csv", "azure-sql-information-protection-policy-example.json",
        "SOURCES.md",
    ])
    func nonExportIsNotRecognised(_ name: String) {
        let (report, _) = Importer.inspect(Fixture.shared(name))
        #expect(report.kind == nil)
        #expect(report.problems.first?.hasPrefix("not recognised") == true)
    }

    @Test func awsSampleValues() throws {
        let model = try Fixture.load(Fixture.shared("aws-credential-report.csv")).model
        let root = try #require(model.awsCredentials.first { $0.isRoot })
        #expect(root.passwordEnabled == nil)  // not_supported
        #expect(root.mfaActive == false)
        #expect(root.passwordLastUsed == Timestamp(year: 2022, month: 12, day: 21, hour: 16, minute: 19, second: 23))
        let cloudgoat = try #require(model.awsCredentials.first { $0.user == "cloudgoat" })
        #expect(cloudgoat.accessKey1Active == true)
        #expect(cloudgoat.accessKey1LastUsed == Timestamp(year: 2022, month: 12, day: 21, hour: 18, minute: 30))
        #expect(cloudgoat.passwordLastUsed == nil)  // N/A
        #expect(model.inputsPresent == [.awsCredentials])
    }

    @Test func azCLISampleValues() throws {
        let model = try Fixture.load(Fixture.shared("az-role-assignment-list.json")).model
        #expect(model.assignments.count == 2)
        let a = try #require(model.assignment("3038142a-80c7-4bf1-b7c2-0939b906316d"))
        #expect(a.principalId == "7d96660a-02e1-4112-9515-1762d0cb66b7")
        #expect(a.principalType == .group)
        #expect(a.principalName == "Secret Recovery Group")
        #expect(a.roleId == "21090545-7ca7-4776-b22c-e363652d74d2")
        #expect(a.roleName == "Key Vault Reader")
        #expect(a.scope.level == .resource)
        #expect(a.scope.providerNamespace == "microsoft.keyvault")
        #expect(a.condition == nil)
        #expect(a.createdOn == Timestamp(year: 2024, month: 10, day: 14, hour: 20, minute: 25, second: 32))
    }

    @Test func entraSamplesValues() throws {
        let result = try Fixture.load(Fixture.shared("entra-download-users-2021.csv"))
        let guest = try #require(result.model.principals["7cc0c81b-f2a2-489a-8243-eda96da4214d"])
        #expect(guest.isGuest)  // userType Member, but the UPN holds #EXT#
        #expect(guest.enabled == true)
        #expect(guest.createdOn == Timestamp(year: 2021, month: 8, day: 19, hour: 13, minute: 25, second: 31))
        #expect(guest.displayName == "=1+3 MSOBB")
        #expect(result.model.principalTypesExported == [.user])
        let preview = try Fixture.load(Fixture.shared("entra-download-users-2025-preview-REDACTED.csv")).model
        #expect(preview.principals.count == 3)
        #expect(preview.principals["00000000-0000-4000-8000-000000000002"]?.upn == "am@contoso.example")
    }

    @Test func macieSampleValues() throws {
        let model = try Fixture.load(Fixture.shared("macie-findings-export.json")).model
        let asset = try #require(model.assets.first)
        #expect(asset.type == "s3_object")
        #expect(asset.assetId == "arn:aws:s3:::whizlabs.183836.81670451/sample_data.csv")
        #expect(asset.resourceId == "arn:aws:s3:::whizlabs.183836.81670451")
        #expect(asset.isPublic == true)
        #expect(asset.informationTypes.contains("CUSTOM_IDENTIFIER:Whiz"))
        #expect(asset.owner == "labsorganization93")
    }

    @Test func wholeFolderImportsWithUnrecognisedFilesListed() throws {
        let result = try Importer.importFiles([Fixture.shared("")])
        #expect(result.files.count == 10)
        #expect(result.files.filter { $0.kind != nil }.count == 5)
        #expect(result.model.inputsPresent == [.assignments, .principals, .assets, .awsCredentials])
        #expect(result.unreadableFiles.count == 5)
    }
}
