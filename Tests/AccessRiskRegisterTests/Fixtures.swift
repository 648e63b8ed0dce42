import AccessRiskModel

@testable import AccessRiskRegister

/// Small builders for findings and dates used across the register tests.
enum Fixture {
    static func day(_ text: String) -> Timestamp { try! DateParsing.parse(text) }

    static func finding(
        _ rule: String, _ principal: String, upn: String? = nil, role: String = "Owner",
        scope: String = "/subscriptions/s1", evidence: String? = nil, facts: ScoringFacts = .init(),
        likelihood: Int = 3, impact: Int = 3, category: RuleCategory = .staleAccess, type: PrincipalType = .user
    ) -> Finding {
        let key = principal + "|" + role.lowercased() + "|" + scope.lowercased()
        return Finding(
            ruleId: rule, category: category, title: "\(rule) for \(principal)", subjectKey: key,
            principalId: principal, principalName: principal.capitalized, principalUPN: upn, principalType: type,
            role: role, scope: scope, scopeLevel: Scope(scope).level,
            evidence: evidence ?? "\(principal) holds \(role)",
            grantKeys: [key], facts: facts, baseLikelihood: likelihood, baseImpact: impact,
            controls: ["NIST 800-53 AC-2(3)", "PCI 8.2.6"])
    }

    static func id(_ f: Finding) -> String { RiskIdentity.riskId(ruleId: f.ruleId, subjectKey: f.subjectKey) }
}

extension RegisterResult {
    func entry(_ riskId: String) -> RegisterEntry? { entries.first { $0.row.riskId == riskId } }
    func row(_ riskId: String) -> RegisterRow? { entry(riskId)?.row }
    func rows(rule: String) -> [RegisterRow] { rows.filter { $0.ruleId == rule } }
}
