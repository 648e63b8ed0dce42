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
    /// The keys of the scopes that can cover it (``DataReach/coveringScopeKeys(_:)``).
    let coveringKeys: [String]
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
struct DataReach {
    let context: RuleContext

    /// The resources holding assets whose effective label tier is at least `minimumTier`, sorted by key. Worked out
    /// once per tier for all the data rules of a run.
    func sensitiveResources(minimumTier: Int) -> [SensitiveResource] {
        context.shared.sensitiveResources(minimumTier: minimumTier) { findSensitiveResources(minimumTier: minimumTier) }
    }

    private func findSensitiveResources(minimumTier: Int) -> [SensitiveResource] {
        struct Acc {
            var resourceId: String
            var top: SensitivityLabel
            var count: Int
            var samples: [String]
        }
        var byKey: [String: Acc] = [:]
        let assets = context.model.assets
        let classifications = context.assetClassifications
        // The assets of one resource mostly follow each other: the key of the last resource id is reused.
        var last: (resourceId: String, key: String)?
        // Tiers read in place, by index: an asset is copied only when it counts.
        for i in assets.indices {
            guard let tier = classifications[i].effectiveLabel?.tier, tier >= minimumTier,
                let order = classifications[i].effectiveLabel?.order, !assets[i].resourceId.trimmingSpaces.isEmpty
            else { continue }
            let resourceId = assets[i].resourceId
            let key: String
            if let last, last.resourceId == resourceId {
                key = last.key
            } else {
                key = Scope(resourceId).key
                last = (resourceId, key)
            }
            // Updated in place (one lookup, no copy of the entry).
            if let slot = byKey.index(forKey: key) {
                if order > byKey.values[slot].top.order, let label = classifications[i].effectiveLabel {
                    byKey.values[slot].top = label
                }
                byKey.values[slot].count += 1
                if byKey.values[slot].samples.count < 3 { byKey.values[slot].samples.append(assets[i].name) }
            } else if let label = classifications[i].effectiveLabel {
                byKey[key] = Acc(resourceId: resourceId, top: label, count: 1, samples: [assets[i].name])
            }
        }
        return byKey.keys.sorted().map { key in
            let acc = byKey[key]!
            let scope = Scope(acc.resourceId)
            return SensitiveResource(
                resourceId: acc.resourceId, key: key, scope: scope, provider: scope.providerNamespace,
                topLabel: acc.top, assetCount: acc.count, sampleAssets: acc.samples,
                coveringKeys: coveringScopeKeys(scope))
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
        let analysis = context.analysis
        let traits = context.shared.assignmentTraits(context)
        // The assignments at each covering scope come from the analysis's index. Holders (groups expanded once
        // each) that pass `include` are worked out once per assignment that covers a resource, and shared when
        // all pass: a table of every assignment's holders held a copy of seven million members at the enterprise
        // size.
        var expanded: [String: [(memberId: String, chain: [String])]] = [:]
        var holdersByAssignment: [Int32: [(memberId: String, chain: [String])]] = [:]
        var out: [[ReachGrant]] = []
        out.reserveCapacity(resources.count)
        for resource in resources {
            var found: [ReachGrant] = []
            for scopeKey in resource.coveringKeys {
                for index in analysis.assignmentIndices(atKey: scopeKey) {
                    let i = Int(index)
                    guard traits[i].level != .directory else { continue }
                    let caps = analysis.capabilities(ofAssignment: i)
                    guard caps.reachesData || caps.canGrantAccess, allows(caps, resource.provider) else { continue }
                    let holders: [(memberId: String, chain: [String])]
                    if let known = holdersByAssignment[index] {
                        holders = known
                    } else {
                        let a = model.assignments[i]
                        let all = self.holders(of: a, cache: &expanded)
                        let kept = all.filter { include($0.memberId, a) }
                        holders = kept.count == all.count ? all : kept
                        holdersByAssignment[index] = holders
                    }
                    for (member, chain) in holders {
                        found.append(
                            ReachGrant(assignmentIndex: i, principalId: member, chain: chain, capabilities: caps))
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

// MARK: - Built-in roles

/// GUIDs of the built-in roles the data rules' examples use.
enum BuiltInDataRoles {
    static let owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
    static let contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c"
    static let userAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
    static let rbacAdministrator = "f58310d9-a9f6-439a-9e8d-f62e7b41a168"
    static let reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    static let storageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
    static let storageAccountContributor = "17d1049b-9a84-46fb-8f53-869881c3d3ab"
    static let keyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6"
}
