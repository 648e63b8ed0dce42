import AccessRiskModel

/// A role for examples: its GUID and name.
public struct ExampleRole: Sendable {
    public var id: String?
    public var name: String

    public init(id: String?, name: String) {
        self.id = id
        self.name = name
    }

    /// The subject key of an assignment finding for `principal` holding this role at `scope` (SPEC §6).
    public func subject(_ principal: String, at scope: String) -> String {
        principal + "|" + (id ?? name.lowercased()) + "|" + Scope(scope).key
    }

    public static let owner = ExampleRole(id: BuiltInRoleCatalogue.Known.owner, name: "Owner")
    public static let contributor = ExampleRole(id: BuiltInRoleCatalogue.Known.contributor, name: "Contributor")
    public static let reader = ExampleRole(id: BuiltInRoleCatalogue.Known.reader, name: "Reader")
    public static let userAccessAdministrator = ExampleRole(
        id: BuiltInRoleCatalogue.Known.userAccessAdministrator, name: "User Access Administrator")
    public static let rbacAdministrator = ExampleRole(
        id: BuiltInRoleCatalogue.Known.rbacAdministrator, name: "Role Based Access Control Administrator")
    public static let globalAdministrator = ExampleRole(
        id: BuiltInRoleCatalogue.Known.globalAdministrator, name: "Global Administrator")
    public static let storageAccountContributor = ExampleRole(
        id: BuiltInRoleCatalogue.Known.storageAccountContributor, name: "Storage Account Contributor")
    public static let keyVaultSecretsUser = ExampleRole(
        id: BuiltInRoleCatalogue.Known.keyVaultSecretsUser, name: "Key Vault Secrets User")
    public static let storageBlobDataReader = ExampleRole(
        id: BuiltInRoleCatalogue.Known.storageBlobDataReader, name: "Storage Blob Data Reader")
}

/// Scopes examples use.
public enum ExampleScope {
    public static let sub1 = "/subscriptions/11111111-1111-1111-1111-111111111111"
    public static let sub2 = "/subscriptions/22222222-2222-2222-2222-222222222222"
    public static let rg1 = sub1 + "/resourceGroups/rg-app"
    public static let storage1 = rg1 + "/providers/Microsoft.Storage/storageAccounts/stapp"
    public static let mgProd = "/providers/Microsoft.Management/managementGroups/mg-prod"
    public static let root = "/"
    public static let directory = "/directory"
}

extension Timestamp {
    /// A day from `yyyy-MM-dd` (examples and tests); traps on a malformed literal.
    public static func day(_ iso: String) -> Timestamp {
        guard let t = try? DateParsing.parse(iso) else { preconditionFailure("bad example date \(iso)") }
        return t
    }
}

/// Builders that keep examples short. Each records the input kind it stands for in `inputsPresent` (and a
/// principal's type in `principalTypesExported`), as an import of that export would.
extension AccessModel {
    /// Adds a user (member or guest) as a directory export would show it.
    public mutating func addUser(
        _ id: String, name: String? = nil, upn: String? = nil, guest: Bool = false, enabled: Bool? = true,
        created: String? = "2024-01-01", lastSignIn: String? = nil, signInData: Bool = true,
        externalState: String? = nil, mfa: Bool? = nil
    ) {
        add(
            Principal(
                id: id, upn: upn ?? id + "@contoso.example", displayName: name ?? id, type: .user, isGuest: guest,
                enabled: enabled, createdOn: created.map(Timestamp.day), lastSignIn: lastSignIn.map(Timestamp.day),
                externalState: externalState, mfaRegistered: mfa, hasSignInData: signInData))
        inputsPresent.insert(.principals)
        principalTypesExported.insert(.user)
    }

    /// Adds a service principal or managed identity.
    public mutating func addServicePrincipal(
        _ id: String, name: String? = nil, type: PrincipalType = .servicePrincipal, enabled: Bool? = true,
        created: String? = "2024-01-01", lastSignIn: String? = nil, signInData: Bool = true
    ) {
        add(
            Principal(
                id: id, displayName: name ?? id, type: type, enabled: enabled, createdOn: created.map(Timestamp.day),
                lastSignIn: lastSignIn.map(Timestamp.day), hasSignInData: signInData))
        inputsPresent.insert(.principals)
        principalTypesExported.insert(type)
    }

    /// Adds a group with its direct members (ids of users, service principals or groups).
    public mutating func addGroup(_ id: String, name: String? = nil, members: [String]) {
        add(Principal(id: id, displayName: name ?? id, type: .group))
        inputsPresent.insert(.principals)
        principalTypesExported.insert(.group)
        for m in members { memberships.append(Membership(groupId: id, memberId: m)) }
        inputsPresent.insert(.memberships)
    }

    /// Adds a role assignment.
    public mutating func assign(
        _ principalId: String, _ type: PrincipalType = .user, role: ExampleRole, scope: String,
        eligible: Bool = false, endOn: String? = nil, condition: String? = nil, guest: Bool = false
    ) {
        assignments.append(
            Assignment(
                principalId: principalId, principalName: principalId, principalType: type, roleId: role.id,
                roleName: role.name, scope: Scope(scope), assignmentType: eligible ? .eligible : .active,
                endOn: endOn.map(Timestamp.day), condition: condition, principalIsGuest: guest))
        inputsPresent.insert(.assignments)
    }

    /// Adds a custom role definition.
    public mutating func addCustomRole(
        _ id: String, name: String, actions: [String], notActions: [String] = [], dataActions: [String] = []
    ) {
        add(
            RoleDefinition(
                id: id, name: name, isCustom: true, actions: actions, notActions: notActions, dataActions: dataActions,
                assignableScopes: [Scope(ExampleScope.sub1)]))
        inputsPresent.insert(.roles)
    }

    /// Places a subscription (or management group) under a management group.
    public mutating func placeUnder(_ managementGroup: String, _ child: String) {
        hierarchy.append(HierarchyEdge(scope: Scope(child), parent: Scope(managementGroup)))
        inputsPresent.insert(.hierarchy)
    }
}
