/// Five-point levels of NIST SP 800-30 Rev. 1 (Very Low … Very High), used for likelihood, impact and risk.
public enum RiskLevel: Int, Sendable, Codable, CaseIterable, Comparable {
    case veryLow = 1
    case low = 2
    case moderate = 3
    case high = 4
    case veryHigh = 5

    public static func < (a: RiskLevel, b: RiskLevel) -> Bool { a.rawValue < b.rawValue }

    public var name: String {
        switch self {
        case .veryLow: "Very Low"
        case .low: "Low"
        case .moderate: "Moderate"
        case .high: "High"
        case .veryHigh: "Very High"
        }
    }

    /// The severity a risk of this level maps to (SPEC §5).
    public var severity: Severity {
        switch self {
        case .veryHigh: .critical
        case .high: .high
        case .moderate: .medium
        case .low: .low
        case .veryLow: .info
        }
    }

    /// A value on 1…5, clamped.
    public static func clamped(_ value: Int) -> RiskLevel { RiskLevel(rawValue: min(5, max(1, value)))! }
}

/// Finding severities, lowest first.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info
    case low
    case medium
    case high
    case critical

    public static func < (a: Severity, b: Severity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// NIST SP 800-30 Rev. 1 Table I-2: the level of risk from likelihood (rows) and impact (columns).
public enum RiskMatrix {
    /// The scheme version written on every register row (SPEC §5).
    public static let schemeVersion = "nist80030-5x5@1"

    /// Rows: likelihood Very Low…Very High; columns: impact Very Low…Very High.
    static let table: [[RiskLevel]] = [
        [.veryLow, .veryLow, .veryLow, .low, .low],
        [.veryLow, .low, .low, .low, .moderate],
        [.veryLow, .low, .moderate, .moderate, .high],
        [.veryLow, .low, .moderate, .high, .veryHigh],
        [.veryLow, .low, .moderate, .high, .veryHigh],
    ]

    public static func level(likelihood: RiskLevel, impact: RiskLevel) -> RiskLevel {
        table[likelihood.rawValue - 1][impact.rawValue - 1]
    }
}
