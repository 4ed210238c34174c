-- Outside delivery of assignments: webhooks that a CRM, a chat tool or a dialer receives.
--
-- A handoff writes one delivery per (new assignment, active endpoint) and one leased
-- `delivery` job per delivery, in the assignment's own transaction, so an assignment is
-- never announced without its deliveries being queued (the outbox pattern). Delivery
-- workers POST outside any transaction, under a lease, and retry with backoff.

CREATE TABLE webhook_endpoints (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL UNIQUE CHECK (name <> ''),
    url        text        NOT NULL CHECK (url ~ '^https?://'),
    -- The HMAC-SHA256 key the receiver checks signatures with. It must be readable to
    -- sign, so it is stored as given: keep this table away from every role but the
    -- pipeline's own (the reporting roles never see it).
    secret     text        NOT NULL CHECK (length(secret) >= 16),
    active     boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE deliveries (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id    bigint      NOT NULL REFERENCES assignments,
    endpoint_id      bigint      NOT NULL REFERENCES webhook_endpoints,
    -- pending: queued or being retried; delivered: a 2xx came back; dead: the job ran out
    -- of attempts (`leadrelay queue retry-dead delivery` sends it again).
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    -- The exact JSON sent, fixed at the first attempt, so every retry carries the same
    -- bytes and the same signature base.
    body             text,
    attempts         integer     NOT NULL DEFAULT 0,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    last_attempt_at  timestamptz,
    delivered_at     timestamptz,
    CHECK ((status = 'delivered') = (delivered_at IS NOT NULL)),
    UNIQUE (assignment_id, endpoint_id)
);
CREATE INDEX deliveries_open ON deliveries (status, created_at) WHERE status <> 'delivered';
