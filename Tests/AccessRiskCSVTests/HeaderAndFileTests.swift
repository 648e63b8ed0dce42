import AccessRiskCSV
import Foundation
import Testing

@Suite struct HeaderNameTests {
    @Test(arguments: [
        ("User Principal Name", "userprincipalname"), ("user_principal-name.", "userprincipalname"),
        ("\u{FEFF}ObjectId", "objectid"), ("OBJECT ID", "objectid"), ("Sign\u{00A0}In\tTime", "signintime"),
        ("RoleDefinitionName", "roledefinitionname"), ("Zoë", "zoë"), ("", ""), (" _-. ", ""),
    ])
    func normalize(_ header: String, _ expected: String) {
        #expect(HeaderName.normalize(header) == expected)
    }

    @Test func normalizeAcceptsSubstrings() {
        let line = "x,Display Name,y"
        let cell = line.split(separator: ",")[1]
        #expect(HeaderName.normalize(cell) == "displayname")
    }
}

@Suite struct HeaderMapTests {
    let map = HeaderMap(["\u{FEFF}ObjectId", "Display Name", "", "SignInName", "display_name", "Scope"])

    @Test func firstOccurrenceWinsAndEmptyCellsAreIgnored() {
        #expect(map.indexByName["displayname"] == 1)
        #expect(map.indexByName["objectid"] == 0)
        #expect(map.indexByName[""] == nil)
        #expect(map.indexByName.count == 4)
        #expect(map.original[0] == "\u{FEFF}ObjectId")
    }

    @Test func columnTakesTheFirstAliasPresent() {
        #expect(map.column(["PrincipalId", "object_id", "id"]) == 0)
        #expect(map.column(["userPrincipalName", "SIGN-IN NAME"]) == 3)
        #expect(map.column(["scope", "displayName"]) == 5)
        #expect(map.column(["nothing", "here"]) == nil)
        #expect(map.column([]) == nil)
    }

    @Test func containsAllAndMissing() {
        #expect(map.containsAll(["object id", "SCOPE"]))
        #expect(!map.containsAll(["object id", "RoleDefinitionId"]))
        #expect(map.missing(["Scope", "RoleDefinitionId", "ObjectType"]) == ["RoleDefinitionId", "ObjectType"])
        #expect(map.missing([]) == [])
    }

    @Test func equatable() {
        #expect(HeaderMap(["a", "b"]) == HeaderMap(["a", "b"]))
        #expect(HeaderMap(["a", "b"]) != HeaderMap(["A", "b"]))
    }
}

@Suite struct AtomicFileTests {
    /// A fresh, empty directory for one test.
    static func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "accessrisk-atomic-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func entries(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    @Test func writesANewFileAndLeavesNoTemporaryFile() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/report.csv"
        try AtomicFile.write(Array("a,b\r\n".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("a,b\r\n".utf8))
        #expect(try Self.entries(directory) == ["report.csv"])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
    }

    @Test func replacesAnExistingFile() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/findings.json"
        try AtomicFile.write(String(repeating: "old content ", count: 1000), to: path)
        try AtomicFile.write("new", to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("new".utf8))
        try AtomicFile.write([], to: path)
        #expect(FileManager.default.contents(atPath: path) == Data())
        #expect(try Self.entries(directory) == ["findings.json"])
    }

    @Test func writesALargeFile() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/big.bin"
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try AtomicFile.write(bytes, to: path)
        #expect(FileManager.default.contents(atPath: path) == Data(bytes))
    }

    @Test func missingDirectoryFailsNamingThePath() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/absent/out.csv"
        #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: path) }
        do {
            try AtomicFile.write("x", to: path)
        } catch {
            #expect(error.path == path)
            #expect(error.description == "\(path): cannot write: No such file or directory")
        }
        #expect(try Self.entries(directory) == [])
    }

    @Test func targetThatIsADirectoryFailsAndCleansUp() throws {
        let directory = try Self.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = directory + "/out"
        try FileManager.default.createDirectory(atPath: target + "/inside", withIntermediateDirectories: true)
        #expect(throws: FileWriteError.self) { try AtomicFile.write("x", to: target) }
        #expect(try Self.entries(directory) == ["out"])
        #expect(try Self.entries(target) == ["inside"])
    }
}
