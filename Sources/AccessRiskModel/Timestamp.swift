/// A moment in UTC with one-second resolution, stored as seconds since 1970-01-01T00:00:00Z.
///
/// Cheap to store a million of, `Sendable`, and free of time zones and locales.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    /// Midnight UTC of a calendar day; nil for an impossible date.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day),
            day <= Self.daysIn(month: month, year: year), (0...23).contains(hour), (0...59).contains(minute),
            (0...60).contains(second)
        else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        secondsSinceEpoch = days * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59))
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    /// Whole days from `self` to `later` (negative when `later` is earlier), counted on UTC calendar days.
    public func days(until later: Timestamp) -> Int {
        Int(later.dayNumber - dayNumber)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int64 {
        secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86_400 : (secondsSinceEpoch - 86_399) / 86_400
    }

    /// The same moment `days` later.
    public func adding(days: Int) -> Timestamp {
        Timestamp(secondsSinceEpoch: secondsSinceEpoch + Int64(days) * 86_400)
    }

    /// Midnight UTC of the same day.
    public var startOfDay: Timestamp { Timestamp(secondsSinceEpoch: dayNumber * 86_400) }

    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let (y, m, d) = Self.civilFromDays(dayNumber)
        let rest = Int(secondsSinceEpoch - dayNumber * 86_400)
        return (y, m, d, rest / 3600, (rest % 3600) / 60, rest % 60)
    }

    /// `yyyy-MM-dd`.
    public var isoDate: String {
        let c = components
        return Self.pad(c.year, 4) + "-" + Self.pad(c.month, 2) + "-" + Self.pad(c.day, 2)
    }

    /// `yyyy-MM-ddTHH:mm:ssZ`.
    public var isoDateTime: String {
        let c = components
        return isoDate + "T" + Self.pad(c.hour, 2) + ":" + Self.pad(c.minute, 2) + ":" + Self.pad(c.second, 2) + "Z"
    }

    /// Midnight dates print as a date, others as a date and time.
    public var description: String { secondsSinceEpoch % 86_400 == 0 ? isoDate : isoDateTime }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = try? DateParsing.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's civil-from-days algorithms.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }
}
