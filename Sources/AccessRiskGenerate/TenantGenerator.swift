import AccessRiskModel
import Foundation

/// The sizes of `accessrisk generate --profile` (issue 7, SPEC §9 for enterprise).
public enum TenantProfile: String, CaseIterable, Sendable {
    case small, medium, large, enterprise

    struct Sizes {
        var subscriptions: Int
        var users: Int
        var servicePrincipals: Int
        var groups: Int
        var memberships: Int
        var assignments: Int
        var sqlColumns: Int
        var nativeAssets: Int
        var awsUsers: Int
        /// How many findings are planted for each rule.
        var planted: Int
    }

    var sizes: Sizes {
        switch self {
        case .small:
            Sizes(
                subscriptions: 8, users: 600, servicePrincipals: 60, groups: 150, memberships: 3_000,
                assignments: 2_000,
                sqlColumns: 800, nativeAssets: 200, awsUsers: 20, planted: 3)
        case .medium:
            Sizes(
                subscriptions: 40, users: 20_000, servicePrincipals: 2_000, groups: 5_000, memberships: 100_000,
                assignments: 100_000, sqlColumns: 40_000, nativeAssets: 10_000, awsUsers: 200, planted: 20)
        case .large:
            Sizes(
                subscriptions: 100, users: 60_000, servicePrincipals: 6_000, groups: 15_000, memberships: 300_000,
                assignments: 300_000, sqlColumns: 120_000, nativeAssets: 30_000, awsUsers: 500, planted: 50)
        case .enterprise:
            Sizes(
                subscriptions: 200, users: 180_000, servicePrincipals: 20_000, groups: 50_000, memberships: 1_000_000,
                assignments: 1_000_000, sqlColumns: 400_000, nativeAssets: 100_000, awsUsers: 1_000, planted: 100)
        }
    }
}

/// What `generate` wrote.
public struct GenerationSummary: Sendable, Codable {
    public var profile: String
    public var seed: UInt64
    public var asOf: String
    public var files: [String]
    public var principals: Int
    public var groups: Int
    public var memberships: Int
    public var assignments: Int
    public var assets: Int
    /// Rule id → number of findings the tenant was built to produce.
    public var expectedFindings: [String: Int]

    enum CodingKeys: String, CodingKey {
        case profile, seed, files, principals, groups, memberships, assignments, assets
        case asOf = "as_of"
        case expectedFindings = "expected_findings"
    }
}

/// Writes a synthetic tenant in the real export layouts, with a known number of planted findings per rule.
///
/// The background is built so that it triggers nothing: every user is an active member, every background
/// assignment is Reader at a resource scope of its own (so no assignment covers another), subscriptions have
/// exactly two time-bound owners, groups hold no privileged role, assets are labelled as their names recommend.
/// Each planted item is built to trigger its own rule only; where SPEC makes one item trigger two rules (a pending
/// guest is also a guest holding a role), both counts say so.
public struct TenantGenerator {
    public let profile: TenantProfile
    public let seed: UInt64
    public let asOf: Timestamp
    let sizes: TenantProfile.Sizes
    var random: SeededRandom

    public init(profile: TenantProfile, seed: UInt64, asOf: Timestamp) {
        self.profile = profile
        self.seed = seed
        self.asOf = asOf.startOfDay
        sizes = profile.sizes
        random = SeededRandom(seed: seed)
    }

    // MARK: Well-known roles (GUIDs from the Azure built-in roles list).

    static let owner = ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner")
    static let contributor = ("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor")
    static let reader = ("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader")
    static let userAccessAdministrator = ("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator")
    static let storageAccountContributor = ("17d1049b-9a84-46fb-8f53-869881c3d3ab", "Storage Account Contributor")
    static let blobDataReader = ("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Storage Blob Data Reader")
    static let globalAdministrator = ("62e90394-69f5-4237-9190-012177145e10", "Global Administrator")

    static let firstNames = [
        "Amara", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hiroshi", "Ines", "Jonas", "Keira", "Luca",
        "Mei", "Nikolai", "Olga", "Pedro", "Quinn", "Rosa", "Sanjay", "Tove", "Umar", "Vera", "Wen", "Ximena",
    ]
    static let lastNames = [
        "Okafor", "Lindqvist", "Moretti", "Ivanova", "Haddad", "Novak", "Tanaka", "Ferreira", "Schmidt", "Kowalski",
        "Byrne", "Costa", "Nakamura", "Petrov", "Alvarez", "Mensah", "Larsen", "Rossi", "Nair", "Berg",
    ]
    /// Column names that match no information-type pattern (checked against the SQL default policy).
    static let plainColumns = [
        "Quantity", "Sku", "Status", "Colour", "Weight", "Priority", "Version", "Created", "Modified", "Flag",
        "Warehouse", "Shelf", "Batch", "Grade", "Season",
    ]
    static let domain = "contoso-gen.example"

    // MARK: State while writing.

    struct Person {
        var id: String
        var upn: String
        var name: String
    }

    var users: [Person] = []
    var expected: [String: Int] = [:]
    var resourceCounter = 0
    var subscriptions: [String] = []
    var assignmentCount = 0
    var assetCount = 0
    var principalCount = 0
    var membershipCount = 0

    mutating func plant(_ rule: String, _ count: Int) { expected[rule, default: 0] += count }

    func days(_ n: Int) -> Timestamp { asOf.adding(days: -n) }

    func iso(_ t: Timestamp?) -> String { t?.isoDateTime ?? "" }

    /// US `M/d/yyyy h:mm:ss AM` as the Entra export writes dates.
    func usDate(_ t: Timestamp) -> String {
        let c = t.components
        let hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12
        let minute = c.minute < 10 ? "0\(c.minute)" : "\(c.minute)"
        let second = c.second < 10 ? "0\(c.second)" : "\(c.second)"
        return "\(c.month)/\(c.day)/\(c.year) \(hour12):\(minute):\(second) \(c.hour < 12 ? "AM" : "PM")"
    }

    func mg(_ name: String) -> String { "/providers/Microsoft.Management/managementGroups/" + name }

    /// A resource scope nobody else holds anything at (Microsoft.Web: no data provider).
    mutating func uniqueResource(_ subscription: Int) -> String {
        resourceCounter += 1
        let sub = subscriptions[subscription % subscriptions.count]
        return "/subscriptions/\(sub)/resourceGroups/rg-apps-\(resourceCounter % 97)/providers/Microsoft.Web/sites/"
            + "app-\(resourceCounter)"
    }

    mutating func newPerson(_ tag: String) -> Person {
        let first = Self.firstNames[Int(random.next() % UInt64(Self.firstNames.count))]
        let last = Self.lastNames[Int(random.next() % UInt64(Self.lastNames.count))]
        let n = principalCount
        principalCount += 1
        return Person(
            id: random.guid(), upn: "\(first.lowercased()).\(last.lowercased()).\(tag)\(n)@\(Self.domain)",
            name: "\(first) \(last) \(n)")
    }

    // MARK: Generation.

    /// Writes the tenant into `directory` and returns what it holds.
    /// The exports go to `directory/exports/`; `expected-findings.json` goes beside them, so that reviewing the
    /// exports folder reads only exports.
    public mutating func write(to directory: String) throws -> GenerationSummary {
        let top = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let dir = top + "/exports"
        let k = sizes.planted
        subscriptions = (0..<sizes.subscriptions).map { _ in random.guid() }

        let ps = try TextFile(dir + "/azure/role-assignments.csv", bom: true)
        try ps.write("#TYPE Microsoft.Azure.Commands.Resources.Models.Authorization.PSRoleAssignment\r\n")
        try ps.write(
            ExportRow.quotedAll([
                "RoleAssignmentName", "RoleAssignmentId", "Scope", "DisplayName", "SignInName", "RoleDefinitionName",
                "RoleDefinitionId", "ObjectId", "ObjectType", "CanDelegate", "Description", "ConditionVersion",
                "Condition",
            ]))
        let native = try TextFile(dir + "/azure/assignments-native.csv")
        try native.write(
            "principal_id,principal_name,principal_upn,principal_type,role_id,role_name,scope,assignment_type,"
                + "created_on,end_on,condition\n")
        let az = try TextFile(dir + "/azure/az-role-assignment-list.json")
        try az.write("[")
        var azFirst = true
        let usersFile = try TextFile(dir + "/entra/users.csv")
        try usersFile.write(
            "Id,DisplayName,UserPrincipalName,UserType,AccountEnabled,CreatedDateTime,Department,ExternalUserState,"
                + "SignInActivity.LastSignInDateTime,SignInActivity.LastNonInteractiveSignInDateTime\r\n")
        let spFile = try TextFile(dir + "/entra/service-principals.csv")
        try spFile.write("Id,AppId,DisplayName,ServicePrincipalType,AccountEnabled,LastSignInDateTime\r\n")
        let members = try TextFile(dir + "/entra/group-members.csv")
        try members.write("GroupId,GroupDisplayName,MemberId,MemberType\r\n")

        // Writers, as closures over the files.
        func psRow(
            _ p: (id: String, name: String, upn: String, type: String), _ role: (String, String), _ scope: String,
            condition: String = ""
        ) throws {
            let name = random.guid()
            try ps.write(
                ExportRow.quotedAll([
                    name, scope + "/providers/Microsoft.Authorization/roleAssignments/" + name, scope, p.name, p.upn,
                    role.1, role.0, p.id, p.type, "False", "", condition.isEmpty ? "" : "2.0", condition,
                ]))
            assignmentCount += 1
        }
        func nativeRow(
            _ p: Person, type: String, _ role: (String, String), _ scope: String, kind: String = "active",
            end: Timestamp?, condition: String = ""
        ) throws {
            try native.write(
                ExportRow.asNeeded([
                    p.id, p.name, type == "user" ? p.upn : "", type, role.0, role.1, scope, kind, days(200).isoDate,
                    end?.isoDate ?? "", condition,
                ]))
            assignmentCount += 1
        }
        func azRow(_ sp: Person, _ role: (String, String), _ scope: String) throws {
            let name = random.guid()
            var fields: [String] = [
                "\"condition\": null", "\"conditionVersion\": null", "\"createdBy\": null",
                "\"createdOn\": \"\(days(300).isoDate)T10:00:00.000000+00:00\"",
                "\"delegatedManagedIdentityResourceId\": null", "\"description\": \"\"",
                "\"id\": " + ExportRow.json(scope + "/providers/Microsoft.Authorization/roleAssignments/" + name),
                "\"name\": \"\(name)\"", "\"principalId\": \"\(sp.id)\"", "\"principalName\": \"\(random.guid())\"",
                "\"principalType\": \"ServicePrincipal\"",
            ]
            if let range = scope.range(of: "/resourceGroups/") {
                let rg = scope[range.upperBound...].split(separator: "/").first.map(String.init) ?? ""
                fields.append("\"resourceGroup\": " + ExportRow.json(rg))
            }
            fields += [
                "\"roleDefinitionId\": "
                    + ExportRow.json(
                        "/subscriptions/\(subscriptions[0])/providers/Microsoft.Authorization/roleDefinitions/" + role.0
                    ),
                "\"roleDefinitionName\": " + ExportRow.json(role.1), "\"scope\": " + ExportRow.json(scope),
                "\"type\": \"Microsoft.Authorization/roleAssignments\"", "\"updatedBy\": null",
                "\"updatedOn\": \"\(days(300).isoDate)T10:00:00.000000+00:00\"",
            ]
            try az.write((azFirst ? "\n  {\n    " : ",\n  {\n    ") + fields.joined(separator: ",\n    ") + "\n  }")
            azFirst = false
            assignmentCount += 1
        }
        func userRow(
            _ p: Person, guest: Bool = false, enabled: Bool = true, created: Timestamp, last: Timestamp?,
            state: String = ""
        ) throws {
            try usersFile.write(
                ExportRow.asNeeded(
                    [
                        p.id, p.name, p.upn, guest ? "Guest" : "Member", enabled ? "True" : "False", usDate(created),
                        "Engineering", state, iso(last), iso(last.map { $0.adding(days: 0) }),
                    ], lineEnd: "\r\n"))
        }
        func spRow(_ p: Person, last: Timestamp?, managed: Bool = false) throws {
            try spFile.write(
                ExportRow.asNeeded(
                    [p.id, random.guid(), p.name, managed ? "ManagedIdentity" : "Application", "True", iso(last)],
                    lineEnd: "\r\n"))
        }
        func member(_ groupId: String, _ groupName: String, _ memberId: String, group: Bool = false) throws {
            try members.write(
                "\(groupId),\(groupName),\(memberId),\(group ? "#microsoft.graph.group" : "#microsoft.graph.user")\r\n")
            membershipCount += 1
        }
        func activeUser(_ tag: String) throws -> Person {
            let p = newPerson(tag)
            try userRow(p, created: days(400 + Int(random.next() % 1000)), last: days(Int(random.next() % 30)))
            return p
        }
        let farFuture = asOf.adding(days: 365)

        // Background users.
        for _ in 0..<sizes.users { users.append(try activeUser("u")) }
        // Background service principals.
        var sps: [Person] = []
        for i in 0..<sizes.servicePrincipals {
            var p = newPerson("sp")
            p.name = "spn-workload-\(i)"
            sps.append(p)
            try spRow(p, last: days(Int(random.next() % 10)), managed: i % 4 == 0)
        }

        // Subscriptions: the first `k` have too many owners, the next `k` a single owner, the rest exactly two.
        for (i, sub) in subscriptions.enumerated() {
            let scope = "/subscriptions/" + sub
            let owners = i < k ? 4 : (i < 2 * k ? 1 : 2)
            for _ in 0..<owners {
                try nativeRow(try activeUser("owner"), type: "user", Self.owner, scope, end: farFuture)
            }
        }
        plant("too-many-subscription-owners", min(k, subscriptions.count))
        plant("single-subscription-owner", max(0, min(2 * k, subscriptions.count) - k))

        // Groups and memberships: ~20 members each, 5 % nested in a parent group.
        var groups: [(id: String, name: String)] = []
        for i in 0..<sizes.groups { groups.append((random.guid(), "sg-team-\(i)")) }
        let perGroup = max(1, sizes.memberships / max(1, sizes.groups))
        for (g, group) in groups.enumerated() {
            var chosen = Set<Int>()
            let nested = g % 20 == 19 && g > 0
            let count = nested ? perGroup - 1 : perGroup
            while chosen.count < min(count, users.count) { chosen.insert(Int(random.next() % UInt64(users.count))) }
            for u in chosen.sorted() { try member(group.id, group.name, users[u].id) }
            if nested { try member(groups[g - 1].id, groups[g - 1].name, group.id, group: true) }
        }

        // Background assignments: Reader at a resource of its own.
        let background = max(0, sizes.assignments - assignmentCount - 40 * k)
        let groupShare = background * 3 / 10
        let spShare = background / 20
        for i in 0..<groupShare {
            let g = groups[i % groups.count]
            try psRow((g.id, g.name, "", "Group"), Self.reader, uniqueResource(i))
        }
        for i in 0..<spShare { try azRow(sps[i % sps.count], Self.reader, uniqueResource(i)) }
        for i in 0..<(background - groupShare - spShare) {
            let u = users[i % users.count]
            try psRow((u.id, u.name, u.upn, "User"), Self.reader, uniqueResource(i))
        }

        // PIM in use: eligible Reader assignments (eligible access is never standing access).
        for i in 0..<k {
            try nativeRow(
                users[i % users.count], type: "user", Self.reader, uniqueResource(i), kind: "eligible",
                end: farFuture)
        }

        // Over-privilege plants.
        for i in 0..<k {
            try nativeRow(try activeUser("mgc"), type: "user", Self.contributor, mg("mg-sandbox"), end: farFuture)
            _ = i
        }
        plant("privileged-role-broad-scope", k)
        for i in 0..<k {
            let g = newPerson("guestp")
            try userRow(g, guest: true, created: days(300), last: days(3), state: "Accepted")
            try nativeRow(g, type: "user", Self.contributor, uniqueResource(i), end: farFuture)
        }
        plant("guest-privileged-access", k)
        for i in 0..<k {
            let g = newPerson("guest")
            try userRow(g, guest: true, created: days(300), last: days(3), state: "Accepted")
            try psRow((g.id, g.name, g.upn, "User"), Self.reader, uniqueResource(i))
        }
        plant("guest-access", k)
        for i in 0..<k {
            var sp = newPerson("sppriv")
            sp.name = "spn-deploy-\(i)"
            try spRow(sp, last: days(1))
            let sub = subscriptions[i % subscriptions.count]
            try azRow(sp, Self.contributor, "/subscriptions/\(sub)/resourceGroups/rg-deploy-\(i)")
        }
        plant("service-principal-privileged", k)
        for i in 0..<k {
            let u = try activeUser("standing")
            try psRow((u.id, u.name, u.upn, "User"), Self.contributor, uniqueResource(i))
        }
        plant("standing-privileged-access", k)
        for i in 0..<k {
            try nativeRow(
                try activeUser("uaa"), type: "user", Self.userAccessAdministrator, uniqueResource(i),
                end: farFuture)
        }
        plant("unconstrained-access-administrator", k)
        for i in 0..<k {
            var sp = newPerson("spkeys")
            sp.name = "spn-keys-\(i)"
            try spRow(sp, last: days(1))
            try azRow(sp, Self.storageAccountContributor, "/subscriptions/" + subscriptions[i % subscriptions.count])
        }
        plant("credential-role-broad-scope", k)
        // Direct user assignments: six Readers at subscription scope in subscriptions with two owners.
        let directSubs = (2 * k..<min(3 * k, subscriptions.count)).map { $0 }
        for s in directSubs {
            for _ in 0..<6 {
                let u = try activeUser("direct")
                try psRow((u.id, u.name, u.upn, "User"), Self.reader, "/subscriptions/" + subscriptions[s])
            }
        }
        plant("direct-user-assignments", directSubs.count)
        for i in 0..<k {
            let u = try activeUser("redundant")
            let rg = "/subscriptions/\(subscriptions[i % subscriptions.count])/resourceGroups/rg-shared-\(i)"
            try psRow((u.id, u.name, u.upn, "User"), Self.reader, rg)
            try psRow((u.id, u.name, u.upn, "User"), Self.reader, rg + "/providers/Microsoft.Web/sites/shared-\(i)")
        }
        plant("redundant-assignment", k)

        // Custom roles.
        var roles: [String] = []
        func role(_ name: String, actions: [String], notActions: [String] = [], dataActions: [String] = []) -> String {
            let id = random.guid()
            let list: ([String]) -> String = { "[" + $0.map(ExportRow.json).joined(separator: ", ") + "]" }
            roles.append(
                """
                  {
                    "assignableScopes": ["/subscriptions/\(subscriptions[0])"],
                    "description": \(ExportRow.json(name + " (generated)")),
                    "id": "/subscriptions/\(subscriptions[0])/providers/Microsoft.Authorization/roleDefinitions/\(id)",
                    "name": "\(id)",
                    "permissions": [
                      {
                        "actions": \(list(actions)),
                        "dataActions": \(list(dataActions)),
                        "notActions": \(list(notActions)),
                        "notDataActions": []
                      }
                    ],
                    "roleName": \(ExportRow.json(name)),
                    "roleType": "CustomRole",
                    "type": "Microsoft.Authorization/roleDefinitions"
                  }
                """)
            return id
        }
        for i in 0..<k {
            let id = role("Generated Operator \(i)", actions: ["*"])
            try nativeRow(
                try activeUser("ownereq"), type: "user", (id, "Generated Operator \(i)"), uniqueResource(i),
                end: farFuture)
        }
        plant("custom-role-owner-equivalent", k)
        // A `*` custom role can grant access, and these assignments carry no condition (SPEC §4).
        plant("unconstrained-access-administrator", k)
        for i in 0..<k {
            let id = role(
                "Generated Delegator \(i)",
                actions: [
                    "Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/read",
                ])
            try nativeRow(
                try activeUser("delegator"), type: "user", (id, "Generated Delegator \(i)"),
                uniqueResource(i), end: farFuture,
                condition: "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] "
                    + "ForAnyOfAnyValues:GuidEquals {\(Self.reader.0)}")
        }
        plant("custom-role-can-grant-access", k)
        for i in 0..<k {
            let id = role("Generated Compute Operator \(i)", actions: ["Microsoft.Compute/virtualMachines/*"])
            let u = try activeUser("wild")
            try psRow((u.id, u.name, u.upn, "User"), (id, "Generated Compute Operator \(i)"), uniqueResource(i))
        }
        plant("custom-role-wildcard", k)
        for i in 0..<k { _ = role("Generated Unused Reader \(i)", actions: ["Microsoft.Insights/components/read"]) }
        plant("unused-custom-role", k)
        for _ in 0..<5 {
            try nativeRow(try activeUser("ga"), type: "user", Self.globalAdministrator, "/directory", end: farFuture)
        }
        plant("global-admin-count", 1)
        for i in 0..<k {
            let g = (random.guid(), "sg-large-\(i)")
            for j in 0..<60 { try member(g.0, g.1, users[(i * 60 + j) % users.count].id) }
            try native.write(
                ExportRow.asNeeded([
                    g.0, g.1, "", "group", Self.contributor.0, Self.contributor.1, uniqueResource(i), "active",
                    days(200).isoDate, farFuture.isoDate, "",
                ]))
            assignmentCount += 1
        }
        plant("large-group-privileged", k)

        // Stale and orphaned plants.
        for i in 0..<k {
            let u = newPerson("stale")
            try userRow(u, created: days(900), last: days(120))
            try psRow((u.id, u.name, u.upn, "User"), Self.reader, uniqueResource(i))
        }
        plant("stale-account-access", k)
        for i in 0..<k {
            let u = newPerson("never")
            try userRow(u, created: days(200), last: nil)
            try psRow((u.id, u.name, u.upn, "User"), Self.reader, uniqueResource(i))
        }
        plant("never-used-account-access", k)
        for i in 0..<k {
            let u = newPerson("disabled")
            try userRow(u, enabled: false, created: days(900), last: days(10))
            try psRow((u.id, u.name, u.upn, "User"), Self.reader, uniqueResource(i))
        }
        plant("disabled-account-access", k)
        for i in 0..<k {
            try psRow((random.guid(), "", "", "Unknown"), Self.reader, uniqueResource(i))
        }
        plant("orphaned-assignment", k)
        for i in 0..<k {
            let g = newPerson("pending")
            try userRow(g, guest: true, created: days(10), last: nil, state: "PendingAcceptance")
            try psRow((g.id, g.name, g.upn, "User"), Self.reader, uniqueResource(i))
        }
        plant("pending-guest-access", k)
        plant("guest-access", k)
        for i in 0..<k {
            try nativeRow(try activeUser("expired"), type: "user", Self.reader, uniqueResource(i), end: days(20))
        }
        plant("expired-assignment", k)
        for i in 0..<k {
            var sp = newPerson("spstale")
            sp.name = "spn-legacy-\(i)"
            try spRow(sp, last: days(150))
            try azRow(sp, Self.reader, uniqueResource(i))
        }
        plant("stale-service-principal-access", k)
        for i in 0..<k {
            let u = try activeUser("missingdef")
            try psRow((u.id, u.name, u.upn, "User"), (random.guid(), "Retired Custom Role \(i)"), uniqueResource(i))
        }
        plant("missing-role-definition", k)

        // Data: SQL columns (background, plain names, labelled General) and native assets.
        let sql = try TextFile(dir + "/data/sql-classification.csv")
        try sql.write(
            "ResourceId,ResourceGroupName,ServerName,DatabaseName,SchemaName,TableName,ColumnName,SensitivityLabel,"
                + "InformationType,Rank\r\n")
        let columnsPerDatabase = 40
        for i in 0..<sizes.sqlColumns {
            let db = i / columnsPerDatabase
            let sub = subscriptions[db % subscriptions.count]
            let rid =
                "/subscriptions/\(sub)/resourceGroups/rg-sql-\(db % 13)/providers/Microsoft.Sql/servers/"
                + "sql-gen-\(db)/databases/db\(db)"
            let column = Self.plainColumns[i % Self.plainColumns.count] + String(i % columnsPerDatabase)
            try sql.write(
                "\(rid),rg-sql-\(db % 13),sql-gen-\(db),db\(db),dbo,Table\(i % 7),\(column),General,,Low\r\n")
            assetCount += 1
        }
        let assets = try TextFile(dir + "/data/assets.csv")
        try assets.write("asset_id,name,type,resource_id,owner,label,information_types,public\n")
        func asset(
            _ name: String, account: String, label: String, types: String = "", owner: String = "owner@\(Self.domain)",
            isPublic: Bool = false
        ) throws {
            let container = account + "/blobServices/default/containers/" + name
            try assets.write(
                ExportRow.asNeeded([container, name, "storage_container", account, owner, label, types, "\(isPublic)"]))
            assetCount += 1
        }
        func account(_ i: Int, _ tag: String) -> String {
            "/subscriptions/\(subscriptions[i % subscriptions.count])/resourceGroups/rg-data-\(tag)-\(i)/providers/"
                + "Microsoft.Storage/storageAccounts/st\(tag)\(i)"
        }
        for i in 0..<sizes.nativeAssets {
            try asset("logs-\(i)", account: account(i % 50, "bg"), label: "General")
        }
        for i in 0..<k { try asset("customer-email-export-\(i)", account: account(i, "unc"), label: "") }
        plant("unclassified-sensitive-data", k)
        for i in 0..<k {
            try asset("card-batch-\(i)", account: account(i, "under"), label: "General", types: "Credit Card")
        }
        plant("under-classified-data", k)
        for i in 0..<k {
            try asset("svc-api-token-\(i)", account: account(i, "cred"), label: "Confidential", types: "Credentials")
        }
        plant("credentials-in-data", k)
        for i in 0..<k {
            try asset("finance-ledger-\(i)", account: account(i, "noown"), label: "Confidential", owner: "")
        }
        plant("sensitive-data-without-owner", k)
        for i in 0..<k {
            try asset("board-minutes-\(i)", account: account(i, "pub"), label: "Highly Confidential", isPublic: true)
        }
        plant("sensitive-data-public", k)

        // Identity × data plants.
        for i in 0..<k {
            let acct = account(i, "gst")
            try asset("partner-share-\(i)", account: acct, label: "Confidential")
            let g = newPerson("guestdata")
            try userRow(g, guest: true, created: days(300), last: days(2), state: "Accepted")
            try psRow((g.id, g.name, g.upn, "User"), Self.blobDataReader, acct)
        }
        plant("guest-reaches-sensitive-data", k)
        plant("guest-access", k)
        for i in 0..<k {
            let acct = account(i, "stl")
            try asset("research-data-\(i)", account: acct, label: "Confidential")
            let u = newPerson("staledata")
            try userRow(u, created: days(900), last: days(130))
            try psRow((u.id, u.name, u.upn, "User"), Self.blobDataReader, acct)
        }
        plant("inactive-account-reaches-sensitive-data", k)
        plant("stale-account-access", k)
        for i in 0..<k {
            let acct = account(i, "spg")
            try asset("payroll-\(i)", account: acct, label: "Highly Confidential")
            var sp = newPerson("spgrant")
            sp.name = "spn-automation-\(i)"
            try spRow(sp, last: days(1))
            let rg = String(acct[..<acct.range(of: "/providers/")!.lowerBound])
            try nativeRow(
                sp, type: "service_principal", Self.userAccessAdministrator, rg, end: farFuture,
                condition: "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] "
                    + "ForAnyOfAnyValues:GuidEquals {\(Self.reader.0)}")
        }
        plant("service-principal-can-grant-over-sensitive-data", k)
        plant("service-principal-privileged", k)
        for i in 0..<k {
            let acct = account(i, "brd")
            try asset("customer-360-\(i)", account: acct, label: "Highly Confidential")
            let g = (random.guid(), "sg-analysts-\(i)")
            for j in 0..<30 { try member(g.0, g.1, users[(i * 30 + j + 7) % users.count].id) }
            try psRow((g.0, g.1, "", "Group"), Self.blobDataReader, acct)
        }
        plant("broad-reach-sensitive-data", k)

        // AWS credential report.
        let aws = try TextFile(dir + "/aws/credential-report.csv")
        try aws.write(
            "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
                + "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
                + "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
                + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
                + "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
                + "cert_2_active,cert_2_last_rotated")
        let account = "123456789012"
        let reportDay = asOf
        func awsRow(
            _ user: String, password: Bool, passwordUsed: Int?, mfa: Bool, key: Bool, rotated: Int?, keyUsed: Int?
        ) throws {
            let arn = user == "<root_account>" ? "arn:aws:iam::\(account):root" : "arn:aws:iam::\(account):user/\(user)"
            func t(_ daysAgo: Int?) -> String {
                guard let daysAgo else { return "N/A" }
                return reportDay.adding(days: -daysAgo).isoDateTime.replacingOccurrences(of: "Z", with: "+00:00")
            }
            let fields: [String] = [
                user, arn, t(900), user == "<root_account>" ? "not_supported" : "\(password)",
                password ? (passwordUsed.map { t($0) } ?? "no_information") : "N/A", password ? t(60) : "N/A", "N/A",
                "\(mfa)", "\(key)", key ? t(rotated) : "N/A", key ? (keyUsed.map { t($0) } ?? "N/A") : "N/A",
                key ? "us-east-1" : "N/A", key ? "s3" : "N/A", "false", "N/A", "N/A", "N/A", "N/A", "false", "N/A",
                "false", "N/A",
            ]
            try aws.write("\n" + fields.joined(separator: ","))
        }
        try awsRow("<root_account>", password: true, passwordUsed: 40, mfa: false, key: true, rotated: 10, keyUsed: 5)
        plant("aws-root-access-key", 1)
        plant("aws-root-without-mfa", 1)
        for i in 0..<sizes.awsUsers {
            try awsRow("svc-user-\(i)", password: true, passwordUsed: 2, mfa: true, key: true, rotated: 30, keyUsed: 1)
        }
        for i in 0..<k {
            try awsRow(
                "console-nomfa-\(i)", password: true, passwordUsed: 3, mfa: false, key: false, rotated: nil,
                keyUsed: nil)
        }
        plant("aws-console-user-without-mfa", k)
        for i in 0..<k {
            try awsRow(
                "idle-\(i)", password: true, passwordUsed: 100, mfa: true, key: false, rotated: nil, keyUsed: nil)
        }
        plant("aws-unused-credentials", k)
        for i in 0..<k {
            try awsRow(
                "old-key-\(i)", password: false, passwordUsed: nil, mfa: false, key: true, rotated: 200,
                keyUsed: 1)
        }
        plant("aws-access-key-not-rotated", k)

        // Classic administrators (AzGovViz, `;`).
        let classic = try TextFile(dir + "/azure/AzGovViz_mg-root_ClassicAdministrators.csv")
        try classic.write(
            ExportRow.quotedAll(
                ["Subscription", "SubscriptionId", "SubscriptionMgPath", "Identity", "Role"],
                delimiter: ";"))
        for i in 0..<k {
            let sub = subscriptions[i % subscriptions.count]
            try classic.write(
                ExportRow.quotedAll(
                    [
                        "Generated \(i)", sub, "mg-root/mg-landingzones", "coadmin\(i)@\(Self.domain)",
                        "CoAdministrator",
                    ],
                    delimiter: ";"))
        }
        plant("classic-administrator", k)

        // Hierarchy and custom roles.
        let hierarchy = try TextFile(dir + "/azure/management-groups.csv")
        try hierarchy.write("scope,parent_scope\n")
        for child in ["mg-platform", "mg-landingzones", "mg-sandbox"] {
            try hierarchy.write(mg(child) + "," + mg("mg-root") + "\n")
        }
        for (i, sub) in subscriptions.enumerated() {
            try hierarchy.write("/subscriptions/\(sub)," + mg(i % 2 == 0 ? "mg-platform" : "mg-landingzones") + "\n")
        }
        let rolesFile = try TextFile(dir + "/azure/custom-roles.json")
        try rolesFile.write("[\n" + roles.joined(separator: ",\n") + "\n]\n")

        try az.write("\n]\n")
        for file in [ps, native, az, usersFile, spFile, members, sql, assets, aws, classic, hierarchy, rolesFile] {
            try file.close()
        }

        let files = [
            ps, native, az, usersFile, spFile, members, sql, assets, aws, classic, hierarchy, rolesFile,
        ].map { String($0.path.dropFirst(top.count + 1)) }.sorted()
        let summary = GenerationSummary(
            profile: profile.rawValue, seed: seed, asOf: asOf.isoDate, files: files,
            principals: principalCount, groups: sizes.groups + 2 * k, memberships: membershipCount,
            assignments: assignmentCount, assets: assetCount, expectedFindings: expected)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(summary).write(to: URL(fileURLWithPath: top + "/expected-findings.json"))
        return summary
    }
}
