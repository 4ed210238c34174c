extension Scorer {
    /// ICP, negative fit and the best persona.
    func fitContributions(for lead: Lead) -> [Contribution] {
        let rules = compiled
        var result: [Contribution] = []
        result.reserveCapacity(8)
        let company = lead.company
        if let industry = company.industry {
            if let hit = rules.industries[industry] { result.append(hit) }
            if let hit = rules.excludedIndustries[industry] { result.append(hit) }
        }
        if let count = company.employeeCount, let band = rules.employeeBands.first(where: { $0.range.contains(Int64(count)) }) {
            result.append(band.contribution)
        }
        if let revenue = company.annualRevenue, let band = rules.revenueBands.first(where: { $0.range.contains(revenue) }) {
            result.append(band.contribution)
        }
        // Country points win over region points, so where a company is counts once.
        if let country = company.country, let hit = rules.countries[country] {
            result.append(hit)
        } else if let region = company.region, let hit = rules.regions[region] {
            result.append(hit)
        }
        if let domain = lead.emailDomain {
            if let hit = rules.competitorContribution, rules.competitors.contains(domain) { result.append(hit) }
            if let hit = rules.disposableContribution, rules.disposable.contains(domain) { result.append(hit) }
            if let hit = rules.freeMailContribution, lead.isFreeMail ?? rules.freeMail.contains(domain) { result.append(hit) }
        } else if let hit = rules.freeMailContribution, lead.isFreeMail == true {
            result.append(hit)
        }
        if let title = lead.title, !title.isEmpty, !(rules.excludedTitles.isEmpty && rules.personas.isEmpty) {
            TitleWords.with(title) { words in
                if let hit = rules.excludedTitles.first(where: { $0.pattern.matches(words) }) { result.append(hit.contribution) }
                if let persona = bestPersona(lead: lead, title: words) { result.append(persona) }
            }
        } else if let persona = bestPersona(lead: lead, title: nil) {
            result.append(persona)
        }
        return result
    }

    /// The matching persona with the most points (the first listed on a tie).
    private func bestPersona(lead: Lead, title: TitleWords?) -> Contribution? {
        var best: Contribution?
        for persona in compiled.personas {
            if let best, best.points >= persona.contribution.points { continue }
            if !persona.seniorities.isEmpty && !(lead.seniority.map(persona.seniorities.contains) ?? false) { continue }
            if !persona.departments.isEmpty && !(lead.department.map(persona.departments.contains) ?? false) { continue }
            if !persona.titles.isEmpty {
                guard let title, persona.titles.contains(where: { $0.matches(title) }) else { continue }
            }
            best = persona.contribution
        }
        return best
    }
}
