/// The sensitive-data, access-to-sensitive-data and AWS rules, in catalogue order.
enum DataRuleList {
    static let all: [any Rule.Type] = [
        UnclassifiedSensitiveDataRule.self,
        UnderClassifiedDataRule.self,
        CredentialsInDataRule.self,
        SensitiveDataWithoutOwnerRule.self,
        SensitiveDataPublicRule.self,
        GuestReachesSensitiveDataRule.self,
        InactiveAccountReachesSensitiveDataRule.self,
        ServicePrincipalCanGrantOverSensitiveDataRule.self,
        BroadReachSensitiveDataRule.self,
        AWSRootAccessKeyRule.self,
        AWSRootWithoutMFARule.self,
        AWSConsoleUserWithoutMFARule.self,
        AWSUnusedCredentialsRule.self,
        AWSAccessKeyNotRotatedRule.self,
    ]
}
