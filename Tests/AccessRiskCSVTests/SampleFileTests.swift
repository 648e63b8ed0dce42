import AccessRiskCSV
import Foundation
import Testing

/// The real sample exports in `shared/formats`, read from disk through the file path API.
@Suite struct SampleFileTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        var file: String
        var rows: Int
        var columns: Int
        var header: [String]
        /// (record index, field index, value) spot checks.
        var values: [(Int, Int, String)]
        var lastLine: Int

        var testDescription: String { file }
    }

    static let samples: [Sample] = [
        Sample(
            file: "aws-credential-report.csv", rows: 6, columns: 22,
            header: [
                "user", "arn", "user_creation_time", "password_enabled", "password_last_used",
                "password_last_changed", "password_next_rotation", "mfa_active", "access_key_1_active",
                "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region",
                "access_key_1_last_used_service", "access_key_2_active", "access_key_2_last_rotated",
                "access_key_2_last_used_date", "access_key_2_last_used_region", "access_key_2_last_used_service",
                "cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
            ],
            values: [
                (1, 0, "<root_account>"), (1, 1, "arn:aws:iam::278368863034:root"), (1, 3, "not_supported"),
                (3, 0, "jake"), (3, 11, "eu-central-1"), (4, 4, "no_information"), (5, 0, "test_key_account"),
                (5, 21, "N/A"),
            ], lastLine: 6),
        Sample(
            file: "entra-download-users-2021.csv", rows: 3, columns: 29,
            header: [
                "userPrincipalName", "displayName", "surname", "mail", "givenName", "id", "userType", "jobTitle",
                "department", "accountEnabled", "usageLocation", "streetAddress", "state", "country",
                "officeLocation", "city", "postalCode", "telephoneNumber", "mobilePhone", "alternateEmailAddress",
                "ageGroup", "consentProvidedForMinor", "legalAgeGroupClassification", "companyName", "creationType",
                "directorySynced", "invitationState", "identityIssuer", "createdDateTime",
            ],
            values: [
                (1, 0, "MSOBBYSec_outlook.com#EXT#@MSOBBYSecoutlook.onmicrosoft.com"), (1, 1, "=1+3 MSOBB"),
                (1, 3, ""), (1, 9, "True"), (1, 28, "8/19/2021 1:25:31 PM"),
                (2, 5, "05f9eb61-470e-426c-b631-6db6bf429063"), (2, 4, "=3+1"),
            ], lastLine: 3),
        Sample(
            file: "entra-download-users-2025-preview-REDACTED.csv", rows: 4, columns: 8,
            header: [
                "id", "displayName", "userPrincipalName", "userType", "onPremisesSyncEnabled", "identities",
                "companyName", "creationType",
            ],
            values: [
                (1, 0, "00000000-0000-4000-8000-000000000001"), (1, 1, "Redacted User One"),
                (
                    1, 5,
                    #"[{"signInType":"federated","issuer":"phone","issuerAssignedId":"+15550000001"},{"signInType":"userPrincipalName","issuer":"contosotenant.onmicrosoft.com","issuerAssignedId":"00000000-0000-4000-8000-0000000000aa@contosotenant.onmicrosoft.com"}]"#
                ),
                (2, 2, "am@contoso.example"), (3, 7, ""),
            ], lastLine: 4),
        Sample(
            file: "sql-classification-default-policy.csv", rows: 19, columns: 5,
            header: ["kind", "name", "id", "order", "recommended_label"],
            values: [
                (1, 1, "Public"), (1, 4, ""), (4, 1, "Confidential - GDPR"), (9, 1, "Credentials"),
                (18, 2, "9c5b4809-0ccc-0637-6547-91a6f8bb609d"), (18, 4, "Confidential"),
            ], lastLine: 19),
        Sample(
            file: "sql-classification-keyword-patterns.csv", rows: 362, columns: 6,
            header: [
                "pattern", "sql_like", "can_be_numeric", "information_type", "information_type_id", "recommended_label",
            ],
            values: [
                (1, 0, "%[^h]ip%address%"), (1, 3, "Networking"), (361, 0, "ssn"), (361, 1, "0"),
                (361, 5, "Confidential - GDPR"),
            ], lastLine: 362),
    ]

    @Test(arguments: samples)
    func readsSample(_ sample: Sample) throws {
        let path = formatsFolder() + "/" + sample.file
        let reader = try CSVReader(path: path, displayName: sample.file)
        var records: [Record] = []
        try reader.read { row in records.append(Record(line: row.line, fields: row.fields)) }
        #expect(reader.encoding == .utf8)
        #expect(reader.delimiter == UInt8(ascii: ","))
        #expect(!reader.skippedTypeLine)
        #expect(records.count == sample.rows)
        #expect(records.first?.fields == sample.header)
        #expect(records.allSatisfy { $0.fields.count == sample.columns })
        #expect(records.allSatisfy { $0.invalidUTF8Field == nil && $0.nulField == nil })
        #expect(records.map(\.line) == Array(1...sample.rows))
        #expect(records.last?.line == sample.lastLine)
        for (record, field, value) in sample.values {
            #expect(records[record].fields[field] == value, "record \(record) field \(field)")
        }
    }

    @Test func everyCSVSampleIsCovered() throws {
        let listed = Set(Self.samples.map(\.file))
        let present = try listCSVFiles(formatsFolder())
        #expect(present == listed)
    }
}

private func listCSVFiles(_ folder: String) throws -> Set<String> {
    Set(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") })
}
