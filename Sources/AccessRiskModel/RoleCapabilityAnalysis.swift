/// An ARM action pattern as role definitions write them: case-insensitive, `*` matches any run of characters
/// (including `/`), everything else literally (SPEC §3.3).
public struct ActionPattern: Sendable, Hashable {
    public let text: String
    private let parts: [[UInt8]]
    private let anchoredStart: Bool
    private let anchoredEnd: Bool

    public init(_ text: String) {
        self.text = text
        let lower = Array(String(text.trimmingSpaces).lowercased().utf8)
        let star = UInt8(ascii: "*")
        anchoredStart = lower.first != star
        anchoredEnd = lower.last != star
        parts = lower.split(separator: star, omittingEmptySubsequences: true).map(Array.init)
    }

    /// Whether the pattern matches a concrete action name (any case).
    public func matches(_ action: String) -> Bool {
        let s = Array(action.lowercased().utf8)
        if parts.isEmpty { return !anchoredStart || s.isEmpty }
        var position = 0
        for (i, part) in parts.enumerated() {
            let isFirst = i == 0
            let isLast = i == parts.count - 1
            if isFirst && anchoredStart {
                guard s.count >= part.count, Array(s[0..<part.count]) == part else { return false }
                position = part.count
                if isLast && anchoredEnd { return s.count == part.count }
                continue
            }
            if isLast && anchoredEnd {
                guard s.count - position >= part.count, Array(s[(s.count - part.count)...]) == part else {
                    return false
                }
                return true
            }
            guard let found = Self.find(part, in: s, from: position) else { return false }
            position = found + part.count
        }
        return true
    }

    /// Whether the pattern contains a wildcard.
    public var hasWildcard: Bool { text.contains("*") }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count - start else { return nil }
        var i = start
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}

/// The effective actions of a role definition: actions matched as glob patterns minus notActions (SPEC §3.3).
public struct EffectiveActions: Sendable {
    public let actions: [ActionPattern]
    public let notActions: [ActionPattern]
    public let dataActions: [ActionPattern]
    public let notDataActions: [ActionPattern]

    public init(_ role: RoleDefinition) {
        actions = role.actions.filter { !$0.trimmingSpaces.isEmpty }.map(ActionPattern.init)
        notActions = role.notActions.filter { !$0.trimmingSpaces.isEmpty }.map(ActionPattern.init)
        dataActions = role.dataActions.filter { !$0.trimmingSpaces.isEmpty }.map(ActionPattern.init)
        notDataActions = role.notDataActions.filter { !$0.trimmingSpaces.isEmpty }.map(ActionPattern.init)
    }

    /// Whether the role allows a concrete control-plane action.
    public func allows(_ action: String) -> Bool {
        actions.contains { $0.matches(action) } && !notActions.contains { $0.matches(action) }
    }

    /// Whether the role allows a concrete data action.
    public func allowsData(_ action: String) -> Bool {
        dataActions.contains { $0.matches(action) } && !notDataActions.contains { $0.matches(action) }
    }

    /// Allows everything: an action `*` and no notActions.
    public var allowsEverything: Bool {
        actions.contains { $0.text.trimmingSpaces == "*" } && notActions.isEmpty
    }
}

extension RoleDefinition {
    /// Actions that hand out access (SPEC §3.3 "can grant access").
    public static let grantActions = [
        "Microsoft.Authorization/roleAssignments/write",
        "Microsoft.Authorization/roleDefinitions/write",
        "Microsoft.Authorization/elevateAccess/Action",
    ]

    /// Well-known `listKeys` actions: each opens the data of its provider through account keys.
    public static let listKeysActions = [
        "Microsoft.Storage/storageAccounts/listKeys/action",
        "Microsoft.DocumentDB/databaseAccounts/listKeys/action",
        "Microsoft.Cache/redis/listKeys/action",
        "Microsoft.EventHub/namespaces/authorizationRules/listKeys/action",
        "Microsoft.ServiceBus/namespaces/authorizationRules/listKeys/action",
        "Microsoft.Search/searchServices/listAdminKeys/action",
        "Microsoft.CognitiveServices/accounts/listKeys/action",
        "Microsoft.Web/sites/config/list/action",
    ]

    /// Secret-reading data actions (Key Vault).
    static let secretDataActions = [
        "Microsoft.KeyVault/vaults/secrets/getSecret/action",
        "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
    ]

    /// Capabilities computed from the definition's effective actions, exactly as SPEC §3.3 says for custom roles:
    /// owner-equivalent when it allows `*`; privileged when it allows `Microsoft.Authorization/roleAssignments/write`
    /// (directly or through a wildcard covering it) or has the action `*`; can grant access when it allows a role
    /// assignment, role definition or elevate-access write; reaches data when it has a data action or allows a
    /// `listKeys` action. Data providers are those named by its data actions and allowed `listKeys` actions.
    public var computedCapabilities: RoleCapabilities {
        let effective = EffectiveActions(self)
        let ownerEquivalent = effective.allowsEverything
        let hasStar = effective.actions.contains { $0.text.trimmingSpaces == "*" }
        let privileged =
            ownerEquivalent || hasStar || effective.allows("Microsoft.Authorization/roleAssignments/write")
        let canGrant = Self.grantActions.contains { effective.allows($0) }

        var providers: Set<String> = []
        var all = false
        func addProvider(of action: String) {
            let first = action.trimmingSpaces.split(separator: "/").first.map { String($0).lowercased() } ?? ""
            if first.isEmpty || first.contains("*") { all = true } else { providers.insert(first) }
        }
        for data in effective.dataActions { addProvider(of: data.text) }
        var keyCandidates = Self.listKeysActions
        for action in actions where action.lowercased().contains("listkeys") && !action.contains("*") {
            keyCandidates.append(action)
        }
        var listsKeys = false
        for candidate in keyCandidates where effective.allows(candidate) {
            listsKeys = true
            addProvider(of: candidate)
        }
        let readsSecrets = Self.secretDataActions.contains { effective.allowsData($0) }
        let reachesData = !effective.dataActions.isEmpty || listsKeys || privileged
        if privileged { all = true }
        let wildcard =
            effective.actions.contains { $0.hasWildcard } || effective.dataActions.contains { $0.hasWildcard }
        return RoleCapabilities(
            known: true, privileged: privileged, canGrantAccess: canGrant, reachesData: reachesData,
            ownerEquivalent: ownerEquivalent, credentialAccess: !privileged && (listsKeys || readsSecrets),
            hasWildcard: wildcard, dataProviders: all ? [] : providers, reachesAllData: all)
    }
}

/// Resolves what an assignment's role allows: the built-in catalogue by GUID, a definition from the inputs, the
/// catalogue by name when the input gives no id; anything else is ``RoleCapabilities/unknown`` (SPEC §3.3).
public struct RoleResolver: Sendable {
    public let catalogue: BuiltInRoleCatalogue
    public let definitions: [String: RoleDefinition]
    private let definitionsByName: [String: String]

    public init(definitions: [String: RoleDefinition], catalogue: BuiltInRoleCatalogue = .shipped) {
        self.catalogue = catalogue
        self.definitions = definitions
        var names: [String: String] = [:]
        for (id, def) in definitions.sorted(by: { $0.key < $1.key }) where names[def.name.lowercased()] == nil {
            names[def.name.lowercased()] = id
        }
        definitionsByName = names
    }

    /// The definition from the inputs an assignment refers to (by GUID, else by name when it has no id).
    public func definition(for assignment: Assignment) -> RoleDefinition? {
        if let id = assignment.roleId { return definitions[id] }
        return definitionsByName[assignment.roleName.lowercased()].flatMap { definitions[$0] }
    }

    /// Whether the role is explained by the catalogue or a definition in the inputs.
    public func isKnown(_ assignment: Assignment) -> Bool { capabilities(of: assignment).known }

    public func capabilities(of assignment: Assignment) -> RoleCapabilities {
        if let builtIn = catalogue.role(for: assignment) { return builtIn.capabilities }
        if let def = definition(for: assignment) {
            if !def.isCustom, let builtIn = catalogue.role(named: def.name) { return builtIn.capabilities }
            return def.computedCapabilities
        }
        return .unknown
    }
}
