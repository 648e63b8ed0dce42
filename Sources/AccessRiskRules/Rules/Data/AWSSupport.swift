import AccessRiskModel

/// Helpers for the AWS credential-report rules.
extension AWSCredential {
    /// The stable subject key of a user: the user's ARN, lower-cased (IAM user names are case-insensitive).
    var subjectKey: String { arn.lowercased() }

    /// The two access keys of the report row: slot name, active, last rotated, last used.
    var accessKeys: [(slot: String, active: Bool?, lastRotated: Timestamp?, lastUsed: Timestamp?)] {
        [
            ("access_key_1", accessKey1Active, accessKey1LastRotated, accessKey1LastUsed),
            ("access_key_2", accessKey2Active, accessKey2LastRotated, accessKey2LastUsed),
        ]
    }
}

/// `access_key_1` → `access key 1`, for evidence.
func awsSlotTitle(_ slot: String) -> String { String(slot.map { $0 == "_" ? " " : $0 }) }

extension RuleDescription {
    /// A finding about an AWS credential-report row.
    func awsFinding(_ c: AWSCredential, subjectKey: String, evidence: String) -> Finding {
        finding(subjectKey: subjectKey, evidence: evidence) { f in
            f.principalId = c.arn
            f.principalName = c.user
            f.principalType = .user
            f.scope = c.accountId.isEmpty ? nil : "aws:" + c.accountId
            f.resource = c.arn
            f.facts.mfaRegistered = c.mfaActive
            f.facts.privilegedRole = c.isRoot
        }
    }
}

/// Example rows for the AWS rules' examples, shaped like the real report (account 278368863034).
enum AWSFixtures {
    static let account = "278368863034"

    static func root(mfa: Bool? = true, key1: Bool = false, key2: Bool = false) -> AWSCredential {
        var c = AWSCredential(user: "<root_account>", arn: "arn:aws:iam::\(account):root")
        c.userCreationTime = Timestamp(year: 2022, month: 3, day: 8)
        c.mfaActive = mfa
        c.accessKey1Active = key1
        c.accessKey2Active = key2
        if key1 { c.accessKey1LastRotated = Timestamp(year: 2026, month: 9, day: 1) }
        if key2 { c.accessKey2LastRotated = Timestamp(year: 2026, month: 9, day: 1) }
        return c
    }

    static func user(
        _ name: String, created: Timestamp? = Timestamp(year: 2025, month: 1, day: 1), password: Bool = false,
        passwordLastUsed: Timestamp? = nil, mfa: Bool? = false, key1Active: Bool = false,
        key1Rotated: Timestamp? = nil, key1LastUsed: Timestamp? = nil
    ) -> AWSCredential {
        var c = AWSCredential(user: name, arn: "arn:aws:iam::\(account):user/\(name)")
        c.userCreationTime = created
        c.passwordEnabled = password
        c.passwordLastUsed = passwordLastUsed
        c.passwordLastChanged = password ? created : nil
        c.mfaActive = mfa
        c.accessKey1Active = key1Active
        c.accessKey1LastRotated = key1Rotated
        c.accessKey1LastUsed = key1LastUsed
        c.accessKey2Active = false
        return c
    }

    static func key(_ name: String) -> String { "arn:aws:iam::\(account):user/\(name)".lowercased() }

    /// `days` before the examples' as-of date.
    static func daysAgo(_ days: Int) -> Timestamp { RuleExample.defaultAsOf.adding(days: -days) }
}
