import AccessRiskCSV
import AccessRiskTestSupport
import Testing

/// Either what the reader delivered or the error it threw.
enum ReadResult: Equatable {
    case read(ReadOutcome)
    case failed(CSVError)

    init(_ bytes: [UInt8], chunkSize: Int) {
        do {
            self = .read(try readAll(bytes, chunkSize: chunkSize))
        } catch let error as CSVError {
            self = .failed(error)
        } catch {
            self = .failed(CSVError(file: "?", kind: .aborted, message: "\(error)"))
        }
    }
}

@Suite struct FuzzTests {
    /// Pieces that exercise every state of the reader: quotes, delimiters, every line break, BOM and UTF-16 bytes,
    /// multi-byte and invalid UTF-8, NUL, the type line.
    static let pieces: [[UInt8]] = [
        Array("\"".utf8), Array(",".utf8), Array(";".utf8), [0x09], [0x0D], [0x0A], [0x0D, 0x0A], Array("a".utf8),
        Array("xyz".utf8), Array(" ".utf8), Array("é".utf8), Array("😀".utf8), [0xFF], [0xC3], [0], [0xEF, 0xBB, 0xBF],
        [0xFF, 0xFE], Array("#TYPE ".utf8), Array("\"\"".utf8), Array("\",\"".utf8),
    ]

    static func randomInput(_ rng: inout SeededGenerator) -> [UInt8] {
        var bytes: [UInt8] = []
        let count = Int.random(in: 0...60, using: &rng)
        for _ in 0..<count { bytes += pieces.randomElement(using: &rng)! }
        return bytes
    }

    /// Whatever the input, the reader never crashes and gives the same records, or the same error, whatever the
    /// chunk size: the chunk boundaries are invisible.
    @Test(arguments: 0..<8)
    func chunkSizeNeverChangesTheResult(batch: Int) {
        var rng = SeededGenerator(state: UInt64(batch) &* 7919 &+ 1)
        for index in 0..<150 {
            var input = Self.randomInput(&rng)
            // Every other input is valid text-ish: mostly no NUL and no BOM in the middle.
            if index % 2 == 0 { input.removeAll { $0 == 0 } }
            let reference = ReadResult(input, chunkSize: 1 << 20)
            for chunkSize in [1, 2, 3, 5, 7, 13] {
                let result = ReadResult(input, chunkSize: chunkSize)
                #expect(result == reference, "batch \(batch) input \(index) chunk \(chunkSize): \(input)")
                if result != reference { return }
            }
        }
    }

    /// Random field values written by the writer come back exactly.
    @Test(arguments: 0..<4)
    func writerRoundTrip(batch: Int) throws {
        var rng = SeededGenerator(state: UInt64(batch) &+ 101)
        let alphabet: [String] = [
            "=", "+", "-", "@", "'", "\t", "\r", "\n", "\r\n", "\"", ",", ";", " ", "#", "a", "Zoë", "😀", "\u{FEFF}",
            "\u{301}", "TYPE ",
        ]
        for _ in 0..<40 {
            var rows: [[String]] = []
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                var row: [String] = []
                for _ in 0..<Int.random(in: 1...5, using: &rng) {
                    var value = ""
                    for _ in 0..<Int.random(in: 0...6, using: &rng) { value += alphabet.randomElement(using: &rng)! }
                    row.append(value)
                }
                rows.append(row)
            }
            for delimiter: UInt8 in [0x2C, 0x3B, 0x09] {
                for bom in [true, false] {
                    var writer = CSVWriter(delimiter: delimiter, includeBOM: bom)
                    for row in rows { writer.writeRow(row) }
                    let outcome = try readAll(writer.bytes, chunkSize: 7)
                    let readBack = outcome.records.map { $0.fields.map(CSVWriter.unneutralize) }
                    #expect(readBack == rows, "delimiter \(delimiter) bom \(bom): \(writer.text.debugDescription)")
                    // With one column everywhere there is nothing to sniff (and nothing it would change).
                    if rows.contains(where: { $0.count > 1 }) { #expect(outcome.delimiter == delimiter) }
                    if readBack != rows { return }
                }
            }
        }
    }
}

/// Random well-formed files built from known records: the reader must give back exactly those records, on exactly
/// the physical lines where they start, whatever the encoding, line ends, blank lines, quoting and chunk size.
@Suite struct GeneratedFileTests {
    static let alphabet = [
        "a", "b", "Zoë", "😀", "x y", "\"", "\n", "\r\n", "\r", ",", ";", "\t", "'", "=", "", " ", "\u{301}", "#",
    ]

    struct Generated {
        var bytes: [UInt8]
        var records: [Record]
        var delimiter: UInt8
        var encoding: TextEncoding
        var skippedTypeLine: Bool
    }

    static func lineBreaks(_ bytes: ArraySlice<UInt8>) -> Int {
        var n = 0
        var previous: UInt8 = 0
        for b in bytes {
            if b == 0x0D || (b == 0x0A && previous != 0x0D) { n += 1 }
            previous = b
        }
        return n
    }

    static func generate(_ rng: inout SeededGenerator) -> Generated {
        let delimiter: UInt8 = [0x2C, 0x3B, 0x09].randomElement(using: &rng)!
        let lineEnds = ["\n", "\r\n", "\r"]
        var text: [UInt8] = []
        let typeLine = Bool.random(using: &rng)
        if typeLine { text += Array(("#TYPE System.Object" + lineEnds.randomElement(using: &rng)!).utf8) }
        var records: [Record] = []
        for index in 0..<Int.random(in: 1...8, using: &rng) {
            let count = index == 0 ? Int.random(in: 2...5, using: &rng) : Int.random(in: 1...5, using: &rng)
            var fields: [String] = []
            for _ in 0..<count {
                var value = ""
                for _ in 0..<Int.random(in: 0...4, using: &rng) { value += alphabet.randomElement(using: &rng)! }
                fields.append(value)
            }
            var line: [UInt8] = []
            for (i, field) in fields.enumerated() {
                if i > 0 { line.append(delimiter) }
                let utf8 = Array(field.utf8)
                let mustQuote =
                    utf8.contains { [0x22, 0x0A, 0x0D, 0x2C, 0x3B, 0x09].contains($0) } || utf8.first == 0x20
                    || utf8.last == 0x20 || (count == 1 && utf8.isEmpty)
                if mustQuote || Int.random(in: 0..<3, using: &rng) == 0 {
                    line.append(0x22)
                    for b in utf8 {
                        if b == 0x22 { line.append(0x22) }
                        line.append(b)
                    }
                    line.append(0x22)
                } else {
                    line += utf8
                }
            }
            let start = text.count
            text += line
            let physical = (typeLine ? 0 : 1) + lineBreaks(text[..<start]) + (typeLine ? 1 : 0)
            records.append(Record(line: physical, fields: fields))
            text += Array(lineEnds.randomElement(using: &rng)!.utf8)
            for _ in 0..<Int.random(in: 0...2, using: &rng) { text += Array(lineEnds.randomElement(using: &rng)!.utf8) }
        }
        if Bool.random(using: &rng) {
            // No final line break.
            while let last = text.last, last == 0x0A || last == 0x0D { text.removeLast() }
        }
        let encoding = TextEncoding.allCases.randomElement(using: &rng)!
        let string = String(decoding: text, as: UTF8.self)
        let bytes: [UInt8]
        switch encoding {
        case .utf8: bytes = text
        case .utf8BOM: bytes = [0xEF, 0xBB, 0xBF] + text
        case .utf16LE: bytes = utf16(string, bigEndian: false)
        case .utf16BE: bytes = utf16(string, bigEndian: true)
        }
        return Generated(
            bytes: bytes, records: records, delimiter: delimiter, encoding: encoding, skippedTypeLine: typeLine)
    }

    @Test(arguments: 0..<8)
    func readsBackWhatWasGenerated(batch: Int) throws {
        var rng = SeededGenerator(state: UInt64(batch) &* 104_729 &+ 17)
        var compared = 0
        defer { #expect(compared > 200) }
        for index in 0..<150 {
            let generated = Self.generate(&rng)
            compared += generated.records.count
            for chunkSize in [1, 3, 7, 1 << 20] {
                let outcome = try readAll(generated.bytes, chunkSize: chunkSize)
                let context = "batch \(batch) file \(index) chunk \(chunkSize): \(generated.bytes)"
                #expect(outcome.records == generated.records, "\(context)")
                #expect(outcome.delimiter == generated.delimiter, "\(context)")
                #expect(outcome.encoding == generated.encoding, "\(context)")
                #expect(outcome.skippedTypeLine == generated.skippedTypeLine, "\(context)")
                if outcome.records != generated.records { return }
            }
        }
    }
}
