import AccessRiskModel

/// Global Administrator holders outside the policy's range.
struct GlobalAdminCountRule: Rule {
    static let description = RuleDescription(
        id: "global-admin-count", category: .overPrivilege, title: "Global Administrator count out of range",
        subject: "tenant", requiredInputs: [.assignments], baseLikelihood: 3, baseImpact: 5,
        rationale:
            "A Global Administrator controls the whole tenant and can elevate to every Azure subscription: too many "
            + "widen the attack surface, fewer than two leave no spare when one account is lost.",
        condition:
            "The number of distinct principals holding Global Administrator (directory role template "
            + "62e90394-…, or the name) through an active assignment, directly or through role-assignable groups, "
            + "leaving out disabled and orphaned accounts, is below `min_global_admins` or above "
            + "`max_global_admins`. Not evaluated when the inputs hold no Entra directory-role assignment.",
        remediation:
            "Keep two to four Global Administrators (two of them cloud-only break-glass accounts); move other "
            + "administrators to least-privileged directory roles and make them eligible through PIM.",
        controls: [
            "CIS-Azure 5.26", "NIST 800-53 AC-6(5)", "NIST 800-53 AC-2(7)", "ISO 27001 A.8.2", "SOC2 CC6.3",
            "PCI 7.2.2",
        ],
        anchors: [
            "CIS Azure 5.26 Fewer than 5 users have the global administrator assignment",
            "Prowler entra_global_admin_in_less_than_five_users", "PIM alert TooManyGlobalAdminsAssignedToTenantAlert",
            "CISA MS.AAD.7.1",
        ],
        thresholds: [
            RuleThreshold("min_global_admins", default: 2, "Fewest Global Administrators"),
            RuleThreshold("max_global_admins", default: 4, "Most Global Administrators"),
        ],
        triggering: [
            RuleExample("five Global Administrators, one through a group", expect: ["tenant"]) { m in
                for u in ["a", "b", "c", "d", "e"] { m.addUser(u) }
                for u in ["a", "b", "c", "d"] { m.assign(u, role: .globalAdministrator, scope: ExampleScope.directory) }
                m.addGroup("ga-group", members: ["e"])
                m.assign("ga-group", .group, role: .globalAdministrator, scope: ExampleScope.directory)
            },
            RuleExample("a single Global Administrator", expect: ["tenant"]) { m in
                m.addUser("a")
                m.assign("a", role: .globalAdministrator, scope: ExampleScope.directory)
            },
        ],
        nonTriggering: [
            RuleExample("four Global Administrators (at the maximum) plus a disabled one and an eligible one") { m in
                for u in ["a", "b", "c", "d", "e"] { m.addUser(u) }
                m.addUser("off", enabled: false)
                for u in ["a", "b", "c", "d", "off"] {
                    m.assign(u, role: .globalAdministrator, scope: ExampleScope.directory)
                }
                m.assign("e", role: .globalAdministrator, scope: ExampleScope.directory, eligible: true)
            },
            RuleExample("two Global Administrators (at the minimum)") { m in
                m.addUser("a")
                m.addUser("b")
                m.assign("a", role: .globalAdministrator, scope: ExampleScope.directory)
                m.assign("b", role: .globalAdministrator, scope: ExampleScope.directory)
            },
        ])

    static func notEvaluatedReason(_ model: AccessModel) -> String? {
        model.assignments.contains { $0.scope.level == .directory }
            ? nil : "no Entra directory-role assignment in the assignments inputs"
    }

    static func isGlobalAdministrator(_ a: Assignment) -> Bool {
        if let id = a.roleId { return id == BuiltInRoleCatalogue.Known.globalAdministrator }
        let name = a.roleName.lowercased()
        return name == "global administrator" || name == "company administrator"
    }

    func evaluate(_ context: RuleContext) -> [Finding] {
        let analysis = context.analysis
        // Which assignments count, decided once each (the role once per role key), before the grants are walked.
        let assignments = context.model.assignments
        let administrator = analysis.perRole(Self.isGlobalAdministrator)
        let counts = assignments.indices.map { i -> Bool in
            guard administrator[i], assignments[i].assignmentType == .active else { return false }
            if let end = assignments[i].endOn, end < context.asOf { return false }
            return true
        }
        var holders: [String: EffectiveGrant] = [:]
        let grants = analysis.effectiveGrants
        for g in grants.indices where counts[grants.assignmentIndex(at: g)] {
            let grant = grants[g]
            guard !analysis.isDisabled(grant.principalId), !analysis.isOrphaned(grant) else { continue }
            holders[grant.principalId] = holders[grant.principalId] ?? grant
        }
        let low = context.threshold("min_global_admins")
        let high = context.threshold("max_global_admins")
        guard holders.count < low || holders.count > high else { return [] }
        let names = holders.keys.sorted().map {
            context.displayName(of: $0) + " (" + context.groupEvidence(holders[$0]!) + ")"
        }
        let keys = Set(holders.values.map { context.model.assignments[$0.assignmentIndex].grantKey }).sorted()
        let d = Self.description
        return [
            Finding(
                ruleId: d.id, category: d.category, title: d.title, subjectKey: "tenant", role: "Global Administrator",
                roleId: BuiltInRoleCatalogue.Known.globalAdministrator, scope: "/directory", scopeLevel: .directory,
                evidence: "\(holders.count) Global Administrator\(holders.count == 1 ? "" : "s") "
                    + "(expected \(low) to \(high))" + (names.isEmpty ? "" : ": " + names.joined(separator: ", ")),
                grantKeys: keys, facts: ScoringFacts(scopeLevel: .directory, privilegedRole: true),
                baseLikelihood: d.baseLikelihood, baseImpact: d.baseImpact, controls: d.controls)
        ]
    }
}
