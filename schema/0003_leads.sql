-- Leads, their companies (accounts) and their activities, and the durable inbox that
-- every intake path writes to before it acknowledges anything.

-- A company is known by its e-mail domain. Free-mail domains never make a company.
CREATE TABLE companies (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    domain         text        NOT NULL UNIQUE,
    name           text,
    industry       text,
    employees      integer,
    annual_revenue bigint,
    country        text,
    -- The rep who owns the account (set by sales or a CRM sync); routing tries it first.
    owner_rep      text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- One row per person, deduplicated by normalized (trimmed, lower-case) e-mail.
CREATE TABLE leads (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          text        NOT NULL UNIQUE CHECK (email = lower(btrim(email))),
    email_domain   text        NOT NULL,
    free_mail      boolean     NOT NULL DEFAULT false,
    company_id     bigint      REFERENCES companies,
    first_name     text,
    last_name      text,
    title          text,
    seniority      text,
    department     text,
    phone          text,
    company_name   text,
    industry       text,
    employees      integer,
    annual_revenue bigint,
    country        text,
    -- Where the lead came from, as the latest source said, and as the first one said.
    source         text,
    first_source   text,
    campaign       text,
    -- The status a CRM export carried, kept as it was; stage is LeadRelay's own.
    crm_status     text,
    stage          text        NOT NULL DEFAULT 'lead',
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leads_company ON leads (company_id);

CREATE TABLE activities (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id     bigint      NOT NULL REFERENCES leads,
    type        text        NOT NULL,
    url         text,
    content     text,
    occurred_at timestamptz NOT NULL,
    source      text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activities_lead ON activities (lead_id, occurred_at);

-- The durable inbox: raw records as they arrived, grouped in intake batches. An ingest
-- job per batch turns them into leads and activities. The raw record stays, for audit
-- and replay, linked to the lead it became (or, through rejects.inbox_id, its reject).
CREATE SEQUENCE intake_batch_ids;

CREATE TABLE inbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id    bigint      NOT NULL,
    record_type text        NOT NULL CHECK (record_type IN ('lead', 'activity')),
    source      text        NOT NULL,
    -- Line or position in the original file or request, for the rejects report.
    position    integer,
    payload     jsonb       NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    ingested_at timestamptz,
    lead_id     bigint
) WITH (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 10000,
        autovacuum_vacuum_insert_scale_factor = 0.0, autovacuum_vacuum_insert_threshold = 10000,
        autovacuum_vacuum_cost_delay = 0);
CREATE INDEX inbox_batch ON inbox (batch_id);
CREATE INDEX inbox_lead ON inbox (lead_id) WHERE lead_id IS NOT NULL;

-- One row per intake batch: what came in, and, once ingested, what became of it.
CREATE TABLE intake_batches (
    id          bigint      PRIMARY KEY,
    source      text        NOT NULL,
    received    integer     NOT NULL,
    created     integer,
    merged      integer,
    activities  integer,
    rejected    integer,
    received_at timestamptz NOT NULL DEFAULT now(),
    ingested_at timestamptz
);

-- An idempotency key seen once is answered with the same inbox id ever after.
CREATE TABLE intake_keys (
    idempotency_key text        PRIMARY KEY,
    inbox_id        bigint      NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now()
);

-- Records that could not be used: the reason and the original payload, never dropped.
CREATE TABLE rejects (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id    bigint,
    -- The inbox row it came from; NULL for a row that could not even be parsed on import.
    inbox_id    bigint,
    source      text        NOT NULL,
    position    integer,
    reason      text        NOT NULL,
    payload     text        NOT NULL,
    rejected_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rejects_batch ON rejects (batch_id);
CREATE INDEX rejects_time ON rejects (rejected_at);
