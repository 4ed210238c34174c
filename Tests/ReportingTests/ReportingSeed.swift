import Postgres

/// A small closed loop whose every reporting figure is worked out by hand (2024, UTC):
///
/// - ada (web, spring, software, DE, smb, analytics_leader): created Jan 2 10:00, MQL Jan 3
///   10:00, assigned to r1 (east) then, called at 11:00 (1 h, on time), e-mailed Jan 4; SAL
///   Jan 4, SQL Jan 8, opportunity Jan 10, won Jan 31 11:00 for 1000 (cycle 28 days).
/// - ben (web, spring, software, US, product_leader): created Jan 2 11:00, MQL Jan 5 10:00,
///   assigned to r2 (west), called at 14:00 (4 h, late, a breach), no e-mail; lost Jan 19.
/// - cy (import, no campaign, retail, DE): created Jan 16, still a lead; active Feb 6.
/// - dee (web, summer, software, US, mid_market): created Feb 5 09:00, fast-tracked to SAL at
///   12:00, assigned to r1, e-mailed Feb 6 10:00 (22 h, late, a breach); SQL Feb 7,
///   opportunity Feb 9, won Feb 26 10:00 for 500 (cycle 20 days).
/// - The SLA asks 1 call and 1 e-mail. Costs: spring 300 + 200 in January, summer 250 and
///   autumn 100 in February.
enum ReportingSeed {
    static func load(on connection: Connection) async throws {
        try await connection.execute(sql)
    }

    static let sql = """
INSERT INTO rule_sets (definition, checksum, created_by) VALUES ('{"sla": {"minimum_calls": 1, "minimum_emails": 1}}', 'seed', 'test');
INSERT INTO reps (id, name, email, team) VALUES ('r1', 'Rita One', 'rita@seller.io', 'east'), ('r2', 'Rob Two', 'rob@seller.io', 'west');
INSERT INTO leads (email, email_domain, first_name, last_name, phone, source, first_source, campaign, industry, country, first_seen_at, stage, score_breakdown) VALUES
 ('ada@acme.io', 'acme.io', 'Ada', 'Lovelace', '+49 30 1234567', 'web', 'web', 'spring', 'software', 'DE', '2024-01-02 10:00Z', 'customer',
  '{"fit": [{"rule": "icp.employee_bands.smb", "points": 5}, {"rule": "personas.analytics_leader", "points": 30}], "interest": []}'),
 ('ben@beta.io', 'beta.io', 'Ben', 'Stone', NULL, 'web', 'web', 'spring', 'software', 'US', '2024-01-02 11:00Z', 'recycled',
  '{"fit": [{"rule": "personas.product_leader", "points": 25}], "interest": []}'),
 ('cy@gamma.io', 'gamma.io', 'Cy', 'Young', NULL, 'import', 'import', NULL, 'retail', 'DE', '2024-01-16 09:00Z', 'lead', NULL),
 ('dee@delta.io', 'delta.io', 'Dee', 'Ray', NULL, 'web', 'web', 'summer', 'software', 'US', '2024-02-05 09:00Z', 'customer',
  '{"fit": [{"rule": "icp.employee_bands.mid_market", "points": 15}], "interest": []}');
INSERT INTO stage_history (lead_id, from_stage, to_stage, actor, reason, changed_at)
SELECT l.id, h.from_stage, h.to_stage, h.actor, 'seed', h.changed_at::timestamptz
FROM (VALUES
 ('ada@acme.io', 'lead', 'mql', 'system', '2024-01-03 10:00Z'),
 ('ada@acme.io', 'mql', 'sal', 'sales', '2024-01-04 10:00Z'),
 ('ada@acme.io', 'sal', 'sql', 'sales', '2024-01-08 10:00Z'),
 ('ada@acme.io', 'sql', 'opportunity', 'sales', '2024-01-10 10:00Z'),
 ('ada@acme.io', 'opportunity', 'customer', 'sales', '2024-01-31 11:00Z'),
 ('ben@beta.io', 'lead', 'mql', 'system', '2024-01-05 10:00Z'),
 ('ben@beta.io', 'mql', 'recycled', 'sales', '2024-01-19 10:00Z'),
 ('dee@delta.io', 'lead', 'sal', 'system', '2024-02-05 12:00Z'),
 ('dee@delta.io', 'sal', 'sql', 'sales', '2024-02-07 10:00Z'),
 ('dee@delta.io', 'sql', 'opportunity', 'sales', '2024-02-09 10:00Z'),
 ('dee@delta.io', 'opportunity', 'customer', 'sales', '2024-02-26 10:00Z')
) h(email, from_stage, to_stage, actor, changed_at) JOIN leads l ON l.email = h.email;
INSERT INTO lead_outcomes (lead_id, outcome, stage_change, revenue, reported_by, reported_at)
SELECT h.lead_id, o.outcome, h.id, o.revenue, 'seed', h.changed_at
FROM (VALUES ('ada@acme.io', 'customer', 'won', 1000.00), ('ben@beta.io', 'recycled', 'lost', NULL), ('dee@delta.io', 'customer', 'won', 500.00))
     o(email, to_stage, outcome, revenue)
JOIN leads l ON l.email = o.email JOIN stage_history h ON h.lead_id = l.id AND h.to_stage = o.to_stage;
INSERT INTO assignments (lead_id, rep_id, source, team, rule_id, rule_version, assigned_at, first_touch_due_at, window_ends_at, ended_at, end_reason)
SELECT l.id, a.rep, 'team', a.team, 'seed', (SELECT max(version) FROM rule_sets), a.assigned::timestamptz, a.due::timestamptz, a.window_end::timestamptz,
       a.ended::timestamptz, a.reason
FROM (VALUES
 ('ada@acme.io', 'r1', 'east', '2024-01-03 10:00Z', '2024-01-03 12:00Z', '2024-01-17 18:00Z', NULL, NULL),
 ('ben@beta.io', 'r2', 'west', '2024-01-05 10:00Z', '2024-01-05 12:00Z', '2024-01-19 18:00Z', '2024-01-19 10:00Z', 'recycled'),
 ('dee@delta.io', 'r1', 'east', '2024-02-05 12:00Z', '2024-02-05 14:00Z', '2024-02-19 18:00Z', NULL, NULL)
) a(email, rep, team, assigned, due, window_end, ended, reason) JOIN leads l ON l.email = a.email;
INSERT INTO activities (lead_id, type, url, occurred_at, source, rep_id)
SELECT l.id, x.type, x.url, x.at::timestamptz, x.source, x.rep
FROM (VALUES
 ('ada@acme.io', 'page_view', '/pricing', '2024-01-02 12:00Z', 'web', NULL),
 ('ada@acme.io', 'demo_request', NULL, '2024-01-03 09:00Z', 'web', NULL),
 ('ada@acme.io', 'call', NULL, '2024-01-03 11:00Z', 'sales', 'r1'),
 ('ada@acme.io', 'email', NULL, '2024-01-04 09:00Z', 'sales', 'r1'),
 ('ben@beta.io', 'page_view', '/blog', '2024-01-04 10:00Z', 'web', NULL),
 ('ben@beta.io', 'call', NULL, '2024-01-05 14:00Z', 'sales', 'r2'),
 ('cy@gamma.io', 'page_view', '/blog', '2024-02-06 10:00Z', 'web', NULL),
 ('dee@delta.io', 'demo_request', NULL, '2024-02-05 11:00Z', 'web', NULL),
 ('dee@delta.io', 'email', NULL, '2024-02-06 10:00Z', 'sales', 'r1')
) x(email, type, url, at, source, rep) JOIN leads l ON l.email = x.email;
INSERT INTO sla_breaches (assignment_id, lead_id, rep_id, kind, deadline, detected_at, action)
SELECT a.id, a.lead_id, a.rep_id, 'first_touch', a.first_touch_due_at, a.first_touch_due_at, 'notify_manager'
FROM assignments a JOIN leads l ON l.id = a.lead_id WHERE l.email IN ('ben@beta.io', 'dee@delta.io');
INSERT INTO campaign_costs (campaign, spent_on, amount) VALUES
 ('spring', '2024-01-10', 300), ('spring', '2024-01-20', 200), ('summer', '2024-02-01', 250), ('autumn', '2024-02-15', 100);
"""
}
