public import Foundation

/// Chooses the rep for a sales-ready lead. Routing rules are tried in order and the first
/// one that yields an eligible rep wins; the default owner is the last resort.
///
/// A named rep (account owner, or a territory's rep) is passed over only when inactive,
/// out of office or excluded by the caller: a named relationship outranks load and hours. A team's round robin
/// also skips reps outside their working hours and reps at their capacity cap.
public struct Router: Sendable {
    public let rules: RuleSet
    private let segmentBands: [IdealCustomerProfile.Band]
    private let calendars: [RepID: BusinessCalendar]
    private let defaultCalendar: BusinessCalendar?

    public init(rules: RuleSet) {
        self.rules = rules
        self.segmentBands = rules.icp.employeeBands
        self.defaultCalendar = rules.calendar(id: rules.defaultCalendar)
        var calendars: [RepID: BusinessCalendar] = [:]
        for rep in rules.reps { calendars[rep.id] = rules.calendar(for: rep.id) }
        self.calendars = calendars
    }

    /// - Parameters:
    ///   - reps: live state per rep; a rep without state is skipped.
    ///   - roundRobin: stored state per team id; a missing team starts fresh.
    ///   - now: the instant for working hours and out-of-office days.
    ///   - excluded: reps this lead must not go to, e.g. those whose SLA it breached; they
    ///     are passed over like any other, except as the default owner, the last resort.
    public func route(_ lead: Lead, reps: [RepID: RepState], roundRobin: [String: RoundRobinState], at now: Date,
                      excluding excluded: Set<RepID> = []) -> RoutingDecision {
        var skipped: [SkippedRep] = []
        for rule in rules.routing where matches(rule.when, lead.company) {
            switch rule.assign {
            case .accountOwner:
                guard let owner = lead.company.accountOwner else { continue }
                if let reason = namedRepSkipReason(owner, reps[owner], excluded, now: now) {
                    skipped.append(SkippedRep(rep: owner, ruleID: rule.id, reason: reason))
                    continue
                }
                return RoutingDecision(rep: owner, source: .accountOwner, ruleID: rule.id, skipped: skipped, roundRobin: nil)
            case .rep(let rep):
                if let reason = namedRepSkipReason(rep, reps[rep], excluded, now: now) {
                    skipped.append(SkippedRep(rep: rep, ruleID: rule.id, reason: reason))
                    continue
                }
                return RoutingDecision(rep: rep, source: .rep, ruleID: rule.id, skipped: skipped, roundRobin: nil)
            case .team(let teamID):
                guard let team = rules.team(id: teamID) else { continue }
                var candidates: [(rep: RepID, weight: Int)] = []
                for member in team.members {
                    if let reason = memberSkipReason(member, reps[member.rep], excluded, now: now) {
                        skipped.append(SkippedRep(rep: member.rep, ruleID: rule.id, reason: reason))
                    } else {
                        candidates.append((member.rep, member.weight))
                    }
                }
                var state = roundRobin[teamID] ?? RoundRobinState(team: teamID)
                state.retain(members: team.members.map(\.rep))
                guard let chosen = state.pick(from: candidates) else { continue }
                return RoutingDecision(rep: chosen, source: .team(teamID), ruleID: rule.id, skipped: skipped, roundRobin: state)
            }
        }
        return RoutingDecision(rep: rules.defaultOwner, source: .defaultOwner, ruleID: nil, skipped: skipped, roundRobin: nil)
    }

    /// The segment used by territories: the company's own, else its employee band's label.
    public func segment(of company: Company) -> String? {
        if let segment = company.segment { return segment }
        guard let count = company.employeeCount else { return nil }
        return segmentBands.first { $0.contains(Int64(count)) }?.label
    }

    private func matches(_ territory: RoutingRule.Territory, _ company: Company) -> Bool {
        func check(_ allowed: [String], _ value: String?) -> Bool {
            allowed.isEmpty || value.map(allowed.contains) == true
        }
        return check(territory.countries, company.country) && check(territory.regions, company.region)
            && check(territory.industries, company.industry) && check(territory.segments, segment(of: company))
    }

    private func namedRepSkipReason(_ rep: RepID, _ state: RepState?, _ excluded: Set<RepID>, now: Date) -> SkipReason? {
        if excluded.contains(rep) { return .excluded }
        guard let state else { return .noState }
        if !state.isActive { return .inactive }
        if state.isOutOfOffice || isOnLeave(rep, at: now) { return .outOfOffice }
        return nil
    }

    private func memberSkipReason(_ member: Team.Member, _ state: RepState?, _ excluded: Set<RepID>, now: Date) -> SkipReason? {
        if let reason = namedRepSkipReason(member.rep, state, excluded, now: now) { return reason }
        if let calendar = calendars[member.rep] ?? defaultCalendar, !calendar.isWorkingTime(now) { return .outsideWorkingHours }
        if let capacity = state?.capacity ?? member.capacity, (state?.openLoad ?? 0) >= capacity { return .atCapacity }
        return nil
    }

    /// Out-of-office days from the rule file, read in the rep's own calendar.
    private func isOnLeave(_ rep: RepID, at now: Date) -> Bool {
        guard let periods = rules.rep(id: rep)?.outOfOffice, !periods.isEmpty,
              let calendar = calendars[rep] ?? defaultCalendar else { return false }
        let today = calendar.localDate(of: now)
        return periods.contains { $0.contains(today) }
    }
}
