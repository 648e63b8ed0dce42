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
