import AccessRiskModel

/// An IAM user with a console password and no MFA (CIS AWS 1.10).
struct AWSConsoleUserWithoutMFARule: Rule {
    static let description = RuleDescription(
        id: "aws-console-user-without-mfa", category: .aws, title: "AWS console user without MFA",
        subject: "user", requiredInputs: [.awsCredentials], baseLikelihood: 4, baseImpact: 3,
        rationale: """
            A console password alone falls to phishing, reuse and spraying; MFA is the control that stops a \
            stolen password from becoming a session.
            """,
        condition: "An IAM user (not root) has password_enabled true and mfa_active false.",
        remediation: "Require MFA for the user (or remove the console password if it is not needed).",
        controls: [
            "CIS-AWS 1.10", "NIST 800-53 IA-2(1)", "NIST 800-53 IA-2(2)", "ISO 27001 A.8.5", "SOC2 CC6.1", "PCI 8.4.2",
        ],
        anchors: ["Prowler iam_user_mfa_enabled_console_access", "CIS AWS Foundations 3.0 1.10"],
        triggering: [
            RuleExample("console user without MFA", expect: [AWSFixtures.key("jake")]) { m in
                m.awsCredentials = [AWSFixtures.user("jake", password: true, mfa: false)]
            }
        ],
        nonTriggering: [
            RuleExample("API-only user, console user with MFA, root") { m in
                m.awsCredentials = [
                    AWSFixtures.user("cloudgoat", password: false, mfa: false, key1Active: true),
                    AWSFixtures.user("alice", password: true, mfa: true),
                    AWSFixtures.root(mfa: false),
                ]
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        context.model.awsCredentials.compactMap { c in
            guard !c.isRoot, c.passwordEnabled == true, c.mfaActive == false else { return nil }
            return Self.description.awsFinding(
                c, subjectKey: c.subjectKey,
                evidence: "IAM user \(c.user) (\(c.arn)) has a console password and no MFA device.")
        }
    }
}
