import Foundation

/// Turns a JSON document (an array of objects, a Graph `{"value": […]}` page, or one object) into rows aligned to a
/// header of dotted key paths, so JSON exports go through the same column matching as CSV.
///
/// Nested objects become `parent.child` keys; arrays of scalars and repeated keys under arrays of objects are joined
/// with ``listSeparator``; `null` becomes an empty cell (no value).
enum JSONFlattener {
    static let listSeparator: Character = "\u{1E}"

    struct Table {
        var header: [String]
        var rows: [[String]]
    }

    enum Failure: Error {
        case notJSON(String)
        case noObjects
    }

    static func objects(from data: Data) throws(Failure) -> [[String: Any]] {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw .notJSON((error as NSError).localizedDescription)
        }
        if let array = parsed as? [Any] {
            return array.compactMap { $0 as? [String: Any] }
        }
        if let object = parsed as? [String: Any] {
            if let page = object["value"] as? [Any], object.count <= 3 {
                return page.compactMap { $0 as? [String: Any] }
            }
            return [object]
        }
        throw .noObjects
    }

    /// The 1-based line on which each record object starts: objects directly inside the top-level array (or
    /// inside a Graph page's `value` array, one level deeper). Strings and escapes are skipped.
    static func recordLines(_ bytes: some Collection<UInt8>) -> [Int] {
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var scanner = Scanner()
        var topIsObject: Bool?
        var previous: UInt8 = 0
        for b in bytes {
            if b == 0x0A || (b == 0x0D) { if !(b == 0x0A && previous == 0x0D) { line += 1 } }
            previous = b
            guard let b = scanner.structural(b) else { continue }
            switch b {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if topIsObject == nil { topIsObject = b == UInt8(ascii: "{") }
                let target = topIsObject == true ? 2 : 1
                if b == UInt8(ascii: "{"), depth == target { lines.append(line) }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return lines
    }

    /// Tells the bytes of a JSON text outside strings from those inside them (escapes included).
    struct Scanner {
        private var inString = false
        private var escaped = false

        /// The byte when it is outside a string (a bracket, brace, comma, …), nil when it is part of a string.
        mutating func structural(_ b: UInt8) -> UInt8? {
            if inString {
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
                return nil
            }
            if b == UInt8(ascii: "\"") {
                inString = true
                return nil
            }
            return b
        }
    }

    static func table(_ objects: [[String: Any]]) -> Table {
        var header: [String] = []
        var index: [String: Int] = [:]
        var rows: [[String]] = []
        rows.reserveCapacity(objects.count)
        for object in objects {
            var flat: [String: String] = [:]
            flatten(object, prefix: "", into: &flat)
            var row = [String](repeating: "", count: header.count)
            for key in flat.keys.sorted() {
                if index[key] == nil {
                    index[key] = header.count
                    header.append(key)
                    row.append("")
                }
                row[index[key]!] = flat[key]!
            }
            rows.append(row)
        }
        return Table(header: header, rows: rows)
    }

    static func flatten(_ value: Any, prefix: String, into out: inout [String: String]) {
        switch value {
        case let object as [String: Any]:
            for (key, child) in object {
                flatten(child, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &out)
            }
        case let array as [Any]:
            for element in array { flatten(element, prefix: prefix, into: &out) }
            if array.isEmpty, out[prefix] == nil { out[prefix] = "" }
        default:
            let text = scalar(value)
            if let existing = out[prefix], !existing.isEmpty {
                if !text.isEmpty { out[prefix] = existing + String(listSeparator) + text }
            } else {
                out[prefix] = text
            }
        }
    }

    static func scalar(_ value: Any) -> String {
        switch value {
        case is NSNull: return ""
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: return "\(value)"
        }
    }
}
