import AccessRiskModel
import AccessRiskRegister
import Foundation
import Mustache

/// A template folder given with `--templates` that cannot be used.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The Mustache templates in use: the built-in ones, with any given in `--templates DIR` overriding by file name.
public struct ReportTemplates: Sendable {
    let library: MustacheLibrary
    /// Template names taken from the override folder.
    public let overridden: [String]

    public static func builtIn() throws -> ReportTemplates {
        try ReportTemplates(overrideDirectory: nil)
    }

    public init(overrideDirectory: String?) throws {
        var library = MustacheLibrary()
        for (name, text) in BuiltinTemplates.all.sorted(by: { $0.key < $1.key }) {
            try library.register(text, named: name)
        }
        var overridden: [String] = []
        if let directory = overrideDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw TemplateError(message: "--templates \(directory): no such directory")
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter {
                $0.hasSuffix(".mustache")
            }.sorted()
            guard !names.isEmpty else {
                throw TemplateError(
                    message: "--templates \(directory): no .mustache templates in it (expected e.g. "
                        + BuiltinTemplates.all.keys.sorted().map { $0 + ".mustache" }.joined(separator: ", ") + ")")
            }
            for file in names {
                let name = String(file.dropLast(".mustache".count))
                guard BuiltinTemplates.all[name] != nil else {
                    throw TemplateError(
                        message: "--templates \(directory)/\(file): not a template name accessrisk uses (known: "
                            + BuiltinTemplates.all.keys.sorted().joined(separator: ", ") + ")")
                }
                let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
                do {
                    try library.register(text, named: name)
                } catch {
                    throw TemplateError(message: "--templates \(directory)/\(file): \(error)")
                }
                overridden.append(name)
            }
        }
        self.library = library
        self.overridden = overridden
    }

    func render(_ context: [String: Any], template: String) throws -> String {
        guard let text = library.render(context, withTemplate: template) else {
            throw TemplateError(message: "template \(template) is missing")
        }
        return text
    }
}

/// `risk-assessment.md`: the view model (every value already escaped for Markdown) and its rendering.
public enum RiskAssessment {
    /// How many rows a table shows before pointing at the CSV.
    static let tableLimit = 25

    public static func render(
        _ data: ReportData, templates: ReportTemplates, heatmapFile: String = "heatmap.svg",
        pseudonymizer: Pseudonymizer? = nil
    ) throws -> String {
        try templates.render(
            context(data, heatmapFile: heatmapFile, pseudonymizer: pseudonymizer),
            template: "risk-assessment")
    }

    static func context(_ data: ReportData, heatmapFile: String, pseudonymizer: Pseudonymizer?) -> [String: Any] {
        let open = data.openRisks
        let md = MarkdownText.cell
        func riskRow(_ r: RegisterRow) -> [String: Any] {
            let principal = pseudonymizer?.name(r.principalName) ?? r.principalName
            let whereText: String
            if !r.resource.isEmpty {
                whereText = MarkdownText.code(r.resource) + (r.asset.isEmpty ? "" : " (" + md(r.asset) + ")")
            } else {
                whereText = MarkdownText.code(r.scope)
            }
            var decision = r.decision?.rawValue ?? ""
            if let until = r.acceptedUntil, !decision.isEmpty { decision += " until " + until.isoDate }
            return [
                "ref": md(r.ref), "riskId": r.riskId, "severity": md(r.severity.rawValue), "likelihood": r.likelihood,
                "impact": r.impact, "ruleId": md(r.ruleId), "principal": md(principal), "role": md(r.role),
                "where": whereText, "state": md(r.state.rawValue), "due": r.dueDate?.isoDate ?? "",
                "decision": md(decision),
            ]
        }
        func table(_ risks: [RegisterRow]) -> [String: Any]? {
            risks.isEmpty ? nil : ["risks": risks.prefix(tableLimit).map(riskRow)]
        }
        func section(_ title: String, _ risks: [RegisterRow]) -> [String: Any] {
            var s: [String: Any] = ["title": title, "count": risks.count]
            if let t = table(risks) { s["table"] = t }
            if risks.count > tableLimit { s["more"] = risks.count - tableLimit }
            return s
        }

        var c: [String: Any] = [:]
        c["cycle"] = md(data.cycle)
        c["asOf"] = data.asOf.isoDate
        c["previousCycle"] = md(data.previousCycle ?? "none (first cycle)")
        if data.previousCycle != nil { c["previousCycleKnown"] = true }
        c["toolVersion"] = md(data.toolVersion)
        c["schemeVersion"] = md(data.schemeVersion)
        c["openCount"] = open.count
        c["criticalCount"] = open.filter { $0.severity == .critical }.count
        c["highCount"] = open.filter { $0.severity == .high }.count
        c["newCount"] = data.risks.filter { $0.state == .new }.count
        c["reopenedCount"] = data.risks.filter { $0.state == .reopened }.count
        c["resolvedCount"] = data.risks.filter { $0.state == .resolved }.count
        c["heatmapFile"] = heatmapFile

        // Scope and inputs.
        c["fileCount"] = data.inputs.count
        c["rowsRead"] = data.inputs.reduce(0) { $0 + $1.rowsRead }
        c["rowsUsed"] = data.inputs.reduce(0) { $0 + $1.rowsUsed }
        let rejected = data.inputs.reduce(0) { $0 + $1.rowsRejected }
        c["rowsRejected"] = rejected
        if rejected > 0 { c["rejectedNote"] = true }
        var kinds: [String: (files: Int, rows: Int)] = [:]
        for input in data.inputs { kinds[input.kind, default: (0, 0)].files += 1 }
        for input in data.inputs { kinds[input.kind, default: (0, 0)].rows += input.rowsUsed }
        c["inputKinds"] = kinds.keys.sorted().map {
            ["kind": md($0), "files": kinds[$0]!.files, "rows": kinds[$0]!.rows]
        }
        // Counted in one pass, reading fields in place (a copy of a principal or assignment retains all its strings).
        var members = 0
        var guests = 0
        var workloads = 0
        // Groups rarely come from a directory export: count every group id the memberships and assignments name.
        var groupIds: Set<String> = []
        let principals = data.model.principals
        for i in principals.indices {
            let type = principals.values[i].type
            if type == .user && !principals.values[i].isGuest { members += 1 }
            if principals.values[i].isGuest { guests += 1 }
            if type.isWorkload { workloads += 1 }
            if type == .group { groupIds.insert(principals.values[i].id) }
        }
        let memberships = data.model.memberships
        for i in memberships.indices where i == 0 || memberships[i].groupId != memberships[i - 1].groupId {
            groupIds.insert(memberships[i].groupId)
        }
        let assignments = data.model.assignments
        for i in assignments.indices where assignments[i].principalType == .group {
            groupIds.insert(assignments[i].principalId)
        }
        let groups = groupIds.count
        let customRoles = data.model.roleDefinitions.values.filter(\.isCustom).count
        let population: [(String, Int)] = [
            ("Role assignments", data.model.assignments.count), ("Users (members)", members), ("Guests", guests),
            ("Groups", groups), ("Service principals and managed identities", workloads),
            ("Group memberships", data.model.memberships.count), ("Custom role definitions", customRoles),
            ("Data assets", data.model.assets.count), ("AWS IAM users", data.model.awsCredentials.count),
        ]
        c["population"] = population.map { ["name": $0.0, "count": $0.1] as [String: Any] }

        // Method.
        c["rulesCount"] = data.rules.count
        c["rulesEvaluatedCount"] = data.rules.filter(\.evaluated).count

        // Summary by severity × state.
        let states: [RiskState] = [.new, .persisting, .changed, .reopened]
        c["severityRows"] = Severity.allCases.reversed().map { sev -> [String: Any] in
            let rs = data.risks.filter { $0.severity == sev }
            var row: [String: Any] = ["name": sev.rawValue]
            for s in states { row[s.rawValue] = rs.filter { $0.state == s }.count }
            row["open"] = rs.filter(\.isPresent).count
            row["resolved"] = rs.filter { $0.state == .resolved }.count
            return row
        }
        let counts = Heatmap.counts(of: data.risks)
        c["heatRows"] = RiskLevel.allCases.reversed().map { l -> [String: Any] in
            var row: [String: Any] = ["name": l.name]
            for i in 1...5 { row["c\(i)"] = counts[l.rawValue - 1][i - 1] }
            return row
        }

        // Top risks and changes.
        if let t = table(Array(open.prefix(10))) { c["top"] = t }
        let sorted = data.risks.sorted(by: ReportData.worstFirst)
        c["changeSections"] = [
            section("New", sorted.filter { $0.state == .new }),
            section("Reopened", sorted.filter { $0.state == .reopened }),
            section("Changed", sorted.filter { $0.state == .changed }),
            section("Resolved", sorted.filter { $0.state == .resolved }),
        ]
        let soon = data.asOf.adding(days: 30)
        c["dueSections"] = [
            section("Overdue", open.filter { $0.slaStatus == .overdue }),
            section("Due within 7 days", open.filter { $0.slaStatus == .dueSoon }),
            section(
                "Acceptances expiring within 30 days",
                open.filter { $0.acceptedUntil.map { $0 >= data.asOf && $0 <= soon } ?? false }),
        ]

        // Per category, per rule.
        let byRule = Dictionary(grouping: open, by: \.ruleId)
        c["categories"] = RuleCategory.allCases.map { category -> [String: Any] in
            let rules = data.rules.filter { $0.category == category }.compactMap { rule -> [String: Any]? in
                guard let risks = byRule[rule.id], !risks.isEmpty else { return nil }
                var r: [String: Any] = [
                    "id": md(rule.id), "title": md(rule.title), "count": risks.count, "rationale": md(rule.rationale),
                    "risks": risks.prefix(tableLimit).map(riskRow),
                ]
                if risks.count > tableLimit { r["more"] = risks.count - tableLimit }
                return r
            }
            return ["title": category.title, "rules": rules]
        }

        let notEvaluated = data.rules.filter { !$0.evaluated }
        if !notEvaluated.isEmpty {
            c["notEvaluatedTable"] = [
                "rows": notEvaluated.map {
                    ["id": md($0.id), "title": md($0.title), "missing": md($0.missingInputs.joined(separator: ", "))]
                }
            ]
        }
        if !data.exclusions.isEmpty {
            c["exclusionsTable"] = [
                "rows": data.exclusions.map {
                    [
                        "principal": md(pseudonymizer?.name($0.principal) ?? $0.principal), "reason": md($0.reason),
                        "count": $0.suppressedFindings,
                    ]
                }
            ]
        }
        if let coverage = coverage(data.model.assets) { c["coverageTable"] = coverage }
        var controls: [String: (count: Int, rules: Set<String>)] = [:]
        for r in open {
            for control in r.controls {
                controls[control, default: (0, [])].count += 1
                controls[control, default: (0, [])].rules.insert(r.ruleId)
            }
        }
        if !controls.isEmpty {
            c["controlsTable"] = [
                "rows": controls.keys.sorted().map {
                    [
                        "control": md($0), "count": controls[$0]!.count,
                        "rules": controls[$0]!.rules.sorted().map { MarkdownText.code($0) }.joined(separator: ", "),
                    ]
                }
            ]
        }
        c["inputs"] = data.inputs.map {
            [
                "path": md($0.path), "format": md($0.format), "kind": md($0.kind), "rowsRead": $0.rowsRead,
                "rowsUsed": $0.rowsUsed, "rowsRejected": $0.rowsRejected, "duplicates": $0.duplicates,
                "sha256": $0.sha256,
            ]
        }
        return c
    }

    /// Share of assets labelled, by resource (SPEC §4: a metric, not a finding).
    static func coverage(_ assets: [Asset]) -> [String: Any]? {
        guard !assets.isEmpty else { return nil }
        // Resources are numbered (interned ids by their bits, see `StringNumbering`) and counted in arrays: a
        // dictionary hashed every asset's resource id twice.
        var resources = StringNumbering()
        var totals: [Int] = []
        var labelledCounts: [Int] = []
        // Labels repeat (a handful of names over every asset): each is judged once.
        var labels = StringNumbering()
        var labelledByLabel: [Bool] = []
        assets.withUnsafeBufferPointer { buffer in
            for i in buffer.indices {
                let r = Int(resources.number(buffer[i].resourceId))
                if r == totals.count {
                    totals.append(0)
                    labelledCounts.append(0)
                }
                let l = Int(labels.number(buffer[i].label ?? ""))
                if l == labelledByLabel.count { labelledByLabel.append(isLabelled(buffer[i].label ?? "")) }
                totals[r] += 1
                if labelledByLabel[l] { labelledCounts[r] += 1 }
            }
        }
        let names = resources.distinct
        var order = [Int](repeating: 0, count: names.count)
        for (n, rank) in resources.ranksInStringOrder().enumerated() { order[Int(rank)] = n }
        func percent(_ a: Int, _ b: Int) -> String { b == 0 ? "-" : String(a * 100 / b) + " %" }
        let total = totals.reduce(0, +)
        let labelled = labelledCounts.reduce(0, +)
        return [
            "rows": order.map { n in
                [
                    "resource": MarkdownText.code(names[n]), "assets": totals[n], "labelled": labelledCounts[n],
                    "percent": percent(labelledCounts[n], totals[n]),
                ]
            },
            "assets": total, "labelled": labelled, "percent": percent(labelled, total),
        ]
    }

    static func isLabelled(_ label: String?) -> Bool {
        guard let label = label?.trimmingSpaces.lowercased(), !label.isEmpty else { return false }
        return !["none", "unclassified", "n/a", "null"].contains(label)
    }
}
