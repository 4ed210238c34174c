extension Rep {
    static func read(_ field: Field) -> Rep? {
        field.object { reader in
            let id = reader.required("id") { $0.string() }
            let calendar = reader.optional("calendar") { $0.string() }
            let manager = reader.optional("manager") { $0.string() }
            let away = reader.optional("out_of_office") { $0.list { readRange($0) } } ?? []
            guard let id else { return nil }
            return Rep(id: RepID(id), calendar: calendar, manager: manager.map { RepID($0) }, outOfOffice: away)
        }
    }

    private static func readRange(_ field: Field) -> LocalDateRange? {
        field.object { reader in
            let from = reader.required("from") { BusinessCalendar.readDate($0) }
            let through = reader.required("through") { BusinessCalendar.readDate($0) }
            guard let from, let through else { return nil }
            guard let range = LocalDateRange(from: from, through: through) else {
                field.report(.invalidValue, "through must not be before from")
                return nil
            }
            return range
        }
    }

    var configNode: ConfigNode {
        var pairs: [(key: String, value: ConfigNode)] = [("id", .string(id.rawValue))]
        if let calendar { pairs.append(("calendar", .string(calendar))) }
        if let manager { pairs.append(("manager", .string(manager.rawValue))) }
        pairs.append(("out_of_office", .sequence(outOfOffice.map {
            .mapping([("from", .string($0.from.description)), ("through", .string($0.through.description))])
        })))
        return .mapping(pairs)
    }
}

extension Team {
    static func read(_ field: Field) -> Team? {
        field.object { reader in
            let id = reader.required("id") { $0.string() }
            let members = reader.required("members") { membersField in
                membersField.list(allowEmpty: false) { memberField in
                    memberField.object { memberReader -> Member? in
                        let rep = memberReader.required("rep") { $0.string() }
                        let weight = memberReader.optional("weight") { $0.int(in: 1...1000) } ?? 1
                        let capacity = memberReader.optional("capacity") { $0.int(in: 0...100_000) }
                        guard let rep else { return nil }
                        return Member(rep: RepID(rep), weight: weight, capacity: capacity)
                    }
                }
            }
            guard let id, let members, !members.isEmpty else { return nil }
            return Team(id: id, members: members)
        }
    }

    var configNode: ConfigNode {
        .mapping([
            ("id", .string(id)),
            ("members", .sequence(members.map { member in
                var pairs: [(key: String, value: ConfigNode)] = [("rep", .string(member.rep.rawValue)), ("weight", .integer(member.weight))]
                if let capacity = member.capacity { pairs.append(("capacity", .integer(capacity))) }
                return .mapping(pairs)
            })),
        ])
    }
}

extension RoutingRule {
    static func read(_ field: Field) -> RoutingRule? {
        field.object { reader in
            let id = reader.required("id") { $0.string() }
            let when = reader.optional("when") { readTerritory($0) } ?? Territory()
            let assign = reader.required("assign") { readAssignment($0) }
            guard let id, let assign else { return nil }
            return RoutingRule(id: id, when: when, assign: assign)
        }
    }

    private static func readTerritory(_ field: Field) -> Territory? {
        field.object { reader in
            Territory(
                countries: (reader.optional("countries") { $0.stringList(allowEmpty: false) } ?? []).map(Identifier.normalizeCountry),
                regions: (reader.optional("regions") { $0.stringList(allowEmpty: false) } ?? []).map(Identifier.normalize),
                industries: (reader.optional("industries") { $0.stringList(allowEmpty: false) } ?? []).map(Identifier.normalize),
                segments: (reader.optional("segments") { $0.stringList(allowEmpty: false) } ?? []).map(Identifier.normalize))
        }
    }

    /// `assign: account_owner`, `assign: { rep: id }` or `assign: { team: id }`.
    private static func readAssignment(_ field: Field) -> Assignment? {
        if case .scalar = field.node.value {
            return field.choice([("account_owner", Assignment.accountOwner)])
        }
        return field.object { reader in
            let rep = reader.optional("rep") { $0.string() }
            let team = reader.optional("team") { $0.string() }
            switch (rep, team) {
            case (let rep?, nil): return .rep(RepID(rep))
            case (nil, let team?): return .team(team)
            default:
                if !(reader.has("rep") || reader.has("team")) || (rep != nil && team != nil) {
                    field.report(.invalidValue, "give exactly one of 'rep' or 'team' (or write account_owner)")
                }
                return nil
            }
        }
    }

    var configNode: ConfigNode {
        let assignNode: ConfigNode = switch assign {
        case .accountOwner: .string("account_owner")
        case .rep(let rep): .mapping([("rep", .string(rep.rawValue))])
        case .team(let team): .mapping([("team", .string(team))])
        }
        let criteria: [(key: String, value: [String])] = [
            ("countries", when.countries), ("regions", when.regions), ("industries", when.industries), ("segments", when.segments),
        ]
        return .mapping([
            ("id", .string(id)),
            ("when", .mapping(criteria.filter { !$0.value.isEmpty }.map { ($0.key, .strings($0.value)) })),
            ("assign", assignNode),
        ])
    }
}
