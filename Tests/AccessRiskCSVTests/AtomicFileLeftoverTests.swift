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
}
