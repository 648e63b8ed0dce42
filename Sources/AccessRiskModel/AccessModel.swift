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
        // Keys are built once per element, not once per comparison (grantKey concatenates strings: rebuilding it
        // in the comparator cost a fifth of a whole review).
        // The parts of a key are joined with U+0001, which sorts below every character a field holds, so the
        // joined key orders as the tuple of its parts; one String comparison replaces an array walk per compare.
        func reorder<T>(_ items: inout [T], by key: (T) -> [String]) {
            let keys = items.map { key($0).joined(separator: "\u{1}") }
            let order = keys.indices.sorted { keys[$0] < keys[$1] }
            items = order.map { items[$0] }
        }
        reorder(&assignments) { [$0.grantKey, $0.assignmentType.rawValue, $0.id ?? ""] }
        reorder(&memberships) { [$0.groupId, $0.memberId] }
        reorder(&hierarchy) { [$0.scope.key, $0.parent.key] }
        reorder(&assets) { [$0.assetId] }
        reorder(&awsCredentials) { [$0.arn, $0.user] }
        reorder(&classicAdministrators) { [$0.subscriptionId, $0.identity, $0.role] }
    }
}
