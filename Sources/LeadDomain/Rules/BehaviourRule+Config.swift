extension BehaviourRule {
    /// Stages a behaviour may fast-track to (the system may move a lead there on its own).
    static let fastTrackTargets: [Stage] = [.mql, .sal]

    static func read(id: String, _ field: Field) -> BehaviourRule? {
        field.object { reader in
            let activity = reader.required("activity") { $0.choice(ActivityType.allCases.map { ($0.rawValue, $0) }) }
            let urls = reader.optional("url_contains") { $0.stringList(allowEmpty: false) } ?? []
            let contents = reader.optional("content_contains") { $0.stringList(allowEmpty: false) } ?? []
            let points = reader.required("points") { $0.int(in: PointLimits.range) }
            let cap = reader.optional("cap") { readCap($0) }
            let halfLife = reader.optional("half_life_days") { $0.positiveNumber(maximum: 3650) }
            let fastTrack = reader.optional("fast_track") { $0.choice(fastTrackTargets.map { ($0.rawValue, $0) }) }
            guard let activity, let points else { return nil }
            return BehaviourRule(id: id, activity: activity, urlContains: urls.map { $0.lowercased() },
                                 contentContains: contents.map { $0.lowercased() }, points: points, cap: cap,
                                 halfLifeDays: halfLife, fastTrack: fastTrack)
        }
    }

    private static func readCap(_ field: Field) -> RepeatCap? {
        field.object { reader in
            let max = reader.required("max") { $0.int(in: 1...10_000) }
            let window = reader.optional("window_days") { $0.int(in: 1...3650) }
            guard let max else { return nil }
            return RepeatCap(max: max, windowDays: window)
        }
    }

    var configNode: ConfigNode {
        var pairs: [(key: String, value: ConfigNode)] = [("activity", .string(activity.rawValue))]
        if !urlContains.isEmpty { pairs.append(("url_contains", .strings(urlContains))) }
        if !contentContains.isEmpty { pairs.append(("content_contains", .strings(contentContains))) }
        pairs.append(("points", .integer(points)))
        if let cap {
            var capPairs: [(key: String, value: ConfigNode)] = [("max", .integer(cap.max))]
            if let window = cap.windowDays { capPairs.append(("window_days", .integer(window))) }
            pairs.append(("cap", .mapping(capPairs)))
        }
        if let halfLifeDays { pairs.append(("half_life_days", .number(halfLifeDays))) }
        if let fastTrack { pairs.append(("fast_track", .string(fastTrack.rawValue))) }
        return .mapping(pairs)
    }
}
