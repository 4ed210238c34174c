/// A kind of person inside a fitting company. Every criterion that is given must match
/// (title pattern, seniority, department); a lead may match several personas and the one
/// with the most points counts.
public struct Persona: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, CaseIterable {
        case decisionMaker = "decision_maker"
        case influencer
        case endUser = "end_user"
    }

    public var id: String
    /// Whole-word title patterns, lower case ("vp marketing", "head of growth"). A trailing
    /// `*` on a word matches any word that starts with it ("market*").
    public var titles: [String]
    public var seniorities: [String]
    public var departments: [String]
    public var role: Role?
    public var points: Int

    public init(id: String, titles: [String] = [], seniorities: [String] = [], departments: [String] = [],
                role: Role? = nil, points: Int) {
        self.id = id
        self.titles = titles
        self.seniorities = seniorities
        self.departments = departments
        self.role = role
        self.points = points
    }
}

extension Persona {
    static func read(_ field: Field) -> Persona? {
        field.object { reader in
            let id = reader.required("id") { $0.string() }
            let titles = reader.optional("titles") { $0.stringList() } ?? []
            let seniorities = reader.optional("seniorities") { $0.stringList() } ?? []
            let departments = reader.optional("departments") { $0.stringList() } ?? []
            let role = reader.optional("role") { $0.choice(Role.allCases.map { ($0.rawValue, $0) }) }
            let points = reader.required("points") { $0.int(in: PointLimits.range) }
            guard let id, let points else { return nil }
            if titles.isEmpty && seniorities.isEmpty && departments.isEmpty {
                field.report(.empty, "needs at least one of titles, seniorities or departments")
                return nil
            }
            return Persona(id: id, titles: titles.map(TitlePattern.normalize), seniorities: seniorities.map(Identifier.normalize),
                           departments: departments.map(Identifier.normalize), role: role, points: points)
        }
    }

    var configNode: ConfigNode {
        var pairs: [(key: String, value: ConfigNode)] = [
            ("id", .string(id)), ("titles", .strings(titles)), ("seniorities", .strings(seniorities)),
            ("departments", .strings(departments)),
        ]
        if let role { pairs.append(("role", .string(role.rawValue))) }
        pairs.append(("points", .integer(points)))
        return .mapping(pairs)
    }
}
