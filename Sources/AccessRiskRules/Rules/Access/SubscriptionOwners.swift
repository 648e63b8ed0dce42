import AccessRiskModel

/// Who can act as Owner of a subscription (SPEC §4 "Owner counts"): distinct principals holding the built-in Owner
/// role (by GUID) in force at a scope covering the subscription, directly or through groups (expanded, the group
/// itself not counted), leaving out disabled and orphaned principals.
struct SubscriptionOwners {
    var subscriptionId: String
    /// Owner principal id → how it holds Owner (first grant in order).
    var owners: [String: EffectiveGrant] = [:]
    /// Owner-holding groups whose membership is not in the inputs.
    var unexpandedGroups: [String] = []
    var grantKeys: [String] = []
    var left: [String] = []

    init(subscriptionId: String, context: RuleContext) {
        self.subscriptionId = subscriptionId
        let analysis = context.analysis
        let scope = Scope("/subscriptions/" + subscriptionId)
        var keys: Set<String> = []
        var leftOut: Set<String> = []
        for i in analysis.assignmentIndices(covering: scope) {
            guard analysis.isBuiltIn(assignmentAt: i, BuiltInRoleCatalogue.Known.owner),
                context.model.assignments[i].assignmentType == .active
            else { continue }
            let a = context.model.assignments[i]
            if let end = a.endOn, end < context.asOf { continue }
            keys.insert(a.grantKey)
            let grants = analysis.grants(ofAssignment: i)
            if analysis.isGroup(a.principalId) && grants.isEmpty && analysis.directMembers[a.principalId] == nil {
                unexpandedGroups.append(a.principalId)
            }
            for grant in grants where owners[grant.principalId] == nil {
                if analysis.isDisabled(grant.principalId) || analysis.isOrphaned(grant) {
                    leftOut.insert(grant.principalId)
                    continue
                }
                owners[grant.principalId] = grant
            }
        }
        // A member also reached through a group whose grant was kept for another assignment still counts once.
        for id in owners.keys { leftOut.remove(id) }
        grantKeys = keys.sorted()
        left = leftOut.sorted()
    }

    var count: Int { owners.count }

    /// "3 owners: Alice (directly), Bob (through group Admins), …".
    func evidence(_ context: RuleContext) -> String {
        let names = owners.keys.sorted().map { id in
            context.displayName(of: id) + " (" + context.groupEvidence(owners[id]!) + ")"
        }
        var text = "\(count) owner\(count == 1 ? "" : "s") of subscription \(subscriptionId)"
        text += names.isEmpty ? "" : ": " + names.joined(separator: ", ")
        if !left.isEmpty {
            text +=
                "; not counted (disabled or orphaned): "
                + left.map { context.displayName(of: $0) }.joined(separator: ", ")
        }
        if !unexpandedGroups.isEmpty {
            text +=
                "; groups holding Owner without membership in the inputs: "
                + unexpandedGroups.sorted().map { context.displayName(of: $0) }.joined(separator: ", ")
        }
        return text
    }
}
