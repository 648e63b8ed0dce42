import AccessRiskCSV
import AccessRiskModel
import Foundation

enum PrincipalImport {
    static let signInColumns: [Column] = [
        Column(
            "last_sign_in",
            [
                "last_sign_in", "LastSignInDateTime", "signInActivity.lastSignInDateTime",
                "Last interactive sign-in date",
                "LastInteractiveSignIn", "lastSignInActivity.lastSignInDateTime", "LastSignIn",
            ]),
        Column(
            "last_non_interactive_sign_in",
            [
                "last_non_interactive_sign_in", "lastNonInteractiveSignInDateTime",
                "signInActivity.lastNonInteractiveSignInDateTime", "Last non-interactive sign-in date",
                "LastNonInteractiveSignIn",
            ]),
        Column(
            "last_successful_sign_in",
            [
                "last_successful_sign_in", "lastSuccessfulSignInDateTime",
                "signInActivity.lastSuccessfulSignInDateTime",
                "Last successful sign-in date",
            ]),
        Column("sign_in_activity", ["signInActivity", "SignInActivity"]),
    ]

    static let userColumns: [Column] =
        [
            Column("id", ["id", "objectId", "object_id"]),
            Column("upn", ["upn", "userPrincipalName"]),
            Column("display_name", ["display_name", "displayName"]),
            Column("type", ["type"]),
            Column("user_type", ["user_type", "userType"]),
            Column("enabled", ["enabled", "accountEnabled"]),
            Column("created_on", ["created_on", "createdDateTime"]),
            Column("external_state", ["external_state", "externalUserState"]),
            Column("department", ["department"]),
            Column("manager_upn", ["manager_upn", "managerUserPrincipalName", "manager.userPrincipalName"]),
            Column("mfa_registered", ["mfa_registered", "isMfaRegistered", "MfaRegistered"]),
        ] + signInColumns

    /// A sign-in date cell, which the 2025 Entra export may fill with the whole `signInActivity` object as JSON.
    static func signInDate(_ r: Record, _ field: String, jsonKey: String) throws -> Timestamp? {
        guard let text = r.text(field) else { return nil }
        if text.hasPrefix("{") { return try jsonDate(r, field, text, jsonKey) }
        return try r.date(field)
    }

    static func jsonDate(_ r: Record, _ field: String, _ text: String, _ key: String) throws -> Timestamp? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw RowProblem(field: field, "the cell starts like JSON but is not a JSON object")
        }
        guard let value = object[key] ?? object.first(where: { $0.key.lowercased() == key.lowercased() })?.value
        else { return nil }
        let scalar = JSONFlattener.scalar(value)
        do {
            return try DateParsing.parseOptional(scalar, locale: r.locale)
        } catch {
            throw RowProblem(field: field, "\(key): " + error.description)
        }
    }

    /// Builds a principal from the user-export columns (Entra, Graph, PowerShell, native).
    static func user(_ r: Record, _ sink: ImportSink, defaultType: PrincipalType, nativeTypes: Bool) throws
        -> RowOutcome
    {
        let id = try Vocabulary.objectId(r, "id")
        let upn = r.text("upn")
        guard let key = id ?? upn.map({ "upn:" + $0.lowercasedIfNeeded() }) else {
            throw RowProblem(field: "id", "no object id (nor a UPN) on the row")
        }
        var type = (defaultType, guest: false)
        if nativeTypes, r.has("type") {
            type = try Vocabulary.principalType(r, "type")
            if type.0 == .unknown, r.text("type") == nil { type.0 = defaultType }
        }
        var guest = type.guest || (upn?.uppercased().containsBytes("#EXT#") ?? false)
        if let userType = r.text("user_type") {
            switch userType.lowercased() {
            case "guest": guest = true
            case "member": break
            default: throw RowProblem(field: "user_type", "\"\(userType)\" is not a user type (Member or Guest)")
            }
        }
        var p = Principal(id: key, upn: upn, displayName: r.text("display_name"), type: type.0, isGuest: guest)
        p.enabled = try r.bool("enabled")
        p.createdOn = try r.date("created_on")
        p.lastSignIn = try signInDate(r, "last_sign_in", jsonKey: "lastSignInDateTime")
        p.lastNonInteractiveSignIn = try signInDate(
            r, "last_non_interactive_sign_in", jsonKey: "lastNonInteractiveSignInDateTime")
        p.lastSuccessfulSignIn = try signInDate(r, "last_successful_sign_in", jsonKey: "lastSuccessfulSignInDateTime")
        if let activity = r.text("sign_in_activity"), activity.hasPrefix("{") {
            p.lastSignIn = try p.lastSignIn ?? jsonDate(r, "sign_in_activity", activity, "lastSignInDateTime")
            p.lastNonInteractiveSignIn =
                try p.lastNonInteractiveSignIn
                ?? jsonDate(r, "sign_in_activity", activity, "lastNonInteractiveSignInDateTime")
            p.lastSuccessfulSignIn =
                try p.lastSuccessfulSignIn ?? jsonDate(r, "sign_in_activity", activity, "lastSuccessfulSignInDateTime")
        }
        p.hasSignInData =
            r.has("last_sign_in") || r.has("last_non_interactive_sign_in") || r.has("last_successful_sign_in")
        if r.has("sign_in_activity") {
            // `Get-MgUser | Export-Csv` without flattening writes the .NET type name: no sign-in data at all.
            let cell = r.text("sign_in_activity")
            if let cell, !cell.hasPrefix("{") {
                sink.note("sign-in-type-name")
            } else {
                p.hasSignInData = true
            }
        }
        p.externalState = r.text("external_state")
        p.department = r.text("department")
        p.managerUPN = r.text("manager_upn")
        p.mfaRegistered = try r.bool("mfa_registered")
        p.source = sink.source(r)
        return add(p, sink)
    }

    static func add(_ p: Principal, _ sink: ImportSink) -> RowOutcome {
        guard sink.firstTimePrincipal(p.id) else {
            sink.note("duplicate")
            return .duplicate
        }
        sink.typesExported.insert(p.type)
        sink.model.add(p)
        return .used
    }

    static func users(id: String, name: String, signature: [[String]], priority: Int) -> ImportFormat {
        ImportFormat(
            id: id, name: name, kind: .principals, signature: signature, columns: userColumns, priority: priority,
            handler: { r, sink in try user(r, sink, defaultType: .user, nativeTypes: false) })
    }

    /// Entra "Download users", legacy AAD Graph list (`objectId`).
    static let entraLegacy = users(
        id: "entra-users-legacy", name: "Entra Download users (legacy, objectId)",
        signature: [["userPrincipalName"], ["objectId"]], priority: 12)
    /// Entra "Download users", Graph-based (2021–2025): fixed 29 columns, US dates, unquoted.
    static let entra2021 = users(
        id: "entra-users-graph", name: "Entra Download users (2021–2025)",
        signature: [["userPrincipalName"], ["id"], ["identityIssuer"], ["createdDateTime"]], priority: 14)
    /// Entra "Download users (Preview)" (columns as chosen, JSON in cells), and Graph/PowerShell user exports
    /// (`Get-MgUser … | Export-Csv`, flattened `signInActivity`).
    static let entraPreview = users(
        id: "entra-users", name: "Entra Download users (Preview) / Graph user export",
        signature: [["userPrincipalName"], ["id"]], priority: 10)

    /// The native `principals` template (SPEC §2.3): any principal type.
    static let native = ImportFormat(
        id: "native-principals", name: "native principals", kind: .principals,
        signature: [["id"], ["type"], ["upn", "display_name"]], columns: userColumns, priority: 20,
        handler: { r, sink in try user(r, sink, defaultType: .user, nativeTypes: true) })

    /// `Get-MgServicePrincipal … | Export-Csv` (and the Graph JSON): service principals and managed identities.
    static let servicePrincipals = ImportFormat(
        id: "graph-service-principals", name: "Graph/PowerShell service principal export", kind: .principals,
        signature: [["id", "objectId"], ["servicePrincipalType", "appId"]],
        columns: [
            Column("id", ["id", "objectId"]),
            Column("display_name", ["displayName"]),
            Column("sp_type", ["servicePrincipalType"]),
            Column("enabled", ["accountEnabled"]),
            Column("app_id", ["appId"]),
            Column("created_on", ["createdDateTime", "AdditionalProperties.createdDateTime"]),
        ] + signInColumns, priority: 11,
        handler: { r, sink in
            guard let id = try Vocabulary.objectId(r, "id") else {
                throw RowProblem(field: "id", "required value is missing")
            }
            var type = PrincipalType.servicePrincipal
            if let spType = r.text("sp_type"), HeaderName.normalize(spType) == "managedidentity" {
                type = .managedIdentity
            }
            var p = Principal(id: id, displayName: r.text("display_name") ?? r.text("app_id"), type: type)
            p.enabled = try r.bool("enabled")
            p.createdOn = try r.date("created_on")
            p.lastSignIn = try signInDate(r, "last_sign_in", jsonKey: "lastSignInDateTime")
            p.lastNonInteractiveSignIn = try signInDate(
                r, "last_non_interactive_sign_in", jsonKey: "lastNonInteractiveSignInDateTime")
            p.lastSuccessfulSignIn = try signInDate(
                r, "last_successful_sign_in", jsonKey: "lastSuccessfulSignInDateTime")
            p.hasSignInData = r.has("last_sign_in") || r.has("last_non_interactive_sign_in")
            p.source = sink.source(r)
            sink.typesExported.formUnion([.servicePrincipal, .managedIdentity])
            return add(p, sink)
        })
}

enum MembershipImport {
    /// Group member exports: `Get-MgGroupMember` flattened with the group's id, Entra "Download members" with a
    /// group column added, AzGovViz member lists, and the native `group_id, member_id` template.
    static let members = ImportFormat(
        id: "group-members", name: "group members (Get-MgGroupMember, Download members, AzGovViz, native)",
        kind: .memberships,
        signature: [
            ["group_id", "GroupObjectId", "AADGroupId", "ParentGroupId"],
            ["member_id", "MemberObjectId", "AADGroupMemberId", "id", "ObjectId"],
        ],
        columns: [
            Column("group_id", ["group_id", "GroupObjectId", "AADGroupId", "ParentGroupId"]),
            Column("member_id", ["member_id", "MemberObjectId", "AADGroupMemberId", "id", "ObjectId"]),
            Column(
                "member_type",
                ["member_type", "MemberObjectType", "ObjectType", "@odata.type", "AdditionalProperties.@odata.type"]),
        ], priority: 25,
        handler: { r, sink in
            // The member's slot among the interned strings (a miss in a table of a few hundred thousand) is asked
            // for first, so it loads while the group id, mostly the previous row's, is interned.
            _ = r.withPlainCell("member_id") { bytes -> Bool? in
                sink.strings.prefetch(bytes)
                return nil
            }
            guard let group = try Vocabulary.objectId(r, "group_id", sink) else {
                throw RowProblem(field: "group_id", "required value is missing")
            }
            guard let member = try Vocabulary.objectId(r, "member_id", sink) else {
                throw RowProblem(field: "member_id", "required value is missing")
            }
            guard sink.firstTimeMembership(group, member) else {
                sink.note("duplicate")
                return .duplicate
            }
            let type = Vocabulary.principalType(r, "member_type", cached: sink)?.0
            sink.model.memberships.append(
                Membership(groupId: group, memberId: member, memberType: type == .unknown ? nil : type))
            return .used
        })
}
