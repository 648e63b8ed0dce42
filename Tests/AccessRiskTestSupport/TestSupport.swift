import Foundation
import Testing

/// Helpers shared by the test targets.
public enum TestSupport {
    /// The repository root (the folder holding Package.swift).
    public static func repositoryRoot(file: String = #filePath) -> URL {
        var url = URL(fileURLWithPath: file).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        fatalError("no Package.swift above \(file)")
    }

    /// `../shared` beside the repository, where the real sample exports live.
    public static var sharedFolder: URL {
        repositoryRoot().deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// A fresh temporary directory, in a folder of this test process's own. Folders of test processes that are
    /// no longer running are removed when the next one starts, and this process's at its exit when the runtime
    /// lets it (a run of the suite made gigabytes of tenants and workspaces, and they piled up run after run).
    public static func temporaryDirectory(_ name: String = "accessrisk") throws -> URL {
        let url = TemporaryDirectories.shared.folder.appendingPathComponent(
            "\(name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Compares `actual` with the golden file `Golden/<name>` beside the calling test file; `UPDATE_GOLDEN=1`
    /// rewrites it instead.
    public static func assertGolden(
        _ actual: String, named name: String, file: String = #filePath,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let url = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Golden")
            .appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("golden file \(name) is missing; run with UPDATE_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let e = expected.components(separatedBy: "\n")
            let a = actual.components(separatedBy: "\n")
            let first = Array(zip(e, a)).firstIndex { $0.0 != $0.1 } ?? min(e.count, a.count)
            Issue.record(
                """
                \(name) differs from its golden file at line \(first + 1):
                expected: \(first < e.count ? e[first] : "<end>")
                actual:   \(first < a.count ? a[first] : "<end>")
                (UPDATE_GOLDEN=1 rewrites it after review)
                """, sourceLocation: sourceLocation)
        }
    }

    /// Runs a program and returns its exit status and output.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }
}

/// A small deterministic generator (SplitMix64), so a test's random inputs are the same on every run and a failing
/// one can be reproduced from its seed.
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// How many times something ran, counted from any thread (work handed to other threads must run exactly once).
public final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = 0

    public init() {}

    public func record() {
        lock.lock()
        stored += 1
        lock.unlock()
    }

    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// Where ``TestSupport/temporaryDirectory(_:)`` makes its directories: `accessrisk-tests/<pid>` in the system's
/// temporary folder. `KEEP_TEST_DIRECTORIES=1` keeps them for a look after a failure.
final class TemporaryDirectories: Sendable {
    static let shared = TemporaryDirectories()
    let folder: URL

    private init() {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("accessrisk-tests", isDirectory: true)
        folder = root.appendingPathComponent(String(getpid()), isDirectory: true)
        guard ProcessInfo.processInfo.environment["KEEP_TEST_DIRECTORIES"] != "1" else { return }
        // Folders of processes that have exited (or a process id since reused by another program: its folder is
        // old, and is left).
        for entry in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] {
            guard let pid = Int32(entry), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? fm.removeItem(at: root.appendingPathComponent(entry))
        }
        atexit {
            guard ProcessInfo.processInfo.environment["KEEP_TEST_DIRECTORIES"] != "1" else { return }
            try? FileManager.default.removeItem(at: TemporaryDirectories.shared.folder)
        }
    }
}
