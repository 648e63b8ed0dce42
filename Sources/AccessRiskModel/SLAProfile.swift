/// Where a risk stands against its remediation due date (SPEC §6).
public enum SLAStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case within
    /// Due within the profile's warning window (7 days by default), due date included.
    case dueSoon = "due_soon"
    case overdue
}

/// Days to remediate by severity, counted from the first time a risk was seen (SPEC §6). Severities without a
/// value (info by default) get no due date.
public struct SLAProfile: Sendable, Hashable, Codable {
    public var days: [Severity: Int]
    /// A risk due within this many days is `due_soon`.
    public var dueSoonDays: Int

    public init(days: [Severity: Int], dueSoonDays: Int = 7) {
        self.days = days
        self.dueSoonDays = dueSoonDays
    }

    /// The policy file's form: days per severity (info gets no due date).
    public init(critical: Int = 7, high: Int = 30, medium: Int = 90, low: Int = 120, dueSoonDays: Int = 7) {
        self.init(days: [.critical: critical, .high: high, .medium: medium, .low: low], dueSoonDays: dueSoonDays)
    }

    /// Days for a severity, nil when it gets no due date.
    public func days(for severity: Severity) -> Int? { days[severity] }

    /// Critical 7, high 30, medium 90, low 120 days; info none (DefectDojo's defaults).
    public static let standard = SLAProfile(days: [.critical: 7, .high: 30, .medium: 90, .low: 120])

    public func dueDate(severity: Severity, firstSeen: Timestamp) -> Timestamp? {
        days[severity].map { firstSeen.startOfDay.adding(days: $0) }
    }

    public func status(due: Timestamp, asOf: Timestamp) -> SLAStatus {
        let left = asOf.days(until: due)
        if left < 0 { return .overdue }
        return left <= dueSoonDays ? .dueSoon : .within
    }
}
