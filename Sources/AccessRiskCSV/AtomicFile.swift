#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A write that failed, naming the file.
public struct FileWriteError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): cannot write: \(reason)" }
}

/// Writes whole files atomically: the bytes go to a temporary file in the same directory, are flushed to disk, and
/// the temporary file is renamed over the target. A reader sees the old file or the new one, never half of one.
public enum AtomicFile {
    static func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(fd, buffer, count)
        #else
            Darwin.write(fd, buffer, count)
        #endif
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(FileWriteError) {
        let file = try AtomicFileWriter(path: path)
        try file.append(bytes)
        try file.commit()
    }

    public static func write(_ text: String, to path: String) throws(FileWriteError) {
        try write(Array(text.utf8), to: path)
    }

    /// Removes the temporary files a killed writer left in `directory` (`.<name>.tmp-XXXXXX`); a process killed
    /// between writing and renaming cannot clean up after itself, so the next run does.
    public static func removeLeftovers(in directory: String) {
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix("."), name.dropLast(6).hasSuffix(".tmp-") { names.append(name) }
        }
        for name in names { unlink(directory + "/" + name) }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

/// A file written in pieces with the guarantee of ``AtomicFile``: the pieces go to a temporary file in the same
/// directory, and ``commit()`` flushes it to disk and renames it over the target. Until then (or when the writer is
/// dropped without a commit) the target is untouched and the temporary file is removed.
public final class AtomicFileWriter {
    public let path: String
    private let tempPath: String
    private var fd: Int32
    private var committed = false

    public init(path: String) throws(FileWriteError) {
        self.path = path
        let template = AtomicFile.parentDirectory(of: path) + "/.\(AtomicFile.baseName(of: path)).tmp-XXXXXX"
        var templateBytes = Array(template.utf8CString)
        fd = templateBytes.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        tempPath = String(decoding: templateBytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Appends bytes to the temporary file.
    public func append(_ bytes: [UInt8]) throws(FileWriteError) {
        guard fd >= 0 else { throw FileWriteError(path: path, reason: "already closed") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes {
                AtomicFile.systemWrite(fd, $0.baseAddress! + written, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
            }
            written += n
        }
    }

    /// Flushes the temporary file to disk and renames it over the target.
    public func commit() throws(FileWriteError) {
        guard fd >= 0 else { throw FileWriteError(path: path, reason: "already closed") }
        fchmod(fd, 0o644)
        if fsync(fd) != 0 { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        close(fd)
        fd = -1
        guard rename(tempPath, path) == 0 else {
            throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        committed = true
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !committed { unlink(tempPath) }
    }
}
