#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether an assignment is in force or only eligible for activation (PIM).
public enum AssignmentType: String, Sendable, Codable, CaseIterable {
    case active
    case eligible
}

/// Who holds which role at which scope (SPEC §2.1 `assignments`).
public struct Assignment: Sendable, Hashable, Codable {
    /// The assignment's own id (ARM id or GUID), lower-cased, when the export has one; used to de-duplicate.
    ///
    /// An ARM id `{scope}/providers/microsoft.authorization/roleassignments/{name}` repeats the scope, so only its
    /// name is stored (a million ids would otherwise hold every scope twice).
    public var id: String? {
        get {
            guard let storedId else { return nil }
            return idIsScopeRelative ? scope.key + Self.armIdInfix + storedId : storedId
        }
        set {
            storedId = newValue
            idIsScopeRelative = false
            guard var value = newValue else { return }
            var key = scope.key
            var infix = Self.armIdInfix
            // Compared on bytes through pointers: `hasPrefix` walks Characters, which cost a second of a medium
            // import, and the UTF-8 views' generic `starts(with:)` was still a tenth of one.
            let name: String? = value.withUTF8 { id in
                key.withUTF8 { key in
                    infix.withUTF8 { infix -> String? in
                        let start = key.count + infix.count
                        guard id.count > start, let base = id.baseAddress,
                            memcmp(base, key.baseAddress!, key.count) == 0,
                            memcmp(base + key.count, infix.baseAddress!, infix.count) == 0
                        else { return nil }
                        let rest = UnsafeBufferPointer(rebasing: id[start...])
                        guard !rest.contains(UInt8(ascii: "/")) else { return nil }
                        return String(decoding: rest, as: UTF8.self)
                    }
                }
            }
            guard let name else { return }
            storedId = name
            idIsScopeRelative = true
        }
    }

    /// What joins the scope and the name of an ARM assignment id, lower-cased.
    public static let armIdInfix = "/providers/microsoft.authorization/roleassignments/"

    /// Sets the id to `{scope key}/providers/microsoft.authorization/roleassignments/{name}` of this assignment's
    /// scope, from the name alone: what setting ``id`` to that text keeps, without making the text. The name must be
    /// lower-case and hold no `/`.
    public mutating func setScopeRelativeId(_ name: String) {
        storedId = name
        idIsScopeRelative = true
    }

    /// ``id`` as it is kept, for a writer that copies its bytes without building it: the id is `text`, or, when
    /// `scopeRelative`, `scope.key + armIdInfix + text`.
    @inlinable
    public var storedIdParts: (text: String, scopeRelative: Bool)? { storedId.map { ($0, idIsScopeRelative) } }

    // Stored properties: references first, one-byte values last (Swift keeps the declared order, and a million
    // assignments pay for every byte of padding).
    /// The whole id, or only its name when ``idIsScopeRelative``.
    @usableFromInline var storedId: String?
    /// Object id of the principal, lower-cased (see ``Principal/key(_:)``); `upn:<upn>` when only a UPN is known.
    public var principalId: String
    public var principalName: String?
    public var principalUPN: String?
    /// The role definition GUID, lower-cased, when known.
    public var roleId: String?
    public var roleName: String
    public var scope: Scope {
        willSet {
            // An id stored relative to the scope keeps its full text when the scope changes.
            if idIsScopeRelative {
                storedId = id
                idIsScopeRelative = false
            }
        }
    }
    public var createdOn: Timestamp?
    public var endOn: Timestamp?
    /// An ABAC condition, verbatim; nil when none.
    public var condition: String?
    public var source: SourceRef?
    /// The type the assignment export states (`Unknown` when the exporter could not resolve the principal).
    public var principalType: PrincipalType
    public var assignmentType: AssignmentType
    /// Whether the export says the principal is a guest (e.g. AzGovViz `User Guest`).
    public var principalIsGuest: Bool
    @usableFromInline var idIsScopeRelative = false
    /// False when the export has no principal type for the row (Graph schedule instances, the Entra PIM export):
    /// the import then takes the type from the directory when it can. `.unknown` with this true means the exporter
    /// itself said `Unknown` (an orphan candidate).
    public var principalTypeStated: Bool = true

    public init(
        id: String? = nil, principalId: String, principalName: String? = nil, principalUPN: String? = nil,
        principalType: PrincipalType, roleId: String? = nil, roleName: String, scope: Scope,
        assignmentType: AssignmentType = .active, createdOn: Timestamp? = nil, endOn: Timestamp? = nil,
        condition: String? = nil, principalIsGuest: Bool = false, source: SourceRef? = nil,
        principalTypeStated: Bool = true
    ) {
        self.principalId = principalId
        self.principalName = principalName
        self.principalUPN = principalUPN
        self.principalType = principalType
        self.roleId = roleId
        self.roleName = roleName
        self.scope = scope
        self.assignmentType = assignmentType
        self.createdOn = createdOn
        self.endOn = endOn
        self.condition = condition
        self.principalIsGuest = principalIsGuest
        self.source = source
        self.principalTypeStated = principalTypeStated
        self.id = id
    }

    /// The role's stable key: its GUID, else its lower-cased name.
    public var roleKey: String { roleId ?? roleName.lowercased() }

    /// The key that identifies the same grant across cycles: principal, role, scope.
    public var grantKey: String { principalId + "|" + roleKey + "|" + scope.key }
}

/// A classic (ASM) administrator of a subscription: Service Administrator or Co-Administrator.
public struct ClassicAdministrator: Sendable, Hashable, Codable {
    public var subscriptionId: String
    public var identity: String
    public var role: String
    public var source: SourceRef?

    public init(subscriptionId: String, identity: String, role: String, source: SourceRef? = nil) {
        self.subscriptionId = subscriptionId
        self.identity = identity
        self.role = role
        self.source = source
    }
}

/// Group → member (SPEC §2.1 `memberships`). Transitive expansion is the model's job.
public struct Membership: Sendable, Hashable, Codable {
    public var groupId: String
    public var memberId: String
    public var memberType: PrincipalType?

    public init(groupId: String, memberId: String, memberType: PrincipalType? = nil) {
        self.groupId = groupId
        self.memberId = memberId
        self.memberType = memberType
    }
}
