public import Foundation
public import JobQueue
import LeadDomain
import LeadStore
public import Postgres

/// Kind `sla_first_touch`: at an assignment's first-touch deadline, records a breach when
/// sales has not touched the lead, and escalates it as the active rule set says; an
/// assignment left open gets its window-end check.
public struct SLAFirstTouchJobHandler: JobHandler {
    public static let kindName = SLAJob.firstTouchKind
    public var kind: String { Self.kindName }
    private let checks: SLAChecks

    /// - Parameter clock: "now" for the checks and the records; the wall clock unless a test pins it.
    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        checks = SLAChecks(clock: clock)
    }

    public func handle(_ jobs: [Job], on connection: isolated Connection) throws {
        try checks.firstTouch(assignmentIDs: try jobs.map { try $0.decodePayload(SLAJob.Payload.self).assignmentID }, on: connection)
    }
}

/// Kind `sla_window_end`: at the end of an assignment's working window, flags too few calls
/// or e-mails and recycles a lead that sales has not qualified.
public struct SLAWindowEndJobHandler: JobHandler {
    public static let kindName = SLAJob.windowEndKind
    public var kind: String { Self.kindName }
    private let checks: SLAChecks

    /// - Parameter clock: "now" for the checks and the records; the wall clock unless a test pins it.
    public init(clock: @escaping @Sendable () -> Date = { Date() }) {
        checks = SLAChecks(clock: clock)
    }

    public func handle(_ jobs: [Job], on connection: isolated Connection) throws {
        try checks.windowEnd(assignmentIDs: try jobs.map { try $0.decodePayload(SLAJob.Payload.self).assignmentID }, on: connection)
    }
}

/// The SLA checks, inside the caller's transaction.
///
/// Locks are taken in the order every other writer of these rows uses: the leads (e-mail
/// order), then the reps' state rows (rep id order), then the assignments. An assignment
/// that was ended meanwhile (reassigned, rep deactivated, recycled) is not open any more
/// and its job does nothing; a breach is recorded once per assignment and kind, and only
/// a newly recorded one is escalated, so a job that runs twice acts once.
final class SLAChecks: Sendable {
    static let slaBreach = "sla_breach"
    static let recycled = "recycled"
    /// Where a lead still waits for its first touch. A lead sales moved on (to SQL and
    /// beyond, or out of the funnel) has evidently been dealt with.
    static let awaitingFirstTouch: Set<String> = [Stage.mql.rawValue, Stage.sal.rawValue]
    /// Converted: the window's end leaves these with their rep.
    static let converted: Set<String> = [Stage.sql.rawValue, Stage.opportunity.rawValue, Stage.customer.rawValue]

    private let active = ActiveRules { rules, _ in rules }
    private let clock: @Sendable () -> Date

    init(clock: @escaping @Sendable () -> Date) {
        self.clock = clock
    }

    func firstTouch(assignmentIDs: [Int64], on connection: isolated Connection) throws {
        let ids = Array(Set(assignmentIDs)).sorted()
        guard !ids.isEmpty else { return }
        let (_, rules) = try active.current(on: connection)
        let now = clock()
        let reassigning = rules.sla.onBreach == .reassignToNextRep
        let reps = try connection.lockLeadsOfAssignments(ids)
        if reassigning { try connection.lockRepStateRows(reps) }

        var early: [JobRequest] = []
        var windowChecks: [Int64: JobRequest] = [:]
        var breaches: [NewSLABreach] = []
        for assignment in try connection.openSLAAssignments(ids) {
            guard let due = assignment.firstTouchDue else { continue }
            // Run ahead of time (a clock behind the database's): look again when it is due.
            if now < due {
                early.append(SLAJob.request(kind: SLAJob.firstTouchKind, assignmentID: assignment.id, at: due))
                continue
            }
            if let ends = assignment.windowEnds {
                windowChecks[assignment.id] = SLAJob.request(kind: SLAJob.windowEndKind, assignmentID: assignment.id, at: ends)
            }
            guard !assignment.touchedByDeadline, Self.awaitingFirstTouch.contains(assignment.stage) else { continue }
            breaches.append(NewSLABreach(assignmentID: assignment.id, leadID: assignment.leadID, rep: assignment.rep, kind: "first_touch",
                                         deadline: due, action: rules.sla.onBreach.rawValue, manager: Self.manager(of: assignment, rules)))
        }
        let recorded = try connection.insertSLABreaches(breaches, at: now)
        let fresh = breaches.filter { recorded[$0.assignmentID] != nil }
        if reassigning {
            // The next handoff routes the lead afresh; its new assignment gets its own clock.
            // Handoff passes over every rep whose assignment of the lead ended this way.
            let ended = try connection.endAssignments(fresh.map(\.assignmentID), reason: Self.slaBreach, at: now)
            try connection.enqueue(ended.filter { HandoffRouting.ownedStages.contains($0.stage) }.map {
                HandoffJob.request(leadID: $0.leadID, stage: $0.stage)
            })
            for assignment in ended { windowChecks[assignment.assignmentID] = nil }
        }
        try SLAChannel.send(fresh.map { Self.entry($0, id: recorded[$0.assignmentID]!) }, on: connection)
        // Keyed by assignment: one that already has its window check (queued by an older
        // handoff, or by a check that ran twice) keeps a single one.
        try connection.enqueue(early + windowChecks.sorted { $0.key < $1.key }.map(\.value))
    }

    func windowEnd(assignmentIDs: [Int64], on connection: isolated Connection) throws {
        let ids = Array(Set(assignmentIDs)).sorted()
        guard !ids.isEmpty else { return }
        let (version, rules) = try active.current(on: connection)
        let policy = rules.sla
        let now = clock()
        let reps = try connection.lockLeadsOfAssignments(ids)
        if policy.recycleWhenWindowEnds { try connection.lockRepStateRows(reps) }

        var early: [JobRequest] = []
        var breaches: [NewSLABreach] = []
        var recycling: [(assignmentID: Int64, leadID: Int64, change: StageChange, mqlArmed: Bool)] = []
        for assignment in try connection.openSLAAssignments(ids) {
            guard let ends = assignment.windowEnds else { continue }
            if now < ends {
                early.append(SLAJob.request(kind: SLAJob.windowEndKind, assignmentID: assignment.id, at: ends))
                continue
            }
            guard HandoffRouting.ownedStages.contains(assignment.stage) else { continue }
            if assignment.calls < policy.minimumCalls || assignment.emails < policy.minimumEmails {
                // The window is over: there is no one to reassign to, so such a policy only flags.
                let action = policy.onBreach == .notifyManager ? SLAPolicy.BreachAction.notifyManager.rawValue : "flagged"
                breaches.append(NewSLABreach(
                    assignmentID: assignment.id, leadID: assignment.leadID, rep: assignment.rep, kind: "too_few_contacts", deadline: ends,
                    action: action, manager: Self.manager(of: assignment, rules), calls: assignment.calls, emails: assignment.emails,
                    minimumCalls: policy.minimumCalls, minimumEmails: policy.minimumEmails))
            }
            guard policy.recycleWhenWindowEnds, !Self.converted.contains(assignment.stage),
                  let stage = Stage(rawValue: assignment.stage) else { continue }
            let transition = StageTransition(from: stage, to: .recycled, actor: .system, reason: .slaWindowExpired)
            let before = StageState(stage: stage, enteredAt: assignment.stageEnteredAt, mqlArmed: assignment.mqlArmed)
            guard let after = try? Lifecycle.apply(transition, to: before, at: now) else { continue }
            recycling.append((assignment.id, assignment.leadID,
                              StageChange(from: stage.rawValue, to: after.stage.rawValue, actor: transition.actor.rawValue,
                                          reason: transition.reason.rawValue, ruleVersion: version),
                              after.mqlArmed))
        }
        let recorded = try connection.insertSLABreaches(breaches, at: now)
        let moved = try connection.moveStages(recycling.map { (leadID: $0.leadID, change: $0.change, mqlArmed: $0.mqlArmed) }, at: now)
        try connection.endAssignments(recycling.filter { moved.contains($0.leadID) }.map(\.assignmentID), reason: Self.recycled, at: now)
        try SLAChannel.send(breaches.compactMap { breach in recorded[breach.assignmentID].map { Self.entry(breach, id: $0) } }, on: connection)
        try connection.enqueue(early)
    }

    /// The rule set's manager for the rep, else the roster's.
    static func manager(of assignment: OpenSLAAssignment, _ rules: RuleSet) -> String? {
        rules.rep(id: RepID(assignment.rep))?.manager?.rawValue ?? assignment.rosterManager
    }

    static func entry(_ breach: NewSLABreach, id: Int64) -> SLAChannel.Entry {
        SLAChannel.Entry(kind: breach.kind, breachID: id, assignmentID: breach.assignmentID, leadID: breach.leadID, repID: breach.rep,
                         managerID: breach.manager, action: breach.action, deadline: breach.deadline)
    }
}
