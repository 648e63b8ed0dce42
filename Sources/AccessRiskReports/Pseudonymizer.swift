import AccessRiskModel
import Crypto
import Foundation

/// Replaces principal names and UPNs by a keyed HMAC-SHA256 pseudonym (SPEC §1 `--pseudonymize KEY`): the same
/// input gives the same pseudonym in every file, and without the key nobody can reverse or recompute it.
public struct Pseudonymizer: Sendable {
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    /// Real text → pseudonym, longest first, for replacing inside free text (evidence).
    private let replacements: [(String, String)]
    /// Real text → pseudonym, for a whole name or UPN field (looked up, not scanned: the worksheet asks for every
    /// principal, and scanning four hundred thousand names per call did not finish at the enterprise size).
    private let byReal: [String: String]

    /// - Parameter names: every principal name and UPN that may appear in outputs.
    public init(key: String, principals: some Sequence<Principal>, extraNames: some Sequence<String> = []) {
        keyBytes = Array(key.utf8)
        let symmetric = SymmetricKey(data: keyBytes)
        var map: [String: String] = [:]
        for p in principals {
            if let upn = p.upn, !upn.isEmpty { map[upn] = Self.pseudonym(upn, key: symmetric, prefix: "upn") }
            if let name = p.displayName, !name.isEmpty {
                map[name] = Self.pseudonym(name, key: symmetric, prefix: Self.prefix(for: p.type))
            }
        }
        for name in extraNames where !name.isEmpty && map[name] == nil {
            map[name] = Self.pseudonym(name, key: symmetric, prefix: "name")
        }
        // Longest first, so "Ann Lee (Contractor)" is replaced before "Ann Lee".
        byReal = map
        replacements = map.sorted { ($0.key.count, $0.key) > ($1.key.count, $1.key) }.map { ($0.key, $0.value) }
    }

    static func prefix(for type: PrincipalType) -> String {
        switch type {
        case .user: "user"
        case .group: "group"
        case .servicePrincipal, .managedIdentity: "app"
        case .unknown: "principal"
        }
    }

    static func pseudonym(_ value: String, key: SymmetricKey, prefix: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.lowercased().utf8), using: key)
        // Hex digits written directly: `String(format:)` per byte was most of the cost for a large directory.
        return prefix + "-" + FileHash.hex(mac.prefix(6))
    }

    /// A name or UPN field: its pseudonym (a value never seen before is pseudonymised too).
    public func name(_ value: String) -> String {
        if value.isEmpty { return value }
        if let fake = byReal[value] { return fake }
        return Self.pseudonym(value, key: key, prefix: value.contains("@") ? "upn" : "name")
    }

    /// Free text with the names it may mention replaced. `mentioning` names the principals a finding is about
    /// (its principal, UPN, groups); with a small directory every known name is checked as well.
    public func text(_ value: String, mentioning: [String] = []) -> String {
        if value.isEmpty { return value }
        var out = value
        let candidates = mentioning.filter { !$0.isEmpty }.sorted { ($0.count, $0) > ($1.count, $1) }
        for real in candidates where out.contains(real) {
            out = out.replacingOccurrences(of: real, with: name(real))
        }
        if replacements.count <= 20_000 {
            for (real, fake) in replacements where out.contains(real) {
                out = out.replacingOccurrences(of: real, with: fake)
            }
        }
        return out
    }
}
