import AccessRiskModel
import Foundation
import Testing

@testable import AccessRiskImport

@Suite("Cells looked up by their bytes")
struct CellTableTests {
    static func storage(_ text: String) -> UInt64 { StringWords.objectWord(text) }

    @Test("interning by bytes gives one string per text, through every growth of the table")
    func internsOnePerText() {
        var table = CellTable<Void>()
        let texts = (0..<20_000).map { "0f3961f7-ba7d-45be-84a2-\(String(format: "%012d", $0 * 7919))" }
        var first: [String] = []
        for text in texts {
            var copy = text
            first.append(copy.withUTF8 { table.intern($0) })
        }
        #expect(table.count == texts.count)
        #expect(first == texts)
        for (k, text) in texts.enumerated().reversed() {
            // A different String of the same text finds the one kept, by bytes and by String.
            var again = String(decoding: Array(text.utf8), as: UTF8.self)
            let found = again.withUTF8 { table.intern($0) }
            #expect(found == text)
            #expect(Self.storage(found) == Self.storage(first[k]))
            #expect(Self.storage(table.intern(again)) == Self.storage(first[k]))
        }
        #expect(table.count == texts.count)
        // Texts that differ in one byte, or only in length, stay apart.
        var near = ["abcdefghijklmnopq", "abcdefghijklmnopr", "abcdefghijklmnopqr", "abcdefghijklmnop"]
        let kept = near.indices.map { i in near[i].withUTF8 { table.intern($0) } }
        #expect(kept == near)
        #expect(table.count == texts.count + near.count)
    }

    @Test("texts String == calls equal are one entry, however spelled: composed, decomposed, Kelvin K, ; and `")
    func canonicalEquivalence() {
        var table = CellTable<Void>()
        let spellings: [[String]] = [
            ["Ren\u{E9}e Fran\u{E7}ois-Dubois", "Rene\u{301}e Franc\u{327}ois-Dubois"],
            ["Kelvin-scale-sensor;`x", "\u{212A}elvin-scale-sensor\u{37E}\u{1FEF}x"],
        ]
        for group in spellings {
            #expect(group[0] == group[1])
            var first = group[0]
            let kept = first.withUTF8 { table.intern($0) }
            for other in group.reversed() {
                var spelled = other
                let found = spelled.withUTF8 { table.intern($0) }
                #expect(Self.storage(found) == Self.storage(kept), "\(other)")
            }
        }
        #expect(table.count == 2)
        // Equivalent is not equal bytes: the text a cell's bytes decode to is still checked on bytes.
        #expect(Array(spellings[0][1].utf8).withUnsafeBufferPointer { !CellTable<Void>.sameBytes(spellings[0][0], $0) })
    }

    @Test("bytes that are not UTF-8 are decoded repaired and never kept under those bytes")
    func invalidBytesAreNotKept() {
        var table = CellTable<Void>()
        let bytes: [UInt8] = Array("invalid-cell-here-".utf8) + [0xFF, 0xFE]
        let text = bytes.withUnsafeBufferPointer { table.intern($0) }
        #expect(text.contains("\u{FFFD}"))
        #expect(table.count == 0)
        var valid = "invalid-cell-here-\u{FFFD}\u{FFFD}"
        #expect(valid.withUTF8 { table.intern($0) } == valid)
        #expect(table.count == 1)
    }

    @Test("an assignment id read on bytes keeps what the id's String would: any case, any other scope")
    func scopeRelativeIdsMatchTheStringPath() throws {
        let header =
            "\"RoleAssignmentId\",\"Scope\",\"DisplayName\",\"SignInName\",\"RoleDefinitionName\","
            + "\"RoleDefinitionId\",\"ObjectId\",\"ObjectType\"\r\n"
        let sub = "/subscriptions/BEEB8DA1-658E-4C67-B893-A2EEFB32555E"
        let rows = [
            // The id's scope in another case than the Scope column, an upper-case name.
            "\(sub.lowercased())/resourceGroups/RG-Apps/providers/Microsoft.Authorization/roleAssignments/"
                + "99451047-6FA8-4435-AAE0-A888A979E0EE,\(sub)/resourceGroups/rg-apps",
            // The same assignment again: a duplicate.
            "\(sub)/resourceGroups/rg-apps/providers/Microsoft.Authorization/roleAssignments/"
                + "99451047-6fa8-4435-aae0-a888a979e0ee,\(sub)/resourceGroups/rg-apps",
            // An id of another scope: kept whole.
            "\(sub)/providers/Microsoft.Authorization/roleAssignments/11111111-2222-3333-4444-555555555555,"
                + "\(sub)/resourceGroups/rg-apps",
            // A path after the name: kept whole.
            "\(sub)/providers/Microsoft.Authorization/roleAssignments/22222222-2222-3333-4444-555555555555/x,"
                + "\(sub)",
        ]
        let text =
            header
            + rows.map {
                "\($0),\"Team\",\"\",\"Reader\",\"ACDD72A7-3385-48EF-BD42-F606FBA81AE7\","
                    + "\"0F3961F7-BA7D-45BE-84A2-DED76CA82F45\",\"Group\"\r\n"
            }.joined()
        let result = try Fixture.load(try Fixture.temporary(text))
        #expect(result.file.rowsUsed == 3)
        #expect(result.file.rowsDuplicate == 1)
        let ids = result.model.assignments.map(\.id).sorted { ($0 ?? "") < ($1 ?? "") }
        let lower = sub.lowercased()
        #expect(
            ids == [
                "\(lower)/providers/microsoft.authorization/roleassignments/11111111-2222-3333-4444-555555555555",
                "\(lower)/providers/microsoft.authorization/roleassignments/22222222-2222-3333-4444-555555555555/x",
                "\(lower)/resourcegroups/rg-apps/providers/microsoft.authorization/roleassignments/"
                    + "99451047-6fa8-4435-aae0-a888a979e0ee",
            ])
        for a in result.model.assignments {
            #expect(a.principalId == "0f3961f7-ba7d-45be-84a2-ded76ca82f45")
            #expect(a.roleId == "acdd72a7-3385-48ef-bd42-f606fba81ae7")
            #expect(a.scope.subscriptionId == "beeb8da1-658e-4c67-b893-a2eefb32555e")
        }
    }

    @Test("memberships de-duplicate across the case of their ids, long (GUID) or short")
    func membershipDuplicates() throws {
        let text = """
            group_id,member_id
            0F3961F7-BA7D-45BE-84A2-DED76CA82F45,A232B75A-BCE6-40F5-A1BD-B48ED6D3DFF0
            0f3961f7-ba7d-45be-84a2-ded76ca82f45,a232b75a-bce6-40f5-a1bd-b48ed6d3dff0
            0f3961f7-ba7d-45be-84a2-ded76ca82f45,90f6a57d-c2de-4121-bdbe-3518f56d9d03
            g1,M1
            G1,m1
            g1,0f3961f7-ba7d-45be-84a2-ded76ca82f45
            G1,0F3961F7-BA7D-45BE-84A2-DED76CA82F45

            """
        let result = try Fixture.load(try Fixture.temporary(text))
        #expect(result.file.rowsUsed == 4)
        #expect(result.file.rowsDuplicate == 3)
        let pairs = Set(result.model.memberships.map { "\($0.groupId)>\($0.memberId)" })
        #expect(
            pairs == [
                "0f3961f7-ba7d-45be-84a2-ded76ca82f45>a232b75a-bce6-40f5-a1bd-b48ed6d3dff0",
                "0f3961f7-ba7d-45be-84a2-ded76ca82f45>90f6a57d-c2de-4121-bdbe-3518f56d9d03",
                "g1>m1", "g1>0f3961f7-ba7d-45be-84a2-ded76ca82f45",
            ])
    }
}

@Suite("CellTable against a Dictionary")
struct CellTableDictionaryTests {
    @Test("values found, replaced and inserted agree with a Dictionary through growth and a late reservation")
    func matchesDictionary() {
        for reserveAt in [-1, 0, 3000] {
            var table = CellTable<Int>()
            var plain: [String: Int] = [:]
            // Keys sharing long prefixes and differing at the end, short and long, ASCII and not.
            let keys = (0..<12_000).map { i -> String in
                switch i % 4 {
                case 0: return "/subscriptions/beeb8da1-658e-4c67-b893-a2eefb32555e/resourceGroups/rg-\(i / 7)"
                case 1: return "k\(i % 500)"
                case 2: return "Zoë \(i % 2000) Smith"
                default: return String(repeating: "x", count: i % 40)
                }
            }
            for (n, key) in keys.enumerated() {
                if n == reserveAt { table.reserveCapacity(50_000) }
                var copy = key
                let (value, entry, hash) = copy.withUTF8 { table.lookUp($0) }
                #expect(value == plain[key], "\(key)")
                if let entry {
                    table.setValue(n, at: entry)
                } else {
                    table.insert(key: key, value: n, hash: hash)
                }
                plain[key] = n
            }
            #expect(table.count == plain.count)
            for (key, value) in plain { #expect(table[key] == value) }
            #expect(table["not a key"] == nil)
            #expect(Set(table.keys) == Set(plain.keys))
        }
    }
}
