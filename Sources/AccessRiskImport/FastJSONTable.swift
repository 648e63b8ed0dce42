import Foundation

extension JSONFlattener {
    /// The table of a JSON document: read straight from its bytes when ``fastTable(_:)`` can, through Foundation
    /// (``objects(from:)`` and ``table(_:)``) otherwise, so errors are Foundation's.
    static func table(from data: Data) throws(Failure) -> Table {
        if let table = data.withUnsafeBytes({ fastTable($0) }) { return table }
        return table(try objects(from: data))
    }

    /// ``table(from:)`` and the ``recordLines(_:)`` of the document, counted while reading when it is an array.
    static func tableAndLines(from data: Data) throws(Failure) -> (table: Table, lines: [Int]) {
        guard let read = data.withUnsafeBytes({ fastRead($0) }) else {
            let parsed = try objects(from: data)
            // Through a pointer: iterating `Data` byte by byte was an eighth of reading an az CLI export.
            return (table(parsed), data.withUnsafeBytes { recordLines($0) })
        }
        return (read.table, read.lines ?? data.withUnsafeBytes { recordLines($0) })
    }

    /// `table(objects(from:))` read straight from UTF-8 bytes (a leading BOM skipped), without Foundation objects;
    /// nil when the bytes are anything this reader is not sure to read the same way: invalid JSON, a trailing comma
    /// (Foundation takes it), a duplicate key (Foundation keeps the last), a NUL, deep nesting, a top-level scalar…
    ///
    /// Not the same in one case, where Foundation's result depends on its hash order: an object whose keys flatten
    /// to the same path twice (`{"a.b": 1, "a": {"b": 2}}`) joins the values in document order here.
    static func fastTable(_ bytes: UnsafeRawBufferPointer) -> Table? { fastRead(bytes)?.table }

    /// ``fastTable(_:)``, with the line on which each record starts when the document is an array (what
    /// ``recordLines(_:)`` gives for it: the document has no line break but between tokens).
    static func fastRead(_ bytes: UnsafeRawBufferPointer) -> (table: Table, lines: [Int]?)? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        var reader = FastJSONTable(base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        defer { reader.release() }
        do {
            return try reader.read()
        } catch {
            return nil
        }
    }
}

/// The direct reader gave up: Foundation decides.
struct FastJSONUnsure: Error {}

/// A JSON document read byte by byte into a ``JSONFlattener/Table``, with the flattening of ``JSONFlattener`` done
/// as the values are read: each key path is a node of a tree (a node per parent and key), each node has its flat key
/// (its dotted path), and each flat key its column once a row has it.
struct FastJSONTable {
    /// Deeper documents go to Foundation (which refuses more than 512 levels).
    static let maxDepth = 256
    /// Distinct number tokens (other than short integers) given their text by Foundation; more go to Foundation.
    static let maxTokens = 4_096

    private let bytes: UnsafePointer<UInt8>
    private let count: Int
    private var at = 0
    private var scratch = ScratchBytes()

    /// Node 0 is a record object itself, with the empty path.
    private var nodePath: [String] = [""]
    private var nodeFlat: [Int32] = [-1]
    /// The serial of the last object that had the node's key, to find duplicate keys.
    private var nodeStamp: [Int] = [0]
    /// Nodes by parent and key as Strings, so keys equal as Strings (canonically equivalent) are one node.
    private var nodeIds: [NodeKey: Int32] = [:]
    /// Nodes by parent and key bytes (tag ≥ 0), and number tokens (tag -1) by their bytes.
    private var known = ByteTable()
    private var tokenCells: [String] = []
    private var objectSerial = 0

    private var flatIds: [String: Int32] = [:]
    private var flatNames: [String] = []
    private var flatColumn: [Int] = []
    /// The cells of the current row by flat key: valid where the stamp is the row's serial.
    private var cellStamp: [Int] = []
    private var cellValue: [String] = []
    private var touched: [Int32] = []
    private var fresh: [Int32] = []
    private var rowSerial = 0

    private var header: [String] = []
    private var rows: [[String]] = []
    /// Line breaks (CR LF, CR or LF) read so far, and the line of each record of a top-level array.
    private var lineBreaks = 0
    private var lines: [Int]?

    private struct NodeKey: Hashable {
        var parent: Int32
        var key: String
    }

    init(_ bytes: UnsafePointer<UInt8>, count: Int) {
        self.bytes = bytes
        self.count = count
    }

    mutating func release() { scratch.release() }

    // MARK: - Document

    mutating func read() throws(FastJSONUnsure) -> (table: JSONFlattener.Table, lines: [Int]?) {
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { at = 3 }
        skipWhitespace()
        guard at < count else { throw FastJSONUnsure() }
        switch bytes[at] {
        case UInt8(ascii: "["):
            lines = []
            try records()
            try end()
        case UInt8(ascii: "{"):
            let start = at
            let pageAt = try topObject()
            try end()
            at = pageAt ?? start
            if pageAt != nil { try records() } else { try record() }
        default:
            // A scalar: no objects, or not JSON.
            throw FastJSONUnsure()
        }
        return (JSONFlattener.Table(header: header, rows: rows), lines)
    }

    private mutating func end() throws(FastJSONUnsure) {
        skipWhitespace()
        guard at == count else { throw FastJSONUnsure() }
    }

    /// Reads the top-level object without keeping anything but its keys: where its `value` array starts when it is
    /// a Graph page (a `value` array and at most 3 keys), nil when it is one record.
    private mutating func topObject() throws(FastJSONUnsure) -> Int? {
        if try open(UInt8(ascii: "}")) {
            return nil
        }
        var keys: Set<String> = []
        var valueAt: Int?
        while true {
            guard at < count, bytes[at] == UInt8(ascii: "\"") else { throw FastJSONUnsure() }
            let key = String(decoding: try string(), as: UTF8.self)
            guard keys.insert(key).inserted else { throw FastJSONUnsure() }
            try colon()
            guard at < count else { throw FastJSONUnsure() }
            if key == "value", bytes[at] == UInt8(ascii: "[") { valueAt = at }
            try skipValue(depth: 1)
            if try another(UInt8(ascii: "}")) { continue }
            return keys.count <= 3 ? valueAt : nil
        }
    }

    /// An array whose objects are records (anything else in it is dropped).
    private mutating func records() throws(FastJSONUnsure) {
        if try open(UInt8(ascii: "]")) {
            return
        }
        while true {
            guard at < count else { throw FastJSONUnsure() }
            if bytes[at] == UInt8(ascii: "{") {
                lines?.append(lineBreaks + 1)
                try record()
            } else {
                try skipValue(depth: 1)
            }
            if try another(UInt8(ascii: "]")) { continue }
            return
        }
    }

    /// One record object: its cells, then its row (new keys join the header sorted, as ``JSONFlattener/table(_:)``).
    private mutating func record() throws(FastJSONUnsure) {
        rowSerial += 1
        try object(node: 0, depth: 1)
        if !fresh.isEmpty {
            let names = flatNames
            fresh.sort { names[Int($0)] < names[Int($1)] }
            for flat in fresh {
                flatColumn[Int(flat)] = header.count
                header.append(flatNames[Int(flat)])
            }
            fresh.removeAll(keepingCapacity: true)
        }
        var row = [String](repeating: "", count: header.count)
        for flat in touched { row[flatColumn[Int(flat)]] = cellValue[Int(flat)] }
        touched.removeAll(keepingCapacity: true)
        rows.append(row)
    }

    // MARK: - Values into cells

    private mutating func object(node: Int32, depth: Int) throws(FastJSONUnsure) {
        guard depth < Self.maxDepth else { throw FastJSONUnsure() }
        objectSerial += 1
        let serial = objectSerial
        if try open(UInt8(ascii: "}")) {
            return
        }
        while true {
            guard at < count, bytes[at] == UInt8(ascii: "\"") else { throw FastJSONUnsure() }
            let child = try childNode(node, try string())
            // A duplicate key: Foundation keeps the last value.
            guard nodeStamp[Int(child)] != serial else { throw FastJSONUnsure() }
            nodeStamp[Int(child)] = serial
            try colon()
            try value(node: child, depth: depth + 1)
            if try another(UInt8(ascii: "}")) { continue }
            return
        }
    }

    private mutating func array(node: Int32, depth: Int) throws(FastJSONUnsure) {
        guard depth < Self.maxDepth else { throw FastJSONUnsure() }
        if try open(UInt8(ascii: "]")) {
            // An empty array is an empty cell, unless the key already has one.
            let flat = Int(nodeFlat[Int(node)])
            if cellStamp[flat] != rowSerial { newCell(flat, "") }
            return
        }
        while true {
            try value(node: node, depth: depth + 1)
            if try another(UInt8(ascii: "]")) { continue }
            return
        }
    }

    private mutating func value(node: Int32, depth: Int) throws(FastJSONUnsure) {
        guard at < count else { throw FastJSONUnsure() }
        switch bytes[at] {
        case UInt8(ascii: "{"): try object(node: node, depth: depth)
        case UInt8(ascii: "["): try array(node: node, depth: depth)
        case UInt8(ascii: "\""): cell(node, String(decoding: try string(), as: UTF8.self))
        case UInt8(ascii: "n"):
            try literal("null")
            cell(node, "")
        default: cell(node, try scalarCell())
        }
    }

    /// A scalar under a key: joined to the key's cell with the list separator when both are non-empty.
    private mutating func cell(_ node: Int32, _ text: String) {
        let flat = Int(nodeFlat[Int(node)])
        if cellStamp[flat] == rowSerial {
            if cellValue[flat].isEmpty {
                cellValue[flat] = text
            } else if !text.isEmpty {
                cellValue[flat].append(JSONFlattener.listSeparator)
                cellValue[flat].append(text)
            }
        } else {
            newCell(flat, text)
        }
    }

    private mutating func newCell(_ flat: Int, _ text: String) {
        cellStamp[flat] = rowSerial
        cellValue[flat] = text
        touched.append(Int32(flat))
        if flatColumn[flat] < 0 { fresh.append(Int32(flat)) }
    }

    private mutating func childNode(_ parent: Int32, _ key: UnsafeBufferPointer<UInt8>) throws(FastJSONUnsure) -> Int32
    {
        let hash = ByteTable.hash(tag: parent, key)
        if let node = try known.find(tag: parent, key, hash: hash) { return node }
        let name = String(decoding: key, as: UTF8.self)
        let nodeKey = NodeKey(parent: parent, key: name)
        let node: Int32
        if let existing = nodeIds[nodeKey] {
            node = existing
        } else {
            node = Int32(nodePath.count)
            let parentPath = nodePath[Int(parent)]
            let path = parentPath.isEmpty ? name : parentPath + "." + name
            nodePath.append(path)
            nodeStamp.append(0)
            nodeFlat.append(flatId(path))
            nodeIds[nodeKey] = node
        }
        known.insert(tag: parent, key, hash: hash, value: node)
        return node
    }

    private mutating func flatId(_ path: String) -> Int32 {
        if let id = flatIds[path] { return id }
        let id = Int32(flatNames.count)
        flatIds[path] = id
        flatNames.append(path)
        flatColumn.append(-1)
        cellStamp.append(0)
        cellValue.append("")
        return id
    }

    // MARK: - Values skipped (checked only)

    private mutating func skipValue(depth: Int) throws(FastJSONUnsure) {
        guard at < count else { throw FastJSONUnsure() }
        switch bytes[at] {
        case UInt8(ascii: "{"):
            guard depth < Self.maxDepth else { throw FastJSONUnsure() }
            if try open(UInt8(ascii: "}")) {
                return
            }
            while true {
                guard at < count, bytes[at] == UInt8(ascii: "\"") else { throw FastJSONUnsure() }
                _ = try string()
                try colon()
                try skipValue(depth: depth + 1)
                if try another(UInt8(ascii: "}")) { continue }
                return
            }
        case UInt8(ascii: "["):
            guard depth < Self.maxDepth else { throw FastJSONUnsure() }
            if try open(UInt8(ascii: "]")) {
                return
            }
            while true {
                try skipValue(depth: depth + 1)
                if try another(UInt8(ascii: "]")) { continue }
                return
            }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "n"): try literal("null")
        // Numbers too: Foundation refuses some (1e400).
        default: _ = try scalarCell()
        }
    }

    // MARK: - Tokens

    /// Counts line breaks as ``JSONFlattener/recordLines(_:)`` does: strings hold none.
    @inline(__always)
    /// Steps over an opening bracket and the whitespace after it: true when `close` follows at once (an empty
    /// container; `close` is skipped too).
    private mutating func open(_ close: UInt8) throws(FastJSONUnsure) -> Bool {
        at += 1
        skipWhitespace()
        guard at < count else { throw FastJSONUnsure() }
        guard bytes[at] == close else { return false }
        at += 1
        return true
    }

    /// After a member or an element: true at `,` (skipped, with the whitespace after it), false at `close`
    /// (skipped); anything else is a document left to Foundation.
    private mutating func another(_ close: UInt8) throws(FastJSONUnsure) -> Bool {
        skipWhitespace()
        guard at < count else { throw FastJSONUnsure() }
        if bytes[at] == UInt8(ascii: ",") {
            at += 1
            skipWhitespace()
            return true
        }
        guard bytes[at] == close else { throw FastJSONUnsure() }
        at += 1
        return false
    }

    private mutating func skipWhitespace() {
        while at < count {
            let b = bytes[at]
            if b == 0x20 || b == 0x09 {
                at += 1
            } else if b == 0x0A {
                if at == 0 || bytes[at - 1] != 0x0D { lineBreaks += 1 }
                at += 1
            } else if b == 0x0D {
                lineBreaks += 1
                at += 1
            } else {
                return
            }
        }
    }

    /// The `:` after a key, and the whitespace around it.
    private mutating func colon() throws(FastJSONUnsure) {
        skipWhitespace()
        guard at < count, bytes[at] == UInt8(ascii: ":") else { throw FastJSONUnsure() }
        at += 1
        skipWhitespace()
    }

    private mutating func literal(_ word: StaticString) throws(FastJSONUnsure) {
        let n = word.utf8CodeUnitCount
        guard count - at >= n, memcmp(bytes + at, word.utf8Start, n) == 0 else { throw FastJSONUnsure() }
        at += n
    }

    /// The cell of a number, `true` or `false`: what Foundation's `NSNumber` gives (`true` is "1", `1.0` is "1.0",
    /// `1e3` is "1000.0"). Short integers are their own text; other tokens are read once by Foundation.
    private mutating func scalarCell() throws(FastJSONUnsure) -> String {
        let start = at
        var plainInteger = true
        switch bytes[at] {
        case UInt8(ascii: "t"):
            try literal("true")
            plainInteger = false
        case UInt8(ascii: "f"):
            try literal("false")
            plainInteger = false
        default:
            if bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard at < count else { throw FastJSONUnsure() }
            if bytes[at] == UInt8(ascii: "0") {
                at += 1
                // "-0" is "0".
                if at - start == 2 { plainInteger = false }
            } else {
                guard digits() > 0 else { throw FastJSONUnsure() }
            }
            if at < count, bytes[at] == UInt8(ascii: ".") {
                plainInteger = false
                at += 1
                guard digits() > 0 else { throw FastJSONUnsure() }
            }
            if at < count, bytes[at] | 0x20 == UInt8(ascii: "e") {
                plainInteger = false
                at += 1
                if at < count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard digits() > 0 else { throw FastJSONUnsure() }
            }
        }
        let token = UnsafeBufferPointer(start: bytes + start, count: at - start)
        // Up to 18 characters an integer is an `Int` whose text is the token's.
        if plainInteger, token.count <= 18 { return String(decoding: token, as: UTF8.self) }
        let hash = ByteTable.hash(tag: -1, token)
        if let index = try known.find(tag: -1, token, hash: hash) { return tokenCells[Int(index)] }
        guard tokenCells.count < Self.maxTokens else { throw FastJSONUnsure() }
        let parsed = try? JSONSerialization.jsonObject(
            with: Data([UInt8(ascii: "[")] + token + [UInt8(ascii: "]")]), options: [.fragmentsAllowed])
        guard let array = parsed as? [Any], array.count == 1 else { throw FastJSONUnsure() }
        let text = JSONFlattener.scalar(array[0])
        known.insert(tag: -1, token, hash: hash, value: Int32(tokenCells.count))
        tokenCells.append(text)
        return text
    }

    private mutating func digits() -> Int {
        let start = at
        while at < count, bytes[at] &- UInt8(ascii: "0") < 10 { at += 1 }
        return at - start
    }

    /// The decoded UTF-8 bytes of the string at `at` (its opening quote): the input itself when it has no escape,
    /// the scratch buffer (valid until the next string) otherwise. Refuses control characters, invalid UTF-8, lone
    /// surrogates and NULs.
    private mutating func string() throws(FastJSONUnsure) -> UnsafeBufferPointer<UInt8> {
        at += 1
        let start = at
        while true {
            // Eight bytes at a time while none ends the string, starts an escape, is a control character or
            // non-ASCII.
            while count - at >= 8,
                !Self.special(UnsafeRawPointer(bytes + at).loadUnaligned(as: UInt64.self))
            {
                at += 8
            }
            guard at < count else { throw FastJSONUnsure() }
            let b = bytes[at]
            if b == UInt8(ascii: "\"") {
                at += 1
                return UnsafeBufferPointer(start: bytes + start, count: at - 1 - start)
            }
            if b == UInt8(ascii: "\\") { return try escapedString(from: start) }
            guard b >= 0x20 else { throw FastJSONUnsure() }
            if b < 0x80 { at += 1 } else { try utf8Sequence() }
        }
    }

    /// Whether any of eight bytes is `"`, `\`, below 0x20 or above 0x7F (exact, by the zero-byte and less-than
    /// tests of "Bit Twiddling Hacks").
    @inline(__always)
    private static func special(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroOrLess =
            ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
        return (zeroOrLess | word) & high != 0
    }

    private mutating func escapedString(from start: Int) throws(FastJSONUnsure) -> UnsafeBufferPointer<UInt8> {
        scratch.removeAll()
        scratch.append(bytes + start, count: at - start)
        while true {
            guard at < count else { throw FastJSONUnsure() }
            let b = bytes[at]
            if b == UInt8(ascii: "\"") {
                at += 1
                return scratch.buffer
            }
            if b == UInt8(ascii: "\\") {
                at += 1
                guard at < count else { throw FastJSONUnsure() }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(e)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800, scalar < 0xDC00 {
                        guard count - at >= 2, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u")
                        else { throw FastJSONUnsure() }
                        at += 2
                        let low = try hex4()
                        guard low >= 0xDC00, low < 0xE000 else { throw FastJSONUnsure() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00, scalar < 0xE000 {
                        throw FastJSONUnsure()
                    }
                    guard scalar != 0 else { throw FastJSONUnsure() }
                    scratch.appendUTF8(scalar)
                default: throw FastJSONUnsure()
                }
                continue
            }
            guard b >= 0x20 else { throw FastJSONUnsure() }
            let from = at
            if b < 0x80 { at += 1 } else { try utf8Sequence() }
            scratch.append(bytes + from, count: at - from)
        }
    }

    private mutating func hex4() throws(FastJSONUnsure) -> UInt32 {
        guard count - at >= 4 else { throw FastJSONUnsure() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[at]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw FastJSONUnsure()
            }
            value = value << 4 | UInt32(digit)
            at += 1
        }
        return value
    }

    /// Steps over one well-formed multi-byte UTF-8 sequence (no overlong form, surrogate or value past U+10FFFF).
    private mutating func utf8Sequence() throws(FastJSONUnsure) {
        let b0 = bytes[at]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: throw FastJSONUnsure()
        }
        guard count - at >= length else { throw FastJSONUnsure() }
        let b1 = bytes[at + 1]
        guard b1 >= low, b1 <= high else { throw FastJSONUnsure() }
        for i in 2..<length where bytes[at + i] & 0xC0 != 0x80 { throw FastJSONUnsure() }
        at += length
    }
}

/// A growable byte buffer for decoded strings, freed by ``release()``.
private struct ScratchBytes {
    private var base: UnsafeMutablePointer<UInt8>?
    private var capacity = 0
    private var used = 0

    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: used) }

    mutating func removeAll() { used = 0 }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        base![used] = byte
        used += 1
    }

    mutating func append(_ source: UnsafePointer<UInt8>, count: Int) {
        guard count > 0 else { return }
        reserve(count)
        (base! + used).update(from: source, count: count)
        used += count
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80: append(UInt8(scalar))
        case 0x80..<0x800:
            append(UInt8(0xC0 | scalar >> 6))
            append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            append(UInt8(0xE0 | scalar >> 12))
            append(UInt8(0x80 | scalar >> 6 & 0x3F))
            append(UInt8(0x80 | scalar & 0x3F))
        default:
            append(UInt8(0xF0 | scalar >> 18))
            append(UInt8(0x80 | scalar >> 12 & 0x3F))
            append(UInt8(0x80 | scalar >> 6 & 0x3F))
            append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    private mutating func reserve(_ extra: Int) {
        guard used + extra > capacity else { return }
        let newCapacity = max(256, (used + extra) * 2)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        if let base {
            grown.update(from: base, count: used)
            base.deallocate()
        }
        base = grown
        capacity = newCapacity
    }

    mutating func release() {
        base?.deallocate()
        base = nil
        capacity = 0
        used = 0
    }
}

/// An open-addressing table from a tag and some bytes to a number, for looking keys up without making Strings.
/// Gives up (throws) on a long probe, which only crafted keys would cause.
private struct ByteTable {
    private var slots = [Int32](repeating: -1, count: 1024)
    private var entryTag: [Int32] = []
    private var entryHash: [Int] = []
    private var entryStart: [Int] = []
    private var entryCount: [Int] = []
    private var entryValue: [Int32] = []
    private var arena: [UInt8] = []

    static func hash(tag: Int32, _ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(UInt32(bitPattern: tag))
        for b in key { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    func find(tag: Int32, _ key: UnsafeBufferPointer<UInt8>, hash: Int) throws(FastJSONUnsure) -> Int32? {
        let mask = slots.count - 1
        var slot = hash & mask
        var probes = 0
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if entryHash[entry] == hash, entryTag[entry] == tag, entryCount[entry] == key.count {
                let same = arena.withUnsafeBufferPointer {
                    key.isEmpty || memcmp($0.baseAddress! + entryStart[entry], key.baseAddress!, key.count) == 0
                }
                if same { return entryValue[entry] }
            }
            probes += 1
            guard probes < 64 else { throw FastJSONUnsure() }
            slot = (slot + 1) & mask
        }
    }

    /// Adds a key that ``find(tag:_:hash:)`` did not find.
    mutating func insert(tag: Int32, _ key: UnsafeBufferPointer<UInt8>, hash: Int, value: Int32) {
        if (entryTag.count + 1) * 2 > slots.count { grow() }
        let entry = Int32(entryTag.count)
        entryTag.append(tag)
        entryHash.append(hash)
        entryStart.append(arena.count)
        entryCount.append(key.count)
        entryValue.append(value)
        arena.append(contentsOf: key)
        place(entry)
    }

    private mutating func place(_ entry: Int32) {
        let mask = slots.count - 1
        var slot = entryHash[Int(entry)] & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for entry in 0..<Int32(entryTag.count) { place(entry) }
    }
}
