import Testing

@testable import AccessRiskModel

@Suite struct ScopeTests {
    static let sub = "/subscriptions/AAAAAAAA-0000-0000-0000-000000000001"

    @Test(arguments: [
        ("/", ScopeLevel.root),
        ("/providers/Microsoft.Management/managementGroups/mg-corp", .managementGroup),
        (sub, .subscription),
        (sub + "/resourceGroups/rg-data", .resourceGroup),
        (sub + "/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/st1", .resource),
        (
            sub + "/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default",
            .resource
        ),
        (sub + "/providers/Microsoft.Security/pricings/VirtualMachines", .resource),
        ("/directory", .directory),
        ("/directory/administrativeUnits/au-1", .directory),
        ("arn:aws:s3:::bucket", .other),
        (sub + "/resourceGroups", .other),
    ])
    func levels(_ text: String, _ level: ScopeLevel) {
        #expect(Scope(text).level == level)
    }

    /// A scope's key hash is the shared-seed hash of its key: a table with the shared seed finds it by that hash,
    /// equal keys (however the exports cased them) share a slot, and a different key is not found.
    @Test func keyHashFindsTheScopeInASharedSeedTable() {
        let texts = [
            Self.sub + "/resourceGroups/RG-Data/", Self.sub.lowercased() + "/resourcegroups/rg-data", "/",
            "/providers/Microsoft.Management/managementGroups/Ärger", Self.sub + "/resourceGroups/rg-other",
        ]
        var table = CellTable<Int>(expecting: 0, sharedSeed: true)
        var slots: [Int] = []
        for text in texts {
            let scope = Scope(text)
            var key = scope.key
            #expect(key.withUTF8 { table.hash($0) } == scope.keyHash)
            #expect(key.withUTF8 { CellHash.hash($0) } == scope.keyHash)
            if let found = table.find(scope.key, hash: scope.keyHash) {
                slots.append(found)
            } else {
                slots.append(table.count)
                table.insert(key: scope.key, value: table.count, hash: scope.keyHash)
            }
        }
        #expect(slots == [0, 0, 1, 2, 3])
        #expect(table.find(Scope("/subscriptions/x").key, hash: Scope("/subscriptions/x").keyHash) == nil)
        // A table with its own seed hashes differently (a crafted file cannot aim at it).
        let own = CellTable<Int>(expecting: 0)
        var key = Scope(texts[0]).key
        #expect(key.withUTF8 { own.hash($0) } != Scope(texts[0]).keyHash)
    }

    @Test func partsAreLowerCased() {
        let s = Scope(Self.sub + "/resourceGroups/RG-Data/providers/Microsoft.Storage/storageAccounts/St1")
        #expect(s.subscriptionId == "aaaaaaaa-0000-0000-0000-000000000001")
        #expect(s.resourceGroup == "rg-data")
        #expect(s.providerNamespace == "microsoft.storage")
        #expect(s.original.hasSuffix("St1"))
        #expect(Scope("/providers/Microsoft.Management/managementGroups/MG-Corp").managementGroup == "mg-corp")
    }

    @Test func trailingSlashAndCaseAreIgnored() {
        #expect(Scope(Self.sub + "/") == Scope(Self.sub.lowercased()))
        #expect(Scope(Self.sub + "//").key == Scope(Self.sub).key)
        #expect(Scope("  /  ").level == .root)
        #expect(Scope("").level == .root)
        #expect(Scope(Self.sub + "/").original == Self.sub)
    }

    @Test func coversByPath() {
        let sub = Scope(Self.sub)
        let rg = Scope(Self.sub + "/resourceGroups/rg-data")
        let res = Scope(Self.sub.lowercased() + "/resourcegroups/RG-DATA/providers/Microsoft.Sql/servers/s1/")
        #expect(Scope.root.coversByPath(sub))
        #expect(Scope.root.coversByPath(res))
        #expect(sub.coversByPath(rg))
        #expect(sub.coversByPath(res))
        #expect(rg.coversByPath(res))
        #expect(rg.coversByPath(rg))
        #expect(!rg.coversByPath(sub))
        #expect(!res.coversByPath(rg))
        // A prefix that is not a path boundary does not cover.
        #expect(!Scope(Self.sub + "/resourceGroups/rg").coversByPath(rg))
        // Directory roles are a separate world.
        #expect(!Scope.root.coversByPath(.directory))
        #expect(!Scope.directory.coversByPath(sub))
        #expect(Scope.directory.coversByPath(Scope("/Directory/")))
    }
}

@Suite struct ScopeHierarchyTests {
    static let root = Scope("/providers/Microsoft.Management/managementGroups/tenant-root")
    static let corp = Scope("/providers/Microsoft.Management/managementGroups/mg-corp")
    static let online = Scope("/providers/Microsoft.Management/managementGroups/mg-online")
    static let sub1 = Scope("/subscriptions/s1")
    static let sub2 = Scope("/subscriptions/s2")
    static let hierarchy = ScopeHierarchy(edges: [
        HierarchyEdge(scope: corp, parent: root),
        HierarchyEdge(scope: online, parent: root),
        HierarchyEdge(scope: Scope("/subscriptions/S1/"), parent: Scope(corp.original.uppercased())),
        HierarchyEdge(scope: sub2, parent: online),
    ])

    @Test func managementGroupsCoverThroughTheHierarchy() {
        let h = Self.hierarchy
        let rgInSub1 = Scope("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv")
        #expect(h.covers(Self.corp, Self.sub1))
        #expect(h.covers(Self.corp, rgInSub1))
        #expect(h.covers(Self.root, rgInSub1))  // two levels up
        #expect(h.covers(Self.root, Self.corp))
        #expect(!h.covers(Self.corp, Self.sub2))
        #expect(!h.covers(Self.online, rgInSub1))
        #expect(!h.covers(Self.corp, Self.root))
        #expect(h.ancestors(of: rgInSub1) == [Self.corp.key, Self.root.key])
    }

    @Test func rootSubscriptionAndResourceGroupCoverByPath() {
        let h = Self.hierarchy
        #expect(h.covers(.root, Self.sub2))
        #expect(h.covers(Self.sub1, Scope("/subscriptions/S1/resourceGroups/x")))
        #expect(!h.covers(Self.sub1, Self.sub2))
        #expect(
            h.covers(
                Scope("/subscriptions/s1/resourceGroups/x/"),
                Scope("/subscriptions/s1/resourcegroups/X/providers/a/b/c")))
    }

    @Test func withoutAHierarchyAManagementGroupCoversOnlyItself() {
        let h = ScopeHierarchy(edges: [])
        #expect(!h.covers(Self.corp, Self.sub1))
        #expect(h.covers(Self.corp, Self.corp))
    }

    @Test func cyclesInTheInputAreCut() {
        let a = Scope("/providers/Microsoft.Management/managementGroups/a")
        let b = Scope("/providers/Microsoft.Management/managementGroups/b")
        let h = ScopeHierarchy(edges: [
            HierarchyEdge(scope: a, parent: b), HierarchyEdge(scope: b, parent: a),
            HierarchyEdge(scope: Self.sub1, parent: a),
        ])
        #expect(h.covers(b, Self.sub1))
        #expect(h.ancestors(of: Self.sub1) == [a.key, b.key])
    }
}

@Suite struct AssignmentIdStorageTests {
    let scope = Scope("/subscriptions/S1/resourceGroups/RG")

    @Test func armIdsAreStoredRelativeToTheScopeAndReadBackWhole() {
        let id = "/subscriptions/s1/resourcegroups/rg/providers/microsoft.authorization/roleassignments/abc"
        var a = Assignment(id: id, principalId: "p", principalType: .user, roleName: "Reader", scope: scope)
        #expect(a.idIsScopeRelative)
        #expect(a.storedId == "abc")
        #expect(a.id == id)
        // Moving the assignment keeps its id as it was.
        a.scope = Scope("/subscriptions/s2")
        #expect(a.id == id)
        #expect(!a.idIsScopeRelative)
    }

    @Test(arguments: [
        "abc", "/subscriptions/s1/resourcegroups/rg/providers/microsoft.authorization/roleassignments/",
        "/subscriptions/s1/resourcegroups/rg/providers/microsoft.authorization/roleassignments/a/b",
        "/subscriptions/s1/resourcegroups/rg2/providers/microsoft.authorization/roleassignments/abc",
        "/subscriptions/s1/resourcegroups/rg/providers/microsoft.authorization/roledefinitions/abc",
    ])
    func otherIdsAreStoredAsGiven(_ id: String) {
        let a = Assignment(id: id, principalId: "p", principalType: .user, roleName: "Reader", scope: scope)
        #expect(a.id == id)
        #expect(!a.idIsScopeRelative)
    }

    @Test func equalAssignmentsStayEqual() {
        let id = "/subscriptions/s1/resourcegroups/rg/providers/microsoft.authorization/roleassignments/abc"
        let a = Assignment(id: id, principalId: "p", principalType: .user, roleName: "Reader", scope: scope)
        var b = Assignment(principalId: "p", principalType: .user, roleName: "Reader", scope: scope)
        b.id = id
        #expect(a == b)
        #expect(Assignment(principalId: "p", principalType: .user, roleName: "Reader", scope: scope).id == nil)
    }

    @Test func segmentsAreTheNonEmptyPartsBetweenSlashes() {
        func segments(_ text: String) -> [String] {
            let bytes = Array(text.utf8)
            return Scope.segmentRanges(bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
        }
        #expect(segments("//a///b/") == ["a", "b"])
        #expect(segments("/subscriptions/s1/resourcegroups/rg") == ["subscriptions", "s1", "resourcegroups", "rg"])
        #expect(segments("/").isEmpty)
        #expect(segments("").isEmpty)
        #expect(segments("é/ü") == ["é", "ü"])
        // A cell with spaces around it is trimmed; one without keeps its own text.
        #expect(Scope("  /Subscriptions/S1/  ").original == "/Subscriptions/S1")
        #expect(Scope("/Subscriptions/S1").key == "/subscriptions/s1")
    }
}
