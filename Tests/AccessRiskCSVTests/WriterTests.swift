import AccessRiskCSV
import Foundation
import Testing

@Suite struct WriterTests {
    @Test func exactBytes() {
        var writer = CSVWriter()
        writer.writeRow(["id", "name", "note"])
        writer.writeRow(["=1+1", "Doe, Jane", "say \"hi\""])
        writer.writeRow([" lead", "trail ", ""])
        writer.writeRow(["multi\nline", "-5", "@SUM(A1)"])
        let expected =
            "\u{FEFF}id,name,note\r\n"
            + "'=1+1,\"Doe, Jane\",\"say \"\"hi\"\"\"\r\n"
            + "\" lead\",\"trail \",\r\n"
            + "\"multi\nline\",'-5,'@SUM(A1)\r\n"
        #expect(writer.text == expected)
        #expect(Array(writer.bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }

    @Test func noBOM() {
        var writer = CSVWriter(includeBOM: false)
        writer.writeRow(["a", "b"])
        #expect(writer.bytes == Array("a,b\r\n".utf8))
    }

    @Test func semicolonDelimiter() {
        var writer = CSVWriter(delimiter: UInt8(ascii: ";"), includeBOM: false)
        writer.writeRow(["a;b", "c", "d,e"])
        #expect(writer.text == "\"a;b\";c;\"d,e\"\r\n")
    }

    @Test func singleEmptyFieldIsNotABlankLine() {
        var writer = CSVWriter(includeBOM: false)
        writer.writeRow([""])
        #expect(writer.text == "\"\"\r\n")
    }

    @Test(arguments: [
        ("=cmd", "'=cmd"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
        ("\nx", "'\nx"), ("\r\n", "'\r\n"), ("-\u{301}", "'-\u{301}"), ("plain", "plain"), ("", ""),
        ("'quoted", "'quoted"), ("'=x", "''=x"), ("''-x", "'''-x"), ("a=b", "a=b"), (" =x", " =x"),
        ("'\u{301}-x", "'\u{301}-x"), ("''\u{301}=", "''\u{301}="),
    ])
    func neutralize(_ value: String, _ expected: String) {
        #expect(CSVWriter.neutralize(value) == expected)
        #expect(CSVWriter.unneutralize(expected) == value)
    }

    @Test func unneutralizeLeavesOtherApostrophesAlone() {
        #expect(CSVWriter.unneutralize("'abc") == "'abc")
        #expect(CSVWriter.unneutralize("'") == "'")
        #expect(CSVWriter.unneutralize("it's") == "it's")
    }

    static let hostile: [String] = [
        "=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1:A2)", "\tTAB", "\rCR", "\nLF", "\r\nCRLF",
        "'=already", "'", "''", "'plain", "say \"hi\"", "\"", "\"\"", "line1\nline2", "line1\r\nline2", "cr\ronly",
        " leading", "trailing ", "  both  ", "\ttabs\t", "a;b", "a,b", "a\tb", "Zoë Ünïcode 😀 中文", "", " ",
        "#TYPE not a type line", "#", "end\n", "-\u{301}combining", "\u{FEFF}bom-like",
    ]

    @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09])
    func roundTripThroughTheReader(delimiter: UInt8) throws {
        var rows: [[String]] = []
        // Every hostile value comes first in a row (the header too), alone, and in the middle.
        rows.append(["#TYPE x", "header;with;semicolons", "h,c"])
        for value in Self.hostile {
            rows.append([value, "x", value])
            rows.append(["x", value, "y"])
        }
        rows.append([""])
        rows.append(["", ""])
        var writer = CSVWriter(delimiter: delimiter)
        for row in rows { writer.writeRow(row) }
        for chunkSize in [7, 1 << 20] {
            // The delimiter is sniffed: the writer must make it unambiguous.
            let outcome = try readAll(writer.bytes, chunkSize: chunkSize)
            #expect(outcome.delimiter == delimiter)
            #expect(outcome.encoding == .utf8BOM)
            #expect(!outcome.skippedTypeLine)
            let readBack = outcome.records.map { $0.fields.map(CSVWriter.unneutralize) }
            #expect(readBack == rows)
        }
    }
}

/// Records written cell by cell (the worksheet's fast path) against the rules ``CSVWriter/writeRow(_:)`` follows.
@Suite struct CellWriterTests {
    /// The bytes that quote a cell besides the writer's own delimiter.
    static let specials: [UInt8] = [0x22, 0x0A, 0x0D, 0x2C, 0x3B, 0x09]

    @Test(
        "a quoting byte anywhere in a cell of any length quotes it (the scan reads sixteen bytes at a time)",
        arguments: [UInt8(ascii: ","), UInt8(ascii: "|")])
    func quotingByteAnywhere(delimiter: UInt8) {
        for length in 1...40 {
            let plain = String(repeating: "a", count: length)
            var writer = CSVWriter(delimiter: delimiter, includeBOM: false)
            writer.appendCell(plain)
            #expect(writer.text == plain)
            for position in 0..<length {
                for special in Self.specials + [delimiter] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = special
                    let value = String(decoding: bytes, as: UTF8.self)
                    // TAB, CR and LF first are formula triggers: the guard's `'` comes inside the quotes.
                    let guardPrefix = position == 0 && [0x09, 0x0A, 0x0D].contains(special) ? "'" : ""
                    let expected = "\"" + guardPrefix + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                    var writer = CSVWriter(delimiter: delimiter, includeBOM: false)
                    writer.appendCell(value)
                    #expect(writer.text == expected, "length \(length), byte \(special) at \(position)")
                }
            }
        }
        // Another writer's delimiter is plain text.
        var writer = CSVWriter(delimiter: delimiter, includeBOM: false)
        let other = delimiter == UInt8(ascii: ",") ? "a|b|c|d|e|f|g|h|i|j|k|l" : "a@b@c@d@e@f@g@h@i@j@k@l"
        writer.appendCell(other)
        #expect(writer.text == other)
    }

    @Test("a record written cell by cell is the record writeRow writes", arguments: [UInt8(ascii: ","), 0x09])
    func cellsMatchRows(delimiter: UInt8) {
        for value in WriterTests.hostile + [String(repeating: "long cell, ", count: 5)] {
            var rows = CSVWriter(delimiter: delimiter, includeBOM: false)
            rows.writeRow([value, "x", value])
            var cells = CSVWriter(delimiter: delimiter, includeBOM: false)
            cells.appendCell(value)
            cells.appendDelimiter()
            Array("x".utf8).withUnsafeBufferPointer { cells.appendCell(utf8: $0) }
            cells.appendDelimiter()
            var copied = CSVWriter(delimiter: delimiter, includeBOM: false)
            copied.appendCell(value)
            cells.append(copied)
            cells.endRecord()
            #expect(cells.bytes == rows.bytes, "\(value.debugDescription)")
        }
    }

    @Test("a cell given in three pieces is the cell of the three joined")
    func threePieces() {
        let pieces = ["", "=", "a", "/x,y", "\"", " ", "'", "#", "\u{FEFF}", "-\u{301}", "é", "\n"]
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    var joined = CSVWriter(includeBOM: false)
                    joined.appendCell(a + b + c)
                    var split = CSVWriter(includeBOM: false)
                    split.appendCell("lead")
                    let start = split.bytes.count
                    split.appendCell(a, b, c)
                    #expect(Array(split.bytes[start...]) == joined.bytes, "\([a, b, c].debugDescription)")
                }
            }
        }
    }
}
