extension IdealCustomerProfile {
    static func read(_ field: Field) -> IdealCustomerProfile? {
        field.object { reader in
            let industries = reader.optional("industries") { readPoints($0, normalize: Identifier.normalize) } ?? [:]
            let employees = reader.optional("employee_bands") { readBands($0) } ?? []
            let revenue = reader.optional("revenue_bands") { readBands($0) } ?? []
            let countries = reader.optional("countries") { readPoints($0, normalize: Identifier.normalizeCountry) } ?? [:]
            let regions = reader.optional("regions") { readPoints($0, normalize: Identifier.normalize) } ?? [:]
            return IdealCustomerProfile(industries: industries, employeeBands: employees, revenueBands: revenue,
                                        countries: countries, regions: regions)
        }
    }

    /// `key: points` pairs; keys are normalized, and two keys that normalize alike are reported.
    static func readPoints(_ field: Field, normalize: (String) -> String) -> [String: Int]? {
        guard let pairs = field.keyedMap({ _, value in value.int(in: PointLimits.range) }) else { return nil }
        var result: [String: Int] = [:]
        for pair in pairs {
            let key = normalize(pair.key)
            if key.isEmpty || result[key] != nil {
                field.child(pair.key, field.node).report(.duplicateID, "key is empty or the same as another key once normalized")
                continue
            }
            result[key] = pair.value
        }
        return result
    }

    static func readBands(_ field: Field) -> [Band]? {
        guard let bands = field.list({ item in
            item.object { reader -> Band? in
                let label = reader.required("label") { $0.string() }
                let min = reader.required("min") { $0.int64(in: 0...Int64.max) }
                let max = reader.optional("max") { $0.int64(in: 0...Int64.max) }
                let points = reader.required("points") { $0.int(in: PointLimits.range) }
                guard let label, let min, let points else { return nil }
                if let max, max < min {
                    item.report(.outOfRange, "max must not be below min")
                    return nil
                }
                return Band(label: Identifier.normalize(label), min: min, max: max, points: points)
            }
        }) else { return nil }
        let sorted = bands.sorted { $0.min < $1.min }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.max.map({ $0 >= next.min }) ?? true {
            field.report(.invalidValue, "bands overlap; each value must fall in at most one band")
            return nil
        }
        if Set(bands.map(\.label)).count != bands.count {
            field.report(.duplicateID, "band labels must be unique")
            return nil
        }
        return sorted
    }

    var configNode: ConfigNode {
        .mapping([
            ("industries", Self.pointsNode(industries)),
            ("employee_bands", Self.bandsNode(employeeBands)),
            ("revenue_bands", Self.bandsNode(revenueBands)),
            ("countries", Self.pointsNode(countries)),
            ("regions", Self.pointsNode(regions)),
        ])
    }

    static func pointsNode(_ points: [String: Int]) -> ConfigNode {
        .mapping(points.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })
    }

    static func bandsNode(_ bands: [Band]) -> ConfigNode {
        .sequence(bands.map { band in
            var pairs: [(key: String, value: ConfigNode)] = [("label", .string(band.label)), ("min", .integer(band.min))]
            if let max = band.max { pairs.append(("max", .integer(max))) }
            pairs.append(("points", .integer(band.points)))
            return .mapping(pairs)
        })
    }
}

/// The range every point value in a rule file must fall in.
enum PointLimits {
    static let range = -1000...1000
    static let negativeRange = -1000...0
}
