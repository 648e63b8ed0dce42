import AccessRiskCSV
import AccessRiskModel
import Testing

@testable import AccessRiskRegister

/// Three review cycles with decisions in between (SPEC §4 follow-through, §6).
@Suite("Register across cycles")
struct BuilderTests {
    typealias F = Fixture

    // Cycle 1 findings.
    let a = F.finding("stale-account-access", "alice", upn: "alice@contoso.com")
    let b = F.finding(
        "guest-access", "bob", upn: "bob_ext#EXT#@contoso.com", role: "Reader",
        facts: ScoringFacts(guestOrExternal: true, scopeLevel: .subscription), category: .overPrivilege)
    let c = F.finding(
        "never-used-account-access", "carol", upn: "carol@contoso.com", role: "Contributor",
        scope: "/subscriptions/s1/resourceGroups/rg1", facts: ScoringFacts(inactivity: .neverUsed))
    let d = F.finding(
        "privileged-role-broad-scope", "dave", upn: "dave@contoso.com",
        scope: "/providers/Microsoft.Management/managementGroups/mg1",
        facts: ScoringFacts(scopeLevel: .managementGroup, privilegedRole: true), category: .overPrivilege)
    let e = F.finding("disabled-account-access", "eve", upn: "eve@contoso.com", role: "Reader")

    var cycle1: RegisterResult {
        RegisterBuilder.build(
            findings: [a, b, c, d, e], cycle: "2026-Q3", asOf: F.day("2026-09-30"), previous: nil, decisions: [])
    }

    func decisions(after c1: RegisterResult) -> [Decision] {
        func sev(_ f: Finding) -> Severity { c1.row(F.id(f))!.severity }
        let on = F.day("2026-10-05")
        return [
            Decision(
                riskId: F.id(a), decidedOn: on, decidedBy: "reviewer@contoso.com", decision: .revoke, ticket: "CHG-1",
                cycle: "2026-Q3", severityAtDecision: sev(a), sequence: 1),
            Decision(
                riskId: F.id(e), decidedOn: on, decidedBy: "reviewer@contoso.com", decision: .revoke, ticket: "CHG-2",
                cycle: "2026-Q3", severityAtDecision: sev(e), sequence: 2),
            Decision(
                riskId: F.id(b), decidedOn: on, decidedBy: "reviewer@contoso.com", decision: .approve,
                treatment: .accept, justification: "vendor contract until December", acceptedUntil: F.day("2026-12-15"),
                cycle: "2026-Q3", severityAtDecision: sev(b), sequence: 3),
            Decision(
                riskId: F.id(d), decidedOn: on, decidedBy: "ciso@contoso.com", decision: .approve,
                justification: "platform owner", cycle: "2026-Q3", severityAtDecision: sev(d), sequence: 4),
            Decision(
                riskId: F.id(c), decidedOn: on, decidedBy: "Carol@Contoso.com", decision: .approve,
                justification: "I need it", cycle: "2026-Q3", severityAtDecision: sev(c), sequence: 5),
        ]
    }

    // Cycle 2: e removed, f added, c's evidence changed, d's severity raised (now inactive), a and b unchanged.
    var cycle2Findings: [Finding] {
        var c2 = c
        c2.evidence = "carol holds Contributor; created 2026-06-01, never signed in"
        var d2 = d
        d2.facts.inactivity = .beyondThreshold
        d2.evidence = "dave holds Owner at mg1; last sign-in 2026-08-01"
        let f = F.finding("orphaned-assignment", "frank", role: "Contributor")
        return [a, b, c2, d2, f]
    }

    @Test func firstCycleEverythingIsNewWithRefsInSeverityOrder() {
        let r = cycle1
        #expect(r.rows.count == 5)
        #expect(r.rows.allSatisfy { $0.state == .new && $0.status == .open && $0.cycle == "2026-Q3" })
        #expect(r.rows.map(\.ref) == ["R-0001", "R-0002", "R-0003", "R-0004", "R-0005"])
        #expect(zip(r.rows, r.rows.dropFirst()).allSatisfy { $0.severity >= $1.severity })
        #expect(r.newRefs.count == 5)
        #expect(r.followThrough.isEmpty)
        let dRow = r.row(F.id(d))!
        #expect(dRow.severity == .high)
        #expect(dRow.firstSeen == F.day("2026-09-30"))
        #expect(dRow.dueDate == F.day("2026-10-30"))
        #expect(dRow.slaStatus == .within)
        #expect(dRow.schemeVersion == "nist80030-5x5@1")
        #expect(r.countsByState == [.new: 5])
    }

    @Test func secondCycleStatesDecisionsAndFollowThrough() {
        let c1 = cycle1
        let log = decisions(after: c1)
        let previous = PreviousState(cycle: "2026-Q3", asOf: F.day("2026-09-30"), rows: c1.rows)
        let r = RegisterBuilder.build(
            findings: cycle2Findings, cycle: "2026-Q4", asOf: F.day("2026-12-31"), previous: previous, decisions: log)

        // States.
        #expect(r.row(F.id(a))!.state == .persisting)
        #expect(r.row(F.id(b))!.state == .persisting)
        #expect(r.row(F.id(c))!.state == .changed)
        #expect(r.row(F.id(d))!.state == .changed)
        #expect(r.row(F.id(e))!.state == .resolved)
        #expect(r.entry(F.id(e))!.resolvedThisCycle)
        let frank = r.rows(rule: "orphaned-assignment")
        #expect(frank.count == 1 && frank[0].state == .new)

        // Identical ids and refs; new risks get fresh refs after the highest.
        for f in [a, b, c, d, e] { #expect(r.row(F.id(f))!.ref == c1.row(F.id(f))!.ref) }
        // New refs follow the sort: bob's expiry (high), alice's revocation (medium, L4), frank, carol's self-review.
        #expect(frank[0].ref == "R-0008")
        #expect(r.rows(rule: "acceptance-expired").first?.ref == "R-0006")

        // Carried decisions.
        let aRow = r.row(F.id(a))!
        #expect(aRow.decision == .revoke && aRow.status == .revokedPending && aRow.ticket == "CHG-1")
        let cRow = r.row(F.id(c))!
        #expect(cRow.decision == .approve && cRow.status == .approved && cRow.slaStatus == nil)
        #expect(r.row(F.id(e))!.decision == .revoke)
        #expect(r.row(F.id(e))!.status == .resolved)

        // Lapsed: acceptance expired (open again), severity rose (needs review).
        let bRow = r.row(F.id(b))!
        #expect(bRow.status == .open)
        #expect(r.entry(F.id(b))!.lapse == .expired)
        #expect(bRow.treatment == .accept && bRow.acceptedUntil == F.day("2026-12-15"))
        let dRow = r.row(F.id(d))!
        #expect(dRow.severity == .critical)
        #expect(dRow.status == .needsReview)
        #expect(r.entry(F.id(d))!.lapse == .severityRose)
        #expect(dRow.dueDate == F.day("2026-10-07"))  // critical: 7 days from first seen
        #expect(dRow.slaStatus == .overdue)

        // Follow-through findings.
        let revocation = r.rows(rule: "revocation-not-applied")
        #expect(revocation.count == 1)
        #expect(revocation[0].principalId == "alice" && revocation[0].state == .new)
        #expect(revocation[0].evidence.contains(F.id(a)) && revocation[0].evidence.contains("CHG-1"))
        #expect(r.entry(revocation[0].riskId)!.details.followsRiskId == F.id(a))
        let expired = r.rows(rule: "acceptance-expired")
        #expect(expired.count == 1 && expired[0].principalId == "bob")
        #expect(expired[0].evidence.contains("2026-12-15"))
        let selfReview = r.rows(rule: "self-review")
        #expect(selfReview.count == 1 && selfReview[0].principalId == "carol")
        #expect(r.rows(rule: "self-review").allSatisfy { $0.category == "review-follow-through" })
        #expect(r.followThrough.count == 3)
        // No follow-through for the approved privileged risk nor for the resolved one.
        #expect(!r.rows.contains { $0.ruleId == "revocation-not-applied" && $0.principalId == "eve" })

        #expect(r.countsByState == [.persisting: 2, .changed: 2, .resolved: 1, .new: 4])
    }

    @Test func revokeInTheSameCycleIsNotYetARevocationFailure() {
        let c1 = cycle1
        var log = decisions(after: c1)
        log = log.map {
            var d = $0; d.cycle = "2026-Q4"; return d
        }
        let r = RegisterBuilder.build(
            findings: cycle2Findings, cycle: "2026-Q4", asOf: F.day("2026-12-31"),
            previous: PreviousState(rows: c1.rows), decisions: log)
        #expect(r.rows(rule: "revocation-not-applied").isEmpty)
        #expect(r.row(F.id(a))!.status == .revokedPending)
    }

    @Test func thirdCycleReopensKeepsResolvedAndNeverReusesRefs() {
        let c1 = cycle1
        let log = decisions(after: c1)
        let c2 = RegisterBuilder.build(
            findings: cycle2Findings, cycle: "2026-Q4", asOf: F.day("2026-12-31"),
            previous: PreviousState(rows: c1.rows), decisions: log)
        // Cycle 3: eve is back, alice is gone (revocation done at last), a new risk appears.
        var findings3 = cycle2Findings.filter { $0.principalId != "alice" }
        findings3.append(e)
        let g = F.finding("guest-access", "gina", role: "Reader", category: .overPrivilege)
        findings3.append(g)
        let c3 = RegisterBuilder.build(
            findings: findings3, cycle: "2027-Q1", asOf: F.day("2027-03-31"),
            previous: PreviousState(rows: c2.rows), decisions: log)

        #expect(c3.row(F.id(e))!.state == .reopened)
        #expect(c3.row(F.id(e))!.ref == c1.row(F.id(e))!.ref)
        #expect(c3.row(F.id(e))!.firstSeen == F.day("2026-09-30"))
        #expect(c3.row(F.id(a))!.state == .resolved)
        #expect(c3.entry(F.id(a))!.resolvedThisCycle)
        // The revocation follow-up is resolved too, and kept.
        let revocation = c3.rows(rule: "revocation-not-applied")
        #expect(revocation.filter { $0.principalId == "alice" }.map(\.state) == [.resolved])
        // Eve's access is back although it was revoked in 2026-Q3.
        #expect(revocation.filter { $0.principalId == "eve" }.map(\.state) == [.new])
        let allRefs = c3.rows.map(\.ref)
        #expect(Set(allRefs).count == allRefs.count)
        // 5, then frank and 3 follow-ups in cycle 2, then eve's follow-up (likelier) and gina.
        #expect(c3.row(F.id(g))!.ref == "R-0011")
        // Resolved rows come last.
        #expect(c3.rows.drop { $0.state != .resolved }.allSatisfy { $0.state == .resolved })

        // Cycle 4 with nothing new: a risk resolved in cycle 3 stays resolved but does not count as resolved again.
        let c4 = RegisterBuilder.build(
            findings: findings3, cycle: "2027-Q2", asOf: F.day("2027-06-30"),
            previous: PreviousState(rows: c3.rows), decisions: log)
        #expect(c4.row(F.id(a))!.state == .resolved)
        #expect(!c4.entry(F.id(a))!.resolvedThisCycle)
        #expect(c4.countsByState[.resolved] == nil)
    }

    @Test func statelessPathThroughTheRegisterCSVGivesTheSameRegister() throws {
        let c1 = cycle1
        let log = decisions(after: c1)
        // Cycle 1 shown with its decisions, as a re-run after the import would write it.
        let c1WithDecisions = RegisterBuilder.build(
            findings: [a, b, c, d, e], cycle: "2026-Q3", asOf: F.day("2026-09-30"), previous: nil,
            decisions: log.map {
                var d = $0; d.cycle = nil; d.decidedOn = F.day("2026-09-30"); return d
            })
        let csv = RegisterCSV.bytes(c1WithDecisions.rows)
        let reread = try RegisterCSV.read(bytes: csv, displayName: "risk-register.csv")
        #expect(reread == c1WithDecisions.rows)
        let previous = PreviousState(rows: reread)
        #expect(previous.carriedDecisions.count == 5)
        let viaCSV = RegisterBuilder.build(
            findings: cycle2Findings, cycle: "2026-Q4", asOf: F.day("2026-12-31"), previous: previous,
            decisions: previous.carriedDecisions)
        #expect(viaCSV.row(F.id(a))!.status == .revokedPending)
        #expect(viaCSV.rows(rule: "revocation-not-applied").count == 1)
        #expect(viaCSV.rows(rule: "acceptance-expired").count == 1)
        #expect(viaCSV.row(F.id(d))!.status == .needsReview)
        #expect(viaCSV.row(F.id(e))!.state == .resolved)
    }

    /// `--no-workspace --previous FILE`: a reviewer fills decisions into last quarter's register, which is the
    /// only memory the next run has.
    @Test func statelessReviewerEditsCarryAndLapsedDecisionsStayLapsed() throws {
        var rows = cycle1.rows
        for i in rows.indices {
            switch rows[i].riskId {
            case F.id(a):
                rows[i].decision = .revoke
                rows[i].decidedBy = "boss@contoso.com"
                rows[i].decidedOn = F.day("2026-10-03")
            case F.id(d):
                rows[i].decision = .approve
                rows[i].justification = "platform owner"
                rows[i].decidedBy = "boss@contoso.com"
                rows[i].decidedOn = F.day("2026-10-03")
            default: break
            }
        }
        // Accepting carol's risk without an expiry, edited straight into the register: refused.
        let cIndex = rows.firstIndex { $0.riskId == F.id(c) }!
        rows[cIndex].treatment = .accept
        rows[cIndex].decidedBy = "boss@contoso.com"
        let dir = TempDir()
        try RegisterCSV.write(rows, to: dir.path + "/q3.csv")
        let q4 = try RegisterBuilder.buildStateless(
            findings: cycle2Findings, cycle: "2026-Q4", asOf: F.day("2026-12-31"),
            previousRegister: dir.path + "/q3.csv")
        #expect(q4.row(F.id(a))?.status == .revokedPending)
        #expect(q4.rows(rule: "revocation-not-applied").count == 1)
        #expect(q4.row(F.id(d))?.status == .needsReview)  // approved at high, now critical
        #expect(q4.row(F.id(c))?.status == .open)
        #expect(q4.row(F.id(c))?.treatment == nil)
        #expect(q4.refusedDecisions.map(\.decision.riskId) == [F.id(c)])
        #expect(q4.refusedDecisions.first?.problems == ["an accepted risk needs an expiry date (accepted_until)"])
        try RegisterCSV.write(q4.rows, to: dir.path + "/q4.csv")
        let q1 = try RegisterBuilder.buildStateless(
            findings: cycle2Findings, cycle: "2027-Q1", asOf: F.day("2027-03-31"),
            previousRegister: dir.path + "/q4.csv")
        #expect(q1.row(F.id(d))?.status == .needsReview)
        #expect(q1.row(F.id(a))?.status == .revokedPending)
        #expect(q1.rows(rule: "revocation-not-applied").map(\.state) == [.persisting])
        // First run, no previous register.
        let first = try RegisterBuilder.buildStateless(
            findings: [a], cycle: "2026-Q3", asOf: F.day("2026-09-30"), previousRegister: nil)
        #expect(first.rows.map(\.state) == [.new])
    }

    @Test func duplicateFindingsBecomeOneRiskAndDueSoonIsComputed() {
        let high = F.finding(
            "guest-access", "zed", facts: ScoringFacts(guestOrExternal: true, scopeLevel: .subscription),
            category: .overPrivilege)
        var low = high
        low.facts = ScoringFacts()
        let r = RegisterBuilder.build(
            findings: [low, high], cycle: "c", asOf: F.day("2026-01-01"), previous: nil, decisions: [])
        #expect(r.rows.count == 1)
        #expect(r.rows[0].severity == .high)
        let later = RegisterBuilder.build(
            findings: [high], cycle: "c2", asOf: F.day("2026-01-25"), previous: PreviousState(rows: r.rows),
            decisions: [])
        #expect(later.rows[0].dueDate == F.day("2026-01-31"))
        #expect(later.rows[0].slaStatus == .dueSoon)
        let info = RegisterBuilder.build(
            findings: [F.finding("x", "y", likelihood: 1, impact: 1)], cycle: "c", asOf: F.day("2026-01-01"),
            previous: nil, decisions: [])
        #expect(info.rows[0].severity == .info && info.rows[0].dueDate == nil && info.rows[0].slaStatus == nil)
    }

    @Test func anApprovalGivenUntilADateLapsesToo() {
        let c1 = cycle1
        let approve = Decision(
            riskId: F.id(c), decidedOn: F.day("2026-10-01"), decidedBy: "boss", decision: .approve,
            justification: "project until November", acceptedUntil: F.day("2026-11-30"), cycle: "2026-Q3")
        let during = RegisterBuilder.build(
            findings: [c], cycle: "2026-Q4", asOf: F.day("2026-11-30"), previous: PreviousState(rows: c1.rows),
            decisions: [approve])
        #expect(during.row(F.id(c))?.status == .approved)
        #expect(during.rows(rule: "acceptance-expired").isEmpty)
        let after = RegisterBuilder.build(
            findings: [c], cycle: "2026-Q4", asOf: F.day("2026-12-01"), previous: PreviousState(rows: c1.rows),
            decisions: [approve])
        #expect(after.row(F.id(c))?.status == .open)
        #expect(after.entry(F.id(c))?.lapse == .expired)
        #expect(after.rows(rule: "acceptance-expired").first?.evidence.contains("was approve by boss") == true)
    }

    @Test func decisionValidation() {
        let id = F.id(a)
        let on = F.day("2026-10-01")
        let acceptNoExpiry = Decision(riskId: id, decidedOn: on, decidedBy: "r", treatment: .accept)
        #expect(
            acceptNoExpiry.problems(privileged: false) == ["an accepted risk needs an expiry date (accepted_until)"])
        let approvePrivileged = Decision(riskId: id, decidedOn: on, decidedBy: "r", decision: .approve)
        #expect(approvePrivileged.problems(privileged: false).isEmpty)
        #expect(approvePrivileged.problems(privileged: true) == ["approving privileged access needs a justification"])
        let nothing = Decision(riskId: "nope", decidedOn: on, decidedBy: "")
        #expect(nothing.problems(privileged: false).count == 3)
    }
}
