import AccessRiskCSV
import FuzzDriver

/// libFuzzer's entry point: every input must end in rows or a CSVError, never a crash, a hang or a leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Small chunks make chunk-boundary cases (BOM, UTF-16 pairs, CRLF, quotes) frequent.
    for chunkSize in [7, 1 << 16] {
        do {
            let reader = try CSVReader(
                source: .bytes(bytes), displayName: "fuzz", options: CSVReadOptions(chunkSize: chunkSize))
            var rows = 0
            var lastLine = 0
            try reader.read { row in
                rows += 1
                precondition(row.line > lastLine, "line numbers must increase")
                lastLine = row.line
                for i in 0..<row.count { _ = row[i] }
                _ = HeaderMap(row.fields)
            }
        } catch {
            _ = String(describing: error)
        }
    }
    return 0
}
