extension NegativeFit {
    static func read(_ field: Field) -> NegativeFit? {
        field.object { reader in
            NegativeFit(
                freeMail: reader.optional("free_mail") { readDomains($0, allowsStandardList: true) },
                disposableMail: reader.optional("disposable_mail") { readDomains($0, allowsStandardList: true) },
                competitors: reader.optional("competitors") { readDomains($0, allowsStandardList: false) },
                excludedIndustries: reader.optional("excluded_industries") {
                    readList($0, key: "industries", normalize: Identifier.normalize)
                },
                titles: reader.optional("titles") { readList($0, key: "patterns", normalize: TitlePattern.normalize) })
        }
    }

    private static func readDomains(_ field: Field, allowsStandardList: Bool) -> DomainPenalty? {
        field.object { reader in
            let points = reader.required("points") { $0.int(in: PointLimits.negativeRange) }
            let standard = allowsStandardList ? reader.optional("include_standard_list") { $0.bool() } ?? false : false
            let domains = reader.optional("domains") { $0.stringList() } ?? []
            guard let points else { return nil }
            if domains.isEmpty && !standard {
                field.report(.empty, "needs at least one domain (or include_standard_list: true)")
                return nil
            }
            let normalized = Array(Set(domains.map(Identifier.normalizeDomain))).sorted()
            return DomainPenalty(points: points, domains: normalized, includeStandardList: standard)
        }
    }

    private static func readList(_ field: Field, key: String, normalize: (String) -> String) -> ListPenalty? {
        field.object { reader in
            let points = reader.required("points") { $0.int(in: PointLimits.negativeRange) }
            let values = reader.required(key) { $0.stringList(allowEmpty: false) }
            guard let points, let values else { return nil }
            return ListPenalty(points: points, values: Array(Set(values.map(normalize))).sorted())
        }
    }

    var configNode: ConfigNode {
        var pairs: [(key: String, value: ConfigNode)] = []
        if let freeMail { pairs.append(("free_mail", Self.domainsNode(freeMail, standard: true))) }
        if let disposableMail { pairs.append(("disposable_mail", Self.domainsNode(disposableMail, standard: true))) }
        if let competitors { pairs.append(("competitors", Self.domainsNode(competitors, standard: false))) }
        if let excludedIndustries {
            pairs.append(("excluded_industries", .mapping([("points", .integer(excludedIndustries.points)),
                                                            ("industries", .strings(excludedIndustries.values))])))
        }
        if let titles {
            pairs.append(("titles", .mapping([("points", .integer(titles.points)), ("patterns", .strings(titles.values))])))
        }
        return .mapping(pairs)
    }

    private static func domainsNode(_ penalty: DomainPenalty, standard: Bool) -> ConfigNode {
        var pairs: [(key: String, value: ConfigNode)] = [("points", .integer(penalty.points)), ("domains", .strings(penalty.domains))]
        if standard { pairs.append(("include_standard_list", .boolean(penalty.includeStandardList))) }
        return .mapping(pairs)
    }
}
