import AccessRiskModel
import AccessRiskTestSupport
import Foundation
import Testing

@testable import AccessRiskImport

enum Fixture {
    /// `Tests/AccessRiskImportTests/Fixtures/<name>`.
    static func path(_ name: String, file: String = #filePath) -> String {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures")
            .appendingPathComponent(name).path
    }

    /// `shared/formats/<name>`: `shared/` is the sibling of the repository root.
    static func shared(_ name: String, file: String = #filePath) -> String {
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/formats")
            .appendingPathComponent(name).path
    }

    /// Writes bytes to a fresh temporary file and returns its path.
    static func temporary(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
        // In the test process's own folder, removed when the process ends (see `TestSupport`).
        let dir = try TestSupport.temporaryDirectory("import-tests")
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func temporary(_ text: String, name: String = "input.csv") throws -> String {
        try temporary(Array(text.utf8), name: name)
    }

    /// Imports one file; fails the test when rows do not balance.
    static func load(_ path: String, options: ImportOptions = .init()) throws -> ImportResult {
        let result = try Importer.importFiles([path], options: options)
        for file in result.files {
            #expect(
                file.rowsRead == file.rowsUsed + file.rowsRejected + file.rowsDuplicate,
                "rows do not balance in \(file.path)")
        }
        return result
    }

    static func load(fixture name: String, options: ImportOptions = .init()) throws -> ImportResult {
        try load(path(name), options: options)
    }
}

extension ImportResult {
    var file: FileImportReport { files[0] }
}

extension AccessModel {
    func assignment(_ idSuffix: String) -> Assignment? {
        assignments.first { ($0.id ?? "").hasSuffix(idSuffix) }
    }
}
