/// A day of the week, `mon`…`sun` in files.
public enum Weekday: String, Sendable, Hashable, CaseIterable, Comparable {
    case monday = "mon", tuesday = "tue", wednesday = "wed", thursday = "thu", friday = "fri", saturday = "sat", sunday = "sun"

    /// Foundation's numbering: Sunday is 1, Saturday is 7.
    public var gregorianWeekday: Int {
        switch self {
        case .sunday: 1
        case .monday: 2
        case .tuesday: 3
        case .wednesday: 4
        case .thursday: 5
        case .friday: 6
        case .saturday: 7
        }
    }

    public init?(gregorianWeekday: Int) {
        guard let match = Weekday.allCases.first(where: { $0.gregorianWeekday == gregorianWeekday }) else { return nil }
        self = match
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool {
        (lhs.gregorianWeekday + 5) % 7 < (rhs.gregorianWeekday + 5) % 7
    }
}
