/// What kind of identity a principal is (SPEC §3.1).
public enum PrincipalType: String, Sendable, Codable, CaseIterable, Hashable {
    case user
    case group
    case servicePrincipal = "service_principal"
    case managedIdentity = "managed_identity"
    case unknown

    /// Whether the principal is a workload identity (service principal or managed identity).
    public var isWorkload: Bool { self == .servicePrincipal || self == .managedIdentity }
}

/// A user, guest, group, service principal or managed identity from the directory.
public struct Principal: Sendable, Hashable, Codable {
    /// The object id, lower-cased; `upn:<upn>` when an input had no id.
    public var id: String
    public var upn: String?
    public var displayName: String?
    public var type: PrincipalType
    /// Guest: user type Guest, a UPN containing `#EXT#`, or AzGovViz's `User Guest`.
    public var isGuest: Bool
    /// nil when no input says.
    public var enabled: Bool?
    public var createdOn: Timestamp?
    public var lastSignIn: Timestamp?
    public var lastNonInteractiveSignIn: Timestamp?
    public var lastSuccessfulSignIn: Timestamp?
    /// Guest invitation state as exported (`PendingAcceptance`, `Accepted`), verbatim.
    public var externalState: String?
    public var department: String?
    public var managerUPN: String?
    public var mfaRegistered: Bool?
    /// Whether any input held sign-in columns for this principal (so "no sign-in" means never, not unknown).
    public var hasSignInData: Bool
    public var source: SourceRef?

    public init(
        id: String, upn: String? = nil, displayName: String? = nil, type: PrincipalType, isGuest: Bool = false,
        enabled: Bool? = nil, createdOn: Timestamp? = nil, lastSignIn: Timestamp? = nil,
        lastNonInteractiveSignIn: Timestamp? = nil, lastSuccessfulSignIn: Timestamp? = nil,
        externalState: String? = nil, department: String? = nil, managerUPN: String? = nil,
        mfaRegistered: Bool? = nil, hasSignInData: Bool = false, source: SourceRef? = nil
    ) {
        self.id = id
        self.upn = upn
        self.displayName = displayName
        self.type = type
        self.isGuest = isGuest
        self.enabled = enabled
        self.createdOn = createdOn
        self.lastSignIn = lastSignIn
        self.lastNonInteractiveSignIn = lastNonInteractiveSignIn
        self.lastSuccessfulSignIn = lastSuccessfulSignIn
        self.externalState = externalState
        self.department = department
        self.managerUPN = managerUPN
        self.mfaRegistered = mfaRegistered
        self.hasSignInData = hasSignInData
        self.source = source
    }

    /// The latest of last sign-in, last non-interactive sign-in and last successful sign-in.
    public var lastActivity: Timestamp? {
        [lastSignIn, lastNonInteractiveSignIn, lastSuccessfulSignIn].compactMap { $0 }.max()
    }

    /// Whether a guest never accepted its invitation.
    public var isPendingGuest: Bool {
        guard isGuest, let state = externalState?.lowercased() else { return false }
        return state.contains("pending")
    }

    /// The best name to show a person.
    public var label: String { displayName ?? upn ?? id }

    /// Merges what another input says about the same principal: values this one lacks are taken from `other`;
    /// activity dates keep the latest; a guest stays a guest.
    public mutating func merge(_ other: Principal) {
        upn = upn ?? other.upn
        displayName = displayName ?? other.displayName
        if type == .unknown { type = other.type }
        isGuest = isGuest || other.isGuest
        enabled = enabled ?? other.enabled
        createdOn = createdOn ?? other.createdOn
        lastSignIn = [lastSignIn, other.lastSignIn].compactMap { $0 }.max()
        lastNonInteractiveSignIn = [lastNonInteractiveSignIn, other.lastNonInteractiveSignIn].compactMap { $0 }.max()
        lastSuccessfulSignIn = [lastSuccessfulSignIn, other.lastSuccessfulSignIn].compactMap { $0 }.max()
        externalState = externalState ?? other.externalState
        department = department ?? other.department
        managerUPN = managerUPN ?? other.managerUPN
        mfaRegistered = mfaRegistered ?? other.mfaRegistered
        hasSignInData = hasSignInData || other.hasSignInData
        source = source ?? other.source
    }

    /// The join key for an object id: lower-cased, trimmed, braces removed.
    public static func key(_ objectId: String) -> String {
        // Already a key (lower-case ASCII, no spaces or braces at the ends): the common case, no allocation.
        let utf8 = objectId.utf8
        // ASCII ends that are neither space nor brace leave trimming and brace removal nothing to do.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, first != UInt8(ascii: "{"),
            last > 0x20, last < 0x80, last != UInt8(ascii: "}")
        {
            return objectId.lowercasedIfNeeded()
        }
        var s = objectId.lowercased()
        s = String(s.trimmingSpaces)
        if s.hasPrefix("{"), s.hasSuffix("}") { s = String(s.dropFirst().dropLast()) }
        return s
    }
}
