import AccessRiskModel

/// A password or active access key unused for N days (CIS AWS 1.12).
struct AWSUnusedCredentialsRule: Rule {
    static let description = RuleDescription(
        id: "aws-unused-credentials", category: .aws, title: "AWS credentials unused",
        subject: "user × credential", requiredInputs: [.awsCredentials], baseLikelihood: 3, baseImpact: 3,
        rationale: """
            A password or key nobody uses is all risk and no benefit: it can still be stolen and used, and its \
            use would stand out to nobody.
            """,
        condition: """
            For an IAM user (not root): an enabled password, or an active access key, whose last use is \
            `unused_days` days or more before the as-of date. A credential never used counts from when it was \
            set (password last changed, key last rotated, else the user's creation), so a new one is not \
            reported before the same age.
            """,
        remediation: "Disable or delete the unused password or access key (CIS AWS 1.12: 45 days or greater).",
        controls: [
            "CIS-AWS 1.12", "NIST 800-53 AC-2(3)", "NIST 800-53 IA-4(e)", "ISO 27001 A.5.18", "SOC2 CC6.2", "PCI 8.2.6",
        ],
        anchors: [
            "Prowler iam_user_accesskey_unused", "Prowler iam_user_console_access_unused",
            "IAM Access Analyzer UnusedIAMUserAccessKey / UnusedIAMUserPassword",
        ],
        thresholds: [RuleThreshold("unused_days", default: 45, "days without use after which a credential is unused")],
        triggering: [
            RuleExample(
                "password last used exactly 45 days ago; key used 200 days ago",
                expect: [AWSFixtures.key("jake") + "|password", AWSFixtures.key("jake") + "|access_key_1"]
            ) { m in
                m.awsCredentials = [
                    AWSFixtures.user(
                        "jake", password: true, passwordLastUsed: AWSFixtures.daysAgo(45), key1Active: true,
                        key1Rotated: AWSFixtures.daysAgo(300), key1LastUsed: AWSFixtures.daysAgo(200))
                ]
            },
            RuleExample(
                "never-used key older than the threshold",
                expect: [AWSFixtures.key("test_key_account") + "|access_key_1"]
            ) { m in
                m.awsCredentials = [
                    AWSFixtures.user("test_key_account", key1Active: true, key1Rotated: AWSFixtures.daysAgo(60))
                ]
            },
            RuleExample(
                "a lower threshold from the policy", thresholds: ["unused_days": 10],
                expect: [AWSFixtures.key("amy") + "|password"]
            ) { m in
                m.awsCredentials = [AWSFixtures.user("amy", password: true, passwordLastUsed: AWSFixtures.daysAgo(10))]
            },
        ],
        nonTriggering: [
            RuleExample("used 44 days ago; never-used password set 20 days ago; inactive key") { m in
                m.awsCredentials = [
                    AWSFixtures.user("bob", password: true, passwordLastUsed: AWSFixtures.daysAgo(44)),
                    AWSFixtures.user("new", created: AWSFixtures.daysAgo(20), password: true),
                    AWSFixtures.user(
                        "old", key1Active: false, key1Rotated: AWSFixtures.daysAgo(500),
                        key1LastUsed: AWSFixtures.daysAgo(400)),
                ]
            },
            RuleExample("root credentials are the root rules' subject") { m in
                m.awsCredentials = [AWSFixtures.root(key1: true)]
            },
        ])

    func evaluate(_ context: RuleContext) -> [Finding] {
        let limit = context.threshold("unused_days")
        var findings: [Finding] = []
        for c in context.model.awsCredentials where !c.isRoot {
            if c.passwordEnabled == true {
                check(c, slot: "password", lastUsed: c.passwordLastUsed, since: c.passwordLastChanged, limit, context)
                    .map { findings.append($0) }
            }
            for key in c.accessKeys where key.active == true {
                check(c, slot: key.slot, lastUsed: key.lastUsed, since: key.lastRotated, limit, context)
                    .map { findings.append($0) }
            }
        }
        return findings
    }

    private func check(
        _ c: AWSCredential, slot: String, lastUsed: Timestamp?, since: Timestamp?, _ limit: Int, _ context: RuleContext
    ) -> Finding? {
        guard let reference = lastUsed ?? since ?? c.userCreationTime else { return nil }
        let days = reference.days(until: context.asOf)
        guard days >= limit else { return nil }
        let what = slot == "password" ? "console password" : awsSlotTitle(slot)
        let evidence =
            lastUsed != nil
            ? "IAM user \(c.user): \(what) last used \(reference.isoDate) (limit \(limit) days)."
            : "IAM user \(c.user): \(what) never used since \(reference.isoDate) (limit \(limit) days)."
        var f = Self.description.awsFinding(c, subjectKey: c.subjectKey + "|" + slot, evidence: evidence)
        f.facts.inactivity = lastUsed == nil ? .neverUsed : days > 2 * limit ? .beyondTwiceThreshold : .beyondThreshold
        return f
    }
}
