import AccessRiskModel

/// The catalogue as people read it (`accessrisk rules`, `accessrisk rules explain ID`).
public enum RuleCatalogue {
    /// The rule with this id, if registered.
    public static func rule(_ id: String, in rules: [any Rule.Type] = RuleRegistry.all) -> (any Rule.Type)? {
        rules.first { $0.description.id == id }
    }

    /// One line per rule: id, category, title, default severity, inputs, controls; columns aligned.
    public static func table(_ rules: [any Rule.Type] = RuleRegistry.all) -> String {
        let header = ["ID", "CATEGORY", "TITLE", "SEVERITY", "INPUTS", "CONTROLS"]
        let rows = rules.map { rule -> [String] in
            let d = rule.description
            return [
                d.id, d.category.rawValue, d.title, d.defaultSeverity.rawValue,
                d.requiredInputs.map(\.rawValue).joined(separator: ","), d.controls.joined(separator: "; "),
            ]
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// One rule in full: rationale, condition, thresholds, remediation, controls, anchors, examples' names.
    public static func explain(_ rule: any Rule.Type) -> String {
        let d = rule.description
        var out = "\(d.id): \(d.title)\n"
        out += "Category: \(d.category.title)\n"
        out += "Subject: \(d.subject)\n"
        out += "Default severity: \(d.defaultSeverity.rawValue) (likelihood \(d.baseLikelihood), impact "
        out += "\(d.baseImpact))\n"
        out += "Inputs: \(d.requiredInputs.map(\.rawValue).joined(separator: ", "))\n\n"
        out += "Rationale\n  \(d.rationale)\n\nCondition\n  \(d.condition)\n\n"
        if !d.thresholds.isEmpty {
            out += "Thresholds\n"
            for t in d.thresholds { out += "  \(t.key) = \(t.defaultValue)  (\(t.summary))\n" }
            out += "\n"
        }
        out += "Remediation\n  \(d.remediation)\n\n"
        out += "Controls\n" + d.controls.map { "  - \($0)\n" }.joined() + "\n"
        out += "Anchors\n" + d.anchors.map { "  - \($0)\n" }.joined()
        return out
    }

    /// The rule in full as a JSON object (keys sorted).
    public static func explainJSON(_ rule: any Rule.Type) -> String {
        document(rule).jsonText() + "\n"
    }

    /// The catalogue entry of a rule as a document.
    public static func document(_ rule: any Rule.Type) -> PolicyValue {
        let d = rule.description
        func strings(_ list: [String]) -> PolicyValue { .array(list.map(PolicyValue.string)) }
        return .object([
            ("id", .string(d.id)),
            ("category", .string(d.category.rawValue)),
            ("title", .string(d.title)),
            ("subject", .string(d.subject)),
            ("default_severity", .string(d.defaultSeverity.rawValue)),
            ("base_likelihood", .int(d.baseLikelihood)),
            ("base_impact", .int(d.baseImpact)),
            ("inputs", strings(d.requiredInputs.map(\.rawValue))),
            ("rationale", .string(d.rationale)),
            ("condition", .string(d.condition)),
            ("remediation", .string(d.remediation)),
            ("controls", strings(d.controls)),
            ("anchors", strings(d.anchors)),
            (
                "thresholds",
                .array(
                    d.thresholds.map {
                        .object([
                            ("key", .string($0.key)), ("default", .int($0.defaultValue)),
                            ("summary", .string($0.summary)),
                        ])
                    })
            ),
        ])
    }
}
