public import Foundation
public import JobQueue
import LeadDomain
import LeadStore
public import Postgres

/// Kind `handoff`: gives each sales-ready lead named by the jobs to a rep, in the jobs'
/// transaction. See `HandoffRouting` for how concurrent workers stay fair.
public struct HandoffJobHandler: JobHandler {
    public static let kindName = HandoffJob.kind
    public var kind: String { Self.kindName }
    private let routing: HandoffRouting

    /// - Parameter clock: "now" for working hours, time away and the assignment time; the
    ///   wall clock unless a test pins it.
    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        routing = HandoffRouting(clock: clock)
    }

    public func handle(_ jobs: [Job], on connection: isolated Connection) throws {
        let ids = try jobs.map { try $0.decodePayload(HandoffJob.Payload.self).leadID }
        try routing.handOff(leadIDs: ids, on: connection)
    }
}

/// Routes leads with LeadDomain's `Router` against the reps' live state and writes the
/// assignments, inside the caller's transaction.
///
/// Fairness under any number of workers comes from locks taken in one fixed order: the
/// leads (e-mail order), then the round-robin rows of every team the batch's leads could
/// reach (team order), then the state rows of every rep they could reach (rep id order).
/// Two batches that share a team take turns, and each reads the pointer and the loads
/// the other committed, so the picks are exactly those of one worker routing every lead
/// in turn. Batches for unrelated teams run side by side.
final class HandoffRouting: Sendable {
    /// The stages in which a lead is worked by sales and so should have an owner.
    static let ownedStages: Set<String> = [Stage.mql.rawValue, Stage.sal.rawValue, Stage.sql.rawValue, Stage.opportunity.rawValue]

    private let rules = ActiveRules { rules, _ in Router(rules: rules) }
    private let clock: @Sendable () -> Date

    init(clock: @escaping @Sendable () -> Date) {
        self.clock = clock
    }

    /// Assigns those of `leadIDs` that are in an owned stage and have no open assignment;
    /// the others are left alone. A lead never goes back to a rep who breached its SLA,
    /// however it came to be routed again. Returns the new assignments.
    @discardableResult
    func handOff(leadIDs: [Int64], on connection: isolated Connection) throws -> [AssignmentRef] {
        let unique = Array(Set(leadIDs))
        guard !unique.isEmpty else { return [] }
        // One round trip: the active version, the leads, locked, then what their earlier
        // assignments say, and an id for each one's assignment, drawn before the
        // round-robin lock so that everything written under it goes together. (An id drawn
        // for a lead that is not routed is a gap in the sequence, nothing more.)
        let (active, leads, history, drawnIDs) = try connection.read(
            activeRuleVersion, HandoffReads.leads(unique), HandoffReads.history(unique, endedFor: SLAChecks.slaBreach),
            HandoffReads.newIDs(of: "assignments", count: unique.count))
        let (version, router) = try rules.compiled(version: active, on: connection)
        let routable = leads.filter { Self.ownedStages.contains($0.stage) && !history.open.contains($0.id) }.sorted { $0.id < $1.id }
        guard !routable.isEmpty else { return [] }
        let now = clock()
        let domainLeads = routable.map(Self.lead)

        let (teams, reps) = Self.reach(of: domainLeads, router: router, at: now)
        // One round trip again: time away (set without these locks, so reading it under
        // them would not make it fresher), the teams' round-robin rows (created if missing,
        // then locked in team order), then the reps' state rows, locked in rep order.
        let repIDs = reps.map(\.rawValue).sorted()
        let (away, _, weightsByTeam, liveStates) = try connection.read(
            Connection.awayPeriods(of: repIDs, endingOnOrAfter: Self.dayBefore(now)),
            HandoffReads.ensureRoundRobin(teams.sorted()), HandoffReads.lockRoundRobin(teams.sorted()),
            HandoffReads.lockRepStates(repIDs))
        var roundRobin: [String: RoundRobinState] = [:]
        for (team, weights) in weightsByTeam {
            roundRobin[team] = RoundRobinState(team: team, currentWeights: Dictionary(uniqueKeysWithValues: weights.map { (RepID($0.key), $0.value) }))
        }
        var states: [RepID: RepState] = [:]
        for live in liveStates {
            let rep = RepID(live.rep)
            states[rep] = RepState(rep: rep, isActive: live.isActive, isOutOfOffice: Self.isAway(rep, away[live.rep] ?? [], router.rules, at: now),
                                   openLoad: live.openLoad)
        }

        var assignments: [NewAssignment] = []
        assignments.reserveCapacity(routable.count)
        var changedTeams = Set<String>()
        for (stored, lead) in zip(routable, domainLeads) {
            let breachedBy = history.endedReps[stored.id].map { Set($0.map(RepID.init(rawValue:))) } ?? []
            let decision = router.route(lead, reps: states, roundRobin: roundRobin, at: now, excluding: breachedBy)
            if let state = decision.roundRobin {
                roundRobin[state.team] = state
                changedTeams.insert(state.team)
            }
            // Later leads of this batch see the load this one adds, so caps hold within it.
            states[decision.rep]?.openLoad += 1
            var assignment = Self.assignment(of: stored.id, decision)
            assignment.previousID = history.latest[stored.id]
            assignments.append(assignment)
        }
        let unknown = Set(assignments.map { RepID($0.rep) }).filter { states[$0] == nil }
        try connection.ensureReps(unknown.map(\.rawValue).sorted())
        let timed = SLAJob.deadlines(for: assignments, rules: router.rules, at: now)
        let ids = Array(drawnIDs.prefix(timed.count))
        let written = zip(ids, timed).map { id, assignment in
            AssignmentRef(id: id, leadID: assignment.leadID, rep: assignment.rep,
                          firstTouchDue: assignment.firstTouchDue, windowEnds: assignment.windowEnds)
        }
        var weights: [String: [String: Int]] = [:]
        for team in changedTeams {
            weights[team] = Dictionary(uniqueKeysWithValues: roundRobin[team]!.currentWeights.map { ($0.key.rawValue, $0.value) })
        }
        // Other handoffs of these teams wait for this transaction: its writes are queued,
        // to go to the server with its COMMIT, one round trip for all of them. The
        // deliveries come second, after the assignments they name, each with its job.
        let writes = [
            AssignmentWrites.insert(timed, ids: ids, ruleVersion: version, at: now),
            FreshJobs.perRow(of: DeliveryWrites.insert(assignmentIDs: ids), kind: DeliveryJob.kind, payloadField: "delivery_id"),
        ] + FreshJobs.statements(SLAJob.checks(of: written))
            + [AssignmentWrites.storeRoundRobin(weights), HandoffNotifications.statement(for: written)].compactMap { $0 }
        for write in writes { try connection.queue(write) }
        return written
    }

    /// Every team and rep that routing could reach for these leads: a dry run in which no
    /// rep has live state passes over everyone it tries, so its skip list names them all.
    static func reach(of leads: [Lead], router: Router, at now: Date) -> (teams: Set<String>, reps: Set<RepID>) {
        var teamOfRule: [String: String] = [:]
        for rule in router.rules.routing {
            if case .team(let team) = rule.assign { teamOfRule[rule.id] = team }
        }
        var teams = Set<String>()
        var reps: Set<RepID> = [router.rules.defaultOwner]
        for lead in leads {
            for skipped in router.route(lead, reps: [:], roundRobin: [:], at: now).skipped {
                reps.insert(skipped.rep)
                if let team = teamOfRule[skipped.ruleID] { teams.insert(team) }
            }
        }
        return (teams, reps)
    }

    /// Roster time away, read in the rep's own calendar as the rule file's days are.
    static func isAway(_ rep: RepID, _ periods: [AwayPeriod], _ rules: RuleSet, at now: Date) -> Bool {
        guard !periods.isEmpty, let calendar = rules.calendar(for: rep) else { return false }
        let today = calendar.localDate(of: now)
        return periods.contains { period in
            guard let from = LocalDate(period.from), let through = LocalDate(period.through) else { return false }
            return from <= today && today <= through
        }
    }

    /// The UTC day before `now`: no time zone is a day or more behind UTC, so periods that
    /// ended earlier cannot cover any rep's today.
    static func dayBefore(_ now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now.addingTimeInterval(-86_400))
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!.description
    }

    static func lead(_ stored: LeadForHandoff) -> Lead {
        Lead(company: Company(industry: stored.industry, employeeCount: stored.employees, annualRevenue: stored.annualRevenue,
                              country: stored.country, accountOwner: stored.accountOwner.map(RepID.init(rawValue:))))
    }

    static func assignment(of leadID: Int64, _ decision: RoutingDecision) -> NewAssignment {
        let (source, team): (String, String?) = switch decision.source {
        case .accountOwner: ("account_owner", nil)
        case .rep: ("rep", nil)
        case .team(let team): ("team", team)
        case .defaultOwner: ("default_owner", nil)
        }
        return NewAssignment(
            leadID: leadID, rep: decision.rep.rawValue, source: source, team: team, ruleID: decision.ruleID,
            skipped: decision.skipped.map { SkippedRepRecord(rep: $0.rep.rawValue, rule: $0.ruleID, reason: $0.reason.rawValue) })
    }
}
