import Crypto

/// Stable risk ids and human references (SPEC §6).
public enum RiskIdentity {
    /// `AR-` + the first 12 hex digits of SHA-256 of `rule id | subject key`. The same finding next quarter (same
    /// rule, same subject) has the same id.
    public static func riskId(ruleId: String, subjectKey: String) -> String {
        let digest = SHA256.hash(data: Array((ruleId + "|" + subjectKey).utf8))
        var hex = ""
        hex.reserveCapacity(12)
        for byte in digest.prefix(6) {
            let text = String(byte, radix: 16)
            hex += text.count == 1 ? "0" + text : text
        }
        return "AR-" + hex
    }

    /// `R-0001`, `R-0002`, … (at least four digits).
    public static func ref(number: Int) -> String {
        let digits = String(number)
        return "R-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The number of a reference made by ``ref(number:)``; nil for anything else.
    public static func refNumber(_ ref: String) -> Int? {
        guard ref.hasPrefix("R-") else { return nil }
        let digits = ref.dropFirst(2)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// Whether `text` looks like a risk id (`AR-` + 12 lower-case hex digits).
    public static func isRiskId(_ text: String) -> Bool {
        guard text.hasPrefix("AR-"), text.utf8.count == 15 else { return false }
        return text.utf8.dropFirst(3).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
