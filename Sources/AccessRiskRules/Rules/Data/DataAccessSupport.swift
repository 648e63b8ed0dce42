import AccessRiskModel

/// Helpers shared by the identity × data rules.
extension RuleContext {
    func principal(_ id: String) -> Principal? { model.principals[id] }

    /// The principal's type: the directory's, else the assignment's when it is held directly.
    func principalType(_ id: String, _ grant: ReachGrant) -> PrincipalType? {
        if let p = principal(id), p.type != .unknown { return p.type }
        let a = model.assignments[grant.assignmentIndex]
        return grant.chain.isEmpty ? a.principalType : nil
    }

    /// A guest: user type Guest, a `#EXT#` UPN, or the assignment export said so (direct holders only).
    func isGuest(_ id: String, _ grant: ReachGrant) -> Bool {
        if let p = principal(id), p.isGuest || (p.upn?.uppercased().contains("#EXT#") ?? false) { return true }
        let a = model.assignments[grant.assignmentIndex]
        guard grant.chain.isEmpty else { return false }
        return a.principalIsGuest || (a.principalUPN?.uppercased().contains("#EXT#") ?? false)
    }

    /// A name for a principal or group in evidence.
    func displayName(_ id: String) -> String {
        guard let p = principal(id) else { return id }
        if let upn = p.upn, let name = p.displayName, name != upn { return "\(name) (\(upn))" }
        return p.label
    }
}

/// The grants of one principal to one resource.
struct PrincipalReach {
    let principalId: String
    let resource: SensitiveResource
    /// Sorted: broadest scope first, then privileged roles, role name, assignment order.
    let grants: [ReachGrant]
}

extension DataReach {
    /// Per resource, per principal (sorted by id), the grants that reach it.
    func reachesByPrincipal(
        minimumTier: Int, allows: (RoleCapabilities, String?) -> Bool,
        include: (_ principalId: String, _ assignment: Assignment) -> Bool
    ) -> [PrincipalReach] {
        let resources = sensitiveResources(minimumTier: minimumTier)
        let all = grants(to: resources, allows: allows, include: include)
        var out: [PrincipalReach] = []
        for (resource, grants) in zip(resources, all) where !grants.isEmpty {
            var byPrincipal: [String: [ReachGrant]] = [:]
            for g in grants { byPrincipal[g.principalId, default: []].append(g) }
            for id in byPrincipal.keys.sorted() {
                out.append(PrincipalReach(principalId: id, resource: resource, grants: sorted(byPrincipal[id]!)))
            }
        }
        return out
    }

    func sorted(_ grants: [ReachGrant]) -> [ReachGrant] {
        let assignments = context.model.assignments
        return grants.sorted { x, y in
            let a = assignments[x.assignmentIndex]
            let b = assignments[y.assignmentIndex]
            if a.scope.level != b.scope.level { return a.scope.level < b.scope.level }
            if x.capabilities.privileged != y.capabilities.privileged { return x.capabilities.privileged }
            if a.roleName != b.roleName { return a.roleName < b.roleName }
            if x.assignmentIndex != y.assignmentIndex { return x.assignmentIndex < y.assignmentIndex }
            return x.chain.lexicographicallyPrecedes(y.chain)
        }
    }
}

extension RuleDescription {
    /// A principal × resource finding from its grants; the first (broadest) grant gives role, scope and groups.
    func reachFinding(_ reach: PrincipalReach, _ context: RuleContext, what: String) -> Finding {
        let primary = reach.grants[0]
        let a = context.model.assignments[primary.assignmentIndex]
        let principal = context.principal(reach.principalId)
        let resource = reach.resource
        var grantKeys: [String] = []
        var roles: [String] = []
        for g in reach.grants {
            let ga = context.model.assignments[g.assignmentIndex]
            let key = reach.principalId + "|" + ga.roleKey + "|" + ga.scope.key
            if !grantKeys.contains(key) { grantKeys.append(key) }
            let role = "\(ga.roleName) at \(ga.scope.original)"
            if !roles.contains(role) { roles.append(role) }
        }
        var how = "through \(a.roleName) at \(a.scope.original)"
        if !primary.chain.isEmpty {
            how += " via group " + primary.chain.reversed().map { context.displayName($0) }.joined(separator: " → ")
        }
        if a.assignmentType == .eligible { how += " (eligible)" }
        if roles.count > 1 { how += "; also " + roles.dropFirst().joined(separator: ", ") }
        let assets =
            "\(resource.assetCount) \(resource.assetCount == 1 ? "asset" : "assets") up to \(resource.topLabel.name)"
            + " (e.g. \(resource.sampleAssets.joined(separator: ", ")))"
        let name = context.displayName(reach.principalId)
        let evidence = "\(what) \(name) reaches \(resource.resourceId): \(assets), \(how)."
        return finding(subjectKey: reach.principalId + "|" + resource.key, evidence: evidence) { f in
            f.principalId = reach.principalId
            f.principalName = principal?.displayName ?? (primary.chain.isEmpty ? a.principalName : nil)
            f.principalUPN = principal?.upn ?? (primary.chain.isEmpty ? a.principalUPN : nil)
            f.principalType = context.principalType(reach.principalId, primary)
            f.role = a.roleName
            f.roleId = a.roleId
            f.scope = a.scope.original
            f.scopeLevel = a.scope.level
            f.resource = resource.resourceId
            f.label = resource.topLabel.name
            // Outermost group last (the group holding the assignment).
            f.viaGroups = primary.chain.reversed()
            f.grantKeys = grantKeys
            f.facts.scopeLevel = a.scope.level
            f.facts.privilegedRole = reach.grants.contains {
                $0.capabilities.privileged || $0.capabilities.canGrantAccess
            }
            f.facts.dataTier = dataTier(resource.topLabel.tier)
            f.facts.mfaRegistered = principal?.mfaRegistered
        }
    }
}

/// Fixtures for the identity × data examples.
enum ReachFixtures {
    static let managementGroup = "/providers/Microsoft.Management/managementGroups/mg-corp"

    static func user(
        _ id: String, guest: Bool = false, enabled: Bool = true,
        created: Timestamp? = Timestamp(year: 2024, month: 1, day: 1),
        lastSignIn: Timestamp? = Timestamp(year: 2026, month: 9, day: 28), signInData: Bool = true
    ) -> Principal {
        Principal(
            id: id, upn: guest ? "\(id)_fabrikam.com#EXT#@contoso.onmicrosoft.com" : "\(id)@contoso.com",
            displayName: id, type: .user, isGuest: guest, enabled: enabled, createdOn: created, lastSignIn: lastSignIn,
            hasSignInData: signInData)
    }

    static func group(_ id: String) -> Principal { Principal(id: id, displayName: id, type: .group) }

    static func servicePrincipal(_ id: String, type: PrincipalType = .servicePrincipal) -> Principal {
        Principal(id: id, displayName: id, type: type, enabled: true)
    }

    static func assign(
        _ principal: Principal, _ roleId: String, _ roleName: String, at scope: String,
        _ type: AssignmentType = .active
    ) -> Assignment {
        Assignment(
            principalId: principal.id, principalName: principal.displayName, principalUPN: principal.upn,
            principalType: principal.type, roleId: roleId, roleName: roleName, scope: Scope(scope),
            assignmentType: type, principalIsGuest: principal.isGuest)
    }

    static func owner(_ p: Principal, at scope: String) -> Assignment {
        assign(p, BuiltInDataRoles.owner, "Owner", at: scope)
    }
    static func contributor(_ p: Principal, at scope: String) -> Assignment {
        assign(p, BuiltInDataRoles.contributor, "Contributor", at: scope)
    }
    static func reader(_ p: Principal, at scope: String) -> Assignment {
        assign(p, BuiltInDataRoles.reader, "Reader", at: scope)
    }
    static func blobReader(_ p: Principal, at scope: String) -> Assignment {
        assign(p, BuiltInDataRoles.storageBlobDataReader, "Storage Blob Data Reader", at: scope)
    }
    static func userAccessAdministrator(_ p: Principal, at scope: String) -> Assignment {
        assign(p, BuiltInDataRoles.userAccessAdministrator, "User Access Administrator", at: scope)
    }
    static func secretsUser(_ p: Principal, at scope: String) -> Assignment {
        assign(p, BuiltInDataRoles.keyVaultSecretsUser, "Key Vault Secrets User", at: scope)
    }

    /// Three Highly Confidential columns of the HR database (one finding per principal for all of them).
    static var hrColumns: [Asset] {
        [
            DataFixtures.column("ssn", label: "Highly Confidential - GDPR"),
            DataFixtures.column("salary", label: "Highly Confidential"),
            DataFixtures.column("email"),
        ]
    }
    static let hrKey = DataFixtures.database.lowercased()
    static let containerKey = DataFixtures.container.lowercased()

    /// The Highly Confidential payroll container.
    static var payroll: Asset { DataFixtures.container("payroll", label: "Highly Confidential") }

    /// A secret in the HR key vault.
    static var vaultSecret: Asset {
        Asset(
            assetId: DataFixtures.vault + "/secrets/sql-admin", name: "sql-admin", type: "key_vault_secret",
            resourceId: DataFixtures.vault, owner: "hr@contoso.com", label: "Highly Confidential")
    }
    static let vaultKey = DataFixtures.vault.lowercased()

    static func add(_ principals: [Principal], to m: inout AccessModel) {
        for p in principals { m.add(p) }
        m.inputsPresent.formUnion([.principals, .assignments, .assets])
    }

    /// Puts the subscription under the `mg-corp` management group.
    static func underManagementGroup(_ m: inout AccessModel) {
        m.hierarchy.append(HierarchyEdge(scope: Scope(DataFixtures.subscription), parent: Scope(managementGroup)))
        m.hierarchy.append(
            HierarchyEdge(
                scope: Scope(managementGroup),
                parent: Scope("/providers/Microsoft.Management/managementGroups/tenant-root")))
        m.inputsPresent.insert(.hierarchy)
    }
}
