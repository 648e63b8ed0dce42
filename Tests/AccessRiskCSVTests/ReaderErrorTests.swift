import AccessRiskCSV
import Foundation
import Testing

/// An input the reader must refuse, and exactly how.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var expected: CSVError

    var testDescription: String { name }

    init(_ name: String, _ bytes: [UInt8], _ expected: CSVError) {
        self.name = name
        self.bytes = bytes
        self.expected = expected
    }
}

private let quoteReason = "malformed quoting: a quote inside an unquoted field, or text after a closing quote"
private let unterminated = "unterminated quoted field: the file ends inside quotes (truncated file?)"

let errorCases: [ErrorCase] = [
    ErrorCase(
        "stray quote in an unquoted field", Array("a,b\n1,x\"y\n".utf8),
        CSVError(
            file: "input.csv", line: 2, column: 2, kind: .malformed,
            message: "\(quoteReason) (character 4 of the line)")),
    ErrorCase(
        "text after a closing quote, after a quoted newline", Array("a,b\n\"multi\nline\"x,2\n".utf8),
        CSVError(
            file: "input.csv", line: 3, column: 1, kind: .malformed,
            message: "\(quoteReason) (character 6 of the line)")),
    ErrorCase(
        "stray quote in the field after a multi-line quoted field", Array("a,b\n\"x\r\ny\",z\"q\n".utf8),
        CSVError(
            file: "input.csv", line: 3, column: 2, kind: .malformed,
            message: "\(quoteReason) (character 5 of the line)")),
    ErrorCase(
        "stray quote after #TYPE, CRLF and non-ASCII", Array("#TYPE X\r\na,b\r\nok,\"fine\"\r\n3,é\"\r\n".utf8),
        CSVError(
            file: "input.csv", line: 4, column: 2, kind: .malformed,
            message: "\(quoteReason) (character 4 of the line)")),
    ErrorCase(
        "stray quote after CR-only lines", Array("a,b\r1,2\r\r3,4\"\r".utf8),
        CSVError(
            file: "input.csv", line: 4, column: 2, kind: .malformed,
            message: "\(quoteReason) (character 4 of the line)")),
    ErrorCase(
        "unterminated quote at end of file", Array("a,b\n1,\"open\nmore\n".utf8),
        CSVError(file: "input.csv", line: 2, column: 2, kind: .malformed, message: unterminated)),
    ErrorCase(
        "unterminated quote at end of UTF-16 file", utf16("a,b\r\nx,y\r\n\r\n\"open,", bigEndian: false),
        CSVError(file: "input.csv", line: 4, column: 1, kind: .malformed, message: unterminated)),
    ErrorCase(
        "PNG image", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52],
        CSVError(
            file: "input.csv", line: 1, kind: .binary, message: "is a binary file (PNG image), not delimited text")),
    ErrorCase(
        "xlsx workbook", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0x06, 0] + Array("[Content_Types].xml".utf8),
        CSVError(
            file: "input.csv", line: 1, kind: .binary,
            message: "is a binary file (ZIP archive, e.g. an .xlsx workbook), not delimited text")),
    ErrorCase(
        "unknown binary full of NULs", [0x01, 0x02, 0x03] + [UInt8](repeating: 0, count: 61) + [0x41, 0x0A],
        CSVError(
            file: "input.csv", line: 1, kind: .binary,
            message: "is a binary file, not delimited text (NUL byte at offset 3)")),
    ErrorCase(
        "UTF-16 LE without BOM", utf16("id,name\r\n1,Ann\r\n", bigEndian: false, bom: false),
        CSVError(
            file: "input.csv", line: 1, kind: .unsupportedEncoding,
            message: "looks like UTF-16 LE text without a byte-order mark; save it as UTF-8, or as UTF-16 with a BOM")),
    ErrorCase(
        "UTF-16 BE without BOM", utf16("id,name\r\n1,Ann\r\n", bigEndian: true, bom: false),
        CSVError(
            file: "input.csv", line: 1, kind: .unsupportedEncoding,
            message: "looks like UTF-16 BE text without a byte-order mark; save it as UTF-8, or as UTF-16 with a BOM")),
    ErrorCase(
        "UTF-32 LE", [0xFF, 0xFE, 0, 0, 0x61, 0, 0, 0, 0x0A, 0, 0, 0],
        CSVError(
            file: "input.csv", line: 1, kind: .unsupportedEncoding,
            message: "UTF-32 text is not supported; save the file as UTF-8 or UTF-16 with a BOM")),
    ErrorCase(
        "UTF-32 BE", [0, 0, 0xFE, 0xFF, 0, 0, 0, 0x61, 0, 0, 0, 0x0A],
        CSVError(
            file: "input.csv", line: 1, kind: .unsupportedEncoding,
            message: "UTF-32 text is not supported; save the file as UTF-8 or UTF-16 with a BOM")),
]

@Suite struct ReaderErrorTests {
    @Test(arguments: errorCases, chunkSizes)
    func rejects(_ testCase: ErrorCase, chunkSize: Int) {
        let error = readError(testCase.bytes, chunkSize: chunkSize)
        #expect(error == testCase.expected)
    }

    static let tooLong =
        "record longer than 100 bytes: a quote that is never closed? (limit: CSVReadOptions.maxRecordBytes)"

    @Test(
        arguments: [
            ("a,b\n1,\"" + String(repeating: "x", count: 300), 2, 2),
            ("a,b\n\n" + String(repeating: "abcde,", count: 30) + "\n", 3, 21),
            ("a\n" + String(repeating: "y", count: 101) + "\nz\n", 2, 1),
        ], chunkSizes)
    func recordLongerThanTheLimit(_ input: (String, Int, Int), chunkSize: Int) throws {
        let reader = try CSVReader(
            source: .bytes(Array(input.0.utf8)), displayName: "input.csv",
            options: CSVReadOptions(chunkSize: chunkSize, maxRecordBytes: 100))
        var lines: [Int] = []
        #expect(
            throws: CSVError(file: "input.csv", line: input.1, column: input.2, kind: .malformed, message: Self.tooLong)
        ) {
            try reader.read { lines.append($0.line) }
        }
        #expect(lines == [1])
    }

    @Test func recordAtTheLimitIsRead() throws {
        let outcome = try CSVReader(
            source: .bytes(Array(("a\n" + String(repeating: "y", count: 100) + "\n").utf8)), displayName: "f",
            options: CSVReadOptions(maxRecordBytes: 100))
        var sizes: [Int] = []
        try outcome.read { sizes.append($0.byteCount(0)) }
        #expect(sizes == [1, 100])
    }

    @Test func descriptionNamesFileLineAndField() {
        let error = readError(Array("a,b\n1,x\"y\n".utf8), displayName: "exports/users.csv")
        #expect(error?.description == "exports/users.csv:2:2: \(quoteReason) (character 4 of the line)")
    }

    @Test func rowsBeforeAnErrorAreDelivered() throws {
        let reader = try CSVReader(source: .bytes(Array("a,b\n1,2\n3,x\"\n5,6\n".utf8)), displayName: "f.csv")
        var lines: [Int] = []
        #expect(throws: CSVError.self) {
            try reader.read { lines.append($0.line) }
        }
        #expect(lines == [1, 2])
    }

    @Test func missingFile() {
        #expect(
            throws: CSVError(file: "nope.csv", kind: .unreadable, message: "cannot open: No such file or directory")
        ) {
            _ = try CSVReader(path: "/nonexistent/dir/nope.csv", displayName: "nope.csv")
        }
    }

    @Test func directoryIsNotAFile() {
        #expect(throws: CSVError(file: "/tmp", kind: .unreadable, message: "is a directory, not a file")) {
            _ = try CSVReader(path: "/tmp")
        }
    }
}

@Suite struct ReaderControlTests {
    struct Abort: Error, Equatable { let line: Int }

    @Test(arguments: chunkSizes)
    func stopEndsAfterTheCurrentRecord(chunkSize: Int) throws {
        let reader = try CSVReader(
            source: .bytes(Array("h\n1\n2\n3\n4\n5\n".utf8)), displayName: "f.csv",
            options: CSVReadOptions(chunkSize: chunkSize))
        var seen: [String] = []
        try reader.read { row in
            seen.append(row[0])
            if row[0] == "2" { reader.stop() }
        }
        #expect(seen == ["h", "1", "2"])
    }

    @Test(arguments: chunkSizes)
    func errorFromTheCallbackIsRethrownUnchanged(chunkSize: Int) throws {
        let reader = try CSVReader(
            source: .bytes(Array("h\n1\n2\n3\n".utf8)), displayName: "f.csv",
            options: CSVReadOptions(chunkSize: chunkSize))
        var seen: [Int] = []
        #expect(throws: Abort(line: 3)) {
            try reader.read { row in
                seen.append(row.line)
                if row.line == 3 { throw Abort(line: row.line) }
            }
        }
        #expect(seen == [1, 2, 3])
    }

    @Test func rowAccessors() throws {
        let reader = try CSVReader(source: .bytes(Array("a,,ü\n,,\n".utf8)), displayName: "f.csv")
        var checked = 0
        try reader.read { row in
            if row.line == 1 {
                #expect(row.count == 3)
                #expect(row[1] == "")
                #expect(row[7] == "")
                #expect(row[-1] == "")
                #expect(row.byteCount(2) == 2)
                #expect(row.withBytes(2) { Array($0) } == [0xC3, 0xBC])
                #expect(row.withBytes(9) { $0.count } == 0)
                #expect(!row.isBlank)
            } else {
                #expect(row.count == 3)
                #expect(row.isBlank)
            }
            checked += 1
        }
        #expect(checked == 2)
    }

    @Test func readsFromAFile() throws {
        let path = NSTemporaryDirectory() + "accessrisk-reader-\(UInt32.random(in: 0...UInt32.max)).csv"
        let text = "id,name\r\n" + (1...5000).map { "\($0),\"Name, \($0)\"\r\n" }.joined()
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try CSVReader(path: path, options: CSVReadOptions(chunkSize: 4096))
        var count = 0
        var last = Record(line: 0, fields: [])
        try reader.read { row in
            count += 1
            last = Record(line: row.line, fields: row.fields)
        }
        #expect(count == 5001)
        #expect(last == Record(line: 5001, fields: ["5000", "Name, 5000"]))
        #expect(reader.bytesRead == text.utf8.count)
        #expect(reader.displayName == path)
    }
}
