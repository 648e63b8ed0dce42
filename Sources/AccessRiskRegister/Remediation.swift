import AccessRiskModel

/// A revocation script from the decision log (SPEC §1 `remediate`): every assignment whose latest decision is
/// `revoke`, each command commented with the finding and the decision. The tool never runs it.
public enum Remediation {
    public enum Format: String, Sendable, CaseIterable {
        case az
        case powershell
    }

    /// One assignment to remove, with the risks and decisions that asked for it.
    public struct Target: Sendable, Hashable {
        public var principalId: String
        public var principalName: String
        public var role: String
        public var roleId: String?
        public var scope: String
        public var viaGroups: [String]
        public var assignmentIds: [String]
        public var reasons: [String]
    }

    public struct Plan: Sendable {
        public var targets: [Target]
        /// Revoked risks that are not about one assignment (a role definition, an asset …), to handle by hand.
        public var manual: [String]
        /// Revoked risks already resolved in the register (the access is gone).
        public var alreadyGone: [String]
    }

    /// Works out what to remove: the entries of the latest register whose latest decision is `revoke`.
    public static func plan(entries: [RegisterEntry], decisions: [Decision]) -> Plan {
        let latest = latestDecisions(decisions)
        var targets: [String: Target] = [:]
        var order: [String] = []
        var manual: [String] = []
        var gone: [String] = []
        for e in entries {
            guard let d = latest[e.row.riskId], d.decision == .revoke else { continue }
            let r = e.row
            let reason =
                "\(r.ref) \(r.riskId) \(r.ruleId) (\(r.severity.rawValue)): \(r.title) — revoke decided by "
                + "\(d.decidedBy) on \(d.decidedOn.isoDate)" + (d.ticket.isEmpty ? "" : ", ticket \(d.ticket)")
                + (d.justification.isEmpty ? "" : ", \"\(d.justification)\"")
            if r.state == .resolved {
                gone.append(reason)
                continue
            }
            guard !r.principalId.isEmpty, !r.scope.isEmpty, !r.role.isEmpty || e.details.roleId != nil else {
                manual.append(reason + "; evidence: " + r.evidence)
                continue
            }
            let key =
                r.principalId.lowercased() + "|" + (e.details.roleId ?? r.role.lowercased()) + "|"
                + Scope(r.scope).key
            if targets[key] == nil {
                order.append(key)
                targets[key] = Target(
                    principalId: r.principalId, principalName: r.principalName, role: r.role,
                    roleId: e.details.roleId, scope: r.scope, viaGroups: e.details.viaGroups,
                    assignmentIds: e.details.assignmentIds, reasons: [])
            }
            targets[key]!.reasons.append(reason + "; evidence: " + r.evidence)
            for id in e.details.assignmentIds where !targets[key]!.assignmentIds.contains(id) {
                targets[key]!.assignmentIds.append(id)
            }
        }
        return Plan(targets: order.map { targets[$0]! }, manual: manual, alreadyGone: gone)
    }

    /// The script text.
    public static func script(_ plan: Plan, format: Format, cycle: String) -> String {
        var lines: [String] = []
        let comment = "#"
        switch format {
        case .az:
            lines += [
                "#!/usr/bin/env bash",
                "# accessrisk remediate: role assignments decided `revoke` in the decision log (register \(cycle)).",
                "# Generated for review: nothing here has been run. Read every command before running it.",
                "set -u", "",
            ]
        case .powershell:
            lines += [
                "# accessrisk remediate: role assignments decided `revoke` in the decision log (register \(cycle)).",
                "# Generated for review: nothing here has been run. Read every command before running it.",
                "#Requires -Modules Az.Resources", "",
            ]
        }
        if plan.targets.isEmpty { lines.append("\(comment) No assignment has a latest decision of revoke.") }
        for t in plan.targets {
            let who = t.principalName.isEmpty ? t.principalId : "\(t.principalName) (\(t.principalId))"
            lines.append("\(comment) \(t.role) for \(who) at \(t.scope)")
            for r in t.reasons { lines.append("\(comment)   \(oneLine(r))") }
            if let group = t.viaGroups.first {
                lines.append(
                    "\(comment)   The access comes through group \(t.viaGroups.joined(separator: " → ")); removing the"
                        + " group's assignment would remove it for every member, so the member leaves the group:")
                switch format {
                case .az:
                    lines.append("az ad group member remove --group \(sh(group)) --member-id \(sh(t.principalId))")
                case .powershell:
                    let groupParameter = looksLikeGUID(group) ? "-GroupObjectId" : "-GroupDisplayName"
                    lines.append(
                        "Remove-AzADGroupMember \(groupParameter) \(ps(group)) -MemberObjectId \(ps(t.principalId))")
                }
            } else {
                switch format {
                case .az:
                    if !t.assignmentIds.isEmpty {
                        lines.append(
                            "az role assignment delete --ids " + t.assignmentIds.map(sh).joined(separator: " "))
                    } else {
                        lines.append(
                            "az role assignment delete --assignee \(sh(t.principalId)) --role \(sh(t.roleId ?? t.role))"
                                + " --scope \(sh(t.scope))")
                    }
                case .powershell:
                    let role = t.roleId.map { "-RoleDefinitionId \(ps($0))" } ?? "-RoleDefinitionName \(ps(t.role))"
                    lines.append("Remove-AzRoleAssignment -ObjectId \(ps(t.principalId)) \(role) -Scope \(ps(t.scope))")
                }
            }
            lines.append("")
        }
        if !plan.manual.isEmpty {
            lines.append("\(comment) Revoked risks that are not one role assignment (handle by hand):")
            for m in plan.manual { lines.append("\(comment)   \(oneLine(m))") }
            lines.append("")
        }
        if !plan.alreadyGone.isEmpty {
            lines.append("\(comment) Revoked and already resolved in the register (nothing to do):")
            for g in plan.alreadyGone { lines.append("\(comment)   \(oneLine(g))") }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// Single-quoted for bash.
    static func sh(_ s: String) -> String { "'" + s.replacingAll("'", with: "'\\''") + "'" }
    /// Single-quoted for PowerShell.
    static func ps(_ s: String) -> String { "'" + s.replacingAll("'", with: "''") + "'" }

    static func oneLine(_ s: String) -> String {
        String(s.map { $0.isNewline ? " " : $0 })
    }

    static func looksLikeGUID(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12] && s.allSatisfy { $0 == "-" || $0.isHexDigit }
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self {
            if ch == target { out += replacement } else { out.append(ch) }
        }
        return out
    }
}
