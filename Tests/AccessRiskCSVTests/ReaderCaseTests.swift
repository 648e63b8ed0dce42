import AccessRiskCSV
import Foundation
import Testing

/// An input built as bytes and everything the reader must report for it, whatever the chunk size.
struct ReaderCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var records: [Record]
    var encoding: TextEncoding = .utf8
    var delimiter: UInt8 = UInt8(ascii: ",")
    var skippedTypeLine = false

    var testDescription: String { name }

    init(
        _ name: String, _ bytes: [UInt8], _ records: [Record], encoding: TextEncoding = .utf8,
        delimiter: UInt8 = UInt8(ascii: ","), skippedTypeLine: Bool = false
    ) {
        self.name = name
        self.bytes = bytes
        self.records = records
        self.encoding = encoding
        self.delimiter = delimiter
        self.skippedTypeLine = skippedTypeLine
    }

    init(
        _ name: String, _ text: String, _ records: [Record], delimiter: UInt8 = UInt8(ascii: ","),
        skippedTypeLine: Bool = false
    ) {
        self.init(name, Array(text.utf8), records, delimiter: delimiter, skippedTypeLine: skippedTypeLine)
    }
}

/// A multi-line UTF-16 file with a BMP accent, a surrogate pair (emoji) and a quoted field spanning lines.
private let utf16Text = "id,name\r\n1,\"Line one\r\nLine two 😀\"\r\n2,Zoë\r\n"
private let utf16Records = [
    Record(line: 1, fields: ["id", "name"]),
    Record(line: 2, fields: ["1", "Line one\r\nLine two 😀"]),
    Record(line: 4, fields: ["2", "Zoë"]),
]

let readerCases: [ReaderCase] = [
    ReaderCase(
        "UTF-8 with BOM", [0xEF, 0xBB, 0xBF] + Array("id,name\r\n1,Ann\r\n".utf8),
        [Record(line: 1, fields: ["id", "name"]), Record(line: 2, fields: ["1", "Ann"])], encoding: .utf8BOM),
    ReaderCase("UTF-8 BOM only", [0xEF, 0xBB, 0xBF], [], encoding: .utf8BOM),
    ReaderCase("UTF-16 BOM only", [0xFE, 0xFF], [], encoding: .utf16BE),
    ReaderCase(
        "UTF-8 BOM then #TYPE line", [0xEF, 0xBB, 0xBF] + Array("#TYPE T\nId\n7\n".utf8),
        [Record(line: 2, fields: ["Id"]), Record(line: 3, fields: ["7"])], encoding: .utf8BOM, skippedTypeLine: true),
    ReaderCase(
        "#TYPE line alone, CR-only", "#TYPE T\r", [], skippedTypeLine: true),
    ReaderCase("UTF-16 LE with BOM", utf16(utf16Text, bigEndian: false), utf16Records, encoding: .utf16LE),
    ReaderCase("UTF-16 BE with BOM", utf16(utf16Text, bigEndian: true), utf16Records, encoding: .utf16BE),
    ReaderCase(
        "UTF-16 LE lone surrogate and odd trailing byte",
        utf16("a,b\n1,x", bigEndian: false) + [0x00, 0xD8, 0x79, 0x00, 0x41],
        [
            Record(line: 1, fields: ["a", "b"]),
            Record(line: 2, fields: ["1", "x\u{FFFD}y\u{FFFD}"], invalidUTF8Field: 1),
        ],
        encoding: .utf16LE),
    ReaderCase(
        "semicolon", "a;b;c\n1;\"x;y\";3\n",
        [Record(line: 1, fields: ["a", "b", "c"]), Record(line: 2, fields: ["1", "x;y", "3"])],
        delimiter: UInt8(ascii: ";")),
    ReaderCase(
        "semicolon after blank lines", "\r\n\r\na;b;c,d\r\n1;2;3\r\n",
        [Record(line: 3, fields: ["a", "b", "c,d"]), Record(line: 4, fields: ["1", "2", "3"])],
        delimiter: UInt8(ascii: ";")),
    ReaderCase(
        "TAB with empty fields", "a\tb\tc\n1\t\t3\n\tx\t\n",
        [
            Record(line: 1, fields: ["a", "b", "c"]), Record(line: 2, fields: ["1", "", "3"]),
            Record(line: 3, fields: ["", "x", ""]),
        ], delimiter: 0x09),
    ReaderCase(
        "#TYPE line shifts line numbers",
        "#TYPE System.Management.Automation.PSCustomObject\r\n\"ObjectId\";\"DisplayName\"\r\n\"1\";\"A, B\"\r\n",
        [Record(line: 2, fields: ["ObjectId", "DisplayName"]), Record(line: 3, fields: ["1", "A, B"])],
        delimiter: UInt8(ascii: ";"), skippedTypeLine: true),
    ReaderCase(
        "#TYPE line in UTF-16 with BOM",
        utf16("#TYPE Selected.Microsoft.Azure.Commands\r\nRoleDefinitionName,Scope\r\nOwner,/\r\n", bigEndian: false),
        [Record(line: 2, fields: ["RoleDefinitionName", "Scope"]), Record(line: 3, fields: ["Owner", "/"])],
        encoding: .utf16LE, skippedTypeLine: true),
    ReaderCase(
        "embedded newlines and doubled quotes",
        "id,note\n1,\"He said \"\"hi\"\"\nthen left\"\n2,\"a\r\nb\r\nc\"\n3,end\n",
        [
            Record(line: 1, fields: ["id", "note"]), Record(line: 2, fields: ["1", "He said \"hi\"\nthen left"]),
            Record(line: 4, fields: ["2", "a\r\nb\r\nc"]), Record(line: 7, fields: ["3", "end"]),
        ]),
    ReaderCase(
        "CR-only line ends", "a,b\r1,2\r\r3,\"x\ry\"\r4,5",
        [
            Record(line: 1, fields: ["a", "b"]), Record(line: 2, fields: ["1", "2"]),
            Record(line: 4, fields: ["3", "x\ry"]), Record(line: 6, fields: ["4", "5"]),
        ]),
    ReaderCase(
        "ragged rows", "a,b,c\n1,2\n1,2,3,4\n\n5\n",
        [
            Record(line: 1, fields: ["a", "b", "c"]), Record(line: 2, fields: ["1", "2"]),
            Record(line: 3, fields: ["1", "2", "3", "4"]), Record(line: 5, fields: ["5"]),
        ]),
    ReaderCase(
        "blank lines skipped", "\n\na,b\r\n\r\n\r\n1,2\n   \n3,4\n\n",
        [
            Record(line: 3, fields: ["a", "b"]), Record(line: 6, fields: ["1", "2"]),
            Record(line: 8, fields: ["3", "4"]),
        ]),
    ReaderCase(
        "invalid UTF-8 flagged",
        Array("a,b,c\n1,".utf8) + [0xFF, 0xFE] + Array("x,".utf8) + [0xC0, 0xAF] + Array("\n2,ok,".utf8)
            + [0xE2, 0x82] + Array("\n3,é,€\n".utf8),
        [
            Record(line: 1, fields: ["a", "b", "c"]),
            Record(line: 2, fields: ["1", "\u{FFFD}\u{FFFD}x", "\u{FFFD}\u{FFFD}"], invalidUTF8Field: 1),
            Record(line: 3, fields: ["2", "ok", "\u{FFFD}"], invalidUTF8Field: 2),
            Record(line: 4, fields: ["3", "é", "€"]),
        ]),
    ReaderCase(
        "NUL byte in a field", Array("a,b\n1,x".utf8) + [0] + Array("y\n2,z\n".utf8),
        [
            Record(line: 1, fields: ["a", "b"]), Record(line: 2, fields: ["1", "x\u{0}y"], nulField: 1),
            Record(line: 3, fields: ["2", "z"]),
        ]),
    ReaderCase("empty file", [], []),
    ReaderCase("header only, no final newline", "a,b,c", [Record(line: 1, fields: ["a", "b", "c"])]),
    ReaderCase("header only, CRLF", "a,b,c\r\n", [Record(line: 1, fields: ["a", "b", "c"])]),
    ReaderCase(
        "quoted last field at end of file, no newline", "a,b\r\n1,\"x \"\"y\"\"\"  ",
        [Record(line: 1, fields: ["a", "b"]), Record(line: 2, fields: ["1", "x \"y\""])]),
    ReaderCase(
        "spaces around a quoted field", "a,b\n  \"p, q\"  ,r\n",
        [Record(line: 1, fields: ["a", "b"]), Record(line: 2, fields: ["p, q", "r"])]),
    ReaderCase(
        "unquoted spaces trimmed, quoted kept", "a , b \n\" x \" , y\n",
        [Record(line: 1, fields: ["a", "b"]), Record(line: 2, fields: [" x ", "y"])]),
    ReaderCase(
        "empty quoted field is a record", "a\n\"\"\n,\n",
        [Record(line: 1, fields: ["a"]), Record(line: 2, fields: [""]), Record(line: 3, fields: ["", ""])]),
]

@Suite struct ReaderCaseTests {
    @Test(arguments: readerCases, chunkSizes)
    func readsCase(_ testCase: ReaderCase, chunkSize: Int) throws {
        let outcome = try readAll(testCase.bytes, chunkSize: chunkSize)
        #expect(outcome.records == testCase.records)
        #expect(outcome.encoding == testCase.encoding)
        #expect(outcome.delimiter == testCase.delimiter)
        #expect(outcome.skippedTypeLine == testCase.skippedTypeLine)
        #expect(outcome.bytesRead == testCase.bytes.count)
    }

    @Test func bomIsNotPartOfTheFirstHeaderCell() throws {
        let outcome = try readAll([0xEF, 0xBB, 0xBF] + Array("Id,Name\n".utf8))
        #expect(outcome.records.first?.fields.first == "Id")
        #expect(outcome.records.first?.fields.first?.unicodeScalars.first == "I")
    }

    @Test func explicitDelimiterOverridesSniffing() throws {
        let outcome = try readAll("a;b,c\n1;2,3\n", delimiter: UInt8(ascii: ","))
        #expect(outcome.delimiter == UInt8(ascii: ","))
        #expect(outcome.records.map(\.fields) == [["a;b", "c"], ["1;2", "3"]])
    }

    /// A long one-column start: the first record with a delimiter decides, within the first 256 KiB only, and the
    /// search stays linear with tiny chunks.
    @Test(arguments: [1, 7, 1 << 20])
    func sniffingPastAOneColumnStart(chunkSize: Int) throws {
        let early = "Name\n" + String(repeating: "value\n", count: 20_000) + "a;b\n"
        let outcome = try readAll(early, chunkSize: chunkSize)
        #expect(outcome.delimiter == UInt8(ascii: ";"))
        #expect(outcome.records.count == 20_002)
        #expect(outcome.records.last == Record(line: 20_002, fields: ["a", "b"]))

        let late = "Name\n" + String(repeating: "value\n", count: 50_000) + "a;b\n"
        let lateOutcome = try readAll(late, chunkSize: chunkSize)
        #expect(lateOutcome.delimiter == UInt8(ascii: ","))
        #expect(lateOutcome.records.last == Record(line: 50_002, fields: ["a;b"]))
    }

    @Test func aMillionColumns() throws {
        let text = String(repeating: "c,", count: 999_999) + "last\nx\n"
        let reader = try CSVReader(source: .bytes(Array(text.utf8)), displayName: "wide.csv")
        var counts: [Int] = []
        var ends: [String] = []
        try reader.read { row in
            counts.append(row.count)
            ends.append(row[row.count - 1])
        }
        #expect(counts == [1_000_000, 1])
        #expect(ends == ["last", "x"])
    }

    @Test(arguments: [4096, 1 << 20])
    func fiveMegabyteField(chunkSize: Int) throws {
        let big = String(repeating: "0123456789abcdef, \"x\"\n", count: 5 * 1024 * 1024 / 22)
        let escaped = big.replacingOccurrences(of: "\"", with: "\"\"")
        let text = "id,blob,tail\n1,\"\(escaped)\",end\n2,small,z\n"
        let bigLines = big.utf8.count(where: { $0 == 0x0A })
        let outcome = try readAll(text, chunkSize: chunkSize)
        #expect(outcome.records.count == 3)
        #expect(outcome.records[1].fields.count == 3)
        #expect(outcome.records[1].fields[1].utf8.count == big.utf8.count)
        #expect(outcome.records[1].fields[1] == big)
        #expect(outcome.records[1].fields[2] == "end")
        #expect(outcome.records[2] == Record(line: 3 + bigLines, fields: ["2", "small", "z"]))
    }
}

@Suite("Rows larger than the row's first buffers")
struct RowGrowthTests {
    @Test("a record of hundreds of fields and tens of kilobytes reads whole, empty fields and bytes included")
    func wideAndLongRecords() throws {
        var rows: [[String]] = []
        for r in 0..<5 {
            // 300 fields (the row starts with room for 64), some empty, some long (it starts with 4 KiB of bytes).
            rows.append(
                (0..<300).map { f in
                    if (f + r) % 7 == 0 { return "" }
                    if f % 50 == 3 { return String(repeating: "é\(f)", count: 900 + r) }
                    return "r\(r)f\(f)"
                })
        }
        rows.append(["short", "", "row"])
        let text = rows.map { $0.map { "\"\($0)\"" }.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        for chunkSize in [1 << 20, 1000] {
            let reader = try CSVReader(
                source: .bytes(Array(text.utf8)), displayName: "wide.csv", options: CSVReadOptions(chunkSize: chunkSize)
            )
            var seen: [[String]] = []
            try reader.read { row in
                var fields: [String] = []
                for i in 0..<row.count {
                    let bytes = row.withBytes(i) { Array($0) }
                    #expect(bytes.count == row.byteCount(i))
                    #expect(String(decoding: bytes, as: UTF8.self) == row[i])
                    fields.append(row[i])
                }
                #expect(fields == row.fields)
                #expect(row[row.count] == "" && row.byteCount(-1) == 0 && row.withBytes(row.count) { $0.count } == 0)
                seen.append(fields)
            }
            #expect(seen == rows)
        }
    }
}
