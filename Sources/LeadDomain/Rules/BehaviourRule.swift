/// Points for one kind of engagement.
///
/// An activity is matched to at most one rule of its type: a rule with patterns beats a
/// rule without, a longer matching pattern beats a shorter one, and a tie goes to the rule
/// whose id sorts first. So `/pricing` can score high while a plain page view scores 1,
/// whatever order the file lists them in.
public struct BehaviourRule: Sendable, Hashable {
    public var id: String
    public var activity: ActivityType
    /// Case-insensitive substrings of the activity's URL ("/pricing").
    public var urlContains: [String]
    /// Case-insensitive substrings of the activity's content name ("case-study").
    public var contentContains: [String]
    /// May be negative (a careers-page visit). Allowed: -1000…1000.
    public var points: Int
    public var cap: RepeatCap?
    /// Points halve every `halfLifeDays`; nil means no decay.
    public var halfLifeDays: Double?
    /// A stage this action moves the lead to whatever its score (`sal` for a demo request).
    public var fastTrack: Stage?

    public init(id: String, activity: ActivityType, urlContains: [String] = [], contentContains: [String] = [],
                points: Int, cap: RepeatCap? = nil, halfLifeDays: Double? = nil, fastTrack: Stage? = nil) {
        self.id = id
        self.activity = activity
        self.urlContains = urlContains
        self.contentContains = contentContains
        self.points = points
        self.cap = cap
        self.halfLifeDays = halfLifeDays
        self.fastTrack = fastTrack
    }

    /// At most `max` occurrences count within any `windowDays` (sliding, measured back from
    /// each occurrence); without a window, at most `max` ever.
    public struct RepeatCap: Sendable, Hashable {
        public var max: Int
        public var windowDays: Int?

        public init(max: Int, windowDays: Int? = nil) {
            self.max = max
            self.windowDays = windowDays
        }
    }
}
