-- The job queue. Every step of the pipeline is a job kind; see Sources/JobQueue.
--
-- A row here is a job that has not finished: ready when run_at has passed, delayed
-- otherwise. Finished jobs are deleted, never marked done, so the table stays small and
-- the claim index holds only live work. A leased job (outside effects, such as webhooks)
-- is a job whose run_at was pushed to the end of its lease: if its worker dies, the
-- lease runs out and the job is simply ready again.
CREATE TABLE jobs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text        NOT NULL,
    -- Coalescing key: enqueueing a job whose (kind, key) is already pending merges into it.
    key         text,
    payload     jsonb       NOT NULL DEFAULT '{}',
    run_at      timestamptz NOT NULL DEFAULT now(),
    attempts    integer     NOT NULL DEFAULT 0,
    -- Every error so far, oldest first, each {"at": …, "error": …}.
    errors      jsonb       NOT NULL DEFAULT '[]',
    -- Set while a leased job is out with a worker; completing or failing must present it.
    lease_token uuid,
    created_at  timestamptz NOT NULL DEFAULT now()
) WITH (
    -- The table churns: every row is inserted once and deleted soon after. Vacuum it
    -- early and without throttling so dead tuples never pile up under the claim index.
    autovacuum_vacuum_scale_factor = 0.0,
    autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_insert_scale_factor = 0.0,
    autovacuum_vacuum_insert_threshold = 5000,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_vacuum_cost_delay = 0,
    fillfactor = 90
);

-- The claim walks this index in run_at order within one kind and stops after LIMIT rows.
CREATE INDEX jobs_claim ON jobs (kind, run_at, id);

-- Finds the pending job of a (kind, key) when a duplicate is enqueued.
CREATE INDEX jobs_coalesce ON jobs (kind, key) WHERE key IS NOT NULL;

-- Jobs that failed max_attempts times, with their payload and every error.
CREATE TABLE dead_jobs (
    id         bigint PRIMARY KEY,
    kind       text        NOT NULL,
    key        text,
    payload    jsonb       NOT NULL,
    attempts   integer     NOT NULL,
    errors     jsonb       NOT NULL,
    created_at timestamptz NOT NULL,
    died_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_jobs_kind ON dead_jobs (kind, died_at);
