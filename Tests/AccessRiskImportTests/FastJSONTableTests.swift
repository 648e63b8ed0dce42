import AccessRiskTestSupport
import Foundation
import Testing

@testable import AccessRiskImport

/// The direct JSON reader against the Foundation path it stands in for (`table(objects(from:))`): where it reads a
/// document it gives the same header (same order) and rows; where it gives up, the import's outcome (the table or
/// the error) is Foundation's.
@Suite struct FastJSONTableTests {
    enum Outcome: Equatable, CustomStringConvertible {
        case table(header: [String], rows: [[String]])
        case notJSON(String)
        case noObjects

        init(_ table: JSONFlattener.Table) { self = .table(header: table.header, rows: table.rows) }

        var description: String {
            switch self {
            case .table(let header, let rows): "header \(header), rows \(rows)"
            case .notJSON(let why): "not JSON (\(why))"
            case .noObjects: "no objects"
            }
        }
    }

    /// What the import read before the direct reader.
    static func foundation(_ bytes: [UInt8]) -> Outcome {
        do {
            return Outcome(JSONFlattener.table(try JSONFlattener.objects(from: Data(bytes))))
        } catch .notJSON(let why) {
            return .notJSON(why)
        } catch {
            return .noObjects
        }
    }

    static func imported(_ bytes: [UInt8]) -> Outcome {
        do {
            return Outcome(try JSONFlattener.table(from: Data(bytes)))
        } catch .notJSON(let why) {
            return .notJSON(why)
        } catch {
            return .noObjects
        }
    }

    /// The direct reader agrees with Foundation whenever it reads (and with `recordLines` on the lines of an array's
    /// records), reads when `direct` says so, and the import (direct or not) ends as Foundation does.
    static func check(_ bytes: [UInt8], direct: Bool?, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = foundation(bytes)
        let fast = bytes.withUnsafeBytes { JSONFlattener.fastRead($0) }
        if let fast {
            #expect(Outcome(fast.table) == expected, sourceLocation: sourceLocation)
            if let lines = fast.lines {
                #expect(lines == JSONFlattener.recordLines(bytes), sourceLocation: sourceLocation)
            }
            let firstToken = bytes.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 <= 0x20 }.first
            #expect((fast.lines != nil) == (firstToken == UInt8(ascii: "[")), sourceLocation: sourceLocation)
        }
        if let direct { #expect((fast != nil) == direct, sourceLocation: sourceLocation) }
        #expect(imported(bytes) == expected, sourceLocation: sourceLocation)
        if case .table(_, let rows) = expected, let read = try? JSONFlattener.tableAndLines(from: Data(bytes)) {
            #expect(read.lines == (fast?.lines ?? JSONFlattener.recordLines(bytes)), sourceLocation: sourceLocation)
            #expect(read.table.rows == rows, sourceLocation: sourceLocation)
        }
    }

    // MARK: - Real files

    static let jsonFiles: [String] = {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let root = tests.deletingLastPathComponent().deletingLastPathComponent()
        let dirs = [
            tests.appendingPathComponent("Fixtures"), root.appendingPathComponent("SampleData"),
            root.deletingLastPathComponent().appendingPathComponent("shared/formats"),
        ]
        var files: [String] = []
        for dir in dirs {
            let found = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
            while let url = found?.nextObject() as? URL {
                if url.pathExtension == "json" { files.append(url.path) }
            }
        }
        return files.sorted()
    }()

    @Test func jsonFilesAreFound() {
        #expect(Self.jsonFiles.count >= 12)
        #expect(Self.jsonFiles.contains { $0.hasSuffix("shared/formats/az-role-assignment-list.json") })
        #expect(Self.jsonFiles.contains { $0.hasSuffix("SampleData/exports/azure/az-role-assignment-list.json") })
    }

    @Test(arguments: jsonFiles)
    func fileReadsAsFoundationReadsIt(_ path: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        Self.check(bytes, direct: !path.hasSuffix("not-json.json"))
    }

    // MARK: - Documents read directly

    static let readDirectly: [String] = [
        // Nested objects and arrays of objects.
        #"[{"a":{"b":{"c":1}},"d":[{"e":"x"},{"e":"y","f":[1,2]}]}]"#,
        #"[{"a":[[{"b":1}],[{"b":2},{"c":3}]]},{"a":[{"b":[{"c":"deep"}]}]}]"#,
        // Arrays of scalars, empty arrays, empty objects, joins with empty texts.
        #"[{"tags":["a","b","c"]},{"tags":[]},{"tags":["","x",""]},{"tags":[[],["z"]]}]"#,
        #"[{"e":[]},{"e":[],"f":{}},{"g":[{}]},{"h":[[]]},{"i":[[],[]]}]"#,
        #"[{"a":["x",""],"b":["","y"],"c":[[],"z"],"d":["z",[]],"e":[null,"q"],"f":["q",null,"r"]}]"#,
        // null.
        #"[{"n":null,"m":[null,"a",null,"b"]},{"n":"x"},{"n":[null]}]"#,
        // Numbers and booleans, as NSNumber writes them.
        #"[{"a":0,"b":-1,"c":1.0,"d":1e3,"e":12345678901234567890,"f":0.1,"g":-0,"h":1E-2,"i":2.50}]"#,
        #"[{"a":123456789012345678,"b":-12345678901234567,"c":1234567890123456789,"d":-1234567890123456789}]"#,
        #"[{"a":1e+3,"b":1.5e-3,"c":0.30000000000000004,"d":1e-400,"e":100000000000000000000000,"f":-0.0}]"#,
        #"[{"t":true,"f":false,"l":[true,false,1,0]},{"t":true}]"#,
        // Escapes, and keys with escapes.
        #"[{"s":"a\nb\"c\\d\/e\u00e9f\ud83d\ude00g\b\f\r\t","k\u00e9y":"v","\u0041":"A"}]"#,
        #"[{"s":"\u00E9\u00e9\uFFFF\u2028"},{"s":"no escape"}]"#,
        // Unicode keys and values, raw.
        #"[{"é":1,"日本":{"語":"x"},"😀":[],"v":"ünïcödé 😀 \#u{7F}\#u{2028}\#u{FFFF}"}]"#,
        // Canonically equivalent keys in different objects share a column.
        "[{\"\u{E9}\":1},{\"e\u{301}\":2},{\"a\":[{\"\u{E9}\":3},{\"e\u{301}\":4}]}]",
        // A Graph page; pages that are not (4 keys, `value` not an array); a single object.
        #"{"@odata.context":"x","value":[{"id":"1"},{"id":"2","extra":{"a":1}}],"@odata.nextLink":"https://n/?$skip=2"}"#,
        #"{"value":[]}"#,
        #"{"value":[{"id":1},2,[{"id":3}]]}"#,
        #"{"a":1,"b":2,"c":3,"value":[{"id":1}]}"#,
        #"{"value":{"id":1}}"#,
        #"{"id":"x","props":{"a":[1,2]},"value":"v"}"#,
        #"{}"#,
        #"[]"#,
        // Non-objects in the array are dropped.
        #"[1,"a",null,[{"x":1}],{"a":1},true,{"b":2},[],{},-1.5e3]"#,
        // Header order: each object's new keys sorted.
        #"[{"b":1,"a":2},{"c":3,"a":4,"aa":5,"B":6},{"a":1},{"z":{"y":1,"x":2},"_":0,"Z":1}]"#,
        // Empty keys: "" is a path, and the keys under it have no prefix.
        #"[{"":1},{"":{"b":2}},{"a":{"":3}},{"":[]}]"#,
        // Whitespace everywhere.
        " \n\t\r[ \n{ \"a\" \t:\r\n 1 , \"b\" : [ ] ,\"c\":{ } , \"d\" : [ 1 , \"x\" ] } , { } ]\n ",
        // Line breaks of every kind, and records on one line.
        "[\r\n{\"a\":1},\r{\"a\":2}\n\r\n,{\"a\":[\n1,\r\n2]}, {\"a\":3}\n\n\n,\r\r{\"b\":\n{}}\n]\r\n",
        // A BOM.
        "\u{FEFF}[{\"a\":1}]",
        "\u{FEFF} {\"value\": [{\"a\": 1}]}",
    ]

    @Test(arguments: readDirectly)
    func documentReadsAsFoundationReadsIt(_ text: String) {
        Self.check(Array(text.utf8), direct: true)
    }

    @Test func longStringsWithEscapes() {
        let long = String(repeating: #"abc\"déf\n\u00e9\ud83d\ude00"#, count: 2_000)
        let text = #"[{"k":""# + long + #"","k\n"# + long + #"":1}]"#
        Self.check(Array(text.utf8), direct: true)
    }

    /// Strings are scanned eight bytes at a time: a special byte at every offset.
    @Test func specialBytesAtEveryOffset() {
        let specials: [(bytes: [UInt8], valid: Bool)] = [
            (Array(#"\n"#.utf8), true), (Array(#"\u00e9"#.utf8), true), (Array("é".utf8), true),
            (Array("😀".utf8), true), (Array(#"\""#.utf8), true), ([0x7F], true), ([0x09], false), ([0x1F], false),
            ([0xFF], false), ([0xC3], false), ([0x00], false),
        ]
        for (special, valid) in specials {
            for offset in 0..<20 {
                for tail in [0, 1, 7, 8, 9] {
                    let text =
                        [UInt8](repeating: UInt8(ascii: "a"), count: offset) + special
                        + [UInt8](repeating: UInt8(ascii: "b"), count: tail)
                    Self.check(Array(#"[{"k":""#.utf8) + text + Array(#""}]"#.utf8), direct: valid)
                    Self.check(Array(#"[{""#.utf8) + text + Array(#"":1}]"#.utf8), direct: valid)
                }
            }
        }
    }

    @Test func manyRowsAndRepeatedNumbers() {
        var text = "["
        for i in 0..<2_000 {
            if i > 0 { text += "," }
            text += #"{"i":\#(i),"x":\#(Double(i) / 8),"e":1e\#(i % 7),"b":\#(i % 3 == 0),"n":null"#
            text += #","k\#(i % 37)":{"v\#(i % 5)":[\#(i),"s\#(i)"]},"big":\#(UInt64(i) &* 9_999_999_999_999_999)}"#
        }
        text += "]"
        Self.check(Array(text.utf8), direct: true)
    }

    /// Integers of up to 18 characters are taken as their own text, not asked of Foundation.
    @Test func shortIntegersAreTheirText() {
        var rng = SeededGenerator(state: 7)
        var values: [Int64] = [0, -1, 1, 9, -9, 10, 99_999_999_999_999_999, -9_999_999_999_999_999]
        for _ in 0..<500 {
            let digits = Int(rng.next() % 18) + 1
            var n = Int64(rng.next() % UInt64(pow(10, Double(min(digits, 17)))))
            if rng.next() % 2 == 0 { n = -n }
            values.append(n)
        }
        let text = "[" + values.map { #"{"n":\#($0)}"# }.joined(separator: ",") + "]"
        Self.check(Array(text.utf8), direct: true)
    }

    // MARK: - Documents left to Foundation

    static let leftToFoundation: [String] = [
        // Truncated, trailing garbage, unclosed, empty.
        #"[{"a":1"#, #"[{"a":1}"#, #"[{"a""#, #"[{"a":"#, #"{"a":"b"#, #"["abc"#, "[", "", "   ", "\u{FEFF}",
        #"[{"a":1}] x"#, #"[{"a":1}]]"#, "[1][2]", #"{"value":[{"a":1}]} {"#,
        // Lone or broken surrogates.
        #"[{"a":"\ud83d"}]"#, #"[{"a":"\ude00"}]"#, #"[{"a":"\ud83dx"}]"#, #"[{"a":"\ud83d\u0041"}]"#,
        #"[{"\ud83d":1}]"#,
        // Bad escapes and numbers, other non-JSON.
        #"[{"a":"\x"}]"#, #"[{"a":"\U00e9"}]"#, #"[{"a":"\u12"}]"#, #"[{"a":"\u12G4"}]"#,
        #"[{"a":01}]"#, #"[{"a":1.}]"#, #"[{"a":.5}]"#, #"[{"a":+1}]"#, #"[{"a":-}]"#, #"[{"a":1e}]"#,
        #"[{"a":NaN}]"#, #"[{"a":TRUE}]"#, #"[{"a":tru}]"#, #"[{"a":nul}]"#, "[{'a':1}]", "[{\"a\":1 /* c */}]",
        #"{1:2}"#, #"[{"a" 1}]"#, #"[{"a":1 "b":2}]"#, #"[{"a":1}{"b":2}]"#, "[{\"a\":\"x\ty\"}]",
        "[{\"a\":\"x\ny\"}]", "[{\"a\":1}]\u{0C}", "[{\"a\":1}]\u{A0}", "[{\"a\":\u{0B}1}]",
        // Numbers Foundation refuses, also where the element would be dropped.
        #"[{"a":1e400}]"#, #"[1e400,{"a":1}]"#, #"{"value":[{"a":1}],"x":-1e400}"#,
        // Trailing commas (Foundation takes them).
        #"[{"a":1},]"#, #"[{"a":1,}]"#, #"[{"a":[1,]}]"#, #"{"value":[{"a":1}],}"#,
        // Duplicate keys (Foundation keeps the last).
        #"[{"a":1,"a":2}]"#, #"[{"a":{"b":1},"a":{"c":2}}]"#, #"[{"x":{"a":1,"a":[2]}}]"#,
        #"{"value":[{"a":1}],"value":[{"b":2}]}"#, #"{"a":1,"a":2}"#, "[{\"\u{E9}\":1,\"e\u{301}\":2}]",
        // NUL, escaped (Foundation takes it).
        #"[{"a":"x\u0000y"}]"#,
        // Top-level scalars: no objects.
        "1", #""x""#, "null", "true", " -2.5 ",
    ]

    @Test(arguments: leftToFoundation)
    func documentIsLeftToFoundation(_ text: String) {
        Self.check(Array(text.utf8), direct: false)
    }

    @Test(
        arguments: [
            [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xE2, 0x82], [0xE9], [0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0x00],
        ] as [[UInt8]])
    func invalidUTF8IsLeftToFoundation(_ bad: [UInt8]) {
        Self.check(Array(#"[{"a":"x"#.utf8) + bad + Array(#"y"}]"#.utf8), direct: false)
        Self.check(Array(#"[{"x"#.utf8) + bad + Array(#"":1}]"#.utf8), direct: false)
        Self.check(Array(#"[{"a":1}"#.utf8) + bad + Array("]".utf8), direct: false)
    }

    @Test func deepNestingIsLeftToFoundation() {
        Self.check(Array(repeating: UInt8(ascii: "["), count: 100_000), direct: false)
        Self.check(Array(repeating: UInt8(ascii: "{"), count: 100_000), direct: false)
        let deep = 100_000
        Self.check(
            Array(repeating: UInt8(ascii: "["), count: deep) + Array(repeating: UInt8(ascii: "]"), count: deep),
            direct: false)
        // Deeper than the direct reader goes, not than Foundation does.
        let nested = String(repeating: #"{"a":"#, count: 300) + "1" + String(repeating: "}", count: 300)
        Self.check(Array(("[" + nested + "]").utf8), direct: false)
        Self.check(Array(nested.utf8), direct: false)
        Self.check(Array((String(repeating: "[", count: 300) + String(repeating: "]", count: 300)).utf8), direct: false)
    }

    // MARK: - Random documents

    /// Random documents, valid and then damaged byte by byte, read both ways.
    @Test func randomDocumentsReadAsFoundationReadsThem() {
        var rng = SeededGenerator(state: 2024)
        var direct = 0
        let total = 3_000
        for i in 0..<total {
            var generator = RandomJSON(rng: rng)
            var bytes = Array(generator.document().utf8)
            rng = generator.rng
            if i % 3 == 1, !bytes.isEmpty {
                let damage: [UInt8] = [
                    UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: "\""), UInt8(ascii: "\\"),
                    UInt8(ascii: ":"), UInt8(ascii: "1"), UInt8(ascii: " "), 0xFF, 0x00, 0xC3, UInt8(ascii: "e"),
                ]
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(damage[Int(rng.next() % UInt64(damage.count))], at: at)
                default: bytes.removeSubrange(at...)
                }
            }
            let expected = Self.foundation(bytes)
            let fast = bytes.withUnsafeBytes { JSONFlattener.fastRead($0) }
            if let fast {
                direct += 1
                #expect(Outcome(fast.table) == expected, "\(String(decoding: bytes, as: UTF8.self))")
                if let lines = fast.lines { #expect(lines == JSONFlattener.recordLines(bytes)) }
            }
        }
        // Most undamaged documents are read directly.
        #expect(direct > total / 2)
    }
}

/// Random JSON documents in the shapes of exports. Keys have no `.` (a dotted key can flatten onto a nested one,
/// where Foundation's hash order decides which value comes first).
struct RandomJSON {
    var rng: SeededGenerator

    static let keys = [
        "id", "name", "a", "b", "B", "value", "tags", "é", "e\u{301}", "日本", "k\\\"q", "\\u0041", "x y",
    ]
    static let scalars = [
        "0", "-1", "1.0", "1e3", "12345678901234567890", "0.1", "-0", "2.50", "1E-2", "true", "false", "null",
        #""""#, #""s""#, #""a\nb""#, #""\u00e9\ud83d\ude00""#, #""ünï""#, "123456789012345678",
    ]

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }

    mutating func space() -> String { rng.next() % 4 == 0 ? pick([" ", "\n  ", "\t", "\r\n"]) : "" }

    mutating func value(depth: Int) -> String {
        switch rng.next() % (depth > 3 ? 2 : 6) {
        case 0, 1: return pick(Self.scalars)
        case 2, 3: return object(depth: depth + 1)
        default:
            let n = Int(rng.next() % 4)
            return "[" + (0..<n).map { _ in space() + value(depth: depth + 1) + space() }.joined(separator: ",") + "]"
        }
    }

    mutating func object(depth: Int) -> String {
        let n = Int(rng.next() % 5)
        var keys = Set<String>()
        var members: [String] = []
        for _ in 0..<n {
            let key = pick(Self.keys)
            // Duplicates now and then (left to Foundation).
            if keys.contains(key), rng.next() % 8 != 0 { continue }
            keys.insert(key)
            members.append(space() + "\"" + key + "\"" + space() + ":" + space() + value(depth: depth) + space())
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    mutating func document() -> String {
        switch rng.next() % 8 {
        case 0: return object(depth: 0)
        case 1:
            let page = (0..<Int(rng.next() % 4)).map { _ in object(depth: 1) }.joined(separator: ",")
            return #"{"@odata.context":"c","value":["# + page + "]}"
        default:
            let n = Int(rng.next() % 6)
            return space() + "["
                + (0..<n).map { _ in space() + (rng.next() % 6 == 0 ? value(depth: 1) : object(depth: 0)) }
                .joined(separator: ",") + "]" + space()
        }
    }
}
