import AccessRiskModel
import Foundation
import Yams

/// A value of a policy document, JSON or YAML alike, so one validator names every key path.
public indirect enum PolicyValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([PolicyValue])
    case object([(String, PolicyValue)])

    public static func == (a: PolicyValue, b: PolicyValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "a mapping"
        }
    }
}

extension PolicyValue: Decodable {
    public init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var out: [PolicyValue] = []
            while !list.isAtEnd { out.append(try list.decode(PolicyValue.self)) }
            self = .array(out)
            return
        }
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            var out: [(String, PolicyValue)] = []
            for key in object.allKeys {
                out.append((key.stringValue, try object.decode(PolicyValue.self, forKey: key)))
            }
            self = .object(out.sorted { $0.0 < $1.0 })
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .int(i)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else {
            self = .string(try c.decode(String.self))
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension PolicyValue {
    /// A YAML node as a policy value, by its resolved tag (a quoted `"90"` stays a string).
    init(yaml node: Node, path: String) throws(PolicyError) {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.description) {
            case .null: self = .null
            case .bool: self = node.bool.map(PolicyValue.bool) ?? .string(scalar.string)
            case .int: self = node.int.map(PolicyValue.int) ?? .string(scalar.string)
            case .float: self = node.float.map(PolicyValue.double) ?? .string(scalar.string)
            default: self = .string(scalar.string)
            }
        case .sequence(let sequence):
            var out: [PolicyValue] = []
            for (i, item) in sequence.enumerated() { out.append(try PolicyValue(yaml: item, path: "\(path)[\(i)]")) }
            self = .array(out)
        case .mapping(let mapping):
            var out: [(String, PolicyValue)] = []
            var keys: Set<String> = []
            for (k, v) in mapping {
                guard let key = k.string else { throw PolicyError(path: path, "a mapping key is not a string") }
                let child = path.isEmpty ? key : path + "." + key
                guard keys.insert(key).inserted else { throw PolicyError(path: child, "duplicate key") }
                out.append((key, try PolicyValue(yaml: v, path: child)))
            }
            self = .object(out.sorted { $0.0 < $1.0 })
        }
    }

    /// The value as JSON text: keys sorted, two-space indentation, one value per line.
    public func jsonText(indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent + 2)
        let close = String(repeating: " ", count: indent)
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return Self.quote(s)
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + $0.jsonText(indent: indent + 2) }.joined(separator: ",\n") + "\n" + close
                + "]"
        case .object(let pairs):
            if pairs.isEmpty { return "{}" }
            let body = pairs.sorted { $0.0 < $1.0 }.map {
                pad + Self.quote($0.0) + ": " + $0.1.jsonText(indent: indent + 2)
            }
            return "{\n" + body.joined(separator: ",\n") + "\n" + close + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension Policy {
    /// The top-level keys of a policy file.
    public static let topLevelKeys = [
        "version", "stale_days", "sensitivity_threshold", "date_locale", "sla", "rules", "labels", "patterns",
        "exclusions",
    ]

    /// Reads a policy file, JSON or YAML (by content: a document starting with `{` is JSON).
    public static func load(path: String, rules: [any Rule.Type] = RuleRegistry.all) throws(PolicyError) -> Policy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyError(path: "", "cannot read the policy file", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(path: "", "the policy file is not UTF-8 text", file: path)
        }
        do {
            return try parse(text, rules: rules)
        } catch {
            var e = error
            e.file = path
            throw e
        }
    }

    /// Parses a policy document (JSON or YAML) and validates it against the rules' declared thresholds.
    public static func parse(_ text: String, rules: [any Rule.Type] = RuleRegistry.all) throws(PolicyError) -> Policy {
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        let trimmed = body.trimmingSpaces
        if trimmed.isEmpty { return Policy() }
        let value: PolicyValue
        if trimmed.hasPrefix("{") {
            do {
                value = try JSONDecoder().decode(PolicyValue.self, from: Data(body.utf8))
            } catch {
                throw PolicyError(path: "", "not valid JSON: \(Self.describe(error))")
            }
        } else {
            let node: Node?
            do {
                node = try Yams.compose(yaml: body)
            } catch {
                throw PolicyError(path: "", "not valid YAML: \(error)")
            }
            guard let node else { return Policy() }
            value = try PolicyValue(yaml: node, path: "")
        }
        return try from(value, rules: rules)
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0)" }) ?? context.debugDescription
        }
        return "\(error)"
    }

    /// Builds a policy from a parsed document: unknown keys, wrong types, negative thresholds, unknown rule ids and
    /// exclusions without a reason are errors naming the key path.
    public static func from(_ value: PolicyValue, rules: [any Rule.Type] = RuleRegistry.all) throws(PolicyError)
        -> Policy
    {
        let top = try object(value, "")
        try checkKeys(top, allowed: topLevelKeys, "")
        var policy = Policy()
        for (key, v) in top {
            switch key {
            case "version":
                let version = try int(v, key)
                guard version == 1 else { throw PolicyError(path: key, "unsupported version \(version) (expected 1)") }
            case "stale_days":
                policy.staleDays = try nonNegative(v, key)
            case "date_locale":
                let text = try string(v, key)
                guard let locale = DateLocale(rawValue: text) else {
                    throw PolicyError(
                        path: key,
                        "unknown date locale \"\(text)\" (expected "
                            + DateLocale.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or ") + ")")
                }
                policy.dateLocale = locale
            case "sla":
                let sla = try object(v, key)
                try checkKeys(sla, allowed: ["critical", "high", "medium", "low"], key)
                for (severity, days) in sla {
                    let n = try nonNegative(days, key + "." + severity)
                    if let level = Severity(rawValue: severity) { policy.sla.days[level] = n }
                }
            case "labels":
                policy.labels = try labelPolicy(v, key)
            case "patterns":
                var patterns: [String: [String]] = [:]
                for (type, list) in try object(v, key) {
                    patterns[type] = try stringList(list, key + "." + type)
                }
                policy.patterns = patterns
            case "exclusions":
                policy.exclusions = try exclusions(v, key, rules: rules)
            case "rules":
                policy.rules = try rulePolicies(v, key, rules: rules)
            default:
                break  // sensitivity_threshold: after labels, below
            }
        }
        if let v = top.first(where: { $0.0 == "sensitivity_threshold" })?.1 {
            let label = try string(v, "sensitivity_threshold")
            var tiers = defaultLabelTiers
            for (name, tier) in policy.labels?.tiers ?? [:] { tiers[name.lowercased()] = tier }
            guard let tier = tiers[label.lowercased()] else {
                throw PolicyError(
                    path: "sensitivity_threshold",
                    "unknown label \"\(label)\" (expected one of: \(tiers.keys.sorted().joined(separator: ", ")))")
            }
            policy.sensitivityThreshold = label
            policy.sensitivityThresholdTier = tier
        }
        return policy
    }

    // MARK: Sections

    private static func rulePolicies(_ v: PolicyValue, _ path: String, rules: [any Rule.Type]) throws(PolicyError)
        -> [String: RulePolicy]
    {
        var byId: [String: RuleDescription] = [:]
        for rule in rules { byId[rule.description.id] = rule.description }
        var out: [String: RulePolicy] = [:]
        for (id, block) in try object(v, path) {
            let rulePath = path + "." + id
            guard let description = byId[id] else {
                throw PolicyError(path: rulePath, "unknown rule id (see `accessrisk rules`)")
            }
            let keys = ["enabled"] + description.thresholds.map(\.key)
            let fields = try object(block, rulePath)
            try checkKeys(fields, allowed: keys, rulePath)
            var policy = RulePolicy()
            for (key, value) in fields {
                if key == "enabled" {
                    policy.enabled = try bool(value, rulePath + ".enabled")
                } else {
                    policy.thresholds[key] = try nonNegative(value, rulePath + "." + key)
                }
            }
            out[id] = policy
        }
        return out
    }

    private static func exclusions(_ v: PolicyValue, _ path: String, rules: [any Rule.Type]) throws(PolicyError)
        -> [Exclusion]
    {
        guard case .array(let items) = v else {
            throw PolicyError(path: path, "expected a list of exclusions, found \(v.typeName)")
        }
        let ruleIds = Set(rules.map { $0.description.id })
        var out: [Exclusion] = []
        for (i, item) in items.enumerated() {
            let itemPath = "\(path)[\(i)]"
            let fields = try object(item, itemPath)
            try checkKeys(fields, allowed: ["object_id", "upn", "reason", "rules"], itemPath)
            var objectId: String?
            var upn: String?
            var reason: String?
            var only: [String]?
            for (key, value) in fields {
                let p = itemPath + "." + key
                switch key {
                case "object_id": objectId = try nonEmpty(value, p)
                case "upn": upn = try nonEmpty(value, p)
                case "reason": reason = try nonEmpty(value, p)
                default:
                    let list = try stringList(value, p)
                    for (j, id) in list.enumerated() where !ruleIds.contains(id) {
                        throw PolicyError(path: "\(p)[\(j)]", "unknown rule id \"\(id)\"")
                    }
                    only = list
                }
            }
            guard let reason else {
                throw PolicyError(
                    path: itemPath + ".reason", "an exclusion needs a reason (it is listed in the report)")
            }
            guard objectId != nil || upn != nil else {
                throw PolicyError(path: itemPath, "an exclusion names its account by object_id or upn")
            }
            out.append(Exclusion(objectId: objectId, upn: upn, reason: reason, rules: only))
        }
        return out
    }

    private static func labelPolicy(_ v: PolicyValue, _ path: String) throws(PolicyError) -> LabelPolicy {
        let fields = try object(v, path)
        try checkKeys(fields, allowed: ["order", "tiers", "mappings"], path)
        var labels = LabelPolicy()
        for (key, value) in fields {
            let p = path + "." + key
            switch key {
            case "order":
                labels.order = try stringList(value, p)
            case "tiers":
                for (name, tier) in try object(value, p) { labels.tiers[name] = try nonNegative(tier, p + "." + name) }
            default:
                for (name, target) in try object(value, p) {
                    labels.mappings[name] = try string(target, p + "." + name)
                }
            }
        }
        return labels
    }

    // MARK: Typed access

    private static func checkKeys(_ fields: [(String, PolicyValue)], allowed: [String], _ path: String)
        throws(PolicyError)
    {
        for (key, _) in fields where !allowed.contains(key) {
            throw PolicyError(
                path: path.isEmpty ? key : path + "." + key,
                "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
        }
    }

    private static func object(_ v: PolicyValue, _ path: String) throws(PolicyError) -> [(String, PolicyValue)] {
        guard case .object(let fields) = v else {
            throw PolicyError(path: path, "expected a mapping, found \(v.typeName)")
        }
        return fields
    }

    private static func int(_ v: PolicyValue, _ path: String) throws(PolicyError) -> Int {
        guard case .int(let i) = v else { throw PolicyError(path: path, "expected an integer, found \(v.typeName)") }
        return i
    }

    private static func nonNegative(_ v: PolicyValue, _ path: String) throws(PolicyError) -> Int {
        let i = try int(v, path)
        guard i >= 0 else { throw PolicyError(path: path, "must not be negative (found \(i))") }
        return i
    }

    private static func bool(_ v: PolicyValue, _ path: String) throws(PolicyError) -> Bool {
        guard case .bool(let b) = v else {
            throw PolicyError(path: path, "expected true or false, found \(v.typeName)")
        }
        return b
    }

    private static func string(_ v: PolicyValue, _ path: String) throws(PolicyError) -> String {
        guard case .string(let s) = v else { throw PolicyError(path: path, "expected a string, found \(v.typeName)") }
        return s
    }

    private static func nonEmpty(_ v: PolicyValue, _ path: String) throws(PolicyError) -> String {
        let s = try string(v, path)
        guard !s.trimmingSpaces.isEmpty else { throw PolicyError(path: path, "must not be empty") }
        return String(s.trimmingSpaces)
    }

    private static func stringList(_ v: PolicyValue, _ path: String) throws(PolicyError) -> [String] {
        guard case .array(let items) = v else { throw PolicyError(path: path, "expected a list, found \(v.typeName)") }
        var out: [String] = []
        for (i, item) in items.enumerated() { out.append(try string(item, "\(path)[\(i)]")) }
        return out
    }
}

extension Policy {
    /// The policy in the file's own shape: every registered rule with `enabled` and its thresholds (rule
    /// thresholds named `stale_days` follow the global setting and are left out unless overridden).
    public func document(rules: [any Rule.Type] = RuleRegistry.all) -> PolicyValue {
        var ruleBlocks: [(String, PolicyValue)] = []
        for rule in rules {
            let d = rule.description
            let own = self.rules[d.id]
            var fields: [(String, PolicyValue)] = [("enabled", .bool(own?.enabled ?? true))]
            for t in d.thresholds {
                if let v = own?.thresholds[t.key] {
                    fields.append((t.key, .int(v)))
                } else if t.key != Self.globalStaleKey {
                    fields.append((t.key, .int(t.defaultValue)))
                }
            }
            ruleBlocks.append((d.id, .object(fields)))
        }
        var top: [(String, PolicyValue)] = [
            ("version", .int(1)),
            ("stale_days", .int(staleDays)),
            ("sensitivity_threshold", .string(sensitivityThreshold)),
            ("date_locale", .string(dateLocale.rawValue)),
            (
                "sla",
                .object([
                    ("critical", .int(sla.days[.critical] ?? 0)), ("high", .int(sla.days[.high] ?? 0)),
                    ("medium", .int(sla.days[.medium] ?? 0)), ("low", .int(sla.days[.low] ?? 0)),
                ])
            ),
            ("rules", .object(ruleBlocks)),
            ("patterns", .object(patterns.map { ($0.key, .array($0.value.map(PolicyValue.string))) })),
            (
                "exclusions",
                .array(
                    exclusions.map { e in
                        var f: [(String, PolicyValue)] = [("reason", .string(e.reason))]
                        if let id = e.objectId { f.append(("object_id", .string(id))) }
                        if let upn = e.upn { f.append(("upn", .string(upn))) }
                        if let r = e.rules { f.append(("rules", .array(r.map(PolicyValue.string)))) }
                        return .object(f)
                    })
            ),
        ]
        if let labels {
            top.append(
                (
                    "labels",
                    .object([
                        ("order", .array(labels.order.map(PolicyValue.string))),
                        ("tiers", .object(labels.tiers.map { ($0.key, .int($0.value)) })),
                        ("mappings", .object(labels.mappings.map { ($0.key, .string($0.value)) })),
                    ])
                ))
        }
        return .object(top)
    }

    /// The built-in defaults as a JSON policy file (`accessrisk rules --json`); it loads back to `Policy()`.
    public static func defaultPolicyJSON(rules: [any Rule.Type] = RuleRegistry.all) -> String {
        Policy().document(rules: rules).jsonText() + "\n"
    }
}
