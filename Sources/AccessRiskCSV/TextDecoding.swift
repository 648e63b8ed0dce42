#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The text encodings the reader accepts (SPEC §2.4). Anything else is rejected with a clear message.
public enum TextEncoding: String, Sendable, Codable, CaseIterable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
}

/// Where the bytes of an input come from: a file read in chunks, or bytes already in memory (tests, fuzzing).
public enum ByteSource: Sendable {
    case file(path: String)
    case bytes([UInt8])
}

/// `read(2)`, named apart from the reader's own `read(into:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// Reads raw bytes in chunks without holding the whole input in memory.
final class ChunkedByteReader {
    private var fd: Int32 = -1
    private var memory: [UInt8] = []
    private var memoryOffset = 0
    let chunkSize: Int
    private(set) var totalBytes = 0

    init(source: ByteSource, displayName: String, chunkSize: Int) throws(CSVError) {
        self.chunkSize = max(chunkSize, 1)
        switch source {
        case .file(let path):
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw CSVError(
                    file: displayName, kind: .unreadable, message: "cannot open: \(String(cString: strerror(errno)))")
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw CSVError(file: displayName, kind: .unreadable, message: "is a directory, not a file")
            }
            fd = open(path, O_RDONLY)
            if fd < 0 {
                throw CSVError(
                    file: displayName, kind: .unreadable, message: "cannot open: \(String(cString: strerror(errno)))")
            }
        case .bytes(let bytes):
            memory = bytes
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Fills `buffer` with the next bytes of the input (fewer only at its end) and returns how many: 0 at the end.
    /// Reading into one buffer for the whole input spares the allocation of a chunk per read, whose fresh pages the
    /// kernel zeroes: a quarter of the system time of an enterprise review.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(CSVError) -> Int {
        let capacity = min(buffer.count, chunkSize)
        if fd < 0 {
            let n = min(memory.count - memoryOffset, capacity)
            guard n > 0 else { return 0 }
            memory.withUnsafeBufferPointer { source in
                buffer.baseAddress!.update(from: source.baseAddress! + memoryOffset, count: n)
            }
            memoryOffset += n
            totalBytes += n
            return n
        }
        var filled = 0
        while filled < capacity {
            let n = systemRead(fd, buffer.baseAddress! + filled, capacity - filled)
            if n < 0 {
                if errno == EINTR { continue }
                let failure = errno
                throw CSVError(
                    file: "", kind: .unreadable, message: "read failed: \(String(cString: strerror(failure)))")
            }
            if n == 0 { break }
            filled += n
        }
        totalBytes += filled
        return filled
    }

    /// The next chunk, or an empty array at the end of the input.
    func next() throws(CSVError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        let filled = try chunk.withUnsafeMutableBufferPointer { (buffer) throws(CSVError) -> Int in
            try read(into: buffer)
        }
        chunk.removeLast(chunk.count - filled)
        return chunk
    }
}

/// Turns the raw chunks of an input into UTF-8 chunks: detects the encoding from the first bytes, drops a BOM,
/// and transcodes UTF-16 (either byte order) as it streams.
final class UTF8ChunkDecoder {
    let encoding: TextEncoding
    private let reader: ChunkedByteReader
    private var pending: [UInt8]?
    private var carry: [UInt8] = []
    private var highSurrogate: UInt16?

    init(reader: ChunkedByteReader, displayName: String) throws(CSVError) {
        self.reader = reader
        var first = try reader.next()
        // The encoding decision sees the same sample whatever the chunk size.
        while first.count < Self.sampleSize {
            let more = try reader.next()
            if more.isEmpty { break }
            first += more
        }
        let detected = try Self.detect(first, displayName: displayName)
        encoding = detected.encoding
        first.removeFirst(detected.bomLength)
        pending = first
    }

    /// How many bytes the encoding and binary checks look at.
    static let sampleSize = 8192

    static func detect(_ bytes: [UInt8], displayName: String) throws(CSVError) -> (
        encoding: TextEncoding, bomLength: Int
    ) {
        if bytes.count >= 4,
            bytes.starts(with: [0xFF, 0xFE, 0, 0]) || bytes.starts(with: [0, 0, 0xFE, 0xFF])
        {
            throw CSVError(
                file: displayName, line: 1, kind: .unsupportedEncoding,
                message: "UTF-32 text is not supported; save the file as UTF-8 or UTF-16 with a BOM")
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return (.utf8BOM, 3) }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return (.utf16LE, 2) }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return (.utf16BE, 2) }
        let sample = bytes.prefix(sampleSize)
        if let sig = binarySignature(sample) {
            throw CSVError(
                file: displayName, line: 1, kind: .binary, message: "is a binary file (\(sig)), not delimited text")
        }
        if let firstNUL = sample.firstIndex(of: 0) {
            // Text in UTF-16 without a byte-order mark has a NUL in every other byte.
            var evenNUL = 0
            var oddNUL = 0
            var controls = 0
            for (i, b) in sample.enumerated() {
                if b == 0 {
                    if i % 2 == 0 { evenNUL += 1 } else { oddNUL += 1 }
                }
                if isBinaryControl(b) { controls += 1 }
            }
            let half = sample.count / 2
            if half > 0, oddNUL * 10 >= half * 8, evenNUL * 10 < half {
                throw CSVError(
                    file: displayName, line: 1, kind: .unsupportedEncoding,
                    message:
                        "looks like UTF-16 LE text without a byte-order mark; save it as UTF-8, or as UTF-16 with a BOM"
                )
            }
            if half > 0, evenNUL * 10 >= half * 8, oddNUL * 10 < half {
                throw CSVError(
                    file: displayName, line: 1, kind: .unsupportedEncoding,
                    message:
                        "looks like UTF-16 BE text without a byte-order mark; save it as UTF-8, or as UTF-16 with a BOM"
                )
            }
            // A stray NUL or two is damaged text: the reader flags the row (`CSVRow.nulField`). Many control bytes
            // are a binary file.
            if controls > 2, controls * 100 > sample.count {
                throw CSVError(
                    file: displayName, line: 1, kind: .binary,
                    message: "is a binary file, not delimited text (NUL byte at offset \(firstNUL))")
            }
        }
        return (.utf8, 0)
    }

    /// NUL and the C0 controls that text does not use (everything but TAB, LF, VT, FF, CR and ESC).
    private static func isBinaryControl(_ b: UInt8) -> Bool {
        b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B)
    }

    private static func binarySignature(_ bytes: ArraySlice<UInt8>) -> String? {
        let signatures: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47], "PNG image"), ([0x50, 0x4B, 0x03, 0x04], "ZIP archive, e.g. an .xlsx workbook"),
            ([0x25, 0x50, 0x44, 0x46], "PDF document"), ([0x1F, 0x8B], "gzip archive"),
            ([0xD0, 0xCF, 0x11, 0xE0], "legacy Office document, e.g. an .xls workbook"),
            ([0x7F, 0x45, 0x4C, 0x46], "ELF executable"), ([0xFF, 0xD8, 0xFF], "JPEG image"),
        ]
        for (magic, name) in signatures where bytes.starts(with: magic) { return name }
        return nil
    }

    /// The next UTF-8 chunk in a buffer the decoder owns, valid until the next call; empty at the end. UTF-8 input is
    /// read straight into that buffer.
    func nextInPlace() throws(CSVError) -> UnsafeBufferPointer<UInt8> {
        if pending == nil, encoding == .utf8 || encoding == .utf8BOM {
            reserveScratch(reader.chunkSize)
            let n = try reader.read(into: scratch)
            return UnsafeBufferPointer(rebasing: scratch[..<n])
        }
        let chunk = try next()
        reserveScratch(chunk.count)
        _ = scratch.initialize(from: chunk)
        return UnsafeBufferPointer(rebasing: scratch[..<chunk.count])
    }

    private var scratch = UnsafeMutableBufferPointer<UInt8>(start: nil, count: 0)

    private func reserveScratch(_ count: Int) {
        guard scratch.count < count else { return }
        scratch.deallocate()
        scratch = .allocate(capacity: count)
    }

    deinit { scratch.deallocate() }

    /// The next UTF-8 chunk, or an empty array at the end.
    func next() throws(CSVError) -> [UInt8] {
        while true {
            let raw: [UInt8]
            if let p = pending {
                raw = p
                pending = nil
            } else {
                raw = try reader.next()
            }
            if raw.isEmpty {
                if encoding == .utf16LE || encoding == .utf16BE {
                    var out: [UInt8] = []
                    if !carry.isEmpty || highSurrogate != nil {
                        // A truncated code unit or a lone surrogate at the end: keep a visible marker, never drop it.
                        out.append(Self.invalidMarker)
                        carry.removeAll()
                        highSurrogate = nil
                    }
                    return out
                }
                return []
            }
            switch encoding {
            case .utf8, .utf8BOM:
                return raw
            case .utf16LE, .utf16BE:
                let out = transcodeUTF16(raw, littleEndian: encoding == .utf16LE)
                if !out.isEmpty { return out }
            }
        }
    }

    /// What an unpaired surrogate or a truncated code unit becomes: a byte that is never valid UTF-8, so the row is
    /// flagged (``CSVRow/invalidUTF8Field``) like invalid UTF-8, and shows as U+FFFD in a String.
    static let invalidMarker: UInt8 = 0xFF

    private func transcodeUTF16(_ raw: [UInt8], littleEndian: Bool) -> [UInt8] {
        var bytes = carry
        bytes.append(contentsOf: raw)
        let usable = bytes.count & ~1
        carry = usable < bytes.count ? [bytes[bytes.count - 1]] : []
        var out: [UInt8] = []
        out.reserveCapacity(usable)
        var i = 0
        while i < usable {
            let unit: UInt16 =
                littleEndian
                ? UInt16(bytes[i]) | (UInt16(bytes[i + 1]) << 8)
                : (UInt16(bytes[i]) << 8) | UInt16(bytes[i + 1])
            i += 2
            if let high = highSurrogate {
                highSurrogate = nil
                if unit >= 0xDC00 && unit <= 0xDFFF {
                    let scalar = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                    Self.appendScalar(scalar, to: &out)
                    continue
                }
                out.append(Self.invalidMarker)
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                highSurrogate = unit
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                out.append(Self.invalidMarker)
            } else {
                Self.appendScalar(UInt32(unit), to: &out)
            }
        }
        return out
    }

    static func appendScalar(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}

/// Whether a run of bytes is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
public func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = bytes.count
    while i < n {
        let b = bytes[i]
        if b < 0x80 {
            i += 1
            continue
        }
        var need = 0
        var minScalar: UInt32 = 0
        var scalar: UInt32 = 0
        if b & 0xE0 == 0xC0 {
            need = 1
            scalar = UInt32(b & 0x1F)
            minScalar = 0x80
        } else if b & 0xF0 == 0xE0 {
            need = 2
            scalar = UInt32(b & 0x0F)
            minScalar = 0x800
        } else if b & 0xF8 == 0xF0 {
            need = 3
            scalar = UInt32(b & 0x07)
            minScalar = 0x10000
        } else {
            return false
        }
        if i + need >= n { return false }
        for k in 1...need {
            let c = bytes[i + k]
            if c & 0xC0 != 0x80 { return false }
            scalar = (scalar << 6) | UInt32(c & 0x3F)
        }
        if scalar < minScalar || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) { return false }
        i += need + 1
    }
    return true
}
