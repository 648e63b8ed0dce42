import Foundation
import Testing

@testable import AccessRiskModel

/// The default policy is embedded as Swift constants (no bundle lookup at run time); these tests keep the constants
/// equal to the CSV files shipped in `Sources/AccessRiskModel/Resources/classification/`.
@Suite("Classification: embedded data matches the shipped resources")
struct ClassificationDataTests {
    static let resources: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)  // Tests/AccessRiskModelTests/ClassificationDataTests.swift
        return parts.joined(separator: "/") + "/Sources/AccessRiskModel/Resources/classification/"
    }()

    /// The rows of a shipped CSV (these files have no quoting), header removed.
    static func rows(_ file: String) throws -> [[String]] {
        let text = try String(contentsOfFile: resources + file, encoding: .utf8)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        return lines.dropFirst().filter { !$0.isEmpty }.map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    @Test func policyRowsMatchTheShippedFile() throws {
        let rows = try Self.rows("sql-classification-default-policy.csv")
        #expect(rows.count == DefaultClassificationData.policyRows.count)
        for (row, constant) in zip(rows, DefaultClassificationData.policyRows) {
            #expect(
                row == [constant.kind, constant.name, constant.id, String(constant.order), constant.recommendedLabel])
        }
    }

    @Test func patternRowsMatchTheShippedFile() throws {
        let rows = try Self.rows("sql-classification-keyword-patterns.csv")
        #expect(rows.count == 361)
        #expect(rows.count == DefaultClassificationData.patternRows.count)
        let ids = Dictionary(
            uniqueKeysWithValues: DefaultClassificationData.policyRows.map { ($0.name, ($0.id, $0.recommendedLabel)) })
        for (row, constant) in zip(rows, DefaultClassificationData.patternRows) {
            #expect(row.count == 6)
            #expect(row[0] == constant.pattern)
            #expect(row[1] == (constant.sqlLike ? "1" : "0"))
            #expect(row[2] == (constant.canBeNumeric ? "1" : "0"))
            #expect(row[3] == constant.informationType)
            #expect(ids[row[3]]?.0 == row[4])
            #expect(ids[row[3]]?.1 == row[5])
        }
    }

    @Test func everyPatternBelongsToAKnownInformationType() {
        let catalogue = ClassificationCatalogue.standard
        for p in ClassificationPolicy.default.namePatterns {
            #expect(catalogue.informationType(named: p.informationType) != nil, "\(p.pattern)")
        }
        #expect(ClassificationPolicy.default.namePatterns.count == 361)
    }
}
