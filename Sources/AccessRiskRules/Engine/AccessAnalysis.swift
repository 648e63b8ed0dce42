import AccessRiskModel

/// A principal holding an assignment, directly or through groups (SPEC §3.4). Other ways the same principal holds
/// the same role at the same scope are in ``AccessAnalysis/alsoVia(_:)``.
public struct EffectiveGrant: Sendable, Hashable {
    /// The principal who holds it: the assignment's principal when direct, a (transitive) member otherwise.
    public var principalId: String
    /// The group chain from the assignment's group down to the member's direct group (empty when direct).
    public var viaGroups: [String]
    private var storedAssignmentIndex: Int32

    /// The index of the assignment in `model.assignments`.
    public var assignmentIndex: Int {
        get { Int(storedAssignmentIndex) }
        set { storedAssignmentIndex = Int32(newValue) }
    }

    public init(assignmentIndex: Int, principalId: String, viaGroups: [String]) {
        self.principalId = principalId
        self.viaGroups = viaGroups
        storedAssignmentIndex = Int32(assignmentIndex)
    }

    public var isDirect: Bool { viaGroups.isEmpty }
}

/// The effective grants of an analysis, kept as numbers (12 bytes each) and made into ``EffectiveGrant`` values when
/// read. The enterprise profile has seven million: stored as values they took 224 MB, and building them retained a
/// principal id and a group chain each (half a second of reference counting, on the analysis's busiest thread).
/// A rule that passes over all of them reads ``assignmentIndex(at:)`` and ``isDirect(at:)``, which make no value.
public struct EffectiveGrants: RandomAccessCollection, Sendable {
    struct Entry: Sendable {
        var assignment: Int32
        /// The holder's number: an index into `principalIds`.
        var principal: Int32
        /// An index into `chains`; -1 for a direct grant.
        var chain: Int32
    }

    let entries: [Entry]
    let principalIds: [String]
    let chains: [[String]]

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }

    public subscript(position: Int) -> EffectiveGrant {
        let e = entries[position]
        return EffectiveGrant(
            assignmentIndex: Int(e.assignment), principalId: principalIds[Int(e.principal)],
            viaGroups: e.chain < 0 ? [] : chains[Int(e.chain)])
    }

    /// The index in `model.assignments` of the assignment the grant at `position` comes from.
    public func assignmentIndex(at position: Int) -> Int { Int(entries[position].assignment) }

    /// Whether the grant at `position` is held directly (not through a group).
    public func isDirect(at position: Int) -> Bool { entries[position].chain < 0 }

    /// The holder of the grant at `position`.
    public func principalId(at position: Int) -> String { principalIds[Int(entries[position].principal)] }
}

/// Lists of indices per slot in two flat arrays (compressed rows): a million one-element arrays, each its own
/// allocation, become two arrays of 32-bit integers.
struct IndexLists: Sendable {
    /// The list of slot `s` is `items[offsets[s]..<offsets[s + 1]]`.
    private let offsets: [Int32]
    private let items: [Int32]

    /// Groups the indices `0..<slotOfIndex.count` by their slot; each list ascends.
    init(slotOfIndex: [Int32], slotCount: Int) {
        var offsets = [Int32](repeating: 0, count: slotCount + 1)
        for slot in slotOfIndex { offsets[Int(slot) + 1] += 1 }
        for s in 0..<slotCount { offsets[s + 1] += offsets[s] }
        var next = offsets
        var items = [Int32](repeating: 0, count: slotOfIndex.count)
        for (index, slot) in slotOfIndex.enumerated() {
            items[Int(next[Int(slot)])] = Int32(index)
            next[Int(slot)] += 1
        }
        self.offsets = offsets
        self.items = items
    }

    subscript(slot: Int32) -> ArraySlice<Int32> { items[Int(offsets[Int(slot)])..<Int(offsets[Int(slot) + 1])] }

    var slotCount: Int { offsets.count - 1 }

    /// The list of a slot as `Int`s; empty for nil.
    func indices(_ slot: Int32?) -> [Int] { slot.map { self[$0].map(Int.init) } ?? [] }
}

/// How an account stands on activity at the as-of date (SPEC §4 "Stale", `never-used-account-access`).
public enum AccountActivity: Sendable, Hashable {
    /// `enabled` is false.
    case disabled
    /// Recorded last activity older than the stale threshold.
    case stale(daysInactive: Int)
    /// Sign-in data present, no sign-in ever recorded, created longer ago than the never-used threshold.
    case neverUsed(daysSinceCreated: Int)
    /// Recent activity, or too new to judge.
    case active
    /// Not in any directory input, or no sign-in data to judge from.
    case unknown

    /// Stale, never used or disabled (the "inactive account" of `inactive-account-reaches-sensitive-data`).
    public var isInactive: Bool {
        switch self {
        case .disabled, .stale, .neverUsed: true
        case .active, .unknown: false
        }
    }
}

/// What the directory says about a principal, as plain values (no strings), resolved once per principal so rules
/// iterating hundreds of thousands of grants never hash an id (see ``AccessAnalysis/holder(ofGrant:)``).
public struct PrincipalFacts: Sendable, Hashable {
    /// Whether any principals input lists the principal.
    public var inDirectory: Bool
    public var type: PrincipalType
    public var enabled: Bool?
    /// User type Guest or a `#EXT#` UPN.
    public var isGuest: Bool
    public var isPendingGuest: Bool
    public var lastActivity: Timestamp?
    public var createdOn: Timestamp?
    public var hasSignInData: Bool
    public var mfaRegistered: Bool?

    public init(_ p: Principal) {
        inDirectory = true
        type = p.type
        enabled = p.enabled
        isGuest = p.isGuest || AccessAnalysis.isExternalUPN(p.upn)
        isPendingGuest = p.isPendingGuest
        lastActivity = p.lastActivity
        createdOn = p.createdOn
        hasSignInData = p.hasSignInData
        mfaRegistered = p.mfaRegistered
    }

    init() {
        inDirectory = false
        type = .unknown
        isGuest = false
        isPendingGuest = false
        hasSignInData = false
    }

    /// A principal no directory input lists.
    public static let absent = PrincipalFacts()

    /// How the account stands on activity at `asOf` (see ``AccessAnalysis/activity(of:asOf:staleDays:neverUsedDays:)``).
    public func activity(asOf: Timestamp, staleDays: Int, neverUsedDays: Int = 30) -> AccountActivity {
        guard inDirectory else { return .unknown }
        if enabled == false { return .disabled }
        if let last = lastActivity {
            let days = last.days(until: asOf)
            return days > staleDays ? .stale(daysInactive: days) : .active
        }
        guard hasSignInData, let created = createdOn else { return .unknown }
        let age = created.days(until: asOf)
        return age > neverUsedDays ? .neverUsed(daysSinceCreated: age) : .active
    }

    /// The inactivity fact scoring adjusts on (SPEC §5).
    public func scoringInactivity(asOf: Timestamp, staleDays: Int) -> Inactivity {
        guard inDirectory else { return .active }
        guard let last = lastActivity else { return hasSignInData ? .neverUsed : .active }
        let days = last.days(until: asOf)
        if days > 2 * staleDays { return .beyondTwiceThreshold }
        return days > staleDays ? .beyondThreshold : .active
    }
}

/// Facts derived once from the model and shared by every rule: the scope hierarchy, role capabilities, group
/// expansion and effective access, each with the indexes the rules need so nothing is pairwise (SPEC §9).
///
/// Built once per run (``init(model:)``); immutable afterwards, so rules may read it from any thread.
public final class AccessAnalysis: Sendable {
    public let model: AccessModel
    public let hierarchy: ScopeHierarchy
    /// Role capabilities: the built-in catalogue and the role definitions of the inputs.
    public let roles: RoleResolver
    /// Group id → direct member ids, sorted.
    public let directMembers: [String: [String]]
    /// Member id → the member type the membership input stated (for members absent from the directory).
    public let memberTypes: [String: PrincipalType]
    /// Every (non-group) principal holding every assignment, directly or through nested groups; one grant per
    /// principal, role and scope (active before eligible, then direct before group-held).
    public let effectiveGrants: EffectiveGrants
    /// Every subscription id (lower-cased) the inputs mention (assignment scopes and the hierarchy), sorted.
    public let subscriptionIds: [String]

    /// Role key → its entry in `capabilityTable`.
    private let roleSlots: [String: Int32]
    /// Per assignment index, its role's index in `capabilityTable`.
    private let capabilityIndex: [Int32]
    private let capabilityTable: [RoleCapabilities]
    /// Per entry of `capabilityTable`, the GUID of the catalogue's built-in role when the role is one.
    private let builtInIdTable: [String?]
    private let closures: [String: GroupClosure]
    /// Every principal that holds an assignment or a grant → its slot in the lists below.
    private let principalSlots: CellTable<UInt32>
    private let grantsByPrincipal: IndexLists
    /// Per effective grant, the index of its holder in `holderFacts` (-1 when no directory input lists it).
    private let grantHolder: [Int32]
    private let holderFacts: [PrincipalFacts]
    /// Per principal slot (see `assignmentsByPrincipal`), the index of its facts in `holderFacts` (-1: not listed).
    private let factSlotOfPrincipal: [Int32]
    private let grantRangeByAssignment: [Range<Int>]
    private let assignmentsByPrincipal: IndexLists
    /// Scope key → slot in `assignmentsByScope`.
    private let scopeSlots: CellTable<Int32>
    private let assignmentsByScope: IndexLists
    /// Assignment index → principal → the other group chains (or `[]` for a second direct assignment) through
    /// which the principal holds the same role at the same scope, sorted. Only grants that have such paths.
    private let otherPaths: [Int32: [String: [[String]]]]

    /// A group's transitive members with their chains, computed once per group.
    ///
    /// Members are kept as numbers into `names`, an array every closure of one analysis shares: the enterprise
    /// profile's closures hold seven million members, which as strings were retained one by one on the worker
    /// and numbered again one by one on the main thread.
    struct GroupClosure: Sendable {
        /// Chains from the root group down to each nested group reached (index 0 is `[root]`).
        var chains: [[String]]
        /// Each member's index in `names`, sorted by member id.
        var memberNumbers: [Int32]
        /// Per member, the index into `chains` of its direct group.
        var memberChains: [Int32]
        /// The ids the numbers stand for.
        var names: [String]

        var memberCount: Int { memberNumbers.count }
    }

    public convenience init(model: AccessModel) { self.init(model: model, alongside: {}) }

    /// Builds the analysis and runs `alongside` on its worker thread once the group closures and the directory facts
    /// are done (the engine classifies the assets there, and waits for it): the main thread, which does most of the
    /// work, then never shares its core. `alongside` may still be running when this returns.
    ///
    /// The memberships' part of the group expansion is `memberships` when that was made from the model's
    /// memberships (``PreparedAnalysis``).
    init(model: AccessModel, memberships prepared: MembershipIndex? = nil, alongside: @escaping @Sendable () -> Void) {
        self.model = model
        hierarchy = ScopeHierarchy(edges: model.hierarchy)
        roles = RoleResolver(definitions: model.roleDefinitions)

        // One worker thread beside this one: it works out the closure of every group that holds an assignment while
        // the assignments are numbered here (neither reads what the other builds) and hands them over, makes the
        // direct-member and member-type tables, then, once the principals are numbered, looks the second half up
        // in the directory and lists the assignments by principal while the grants are built here (this thread
        // looks up the first half after them), then runs `alongside`.
        // The sort's numbering of the assignments' principals, when it is of these assignments: both threads take
        // it, or neither.
        let sorted = model.assignmentPrincipals.flatMap { $0.describes(model.assignments) ? $0 : nil }
        let groupsDone = Handoff<GroupExpansion>()
        let tablesDone = Handoff<(members: [String: [String]], types: [String: PrincipalType])>()
        let principalsNumbered = Handoff<(names: [String], ofAssignment: [Int32])>()
        let factsDone = Handoff<(facts: [PrincipalFacts], factSlot: [Int32], byPrincipal: IndexLists)>()
        // The facts come before `alongside`: the main thread waits for them at its end, and the engine needs what
        // `alongside` makes only after that (the other way round, the main thread sat idle for the facts).
        _ = BackgroundWork {
            do {
                let (expansion, index) = Self.groupExpansion(model, prepared: prepared, sorted: sorted)
                groupsDone.set(expansion)
                // The direct-member and member-type tables are made here while the main thread numbers the
                // closures' members (it needs them only at its end): the worker waited for that numbering idle.
                tablesDone.set(index.tables())
            }
            // What the closures freed here stays in this thread's arena otherwise (the main thread hands back only
            // what was free when the closures were done): handed back before the grants grow.
            SystemMemory.releaseFreed()
            let (names, ofAssignment) = principalsNumbered.value()
            let (facts, factSlot) = Self.directoryFacts(
                of: names, Self.factSplit(names.count)..<names.count, in: model.principals)
            factsDone.set((facts, factSlot, IndexLists(slotOfIndex: ofAssignment, slotCount: names.count)))
            alongside()
            SystemMemory.releaseFreed()
        }
        // Principal ids, role keys and scopes are numbered once: the per-grant work below hashes integers, not
        // strings, and the per-principal and per-scope lists are flat arrays of integers. Interned ids are numbered
        // by their bits (see ``StringNumbering``), without hashing or retaining them; scopes by their keys' bytes.
        let assignments = model.assignments
        var principalNumbering: StringNumbering
        let principalOfAssignment: [Int32]
        if let sorted {
            // The sort of the assignments numbered their principals already, in the order they first appear.
            principalNumbering = sorted.numbering
            principalOfAssignment = sorted.ofAssignment.map { Int32(bitPattern: $0) }
        } else {
            principalNumbering = StringNumbering(expecting: model.principals.count)
            principalOfAssignment = assignments.withUnsafeBufferPointer {
                principalNumbering.numbers(of: $0, \.principalId).map { Int32(bitPattern: $0) }
            }
        }
        var roleNumbering = StringNumbering()
        var table: [RoleCapabilities] = []
        var builtIns: [String?] = []
        var perAssignment: [Int32] = []
        perAssignment.reserveCapacity(assignments.count)
        // Scopes are looked up by key, under the hash each scope worked out as it was parsed (the shared seed): a
        // key is read only when a slot's hash bits agree, where hashing a million cold keys was most of this loop.
        // (A table by identity in front of it paid off only where the importer shares scope values, and cost a
        // million missed lookups, inserts and 24 MB where it does not.)
        var scopeIds = CellTable<Int32>(expecting: assignments.count, sharedSeed: true)
        var scopeOfAssignment: [Int32] = []
        scopeOfAssignment.reserveCapacity(assignments.count)
        // The assignments' subscription ids (interned by the importer) are numbered by their bits: a `Set` hashed a
        // million 36-byte ids with SipHash (0.08 s of this loop).
        var subscriptionNumbering = StringNumbering()
        // Indexed field access borrows each assignment; iterating by value copied all of its strings. The scopes
        // ahead are prefetched: each is a cache and TLB miss otherwise (see `AssignmentPrefetch`).
        let roles = self.roles
        assignments.withUnsafeBufferPointer { assignments in
            for i in assignments.indices {
                AssignmentPrefetch.scope(of: assignments, at: i + 16)
                AssignmentPrefetch.scopeKey(of: assignments, at: i + 8)
                if let ahead = AssignmentPrefetch.keyHash(of: assignments, at: i + 8) { scopeIds.prefetch(hash: ahead) }
                var isNew = false
                let role =
                    if let roleId = assignments[i].roleId {
                        roleNumbering.number(roleId, isNew: &isNew)
                    } else {
                        roleNumbering.numberByText(assignments[i].roleKey)
                    }
                if Int(role) == table.count {
                    table.append(roles.capabilities(of: assignments[i]))
                    builtIns.append(roles.catalogue.role(for: assignments[i])?.id)
                }
                perAssignment.append(Int32(role))
                let scopeKey = assignments[i].scope.key
                let hash = assignments[i].scope.keyHash
                let s: Int32
                if let known = scopeIds.find(scopeKey, hash: hash) {
                    s = scopeIds.value(at: known)
                } else {
                    s = Int32(scopeIds.count)
                    scopeIds.insert(key: scopeKey, value: s, hash: hash)
                    if let sub = assignments[i].scope.subscriptionId { _ = subscriptionNumbering.number(sub) }
                }
                scopeOfAssignment.append(s)
            }
        }
        for edge in model.hierarchy {
            for scope in [edge.scope, edge.parent] where scope.level == .subscription {
                if let s = scope.subscriptionId { _ = subscriptionNumbering.number(s) }
            }
        }
        roleSlots = roleNumbering.dictionary.mapValues { Int32($0) }
        capabilityIndex = perAssignment
        capabilityTable = table
        builtInIdTable = builtIns
        let byScope = IndexLists(slotOfIndex: scopeOfAssignment, slotCount: scopeIds.count)
        assignmentsByScope = byScope
        scopeSlots = scopeIds
        subscriptionIds = subscriptionNumbering.distinct.sorted()

        // Expand every group that holds an assignment, once (done by `worker`); its members are numbered here,
        // after the assignments' principals, group by group in the order the groups first hold an assignment.
        let handed = groupsDone.value()
        let expanded = handed.closures
        // Its tables were freed on the worker thread, in memory glibc keeps there: handed back before the grants.
        SystemMemory.releaseFreed()
        var closureMemo: [String: GroupClosure] = [:]
        closureMemo.reserveCapacity(expanded.count)
        // Per principal number, the index of its closure in `closureList` (-1: not an expanded group).
        var closureOfPrincipal = [Int32](repeating: -1, count: principalNumbering.count)
        var closureList: [(closure: GroupClosure, ids: [Int32], chainBase: Int32)] = []
        closureList.reserveCapacity(expanded.count)
        // Every closure's chains in one table: a grant through groups keeps the index of its chain there.
        var chainTable: [[String]] = []
        // The worker's numbers of the members as numbers here, each looked up once (in the order the members are
        // met, so the numbering is the one a lookup per member gives). The assignments' principals are known already
        // when both threads took the sort's numbering: only the other members are looked up.
        var translated = handed.sortNumbers ?? [Int32](repeating: -1, count: expanded.first?.1.names.count ?? 0)
        for (k, (principal, closure)) in expanded.enumerated() {
            closureMemo[principal] = closure
            let ids = closure.memberNumbers.map { m -> Int32 in
                let m = Int(m)
                if translated[m] < 0 {
                    translated[m] = Int32(bitPattern: principalNumbering.number(closure.names[m]))
                }
                return translated[m]
            }
            let root = Int(handed.roots[k])
            if translated[root] < 0 { translated[root] = Int32(bitPattern: principalNumbering.number(principal)) }
            let p = Int(translated[root])
            if p >= closureOfPrincipal.count {
                closureOfPrincipal += [Int32](repeating: -1, count: p + 1 - closureOfPrincipal.count)
            }
            closureOfPrincipal[p] = Int32(closureList.count)
            closureList.append((closure, ids, Int32(chainTable.count)))
            chainTable += closure.chains
        }
        closures = closureMemo
        let principalNames = principalNumbering.distinct
        principalsNumbered.set((principalNames, principalOfAssignment))

        // Only assignments that share their role and scope with another can give one principal the same grant
        // twice: the de-duplication below looks only at those (a few hundred in the enterprise profile's million).
        var sharesRoleScope = [Bool](repeating: false, count: assignments.count)
        for s in 0..<Int32(scopeIds.count) {
            let list = byScope[s]
            guard list.count > 1 else { continue }
            var firstByRole: [Int32: Int32] = [:]
            for i in list {
                if let first = firstByRole[perAssignment[Int(i)]] {
                    sharesRoleScope[Int(first)] = true
                    sharesRoleScope[Int(i)] = true
                } else {
                    firstByRole[perAssignment[Int(i)]] = i
                }
            }
        }

        // Effective grants: active before eligible, then direct before group-held, so the grant kept for a
        // (principal, role, scope) is the one in force and most direct; the others are recorded in `otherPaths`.
        // Four passes over the assignments instead of a sort: (active, direct), (active, group), (eligible, …).
        var rank: [UInt8] = []
        rank.reserveCapacity(model.assignments.count)
        var expected = 0
        for i in assignments.indices {
            let c = closureOfPrincipal[Int(principalOfAssignment[i])]
            expected += c < 0 ? 1 : closureList[Int(c)].ids.count
            rank.append((assignments[i].assignmentType == .eligible ? 2 : 0) + (c < 0 ? 0 : 1))
        }
        var order: [Int] = []
        order.reserveCapacity(model.assignments.count)
        for pass in UInt8(0)..<4 { for (i, r) in rank.enumerated() where r == pass { order.append(i) } }

        struct Identity: Hashable {
            var principal: Int32
            var scope: Int32
            var role: Int32
        }
        var grants: [EffectiveGrants.Entry] = []
        grants.reserveCapacity(expected)
        var seen: [Identity: Int] = [:]
        var also: [Int: [[String]]] = [:]
        var ranges = [Range<Int>](repeating: 0..<0, count: model.assignments.count)
        for i in order {
            let start = grants.count
            let shared = sharesRoleScope[i]
            let assignment = Int32(i)
            func add(_ pid: Int32, _ chain: Int32) {
                if shared {
                    let identity = Identity(principal: pid, scope: scopeOfAssignment[i], role: perAssignment[i])
                    if let existing = seen[identity] {
                        also[existing, default: []].append(chain < 0 ? [] : chainTable[Int(chain)])
                        return
                    }
                    seen[identity] = grants.count
                }
                grants.append(EffectiveGrants.Entry(assignment: assignment, principal: pid, chain: chain))
            }
            let c = closureOfPrincipal[Int(principalOfAssignment[i])]
            if c >= 0 {
                // Read in place: a copy of the entry would retain its closure's arrays.
                closureList.withUnsafeBufferPointer { list in
                    let entry = list.baseAddress! + Int(c)
                    let base = entry.pointee.chainBase
                    entry.pointee.ids.withUnsafeBufferPointer { ids in
                        entry.pointee.closure.memberChains.withUnsafeBufferPointer { chains in
                            for k in chains.indices { add(ids[k], base + chains[k]) }
                        }
                    }
                }
            } else {
                add(principalOfAssignment[i], -1)
            }
            ranges[i] = start..<grants.count
        }
        var paths: [Int32: [String: [[String]]]] = [:]
        for (g, chains) in also {
            paths[grants[g].assignment, default: [:]][principalNames[Int(grants[g].principal)]] = chains.sorted {
                $0.lexicographicallyPrecedes($1)
            }
        }
        otherPaths = paths
        // Lists by principal, over every principal numbered (group members included).
        var grantPrincipals = grants.map(\.principal)
        grantsByPrincipal = IndexLists(slotOfIndex: grantPrincipals, slotCount: principalNames.count)
        // The directory facts of the first part of the principals, looked up here once the grants are built (this
        // thread waited for the worker's otherwise), and the worker's of the rest, done beside the grants.
        let (firstFacts, firstSlots) = Self.directoryFacts(
            of: principalNames, 0..<Self.factSplit(principalNames.count), in: model.principals)
        let (restFacts, restSlots, byPrincipal) = factsDone.value()
        let facts = firstFacts + restFacts
        let factSlot = firstSlots + restSlots.map { $0 < 0 ? -1 : $0 + Int32(firstFacts.count) }
        assignmentsByPrincipal = byPrincipal
        // Each grant's principal number becomes its holder's facts index in place: a second array of seven million
        // would be the run's peak of memory.
        for g in grantPrincipals.indices { grantPrincipals[g] = factSlot[Int(grantPrincipals[g])] }
        grantHolder = grantPrincipals
        holderFacts = facts
        factSlotOfPrincipal = factSlot
        let tables = tablesDone.value()
        directMembers = tables.members
        memberTypes = tables.types
        effectiveGrants = EffectiveGrants(entries: grants, principalIds: principalNames, chains: chainTable)
        principalSlots = principalNumbering.table
        grantRangeByAssignment = ranges
    }

    /// What the directory says about each numbered principal of `range`: the facts of those it lists, in number
    /// order, and per number of the range the index of its facts (-1 when no directory input lists it).
    static func directoryFacts(
        of names: [String], _ range: Range<Int>, in principals: [String: Principal]
    ) -> (facts: [PrincipalFacts], slot: [Int32]) {
        var facts: [PrincipalFacts] = []
        var slot = [Int32](repeating: -1, count: range.count)
        for n in range {
            if let p = principals[names[n]] {
                slot[n - range.lowerBound] = Int32(facts.count)
                facts.append(PrincipalFacts(p))
            }
        }
        return (facts, slot)
    }

    /// Where the principals whose facts the main thread looks up end and the worker's begin: the halves take about
    /// as long, and the two threads reach them at about the same time.
    static func factSplit(_ count: Int) -> Int { count / 2 }

    /// The group closures, as the worker hands them to the main thread.
    struct GroupExpansion: Sendable {
        var closures: [(String, GroupClosure)]
        /// Per closure, its group's number among the ids (`closures[k].1.names`).
        var roots: [Int32]
        /// Per number among the ids, the number the sort of the assignments gave it (-1: no assignment holds it),
        /// when the assignments' principals were numbered by it.
        var sortNumbers: [Int32]?
    }

    /// The closure of every group that holds an assignment, in the order the groups first appear among the
    /// assignments, with the memberships' index they were worked out from (its tables are made after them). The
    /// index is `prepared` when that was made from the model's memberships, else made here; the assignments'
    /// principals are numbered as `sorted` numbered them when given (the sort's numbering of these assignments).
    static func groupExpansion(
        _ model: AccessModel, prepared: MembershipIndex? = nil, sorted: AssignmentPrincipals? = nil
    ) -> (GroupExpansion, MembershipIndex) {
        // Worked out on numbers: every group and member id, then every assignment's principal, is numbered once (by
        // its bits, see ``StringNumbering``); the expansion then hashes no strings. A million memberships and the
        // seven million members the enterprise profile's groups reach made hashing ids most of this work.
        let index =
            if let prepared, prepared.isIndex(of: model.memberships) {
                prepared
            } else {
                MembershipIndex(model.memberships)
            }
        let assignments = model.assignments
        // The assignments' principals are numbered after the memberships' ids, which keep their numbers.
        var ids = index.ids
        let principalOf: [UInt32]
        var sortNumbers: [Int32]?
        if let sorted {
            // Numbered in the order they first appear, as the sort numbered them: each distinct id once.
            let number = sorted.names.map { ids.number($0) }
            principalOf = sorted.ofAssignment.map { number[Int($0)] }
            var known = [Int32](repeating: -1, count: ids.count)
            for (rank, n) in number.enumerated() { known[Int(n)] = Int32(rank) }
            sortNumbers = known
        } else {
            principalOf = assignments.withUnsafeBufferPointer { ids.numbers(of: $0, \.principalId) }
        }
        let names = ids.distinct
        let count = names.count
        // Only the memberships' ids have members or a stated member type.
        let listed = index.adjacency.count
        let adjacency = index.adjacency
        let rank = index.rank
        // The directory's groups, looked up on bytes: few or none (an Entra export of users and service principals
        // lists none), where hashing every id into the directory was a quarter of this work.
        var directoryGroups = CellTable<Void>()
        for (key, principal) in model.principals where principal.type == .group { _ = directoryGroups.intern(key) }
        let isGroup = (0..<count).map { n in
            (n < listed && (!adjacency[n].isEmpty || index.typeOf[n] == .group))
                || (directoryGroups.count > 0 && directoryGroups.find(names[n]).entry != nil)
        }
        var closures: [(String, GroupClosure)] = []
        var roots: [Int32] = []
        var expanded = [Bool](repeating: false, count: count)
        // The closure's own bookkeeping, shared by every expansion: the stamp of the expansion that last saw an id.
        var seen = [Int32](repeating: -1, count: count)
        for i in assignments.indices {
            let p = Int(principalOf[i])
            guard !expanded[p], assignments[i].principalType == .group || isGroup[p] else { continue }
            expanded[p] = true
            let stamp = Int32(closures.count)
            var chains: [[Int32]] = [[Int32(p)]]
            var out: [(member: Int32, chain: Int)] = []
            seen[p] = stamp
            var queue: [(Int32, Int)] = [(Int32(p), 0)]
            var head = 0
            while head < queue.count {
                let (group, chainIndex) = queue[head]
                head += 1
                guard Int(group) < listed else { continue }
                for member in adjacency[Int(group)] where seen[Int(member)] != stamp {
                    seen[Int(member)] = stamp
                    if isGroup[Int(member)] {
                        chains.append(chains[chainIndex] + [member])
                        queue.append((member, chains.count - 1))
                    } else {
                        out.append((member, chainIndex))
                    }
                }
            }
            // Members are memberships' ids, all ranked.
            out.sort { rank[Int($0.member)] < rank[Int($1.member)] }
            roots.append(Int32(p))
            closures.append(
                (
                    names[p],
                    GroupClosure(
                        chains: chains.map { $0.map { names[Int($0)] } }, memberNumbers: out.map(\.member),
                        memberChains: out.map { Int32($0.chain) }, names: names)
                ))
        }
        return (GroupExpansion(closures: closures, roots: roots, sortNumbers: sortNumbers), index)
    }

    /// Breadth-first expansion from `root`: shortest chains, cycles cut, nested groups not listed as members.
    static func closure(
        of root: String, members: [String: [String]], isGroup: (String) -> Bool
    ) -> GroupClosure {
        var chains: [[String]] = [[root]]
        var out: [(String, Int)] = []
        var seen: Set<String> = [root]
        var queue: [(String, Int)] = [(root, 0)]
        var head = 0
        while head < queue.count {
            let (group, chainIndex) = queue[head]
            head += 1
            for member in members[group] ?? [] where !seen.contains(member) {
                seen.insert(member)
                if isGroup(member) {
                    chains.append(chains[chainIndex] + [member])
                    queue.append((member, chains.count - 1))
                } else {
                    out.append((member, chainIndex))
                }
            }
        }
        out.sort { $0.0 < $1.0 }
        return GroupClosure(
            chains: chains, memberNumbers: out.indices.map { Int32($0) }, memberChains: out.map { Int32($0.1) },
            names: out.map(\.0))
    }

    // MARK: Groups

    /// Whether the id is a group: it has members, the directory says so, or a membership input says so.
    public func isGroup(_ id: String) -> Bool {
        directMembers[id] != nil || model.principals[id]?.type == .group || memberTypes[id] == .group
    }

    /// Every transitive member of a group that is not itself a group, each with the shortest group chain from
    /// `groupId` (first) down to the member's direct group (last). Cycles are tolerated. Sorted by member id.
    public func transitiveMembers(of groupId: String) -> [(memberId: String, chain: [String])] {
        let closure =
            closures[groupId] ?? Self.closure(of: groupId, members: directMembers, isGroup: { self.isGroup($0) })
        return closure.memberNumbers.indices.map { k in
            (closure.names[Int(closure.memberNumbers[k])], closure.chains[Int(closure.memberChains[k])])
        }
    }

    /// The number of transitive (non-group) members of a group.
    public func transitiveMemberCount(of groupId: String) -> Int {
        if let closure = closures[groupId] { return closure.memberCount }
        return transitiveMembers(of: groupId).count
    }

    // MARK: Roles

    /// What the assignment's role allows (SPEC §3.3), cached by role key.
    public func capabilities(of assignment: Assignment) -> RoleCapabilities {
        roleSlots[assignment.roleKey].map { capabilityTable[Int($0)] } ?? roles.capabilities(of: assignment)
    }

    /// What the role of the assignment at this index of `model.assignments` allows (no lookup by key).
    public func capabilities(ofAssignment index: Int) -> RoleCapabilities {
        capabilityTable[Int(capabilityIndex[index])]
    }

    /// Whether the role of the assignment at this index is the built-in role with this GUID (no lookup by key).
    public func isBuiltIn(assignmentAt index: Int, _ guid: String) -> Bool {
        builtInIdTable[Int(capabilityIndex[index])] == guid
    }

    /// Whether the assignment's role is the built-in role with this GUID (by id, or by name when it has no id).
    public func isBuiltIn(_ assignment: Assignment, _ guid: String) -> Bool {
        roles.catalogue.role(for: assignment)?.id == guid
    }

    // MARK: Indexes

    /// The effective grants of a principal (indices into ``effectiveGrants`` resolved).
    public func grants(of principalId: String) -> [EffectiveGrant] {
        guard let slot = principalSlots[principalId].map({ Int32(bitPattern: $0) }) else { return [] }
        return grantsByPrincipal[slot].map { effectiveGrants[Int($0)] }
    }

    /// The other group chains (or `[]` for a second direct assignment) through which the grant's principal holds
    /// the same role at the same scope, sorted; empty when the grant is the only way.
    public func alsoVia(_ grant: EffectiveGrant) -> [[String]] {
        otherPaths[Int32(grant.assignmentIndex)]?[grant.principalId] ?? []
    }

    /// The effective grants that come from one assignment (those kept after de-duplication).
    public func grants(ofAssignment index: Int) -> [EffectiveGrant] {
        Array(effectiveGrants[grantRangeByAssignment[index]])
    }

    /// Indices of the assignments made directly to a principal (or group).
    public func assignmentIndices(of principalId: String) -> [Int] {
        assignmentsByPrincipal.indices(principalSlots[principalId].map({ Int32(bitPattern: $0) }))
    }

    /// The assignments made directly to each principal (or group), ascending, one list per principal that holds
    /// any (no strings hashed: the lists are the analysis's own).
    func forEachPrincipalsAssignments(_ body: (ArraySlice<Int32>) -> Void) {
        forEachPrincipalsAssignments { _, list in body(list) }
    }

    /// ``forEachPrincipalsAssignments(_:)``, each list with its principal's slot (for ``directoryFacts(ofPrincipalSlot:)``).
    func forEachPrincipalsAssignments(_ body: (Int32, ArraySlice<Int32>) -> Void) {
        for slot in 0..<Int32(assignmentsByPrincipal.slotCount) {
            let list = assignmentsByPrincipal[slot]
            if !list.isEmpty { body(slot, list) }
        }
    }

    /// What the directory says about the principal of a slot of ``forEachPrincipalsAssignments(_:)``; nil when no
    /// directory input lists it (looked up once, while the analysis was built).
    func directoryFacts(ofPrincipalSlot slot: Int32) -> PrincipalFacts? {
        let f = factSlotOfPrincipal[Int(slot)]
        return f < 0 ? nil : holderFacts[Int(f)]
    }

    /// A number for the assignment's role, equal for assignments whose roles have the same key (GUID, else name).
    func roleNumber(ofAssignment index: Int) -> Int32 { capabilityIndex[index] }

    /// A fact that depends only on an assignment's role key (GUID, else name), worked out once per role from its
    /// first assignment: one value per assignment, indexed like `model.assignments`.
    public func perRole<T>(_ fact: (Assignment) -> T) -> [T] {
        var byRole = [T?](repeating: nil, count: capabilityTable.count)
        let assignments = model.assignments
        return assignments.indices.map { i in
            let role = Int(capabilityIndex[i])
            if let known = byRole[role] { return known }
            let value = fact(assignments[i])
            byRole[role] = value
            return value
        }
    }

    /// Which of `grantKeys` an assignment of the model has (``Assignment/grantKey``), and for each the ARM id of the
    /// first such assignment (in model order) that has an id.
    ///
    /// A grant key starts with its principal id, so only that principal's assignments are compared: every prefix
    /// before a `|` is tried (an id may hold one), and each principal's list is in model order. A pass over every
    /// assignment built a key string per assignment.
    public func lookUpGrants(_ grantKeys: Set<String>) -> (ids: [String: String], present: Set<String>) {
        var ids: [String: String] = [:]
        var present: Set<String> = []
        let assignments = model.assignments
        for key in grantKeys {
            var candidates: [Int] = []
            for bar in key.utf8.indices where key.utf8[bar] == UInt8(ascii: "|") {
                candidates += assignmentIndices(of: String(key[..<bar]))
            }
            for i in candidates.sorted() where assignments[i].grantKey == key {
                present.insert(key)
                if let id = assignments[i].id {
                    ids[key] = id
                    break
                }
            }
        }
        return (ids, present)
    }

    /// Indices of the assignments made at exactly this scope.
    public func assignmentIndices(at scope: Scope) -> [Int] { assignmentsByScope.indices(scopeSlots[scope.key]) }

    /// Indices of the assignments at the scope with this key, ascending (no array made).
    func assignmentIndices(atKey key: String) -> ArraySlice<Int32> {
        guard let slot = scopeSlots[key] else { return [] }
        return assignmentsByScope[slot]
    }

    /// The keys of every scope that covers `scope` (itself included): its path ancestors, the management groups
    /// above its subscription (through the hierarchy) and root (SPEC §3.2). Directory scopes cover only themselves.
    public func coveringScopeKeys(of scope: Scope) -> [String] {
        if scope.level == .directory || scope.level == .other { return [scope.key] }
        var keys: [String] = []
        if scope.level != .root {
            // Path ancestors: every prefix ending before a `/`, plus the scope itself.
            let bytes = Array(scope.key.utf8)
            var i = 1
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "/") { keys.append(String(decoding: bytes[0..<i], as: UTF8.self)) }
                i += 1
            }
            keys.append(scope.key)
            keys += hierarchy.ancestors(of: scope)
        }
        keys.append("/")
        return keys
    }

    /// Indices of the assignments at any scope covering `scope` (SPEC §3.2), without pairwise comparison.
    public func assignmentIndices(covering scope: Scope) -> [Int] {
        var out: [Int] = []
        for key in coveringScopeKeys(of: scope) {
            if let slot = scopeSlots[key] { out += assignmentsByScope[slot].lazy.map(Int.init) }
        }
        return out
    }

    /// The effective grants of every assignment at a scope covering `scope`: who reaches it (SPEC §3.4).
    public func effectiveGrants(covering scope: Scope) -> [EffectiveGrant] {
        var out: [EffectiveGrant] = []
        for i in assignmentIndices(covering: scope) { out += effectiveGrants[grantRangeByAssignment[i]] }
        return out
    }

    // MARK: Principals

    /// What the directory says about the holder of the effective grant at this index (no lookup by id).
    public func holder(ofGrant index: Int) -> PrincipalFacts {
        let slot = grantHolder[index]
        return slot < 0 ? .absent : holderFacts[Int(slot)]
    }

    /// The holder's type, by grant index: the directory's, else the membership input's, else the assignment's.
    public func principalType(ofGrant index: Int) -> PrincipalType {
        let facts = holder(ofGrant: index)
        if facts.inDirectory, facts.type != .unknown { return facts.type }
        return principalType(of: effectiveGrants[index])
    }

    /// Whether the holder of the grant at this index is a guest (see ``isGuest(_:)``).
    public func isGuest(grantAt index: Int) -> Bool {
        if holder(ofGrant: index).isGuest { return true }
        guard effectiveGrants.isDirect(at: index) else { return false }
        let i = effectiveGrants.assignmentIndex(at: index)
        return model.assignments[i].principalIsGuest || Self.isExternalUPN(model.assignments[i].principalUPN)
    }

    /// The principal's type: the directory's, else the membership input's, else the assignment export's.
    public func principalType(of grant: EffectiveGrant) -> PrincipalType {
        if let p = model.principals[grant.principalId], p.type != .unknown { return p.type }
        if let t = memberTypes[grant.principalId] { return t }
        return grant.isDirect ? model.assignments[grant.assignmentIndex].principalType : .unknown
    }

    /// A guest: the directory says so (user type, `#EXT#` UPN) or, for a direct assignment, the export does.
    public func isGuest(_ grant: EffectiveGrant) -> Bool {
        if let p = model.principals[grant.principalId] {
            if p.isGuest || Self.isExternalUPN(p.upn) { return true }
        }
        guard grant.isDirect else { return false }
        return model.assignments[grant.assignmentIndex].principalIsGuest
            || Self.isExternalUPN(model.assignments[grant.assignmentIndex].principalUPN)
    }

    /// The mark of a guest's UPN, lower-cased (made once: the directory facts test a million UPNs).
    private static let externalMarker = Array("#ext#".utf8)

    /// Whether a UPN contains `#EXT#` (any case): the mark of a guest's UPN.
    static func isExternalUPN(_ upn: String?) -> Bool {
        guard let upn else { return false }
        let marker = externalMarker
        var matched = 0
        for byte in upn.utf8 {
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if lower == marker[matched] {
                matched += 1
                if matched == marker.count { return true }
            } else {
                matched = lower == marker[0] ? 1 : 0
            }
        }
        return false
    }

    /// Whether a directory input says the account is disabled.
    public func isDisabled(_ principalId: String) -> Bool { model.principals[principalId]?.enabled == false }

    /// Orphaned (SPEC §4): the principal is `Unknown` to the exporter and to the directory, or it is absent from
    /// every principals input of its type while one of that type is present.
    public func isOrphaned(principalId: String, statedType: PrincipalType) -> Bool {
        if let p = model.principals[principalId] { return p.type == .unknown && statedType == .unknown }
        if statedType == .unknown { return true }
        return model.principalTypesExported.contains(statedType)
    }

    /// Whether the holder of a grant is orphaned: for a direct grant as its assignment says; for a group member, when
    /// it is absent from the directory although the membership input typed it and that type was exported.
    public func isOrphaned(_ grant: EffectiveGrant) -> Bool {
        if grant.isDirect { return isOrphaned(model.assignments[grant.assignmentIndex]) }
        if model.principals[grant.principalId] != nil { return false }
        guard let t = memberTypes[grant.principalId] else { return false }
        return model.principalTypesExported.contains(t)
    }

    /// Whether the assignment's own principal is orphaned.
    public func isOrphaned(_ assignment: Assignment) -> Bool {
        isOrphaned(principalId: assignment.principalId, statedType: assignment.principalType)
    }

    /// How an account stands on activity at `asOf` (SPEC §4): disabled; stale when its recorded last activity is
    /// more than `staleDays` days old; never used when sign-in data exist, none is recorded and it was created more
    /// than `neverUsedDays` days ago; unknown without directory or sign-in data. Stale and never-used exclude each
    /// other by construction (stale needs a recorded activity, never used needs none).
    public func activity(
        of principalId: String, asOf: Timestamp, staleDays: Int, neverUsedDays: Int = 30
    ) -> AccountActivity {
        guard let p = model.principals[principalId] else { return .unknown }
        return PrincipalFacts(p).activity(asOf: asOf, staleDays: staleDays, neverUsedDays: neverUsedDays)
    }

    /// Stale, never used or disabled at `asOf` (see ``activity(of:asOf:staleDays:neverUsedDays:)``).
    public func isInactive(_ principalId: String, asOf: Timestamp, staleDays: Int, neverUsedDays: Int = 30) -> Bool {
        activity(of: principalId, asOf: asOf, staleDays: staleDays, neverUsedDays: neverUsedDays).isInactive
    }

    /// The inactivity fact scoring adjusts on (SPEC §5): never used, beyond twice the threshold, beyond it, active.
    public func scoringInactivity(of principalId: String, asOf: Timestamp, staleDays: Int) -> Inactivity {
        guard let p = model.principals[principalId] else { return .active }
        return PrincipalFacts(p).scoringInactivity(asOf: asOf, staleDays: staleDays)
    }

    /// The principal's display name and UPN: the directory's, else the assignment export's (direct grants).
    public func names(of grant: EffectiveGrant) -> (name: String?, upn: String?) {
        let p = model.principals[grant.principalId]
        if grant.isDirect {
            let a = model.assignments[grant.assignmentIndex]
            return (p?.displayName ?? a.principalName, p?.upn ?? a.principalUPN)
        }
        return (p?.displayName, p?.upn)
    }
}
