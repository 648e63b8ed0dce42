import AccessRiskCSV
import AccessRiskModel

enum RoleImport {
    static let columns: [Column] = [
        Column("id", ["id", "role_id"]),
        Column("guid", ["RoleIdGuid"]),
        Column("name", ["roleName", "name", "role_name"]),
        Column("custom", ["custom", "IsCustom", "roleType", "Type"]),
        Column("actions", ["actions", "permissions.actions"]),
        Column("not_actions", ["not_actions", "permissions.notActions"]),
        Column("data_actions", ["data_actions", "permissions.dataActions"]),
        Column("not_data_actions", ["not_data_actions", "permissions.notDataActions"]),
        Column("assignable_scopes", ["assignable_scopes", "assignableScopes"]),
    ]

    static func handler(_ r: Record, _ sink: ImportSink) throws -> RowOutcome {
        let name = try r.required("name")
        let id =
            (r.text("guid") ?? r.text("id")).map { RoleDefinition.guid(fromDefinitionId: $0) }
            ?? name.lowercased()
        var custom = false
        if let text = r.text("custom") {
            let key = HeaderName.normalize(text)
            if key.contains("custom") {
                custom = true
            } else if key.contains("builtin") {
                custom = false
            } else {
                custom = try r.bool("custom") ?? false
            }
        }
        guard sink.model.roleDefinitions[id] == nil else {
            sink.note("duplicate")
            return .duplicate
        }
        sink.model.add(
            RoleDefinition(
                id: id, name: name, isCustom: custom, actions: r.list("actions"), notActions: r.list("not_actions"),
                dataActions: r.list("data_actions"), notDataActions: r.list("not_data_actions"),
                assignableScopes: r.list("assignable_scopes").map { Scope($0) }, source: sink.source(r)))
        return .used
    }

    /// `az role definition list` JSON (`roleName`, `roleType`, `permissions[]`).
    static let azCLI = ImportFormat(
        id: "az-role-definition-list", name: "az role definition list (JSON)", kind: .roles,
        signature: [["roleName"], ["roleType"], ["assignableScopes", "permissions.actions"]], columns: columns,
        priority: 10, handler: handler)
    /// `Get-AzRoleDefinition | ConvertTo-Json` and the native `roles` template.
    static let native = ImportFormat(
        id: "native-roles", name: "native roles / Get-AzRoleDefinition", kind: .roles,
        signature: [["name", "role_name"], ["id", "role_id"], ["actions"], ["custom", "IsCustom"]], columns: columns,
        priority: 12, handler: handler)
    /// AzGovViz `*_RoleDefinitions.csv`.
    static let azGovViz = ImportFormat(
        id: "azgovviz-role-definitions", name: "AzGovViz RoleDefinitions", kind: .roles,
        signature: [["Name"], ["Id"], ["Actions"], ["RoleAssWriteCapable", "AssignableScopesCount", "DataRelated"]],
        columns: columns, priority: 15, handler: handler)
}

enum HierarchyImport {
    /// The native `hierarchy` template: `scope, parent_scope`.
    static let native = ImportFormat(
        id: "native-hierarchy", name: "native hierarchy", kind: .hierarchy,
        signature: [["scope", "child_scope"], ["parent_scope", "parent"]],
        columns: [Column("scope", ["scope", "child_scope"]), Column("parent", ["parent_scope", "parent"])],
        priority: 20,
        handler: { r, sink in
            guard let scope = try Vocabulary.armScope(r, "scope") else {
                throw RowProblem(field: "scope", "required value is missing")
            }
            guard let parent = try Vocabulary.armScope(r, "parent") else {
                throw RowProblem(field: "parent", "required value is missing")
            }
            guard sink.firstTime("hierarchy|\(scope.key)|\(parent.key)") else {
                sink.note("duplicate")
                return .duplicate
            }
            sink.model.hierarchy.append(HierarchyEdge(scope: scope, parent: parent))
            return .used
        })
}

enum AssetImport {
    /// Adds an asset, or merges information types into one already imported with the same id.
    static func add(_ asset: Asset, _ sink: ImportSink, mergeable: Bool) -> RowOutcome {
        let (found, _, hash) = sink.assetIndex.lookUp(asset.assetId)
        if let i = found {
            guard mergeable else {
                sink.note("duplicate")
                return .duplicate
            }
            var existing = sink.model.assets[i]
            for type in asset.informationTypes where !existing.informationTypes.contains(type) {
                existing.informationTypes.append(type)
            }
            if existing.isPublic != true, let p = asset.isPublic { existing.isPublic = p }
            sink.model.assets[i] = existing
            sink.note("merged")
            return .used
        }
        sink.assetIndex.insert(key: asset.assetId, value: sink.model.assets.count, hash: hash)
        sink.model.assets.append(asset)
        return .used
    }

    /// Flattened `Get-AzSqlDatabaseSensitivityClassification` (and `…Recommendation`): one row per column.
    ///
    /// The database id is the `ResourceId` column when present (cut after `/databases/{name}` when it names a
    /// column), else `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{server}/databases/{db}`;
    /// without a subscription column it is the same path without its `/subscriptions/{sub}` prefix (reported).
    static let sqlClassification = ImportFormat(
        id: "azure-sql-classification",
        name: "Azure SQL data classification (Get-AzSqlDatabaseSensitivityClassification)",
        kind: .assets,
        signature: [["SchemaName", "Schema"], ["TableName", "Table"], ["ColumnName", "Column"]],
        columns: [
            Column("resource_id", ["ResourceId", "DatabaseResourceId", "Id"]),
            Column("subscription", ["SubscriptionId", "Subscription"]),
            Column("resource_group", ["ResourceGroupName", "ResourceGroup"]),
            Column("server", ["ServerName", "Server"]),
            Column("database", ["DatabaseName", "Database"]),
            Column("schema", ["SchemaName", "Schema"]),
            Column("table", ["TableName", "Table"]),
            Column("column", ["ColumnName", "Column"]),
            Column("label", ["SensitivityLabel", "Label", "LabelName"]),
            Column("information_type", ["InformationType", "InformationTypeName"]),
            Column("rank", ["Rank"]),
            Column("owner", ["Owner"]),
        ], priority: 10,
        handler: { r, sink in
            let database = try databaseId(r, sink)
            let schema = try r.required("schema")
            let table = try r.required("table")
            let column = try r.required("column")
            let asset = Asset(
                assetId: database + "/" + schema + "." + table + "." + column, name: column, type: "sql_column",
                resourceId: database, owner: r.text("owner"), label: r.text("label"),
                informationTypes: r.text("information_type").map { [$0] } ?? [], ownerRecorded: r.has("owner"),
                source: sink.source(r))
            return add(asset, sink, mergeable: false)
        })

    static func databaseId(_ r: Record, _ sink: ImportSink) throws -> String {
        // Thousands of columns share a database: its id is made once per distinct cell.
        let fromResourceId = try r.memo("resource_id", &sink.databaseIds) { id -> String? in
            guard let id else { return nil }
            guard id.hasPrefix("/") else { throw RowProblem(field: "resource_id", "\"\(id)\" is not an ARM id") }
            var parts = id.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            if let i = parts.firstIndex(where: { $0.lowercased() == "databases" }), i + 1 < parts.count {
                parts = Array(parts[...(i + 1)])
            }
            return "/" + parts.joined(separator: "/")
        }
        if let database = fromResourceId { return database }
        let server = try r.required("server")
        let db = try r.required("database")
        let rg = try r.required("resource_group")
        let tail = "/resourceGroups/\(rg)/providers/Microsoft.Sql/servers/\(server)/databases/\(db)"
        if let sub = r.text("subscription") { return "/subscriptions/\(sub)" + tail }
        sink.note("no-subscription")
        return tail
    }

    /// The native `assets` template (SPEC §2.3).
    static let native = ImportFormat(
        id: "native-assets", name: "native assets", kind: .assets,
        signature: [["asset_id"], ["resource_id"]],
        columns: [
            Column("asset_id", ["asset_id"]),
            Column("name", ["name"]),
            Column("type", ["type"]),
            Column("resource_id", ["resource_id"]),
            Column("owner", ["owner"]),
            Column("label", ["label"]),
            Column("information_types", ["information_types"]),
            Column("public", ["public", "is_public"]),
        ], priority: 20,
        handler: { r, sink in
            let id = try r.required("asset_id")
            let resource = r.text("resource_id") ?? id
            let asset = Asset(
                assetId: id, name: r.text("name") ?? id, type: r.text("type") ?? "asset", resourceId: resource,
                owner: r.text("owner"), label: r.text("label"), informationTypes: r.list("information_types"),
                isPublic: try r.bool("public"), source: sink.source(r))
            return add(asset, sink, mergeable: false)
        })

    /// Amazon Macie "Export findings" JSON: one asset per S3 object (or bucket, for policy findings), with the
    /// `sensitiveData` categories, detection types and custom identifier names as information types.
    static let macie = ImportFormat(
        id: "macie-findings", name: "Amazon Macie findings (JSON)", kind: .assets,
        signature: [["resourcesAffected.s3Bucket.name", "resourcesAffected.s3Bucket.arn"], ["type"], ["accountId"]],
        columns: [
            Column("bucket_arn", ["resourcesAffected.s3Bucket.arn"]),
            Column("bucket", ["resourcesAffected.s3Bucket.name"]),
            Column("owner", ["resourcesAffected.s3Bucket.owner.displayName"]),
            Column("public", ["resourcesAffected.s3Bucket.publicAccess.effectivePermission"]),
            Column(
                "policy_read",
                [
                    "resourcesAffected.s3Bucket.publicAccess.permissionConfiguration.bucketLevelPermissions.bucketPolicy"
                        + ".allowsPublicReadAccess"
                ]),
            Column(
                "acl_read",
                [
                    "resourcesAffected.s3Bucket.publicAccess.permissionConfiguration.bucketLevelPermissions"
                        + ".accessControlList.allowsPublicReadAccess"
                ]),
            Column("key", ["resourcesAffected.s3Object.key"]),
            Column("path", ["resourcesAffected.s3Object.path"]),
            Column("categories", ["classificationDetails.result.sensitiveData.category"]),
            Column("detections", ["classificationDetails.result.sensitiveData.detections.type"]),
            Column("custom", ["classificationDetails.result.customDataIdentifiers.detections.name"]),
            Column("type", ["type"]),
            Column("account", ["accountId"]),
        ], priority: 10,
        handler: { r, sink in
            guard let bucket = r.text("bucket") ?? r.text("bucket_arn").map({ String($0.split(separator: ":").last!) })
            else { throw RowProblem(field: "bucket", "required value is missing") }
            let bucketArn = r.text("bucket_arn") ?? "arn:aws:s3:::" + bucket
            var types = r.list("categories") + r.list("detections")
            let custom = r.list("custom").map { "CUSTOM_IDENTIFIER:" + $0 }
            if !custom.isEmpty, !types.contains("CUSTOM_IDENTIFIER") { types.append("CUSTOM_IDENTIFIER") }
            types += custom
            var unique: [String] = []
            for t in types where !unique.contains(t) { unique.append(t) }
            var isPublic: Bool?
            switch r.text("public")?.uppercased() {
            case "PUBLIC": isPublic = true
            case "NOT_PUBLIC": isPublic = false
            default:
                // No effective permission: the bucket policy and ACL flags, when present, decide.
                let flags = [try r.bool("policy_read"), try r.bool("acl_read")].compactMap { $0 }
                isPublic = flags.isEmpty ? nil : flags.contains(true)
            }
            let asset: Asset
            if let key = r.text("key") {
                asset = Asset(
                    assetId: bucketArn + "/" + key, name: key.split(separator: "/").last.map(String.init) ?? key,
                    type: "s3_object", resourceId: bucketArn, owner: r.text("owner"), informationTypes: unique,
                    isPublic: isPublic, source: sink.source(r))
            } else {
                asset = Asset(
                    assetId: bucketArn, name: bucket, type: "s3_bucket", resourceId: bucketArn, owner: r.text("owner"),
                    informationTypes: unique, isPublic: isPublic, source: sink.source(r))
            }
            return add(asset, sink, mergeable: true)
        })
}

enum AWSImport {
    /// The IAM credential report (22 columns, or a subset). Access key ids are never read.
    static let credentialReport = ImportFormat(
        id: "aws-credential-report", name: "AWS IAM credential report", kind: .awsCredentials,
        signature: [["user"], ["arn"], ["password_enabled", "mfa_active", "access_key_1_active"]],
        columns: [
            Column("user", ["user"]),
            Column("arn", ["arn"]),
            Column("user_creation_time", ["user_creation_time"]),
            Column("password_enabled", ["password_enabled"]),
            Column("password_last_used", ["password_last_used"]),
            Column("password_last_changed", ["password_last_changed"]),
            Column("mfa_active", ["mfa_active"]),
            Column("access_key_1_active", ["access_key_1_active"]),
            Column("access_key_1_last_rotated", ["access_key_1_last_rotated"]),
            Column("access_key_1_last_used_date", ["access_key_1_last_used_date"]),
            Column("access_key_2_active", ["access_key_2_active"]),
            Column("access_key_2_last_rotated", ["access_key_2_last_rotated"]),
            Column("access_key_2_last_used_date", ["access_key_2_last_used_date"]),
        ], priority: 10,
        handler: { r, sink in
            let user = try r.required("user")
            let arn = try r.required("arn")
            guard arn.hasPrefix("arn:") else { throw RowProblem(field: "arn", "\"\(arn)\" is not an ARN") }
            guard sink.firstTime("aws|" + arn) else {
                sink.note("duplicate")
                return .duplicate
            }
            var c = AWSCredential(user: user, arn: arn)
            c.userCreationTime = try r.date("user_creation_time")
            c.passwordEnabled = try r.bool("password_enabled")
            c.passwordLastUsed = try r.date("password_last_used")
            c.passwordLastChanged = try r.date("password_last_changed")
            c.mfaActive = try r.bool("mfa_active")
            c.accessKey1Active = try r.bool("access_key_1_active")
            c.accessKey1LastRotated = try r.date("access_key_1_last_rotated")
            c.accessKey1LastUsed = try r.date("access_key_1_last_used_date")
            c.accessKey2Active = try r.bool("access_key_2_active")
            c.accessKey2LastRotated = try r.date("access_key_2_last_rotated")
            c.accessKey2LastUsed = try r.date("access_key_2_last_used_date")
            c.source = sink.source(r)
            sink.model.awsCredentials.append(c)
            return .used
        })
}

/// Every format, in no particular order (detection ranks them).
enum Formats {
    static let all: [ImportFormat] = [
        AssignmentImport.powershell, AssignmentImport.native, AssignmentImport.azCLI,
        AssignmentImport.azGovVizAssignments, AssignmentImport.azGovVizPIM, AssignmentImport.entraPIM,
        AssignmentImport.graphDirectoryRoles, ClassicImport.azGovViz,
        PrincipalImport.entraLegacy, PrincipalImport.entra2021, PrincipalImport.entraPreview, PrincipalImport.native,
        PrincipalImport.servicePrincipals,
        MembershipImport.members,
        RoleImport.azCLI, RoleImport.native, RoleImport.azGovViz,
        HierarchyImport.native,
        AssetImport.sqlClassification, AssetImport.native, AssetImport.macie,
        AWSImport.credentialReport,
    ]
}
