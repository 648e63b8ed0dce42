/// The categories of the rule catalogue (SPEC §4).
public enum RuleCategory: String, Sendable, Codable, CaseIterable, Comparable {
    case overPrivilege = "over-privilege"
    case staleAccess = "stale-and-orphaned-access"
    case sensitiveData = "sensitive-data"
    case dataAccess = "access-to-sensitive-data"
    case aws
    case followThrough = "review-follow-through"

    public var title: String {
        switch self {
        case .overPrivilege: "Over-privilege"
        case .staleAccess: "Stale and orphaned access"
        case .sensitiveData: "Sensitive data"
        case .dataAccess: "Access to sensitive data"
        case .aws: "AWS credentials"
        case .followThrough: "Review follow-through"
        }
    }

    public static func < (a: RuleCategory, b: RuleCategory) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How long an account has been inactive, relative to the stale threshold (SPEC §5 likelihood adjustments).
public enum Inactivity: String, Sendable, Codable, Hashable {
    case active
    case beyondThreshold = "beyond_threshold"
    case beyondTwiceThreshold = "beyond_twice_threshold"
    case neverUsed = "never_used"
}

/// The facts of a finding that scoring adjusts on (SPEC §5). Rules fill what they know; scoring does the sums.
public struct ScoringFacts: Sendable, Codable, Hashable {
    public var guestOrExternal: Bool
    public var inactivity: Inactivity
    /// nil when unknown.
    public var mfaRegistered: Bool?
    /// The scope the access applies at, when the finding is about access.
    public var scopeLevel: ScopeLevel?
    /// A privileged or can-grant role is involved.
    public var privilegedRole: Bool
    /// Highest data tier reached or held: 3 Highly Confidential, 2 Confidential; nil none.
    public var dataTier: Int?

    public init(
        guestOrExternal: Bool = false, inactivity: Inactivity = .active, mfaRegistered: Bool? = nil,
        scopeLevel: ScopeLevel? = nil, privilegedRole: Bool = false, dataTier: Int? = nil
    ) {
        self.guestOrExternal = guestOrExternal
        self.inactivity = inactivity
        self.mfaRegistered = mfaRegistered
        self.scopeLevel = scopeLevel
        self.privilegedRole = privilegedRole
        self.dataTier = dataTier
    }
}

/// One thing a rule found. The register scores it and gives it a stable risk id from `ruleId` and `subjectKey`.
public struct Finding: Sendable, Codable, Hashable {
    public var ruleId: String
    public var category: RuleCategory
    public var title: String
    /// Built from stable facts only (object id, role GUID or lower-cased name, lower-cased scope, asset id,
    /// subscription id), joined with `|`: the same finding next quarter has the same key (SPEC §6).
    public var subjectKey: String
    public var principalId: String?
    public var principalName: String?
    public var principalUPN: String?
    public var principalType: PrincipalType?
    public var role: String?
    public var roleId: String?
    public var scope: String?
    public var scopeLevel: ScopeLevel?
    public var resource: String?
    public var asset: String?
    public var label: String?
    /// A sentence a reviewer can check against the inputs.
    public var evidence: String
    /// The group chain the access comes through, outermost last; empty when direct.
    public var viaGroups: [String]
    /// The assignment(s) the finding is about, by grant key, for the access-review worksheet.
    public var grantKeys: [String]
    public var facts: ScoringFacts
    public var baseLikelihood: Int
    public var baseImpact: Int
    public var controls: [String]

    public init(
        ruleId: String, category: RuleCategory, title: String, subjectKey: String, principalId: String? = nil,
        principalName: String? = nil, principalUPN: String? = nil, principalType: PrincipalType? = nil,
        role: String? = nil, roleId: String? = nil, scope: String? = nil, scopeLevel: ScopeLevel? = nil,
        resource: String? = nil, asset: String? = nil, label: String? = nil, evidence: String,
        viaGroups: [String] = [], grantKeys: [String] = [], facts: ScoringFacts = .init(), baseLikelihood: Int,
        baseImpact: Int, controls: [String] = []
    ) {
        self.ruleId = ruleId
        self.category = category
        self.title = title
        self.subjectKey = subjectKey
        self.principalId = principalId
        self.principalName = principalName
        self.principalUPN = principalUPN
        self.principalType = principalType
        self.role = role
        self.roleId = roleId
        self.scope = scope
        self.scopeLevel = scopeLevel
        self.resource = resource
        self.asset = asset
        self.label = label
        self.evidence = evidence
        self.viaGroups = viaGroups
        self.grantKeys = grantKeys
        self.facts = facts
        self.baseLikelihood = baseLikelihood
        self.baseImpact = baseImpact
        self.controls = controls
    }
}
