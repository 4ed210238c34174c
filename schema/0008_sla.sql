-- The follow-up SLA: each assignment's deadlines, and every breach found.
--
-- The deadlines are computed once, at handoff, in business hours of the rep's calendar and
-- by the rule set active then; the delayed jobs sla_first_touch and sla_window_end (keyed by
-- assignment id) check them when they fall due. A later rule set does not move them.

ALTER TABLE assignments
    -- When the first touch (a call, e-mail or meeting logged by sales) is due.
    ADD COLUMN first_touch_due_at timestamptz,
    -- Close of business of the last working day of the SLA window.
    ADD COLUMN window_ends_at     timestamptz;

-- One row per breach found. An assignment breaches each kind at most once, so a job that
-- runs twice records and escalates once.
--
-- How many times a lead was taken from a rep for a missed first touch is the count of its
-- rows with action 'reassign_next_rep' (equally, of its assignments ended with end_reason
-- 'sla_breach'; the new assignment's previous_id points at the one it replaced).
CREATE TABLE sla_breaches (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id bigint      NOT NULL REFERENCES assignments,
    lead_id       bigint      NOT NULL REFERENCES leads,
    rep_id        text        NOT NULL REFERENCES reps,
    -- first_touch: no touch by first_touch_due_at; too_few_contacts: fewer calls or e-mails
    -- than the rule set's minimum by window_ends_at.
    kind          text        NOT NULL CHECK (kind IN ('first_touch', 'too_few_contacts')),
    deadline      timestamptz NOT NULL,
    detected_at   timestamptz NOT NULL,
    -- notify_manager or reassign_next_rep as the rule set said; flagged for a touch minimum
    -- missed under a reassigning policy (the window is over, there is nothing to reassign).
    action        text        NOT NULL CHECK (action IN ('notify_manager', 'reassign_next_rep', 'flagged')),
    -- Who was notified, when the rep has a manager.
    manager_id    text,
    -- Touches counted in the window, for too_few_contacts.
    calls         integer,
    emails        integer,
    minimum_calls  integer,
    minimum_emails integer,
    UNIQUE (assignment_id, kind)
);
CREATE INDEX sla_breaches_lead ON sla_breaches (lead_id, detected_at);
CREATE INDEX sla_breaches_rep ON sla_breaches (rep_id, detected_at);
