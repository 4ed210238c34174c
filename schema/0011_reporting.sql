-- Reporting for analysts: the `reporting` schema is their stable contract (every view and
-- column is described in docs/reporting.md). Analysts read it as leadrelay_analyst and see
-- no raw table. Heavy views are materialized; the periodic job reporting_refresh refreshes
-- them CONCURRENTLY, so a reader never waits for a refresh, and reporting.refreshed_at says
-- when each was refreshed. Periods are UTC calendar periods; weeks start on Monday.
--
-- Dimensions the raw tables have no column for are derived here, not stored:
--   employee_band and persona: the fit rules that matched in the lead's current score
--     breakdown (icp.employee_bands.LABEL, personas.ID), so they use the rule set's labels;
--   rep and team: the lead's latest assignment (team from the roster, else the routing team);
--   source: the first source that brought the lead, else the latest.

-- What marketing spent on each campaign, per day, as `leadrelay costs import FILE.csv` loads
-- it. Importing a (campaign, day) again replaces its amount.
CREATE TABLE campaign_costs (
    campaign    text           NOT NULL CHECK (campaign <> ''),
    spent_on    date           NOT NULL,
    amount      numeric(16, 2) NOT NULL CHECK (amount >= 0),
    imported_at timestamptz    NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign, spent_on)
);

-- When each materialized reporting view was last refreshed, and how long it took.
CREATE TABLE reporting_refreshes (
    view_name    text        PRIMARY KEY,
    refreshed_at timestamptz NOT NULL,
    duration_ms  integer     NOT NULL
);

-- The roles are cluster-wide, so another database on the same cluster may have made them
-- already (or be making them right now); privileges are granted per database below.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leadrelay_analyst') THEN
        BEGIN
            CREATE ROLE leadrelay_analyst NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
    -- A marker role: members see e-mail addresses, phone numbers and names unmasked.
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leadrelay_analyst_pii') THEN
        BEGIN
            CREATE ROLE leadrelay_analyst_pii NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
END
$$;

-- Helpers ---------------------------------------------------------------------------------

CREATE VIEW reporting.grains (grain) AS VALUES ('day'), ('week'), ('month'), ('quarter');

-- The first day of the UTC period of `grain` that holds `at`.
CREATE FUNCTION reporting.period_start(grain text, at timestamptz) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN date_trunc(grain, at AT TIME ZONE 'UTC')::date;

-- Whether the current user may see personal data: members of leadrelay_analyst_pii (and
-- superusers). Views run with their owner's rights, but current_user stays the reader.
CREATE FUNCTION reporting.can_see_pii() RETURNS boolean
    LANGUAGE sql STABLE
    RETURN pg_has_role(current_user, 'leadrelay_analyst_pii', 'MEMBER');

-- Personal text masked for readers without leadrelay_analyst_pii: its first character and ***.
CREATE FUNCTION reporting.mask(value text) RETURNS text
    LANGUAGE sql STABLE
    RETURN CASE WHEN value IS NULL OR reporting.can_see_pii() THEN value ELSE left(value, 1) || '***' END;

-- An e-mail address masked the same way, keeping its domain (a company fact).
CREATE FUNCTION reporting.mask_email(value text) RETURNS text
    LANGUAGE sql STABLE
    RETURN CASE WHEN value IS NULL OR reporting.can_see_pii() THEN value ELSE '***@' || split_part(value, '@', 2) END;

-- A lead's value in every dimension the per-segment views are cut by ('all' is the total).
CREATE FUNCTION reporting.dimensions(source text, campaign text, industry text, employee_band text, country text,
                                     persona text, rep text, team text)
    RETURNS TABLE (dimension text, value text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    VALUES ('all', 'all'), ('source', source), ('campaign', campaign), ('industry', industry),
           ('employee_band', employee_band), ('country', country), ('persona', persona), ('rep', rep), ('team', team)
$$;

-- Per lead (materialized) -----------------------------------------------------------------

-- One row per lead: its segments and its milestones. A milestone is the first time the lead
-- reached that stage or a later one, so a lead that skipped a stage (SAL is optional; a
-- fast-track action goes straight to SAL) counts as having passed it.
CREATE MATERIALIZED VIEW reporting.lead_facts AS
SELECT l.id AS lead_id,
       l.first_seen_at AS created_at,
       coalesce(nullif(l.first_source, ''), nullif(l.source, ''), '(none)') AS source,
       coalesce(nullif(l.campaign, ''), '(none)') AS campaign,
       coalesce(l.industry, c.industry, '(none)') AS industry,
       coalesce(fit.employee_band, '(none)') AS employee_band,
       coalesce(l.country, c.country, '(none)') AS country,
       coalesce(fit.persona, '(none)') AS persona,
       coalesce(owner.rep_id, '(unassigned)') AS rep,
       coalesce(owner.team, '(none)') AS team,
       l.stage,
       l.stage_entered_at,
       l.fit_score,
       l.interest_score,
       l.quadrant,
       m.mql_at,
       m.sal_at,
       m.sql_at,
       m.opportunity_at,
       m.won_at,
       coalesce(o.revenue, 0)::numeric(16, 2) AS revenue,
       o.last_outcome,
       o.last_outcome_at,
       (m.won_at IS NOT NULL OR coalesce(o.last_outcome IN ('lost', 'recycled', 'junk', 'unreachable'), false)) AS closed,
       (m.won_at IS NOT NULL) AS won,
       CASE WHEN m.won_at IS NOT NULL THEN m.won_at
            WHEN o.last_outcome IN ('lost', 'recycled', 'junk', 'unreachable') THEN o.last_outcome_at END AS closed_at,
       a.first_assigned_at,
       t.first_touch_at,
       coalesce(a.first_assigned_at, m.mql_at, l.first_seen_at) AS evaluated_at
FROM leads l
LEFT JOIN companies c ON c.id = l.company_id
LEFT JOIN LATERAL (
    SELECT max(substr(e->>'rule', 20)) FILTER (WHERE e->>'rule' LIKE 'icp.employee\_bands.%') AS employee_band,
           max(substr(e->>'rule', 10)) FILTER (WHERE e->>'rule' LIKE 'personas.%') AS persona
    FROM jsonb_array_elements(coalesce(l.score_breakdown->'fit', '[]')) e
) fit ON true
LEFT JOIN LATERAL (
    SELECT min(h.changed_at) FILTER (WHERE h.to_stage IN ('mql', 'sal', 'sql', 'opportunity', 'customer')) AS mql_at,
           min(h.changed_at) FILTER (WHERE h.to_stage IN ('sal', 'sql', 'opportunity', 'customer')) AS sal_at,
           min(h.changed_at) FILTER (WHERE h.to_stage IN ('sql', 'opportunity', 'customer')) AS sql_at,
           min(h.changed_at) FILTER (WHERE h.to_stage IN ('opportunity', 'customer')) AS opportunity_at,
           min(h.changed_at) FILTER (WHERE h.to_stage = 'customer') AS won_at
    FROM stage_history h WHERE h.lead_id = l.id
) m ON true
LEFT JOIN LATERAL (
    SELECT sum(r.revenue) FILTER (WHERE r.outcome = 'won') AS revenue,
           (array_agg(r.outcome ORDER BY r.reported_at DESC, r.id DESC))[1] AS last_outcome,
           max(r.reported_at) AS last_outcome_at
    FROM lead_outcomes r WHERE r.lead_id = l.id
) o ON true
LEFT JOIN LATERAL (
    SELECT s.rep_id, coalesce(p.team, s.team) AS team
    FROM assignments s LEFT JOIN reps p ON p.id = s.rep_id
    WHERE s.lead_id = l.id ORDER BY s.assigned_at DESC, s.id DESC LIMIT 1
) owner ON true
LEFT JOIN LATERAL (SELECT min(s.assigned_at) AS first_assigned_at FROM assignments s WHERE s.lead_id = l.id) a ON true
LEFT JOIN LATERAL (
    SELECT min(x.occurred_at) AS first_touch_at FROM activities x
    WHERE x.lead_id = l.id AND x.source = 'sales' AND x.type IN ('call', 'email', 'meeting')
) t ON true;
CREATE UNIQUE INDEX lead_facts_lead ON reporting.lead_facts (lead_id);

-- One row per assignment: the follow-up and the SLA. Touches are sales' calls, e-mails and
-- meetings on the lead; the minimums come from the rule set the lead was routed by.
-- Statuses are as of the refresh (reporting.refreshed_at).
CREATE MATERIALIZED VIEW reporting.assignment_facts AS
SELECT s.id AS assignment_id,
       s.lead_id,
       s.rep_id AS rep,
       coalesce(p.team, s.team, '(none)') AS team,
       s.source AS routed_by,
       s.assigned_at,
       s.first_touch_due_at,
       s.window_ends_at,
       s.ended_at,
       s.end_reason,
       t.first_touch_at,
       round(extract(epoch FROM t.first_touch_at - s.assigned_at))::bigint AS follow_up_seconds,
       CASE WHEN t.first_touch_at IS NOT NULL AND s.first_touch_due_at IS NOT NULL
                 AND t.first_touch_at <= s.first_touch_due_at THEN 'on_time'
            WHEN t.first_touch_at IS NOT NULL AND s.first_touch_due_at IS NOT NULL THEN 'late'
            WHEN s.first_touch_due_at IS NOT NULL AND s.first_touch_due_at <= now() THEN 'missed'
            ELSE 'pending' END AS first_touch_status,
       t.calls,
       t.emails,
       coalesce((r.definition->'sla'->>'minimum_calls')::integer, 0) AS calls_required,
       coalesce((r.definition->'sla'->>'minimum_emails')::integer, 0) AS emails_required,
       CASE WHEN t.calls >= coalesce((r.definition->'sla'->>'minimum_calls')::integer, 0)
                 AND t.emails >= coalesce((r.definition->'sla'->>'minimum_emails')::integer, 0) THEN 'met'
            WHEN s.window_ends_at IS NOT NULL AND s.window_ends_at <= now() THEN 'short'
            ELSE 'open' END AS contact_status,
       (SELECT count(*) FROM sla_breaches b WHERE b.assignment_id = s.id)::integer AS breaches
FROM assignments s
LEFT JOIN reps p ON p.id = s.rep_id
LEFT JOIN rule_sets r ON r.version = s.rule_version
LEFT JOIN LATERAL (
    SELECT min(x.occurred_at) FILTER (WHERE x.occurred_at <= coalesce(s.ended_at, 'infinity')) AS first_touch_at,
           count(*) FILTER (WHERE x.type = 'call' AND x.occurred_at <= s.window_ends_at)::integer AS calls,
           count(*) FILTER (WHERE x.type = 'email' AND x.occurred_at <= s.window_ends_at)::integer AS emails
    FROM activities x
    WHERE x.lead_id = s.lead_id AND x.source = 'sales' AND x.type IN ('call', 'email', 'meeting')
      AND x.occurred_at >= s.assigned_at
) t ON true;
CREATE UNIQUE INDEX assignment_facts_assignment ON reporting.assignment_facts (assignment_id);

-- Closed leads (won, lost, recycled, junk, unreachable by the closed loop) and what they had:
-- each behaviour type they did up to the moment they were evaluated (handed to sales, else
-- qualified, else created), and each fit attribute. Feeds reporting.close_rates.
CREATE MATERIALIZED VIEW reporting.closed_lead_attributes AS
SELECT f.lead_id, f.closed_at, f.won, 'behaviour'::text AS kind, x.type AS value
FROM reporting.lead_facts f
JOIN activities x ON x.lead_id = f.lead_id AND x.source <> 'sales' AND x.occurred_at <= f.evaluated_at
WHERE f.closed
GROUP BY f.lead_id, f.closed_at, f.won, x.type
UNION ALL
SELECT f.lead_id, f.closed_at, f.won, d.kind, d.value
FROM reporting.lead_facts f
CROSS JOIN LATERAL (VALUES ('industry', f.industry), ('employee_band', f.employee_band), ('country', f.country),
                           ('persona', f.persona), ('source', f.source), ('campaign', f.campaign)) d(kind, value)
WHERE f.closed AND d.value <> '(none)';
CREATE UNIQUE INDEX closed_lead_attributes_key ON reporting.closed_lead_attributes (lead_id, kind, value);

-- Aggregates (materialized where they scan every lead or activity) ------------------------

-- Leads by the period they were created in, and how many of them reached each stage so far.
CREATE MATERIALIZED VIEW reporting.funnel_cohorts AS
SELECT g.grain, reporting.period_start(g.grain, f.created_at) AS period_start, d.dimension, d.value,
       count(*)::integer AS leads,
       count(f.mql_at)::integer AS mqls,
       count(f.sal_at)::integer AS sals,
       count(f.sql_at)::integer AS sqls,
       count(f.opportunity_at)::integer AS opportunities,
       count(f.won_at)::integer AS customers,
       sum(f.revenue)::numeric(16, 2) AS revenue
FROM reporting.lead_facts f
CROSS JOIN reporting.grains g
CROSS JOIN LATERAL reporting.dimensions(f.source, f.campaign, f.industry, f.employee_band, f.country, f.persona, f.rep, f.team) d
GROUP BY 1, 2, 3, 4;
CREATE UNIQUE INDEX funnel_cohorts_key ON reporting.funnel_cohorts (grain, period_start, dimension, value);

-- Per period: the leads that existed by its end, and those of them with a behaviour activity
-- (anything but sales' own touches: what scoring reads) in it.
CREATE MATERIALIZED VIEW reporting.lead_activity AS
WITH created AS (
    SELECT g.grain, reporting.period_start(g.grain, l.first_seen_at) AS period_start, count(*) AS n
    FROM leads l CROSS JOIN reporting.grains g GROUP BY 1, 2
), active AS (
    SELECT g.grain, reporting.period_start(g.grain, x.occurred_at) AS period_start, count(DISTINCT x.lead_id) AS n
    FROM activities x JOIN leads l ON l.id = x.lead_id CROSS JOIN reporting.grains g
    WHERE x.source <> 'sales'
      AND reporting.period_start(g.grain, l.first_seen_at) <= reporting.period_start(g.grain, x.occurred_at)
    GROUP BY 1, 2
), periods AS (
    SELECT grain, period_start FROM created UNION SELECT grain, period_start FROM active
)
SELECT p.grain, p.period_start,
       (sum(coalesce(c.n, 0)) OVER (PARTITION BY p.grain ORDER BY p.period_start))::integer AS leads,
       coalesce(a.n, 0)::integer AS active_leads
FROM periods p
LEFT JOIN created c USING (grain, period_start)
LEFT JOIN active a USING (grain, period_start);
CREATE UNIQUE INDEX lead_activity_key ON reporting.lead_activity (grain, period_start);

-- The views analysts read -----------------------------------------------------------------

-- Every lead with its segments; e-mail, names and phone masked without leadrelay_analyst_pii.
CREATE VIEW reporting.leads AS
SELECT l.id AS lead_id,
       reporting.mask_email(l.email) AS email,
       reporting.mask(l.first_name) AS first_name,
       reporting.mask(l.last_name) AS last_name,
       reporting.mask(l.phone) AS phone,
       l.email_domain,
       l.free_mail,
       l.company_name,
       l.title,
       l.seniority,
       l.department,
       l.stage,
       l.stage_entered_at,
       l.fit_score,
       l.interest_score,
       l.quadrant,
       l.first_seen_at AS created_at
FROM leads l;

-- The sales team; names and e-mail masked without leadrelay_analyst_pii (rep ids stay: every
-- per-rep view is keyed by them).
CREATE VIEW reporting.reps AS
SELECT id AS rep, reporting.mask(name) AS name, reporting.mask_email(email) AS email, team, manager, active
FROM reps;

CREATE VIEW reporting.funnel AS
SELECT grain, period_start, dimension, value, leads, mqls, sals, sqls, opportunities, customers, revenue,
       round(mqls::numeric / nullif(leads, 0), 4) AS lead_to_mql,
       round(sals::numeric / nullif(mqls, 0), 4) AS mql_to_sal,
       round(sqls::numeric / nullif(sals, 0), 4) AS sal_to_sql,
       round(opportunities::numeric / nullif(sqls, 0), 4) AS sql_to_opportunity,
       round(customers::numeric / nullif(opportunities, 0), 4) AS opportunity_to_customer,
       round(customers::numeric / nullif(mqls, 0), 4) AS mql_to_customer
FROM reporting.funnel_cohorts;

-- Qualified leads (MQL or later) by the period they qualified in: how many were passed to
-- sales, and what became of them.
CREATE VIEW reporting.qualified_leads AS
SELECT g.grain, reporting.period_start(g.grain, f.mql_at) AS period_start, d.dimension, d.value,
       count(*)::integer AS qualified,
       count(f.first_assigned_at)::integer AS passed,
       count(f.sal_at)::integer AS accepted,
       count(f.sql_at)::integer AS sqls,
       count(f.opportunity_at)::integer AS opportunities,
       count(f.won_at)::integer AS won,
       sum(f.revenue)::numeric(16, 2) AS revenue,
       round(count(f.won_at)::numeric / count(*), 4) AS win_rate
FROM reporting.lead_facts f
CROSS JOIN reporting.grains g
CROSS JOIN LATERAL reporting.dimensions(f.source, f.campaign, f.industry, f.employee_band, f.country, f.persona, f.rep, f.team) d
WHERE f.mql_at IS NOT NULL
GROUP BY 1, 2, 3, 4;

-- Follow-up time and SLA compliance by the period the lead was assigned in.
CREATE VIEW reporting.sla AS
SELECT g.grain, reporting.period_start(g.grain, a.assigned_at) AS period_start, d.dimension, d.value,
       count(*)::integer AS assignments,
       count(a.first_touch_at)::integer AS touched,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY a.follow_up_seconds) / 3600)::numeric, 2) AS follow_up_median_hours,
       round((percentile_cont(0.9) WITHIN GROUP (ORDER BY a.follow_up_seconds) / 3600)::numeric, 2) AS follow_up_p90_hours,
       count(*) FILTER (WHERE a.first_touch_status = 'on_time')::integer AS first_touch_on_time,
       count(*) FILTER (WHERE a.first_touch_status IN ('on_time', 'late', 'missed'))::integer AS first_touch_due,
       round(count(*) FILTER (WHERE a.first_touch_status = 'on_time')::numeric
             / nullif(count(*) FILTER (WHERE a.first_touch_status IN ('on_time', 'late', 'missed')), 0), 4) AS first_touch_on_time_rate,
       sum(a.calls + a.emails)::integer AS contacts_made,
       sum(a.calls_required + a.emails_required)::integer AS contacts_required,
       count(*) FILTER (WHERE a.contact_status = 'met')::integer AS contacts_met,
       count(*) FILTER (WHERE a.contact_status IN ('met', 'short'))::integer AS contacts_due,
       round(count(*) FILTER (WHERE a.contact_status = 'met')::numeric
             / nullif(count(*) FILTER (WHERE a.contact_status IN ('met', 'short')), 0), 4) AS contacts_met_rate,
       sum(a.breaches)::integer AS breaches
FROM reporting.assignment_facts a
CROSS JOIN reporting.grains g
CROSS JOIN LATERAL (VALUES ('all', 'all'), ('rep', a.rep), ('team', a.team)) d(dimension, value)
GROUP BY 1, 2, 3, 4;

-- Won deals by the period they were won in: revenue and the sales cycle, first touch to won.
CREATE VIEW reporting.sales_cycle AS
SELECT g.grain, reporting.period_start(g.grain, f.won_at) AS period_start, d.dimension, d.value,
       count(*)::integer AS deals,
       sum(f.revenue)::numeric(16, 2) AS revenue,
       count(f.first_touch_at)::integer AS deals_with_touch,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.won_at - f.first_touch_at)) / 86400)::numeric, 2) AS cycle_median_days,
       round((avg(extract(epoch FROM f.won_at - f.first_touch_at)) / 86400)::numeric, 2) AS cycle_avg_days,
       round((percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM f.won_at - f.first_touch_at)) / 86400)::numeric, 2) AS cycle_p90_days
FROM reporting.lead_facts f
CROSS JOIN reporting.grains g
CROSS JOIN LATERAL reporting.dimensions(f.source, f.campaign, f.industry, f.employee_band, f.country, f.persona, f.rep, f.team) d
WHERE f.won_at IS NOT NULL
GROUP BY 1, 2, 3, 4;

-- Every stay of a lead in a stage: from entering it (the first stay from the lead's
-- creation) to leaving it; left_at is NULL while the lead is still there.
CREATE VIEW reporting.stage_stays AS
WITH changes AS (
    SELECT h.lead_id, h.from_stage, h.to_stage, h.changed_at,
           row_number() OVER w AS n, lead(h.changed_at) OVER w AS next_at
    FROM stage_history h
    WINDOW w AS (PARTITION BY h.lead_id ORDER BY h.changed_at, h.id)
)
SELECT l.id AS lead_id, l.stage, l.first_seen_at AS entered_at, NULL::timestamptz AS left_at
FROM leads l WHERE NOT EXISTS (SELECT 1 FROM stage_history h WHERE h.lead_id = l.id)
UNION ALL
SELECT c.lead_id, c.from_stage, l.first_seen_at, c.changed_at
FROM changes c JOIN leads l ON l.id = c.lead_id WHERE c.n = 1
UNION ALL
SELECT c.lead_id, c.to_stage, c.changed_at, c.next_at
FROM changes c;

-- Time in each stage, over the stays that began in the period (completed stays only).
CREATE VIEW reporting.time_in_stage AS
SELECT g.grain, reporting.period_start(g.grain, s.entered_at) AS period_start, s.stage,
       count(*)::integer AS stays,
       count(s.left_at)::integer AS completed,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.left_at - s.entered_at)) / 3600)::numeric, 2) AS median_hours,
       round((avg(extract(epoch FROM s.left_at - s.entered_at)) / 3600)::numeric, 2) AS avg_hours,
       round((percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM s.left_at - s.entered_at)) / 3600)::numeric, 2) AS p90_hours
FROM reporting.stage_stays s
CROSS JOIN reporting.grains g
GROUP BY 1, 2, 3;

CREATE VIEW reporting.lead_active_rate AS
SELECT grain, period_start, leads, active_leads, round(active_leads::numeric / nullif(leads, 0), 4) AS active_rate
FROM reporting.lead_activity;

CREATE VIEW reporting.campaign_costs AS
SELECT campaign, spent_on, amount FROM campaign_costs;

-- Leads and deals per source and per campaign, by the period the leads were created in, with
-- what the campaign cost in that period: cost per lead and cost per deal (campaigns only).
CREATE VIEW reporting.source_performance AS
WITH costs AS (
    SELECT g.grain, reporting.period_start(g.grain, k.spent_on::timestamp AT TIME ZONE 'UTC') AS period_start,
           'campaign'::text AS dimension, k.campaign AS value, sum(k.amount)::numeric(16, 2) AS cost
    FROM campaign_costs k CROSS JOIN reporting.grains g GROUP BY 1, 2, 3, 4
), cohorts AS (
    SELECT * FROM reporting.funnel_cohorts WHERE dimension IN ('source', 'campaign')
)
SELECT grain, period_start, dimension, value,
       coalesce(f.leads, 0) AS leads, coalesce(f.mqls, 0) AS mqls, coalesce(f.sqls, 0) AS sqls,
       coalesce(f.customers, 0) AS customers, coalesce(f.revenue, 0)::numeric(16, 2) AS revenue,
       k.cost,
       round(k.cost / nullif(f.leads, 0), 2) AS cost_per_lead,
       round(k.cost / nullif(f.customers, 0), 2) AS cost_per_deal
FROM cohorts f FULL JOIN costs k USING (grain, period_start, dimension, value);

-- Per rep (and team), by the period leads were first passed to sales: what became of the
-- leads they hold now, beside their follow-up and SLA figures for that period.
CREATE VIEW reporting.rep_performance AS
WITH passed AS (
    SELECT g.grain, reporting.period_start(g.grain, f.first_assigned_at) AS period_start, d.dimension, d.value,
           count(*)::integer AS passed,
           count(f.sal_at)::integer AS accepted,
           count(f.sql_at)::integer AS sqls,
           count(f.opportunity_at)::integer AS opportunities,
           count(f.won_at)::integer AS won,
           sum(f.revenue)::numeric(16, 2) AS revenue
    FROM reporting.lead_facts f
    CROSS JOIN reporting.grains g
    CROSS JOIN LATERAL (VALUES ('rep', f.rep), ('team', f.team)) d(dimension, value)
    WHERE f.first_assigned_at IS NOT NULL
    GROUP BY 1, 2, 3, 4
)
SELECT grain, period_start, dimension, value,
       coalesce(p.passed, 0) AS passed, coalesce(p.accepted, 0) AS accepted, coalesce(p.sqls, 0) AS sqls,
       coalesce(p.opportunities, 0) AS opportunities, coalesce(p.won, 0) AS won, coalesce(p.revenue, 0)::numeric(16, 2) AS revenue,
       round(p.won::numeric / nullif(p.passed, 0), 4) AS win_rate,
       s.assignments, s.follow_up_median_hours, s.follow_up_p90_hours, s.first_touch_on_time_rate, s.contacts_met_rate, s.breaches
FROM passed p
FULL JOIN (SELECT * FROM reporting.sla WHERE dimension IN ('rep', 'team')) s USING (grain, period_start, dimension, value);

-- Close rate (won / closed) per behaviour type and per fit attribute, and its lift: the close
-- rate over the average close rate of all closed leads. `since` and `until` (either may be
-- NULL) keep the leads closed in [since, until).
CREATE FUNCTION reporting.close_rates_between(since timestamptz, until timestamptz)
    RETURNS TABLE (kind text, value text, closed_leads integer, won integer, close_rate numeric,
                   average_close_rate numeric, lift numeric)
    LANGUAGE sql STABLE
AS $$
    WITH closed AS (
        SELECT lead_id, won FROM reporting.lead_facts
        WHERE closed AND (since IS NULL OR closed_at >= since) AND (until IS NULL OR closed_at < until)
    ), overall AS (
        SELECT count(*) FILTER (WHERE won)::numeric / nullif(count(*), 0) AS rate FROM closed
    )
    SELECT a.kind, a.value, count(*)::integer, count(*) FILTER (WHERE c.won)::integer,
           round(count(*) FILTER (WHERE c.won)::numeric / count(*), 4),
           round(o.rate, 4),
           round(count(*) FILTER (WHERE c.won)::numeric / count(*) / nullif(o.rate, 0), 4)
    FROM reporting.closed_lead_attributes a
    JOIN closed c USING (lead_id)
    CROSS JOIN overall o
    GROUP BY a.kind, a.value, o.rate
$$;

CREATE VIEW reporting.close_rates AS
SELECT * FROM reporting.close_rates_between(NULL, NULL);

CREATE VIEW reporting.refreshed_at AS
SELECT view_name, refreshed_at, duration_ms FROM reporting_refreshes;

-- Privileges ------------------------------------------------------------------------------

-- Nothing in public for the analyst: no raw table, no sequence, no new objects.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA reporting TO leadrelay_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO leadrelay_analyst;
-- Views that later migrations add to the schema are readable too.
ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO leadrelay_analyst;
