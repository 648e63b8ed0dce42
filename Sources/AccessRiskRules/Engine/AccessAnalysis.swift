import AccessRiskModel

/// A principal holding an assignment, directly or through groups (SPEC §3.4).
public struct EffectiveGrant: Sendable, Hashable {
    /// The index of the assignment in `model.assignments`.
    public var assignmentIndex: Int
    /// The principal who holds it: the assignment's principal when direct, a (transitive) member otherwise.
    public var principalId: String
    /// The group chain from the assignment's group down to the member's direct group (empty when direct).
    public var viaGroups: [String]

    public init(assignmentIndex: Int, principalId: String, viaGroups: [String]) {
        self.assignmentIndex = assignmentIndex
        self.principalId = principalId
        self.viaGroups = viaGroups
    }

    public var isDirect: Bool { viaGroups.isEmpty }
}

/// Facts derived once from the model and shared by every rule: the scope hierarchy, role capabilities and
/// effective access through (nested, possibly cyclic) groups.
public final class AccessAnalysis: Sendable {
    public let model: AccessModel
    public let hierarchy: ScopeHierarchy
    /// Group id → direct member ids, sorted.
    public let directMembers: [String: [String]]

    public init(model: AccessModel) {
        self.model = model
        hierarchy = ScopeHierarchy(edges: model.hierarchy)
        var members: [String: [String]] = [:]
        for m in model.memberships { members[m.groupId, default: []].append(m.memberId) }
        for key in members.keys { members[key]!.sort() }
        directMembers = members
    }

    /// Every transitive member of a group that is not itself a group with members, each with the shortest group
    /// chain from `groupId` down to it. Cycles are tolerated.
    public func transitiveMembers(of groupId: String) -> [(memberId: String, chain: [String])] {
        var out: [(String, [String])] = []
        var seen: Set<String> = [groupId]
        var queue: [(String, [String])] = [(groupId, [groupId])]
        var head = 0
        while head < queue.count {
            let (group, chain) = queue[head]
            head += 1
            for member in directMembers[group] ?? [] where !seen.contains(member) {
                seen.insert(member)
                if directMembers[member] != nil || model.principals[member]?.type == .group {
                    queue.append((member, chain + [member]))
                } else {
                    out.append((member, chain))
                }
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }
}
