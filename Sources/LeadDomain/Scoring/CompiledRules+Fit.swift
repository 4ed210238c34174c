extension CompiledRules {
    /// ICP, negative fit and the best persona.
    ///
    /// The lead's strings are only borrowed (no local copies, no captures of `lead`), so
    /// scoring retains none of them.
    func fitContributions(for lead: Lead) -> [Contribution] {
        let rules = self
        var result: [Contribution] = []
        result.reserveCapacity(8)
        let industry = lead.company.industry.map { rules.industryTable.value(for: $0) } ?? -1
        if industry >= 0 {
            if let hit = rules.industryHits[industry].icp { result.append(hit) }
            if let hit = rules.industryHits[industry].excluded { result.append(hit) }
        }
        if let count = lead.company.employeeCount, let band = rules.employeeBands.first(where: { $0.range.contains(Int64(count)) }) {
            result.append(band.contribution)
        }
        if let revenue = lead.company.annualRevenue, let band = rules.revenueBands.first(where: { $0.range.contains(revenue) }) {
            result.append(band.contribution)
        }
        // Country points win over region points, so where a company is counts once.
        let country = lead.company.country.map { rules.countryTable.value(for: $0) } ?? -1
        if country >= 0 {
            result.append(rules.countryHits[country])
        } else if case let region = lead.company.region.map({ rules.regionTable.value(for: $0) }) ?? -1, region >= 0 {
            result.append(rules.regionHits[region])
        }
        let flags = lead.emailDomain.map { max(0, rules.domainTable.value(for: $0)) }
        if let flags {
            if let hit = rules.competitorContribution, flags & CompiledRules.DomainFlag.competitor != 0 { result.append(hit) }
            if let hit = rules.disposableContribution, flags & CompiledRules.DomainFlag.disposable != 0 { result.append(hit) }
        }
        if let hit = rules.freeMailContribution, lead.isFreeMail ?? ((flags ?? 0) & CompiledRules.DomainFlag.freeMail != 0) {
            result.append(hit)
        }

        let seniority = lead.seniority.map { rules.seniorityTable.value(for: $0) } ?? -1
        let department = lead.department.map { rules.departmentTable.value(for: $0) } ?? -1
        let excluded = rules.excludedTitlePatterns
        let needsTitle = !(excluded.isEmpty && rules.personaTitlePatterns.isEmpty)
        let title = needsTitle ? lead.title : nil
        let matcher = rules.titles.matcher
        // The closure returns plain indices; `result` is appended to outside it, so it
        // captures no array that it could grow.
        var excludedHit = -1
        let best: Int?
        if let title, !title.isEmpty {
            best = TitleWords.with(title) { words in
                for pattern in excluded where matcher.matches(pattern, in: words) {
                    excludedHit = pattern - excluded.lowerBound
                    break
                }
                return bestPersona(seniority: seniority, department: department, title: words, matcher: matcher)
            }
        } else {
            best = bestPersona(seniority: seniority, department: department, title: nil, matcher: matcher)
        }
        if excludedHit >= 0 { result.append(rules.excludedTitleContributions[excludedHit]) }
        if let best { result.append(rules.personaContributions[best]) }
        return result
    }

    /// The index of the matching persona with the most points (the first listed on a tie).
    private func bestPersona(seniority: Int, department: Int, title: TitleWords?, matcher: TitlePatternTable.Matcher) -> Int? {
        let rules = self
        guard !rules.personas.isEmpty else { return nil }
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
