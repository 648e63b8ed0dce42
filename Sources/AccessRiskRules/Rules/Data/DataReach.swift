import AccessRiskModel

/// A resource holding assets at or above some tier: the subject side of the identity × data rules. For SQL it is
/// the database, for storage the container or account, as the input's `resource_id` gives it.
struct SensitiveResource {
    /// The resource id as the first of its assets gives it.
    let resourceId: String
    /// Lower-cased resource id: the resource part of subject keys.
    let key: String
    let scope: Scope
    /// Lower-cased provider namespace (`microsoft.sql`), nil when the id is not an ARM resource.
    let provider: String?
    /// The highest effective label among its assets.
    let topLabel: SensitivityLabel
    /// How many of its assets are at or above the tier asked for.
    let assetCount: Int
    /// A few of those assets' names, for evidence.
    let sampleAssets: [String]
}

/// One way a principal reaches a resource: an assignment held directly or through a chain of groups.
struct ReachGrant {
    let assignmentIndex: Int
    let principalId: String
    /// The group chain from the assignment's group down to the member's direct group; empty when direct.
    let chain: [String]
    let capabilities: RoleCapabilities
}

/// Which principals reach which resources holding sensitive data (SPEC §3.4, §4 "Reach is service-aware").
///
/// Assignments are indexed by scope key; each resource looks up the keys of the scopes that cover it (its path
/// prefixes, root, and the management groups above its subscription), so the cost is resources × depth plus the
/// grants found, never assets × assignments.
// TODO(integration): replace the group expansion and capability lookup with `AccessAnalysis` effective grants.
struct DataReach {
    let context: RuleContext

    /// The resources holding assets whose effective label tier is at least `minimumTier`, sorted by key.
    func sensitiveResources(minimumTier: Int) -> [SensitiveResource] {
        struct Acc {
            var resourceId: String
            var top: SensitivityLabel
            var count: Int
            var samples: [String]
        }
        var byKey: [String: Acc] = [:]
        for item in context.classifiedAssets() {
            guard let label = item.classification.effectiveLabel, label.tier >= minimumTier,
                !item.asset.resourceId.trimmingSpaces.isEmpty
            else { continue }
            let key = Scope(item.asset.resourceId).key
            if var acc = byKey[key] {
                if label.order > acc.top.order { acc.top = label }
                acc.count += 1
                if acc.samples.count < 3 { acc.samples.append(item.asset.name) }
                byKey[key] = acc
            } else {
                byKey[key] = Acc(resourceId: item.asset.resourceId, top: label, count: 1, samples: [item.asset.name])
            }
        }
        return byKey.keys.sorted().map { key in
            let acc = byKey[key]!
            let scope = Scope(acc.resourceId)
            return SensitiveResource(
                resourceId: acc.resourceId, key: key, scope: scope, provider: scope.providerNamespace,
                topLabel: acc.top, assetCount: acc.count, sampleAssets: acc.samples)
        }
    }

    /// For each resource, the grants of principals that pass `include` through an assignment whose capabilities
    /// pass `allows` for the resource's provider. Groups are expanded to their transitive members (a group whose
    /// members are not in the inputs stands for itself).
    func grants(
        to resources: [SensitiveResource], allows: (RoleCapabilities, String?) -> Bool,
        include: (_ principalId: String, _ assignment: Assignment) -> Bool
    ) -> [[ReachGrant]] {
        let model = context.model
        // Capabilities per role, and the assignments that could matter, indexed by scope key.
        // Capabilities per role; the assignments that could matter, with their holders that pass `include`
        // (groups expanded once each), indexed by scope key.
        var capsByRole: [String: RoleCapabilities] = [:]
        var expanded: [String: [(memberId: String, chain: [String])]] = [:]
        var byScope: [String: [(index: Int, caps: RoleCapabilities, holders: [(String, [String])])]] = [:]
        for (i, a) in model.assignments.enumerated() where a.scope.level != .directory {
            let caps: RoleCapabilities
            if let known = capsByRole[a.roleKey] {
                caps = known
            } else {
                caps = dataCapabilities(of: a, context)
                capsByRole[a.roleKey] = caps
            }
            guard caps.reachesData || caps.canGrantAccess else { continue }
            let holders = holders(of: a, cache: &expanded).filter { include($0.memberId, a) }
            guard !holders.isEmpty else { continue }
            byScope[a.scope.key, default: []].append((i, caps, holders))
        }
        var out: [[ReachGrant]] = []
        out.reserveCapacity(resources.count)
        for resource in resources {
            var found: [ReachGrant] = []
            for scopeKey in coveringScopeKeys(resource.scope) {
                for entry in byScope[scopeKey] ?? [] where allows(entry.caps, resource.provider) {
                    for (member, chain) in entry.holders {
                        found.append(
                            ReachGrant(
                                assignmentIndex: entry.index, principalId: member, chain: chain,
                                capabilities: entry.caps))
                    }
                }
            }
            out.append(found)
        }
        return out
    }

    /// The keys of every scope that can cover `scope`: itself, its path prefixes, root, and the management groups
    /// above its subscription.
    func coveringScopeKeys(_ scope: Scope) -> [String] {
        var keys: [String] = [scope.key]
        if scope.key.hasPrefix("/") {
            keys.append("/")
            var prefix = ""
            let parts = scope.key.split(separator: "/")
            for part in parts.dropLast() {
                prefix += "/" + part
                keys.append(prefix)
            }
            keys.append(contentsOf: context.analysis.hierarchy.ancestors(of: scope))
        }
        var seen: Set<String> = []
        return keys.filter { seen.insert($0).inserted }
    }

    /// Who holds an assignment: its principal, or for a group with known members, every transitive member.
    private func holders(
        of a: Assignment, cache: inout [String: [(memberId: String, chain: [String])]]
    ) -> [(memberId: String, chain: [String])] {
        let isGroup = a.principalType == .group || context.model.principals[a.principalId]?.type == .group
        guard isGroup, context.analysis.directMembers[a.principalId] != nil else { return [(a.principalId, [])] }
        if let known = cache[a.principalId] { return known }
        let members = context.analysis.transitiveMembers(of: a.principalId)
        cache[a.principalId] = members
        return members
    }
}

// MARK: - Role capabilities (stand-in until the role catalogue is merged)

/// What holding an assignment's role allows, as far as data is concerned (SPEC §3.3).
// TODO(integration): use AccessAnalysis.capabilities(of:) — this minimal lookup stands in for the shipped
// built-in role catalogue and the custom-role evaluation until the branches merge.
func dataCapabilities(of assignment: Assignment, _ context: RuleContext) -> RoleCapabilities {
    if let id = assignment.roleId, let caps = BuiltInDataRoles.byId[id] { return caps }
    if let id = assignment.roleId, let definition = context.model.roleDefinitions[id] {
        return BuiltInDataRoles.capabilities(of: definition)
    }
    let name = assignment.roleName.lowercased()
    if let caps = BuiltInDataRoles.byName[name] { return caps }
    if let definition = context.model.roleDefinitions.values.first(where: { $0.name.lowercased() == name }) {
        return BuiltInDataRoles.capabilities(of: definition)
    }
    // A role this lookup does not know (an unlisted built-in role, or a custom role without a definition) is not
    // counted as reaching data here; `missing-role-definition` reports the custom case.
    return assignment.roleId == nil ? .harmless : .unknown
}

enum BuiltInDataRoles {
    static let owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
    static let contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c"
    static let userAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
    static let rbacAdministrator = "f58310d9-a9f6-439a-9e8d-f62e7b41a168"
    static let reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    static let storageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
    static let storageAccountContributor = "17d1049b-9a84-46fb-8f53-869881c3d3ab"
    static let keyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6"

    /// (GUID, name, capabilities).
    static let table: [(String, String, RoleCapabilities)] = {
        let all = RoleCapabilities(
            privileged: true, reachesData: true, ownerEquivalent: false, reachesAllData: true)
        var grant = all
        grant.canGrantAccess = true
        var ownerCaps = grant
        ownerCaps.ownerEquivalent = true
        func provider(_ ns: String, credential: Bool = false) -> RoleCapabilities {
            RoleCapabilities(reachesData: true, credentialAccess: credential, dataProviders: [ns])
        }
        let storage = "microsoft.storage"
        let vault = "microsoft.keyvault"
        let cosmos = "microsoft.documentdb"
        return [
            (owner, "Owner", ownerCaps),
            (contributor, "Contributor", all),
            (userAccessAdministrator, "User Access Administrator", grant),
            (rbacAdministrator, "Role Based Access Control Administrator", grant),
            (reader, "Reader", .harmless),
            ("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner", provider(storage)),
            ("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor", provider(storage)),
            (storageBlobDataReader, "Storage Blob Data Reader", provider(storage)),
            ("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor", provider(storage)),
            ("19e7f393-937e-4f77-808e-94535e297925", "Storage Queue Data Reader", provider(storage)),
            ("8a0f0c08-91a1-4084-bc3d-661d67233fed", "Storage Queue Data Message Processor", provider(storage)),
            ("c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", "Storage Queue Data Message Sender", provider(storage)),
            ("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor", provider(storage)),
            ("76199698-9eea-4c19-bc75-cec21354c6b6", "Storage Table Data Reader", provider(storage)),
            ("0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb", "Storage File Data SMB Share Contributor", provider(storage)),
            ("aba4ae5f-2193-4029-9191-0cb91df5e314", "Storage File Data SMB Share Reader", provider(storage)),
            (
                "a7264617-510b-434b-a828-9731dc254ea7", "Storage File Data SMB Share Elevated Contributor",
                provider(storage)
            ),
            ("69566ab7-960f-475b-8e7c-b3118f30c6bd", "Storage File Data Privileged Contributor", provider(storage)),
            ("b8eda974-7b85-4f76-af95-65846b26df6d", "Storage File Data Privileged Reader", provider(storage)),
            (storageAccountContributor, "Storage Account Contributor", provider(storage, credential: true)),
            ("c12c1c16-33a1-487b-954d-41c89c60f349", "Reader and Data Access", provider(storage, credential: true)),
            (
                "81a9662b-bebf-436f-a333-f67b29880f12", "Storage Account Key Operator Service Role",
                provider(storage, credential: true)
            ),
            ("00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator", provider(vault, credential: true)),
            ("b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Key Vault Secrets Officer", provider(vault, credential: true)),
            (keyVaultSecretsUser, "Key Vault Secrets User", provider(vault, credential: true)),
            ("14b46e9e-c2b7-41b4-b07b-48a6ebf60603", "Key Vault Crypto Officer", provider(vault)),
            ("12338af0-0e69-4776-bea7-57ae8d297424", "Key Vault Crypto User", provider(vault)),
            ("e147488a-f6f5-4113-8e2d-b22465e65bf6", "Key Vault Crypto Service Encryption User", provider(vault)),
            ("08bbd89e-9f13-488c-ac41-acfcb10c90ab", "Key Vault Crypto Service Release User", provider(vault)),
            ("a4417e6f-fecd-4de8-b567-7b0420556985", "Key Vault Certificates Officer", provider(vault)),
            ("db79e9a7-68ee-4b58-9aeb-b90e7c24fcba", "Key Vault Certificate User", provider(vault)),
            ("00000000-0000-0000-0000-000000000001", "Cosmos DB Built-in Data Reader", provider(cosmos)),
            ("00000000-0000-0000-0000-000000000002", "Cosmos DB Built-in Data Contributor", provider(cosmos)),
            ("fbdf93bf-df7d-467e-a4d2-9458aa1360c8", "Cosmos DB Account Reader Role", provider(cosmos)),
            (
                "5bd9cd88-fe45-4216-938b-f97437e15450", "DocumentDB Account Contributor",
                provider(cosmos, credential: true)
            ),
        ]
    }()

    static let byId: [String: RoleCapabilities] = Dictionary(
        table.map { ($0.0, $0.2) }, uniquingKeysWith: { a, _ in a })
    static let byName: [String: RoleCapabilities] = Dictionary(
        table.map { ($0.1.lowercased(), $0.2) }, uniquingKeysWith: { a, _ in a })

    /// A custom (or input-defined) role's data capabilities from its effective actions (SPEC §3.3): glob matching
    /// (case-insensitive, `*` any run) minus notActions; data providers from its data actions and `listKeys`.
    static func capabilities(of role: RoleDefinition) -> RoleCapabilities {
        if !role.isCustom, let known = byId[role.id] { return known }
        func allows(_ operation: String) -> Bool {
            role.actions.contains { glob($0, operation) } && !role.notActions.contains { glob($0, operation) }
        }
        let ownerEquivalent = role.actions.contains("*") && role.notActions.isEmpty
        let canGrant =
            allows("Microsoft.Authorization/roleAssignments/write")
            || allows("Microsoft.Authorization/roleDefinitions/write")
            || allows("Microsoft.Authorization/elevateAccess/Action")
        let privileged = role.actions.contains("*") || allows("Microsoft.Authorization/roleAssignments/write")
        var providers: Set<String> = []
        var everything = privileged
        for action in role.dataActions {
            let ns = action.split(separator: "/").first.map { $0.lowercased() } ?? ""
            if ns.contains("*") { everything = true } else if !ns.isEmpty { providers.insert(ns) }
        }
        for action in role.actions {
            let lower = action.lowercased()
            let ns = lower.split(separator: "/").first.map(String.init) ?? ""
            if lower.hasSuffix("/listkeys/action") || lower.hasSuffix("/readonlykeys/action") {
                if ns.contains("*") { everything = true } else { providers.insert(ns) }
            }
        }
        for probe in listKeysProbes where allows(probe.operation) { providers.insert(probe.provider) }
        return RoleCapabilities(
            privileged: privileged, canGrantAccess: canGrant, reachesData: everything || !providers.isEmpty,
            ownerEquivalent: ownerEquivalent, credentialAccess: !providers.isEmpty,
            hasWildcard: role.actions.contains { $0.contains("*") }, dataProviders: everything ? [] : providers,
            reachesAllData: everything)
    }

    /// Key-listing operations that open a provider's data, for wildcard action patterns (`Microsoft.Storage/*`).
    static let listKeysProbes: [(operation: String, provider: String)] = [
        ("Microsoft.Storage/storageAccounts/listKeys/action", "microsoft.storage"),
        ("Microsoft.DocumentDB/databaseAccounts/listKeys/action", "microsoft.documentdb"),
        ("Microsoft.DocumentDB/databaseAccounts/readonlykeys/action", "microsoft.documentdb"),
    ]

    /// Case-insensitive glob: `*` matches any run of characters.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.lowercased().utf8)
        let t = Array(text.lowercased().utf8)
        var i = 0
        var j = 0
        var star = -1
        var mark = 0
        while i < t.count {
            if j < p.count, p[j] == UInt8(ascii: "*") {
                star = j
                mark = i
                j += 1
            } else if j < p.count, p[j] == t[i] {
                i += 1
                j += 1
            } else if star >= 0 {
                j = star + 1
                mark += 1
                i = mark
            } else {
                return false
            }
        }
        while j < p.count, p[j] == UInt8(ascii: "*") { j += 1 }
        return j == p.count
    }
}
