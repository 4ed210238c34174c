extension RuleSet {
    /// A value read from a list, with the place it came from, for checks across sections.
    private struct Located<T> {
        let field: Field
        let value: T
    }

    static func read(_ field: Field) -> RuleSet? {
        field.object { reader -> RuleSet? in
            let version = reader.required("version") { $0.string() }
            let name = reader.optional("name") { $0.string() }
            let thresholds = reader.required("thresholds") { Thresholds.read($0) }
            let icp = reader.optional("icp") { IdealCustomerProfile.read($0) } ?? IdealCustomerProfile()
            let negative = reader.optional("negative_fit") { NegativeFit.read($0) } ?? NegativeFit()
            let personas = reader.optional("personas") { $0.list { f in Persona.read(f).map { Located(field: f, value: $0) } } } ?? []
            let behaviour = reader.optional("behaviour") { $0.keyedMap { id, f in BehaviourRule.read(id: id, f) } } ?? []
            let calendars = reader.required("calendars") { $0.keyedMap(allowEmpty: false) { id, f in BusinessCalendar.read(id: id, f) } }
            let defaultCalendar = reader.required("default_calendar") { $0.string() }
            let reps = reader.required("reps") { $0.list(allowEmpty: false) { f in Rep.read(f).map { Located(field: f, value: $0) } } }
            let teams = reader.optional("teams") { $0.list { f in Team.read(f).map { Located(field: f, value: $0) } } } ?? []
            let routing = reader.optional("routing") { $0.list { f in RoutingRule.read(f).map { Located(field: f, value: $0) } } } ?? []
            let defaultOwner = reader.required("default_owner") { $0.string() }
            let sla = reader.required("sla") { SLAPolicy.read($0) }

            // References are checked against every id written in the file, including entries
            // that failed to read, so one broken entry gives one error and not a cascade.
            let calendarIDs = Set(field.keys(of: "calendars"))
            let repIDs = Set(field.ids(of: "reps").map { RepID($0) })
            let teamIDs = Set(field.ids(of: "teams"))
            checkUnique(personas.map { ($0.field, $0.value.id) })
            checkUnique((reps ?? []).map { ($0.field, $0.value.id.rawValue) })
            checkUnique(teams.map { ($0.field, $0.value.id) })
            checkUnique(routing.map { ($0.field, $0.value.id) })
            if let defaultCalendar, reader.has("calendars"), !calendarIDs.contains(defaultCalendar) {
                field.report(at: "default_calendar", .unknownReference, "names a calendar that is not defined under calendars")
            }
            if let defaultOwner, reader.has("reps"), !repIDs.contains(RepID(defaultOwner)) {
                field.report(at: "default_owner", .unknownReference, "names a rep that is not defined under reps")
            }
            for rep in reps ?? [] {
                if let calendar = rep.value.calendar, reader.has("calendars"), !calendarIDs.contains(calendar) {
                    rep.field.report(at: "calendar", .unknownReference, "names a calendar that is not defined under calendars")
                }
            }
            if reader.has("reps") { checkTeams(teams, repIDs: repIDs) }
            for rule in routing where reader.has("reps") {
                switch rule.value.assign {
                case .rep(let rep) where !repIDs.contains(rep):
                    rule.field.report(at: "assign", .unknownReference, "names a rep that is not defined under reps")
                case .team(let team) where !teamIDs.contains(team):
                    rule.field.report(at: "assign", .unknownReference, "names a team that is not defined under teams")
                default: break
                }
            }

            guard let version, let thresholds, let calendars, let defaultCalendar, let reps, let defaultOwner, let sla else {
                return nil
            }
            return RuleSet(version: version, name: name, thresholds: thresholds, icp: icp, negativeFit: negative,
                           personas: personas.map(\.value), behaviour: behaviour.map(\.value), calendars: calendars.map(\.value),
                           defaultCalendar: defaultCalendar, reps: reps.map(\.value), teams: teams.map(\.value),
                           routing: routing.map(\.value), defaultOwner: RepID(defaultOwner), sla: sla)
        }
    }

    private static func checkUnique(_ items: [(Field, String)]) {
        var seen = Set<String>()
        for (field, id) in items where !seen.insert(id).inserted {
            field.report(at: "id", .duplicateID, "id is already used by an earlier entry")
        }
    }

    private static func checkTeams(_ teams: [Located<Team>], repIDs: Set<RepID>) {
        for team in teams {
            guard case .mapping(let pairs) = team.field.node.value,
                  let membersNode = pairs.first(where: { $0.key == "members" })?.value,
                  case .sequence(let memberNodes) = membersNode.value else { continue }
            var seen = Set<RepID>()
            // Members that failed to read were already reported, so walk the source nodes by index.
            for (index, node) in memberNodes.enumerated() {
                guard case .mapping(let memberPairs) = node.value,
                      let repNode = memberPairs.first(where: { $0.key == "rep" })?.value,
                      case .scalar(let text, _) = repNode.value else { continue }
                let memberField = Field(node: node, path: team.field.path.appending("members").appending(index: index),
                                        diagnostics: team.field.diagnostics)
                let rep = RepID(text)
                if !repIDs.contains(rep) {
                    memberField.report(at: "rep", .unknownReference, "names a rep that is not defined under reps")
                } else if !seen.insert(rep).inserted {
                    memberField.report(at: "rep", .duplicateID, "rep is already a member of this team")
                }
            }
        }
    }

    var configNode: ConfigNode {
        var pairs: [(key: String, value: ConfigNode)] = [("version", .string(version))]
        if let name { pairs.append(("name", .string(name))) }
        pairs += [
            ("thresholds", thresholds.configNode),
            ("icp", icp.configNode),
            ("negative_fit", negativeFit.configNode),
            ("personas", .sequence(personas.map(\.configNode))),
            ("behaviour", .mapping(behaviour.map { ($0.id, $0.configNode) })),
            ("calendars", .mapping(calendars.map { ($0.id, $0.configNode) })),
            ("default_calendar", .string(defaultCalendar)),
            ("reps", .sequence(reps.map(\.configNode))),
            ("teams", .sequence(teams.map(\.configNode))),
            ("routing", .sequence(routing.map(\.configNode))),
            ("default_owner", .string(defaultOwner.rawValue)),
            ("sla", sla.configNode),
        ]
        return .mapping(pairs)
    }
}
