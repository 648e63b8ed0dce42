import AccessRiskCSV
import AccessRiskModel

/// What a row says about one assignment, before it is added.
struct AssignmentDraft {
    var id: String?
    /// The name of an ARM assignment id `{scope}/providers/microsoft.authorization/roleassignments/{name}` whose
    /// scope is the draft's, lower-cased, read from the cell's bytes instead of ``id`` (the full id is not made).
    var scopeRelativeId: String?
    var principalId: String?
    var principalName: String?
    var principalUPN: String?
    var type: (PrincipalType, guest: Bool) = (.unknown, false)
    var typeBlank = false
    /// False when the export has no principal type column (or the type was guessed).
    var typeStated = true
    var roleId: String?
    var roleName: String?
    var scope: Scope?
    var assignmentType: AssignmentType = .active
    var createdOn: Timestamp?
    var endOn: Timestamp?
    var condition: String?
}

enum AssignmentImport {
    /// The cells whose interned strings ``common(_:_:)`` asks for ahead.
    static let prefetchedFields = ["principal_id", "principal_name", "principal_upn"]

    /// The principal, role and dates columns AzGovViz's RoleAssignments and PIMEligibility files share.
    static func fillAzGovVizPrincipalAndRole(_ d: inout AssignmentDraft, _ r: Record, _ sink: ImportSink) throws {
        d.principalId = try Vocabulary.objectId(r, "principal_id", sink)
        d.principalName = r.internedText("principal_name", sink)
        d.principalUPN = r.internedText("principal_upn", sink)
        d.type = try Vocabulary.principalType(r, "principal_type", sink)
        d.roleId = Vocabulary.roleId(r, "role_id", sink)
        d.roleName = Vocabulary.roleName(r, "role_name", sink)
        d.createdOn = try r.date("created_on")
        d.endOn = try r.date("end_on")
    }

    /// Validates a draft and adds it, or counts it as a duplicate of an assignment already imported. The draft's
    /// strings are the sink's interned ones (every format reads them so).
    static func add(_ d: AssignmentDraft, _ record: Record, _ sink: ImportSink) throws -> RowOutcome {
        let upn = d.principalUPN.map { $0.lowercasedIfNeeded() }
        guard let principal = d.principalId ?? upn.map({ sink.intern("upn:" + $0)! }) else {
            throw RowProblem(field: "principal_id", "no principal object id (nor a UPN) on the row")
        }
        guard let roleName = d.roleName ?? d.roleId else {
            throw RowProblem(field: "role_name", "no role name or role definition id on the row")
        }
        guard let scope = d.scope else { throw RowProblem(field: "scope", "no scope on the row") }
        if d.type.0 == .unknown, d.typeStated {
            sink.note(d.typeBlank ? "blank-type" : "unknown-principal")
        }
        var assignment = Assignment(
            id: d.id?.lowercasedIfNeeded(), principalId: principal, principalName: d.principalName,
            principalUPN: d.principalUPN, principalType: d.type.0, roleId: d.roleId, roleName: roleName, scope: scope,
            assignmentType: d.assignmentType, createdOn: d.createdOn,
            endOn: d.endOn,
            condition: d.condition, principalIsGuest: d.type.guest || (upn?.containsBytes("#ext#") ?? false),
            source: sink.source(record), principalTypeStated: d.typeStated && !d.typeBlank)
        if let name = d.scopeRelativeId { assignment.setScopeRelativeId(name) }
        let first =
            if let id = d.scopeRelativeId ?? d.id {
                sink.firstTimeAssignment(id, d.assignmentType)
            } else {
                sink.firstTime("grant|\(d.assignmentType.rawValue)|" + assignment.grantKey)
            }
        guard first else {
            sink.note("duplicate")
            return .duplicate
        }
        sink.model.assignments.append(assignment)
        sink.trimIfNotKeeping()
        return .used
    }

    /// The common columns of PowerShell, the portal download, the native format and most scripts.
    static func common(_ r: Record, _ sink: ImportSink) throws -> AssignmentDraft {
        // The table slots this row will look up (its id in the set of ids seen, its principal's id, name and UPN in
        // the interned strings) are cache misses in tables of a million entries: asked for first, so they load
        // while the row's other cells are read.
        _ = r.withPlainCell("assignment_name") { bytes -> Bool? in
            if let guid = Vocabulary.guid(bytes) { sink.seenActiveIds.prefetch(guid) }
            return nil
        }
        for field in prefetchedFields {
            _ = r.withPlainCell(field) { bytes -> Bool? in
                sink.strings.prefetch(bytes)
                return nil
            }
        }
        var d = AssignmentDraft()
        d.principalId = try Vocabulary.objectId(r, "principal_id", sink)
        d.principalName = r.internedText("principal_name", sink)
        d.principalUPN = r.internedText("principal_upn", sink)
        d.type = try Vocabulary.principalType(r, "principal_type", sink)
        d.typeBlank = r.has("principal_type") && r.text("principal_type") == nil
        d.typeStated = r.has("principal_type")
        d.roleId = Vocabulary.roleId(r, "role_id", sink)
        d.roleName = Vocabulary.roleName(r, "role_name", sink)
        d.scope = try Vocabulary.armScope(r, "scope", sink)
        if let scope = d.scope, let name = r.withPlainCell("assignment_id", { scopeRelativeName($0, scope) }) {
            d.scopeRelativeId = name
        } else {
            d.id = r.text("assignment_id") ?? r.text("assignment_name")
        }
        if d.scope == nil, let id = d.id, let s = Vocabulary.scope(fromAssignmentId: id) { d.scope = sink.scope(s) }
        d.assignmentType = try Vocabulary.assignmentType(r, "assignment_type")
        d.createdOn = try r.date("created_on")
        d.endOn = try r.date("end_on")
        if let raw = r.raw("condition"), !NoValue.isNoValue(raw) { d.condition = raw }
        return d
    }

    /// The name of an ARM assignment id cell `{scope}/providers/microsoft.authorization/roleassignments/{name}` of
    /// this scope, compared without regard to ASCII case and lower-cased, as ``Assignment/id`` would keep it; nil
    /// for anything else (another scope, a path after the name, non-ASCII bytes).
    static func scopeRelativeName(_ cell: UnsafeBufferPointer<UInt8>, _ scope: Scope) -> String? {
        var key = scope.key
        return key.withUTF8 { key -> String? in
            Assignment.armIdInfix.utf8.withContiguousStorageIfAvailable { infix -> String? in
                let start = key.count + infix.count
                guard cell.count > start else { return nil }
                for i in 0..<key.count where lower(cell[i]) != key[i] { return nil }
                for i in 0..<infix.count where lower(cell[key.count + i]) != infix[i] { return nil }
                var bits: UInt8 = 0
                for i in start..<cell.count {
                    bits |= cell[i]
                    if cell[i] == UInt8(ascii: "/") { return nil }
                }
                guard bits < 0x80 else { return nil }
                return String(unsafeUninitializedCapacity: cell.count - start) { out in
                    for i in start..<cell.count { out[i - start] = lower(cell[i]) }
                    return cell.count - start
                }
            } ?? nil
        }
    }

    /// An ASCII letter lower-cased; any other byte as it is.
    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    static let commonColumns: [Column] = [
        Column("assignment_id", ["RoleAssignmentId", "assignment_id"]),
        Column("assignment_name", ["RoleAssignmentName"]),
        Column("principal_id", ["ObjectId", "principal_id", "object_id"]),
        Column("principal_name", ["DisplayName", "principal_name", "PrincipalName"]),
        Column("principal_upn", ["SignInName", "principal_upn", "UserPrincipalName", "upn"]),
        Column("principal_type", ["ObjectType", "principal_type", "PrincipalType"]),
        Column("role_id", ["RoleDefinitionId", "role_id"]),
        Column("role_name", ["RoleDefinitionName", "role_name"]),
        Column("scope", ["Scope"]),
        Column("assignment_type", ["assignment_type"]),
        Column("created_on", ["created_on", "CreatedOn"]),
        Column("end_on", ["end_on", "EndOn", "EndDateTime"]),
        Column("condition", ["Condition"]),
    ]

    /// `Get-AzRoleAssignment | Export-Csv` (both column generations) and the portal's IAM download. Classic
    /// administrators (`-IncludeClassicAdministrators`) become ``ClassicAdministrator`` values.
    static let powershell = ImportFormat(
        id: "azure-powershell-role-assignments", name: "Get-AzRoleAssignment / portal IAM download",
        kind: .assignments, jsonId: "azure-portal-role-assignments-json",
        domains: [.assignments, .classicAdministrators],
        signature: [["RoleDefinitionName"], ["Scope"], ["ObjectId", "SignInName", "DisplayName"]],
        columns: commonColumns, priority: 10,
        handler: { r, sink in
            // An object id is a plain cell: known without making a String of it.
            let hasPrincipal = r.withPlainCell("principal_id", { _ in true }) ?? (r.text("principal_id") != nil)
            let roleName = hasPrincipal ? "" : r.text("role_name") ?? ""
            if !hasPrincipal,
                ["serviceadministrator", "coadministrator", "accountadministrator"].contains(where: {
                    HeaderName.normalize(roleName).contains($0)
                })
            {
                return try ClassicImport.add(
                    subscription: Scope(r.text("scope") ?? "").subscriptionId ?? r.text("scope") ?? "",
                    identity: try r.required("principal_upn"), role: roleName, r, sink)
            }
            return try add(try common(r, sink), r, sink)
        })

    /// The native `assignments` template (SPEC §2.3).
    static let native = ImportFormat(
        id: "native-assignments", name: "native assignments", kind: .assignments,
        signature: [["principal_id", "principal_upn"], ["role_id", "role_name"], ["scope"], ["assignment_type"]],
        columns: commonColumns, priority: 20,
        handler: { r, sink in try add(try common(r, sink), r, sink) })

    /// `az role assignment list` JSON (keys sorted, `principalName` is a UPN, group name or app id).
    static let azCLI = ImportFormat(
        id: "az-role-assignment-list", name: "az role assignment list (JSON)", kind: .assignments,
        signature: [["principalId"], ["roleDefinitionId"], ["scope"]],
        columns: [
            Column("assignment_id", ["id"]),
            Column("assignment_name", ["name"]),
            Column("principal_id", ["principalId"]),
            Column("principal_name", ["principalName"]),
            Column("principal_type", ["principalType"]),
            Column("role_id", ["roleDefinitionId"]),
            Column("role_name", ["roleDefinitionName"]),
            Column("scope", ["scope"]),
            Column("created_on", ["createdOn"]),
            Column("condition", ["condition"]),
        ], priority: 10,
        handler: { r, sink in
            var d = try common(r, sink)
            // principalName is the UPN for users, the display name for groups and the app id for service principals.
            if d.type.0 == .user, let name = d.principalName, name.containsBytes("@") {
                d.principalUPN = name
                d.principalName = nil
            } else if d.type.0.isWorkload {
                d.principalName = nil
            }
            return try add(d, r, sink)
        })

    /// AzGovViz `*_RoleAssignments.csv`: one row per assignment, repeated per inherited scope and per group member.
    static let azGovVizAssignments = ImportFormat(
        id: "azgovviz-role-assignments", name: "AzGovViz RoleAssignments", kind: .assignments,
        domains: [.assignments, .memberships, .hierarchy],
        signature: [
            ["RoleAssignmentId"], ["RoleClear"], ["ObjectId"], ["ScopeTenOrMgOrSubOrRGOrRes", "AssignmentType"],
        ],
        columns: [
            Column("assignment_id", ["RoleAssignmentId"]),
            Column("principal_id", ["ObjectId"]),
            Column("principal_name", ["ObjectDisplayName"]),
            Column("principal_upn", ["ObjectSignInName"]),
            Column("principal_type", ["ObjectType"]),
            Column("role_id", ["RoleId"]),
            Column("role_name", ["RoleClear"]),
            Column("via", ["AssignmentType"]),
            Column("inherit_from", ["AssignmentInheritFrom"]),
            Column("mg_id", ["MgId"]),
            Column("mg_parent_id", ["MgParentId"]),
            Column("subscription_id", ["SubscriptionId"]),
            Column("created_on", ["CreatedOn"]),
            Column("end_on", ["RoleAssignmentPIMAssignmentSlotEnd"]),
        ], priority: 30,
        handler: { r, sink in
            deriveHierarchy(r, sink)
            // An `indirect` row repeats a group's assignment for one member: keep the membership, not the row.
            if let via = r.text("via"), via.lowercased() == "indirect" {
                if let member = try Vocabulary.objectId(r, "principal_id", sink),
                    let group = sink.intern(groupId(fromInheritFrom: r.text("inherit_from")))
                {
                    if sink.firstTimeMembership(group, member) {
                        let type = Vocabulary.principalType(r.text("principal_type"))?.0
                        sink.model.memberships.append(Membership(groupId: group, memberId: member, memberType: type))
                    }
                }
                sink.note("duplicate")
                return .duplicate
            }
            var d = AssignmentDraft()
            d.id = try r.required("assignment_id")
            guard let scope = Vocabulary.scope(fromAssignmentId: d.id!) else {
                throw RowProblem(field: "assignment_id", "not an assignment id ({scope}/providers/…/roleAssignments/…)")
            }
            d.scope = sink.scope(scope)
            try fillAzGovVizPrincipalAndRole(&d, r, sink)
            return try add(d, r, sink)
        })

    /// Every AzGovViz row names its management group, that group's parent and the subscription: the hierarchy
    /// comes for free (subscription → management group → parent).
    static func deriveHierarchy(_ r: Record, _ sink: ImportSink) {
        guard let mg = r.text("mg_id") else { return }
        let mgScope = sink.scope("/providers/Microsoft.Management/managementGroups/" + mg)
        var edges: [HierarchyEdge] = []
        if let parent = r.text("mg_parent_id"), parent.lowercased() != mg.lowercased() {
            edges.append(
                HierarchyEdge(
                    scope: mgScope, parent: sink.scope("/providers/Microsoft.Management/managementGroups/" + parent)))
        }
        if let sub = r.text("subscription_id") {
            edges.append(HierarchyEdge(scope: sink.scope("/subscriptions/" + sub), parent: mgScope))
        }
        for edge in edges where sink.firstTime("hierarchy|\(edge.scope.key)|\(edge.parent.key)") {
            sink.model.hierarchy.append(edge)
            sink.note("hierarchy")
        }
    }

    /// `"<group name> (<group id>)"` → the group id.
    static func groupId(fromInheritFrom text: String?) -> String? {
        guard let text, text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return nil }
        let id = text[text.index(after: open)..<text.index(before: text.endIndex)]
        return id.isEmpty ? nil : Principal.key(String(id))
    }

    /// AzGovViz `*_PIMEligibility.csv`: eligible assignments, repeated per scope they are inherited into.
    static let azGovVizPIM = ImportFormat(
        id: "azgovviz-pim-eligibility", name: "AzGovViz PIMEligibility", kind: .assignments,
        signature: [["PIMEligibilityId"], ["IdentityObjectId"], ["RoleIdGuid", "RoleId"]],
        columns: [
            Column("assignment_id", ["PIMEligibilityId"]),
            Column("scope_id", ["ScopeId"]),
            Column("scope_level", ["Scope"]),
            Column("mg_id", ["ManagementGroupId"]),
            Column("subscription_id", ["SubscriptionId"]),
            Column("principal_id", ["IdentityObjectId"]),
            Column("principal_name", ["IdentityDisplayName"]),
            Column("principal_upn", ["IdentitySignInName"]),
            Column("principal_type", ["IdentityType"]),
            Column("applicability", ["IdentityApplicability"]),
            Column("role_id", ["RoleIdGuid", "RoleId"]),
            Column("role_name", ["Role"]),
            Column("created_on", ["PIMEligibilityStartDateTime"]),
            Column("end_on", ["PIMEligibilityEndDateTime"]),
        ], priority: 30,
        handler: { r, sink in
            if let applies = r.text("applicability")?.lowercased(), applies.contains("nested") || applies == "indirect"
            {
                sink.note("via-group")
                return .duplicate
            }
            var d = AssignmentDraft()
            d.id = try r.required("assignment_id")
            d.assignmentType = .eligible
            d.scope = pimScope(r)
            if d.scope == nil, let s = Vocabulary.scope(fromAssignmentId: d.id!) { d.scope = Scope(s) }
            try fillAzGovVizPrincipalAndRole(&d, r, sink)
            return try add(d, r, sink)
        })

    /// The ARM scope of an AzGovViz PIM row: `ScopeId` when it is a path, else built from the level and ids.
    static func pimScope(_ r: Record) -> Scope? {
        if let id = r.text("scope_id") {
            if id.hasPrefix("/") { return Scope(id) }
            let level = (r.text("scope_level") ?? "").lowercased()
            if level.contains("mg") || level.contains("management") {
                return Scope("/providers/Microsoft.Management/managementGroups/" + id)
            }
            if level.contains("sub") { return Scope("/subscriptions/" + id) }
        }
        if let sub = r.text("subscription_id") { return Scope("/subscriptions/" + sub) }
        if let mg = r.text("mg_id") { return Scope("/providers/Microsoft.Management/managementGroups/" + mg) }
        return nil
    }

    /// Entra PIM "Export" of directory role assignments (and the Roles and administrators download when it uses the
    /// same names). Principals are known by UPN (or display name for groups); the scope is `/directory`.
    static let entraPIM = ImportFormat(
        id: "entra-pim-role-assignments", name: "Entra PIM / Roles and administrators export", kind: .assignments,
        signature: [
            ["Assignment State", "AssignmentState", "Assignment Type"], ["Role Name", "RoleName", "Role"],
            ["PrincipalName", "User Group Name", "UserPrincipalName", "Email"],
        ],
        columns: [
            Column("assignment_type", ["Assignment State", "AssignmentState", "Assignment Type"]),
            Column("directory_scope", ["Directory Scope", "DirectoryScopeId", "Scope"]),
            Column("principal_name", ["User Group Name", "DisplayName"]),
            Column("principal_upn", ["PrincipalName", "UserPrincipalName", "Email"]),
            Column("principal_id", ["ObjectId", "PrincipalId"]),
            Column("principal_type", ["Principal Type", "PrincipalType", "Type", "ObjectType"]),
            Column("role_name", ["Role Name", "RoleName", "Role"]),
            Column("role_id", ["Role Definition Id", "RoleDefinitionId", "RoleTemplateId"]),
            Column("resource_type", ["Resource Type", "ResourceType"]),
            Column("member_type", ["Member Type", "MemberType"]),
            Column("created_on", ["Assignment Start Time (UTC)", "Start Time", "StartDateTime"]),
            Column("end_on", ["Assignment End Time (UTC)", "End Time", "EndDateTime"]),
        ], priority: 16,
        handler: { r, sink in
            if let member = r.text("member_type")?.lowercased(), member == "group" || member == "inherited" {
                sink.note("via-group")
                return .duplicate
            }
            if let resourceType = r.text("resource_type"),
                !["directory", "tenant", "microsoft entra id", "azure ad", "azure active directory", "entra id"]
                    .contains(resourceType.lowercased())
            {
                throw RowProblem(
                    field: "resource_type",
                    "\"\(resourceType)\" is an Azure resource, whose ARM scope this export does not give "
                        + "(export Azure resource roles with Get-AzRoleEligibilityScheduleInstance or AzGovViz)")
            }
            var d = AssignmentDraft()
            d.assignmentType = try Vocabulary.assignmentType(r, "assignment_type")
            d.principalId = try Vocabulary.objectId(r, "principal_id", sink)
            d.principalName = r.internedText("principal_name", sink)
            let upn = r.internedText("principal_upn", sink)
            d.principalUPN = upn
            d.type = try Vocabulary.principalType(r, "principal_type", sink)
            d.typeStated = r.has("principal_type")
            if d.principalId == nil, upn == nil || !(upn!.containsBytes("@")) {
                // A group has no UPN: key it by name.
                guard let name = upn ?? d.principalName else {
                    throw RowProblem(field: "principal_upn", "no principal name on the row")
                }
                d.principalUPN = nil
                d.principalId = sink.intern("name:" + name.lowercased())
                d.principalName = d.principalName ?? name
                if d.type.0 == .unknown, !r.has("principal_type") { d.type = (.group, false) }
            } else if d.type.0 == .unknown, !r.has("principal_type") {
                d.type = (.user, false)
            }
            d.roleId = Vocabulary.roleId(r, "role_id", sink)
            d.roleName = sink.intern(try r.required("role_name"))
            d.scope = directoryScope(r.text("directory_scope"))
            d.createdOn = try r.date("created_on")
            if let end = r.text("end_on"), end.lowercased() == "permanent" {
                d.endOn = nil
            } else {
                d.endOn = try r.date("end_on")
            }
            return try add(d, r, sink)
        })

    /// A directory role's scope: the tenant (`/`, `Directory`, `Tenant`, empty) is `/directory`; an administrative
    /// unit `/administrativeUnits/{id}` (or its name) is below it.
    static func directoryScope(_ text: String?) -> Scope {
        guard let text else { return .directory }
        switch text.lowercased() {
        case "/", "directory", "tenant", "organization", "organisation", "tenant-wide": return .directory
        default:
            if text.lowercased().hasPrefix("/directory") { return Scope(text) }
            if text.hasPrefix("/") { return Scope("/directory" + text) }
            return Scope("/directory/administrativeUnits/" + text)
        }
    }

    /// Graph `unifiedRoleEligibilityScheduleInstance` / `unifiedRoleAssignmentScheduleInstance` (and the
    /// `roleAssignments` list) as JSON or flattened CSV: directory roles at `/directory`.
    static let graphDirectoryRoles = ImportFormat(
        id: "graph-directory-role-assignments", name: "Graph directory role assignments / PIM schedule instances",
        kind: .assignments,
        signature: [["principalId"], ["roleDefinitionId"], ["directoryScopeId"]],
        columns: [
            Column("assignment_id", ["id"]),
            Column("principal_id", ["principalId"]),
            Column("principal_name", ["principal.displayName"]),
            Column("principal_upn", ["principal.userPrincipalName"]),
            Column("principal_type", ["principal.@odata.type"]),
            Column("role_id", ["roleDefinitionId"]),
            Column("role_name", ["roleDefinition.displayName"]),
            Column("directory_scope", ["directoryScopeId"]),
            Column("eligibility", ["roleEligibilityScheduleId"]),
            Column("member_type", ["memberType"]),
            Column("created_on", ["startDateTime"]),
            Column("end_on", ["endDateTime"]),
        ], priority: 10,
        handler: { r, sink in
            if let member = r.text("member_type")?.lowercased(), member == "group" || member == "inherited" {
                sink.note("via-group")
                return .duplicate
            }
            var d = AssignmentDraft()
            d.id = r.text("assignment_id")
            d.principalId = try Vocabulary.objectId(r, "principal_id", sink)
            d.principalName = r.internedText("principal_name", sink)
            d.principalUPN = r.internedText("principal_upn", sink)
            d.type = try Vocabulary.principalType(r, "principal_type", sink)
            d.typeStated = r.has("principal_type")
            d.roleId = Vocabulary.roleId(r, "role_id", sink)
            d.roleName = r.internedText("role_name", sink) ?? d.roleId
            d.scope = directoryScope(r.text("directory_scope"))
            d.assignmentType = r.has("eligibility") ? .eligible : .active
            d.createdOn = try r.date("created_on")
            d.endOn = try r.date("end_on")
            return try add(d, r, sink)
        })
}

enum ClassicImport {
    static func add(subscription: String, identity: String, role: String, _ r: Record, _ sink: ImportSink) throws
        -> RowOutcome
    {
        let key = "classic|\(subscription.lowercased())|\(identity.lowercased())|\(role.lowercased())"
        guard sink.firstTime(key) else {
            sink.note("duplicate")
            return .duplicate
        }
        sink.note("classic")
        sink.model.classicAdministrators.append(
            ClassicAdministrator(
                subscriptionId: subscription.lowercased(), identity: identity, role: role, source: sink.source(r)))
        return .used
    }

    /// AzGovViz `*_ClassicAdministrators.csv`.
    static let azGovViz = ImportFormat(
        id: "azgovviz-classic-administrators", name: "AzGovViz ClassicAdministrators", kind: .assignments,
        domains: .classicAdministrators,
        signature: [["SubscriptionId"], ["Identity"], ["Role"], ["SubscriptionMgPath", "Subscription"]],
        columns: [
            Column("subscription_id", ["SubscriptionId"]),
            Column("identity", ["Identity"]),
            Column("role", ["Role"]),
        ], priority: 20,
        handler: { r, sink in
            try add(
                subscription: try r.required("subscription_id"), identity: try r.required("identity"),
                role: try r.required("role"), r, sink)
        })
}
