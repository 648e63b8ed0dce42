import AccessRiskModel

extension RuleContext {
    /// The subject key of an assignment finding (SPEC §6): principal object id, role GUID or lower-cased name,
    /// lower-cased scope. For group-held access the principal is the member (SPEC §4).
    public static func assignmentSubject(principalId: String, _ assignment: Assignment) -> String {
        principalId + "|" + assignment.roleKey + "|" + assignment.scope.key
    }

    /// A person-readable name for a principal id (display name, UPN, else the id).
    public func displayName(of principalId: String) -> String {
        model.principals[principalId]?.label ?? principalId
    }

    /// "through group G" or "through groups G1 → G2 (nested)", naming every path when there are several.
    public func groupEvidence(_ grant: EffectiveGrant) -> String {
        guard !grant.isDirect else { return "directly" }
        func path(_ chain: [String]) -> String { chain.map { displayName(of: $0) }.joined(separator: " → ") }
        var text = grant.viaGroups.count == 1 ? "through group " : "through nested groups "
        text += path(grant.viaGroups)
        let others = analysis.alsoVia(grant).filter { !$0.isEmpty }
        if !others.isEmpty { text += " (also through " + others.map(path).joined(separator: "; ") + ")" }
        return text
    }

    /// A finding about one principal holding one assignment, directly or through groups: the subject is the
    /// principal (the member for group-held access) with the assignment's role and scope, and the evidence names
    /// the group chain. `evidence` is the rule-specific sentence; the access itself is appended.
    public func finding(
        _ rule: RuleDescription, grant: EffectiveGrant, evidence: String,
        facts extra: (inout ScoringFacts) -> Void = { _ in }
    ) -> Finding {
        let holder = model.principals[grant.principalId].map(PrincipalFacts.init) ?? .absent
        var type = analysis.principalType(of: grant)
        if holder.inDirectory, holder.type != .unknown { type = holder.type }
        return build(
            rule, grant: grant, holder: holder, guest: analysis.isGuest(grant), type: type, evidence: evidence,
            extra: extra)
    }

    /// The same for the effective grant at `index` of ``AccessAnalysis/effectiveGrants`` (no lookups by id).
    public func finding(
        _ rule: RuleDescription, grantAt index: Int, evidence: String,
        facts extra: (inout ScoringFacts) -> Void = { _ in }
    ) -> Finding {
        build(
            rule, grant: analysis.effectiveGrants[index], holder: analysis.holder(ofGrant: index),
            guest: analysis.isGuest(grantAt: index), type: analysis.principalType(ofGrant: index), evidence: evidence,
            extra: extra)
    }

    private func build(
        _ rule: RuleDescription, grant: EffectiveGrant, holder: PrincipalFacts, guest: Bool, type: PrincipalType,
        evidence: String, extra: (inout ScoringFacts) -> Void
    ) -> Finding {
        let a = model.assignments[grant.assignmentIndex]
        let caps = analysis.capabilities(ofAssignment: grant.assignmentIndex)
        let (name, upn) = analysis.names(of: grant)
        var facts = ScoringFacts(
            guestOrExternal: guest, inactivity: holder.scoringInactivity(asOf: asOf, staleDays: settings.staleDays),
            mfaRegistered: holder.mfaRegistered, scopeLevel: a.scope.level,
            privilegedRole: caps.privileged || caps.canGrantAccess)
        extra(&facts)
        let who = name ?? upn ?? grant.principalId
        var access = who + " holds " + a.roleName + " at " + a.scope.original + " " + groupEvidence(grant)
        if a.assignmentType == .eligible { access += " (eligible)" }
        return Finding(
            ruleId: rule.id, category: rule.category, title: rule.title,
            subjectKey: Self.assignmentSubject(principalId: grant.principalId, a), principalId: grant.principalId,
            principalName: name, principalUPN: upn, principalType: type, role: a.roleName, roleId: a.roleId,
            scope: a.scope.original, scopeLevel: a.scope.level,
            evidence: evidence.isEmpty ? access + "." : evidence + "; " + access + ".",
            viaGroups: grant.viaGroups.reversed(), grantKeys: [a.grantKey], facts: facts,
            baseLikelihood: rule.baseLikelihood, baseImpact: rule.baseImpact, controls: rule.controls)
    }

    /// A finding about an assignment itself (its own principal, which may be a group).
    public func finding(
        _ rule: RuleDescription, assignmentIndex: Int, evidence: String,
        facts extra: (inout ScoringFacts) -> Void = { _ in }
    ) -> Finding {
        let a = model.assignments[assignmentIndex]
        let grant = EffectiveGrant(assignmentIndex: assignmentIndex, principalId: a.principalId, viaGroups: [])
        var f = finding(rule, grant: grant, evidence: evidence, facts: extra)
        f.principalType = model.principals[a.principalId]?.type ?? a.principalType
        return f
    }

    /// A finding about a subscription (owner counts, direct user assignments).
    public func subscriptionFinding(
        _ rule: RuleDescription, subscriptionId: String, evidence: String, grantKeys: [String] = [],
        facts: ScoringFacts = .init(scopeLevel: .subscription)
    ) -> Finding {
        Finding(
            ruleId: rule.id, category: rule.category, title: rule.title, subjectKey: subscriptionId,
            scope: "/subscriptions/" + subscriptionId, scopeLevel: .subscription,
            resource: "/subscriptions/" + subscriptionId, evidence: evidence, grantKeys: grantKeys, facts: facts,
            baseLikelihood: rule.baseLikelihood, baseImpact: rule.baseImpact, controls: rule.controls)
    }

    /// A finding about a role definition (custom-role rules); the subject is its GUID.
    public func roleFinding(_ rule: RuleDescription, role: RoleDefinition, evidence: String) -> Finding {
        let caps = role.computedCapabilities
        return Finding(
            ruleId: rule.id, category: rule.category, title: rule.title, subjectKey: role.id, role: role.name,
            roleId: role.id, evidence: evidence,
            facts: ScoringFacts(privilegedRole: caps.privileged || caps.canGrantAccess),
            baseLikelihood: rule.baseLikelihood, baseImpact: rule.baseImpact, controls: rule.controls)
    }

}
