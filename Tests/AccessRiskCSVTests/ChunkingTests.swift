import Testing

@testable import AccessRiskCSV

@Suite struct ChunkingTests {
    /// The boundary cases only mean something if tiny chunk sizes are really used.
    @Test(arguments: [1, 2, 7, 64])
    func chunkSizeIsHonoured(chunkSize: Int) throws {
        let reader = try ChunkedByteReader(
            source: .bytes(Array(repeating: 0x41, count: 100)), displayName: "f", chunkSize: chunkSize)
        var sizes: [Int] = []
        while true {
            let chunk = try reader.next()
            if chunk.isEmpty { break }
            sizes.append(chunk.count)
        }
        #expect(sizes.first == chunkSize)
        #expect(sizes.reduce(0, +) == 100)
        #expect(reader.totalBytes == 100)
    }

    @Test func sniffingSkipsQuotedDelimitersAndBlankLines() {
        #expect(CSVReader.sniffDelimiter(Array("\"a,b,c\";d;e\n".utf8)) == UInt8(ascii: ";"))
        #expect(CSVReader.sniffDelimiter(Array("\n\r\na\tb\tc;d\n".utf8)) == 0x09)
        #expect(CSVReader.sniffDelimiter(Array("a;b,c\n".utf8)) == UInt8(ascii: ","))
        // A one-column header says nothing: the first record with a candidate decides.
        #expect(CSVReader.sniffDelimiter(Array("single\n\"x,y\"\n;;;;\n".utf8)) == UInt8(ascii: ";"))
        #expect(CSVReader.sniffDelimiter(Array("single\nvalue\n".utf8)) == UInt8(ascii: ","))
        #expect(CSVReader.sniffDelimiter(Array("single\nval;ue".utf8), atEnd: false) == nil)
        #expect(CSVReader.sniffDelimiter(Array("single\nval;ue".utf8), atEnd: true) == UInt8(ascii: ";"))
        #expect(CSVReader.sniffDelimiter(Array("a;b\nc".utf8), atEnd: false) == UInt8(ascii: ";"))
        #expect(CSVReader.sniffDelimiter([]) == UInt8(ascii: ","))
    }

    @Test func firstLineEnd() {
        #expect(CSVReader.firstLineEnd(Array("ab\r\ncd".utf8), atEnd: false) == 4)
        #expect(CSVReader.firstLineEnd(Array("ab\ncd".utf8), atEnd: false) == 3)
        #expect(CSVReader.firstLineEnd(Array("ab\rcd".utf8), atEnd: false) == 3)
        #expect(CSVReader.firstLineEnd(Array("ab\r".utf8), atEnd: false) == nil)
        #expect(CSVReader.firstLineEnd(Array("ab\r".utf8), atEnd: true) == 3)
        #expect(CSVReader.firstLineEnd(Array("ab".utf8), atEnd: false) == nil)
        #expect(CSVReader.firstLineEnd(Array("ab".utf8), atEnd: true) == 2)
    }
}
