import AccessRiskModel

/// An active access key last rotated more than N days ago (CIS AWS 1.14).
struct AWSAccessKeyNotRotatedRule: Rule {
    static let description = RuleDescription(
        id: "aws-access-key-not-rotated", category: .aws, title: "AWS access key not rotated",
        subject: "user × key", requiredInputs: [.awsCredentials], baseLikelihood: 3, baseImpact: 3,
        rationale: """
            The older a key, the more places it has been copied to and the longer a leaked copy keeps working. \
            Rotation bounds that window.
            """,
        condition: """
            For an IAM user (not root): an active access key whose last rotation (its creation when never \
            rotated) is more than `rotation_days` days before the as-of date.
            """,
        remediation: "Create a new key, move its users to it, deactivate and then delete the old key.",
        controls: ["CIS-AWS 1.14", "NIST 800-53 IA-5(1)", "ISO 27001 A.5.17", "SOC2 CC6.1", "PCI 8.3.9"],
        anchors: ["Prowler iam_rotate_access_key_90_days", "CIS AWS Foundations 3.0 1.14"],
        thresholds: [RuleThreshold("rotation_days", default: 90, "maximum age of an active access key in days")],
        triggering: [
            RuleExample("key rotated 91 days ago", expect: [AWSFixtures.key("cloudgoat") + "|access_key_1"]) { m in
                m.awsCredentials = [
                    AWSFixtures.user(
                        "cloudgoat", key1Active: true, key1Rotated: AWSFixtures.daysAgo(91),
                        key1LastUsed: AWSFixtures.daysAgo(1))
                ]
            }
        ],
        nonTriggering: [
            RuleExample("key rotated exactly 90 days ago; inactive old key; root key") { m in
                m.awsCredentials = [
                    AWSFixtures.user("a", key1Active: true, key1Rotated: AWSFixtures.daysAgo(90)),
                    AWSFixtures.user("b", key1Active: false, key1Rotated: AWSFixtures.daysAgo(900)),
                    AWSFixtures.root(key1: true),
                ]
            }
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let limit = context.threshold("rotation_days")
        var findings: [Finding] = []
        for c in context.model.awsCredentials where !c.isRoot {
            for key in c.accessKeys where key.active == true {
                guard let rotated = key.lastRotated ?? c.userCreationTime else { continue }
                let days = rotated.days(until: context.asOf)
                guard days > limit else { continue }
                findings.append(
                    Self.description.awsFinding(
                        c, subjectKey: c.subjectKey + "|" + key.slot,
                        evidence: "IAM user \(c.user): \(awsSlotTitle(key.slot)) last rotated "
                            + "\(rotated.isoDate) (limit \(limit) days)."))
            }
        }
        return findings
    }
}
