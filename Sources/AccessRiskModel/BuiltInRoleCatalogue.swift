import Foundation

/// One built-in role the tool knows (SPEC §3.3), as the shipped catalogue `Resources/builtin-roles.json` lists it.
public struct BuiltInRole: Sendable, Hashable, Codable {
    /// The definition GUID, lower-cased.
    public var id: String
    public var name: String
    /// `privileged`, `directory` (Entra roles), `data` (data-plane roles) or `general`.
    public var group: String
    public var privileged: Bool
    public var canGrantAccess: Bool
    public var ownerEquivalent: Bool
    public var reachesData: Bool
    public var reachesAllData: Bool
    /// Reaches data through keys or secrets (`credential-role-broad-scope`).
    public var credentialAccess: Bool
    /// Lower-cased resource provider namespaces whose data the role reaches (service-aware reach, SPEC §4).
    public var dataProviders: [String]

    enum CodingKeys: String, CodingKey {
        case id, name, group, privileged
        case canGrantAccess = "can_grant_access"
        case ownerEquivalent = "owner_equivalent"
        case reachesData = "reaches_data"
        case reachesAllData = "reaches_all_data"
        case credentialAccess = "credential_access"
        case dataProviders = "data_providers"
    }

    /// What holding the role allows.
    public var capabilities: RoleCapabilities {
        RoleCapabilities(
            known: true, privileged: privileged, canGrantAccess: canGrantAccess, reachesData: reachesData,
            ownerEquivalent: ownerEquivalent, credentialAccess: credentialAccess, hasWildcard: false,
            dataProviders: Set(dataProviders), reachesAllData: reachesAllData)
    }
}

/// The catalogue of built-in roles (SPEC §3.3), looked up by GUID or, when an input gives no id, by name.
///
/// The JSON ships as `Resources/builtin-roles.json` and is also embedded as a string constant (checked equal by a
/// test), so loading never depends on the resource bundle being found at run time.
public struct BuiltInRoleCatalogue: Sendable {
    public let roles: [BuiltInRole]
    private let byId: [String: Int]
    private let byName: [String: Int]

    /// Well-known GUIDs the rules name.
    public enum Known {
        public static let owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
        public static let contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c"
        public static let userAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
        public static let rbacAdministrator = "f58310d9-a9f6-439a-9e8d-f62e7b41a168"
        public static let reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
        /// The Entra directory role template id of Global Administrator.
        public static let globalAdministrator = "62e90394-69f5-4237-9190-012177145e10"
        public static let storageAccountContributor = "17d1049b-9a84-46fb-8f53-869881c3d3ab"
        public static let keyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6"
        public static let storageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
    }

    public init(roles: [BuiltInRole]) {
        self.roles = roles
        var ids: [String: Int] = [:]
        var names: [String: Int] = [:]
        for (i, role) in roles.enumerated() {
            ids[role.id.lowercased()] = ids[role.id.lowercased()] ?? i
            names[role.name.lowercased()] = names[role.name.lowercased()] ?? i
        }
        byId = ids
        byName = names
    }

    /// Decodes a catalogue from its JSON text.
    public init(json: String) throws {
        struct File: Decodable { var roles: [BuiltInRole] }
        let file = try JSONDecoder().decode(File.self, from: Data(json.utf8))
        self.init(roles: file.roles)
    }

    /// The shipped catalogue. Decoded from the embedded copy of `builtin-roles.json`; never touches the bundle.
    public static let shipped: BuiltInRoleCatalogue = {
        do {
            return try BuiltInRoleCatalogue(json: embeddedJSON)
        } catch {
            preconditionFailure("the embedded built-in role catalogue does not decode: \(error)")
        }
    }()

    /// The embedded JSON text (equal to `Resources/builtin-roles.json`).
    public static var shippedJSON: String { embeddedJSON }

    /// The role with this definition GUID (any case).
    public func role(id: String) -> BuiltInRole? { byId[id.lowercased()].map { roles[$0] } }

    /// The role with this display name (any case), for inputs that give no id.
    public func role(named name: String) -> BuiltInRole? { byName[name.lowercased()].map { roles[$0] } }

    /// The built-in role an assignment refers to: by GUID when it has one, else by name.
    public func role(for assignment: Assignment) -> BuiltInRole? {
        if let id = assignment.roleId { return role(id: id) }
        return role(named: assignment.roleName)
    }
}
