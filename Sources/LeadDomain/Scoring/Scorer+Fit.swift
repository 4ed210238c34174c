extension Scorer {
    /// ICP, negative fit and the best persona.
    func fitContributions(for lead: Lead) -> [Contribution] {
        let rules = compiled
        var result: [Contribution] = []
        result.reserveCapacity(8)
        let company = lead.company
        if let industry = company.industry {
            let index = rules.industryTable.value(for: industry)
            if index >= 0 {
                if let hit = rules.industryHits[index].icp { result.append(hit) }
                if let hit = rules.industryHits[index].excluded { result.append(hit) }
            }
        }
        if let count = company.employeeCount, let band = rules.employeeBands.first(where: { $0.range.contains(Int64(count)) }) {
            result.append(band.contribution)
        }
        if let revenue = company.annualRevenue, let band = rules.revenueBands.first(where: { $0.range.contains(revenue) }) {
            result.append(band.contribution)
        }
        // Country points win over region points, so where a company is counts once.
        let country = company.country.map { rules.countryTable.value(for: $0) } ?? -1
        if country >= 0 {
            result.append(rules.countryHits[country])
        } else if let region = company.region, case let index = rules.regionTable.value(for: region), index >= 0 {
            result.append(rules.regionHits[index])
        }
        if let domain = lead.emailDomain {
            let flags = max(0, rules.domainTable.value(for: domain))
            if let hit = rules.competitorContribution, flags & CompiledRules.DomainFlag.competitor != 0 { result.append(hit) }
            if let hit = rules.disposableContribution, flags & CompiledRules.DomainFlag.disposable != 0 { result.append(hit) }
            if let hit = rules.freeMailContribution, lead.isFreeMail ?? (flags & CompiledRules.DomainFlag.freeMail != 0) {
                result.append(hit)
            }
        } else if let hit = rules.freeMailContribution, lead.isFreeMail == true {
            result.append(hit)
        }

        let excluded = rules.excludedTitlePatterns
        let best: Int? = rules.titles.with { matcher in
            if let title = lead.title, !title.isEmpty, !(excluded.isEmpty && rules.personaTitlePatterns.isEmpty) {
                return TitleWords.with(title) { words in
                    for pattern in excluded where matcher.matches(pattern, in: words) {
                        result.append(rules.excludedTitleContributions[pattern - excluded.lowerBound])
                        break
                    }
                    return bestPersona(lead: lead, title: words, matcher: matcher)
                }
            }
            return bestPersona(lead: lead, title: nil, matcher: matcher)
        }
        if let best { result.append(rules.personaContributions[best]) }
        return result
    }

    /// The index of the matching persona with the most points (the first listed on a tie).
    private func bestPersona(lead: Lead, title: TitleWords?, matcher: TitlePatternTable.Matcher) -> Int? {
        let rules = compiled
        guard !rules.personas.isEmpty else { return nil }
        let seniority = lead.seniority.map { rules.seniorityTable.value(for: $0) } ?? -1
        let department = lead.department.map { rules.departmentTable.value(for: $0) } ?? -1
        return rules.personas.withUnsafeBufferPointer { personas in
            rules.personaTitlePatterns.withUnsafeBufferPointer { titlePatterns in
                rules.personaValueIDs.withUnsafeBufferPointer { values in
                    var best: Int?
                    var bestPoints = Int.min
                    for index in 0..<personas.count {
                        let persona = personas[index]
                        if best != nil && bestPoints >= persona.points { continue }
                        if !persona.seniorities.isEmpty && !values[persona.seniorities].contains(seniority) { continue }
                        if !persona.departments.isEmpty && !values[persona.departments].contains(department) { continue }
                        if !persona.titlePatterns.isEmpty {
                            guard let title, titlePatterns[persona.titlePatterns].contains(where: { matcher.matches($0, in: title) })
                            else { continue }
                        }
                        best = index
                        bestPoints = persona.points
                    }
                    return best
                }
            }
        }
    }
}
