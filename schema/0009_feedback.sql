-- What sales reports back on a lead: one row per outcome reported through the feedback API
-- or `leadrelay feedback`. The stage change itself is in stage_history (actor 'sales'); this
-- keeps what the stage history has no room for: the outcome as the rep named it, the won
-- revenue, the rep's own reason and note. Analysts report revenue from wins from here.
CREATE TABLE lead_outcomes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id       bigint         NOT NULL REFERENCES leads,
    outcome       text           NOT NULL CHECK (outcome IN
        ('accepted', 'qualified', 'opportunity', 'won', 'lost', 'recycled', 'junk', 'unreachable')),
    -- The stage_history row of the change this outcome made.
    stage_change  bigint         NOT NULL REFERENCES stage_history,
    -- Set for won, and only for won.
    revenue       numeric(16, 2) CHECK (revenue >= 0),
    -- As the rep gave it: the reason code for recycled and junk, the loss reason for lost.
    reason        text,
    note          text,
    rep_id        text,
    -- The rep, else the API key's name or the CLI user.
    reported_by   text           NOT NULL,
    reported_at   timestamptz    NOT NULL,
    CHECK ((outcome = 'won') = (revenue IS NOT NULL))
);
CREATE INDEX lead_outcomes_lead ON lead_outcomes (lead_id, reported_at);
CREATE INDEX lead_outcomes_time ON lead_outcomes (reported_at);

-- The calls, e-mails and meetings reps log (source 'sales'): who logged them and how they
-- went. The note goes in activities.content.
ALTER TABLE activities
    ADD COLUMN rep_id  text,
    ADD COLUMN outcome text;
