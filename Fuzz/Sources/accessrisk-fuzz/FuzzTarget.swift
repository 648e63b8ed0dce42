import AccessRiskCSV
import AccessRiskImport
import FuzzDriver
import Foundation

/// A file in shared memory the importer can read, one per fuzzing process.
nonisolated(unsafe) private var scratchPath: String = {
    let dir = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return dir + "/accessrisk-fuzz-\(ProcessInfo.processInfo.processIdentifier)"
}()

/// libFuzzer's entry point: every input must end in rows or an error, never a crash, a hang or a leak; and the
/// importer must account for every row it reads.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The reader at two chunk sizes: small chunks make chunk-boundary cases (BOM, UTF-16, CRLF, quotes) frequent.
    for chunkSize in [7, 1 << 16] {
        do {
            let reader = try CSVReader(
                source: .bytes(bytes), displayName: "fuzz", options: CSVReadOptions(chunkSize: chunkSize))
            var lastLine = 0
            try reader.read { row in
                precondition(row.line > lastLine, "line numbers must increase")
                lastLine = row.line
                for i in 0..<row.count { _ = row[i] }
                _ = HeaderMap(row.fields)
            }
        } catch {
            _ = String(describing: error)
        }
    }
    // Format detection and the importers, through the same path `inspect` takes.
    for suffix in [".csv", ".json"] {
        let path = scratchPath + suffix
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { continue }
        let (report, rejected) = Importer.inspect(path)
        precondition(
            report.rowsRead == report.rowsUsed + report.rowsRejected + report.rowsDuplicate,
            "rows read = used + rejected + duplicates")
        precondition(rejected.count <= report.rowsRejected + 1, "a rejected row without a count")
    }
    return 0
}
