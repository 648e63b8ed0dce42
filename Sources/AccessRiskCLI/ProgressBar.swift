import AccessRiskImport
import Foundation

/// A progress bar for large imports on standard error, drawn only when standard error is a terminal (SPEC §1).
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private let width = 30

    /// nil when the bar should not be shown (not a terminal, --quiet or --json).
    static func make(enabled: Bool) -> ProgressBar? {
        enabled && isatty(2) == 1 ? ProgressBar() : nil
    }

    func update(_ p: ImportProgress) {
        lock.lock()
        defer { lock.unlock() }
        let done = p.fileIndex >= p.fileCount
        // Large imports only: below 20 MB in all there is nothing to watch.
        guard p.totalBytes >= 20_000_000 else { return }
        let now = Date()
        guard done || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let fraction = min(1, max(0, p.fraction))
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let name = done ? "done" : "\(p.fileIndex + 1)/\(p.fileCount) " + (p.path as NSString).lastPathComponent
        let mb = { (b: Int) in String(format: "%.0f", Double(b) / 1_000_000) }
        let line =
            "\u{1B}[2K\rImporting [\(bar)] \(Int(fraction * 100))%  \(mb(p.bytesBefore + min(p.bytesRead, p.fileBytes)))/\(mb(p.totalBytes)) MB  \(name)"
        FileHandle.standardError.write(Data((line + (done ? "\n" : "")).utf8))
        drawn = !done
    }
}
