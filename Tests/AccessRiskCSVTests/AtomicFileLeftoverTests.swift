import AccessRiskTestSupport
import Foundation
import Testing

@testable import AccessRiskCSV

@Suite("Atomic file leftovers")
struct AtomicFileLeftoverTests {
    @Test("removeLeftovers deletes only temporary files a killed writer left")
    func leftovers() throws {
        let dir = try TestSupport.temporaryDirectory("leftovers")
        for name in [
            ".risk-register.csv.tmp-Ab12Cd", ".findings.json.tmp-xyz789", "risk-register.csv", ".keep", "a.tmp-123456",
        ] {
            #expect(FileManager.default.createFile(atPath: dir.path + "/" + name, contents: Data("x".utf8)))
        }
        AtomicFile.removeLeftovers(in: dir.path)
        let remaining = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(remaining == [".keep", "a.tmp-123456", "risk-register.csv"])
    }

    @Test("a streamed file appears only on commit; a writer dropped without one leaves the old file")
    func streamedWriter() throws {
        let dir = try TestSupport.temporaryDirectory("streamed")
        let path = dir.path + "/access-review.csv"
        try AtomicFile.write("old\n", to: path)
        do {
            let writer = try AtomicFileWriter(path: path)
            try writer.append(Array("new 1\n".utf8))
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        }
        // Dropped without commit: the old content stays and no temporary file is left.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["access-review.csv"])
        let writer = try AtomicFileWriter(path: path)
        var csv = CSVWriter(includeBOM: false)
        for i in 0..<3 {
            csv.writeRow(["row", String(i)])
            try csv.drain { try writer.append($0) }
            #expect(csv.bytes.isEmpty)
        }
        try writer.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "row,0\r\nrow,1\r\nrow,2\r\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["access-review.csv"])
    }

    @Test("a writer past the page cache writes every byte, across its buffer's edges, and only on commit")
    func bypassingCache() throws {
        let dir = try TestSupport.temporaryDirectory("direct")
        let path = dir.path + "/access-review.csv"
        let stage = AtomicFileWriter.stageSize
        var expected: [UInt8] = []
        do {
            let writer = try AtomicFileWriter(path: path, bypassingCache: true)
            try writer.append(Array("dropped".utf8))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        let writer = try AtomicFileWriter(path: path, bypassingCache: true)
        // Pieces that end short of the buffer, fill it exactly, span it twice, and a last part that is not aligned.
        for (k, size) in [1, stage - 2, 3, stage, 0, 2 * stage + 17, 4_095].enumerated() {
            let piece = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                for i in 0..<size { buffer[i] = UInt8(truncatingIfNeeded: i &* 31 &+ k) }
                count = size
            }
            try writer.append(piece)
            expected += piece
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        try writer.commit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(expected))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["access-review.csv"])
    }
}
