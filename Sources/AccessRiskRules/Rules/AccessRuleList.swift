/// The over-privilege and stale/orphaned-access rules, in catalogue order (SPEC §4).
enum AccessRuleList {
    static let all: [any Rule.Type] = [
        // Over-privilege
        TooManySubscriptionOwnersRule.self,
        SingleSubscriptionOwnerRule.self,
        PrivilegedRoleBroadScopeRule.self,
        GuestPrivilegedAccessRule.self,
        GuestAccessRule.self,
        ServicePrincipalPrivilegedRule.self,
        StandingPrivilegedAccessRule.self,
        UnconstrainedAccessAdministratorRule.self,
        CredentialRoleBroadScopeRule.self,
        DirectUserAssignmentsRule.self,
        RedundantAssignmentRule.self,
        CustomRoleOwnerEquivalentRule.self,
        CustomRoleCanGrantAccessRule.self,
        CustomRoleWildcardRule.self,
        GlobalAdminCountRule.self,
        LargeGroupPrivilegedRule.self,
        // Stale and orphaned access
        StaleAccountAccessRule.self,
        NeverUsedAccountAccessRule.self,
        DisabledAccountAccessRule.self,
        OrphanedAssignmentRule.self,
        PendingGuestAccessRule.self,
        ExpiredAssignmentRule.self,
        StaleServicePrincipalAccessRule.self,
        MissingRoleDefinitionRule.self,
        UnusedCustomRoleRule.self,
        ClassicAdministratorRule.self,
    ]
}
