import CSystemMemory
import Dispatch

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
///
/// A writer made `bypassingCache` (for an output of hundreds of megabytes) writes past the page cache where Linux and
/// the file system allow it (`O_DIRECT`): the pieces are gathered in an aligned buffer and written a whole buffer at
/// a time, and the last part goes through the cache at ``commit()``. On a virtual machine, filling page-cache pages
/// the guest had never used cost more than rendering the enterprise worksheet's half a gigabyte; the device takes the
/// same bytes from one reused buffer for a twentieth of the processor time. A direct write waits for the device, so
/// each full buffer is written by a thread of its own while the caller fills a second one (written from the caller's
/// thread, the enterprise worksheet's rendering left a tenth of both cores idle). Where direct I/O is refused (when
/// the file is opened, or at a write) the writer goes on through the cache.
public final class AtomicFileWriter {
    public let path: String
    private let tempPath: String
    private let file: FileDescriptor
    private var committed = false
    /// The aligned buffer being filled, for a writer that bypasses the cache; nil for one that does not (or could
    /// not).
    private var stage: UnsafeMutableRawPointer?
    private var staged = 0
    /// The other aligned buffer: being written, or free.
    private var spare: UnsafeMutableRawPointer?
    /// The write of a full buffer in progress, if any.
    private let writing = DispatchGroup()
    /// Where full buffers are written: a queue of its own gets a thread even while the caller's work fills every
    /// core's worker (a piece handed to the global queue waited for one, and the writes ran one after another).
    private let writer = DispatchQueue(label: "accessrisk.atomic-file-writer")

    /// The size of the aligned buffer: a multiple of every block size direct I/O asks writes to be aligned to.
    static let stageSize = 4 << 20
    static let stageAlignment = 4_096

    public init(path: String, bypassingCache: Bool = false) throws(FileWriteError) {
        self.path = path
        let template = AtomicFile.parentDirectory(of: path) + "/.\(AtomicFile.baseName(of: path)).tmp-XXXXXX"
        var templateBytes = Array(template.utf8CString)
        let fd = templateBytes.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        tempPath = String(decoding: templateBytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        file = FileDescriptor(fd: fd, path: path)
        if bypassingCache, accessrisk_set_direct_io(fd, 1) == 0 {
            file.direct = true
            stage = UnsafeMutableRawPointer.allocate(byteCount: Self.stageSize, alignment: Self.stageAlignment)
            spare = UnsafeMutableRawPointer.allocate(byteCount: Self.stageSize, alignment: Self.stageAlignment)
        }
    }

    /// Appends bytes to the temporary file.
    public func append(_ bytes: [UInt8]) throws(FileWriteError) {
        guard file.fd >= 0 else { throw FileWriteError(path: path, reason: "already closed") }
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { raw in Result { () throws(FileWriteError) in try append(raw) } }.get()
    }

    /// Appends the bytes `raw` points to.
    public func append(_ raw: UnsafeRawBufferPointer) throws(FileWriteError) {
        guard file.fd >= 0 else { throw FileWriteError(path: path, reason: "already closed") }
        guard let base = raw.baseAddress, !raw.isEmpty else { return }
        guard let filling = stage else { return try file.writeAll(base, raw.count) }
        var done = 0
        var target = filling
        while done < raw.count {
            let n = min(raw.count - done, Self.stageSize - staged)
            (target + staged).copyMemory(from: base + done, byteCount: n)
            staged += n
            done += n
            if staged == Self.stageSize {
                try writeFullStage()
                target = stage!
            }
        }
    }

    /// Hands the full buffer to a thread that writes it, once the previous one is written, and goes on with the
    /// other buffer. A failed earlier write is thrown here.
    private func writeFullStage() throws(FileWriteError) {
        writing.wait()
        if let error = file.error { throw error }
        let full = SendableRawPointer(base: stage!)
        stage = spare
        spare = full.base
        staged = 0
        let file = self.file
        let count = Self.stageSize
        writing.enter()
        writer.async { [writing] in
            do throws(FileWriteError) {
                try file.writeAll(UnsafeRawPointer(full.base), count)
            } catch {
                file.error = error
            }
            writing.leave()
        }
    }

    /// Flushes the temporary file to disk and renames it over the target.
    public func commit() throws(FileWriteError) {
        guard file.fd >= 0 else { throw FileWriteError(path: path, reason: "already closed") }
        writing.wait()
        if let error = file.error { throw error }
        if let stage, staged > 0 {
            // The last part is shorter than the buffer: direct I/O would refuse a length that is not aligned.
            if file.direct { file.leaveDirect() }
            try file.writeAll(UnsafeRawPointer(stage), staged)
            staged = 0
        }
        fchmod(file.fd, 0o644)
        if fsync(file.fd) != 0 { throw FileWriteError(path: path, reason: String(cString: strerror(errno))) }
        close(file.fd)
        file.fd = -1
        guard rename(tempPath, path) == 0 else {
            throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        committed = true
    }

    deinit {
        // A buffer may still be being written: the thread writing it reads the buffer and the descriptor.
        writing.wait()
        stage?.deallocate()
        spare?.deallocate()
        if file.fd >= 0 { close(file.fd) }
        if !committed { unlink(tempPath) }
    }
}

/// The temporary file of an ``AtomicFileWriter``: written by the writer's caller and by the thread writing its full
/// buffers, never both at once (the writer waits for that thread before it writes, commits or reads `error`).
private final class FileDescriptor: @unchecked Sendable {
    var fd: Int32
    let path: String
    /// Whether the file is open for direct I/O now.
    var direct = false
    /// The failure of a buffer written by the writing thread.
    var error: FileWriteError?

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Writes `count` bytes from `base`, through short writes and interruptions. A write refused for direct I/O
    /// (`EINVAL`: the file system takes no direct writes) is made again through the cache, and so is everything
    /// after a short direct write, which would leave the next one unaligned.
    func writeAll(_ base: UnsafeRawPointer, _ count: Int) throws(FileWriteError) {
        var written = 0
        while written < count {
            let n = AtomicFile.systemWrite(fd, base + written, count - written)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EINVAL, direct {
                    leaveDirect()
                    continue
                }
                throw FileWriteError(path: path, reason: String(cString: strerror(errno)))
            }
            written += n
            if direct, written < count { leaveDirect() }
        }
    }

    func leaveDirect() {
        direct = false
        _ = accessrisk_set_direct_io(fd, 0)
    }
}

/// A buffer handed to the thread that writes it.
private struct SendableRawPointer: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
}
