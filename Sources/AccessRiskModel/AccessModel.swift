/// Everything the imports said, joined into one model (SPEC §3). Rules read it; they never see files.
public struct AccessModel: Sendable {
    /// Principals by join key (see ``Principal/key(_:)``).
    public var principals: [String: Principal] = [:]
    public var assignments: [Assignment] = []
    /// Role definitions from the inputs, by lower-cased GUID.
    public var roleDefinitions: [String: RoleDefinition] = [:]
    public var memberships: [Membership] = []
    public var hierarchy: [HierarchyEdge] = []
    public var assets: [Asset] = []
    public var awsCredentials: [AWSCredential] = []
    public var classicAdministrators: [ClassicAdministrator] = []
    /// The kinds of input present (a kind whose file was empty still counts as present).
    public var inputsPresent: Set<InputKind> = []
    /// Principal types for which a complete directory export is present (orphan detection, SPEC §4).
    public var principalTypesExported: Set<PrincipalType> = []
    /// The assignments' principals as numbered by the last sort of the assignments (see
    /// ``sortDeterministically(_:)``), for the analysis, which would otherwise number a million ids again. It
    /// describes `assignments` only while that is still the array it was made from (``AssignmentPrincipals/describes(_:)``).
    public private(set) var assignmentPrincipals: AssignmentPrincipals?

    public init() {}

    /// Adds a principal, merging with what other inputs said about the same id.
    public mutating func add(_ principal: Principal) {
        if var existing = principals[principal.id] {
            existing.merge(principal)
            principals[principal.id] = existing
        } else {
            principals[principal.id] = principal
        }
    }

    /// Adds a role definition; a later definition of the same id fills what the earlier one lacked.
    public mutating func add(_ role: RoleDefinition) {
        if roleDefinitions[role.id] == nil { roleDefinitions[role.id] = role }
    }

    /// Whether any assignment is eligible (PIM in use).
    public var usesPIM: Bool { assignments.contains { $0.assignmentType == .eligible } }

    /// The collections of the model that ``sortDeterministically(_:)`` orders.
    public struct Collections: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let assignments = Collections(rawValue: 1 << 0)
        public static let memberships = Collections(rawValue: 1 << 1)
        public static let hierarchy = Collections(rawValue: 1 << 2)
        public static let assets = Collections(rawValue: 1 << 3)
        public static let awsCredentials = Collections(rawValue: 1 << 4)
        public static let classicAdministrators = Collections(rawValue: 1 << 5)
        /// Every collection, in the order the sort handles them.
        public static let each: [Collections] = [
            .assignments, .memberships, .hierarchy, .assets, .awsCredentials, .classicAdministrators,
        ]
        public static let all = Collections(each)
    }

    /// Puts every collection in a deterministic order, so importing the same folder twice gives the same model.
    public mutating func sortDeterministically() { sortDeterministically(.all) }

    /// Puts the chosen collections in their deterministic order (see ``sortDeterministically()``); the others are
    /// left as they are. The importer sorts each group's collections on the core that read them, and the joined
    /// model only those that several groups filled or that the join rewrote.
    public mutating func sortDeterministically(_ which: Collections) {
        // The order is that of each element's parts joined with U+0001 (below every character a field holds) and
        // compared as Strings, so it is the order of the tuple of parts; for assignments the first part is the grant
        // key. No key string is built: see ``ModelSorting``.
        // The orders are worked out on both cores (one collection per piece; the assignments, the largest, are
        // themselves split over the cores), then applied.
        let pieces = Collections.each.filter { which.contains($0) }
        guard !pieces.isEmpty else { return }
        // Let go first: an array still held there would be copied as it is reordered.
        if which.contains(.assignments) { assignmentPrincipals = nil }
        // The assignments alone: their order uses both cores itself.
        if pieces == [.assignments] {
            let (order, principals) = ModelSorting.assignmentOrderAndPrincipals(assignments, parallel: true)
            ModelSorting.apply(order, to: &assignments, parallel: true)
            keepPrincipals(principals, order: order)
            return
        }
        // The assignments' principal numbers, from their piece.
        let principals = Handoff<(ranks: [UInt32], numbering: StringNumbering)?>()
        let orders = { [assignments, memberships, hierarchy, assets, awsCredentials, classicAdministrators] in
            Parallel.map(pieces.count) { k -> [Int] in
                switch pieces[k] {
                case .assignments:
                    {
                        let (order, numbers) = ModelSorting.assignmentOrderAndPrincipals(assignments)
                        principals.set(numbers)
                        return order
                    }()
                case .memberships:
                    ModelSorting.stringOrder(memberships, \.groupId, then: \.memberId)
                        ?? ModelSorting.order(memberships) { b, i, j in
                            b[i].groupId == b[j].groupId ? b[i].memberId < b[j].memberId : b[i].groupId < b[j].groupId
                        }
                case .hierarchy:
                    ModelSorting.order(hierarchy) { b, i, j in
                        b[i].scope.key == b[j].scope.key
                            ? b[i].parent.key < b[j].parent.key : b[i].scope.key < b[j].scope.key
                    }
                case .assets:
                    ModelSorting.stringOrder(assets, \.assetId)
                        ?? ModelSorting.order(assets) { b, i, j in b[i].assetId < b[j].assetId }
                case .awsCredentials:
                    ModelSorting.order(awsCredentials) { b, i, j in (b[i].arn, b[i].user) < (b[j].arn, b[j].user) }
                default:
                    ModelSorting.order(classicAdministrators) { b, i, j in
                        (b[i].subscriptionId, b[i].identity, b[i].role)
                            < (b[j].subscriptionId, b[j].identity, b[j].role)
                    }
                }
            }
        }()
        // The copies the closure captured are gone: each collection is reordered in place.
        for (k, piece) in pieces.enumerated() {
            switch piece {
            case .assignments:
                ModelSorting.apply(orders[k], to: &assignments)
                keepPrincipals(principals.value(), order: orders[k])
            case .memberships: ModelSorting.apply(orders[k], to: &memberships)
            case .hierarchy: ModelSorting.apply(orders[k], to: &hierarchy)
            case .assets: ModelSorting.apply(orders[k], to: &assets)
            case .awsCredentials: ModelSorting.apply(orders[k], to: &awsCredentials)
            default: ModelSorting.apply(orders[k], to: &classicAdministrators)
            }
        }
    }

    /// Keeps the principal numbers the sort worked out: `principals.ranks` is per element before `order` applied.
    private mutating func keepPrincipals(_ principals: (ranks: [UInt32], numbering: StringNumbering)?, order: [Int]) {
        guard let principals else {
            assignmentPrincipals = nil
            return
        }
        // Sorted by principal id first, every principal's rank is also its number in order of first appearance.
        let ofAssignment = order.withUnsafeBufferPointer { order in
            principals.ranks.withUnsafeBufferPointer { ranks in order.map { ranks[$0] } }
        }
        assignmentPrincipals = AssignmentPrincipals(
            assignments: assignments, numbering: principals.numbering, ofAssignment: ofAssignment)
    }
}

/// The principals of a model's assignments, numbered 0, 1, 2… in the order they first appear (the assignments being
/// sorted, the order of their ids): what ``AccessModel/sortDeterministically(_:)`` works out on the way.
public struct AssignmentPrincipals: Sendable {
    /// The assignments it describes, kept: a model holding this same array holds these assignments, since a change
    /// to an array also held here copies it first.
    private let assignments: [Assignment]
    /// The distinct principal ids numbered (in id order).
    public let numbering: StringNumbering
    /// Per assignment, its principal's number.
    public let ofAssignment: [UInt32]

    /// The distinct principal ids, in number order.
    public var names: [String] { numbering.distinct }

    init(assignments: [Assignment], numbering: StringNumbering, ofAssignment: [UInt32]) {
        self.assignments = assignments
        self.numbering = numbering
        self.ofAssignment = ofAssignment
    }

    /// Whether these are the principals of `assignments`: the same array, not only equal assignments (telling
    /// those apart would read them all).
    public func describes(_ assignments: [Assignment]) -> Bool {
        guard self.assignments.count == assignments.count else { return false }
        return self.assignments.withUnsafeBufferPointer { mine in
            assignments.withUnsafeBufferPointer { theirs in mine.baseAddress == theirs.baseAddress }
        }
    }
}
