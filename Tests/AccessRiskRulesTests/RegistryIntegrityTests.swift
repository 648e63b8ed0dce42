import AccessRiskModel
import AccessRiskRules
import Foundation
import Testing

@Suite("Rule registry")
struct RegistryIntegrityTests {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The rule ids of SPEC §4, by section.
    static let specOverPrivilege = [
        "too-many-subscription-owners", "single-subscription-owner", "privileged-role-broad-scope",
        "guest-privileged-access", "guest-access", "service-principal-privileged", "standing-privileged-access",
        "unconstrained-access-administrator", "credential-role-broad-scope", "direct-user-assignments",
        "redundant-assignment", "custom-role-owner-equivalent", "custom-role-can-grant-access", "custom-role-wildcard",
        "global-admin-count", "large-group-privileged",
    ]
    static let specStale = [
        "stale-account-access", "never-used-account-access", "disabled-account-access", "orphaned-assignment",
        "pending-guest-access", "expired-assignment", "stale-service-principal-access", "missing-role-definition",
        "unused-custom-role", "classic-administrator",
    ]
    static let specOthers = [
        "unclassified-sensitive-data", "under-classified-data", "credentials-in-data", "sensitive-data-without-owner",
        "sensitive-data-public", "guest-reaches-sensitive-data", "inactive-account-reaches-sensitive-data",
        "service-principal-can-grant-over-sensitive-data", "broad-reach-sensitive-data", "aws-root-access-key",
        "aws-root-without-mfa", "aws-console-user-without-mfa", "aws-unused-credentials", "aws-access-key-not-rotated",
        "revocation-not-applied", "acceptance-expired", "self-review",
    ]

    /// Every `*Rule.swift` under `Sources/AccessRiskRules/Rules/` with the rule types it declares.
    static func ruleFiles() throws -> [(file: String, types: [String])] {
        let rules = packageRoot.appendingPathComponent("Sources/AccessRiskRules/Rules")
        guard let walker = FileManager.default.enumerator(atPath: rules.path) else { return [] }
        var out: [(String, [String])] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix("Rule.swift") else { continue }
            let text = try String(contentsOf: rules.appendingPathComponent(relative), encoding: .utf8)
            var types: [String] = []
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                for prefix in ["struct ", "public struct ", "final class ", "public final class "]
                where trimmed.hasPrefix(prefix) {
                    let rest = trimmed.dropFirst(prefix.count)
                    let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                    if rest.dropFirst(name.count).trimmingCharacters(in: .whitespaces).hasPrefix(": Rule") {
                        types.append(String(name))
                    }
                }
            }
            out.append((relative, types))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    @Test func everyRuleFileIsRegistered() throws {
        let registered = Set(RuleRegistry.all.map { String(describing: $0) })
        let files = try Self.ruleFiles()
        #expect(files.count >= Self.specOverPrivilege.count + Self.specStale.count)
        for (file, types) in files {
            #expect(!types.isEmpty, "\(file) declares no Rule type")
            for type in types { #expect(registered.contains(type), "\(type) in \(file) is not in the registry") }
        }
    }

    @Test func idsAreUniqueKebabCaseAndFromTheSpec() {
        let ids = RuleRegistry.all.map { $0.description.id }
        #expect(Set(ids).count == ids.count, "duplicate rule ids")
        let spec = Set(Self.specOverPrivilege + Self.specStale + Self.specOthers)
        for id in ids {
            #expect(id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } && !id.hasPrefix("-"), "\(id)")
            #expect(spec.contains(id), "\(id) is not a rule id of SPEC §4")
        }
    }

    @Test func everyAccessRuleOfTheSpecIsImplementedInItsCategory() {
        var byId: [String: RuleDescription] = [:]
        for rule in RuleRegistry.all { byId[rule.description.id] = rule.description }
        for id in Self.specOverPrivilege { #expect(byId[id]?.category == .overPrivilege, "\(id)") }
        for id in Self.specStale { #expect(byId[id]?.category == .staleAccess, "\(id)") }
    }

    @Test func everyRuleDescribesItselfAndHasBothKindsOfExample() {
        for rule in RuleRegistry.all {
            let d = rule.description
            #expect(!d.triggering.isEmpty, "\(d.id) has no triggering example")
            #expect(!d.nonTriggering.isEmpty, "\(d.id) has no non-triggering example")
            #expect(!d.rationale.isEmpty && !d.condition.isEmpty && !d.remediation.isEmpty, "\(d.id)")
            #expect(!d.requiredInputs.isEmpty, "\(d.id)")
            #expect((1...5).contains(d.baseLikelihood) && (1...5).contains(d.baseImpact), "\(d.id)")
            #expect(Set(d.thresholds.map(\.key)).count == d.thresholds.count, "\(d.id)")
            #expect(d.controls.contains { $0.hasPrefix("NIST 800-53 ") }, "\(d.id) lacks a NIST reference")
            #expect(d.controls.contains { $0.hasPrefix("ISO 27001 A.") }, "\(d.id) lacks an ISO reference")
            #expect(
                d.controls.contains { $0.hasPrefix("SOC2 ") },
                "\(d.id) lacks a SOC 2 reference (CC, C1, A1, PI1 or P criteria)")
            #expect(d.controls.contains { $0.hasPrefix("PCI ") }, "\(d.id) lacks a PCI DSS reference")
        }
    }

    @Test func specDefaultThresholds() {
        var defaults: [String: [String: Int]] = [:]
        for rule in RuleRegistry.all {
            for t in rule.description.thresholds { defaults[rule.description.id, default: [:]][t.key] = t.defaultValue }
        }
        #expect(defaults["too-many-subscription-owners"] == ["max_owners": 3])
        #expect(defaults["single-subscription-owner"] == ["min_owners": 2])
        #expect(defaults["direct-user-assignments"] == ["max_direct_user_assignments": 5])
        #expect(defaults["global-admin-count"] == ["min_global_admins": 2, "max_global_admins": 4])
        #expect(defaults["large-group-privileged"] == ["max_group_members": 50])
        #expect(defaults["stale-account-access"] == ["stale_days": 90])
        #expect(defaults["never-used-account-access"] == ["never_used_days": 30])
        #expect(defaults["stale-service-principal-access"] == ["stale_days": 90])
    }
}
