import AccessRiskModel
import Testing

@testable import AccessRiskRegister

@Suite("Scoring (SPEC §5)")
struct ScoringTests {
    func score(_ l: Int = 3, _ i: Int = 3, _ facts: ScoringFacts = .init()) -> RiskScore {
        Scoring.score(baseLikelihood: l, baseImpact: i, facts: facts)
    }

    @Test func baseOnlyHasNoAdjustments() {
        let s = score(2, 4)
        #expect(s.likelihood == 2)
        #expect(s.impact == 4)
        #expect(s.level == .low)
        #expect(s.severity == .low)
        #expect(s.factors == "L2 base → L2 | I4 base → I4")
        #expect(s.schemeVersion == "nist80030-5x5@1")
    }

    @Test(arguments: [
        (ScoringFacts(guestOrExternal: true), 1, "+1 guest or external"),
        (ScoringFacts(inactivity: .beyondThreshold), 1, "+1 inactive beyond stale threshold"),
        (ScoringFacts(inactivity: .beyondTwiceThreshold), 2, "+2 inactive beyond twice the stale threshold"),
        (ScoringFacts(inactivity: .neverUsed), 2, "+2 never used"),
        (ScoringFacts(mfaRegistered: false), 1, "+1 no MFA registered"),
        (ScoringFacts(mfaRegistered: true), 0, ""),
        (ScoringFacts(mfaRegistered: nil), 0, ""),
        (ScoringFacts(inactivity: .active), 0, ""),
    ])
    func likelihoodAdjustment(facts: ScoringFacts, delta: Int, text: String) {
        let s = score(2, 3, facts)
        #expect(s.likelihood == 2 + delta)
        #expect(s.impact == 3)
        if text.isEmpty {
            #expect(s.factors.hasPrefix("L2 base → L2 |"))
        } else {
            #expect(s.factors.hasPrefix("L2 base; \(text) → L\(2 + delta) |"))
        }
    }

    @Test(arguments: [
        (ScoringFacts(scopeLevel: .root), 2, "+2 root scope"),
        (ScoringFacts(scopeLevel: .managementGroup), 2, "+2 management-group scope"),
        (ScoringFacts(scopeLevel: .subscription), 1, "+1 subscription scope"),
        (ScoringFacts(scopeLevel: .resourceGroup), 0, ""),
        (ScoringFacts(scopeLevel: .resource), -1, "-1 single resource scope"),
        (ScoringFacts(scopeLevel: .directory), 0, ""),
        (ScoringFacts(privilegedRole: true), 1, "+1 privileged or can-grant role"),
        (ScoringFacts(dataTier: 3), 2, "+2 Highly Confidential data"),
        (ScoringFacts(dataTier: 2), 1, "+1 Confidential data"),
        (ScoringFacts(dataTier: 1), 0, ""),
        (ScoringFacts(dataTier: nil), 0, ""),
    ])
    func impactAdjustment(facts: ScoringFacts, delta: Int, text: String) {
        let s = score(3, 2, facts)
        #expect(s.likelihood == 3)
        #expect(s.impact == 2 + delta)
        if text.isEmpty {
            #expect(s.factors.hasSuffix("| I2 base → I2"))
        } else {
            #expect(s.factors.hasSuffix("| I2 base; \(text) → I\(2 + delta)"))
        }
    }

    @Test func adjustmentsAddUpAndAreRecordedInOrder() {
        let facts = ScoringFacts(
            guestOrExternal: true, inactivity: .neverUsed, mfaRegistered: false, scopeLevel: .subscription,
            privilegedRole: true, dataTier: 2)
        let s = score(1, 1, facts)
        #expect(s.likelihood == 5)
        #expect(s.impact == 4)
        #expect(
            s.factors
                == "L1 base; +1 guest or external; +2 never used; +1 no MFA registered → L5"
                + " | I1 base; +1 subscription scope; +1 privileged or can-grant role; +1 Confidential data → I4")
        #expect(s.level == .high)
        #expect(s.severity == .high)
    }

    @Test func clampsToOneAndFiveAndSaysSo() {
        let high = score(4, 4, ScoringFacts(guestOrExternal: true, inactivity: .neverUsed, scopeLevel: .root))
        #expect(high.likelihood == 5)
        #expect(high.impact == 5)
        #expect(high.factors.contains("→ L5 (capped from 7)"))
        #expect(high.factors.contains("→ I5 (capped from 6)"))
        let low = score(1, 1, ScoringFacts(scopeLevel: .resource))
        #expect(low.impact == 1)
        #expect(low.factors.hasSuffix("I1 base; -1 single resource scope → I1 (capped from 0)"))
    }

    @Test func scoresAFindingFromItsBaseAndFacts() {
        let f = Finding(
            ruleId: "guest-access", category: .overPrivilege, title: "t", subjectKey: "k", evidence: "e",
            facts: ScoringFacts(guestOrExternal: true, scopeLevel: .subscription), baseLikelihood: 3, baseImpact: 3)
        let s = Scoring.score(f)
        #expect(s.factors == "L3 base; +1 guest or external → L4 | I3 base; +1 subscription scope → I4")
        #expect(s.level == .high)
        #expect(s.severity == .high)
    }

    /// NIST SP 800-30 Rev. 1 Table I-2, every cell (rows likelihood VL…VH, columns impact VL…VH).
    static let tableI2: [[RiskLevel]] = [
        [.veryLow, .veryLow, .veryLow, .low, .low],
        [.veryLow, .low, .low, .low, .moderate],
        [.veryLow, .low, .moderate, .moderate, .high],
        [.veryLow, .low, .moderate, .high, .veryHigh],
        [.veryLow, .low, .moderate, .high, .veryHigh],
    ]

    @Test(arguments: 1...5, 1...5)
    func tableI2Cell(likelihood: Int, impact: Int) {
        let expected = Self.tableI2[likelihood - 1][impact - 1]
        let s = score(likelihood, impact)
        #expect(s.level == expected)
        let severity: Severity =
            switch expected {
            case .veryHigh: .critical
            case .high: .high
            case .moderate: .medium
            case .low: .low
            case .veryLow: .info
            }
        #expect(s.severity == severity)
    }
}

@Suite("Risk ids and references (SPEC §6)")
struct RiskIdentityTests {
    @Test func riskIdIsARPlusTwelveHexOfSHA256() {
        // sha256sum of "guest-access|abc" starts 721694de2784.
        let id = RiskIdentity.riskId(ruleId: "guest-access", subjectKey: "abc")
        #expect(id == "AR-" + Self.sha256Prefix("guest-access|abc"))
        #expect(RiskIdentity.isRiskId(id))
        #expect(id.count == 15)
    }

    @Test func riskIdIsStableAndDistinguishesRuleAndSubject() {
        let a = RiskIdentity.riskId(ruleId: "stale-account-access", subjectKey: "u1|owner|/subscriptions/s1")
        #expect(a == RiskIdentity.riskId(ruleId: "stale-account-access", subjectKey: "u1|owner|/subscriptions/s1"))
        #expect(a != RiskIdentity.riskId(ruleId: "guest-access", subjectKey: "u1|owner|/subscriptions/s1"))
        #expect(a != RiskIdentity.riskId(ruleId: "stale-account-access", subjectKey: "u2|owner|/subscriptions/s1"))
    }

    @Test func refsAreNumbered() {
        #expect(RiskIdentity.ref(number: 1) == "R-0001")
        #expect(RiskIdentity.ref(number: 12345) == "R-12345")
        #expect(RiskIdentity.refNumber("R-0042") == 42)
        #expect(RiskIdentity.refNumber("X-0042") == nil)
        #expect(!RiskIdentity.isRiskId("AR-XYZ"))
        #expect(!RiskIdentity.isRiskId("AR-0123456789AB"))
    }

    /// Known digests, so the test does not reuse the implementation under test.
    static func sha256Prefix(_ text: String) -> String {
        let known: [String: String] = ["guest-access|abc": "721694de2784"]
        return known[text] ?? ""
    }
}
