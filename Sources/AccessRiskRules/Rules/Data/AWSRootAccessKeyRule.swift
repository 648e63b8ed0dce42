import AccessRiskModel

/// The AWS root user has an active access key (CIS AWS 1.4).
struct AWSRootAccessKeyRule: Rule {
    static let description = RuleDescription(
        id: "aws-root-access-key", category: .aws, title: "AWS root user has an active access key",
        subject: "account", requiredInputs: [.awsCredentials], baseLikelihood: 4, baseImpact: 5,
        rationale: """
            The root user can do anything in the account, including closing it, and no policy restricts it. An \
            access key for it is a long-lived secret with that power that can leak from any script or laptop.
            """,
        condition: "The credential report's <root_account> row has access_key_1_active or access_key_2_active true.",
        remediation: """
            Delete the root access keys (IAM console, Security credentials of the root user) and use IAM roles \
            or users with least privilege for automation.
            """,
        controls: [
            "CIS-AWS 1.4", "NIST 800-53 AC-6(2)", "NIST 800-53 IA-2", "ISO 27001 A.8.2", "SOC2 CC6.1", "PCI 8.2.2",
        ],
        anchors: ["Prowler iam_no_root_access_key", "CIS AWS Foundations 3.0 1.4"],
        triggering: [
            RuleExample("root with an active first key", expect: [AWSFixtures.account]) { m in
                m.awsCredentials = [AWSFixtures.root(key1: true)]
            },
            RuleExample("root with an active second key", expect: [AWSFixtures.account]) { m in
                m.awsCredentials = [AWSFixtures.root(key2: true)]
            },
        ],
        nonTriggering: [
            RuleExample("root without keys; users with keys are not root") { m in
                m.awsCredentials = [
                    AWSFixtures.root(key1: false),
                    AWSFixtures.user("cloudgoat", key1Active: true, key1Rotated: AWSFixtures.daysAgo(10)),
                ]
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        context.model.awsCredentials.compactMap { c in
            guard c.isRoot else { return nil }
            let active = c.accessKeys.filter { $0.active == true }.map(\.slot)
            guard !active.isEmpty else { return nil }
            return Self.description.awsFinding(
                c, subjectKey: c.accountId,
                evidence: "The root user of account \(c.accountId) has active "
                    + active.map(awsSlotTitle).joined(separator: " and ") + ".")
        }
    }
}
