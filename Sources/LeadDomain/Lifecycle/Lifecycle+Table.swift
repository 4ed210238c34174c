extension Lifecycle {
    /// One allowed kind of stage change.
    struct Edge: Sendable {
        let from: Set<Stage>
        let to: Stage
        let actor: Actor
        let reasons: Set<ReasonCode>
    }

    /// The whole transition table. SAL is optional (sales may qualify an MQL directly);
    /// recycling sends a lead back to marketing; the system only acts on scores, fast-track
    /// actions and SLA windows.
    static let table: [Edge] = [
        // Into MQL
        Edge(from: [.lead, .recycled], to: .mql, actor: .system, reasons: [.scoreThreshold, .fastTrack]),
        Edge(from: [.lead, .recycled], to: .mql, actor: .marketing, reasons: [.manualQualification]),
        // Fast track and sales acceptance
        Edge(from: [.lead, .mql, .recycled], to: .sal, actor: .system, reasons: [.fastTrack]),
        Edge(from: [.mql], to: .sal, actor: .sales, reasons: [.salesAccepted]),
        // Qualification, with or without SAL
        Edge(from: [.mql, .sal], to: .sql, actor: .sales, reasons: [.salesQualified]),
        Edge(from: [.sql], to: .opportunity, actor: .sales, reasons: [.opportunityCreated]),
        Edge(from: [.opportunity], to: .customer, actor: .sales, reasons: [.closedWon]),
        // Back to nurture
        Edge(from: [.mql, .sal, .sql], to: .recycled, actor: .sales,
             reasons: [.notReady, .noResponse, .badTiming, .rejectedBySales]),
        Edge(from: [.opportunity], to: .recycled, actor: .sales, reasons: [.closedLost, .badTiming]),
        Edge(from: [.mql, .sal], to: .recycled, actor: .system, reasons: [.slaWindowExpired]),
        Edge(from: [.mql], to: .recycled, actor: .marketing, reasons: [.notReady]),
        Edge(from: [.unreachable], to: .recycled, actor: .marketing, reasons: [.backToNurture]),
        Edge(from: [.unreachable], to: .recycled, actor: .system, reasons: [.backToNurture]),
        // Exits
        Edge(from: [.lead, .mql, .recycled], to: .disqualified, actor: .marketing, reasons: [.junk, .duplicate]),
        Edge(from: [.lead], to: .disqualified, actor: .system, reasons: [.junk, .duplicate]),
        Edge(from: [.mql, .sal, .sql], to: .disqualified, actor: .sales, reasons: [.junk, .duplicate]),
        Edge(from: [.mql, .sal, .sql], to: .unreachable, actor: .sales, reasons: [.contactFailed]),
        Edge(from: [.disqualified], to: .lead, actor: .marketing, reasons: [.restored]),
    ]
}
