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

    /// Puts every collection in a deterministic order, so importing the same folder twice gives the same model.
    public mutating func sortDeterministically() {
        // The order is that of each element's parts joined with U+0001 (below every character a field holds) and
        // compared as Strings, so it is the order of the tuple of parts; for assignments the first part is the grant
        // key. No key string is built: see ``ModelSorting``.
        // The orders are worked out on both cores (one collection per piece; the assignments are the largest),
        // then applied.
        let orders = { [assignments, memberships, hierarchy, assets, awsCredentials, classicAdministrators] in
            Parallel.map(6) { part -> [Int] in
                switch part {
                case 0: ModelSorting.assignmentOrder(assignments)
                case 1:
                    ModelSorting.stringOrder(memberships, \.groupId, then: \.memberId)
                        ?? ModelSorting.order(memberships) { b, i, j in
                            b[i].groupId == b[j].groupId ? b[i].memberId < b[j].memberId : b[i].groupId < b[j].groupId
                        }
                case 2:
                    ModelSorting.order(hierarchy) { b, i, j in
                        b[i].scope.key == b[j].scope.key
                            ? b[i].parent.key < b[j].parent.key : b[i].scope.key < b[j].scope.key
                    }
                case 3:
                    ModelSorting.stringOrder(assets, \.assetId)
                        ?? ModelSorting.order(assets) { b, i, j in b[i].assetId < b[j].assetId }
                case 4: ModelSorting.order(awsCredentials) { b, i, j in (b[i].arn, b[i].user) < (b[j].arn, b[j].user) }
                default:
                    ModelSorting.order(classicAdministrators) { b, i, j in
                        (b[i].subscriptionId, b[i].identity, b[i].role)
                            < (b[j].subscriptionId, b[j].identity, b[j].role)
                    }
                }
            }
        }()
        // The copies the closure captured are gone: each collection is reordered in place.
        ModelSorting.apply(orders[0], to: &assignments)
        ModelSorting.apply(orders[1], to: &memberships)
        ModelSorting.apply(orders[2], to: &hierarchy)
        ModelSorting.apply(orders[3], to: &assets)
        ModelSorting.apply(orders[4], to: &awsCredentials)
        ModelSorting.apply(orders[5], to: &classicAdministrators)
    }
}
