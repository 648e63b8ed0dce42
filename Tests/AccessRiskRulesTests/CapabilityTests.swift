import AccessRiskModel
import AccessRiskRules
import Foundation
import Testing

@Suite("Role catalogue and capabilities")
struct CapabilityTests {
    static let catalogue = BuiltInRoleCatalogue.shipped

    @Test func embeddedCatalogueEqualsTheResourceFile() throws {
        let file = RegistryIntegrityTests.packageRoot.appendingPathComponent(
            "Sources/AccessRiskModel/Resources/builtin-roles.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == BuiltInRoleCatalogue.shippedJSON)
        let decoded = try BuiltInRoleCatalogue(json: text)
        #expect(decoded.roles == Self.catalogue.roles)
    }

    @Test func catalogueIdsAreUniqueLowerCaseGUIDs() {
        let ids = Self.catalogue.roles.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(Set(Self.catalogue.roles.map { $0.name.lowercased() }).count == ids.count)
        for id in ids {
            #expect(id == id.lowercased() && id.count == 36 && id.split(separator: "-").count == 5, "\(id)")
        }
    }

    @Test func specBuiltInCapabilities() throws {
        func caps(_ name: String) throws -> RoleCapabilities {
            try #require(Self.catalogue.role(named: name)).capabilities
        }
        // privileged: exactly the four of SPEC §3.3 among Azure RBAC roles
        let privileged = Self.catalogue.roles.filter { $0.privileged && $0.group != "directory" }.map(\.name).sorted()
        #expect(
            privileged == [
                "Contributor", "Owner", "Role Based Access Control Administrator", "User Access Administrator",
            ])
        let granting = Self.catalogue.roles.filter { $0.canGrantAccess && $0.group != "directory" }.map(\.name).sorted()
        #expect(granting == ["Owner", "Role Based Access Control Administrator", "User Access Administrator"])
        #expect(try !caps("Contributor").canGrantAccess)
        #expect(try caps("Contributor").reachesData && caps("Contributor").reachesAllData)
        #expect(try !caps("Reader").reachesData && !caps("Reader").privileged)
        #expect(try caps("Reader").known)
        #expect(try caps("Owner").ownerEquivalent)
        #expect(try caps("Storage Blob Data Reader").reaches(provider: "microsoft.storage"))
        #expect(try !caps("Storage Blob Data Reader").reaches(provider: "microsoft.keyvault"))
        #expect(try caps("Key Vault Secrets User").reaches(provider: "microsoft.keyvault"))
        #expect(try caps("Cosmos DB Built-in Data Reader").reaches(provider: "microsoft.documentdb"))
        for name in [
            "Storage Account Contributor", "Storage Account Key Operator Service Role", "Reader and Data Access",
            "Key Vault Administrator", "Key Vault Secrets Officer", "Key Vault Secrets User",
        ] {
            #expect(try caps(name).credentialAccess && caps(name).reachesData, "\(name)")
        }
        #expect(try !caps("Storage Blob Data Reader").credentialAccess)
        #expect(Self.catalogue.role(id: "8E3AF657-A8FF-443C-A75C-2FE8C4BCB635")?.name == "Owner")
    }

    @Test(arguments: [
        ("*", "Microsoft.Compute/virtualMachines/write", true),
        ("Microsoft.Authorization/*", "microsoft.authorization/ROLEASSIGNMENTS/write", true),
        ("*/write", "Microsoft.Authorization/roleAssignments/write", true),
        ("*/read", "Microsoft.Authorization/roleAssignments/write", false),
        ("Microsoft.Storage/*/listKeys/action", "Microsoft.Storage/storageAccounts/listKeys/action", true),
        ("Microsoft.Storage/*/listKeys/action", "Microsoft.Storage/storageAccounts/read", false),
        ("Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/write/x", false),
        ("a*a", "a", false),
        ("a*a", "aa", true),
        ("*storage*", "Microsoft.Storage/x", true),
    ])
    func globMatching(_ pattern: String, _ action: String, _ expected: Bool) {
        #expect(ActionPattern(pattern).matches(action) == expected)
    }

    @Test func customRoleCapabilitiesFollowActionsMinusNotActions() {
        func role(_ actions: [String], not: [String] = [], data: [String] = []) -> RoleCapabilities {
            RoleDefinition(id: "x", name: "x", isCustom: true, actions: actions, notActions: not, dataActions: data)
                .computedCapabilities
        }
        let owner = role(["*"])
        #expect(owner.ownerEquivalent && owner.privileged && owner.canGrantAccess && owner.reachesAllData)

        let contributorLike = role(
            ["*"],
            not: [
                "Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete",
                "Microsoft.Authorization/elevateAccess/Action",
            ])
        #expect(!contributorLike.ownerEquivalent && contributorLike.privileged && !contributorLike.canGrantAccess)

        let writer = role(["*/write"])
        #expect(writer.privileged && writer.canGrantAccess && !writer.ownerEquivalent)

        let writerMinus = role(["*/write"], not: ["Microsoft.Authorization/roleAssignments/*"])
        #expect(!writerMinus.privileged)
        #expect(writerMinus.canGrantAccess, "role definitions can still be written")

        let elevate = role(["Microsoft.Authorization/elevateAccess/Action"])
        #expect(elevate.canGrantAccess && !elevate.privileged)

        let keys = role(["Microsoft.Storage/storageAccounts/listKeys/action"])
        #expect(keys.reachesData && keys.credentialAccess && keys.dataProviders == ["microsoft.storage"])
        #expect(!keys.reachesAllData && !keys.privileged && !keys.hasWildcard)

        let keysRemoved = role(["Microsoft.Storage/*"], not: ["Microsoft.Storage/storageAccounts/listKeys/action"])
        #expect(!keysRemoved.reachesData && keysRemoved.hasWildcard)

        let blobData = role([], data: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"])
        #expect(blobData.reaches(provider: "microsoft.storage") && !blobData.reaches(provider: "microsoft.sql"))

        let allData = role([], data: ["*"])
        #expect(allData.reachesAllData && allData.hasWildcard)

        let secrets = role([], data: ["Microsoft.KeyVault/vaults/secrets/getSecret/action"])
        #expect(secrets.credentialAccess && secrets.dataProviders == ["microsoft.keyvault"])

        let reader = role(["*/read"])
        #expect(!reader.privileged && !reader.reachesData && !reader.canGrantAccess && reader.hasWildcard)
    }

    @Test func resolverPrefersCatalogueThenDefinitionsAndReportsUnknown() {
        let custom = RoleDefinition(
            id: "c0ffee00-0000-0000-0000-000000000001", name: "Ops", isCustom: true, actions: ["*"])
        let resolver = RoleResolver(definitions: [custom.id: custom])
        func a(_ id: String?, _ name: String) -> Assignment {
            Assignment(principalId: "u", principalType: .user, roleId: id, roleName: name, scope: .root)
        }
        #expect(resolver.capabilities(of: a(BuiltInRoleCatalogue.Known.owner, "whatever")).ownerEquivalent)
        #expect(resolver.capabilities(of: a(nil, "contributor")).privileged)
        #expect(resolver.capabilities(of: a(custom.id, "Ops")).ownerEquivalent)
        #expect(resolver.capabilities(of: a(nil, "OPS")).ownerEquivalent)
        let unknown = resolver.capabilities(of: a("deadbeef-0000-0000-0000-000000000000", "Mystery"))
        #expect(unknown == .unknown && !unknown.known && !unknown.privileged)
    }

    @Test func analysisCachesCapabilitiesByRoleKey() {
        var m = AccessModel()
        m.assign("u1", role: .reader, scope: ExampleScope.sub1)
        m.assign("u2", role: .contributor, scope: ExampleScope.sub1)
        let analysis = AccessAnalysis(model: m)
        #expect(!analysis.capabilities(of: m.assignments[0]).privileged)
        #expect(analysis.capabilities(of: m.assignments[1]).privileged)
        // An assignment not in the model is still resolved.
        let other = Assignment(
            principalId: "x", principalType: .user, roleId: BuiltInRoleCatalogue.Known.userAccessAdministrator,
            roleName: "User Access Administrator", scope: .root)
        #expect(analysis.capabilities(of: other).canGrantAccess)
    }
}
