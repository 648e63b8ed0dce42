import AccessRiskModel

/// The AWS root user has no MFA (CIS AWS 1.5).
struct AWSRootWithoutMFARule: Rule {
    static let description = RuleDescription(
        id: "aws-root-without-mfa", category: .aws, title: "AWS root user without MFA",
        subject: "account", requiredInputs: [.awsCredentials], baseLikelihood: 4, baseImpact: 5,
        rationale: """
            Without MFA the root user, which no policy restricts, is one phished or reused password away from \
            losing the account.
            """,
        condition: "The credential report's <root_account> row has mfa_active false.",
        remediation: "Enable MFA (preferably a hardware key) for the root user and keep the device in a safe.",
        controls: ["CIS-AWS 1.5", "CIS-AWS 1.6", "NIST 800-53 IA-2(1)", "ISO 27001 A.8.5", "SOC2 CC6.1", "PCI 8.4.2"],
        anchors: ["Prowler iam_root_mfa_enabled", "CIS AWS Foundations 3.0 1.5"],
        triggering: [
            RuleExample("root without MFA", expect: [AWSFixtures.account]) { m in
                m.awsCredentials = [AWSFixtures.root(mfa: false)]
            }
        ],
        nonTriggering: [
            RuleExample("root with MFA; MFA unknown is not reported; users are not root") { m in
                m.awsCredentials = [AWSFixtures.root(mfa: true), AWSFixtures.user("jake", password: true, mfa: false)]
            },
            RuleExample("root row with unknown MFA") { m in
                m.awsCredentials = [AWSFixtures.root(mfa: nil)]
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        context.model.awsCredentials.compactMap { c in
            guard c.isRoot, c.mfaActive == false else { return nil }
            return Self.description.awsFinding(
                c, subjectKey: c.accountId, evidence: "The root user of account \(c.accountId) has no MFA device.")
        }
    }
}
