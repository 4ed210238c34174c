public import Foundation
public import Postgres

/// A lead as ingest writes it: normalized values; nil means "this record did not say".
public struct LeadUpsert: Sendable {
    public var email: String
    public var emailDomain: String
    public var isFreeMail: Bool
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    public var seniority: String?
    public var department: String?
    public var phone: String?
    public var companyName: String?
    public var industry: String?
    public var employees: Int?
    public var annualRevenue: Int64?
    public var country: String?
    public var source: String? {
        didSet { if firstSource == nil { firstSource = source } }
    }
    /// The earliest source any record of this lead named; kept once stored.
    public private(set) var firstSource: String?
    public var campaign: String?
    public var crmStatus: String?
    /// When the record arrived; the first one of a lead becomes its first-seen time.
    public var seenAt: Date

    public init(email: String, emailDomain: String, isFreeMail: Bool, seenAt: Date) {
        self.email = email
        self.emailDomain = emailDomain
        self.isFreeMail = isFreeMail
        self.seenAt = seenAt
    }

    /// Folds a later record of the same lead into this one: its non-empty fields win.
    public mutating func merge(newer: LeadUpsert) {
        func take<T>(_ path: WritableKeyPath<LeadUpsert, T?>) {
            if let value = newer[keyPath: path] { self[keyPath: path] = value }
        }
        take(\.firstName); take(\.lastName); take(\.title); take(\.seniority); take(\.department)
        take(\.phone); take(\.companyName); take(\.industry); take(\.employees); take(\.annualRevenue)
        take(\.country); take(\.source); take(\.campaign); take(\.crmStatus)
        firstSource = firstSource ?? newer.firstSource
        seenAt = min(seenAt, newer.seenAt)
    }
}

/// What one upserted lead became.
public struct UpsertedLead: Sendable {
    public let id: Int64
    public let email: String
    /// False when an existing lead was merged into.
    public let created: Bool
}

public struct ActivityInsert: Sendable {
    public var email: String
    public var type: String
    public var url: String?
    public var content: String?
    public var occurredAt: Date
    public var source: String

    public init(email: String, type: String, url: String?, content: String?, occurredAt: Date, source: String) {
        self.email = email
        self.type = type
        self.url = url
        self.content = content
        self.occurredAt = occurredAt
        self.source = source
    }
}

public struct Reject: Sendable {
    public var batchID: Int64?
    public var inboxID: Int64?
    public var source: String
    public var position: Int?
    public var reason: String
    public var payload: String

    public init(batchID: Int64?, inboxID: Int64? = nil, source: String, position: Int?, reason: String, payload: String) {
        self.batchID = batchID
        self.inboxID = inboxID
        self.source = source
        self.position = position
        self.reason = reason
        self.payload = payload
    }
}

extension Connection {
    /// Inserts or merges leads by e-mail, and their companies by e-mail domain (never for
    /// free-mail), in the caller's transaction, with one merging statement for each set.
    ///
    /// A bulk batch reaches the server by binary COPY into session temporary tables; a
    /// small one, the few leads of an HTTP intake, as array parameters in the merging
    /// statements themselves: below `stagedUpsertThreshold` leads the two COPYs, their
    /// round trips and the truncation of the temporary tables at commit cost more than the
    /// arrays save.
    ///
    /// Merge rule: a field the record carries replaces the stored one; a field it lacks
    /// keeps the stored one; first-seen time and first source never change. Leads and
    /// companies are written in e-mail and domain order, so that concurrent batches lock
    /// rows in the same order and cannot deadlock.
    ///
    /// A bulk writer that passes the same `storedEmails` with each of its batches has only
    /// the e-mails it may have stored itself looked up (see ``StoredEmails``); one that
    /// passes the same `writtenCompanies`, and confirms each commit to it, writes a
    /// company only when its record differs from the one it last wrote (see
    /// ``WrittenCompanies``).
    public func upsertLeads(
        _ leads: consuming [LeadUpsert], storedEmails: StoredEmails? = nil, writtenCompanies: WrittenCompanies? = nil
    ) throws -> [UpsertedLead] {
        guard !leads.isEmpty else { return [] }
        var companyIDs: [String: Int64] = [:]
        companyIDs.reserveCapacity(leads.count)
        let domains = writtenCompanies?.domainsToWrite(of: leads, ids: &companyIDs)
        // From the batch in arrival order, so that a later record of a company wins.
        let companies = Self.companiesByDomain(leads, among: domains)
        let ordered = Self.foldedByEmail(consume leads)
        let staged = ordered.count >= Self.stagedUpsertThreshold
        if staged {
            // Temporary tables are per session; a second batch in one transaction (a retry
            // under a savepoint) must not see the first one's rows.
            try execute(Self.stagingTables)
        }
        if !companies.isEmpty {
            let rows = try mergeCompanies(companies, staged: staged && companies.count >= Self.stagedUpsertThreshold)
            for row in rows { companyIDs[try row.decode(0)] = try row.decode(1) }
        }
        writtenCompanies?.wrote(companies, ids: companyIDs)
        if staged, let upserted = try copyNewLeads(ordered, companyIDs: companyIDs, storedEmails: storedEmails) { return upserted }
        return try mergedLeads(ordered, companyIDs: companyIDs, staged: staged)
    }

    private func mergedLeads(_ ordered: [LeadUpsert], companyIDs: [String: Int64], staged: Bool) throws -> [UpsertedLead] {
        guard !ordered.isEmpty else { return [] }
        return try mergeLeads(ordered, companyIDs: companyIDs, staged: staged).map { row in
            UpsertedLead(id: try row.decode(0), email: try row.decode(1), created: try row.decode(2))
        }
    }

    /// A bulk batch's leads that are new to the table go straight into `leads` by COPY,
    /// under ids drawn from its sequence, instead of through the staging table and the
    /// merge (in an import nearly every lead is new, and the merge's speculative insertion
    /// and the staging COPY were a third of the server's time per row); the others are
    /// merged. Which are new: the stored ones are looked up, all of them, or with a trusted
    /// `storedEmails` only those it may hold. Nil when the COPY met an e-mail stored after
    /// all (by another writer since the lookup): nothing of the COPY is kept, and the caller
    /// merges them all.
    private func copyNewLeads(_ ordered: [LeadUpsert], companyIDs: [String: Int64], storedEmails: StoredEmails?) throws -> [UpsertedLead]? {
        let presuming = storedEmails?.isTrusted == true
        var emails = ordered.map { $0.email }
        // Only a trusted filter is read or fed: once distrusted, it is never read again.
        let slots = presuming ? storedEmails?.slots(of: emails) : nil
        if let storedEmails, let slots {
            let maybe = storedEmails.mightContain(slots)
            emails = emails.indices.compactMap { maybe[$0] ? emails[$0] : nil }
        }
        var stored: Set<String> = []
        if !emails.isEmpty {
            for row in try query("SELECT email FROM leads WHERE email = ANY($1::text[])", [emails]) {
                stored.insert(try row.decode(0))
            }
        }
        var fresh: [Int] = []
        var merging: [LeadUpsert] = []
        // Through a buffer: read from the array, each lead was copied whole to test its e-mail.
        ordered.withUnsafeBufferPointer { leads in
            for index in leads.indices {
                if stored.contains(leads[index].email) { merging.append(leads[index]) } else { fresh.append(index) }
            }
        }
        guard !fresh.isEmpty else { return nil }
        let ids = try newIDs(of: "leads", count: fresh.count)
        do {
            try withSavepoint { connection in
                _ = try connection.copyFrom(Self.leadCopy, format: .binary) { writer in
                    // Read in place: through the array's subscript, each lead was copied
                    // (its twenty-odd strings retained and released) to be written.
                    try ordered.withUnsafeBufferPointer { leads in
                        for (id, index) in zip(ids, fresh) {
                            try writer.beginBinaryRow(fieldCount: 1 + Self.leadColumns.count)
                            writer.binaryField(id)
                            Self.writeLeadFields(leads[index], companyIDs: companyIDs, to: &writer)
                        }
                    }
                }
            }
        } catch let error as PostgresError where error.sqlState == .uniqueViolation {
            guard presuming, let storedEmails else { return nil }
            // A presumed-new e-mail was stored: look them all up from now on.
            storedEmails.distrust()
            return try copyNewLeads(ordered, companyIDs: companyIDs, storedEmails: storedEmails)
        }
        if let storedEmails, let slots { storedEmails.insert(slots) }
        return zip(ids, fresh).map { UpsertedLead(id: $0, email: ordered[$1].email, created: true) }
            + (try mergedLeads(merging, companyIDs: companyIDs, staged: merging.count >= Self.stagedUpsertThreshold))
    }

    /// The columns of `leads` that an upsert writes, with their types, in the order that
    /// `writeLeadFields` writes them: every statement below lists them from here.
    private static let leadColumns: [(name: String, type: String)] = [
        ("email", "text"), ("email_domain", "text"), ("free_mail", "boolean"), ("company_id", "bigint"),
        ("first_name", "text"), ("last_name", "text"), ("title", "text"), ("seniority", "text"), ("department", "text"),
        ("phone", "text"), ("company_name", "text"), ("industry", "text"), ("employees", "integer"),
        ("annual_revenue", "bigint"), ("country", "text"), ("source", "text"), ("first_source", "text"),
        ("campaign", "text"), ("crm_status", "text"), ("first_seen_at", "timestamptz"),
    ]
    private static let leadColumnNames = leadColumns.map(\.name).joined(separator: ", ")

    private static let leadCopy = "COPY leads (id, \(leadColumnNames)) FROM STDIN WITH (FORMAT binary)"

    /// A lead's columns after its id (or its order in the staging table), as `leadColumns`
    /// lists them.
    private static func writeLeadFields(_ lead: LeadUpsert, companyIDs: [String: Int64], to writer: inout CopyWriter) {
        writer.binaryField(lead.email)
        writer.binaryField(lead.emailDomain)
        writer.binaryField(lead.isFreeMail)
        writer.binaryField(lead.isFreeMail ? nil : companyIDs[lead.emailDomain])
        writer.binaryField(lead.firstName)
        writer.binaryField(lead.lastName)
        writer.binaryField(lead.title)
        writer.binaryField(lead.seniority)
        writer.binaryField(lead.department)
        writer.binaryField(lead.phone)
        writer.binaryField(lead.companyName)
        writer.binaryField(lead.industry)
        writer.binaryField(lead.employees.map { Int32(clamping: $0) })
        writer.binaryField(lead.annualRevenue)
        writer.binaryField(lead.country)
        writer.binaryField(lead.source)
        writer.binaryField(lead.firstSource)
        writer.binaryField(lead.campaign)
        writer.binaryField(lead.crmStatus)
        writer.binaryField(lead.seenAt)
    }

    /// Merges the batch's companies; returns each one's domain and id.
    private func mergeCompanies(_ companies: [CompanyUpsert], staged: Bool) throws -> Rows {
        if staged {
            try copyFrom("COPY company_upserts FROM STDIN WITH (FORMAT binary)", format: .binary) { writer in
                for (order, company) in companies.enumerated() {
                    try writer.beginBinaryRow(fieldCount: 7)
                    writer.binaryField(Int32(order))
                    writer.binaryField(company.domain)
                    writer.binaryField(company.name)
                    writer.binaryField(company.industry)
                    writer.binaryField(company.employees.map { Int32(clamping: $0) })
                    writer.binaryField(company.annualRevenue)
                    writer.binaryField(company.country)
                }
            }
            return try query("WITH " + Self.companyMerge)
        } else {
            return try query("""
                WITH company_upserts AS MATERIALIZED (
                    SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::text[])
                        AS u(ord, domain, name, industry, employees, annual_revenue, country)
                ),
                """ + Self.companyMerge, [
                    Array(0..<companies.count), companies.map(\.domain), companies.map(\.name),
                    companies.map(\.industry), companies.map { $0.employees.map { Int32(clamping: $0) } }, companies.map(\.annualRevenue),
                    companies.map(\.country),
                ])
        }
    }

    /// Merges the batch's leads; returns each one's id, e-mail and whether it is new.
    private func mergeLeads(_ ordered: [LeadUpsert], companyIDs: [String: Int64], staged: Bool) throws -> Rows {
        if staged {
            try copyFrom("COPY lead_upserts FROM STDIN WITH (FORMAT binary)", format: .binary) { writer in
                for (order, lead) in ordered.enumerated() {
                    try writer.beginBinaryRow(fieldCount: 1 + Self.leadColumns.count)
                    writer.binaryField(Int32(order))
                    Self.writeLeadFields(lead, companyIDs: companyIDs, to: &writer)
                }
            }
            return try query(Self.leadMerge)
        } else {
            return try query(Self.leadArrays + Self.leadMerge, [
                    Array(0..<ordered.count), ordered.map(\.email), ordered.map(\.emailDomain), ordered.map(\.isFreeMail),
                    ordered.map { $0.isFreeMail ? nil : companyIDs[$0.emailDomain] }, ordered.map(\.firstName),
                    ordered.map(\.lastName), ordered.map(\.title), ordered.map(\.seniority), ordered.map(\.department),
                    ordered.map(\.phone), ordered.map(\.companyName), ordered.map(\.industry),
                    ordered.map { $0.employees.map { Int32(clamping: $0) } },
                    ordered.map(\.annualRevenue), ordered.map(\.country), ordered.map(\.source), ordered.map(\.firstSource),
                    ordered.map(\.campaign), ordered.map(\.crmStatus), ordered.map(\.seenAt),
                ])
        }
    }

    /// From this many leads on, `upsertLeads` stages its rows by COPY.
    static let stagedUpsertThreshold = 64

    /// Merges `company_upserts` (a temporary table, or a CTE of the same name) into
    /// `companies`; it follows a WITH. A company the batch would not change is only read:
    /// no new row version, and no row lock for concurrent batches of the same account to
    /// queue behind. Each company of the batch is looked up by one index probe (the LATERAL
    /// with LIMIT keeps the planner from it): as a join, it hashed the whole `companies`
    /// table for every batch, most of the merge's time once a batch named thousands.
    private static let companyMerge = """
        unchanged AS MATERIALIZED (
            SELECT u.domain, c.id FROM company_upserts u
            CROSS JOIN LATERAL (SELECT * FROM companies c WHERE c.domain = u.domain LIMIT 1) c
            WHERE (c.name, c.industry, c.employees, c.annual_revenue, c.country) IS NOT DISTINCT FROM
                  (COALESCE(u.name, c.name), COALESCE(u.industry, c.industry), COALESCE(u.employees, c.employees),
                   COALESCE(u.annual_revenue, c.annual_revenue), COALESCE(u.country, c.country))
        ),
        upserted AS (
            INSERT INTO companies AS c (domain, name, industry, employees, annual_revenue, country)
            SELECT domain, name, industry, employees, annual_revenue, country FROM company_upserts
            WHERE domain NOT IN (SELECT domain FROM unchanged)
            ORDER BY ord
            ON CONFLICT (domain) DO UPDATE SET
                name = COALESCE(excluded.name, c.name),
                industry = COALESCE(excluded.industry, c.industry),
                employees = COALESCE(excluded.employees, c.employees),
                annual_revenue = COALESCE(excluded.annual_revenue, c.annual_revenue),
                country = COALESCE(excluded.country, c.country),
                updated_at = now()
            RETURNING domain, id
        )
        SELECT domain, id FROM upserted UNION ALL SELECT domain, id FROM unchanged
        """

    /// `lead_upserts` as a CTE over array parameters: $1 the order, then one array per
    /// column of `leadColumns`.
    private static let leadArrays = """
        WITH lead_upserts AS MATERIALIZED (
            SELECT * FROM unnest($1::int[], \(leadColumns.enumerated().map { "$\($0.offset + 2)::\($0.element.type)[]" }.joined(separator: ", ")))
                AS u(ord, \(leadColumnNames))
        )

        """

    /// Merges `lead_upserts` (a temporary table, or a CTE of the same name) into `leads`.
    private static let leadMerge = """
        INSERT INTO leads AS l (\(leadColumnNames))
        SELECT \(leadColumnNames)
        FROM lead_upserts ORDER BY ord
        ON CONFLICT (email) DO UPDATE SET
            company_id = COALESCE(excluded.company_id, l.company_id),
            first_name = COALESCE(excluded.first_name, l.first_name),
            last_name = COALESCE(excluded.last_name, l.last_name),
            title = COALESCE(excluded.title, l.title),
            seniority = COALESCE(excluded.seniority, l.seniority),
            department = COALESCE(excluded.department, l.department),
            phone = COALESCE(excluded.phone, l.phone),
            company_name = COALESCE(excluded.company_name, l.company_name),
            industry = COALESCE(excluded.industry, l.industry),
            employees = COALESCE(excluded.employees, l.employees),
            annual_revenue = COALESCE(excluded.annual_revenue, l.annual_revenue),
            country = COALESCE(excluded.country, l.country),
            source = COALESCE(excluded.source, l.source),
            first_source = COALESCE(l.first_source, excluded.first_source),
            campaign = COALESCE(excluded.campaign, l.campaign),
            crm_status = COALESCE(excluded.crm_status, l.crm_status),
            first_seen_at = LEAST(l.first_seen_at, excluded.first_seen_at),
            updated_at = now()
        RETURNING id, email, (xmax = 0) AS created
        """

    /// The session's staging tables for ``upsertLeads(_:)``, created on first use and
    /// emptied for each call; their rows go at commit. Emptied with DELETE, not TRUNCATE:
    /// they are empty at the start of every transaction, and TRUNCATE gives a table new
    /// files each time, which cost 3–4 ms a batch in `scripts/bench e2e`.
    private static let stagingTables = """
        CREATE TEMPORARY TABLE IF NOT EXISTS company_upserts (
            ord integer, domain text, name text, industry text, employees integer, annual_revenue bigint, country text
        ) ON COMMIT DELETE ROWS;
        CREATE TEMPORARY TABLE IF NOT EXISTS lead_upserts (
            ord integer, \(leadColumns.map { "\($0.name) \($0.type)" }.joined(separator: ", "))
        ) ON COMMIT DELETE ROWS;
        DELETE FROM company_upserts;
        DELETE FROM lead_upserts;
        """

    /// Records activities of leads known by e-mail; every e-mail must have been upserted.
    /// Queued on the transaction (`queue(_:)`).
    public func insertActivities(_ activities: [ActivityInsert], leadIDs: [String: Int64]) throws {
        guard !activities.isEmpty else { return }
        try queue(Statement("""
            INSERT INTO activities (lead_id, type, url, content, occurred_at, source)
            SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[])
            """, [
                activities.map { leadIDs[$0.email]! }, activities.map(\.type), activities.map(\.url),
                activities.map(\.content), activities.map(\.occurredAt), activities.map(\.source),
            ]))
    }

    /// Records rejects, queued on the transaction (`queue(_:)`).
    public func insertRejects(_ rejects: [Reject]) throws {
        guard !rejects.isEmpty else { return }
        try queue(Statement("""
            INSERT INTO rejects (batch_id, inbox_id, source, position, reason, payload)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[], $5::text[], $6::text[])
            """, [
                rejects.map(\.batchID), rejects.map(\.inboxID), rejects.map(\.source), rejects.map(\.position),
                rejects.map(\.reason), rejects.map(\.payload),
            ]))
    }

    /// One row per e-mail, later records merged into earlier ones, in e-mail order.
    static func foldedByEmail(_ leads: consuming [LeadUpsert]) -> [LeadUpsert] {
        folded(consume leads)
    }

    /// One company row per business domain in the batch (or only per domain of `domains`),
    /// from its leads' latest values, in domain order.
    static func companiesByDomain(_ leads: [LeadUpsert], among domains: Set<String>? = nil) -> [CompanyUpsert] {
        var companies: [CompanyUpsert] = []
        companies.reserveCapacity(domains?.count ?? leads.count)
        for index in leads.indices where !leads[index].isFreeMail {
            if let domains, !domains.contains(leads[index].emailDomain) { continue }
            companies.append(CompanyUpsert(leads[index]))
        }
        return folded(companies)
    }

    /// One row per key, in key order, each key's later rows merged into its first.
    ///
    /// Sorted first: the sort is stable, so one key's rows end up side by side in arrival
    /// order and fold into the first without a dictionary of keys; the sort moves the rows
    /// in place, where building a sorted copy would retain their strings each. (Generic over
    /// a protocol, so each row type gets its own specialized copy: a fold taking key and
    /// merge closures cost the importing process 10–25% more CPU per row.)
    private static func folded<Row: BatchRow>(_ rows: consuming [Row]) -> [Row] {
        var folded = consume rows
        folded.sort { $0.batchKey < $1.batchKey }
        var last = 0
        // In place, through a buffer: the array's own swapAt copied both rows (each string
        // of both retained) for every row after a batch's first repeat.
        folded.withUnsafeMutableBufferPointer { rows in
            for index in rows.indices.dropFirst() {
                if rows[index].batchKey == rows[last].batchKey {
                    let newer = rows[index]
                    rows[last].merge(newer: newer)
                } else {
                    last += 1
                    if last != index { rows.swapAt(last, index) }
                }
            }
        }
        if !folded.isEmpty { folded.removeSubrange((last + 1)...) }
        return folded
    }
}

/// A row of a batch that folds with the batch's other rows of the same key.
protocol BatchRow {
    var batchKey: String { get }
    /// Takes a later row's non-empty fields.
    mutating func merge(newer: Self)
}

extension LeadUpsert: BatchRow {
    var batchKey: String { email }
}

extension CompanyUpsert: BatchRow {
    var batchKey: String { domain }
}

/// The company fields of a lead's upsert, for the company merge.
struct CompanyUpsert {
    let domain: String
    var name: String?
    var industry: String?
    var employees: Int?
    var annualRevenue: Int64?
    var country: String?

    init(_ lead: LeadUpsert) {
        domain = lead.emailDomain
        name = lead.companyName
        industry = lead.industry
        employees = lead.employees
        annualRevenue = lead.annualRevenue
        country = lead.country
    }

    /// True when `lead` says nothing of its company that this record does not: the same
    /// fields, empty or not. It reads the fields that `init(_:)` takes, without building a
    /// record (whose strings a check per lead would retain): a field added there goes here.
    func isRepeated(by lead: LeadUpsert) -> Bool {
        name == lead.companyName && industry == lead.industry && employees == lead.employees
            && annualRevenue == lead.annualRevenue && country == lead.country && domain == lead.emailDomain
    }

    /// A later record's non-empty fields win, as in `LeadUpsert.merge(newer:)`.
    mutating func merge(newer: CompanyUpsert) {
        name = newer.name ?? name
        industry = newer.industry ?? industry
        employees = newer.employees ?? employees
        annualRevenue = newer.annualRevenue ?? annualRevenue
        country = newer.country ?? country
    }
}
