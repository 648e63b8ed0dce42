import AccessRiskModel
import AccessRiskRules
import Foundation
import Testing

@Suite("Policy file")
struct PolicyTests {
    static let yaml = """
        version: 1
        stale_days: 60
        sensitivity_threshold: Highly Confidential
        date_locale: en-GB
        sla:
          critical: 3
          high: 14
        rules:
          too-many-subscription-owners:
            max_owners: 4
          direct-user-assignments:
            enabled: false
        labels:
          order: [Public, Internal, Secret]
          tiers: {Internal: 1, Secret: 3}
          mappings:
            "Confidential \\\\ All Employees": Confidential
        patterns:
          National ID: ["%passport%", "%bsn%"]
        exclusions:
          - upn: breakglass@contoso.example
            reason: Emergency access account, sign-ins alerted
          - object_id: "{0F0F0F0F-0000-0000-0000-000000000001}"
            reason: Service account migrating
            rules: [stale-service-principal-access]
        """

    @Test func yamlPolicyLoads() throws {
        let p = try Policy.parse(Self.yaml)
        #expect(p.staleDays == 60)
        #expect(p.sensitivityThreshold == "Highly Confidential" && p.sensitivityThresholdTier == 3)
        #expect(p.dateLocale == .dayFirst)
        #expect(p.sla == SLAProfile(critical: 3, high: 14, medium: 90, low: 120))
        #expect(!p.isEnabled("direct-user-assignments") && p.isEnabled("guest-access"))
        let owners = try #require(RuleRegistry.all.first { $0.description.id == "too-many-subscription-owners" })
        #expect(p.thresholds(for: owners.description) == ["max_owners": 4])
        let stale = try #require(RuleRegistry.all.first { $0.description.id == "stale-account-access" })
        #expect(p.thresholds(for: stale.description) == ["stale_days": 60], "global stale_days is the rule default")
        #expect(p.labels?.order == ["Public", "Internal", "Secret"])
        #expect(p.labels?.tiers == ["Internal": 1, "Secret": 3])
        #expect(p.labels?.mappings == ["Confidential \\ All Employees": "Confidential"])
        #expect(p.patterns == ["National ID": ["%passport%", "%bsn%"]])
        #expect(p.exclusions.count == 2)
        #expect(p.exclusions[0].upn == "breakglass@contoso.example" && p.exclusions[0].rules == nil)
        #expect(p.exclusions[1].objectId == "0f0f0f0f-0000-0000-0000-000000000001")
        #expect(p.exclusions[1].rules == ["stale-service-principal-access"])
        #expect(p.settings.staleDays == 60 && p.settings.sensitivityThresholdTier == 3)
        #expect(
            p.settings.labels == p.labels && p.settings.patterns == p.patterns && p.settings.dateLocale == .dayFirst)
    }

    @Test func jsonPolicyLoadsTheSame() throws {
        let json = """
            {"stale_days": 45, "rules": {"large-group-privileged": {"enabled": true, "max_group_members": 10}},
             "exclusions": [{"object_id": "abc", "reason": "break-glass"}], "sensitivity_threshold": "General"}
            """
        let p = try Policy.parse(json)
        #expect(p.staleDays == 45 && p.sensitivityThresholdTier == 1)
        #expect(p.rules["large-group-privileged"] == RulePolicy(enabled: true, thresholds: ["max_group_members": 10]))
        #expect(p.exclusions == [Exclusion(objectId: "abc", reason: "break-glass")])
    }

    @Test func emptyDocumentIsTheDefault() throws {
        #expect(try Policy.parse("") == Policy())
        #expect(try Policy.parse("{}") == Policy())
        #expect(try Policy.parse("# only a comment\n") == Policy())
    }

    /// `accessrisk rules --json` prints the defaults in the file's shape; loading it gives the defaults back.
    @Test func defaultPolicyRoundTrips() throws {
        let text = Policy.defaultPolicyJSON()
        let loaded = try Policy.parse(text)
        #expect(loaded.staleDays == 90 && loaded.sensitivityThresholdTier == 2 && loaded.sla == SLAProfile())
        #expect(loaded.exclusions.isEmpty && loaded.dateLocale == .us)
        for rule in RuleRegistry.all {
            let d = rule.description
            #expect(loaded.isEnabled(d.id))
            #expect(loaded.thresholds(for: d) == Policy().thresholds(for: d), "\(d.id)")
            #expect(loaded.rules[d.id] != nil, "\(d.id) is listed in the defaults")
        }
        #expect(loaded.document().jsonText() + "\n" == text, "printing is stable")
        // The same document as YAML (JSON is YAML) with a leading comment loads identically.
        let asYAML = try Policy.parse("# defaults\n" + text)
        #expect(asYAML == loaded)
        // A customised policy round-trips too.
        let custom = try Policy.parse(PolicyTests.yaml)
        let reloaded = try Policy.parse(custom.document().jsonText())
        #expect(reloaded.exclusions == custom.exclusions && reloaded.labels == custom.labels)
        #expect(reloaded.patterns == custom.patterns && reloaded.sla == custom.sla)
    }

    @Test(arguments: [
        ("stale_dayz: 3", "stale_dayz"),
        ("rules:\n  stale-account-access:\n    stale_dais: 3", "rules.stale-account-access.stale_dais"),
        ("rules:\n  no-such-rule:\n    enabled: false", "rules.no-such-rule"),
        ("rules:\n  stale-account-access:\n    stale_days: -1", "rules.stale-account-access.stale_days"),
        ("rules:\n  stale-account-access:\n    enabled: maybe", "rules.stale-account-access.enabled"),
        ("rules:\n  stale-account-access:\n    stale_days: \"90\"", "rules.stale-account-access.stale_days"),
        ("stale_days: -5", "stale_days"),
        ("stale_days: ninety", "stale_days"),
        ("stale_days: 9.5", "stale_days"),
        ("exclusions:\n  - upn: bg@contoso.example", "exclusions[0].reason"),
        ("exclusions:\n  - upn: bg@contoso.example\n    reason: \"\"", "exclusions[0].reason"),
        ("exclusions:\n  - reason: why", "exclusions[0]"),
        ("exclusions:\n  - upn: a\n    reason: b\n    note: c", "exclusions[0].note"),
        ("exclusions:\n  - upn: a\n    reason: b\n    rules: [nope]", "exclusions[0].rules[0]"),
        ("exclusions: {upn: a}", "exclusions"),
        ("sla:\n  urgent: 1", "sla.urgent"),
        ("sla:\n  high: -1", "sla.high"),
        ("date_locale: fr-FR", "date_locale"),
        ("sensitivity_threshold: Secret", "sensitivity_threshold"),
        ("labels:\n  colours: []", "labels.colours"),
        ("labels:\n  tiers: {Secret: -1}", "labels.tiers.Secret"),
        ("patterns:\n  Name: \"%name%\"", "patterns.Name"),
        ("patterns:\n  Name: [1]", "patterns.Name[0]"),
        ("version: 2", "version"),
        ("- a\n- b", ""),
        ("{\"rules\": {\"guest-access\": {\"enabled\": 1}}}", "rules.guest-access.enabled"),
        ("{\"stale_days\": true}", "stale_days"),
    ])
    func errorsNameTheKeyPath(_ text: String, _ path: String) {
        do {
            let p = try Policy.parse(text)
            Issue.record("accepted \(text): \(p)")
        } catch {
            #expect(error.path == path, "\(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func badSyntaxIsAnError() {
        #expect(throws: PolicyError.self) { try Policy.parse("{\"stale_days\": ") }
        #expect(throws: PolicyError.self) { try Policy.parse("rules: [unclosed") }
    }

    @Test func loadNamesTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("policy.yaml")
        try Self.yaml.write(to: good, atomically: true, encoding: .utf8)
        #expect(try Policy.load(path: good.path).staleDays == 60)
        let bad = dir.appendingPathComponent("bad.json")
        try "{\"stale_days\": -1}".write(to: bad, atomically: true, encoding: .utf8)
        do {
            _ = try Policy.load(path: bad.path)
            Issue.record("accepted a negative stale_days")
        } catch {
            #expect(error.file == bad.path && error.path == "stale_days")
            #expect(error.description.hasPrefix(bad.path + ": stale_days: "))
        }
        #expect(throws: PolicyError.self) { try Policy.load(path: dir.appendingPathComponent("missing").path) }
    }
}
