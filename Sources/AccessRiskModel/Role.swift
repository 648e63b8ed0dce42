/// A role definition (SPEC §2.1 `roles`): built-in roles come from the shipped catalogue, custom roles from inputs.
public struct RoleDefinition: Sendable, Hashable, Codable {
    /// The definition GUID, lower-cased (the last path segment of a role definition id).
    public var id: String
    public var name: String
    public var isCustom: Bool
    public var actions: [String]
    public var notActions: [String]
    public var dataActions: [String]
    public var notDataActions: [String]
    public var assignableScopes: [Scope]
    public var source: SourceRef?

    public init(
        id: String, name: String, isCustom: Bool, actions: [String] = [], notActions: [String] = [],
        dataActions: [String] = [], notDataActions: [String] = [], assignableScopes: [Scope] = [],
        source: SourceRef? = nil
    ) {
        self.id = id
        self.name = name
        self.isCustom = isCustom
        self.actions = actions
        self.notActions = notActions
        self.dataActions = dataActions
        self.notDataActions = notDataActions
        self.assignableScopes = assignableScopes
        self.source = source
    }

    /// The GUID of a role definition id such as
    /// `/subscriptions/…/providers/Microsoft.Authorization/roleDefinitions/8e3af657-…`, lower-cased.
    public static func guid(fromDefinitionId text: String) -> String {
        let trimmed = String(text.trimmingSpaces)
        // The last segment found on the bytes: splitting Characters was a sixth of reading an az CLI export.
        let segment = trimmed.lastPathSegmentRange
        let last = segment.isEmpty ? trimmed : String(trimmed[segment])
        return Principal.key(last)
    }
}

/// What holding a role allows, as the rules need it (SPEC §3.3).
public struct RoleCapabilities: Sendable, Hashable, Codable {
    /// False when the role is custom and no definition explains it (neither privileged nor harmless).
    public var known: Bool
    public var privileged: Bool
    public var canGrantAccess: Bool
    public var reachesData: Bool
    /// Allows `*` (custom roles) or is Owner.
    public var ownerEquivalent: Bool
    /// Reaches data through keys or secrets (Storage Account Contributor, Key Vault secrets roles, …).
    public var credentialAccess: Bool
    /// Has a wildcard in its actions.
    public var hasWildcard: Bool
    /// The resource provider namespaces (lower-cased) whose data it reaches; empty with `reachesAllData`.
    public var dataProviders: Set<String>
    /// Reaches the data of every provider (privileged roles, `*` data actions).
    public var reachesAllData: Bool

    public init(
        known: Bool = true, privileged: Bool = false, canGrantAccess: Bool = false, reachesData: Bool = false,
        ownerEquivalent: Bool = false, credentialAccess: Bool = false, hasWildcard: Bool = false,
        dataProviders: Set<String> = [], reachesAllData: Bool = false
    ) {
        self.known = known
        self.privileged = privileged
        self.canGrantAccess = canGrantAccess
        self.reachesData = reachesData
        self.ownerEquivalent = ownerEquivalent
        self.credentialAccess = credentialAccess
        self.hasWildcard = hasWildcard
        self.dataProviders = dataProviders
        self.reachesAllData = reachesAllData
    }

    public static let unknown = RoleCapabilities(known: false)
    public static let harmless = RoleCapabilities()

    /// Whether holding the role reaches data of the given provider namespace (lower-cased).
    public func reaches(provider: String?) -> Bool {
        guard reachesData else { return false }
        if reachesAllData { return true }
        guard let provider else { return false }
        return dataProviders.contains(provider)
    }
}
