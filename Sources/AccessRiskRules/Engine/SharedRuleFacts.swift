import AccessRiskModel
import Foundation

/// Facts several rules read, worked out once per run on first use and shared by the contexts of every rule.
///
/// Rules run on several threads: the first rule to ask for a fact computes it while the others wait, so nothing is
/// computed twice. The facts depend only on the model, the analysis and the classification of one run; the engine
/// makes one instance per run.
final class SharedRuleFacts: @unchecked Sendable {
    private let traits = OnceValue<[AssignmentTraits]>()
    private let lock = NSLock()
    private var resourcesByTier: [Int: OnceValue<[SensitiveResource]>] = [:]

    init() {}

    /// Per assignment of the model (same order), its scope level, its role's capabilities as flags and whether
    /// the export calls its principal a guest.
    func assignmentTraits(_ context: RuleContext) -> [AssignmentTraits] {
        traits.get { AssignmentTraits.all(context.model, context.analysis) }
    }

    /// Works the traits out now, on both cores, before the rules start: inside a rule they would take one core
    /// while the rules on the other core wait for them (work split inside a rule runs on that rule's thread).
    func prepareAssignmentTraits(_ model: AccessModel, _ analysis: AccessAnalysis) {
        _ = traits.get { AssignmentTraits.all(model, analysis) }
    }

    /// The resources holding assets at or above `minimumTier` (see ``DataReach/sensitiveResources(minimumTier:)``).
    func sensitiveResources(minimumTier: Int, _ make: () -> [SensitiveResource]) -> [SensitiveResource] {
        lock.lock()
        let cell: OnceValue<[SensitiveResource]>
        if let known = resourcesByTier[minimumTier] {
            cell = known
        } else {
            cell = OnceValue()
            resourcesByTier[minimumTier] = cell
        }
        lock.unlock()
        return cell.get(make)
    }
}

/// A value computed by the first caller; later callers wait for it and get the same value.
final class OnceValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?

    func get(_ make: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let made = make()
        value = made
        return made
    }
}

/// What the rules ask of every assignment, as plain values: reading them for each of millions of effective grants
/// costs no string, no reference count and no pointer chase to the scope (each assignment's scope is its own
/// object at the enterprise size).
struct AssignmentTraits: Sendable {
    var level: ScopeLevel
    var privileged: Bool
    var canGrantAccess: Bool
    var reachesData: Bool
    var credentialAccess: Bool
    /// The assignment export says its principal is a guest, or gives a `#EXT#` UPN.
    var exportGuest: Bool
    /// Whether a principals input lists the assignment's own principal, and with which type.
    var inDirectory: Bool
    var directoryType: PrincipalType

    /// Privileged or able to grant access.
    var privilegedOrGrants: Bool { privileged || canGrantAccess }
    /// The principal's type: the directory's, else the export's (`stated`).
    func principalType(stated: PrincipalType) -> PrincipalType { inDirectory ? directoryType : stated }

    static func all(_ model: AccessModel, _ analysis: AccessAnalysis) -> [AssignmentTraits] {
        // Every rule that needs the traits waits for them: each half of the assignments is worked out on a core.
        let assignments = model.assignments
        let n = assignments.count
        let halves = Parallel.map(2) { h in perAssignment(h == 0 ? 0..<n / 2 : n / 2..<n, assignments, analysis) }
        var out = halves[0]
        out += halves[1]
        // The directory's part, per principal with assignments: the analysis looked each up once already.
        analysis.forEachPrincipalsAssignments { slot, list in
            guard let facts = analysis.directoryFacts(ofPrincipalSlot: slot) else { return }
            for i in list {
                out[Int(i)].inDirectory = true
                out[Int(i)].directoryType = facts.type
            }
        }
        return out
    }

    /// The traits of the assignments in `range`, without the directory's part.
    static func perAssignment(_ range: Range<Int>, _ assignments: [Assignment], _ analysis: AccessAnalysis)
        -> [AssignmentTraits]
    {
        // Capabilities depend on the role only: read (with their set of providers) once per role.
        var byRole: [AssignmentTraits?] = []
        var out: [AssignmentTraits] = []
        out.reserveCapacity(range.count)
        // The scope's storage (read for its level) is a cache and TLB miss: asked for ahead.
        assignments.withUnsafeBufferPointer { buffer in
            for i in range {
                AssignmentPrefetch.scope(of: buffer, at: i + 16)
                let role = Int(analysis.roleNumber(ofAssignment: i))
                if role >= byRole.count {
                    byRole += [AssignmentTraits?](repeating: nil, count: role + 1 - byRole.count)
                }
                if byRole[role] == nil {
                    let caps = analysis.capabilities(ofAssignment: i)
                    byRole[role] = AssignmentTraits(
                        level: .other, privileged: caps.privileged, canGrantAccess: caps.canGrantAccess,
                        reachesData: caps.reachesData, credentialAccess: caps.credentialAccess, exportGuest: false,
                        inDirectory: false, directoryType: .unknown)
                }
                var traits = byRole[role]!
                traits.level = assignments[i].scope.level
                traits.exportGuest =
                    assignments[i].principalIsGuest || AccessAnalysis.isExternalUPN(assignments[i].principalUPN)
                out.append(traits)
            }
        }
        return out
    }

}

extension RuleContext {
    /// ``AccessAnalysis/isGuest(grantAt:)`` with the export's word read from the assignments' traits.
    /// `grants` is ``AccessAnalysis/effectiveGrants``; the grant is read in place, not copied.
    func isGuest(grantAt g: Int, _ grants: EffectiveGrants, _ traits: [AssignmentTraits]) -> Bool {
        if analysis.holder(ofGrant: g).isGuest { return true }
        return traits[grants.assignmentIndex(at: g)].exportGuest && grants.isDirect(at: g)
    }
}
