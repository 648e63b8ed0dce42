import AccessRiskModel

/// The difference between two registers (SPEC §1 `diff`), worked out from the rows themselves so that any two
/// cycles compare, not only consecutive ones.
///
/// - `new`: present in NEW, unknown to OLD.
/// - `reopened`: present in NEW, resolved in OLD.
/// - `changed`: present in both with a different severity or evidence.
/// - `persisting`: present in both, same severity and evidence.
/// - `resolved`: present in OLD, resolved in (or absent from) NEW.
///
/// A risk resolved in both is closed history and left out.
public struct RegisterDiff: Sendable, Encodable {
    public struct Item: Sendable, Encodable, Hashable {
        public var riskId: String
        public var ref: String
        public var ruleId: String
        public var title: String
        public var severity: Severity
        public var previousSeverity: Severity?
        public var principal: String
        public var scope: String

        enum CodingKeys: String, CodingKey {
            case riskId = "risk_id"
            case ref
            case ruleId = "rule_id"
            case title, severity
            case previousSeverity = "previous_severity"
            case principal, scope
        }
    }

    public static let states: [RiskState] = [.new, .reopened, .changed, .persisting, .resolved]

    public var old: String
    public var new: String
    public var items: [RiskState: [Item]]

    public static func compare(
        old: [RegisterRow], new: [RegisterRow], oldLabel: String? = nil, newLabel: String? = nil
    ) -> RegisterDiff {
        let before = Dictionary(old.map { ($0.riskId, $0) }, uniquingKeysWith: { a, _ in a })
        var items: [RiskState: [Item]] = [:]
        var seen = Set<String>()
        func item(_ r: RegisterRow, previous: RegisterRow?) -> Item {
            Item(
                riskId: r.riskId, ref: r.ref, ruleId: r.ruleId, title: r.title, severity: r.severity,
                previousSeverity: previous.map(\.severity),
                principal: r.principalName.isEmpty ? r.principalId : r.principalName,
                scope: r.scope)
        }
        for r in new {
            seen.insert(r.riskId)
            let p = before[r.riskId]
            let pPresent = p.map { $0.state != .resolved } ?? false
            if r.state == .resolved {
                if pPresent { items[.resolved, default: []].append(item(r, previous: p)) }
                continue
            }
            let state: RiskState
            if let p {
                if p.state == .resolved {
                    state = .reopened
                } else if p.severity != r.severity || p.evidence != r.evidence {
                    state = .changed
                } else {
                    state = .persisting
                }
            } else {
                state = .new
            }
            items[state, default: []].append(item(r, previous: p))
        }
        for p in old where !seen.contains(p.riskId) && p.state != .resolved {
            items[.resolved, default: []].append(item(p, previous: p))
        }
        for key in items.keys {
            items[key]?.sort {
                $0.severity != $1.severity
                    ? $0.severity > $1.severity
                    : (RiskIdentity.refNumber($0.ref) ?? .max, $0.riskId) < (
                        RiskIdentity.refNumber($1.ref) ?? .max, $1.riskId
                    )
            }
        }
        return RegisterDiff(
            old: oldLabel ?? old.first?.cycle ?? "", new: newLabel ?? new.first?.cycle ?? "", items: items)
    }

    /// Counts by state, then by severity.
    public var counts: [RiskState: [Severity: Int]] {
        var out: [RiskState: [Severity: Int]] = [:]
        for state in Self.states {
            var bySeverity: [Severity: Int] = [:]
            for i in items[state] ?? [] { bySeverity[i.severity, default: 0] += 1 }
            out[state] = bySeverity
        }
        return out
    }

    /// A plain-text report: a table of counts by state and severity, then the risks of each state (persisting
    /// ones counted only).
    public var text: String {
        let severities = Severity.allCases.reversed()
        var lines = ["Register diff: \(old) → \(new)", ""]
        let head = "state".padding(12) + severities.map { $0.rawValue.padding(10) }.joined() + "total"
        lines.append(head)
        for state in Self.states {
            let c = counts[state] ?? [:]
            let total = c.values.reduce(0, +)
            lines.append(
                state.rawValue.padding(12) + severities.map { String(c[$0] ?? 0).padding(10) }.joined() + String(total))
        }
        for state in Self.states where state != .persisting {
            guard let list = items[state], !list.isEmpty else { continue }
            lines.append("")
            lines.append("\(state.rawValue) (\(list.count)):")
            for i in list {
                var line = "  \(i.ref) \(i.riskId) [\(i.severity.rawValue)"
                if let p = i.previousSeverity, p != i.severity { line += " was \(p.rawValue)" }
                line += "] \(i.ruleId): \(i.title)"
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    enum CodingKeys: String, CodingKey {
        case old, new, counts, risks
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(old, forKey: .old)
        try c.encode(new, forKey: .new)
        var countsOut: [String: [String: Int]] = [:]
        for (state, bySeverity) in counts {
            var row: [String: Int] = [:]
            for s in Severity.allCases { row[s.rawValue] = bySeverity[s] ?? 0 }
            row["total"] = bySeverity.values.reduce(0, +)
            countsOut[state.rawValue] = row
        }
        try c.encode(countsOut, forKey: .counts)
        var risks: [String: [Item]] = [:]
        for state in Self.states { risks[state.rawValue] = items[state] ?? [] }
        try c.encode(risks, forKey: .risks)
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
