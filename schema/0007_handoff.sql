-- Reps, their live routing state, and the assignments of leads to reps.
--
-- Who belongs to which team, team weights, capacity caps and working hours come from the
-- active rule set; these tables hold what changes by the minute: who is active or away,
-- each rep's open load, each team's round-robin position, and every assignment.

-- The roster, as `leadrelay reps import` loads it. A rep of the rule set that is not in the
-- roster has no live state, and routing skips them with the reason no_state.
CREATE TABLE reps (
    -- As in the rule set (often e-mail-like).
    id             text        PRIMARY KEY CHECK (id <> ''),
    name           text,
    email          text,
    -- For people and reports only: routing takes team membership from the rule set.
    team           text,
    manager        text,
    active         boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    deactivated_at timestamptz
);

-- Time away on top of the out-of-office days in the rule file: whole days, inclusive, read
-- in the rep's own calendar (its time zone), as the rule file's days are.
CREATE TABLE rep_away (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rep_id       text        NOT NULL REFERENCES reps,
    away_from    date        NOT NULL,
    away_through date        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (away_from <= away_through)
);
CREATE INDEX rep_away_rep ON rep_away (rep_id, away_through);

-- One row per roster rep. Handoff workers lock the rows of the reps a batch could reach
-- (in rep id order), so a capacity cap holds even for a rep in two teams.
CREATE TABLE rep_state (
    rep_id           text        PRIMARY KEY REFERENCES reps,
    -- Assignments not ended: always equal to the count of the rep's open rows in
    -- assignments, kept in the same transactions that start and end them.
    open_load        integer     NOT NULL DEFAULT 0 CHECK (open_load >= 0),
    assigned_total   bigint      NOT NULL DEFAULT 0,
    last_assigned_at timestamptz
);

-- A team's smooth weighted round robin (LeadDomain's RoundRobinState), one row per team.
-- Handoff workers lock the rows of the teams a batch could reach, in team order, route,
-- and write the new weights before they commit: concurrent workers take turns, so the
-- sequence of picks is the one a single worker would make.
CREATE TABLE round_robin_state (
    team            text        PRIMARY KEY,
    -- {"rep id": current weight, …}; a missing rep counts as 0.
    current_weights jsonb       NOT NULL DEFAULT '{}',
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assignments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id      bigint      NOT NULL REFERENCES leads,
    rep_id       text        NOT NULL REFERENCES reps,
    -- How the rep was chosen; team is set for 'team'.
    source       text        NOT NULL CHECK (source IN ('account_owner', 'rep', 'team', 'default_owner')),
    team         text,
    -- The routing rule that matched; NULL when the default owner got the lead.
    rule_id      text,
    rule_version integer     NOT NULL REFERENCES rule_sets,
    -- Reps passed over on the way, in order: [{"rep", "rule", "reason"}…], reason one of
    -- no_state, inactive, out_of_office, outside_working_hours, at_capacity.
    skipped      jsonb       NOT NULL DEFAULT '[]',
    -- The lead's assignment before this one, when this is a reassignment.
    previous_id  bigint      REFERENCES assignments,
    assigned_at  timestamptz NOT NULL,
    -- Open while ended_at is NULL.
    ended_at     timestamptz,
    -- Why it ended, e.g. rep_deactivated.
    end_reason   text,
    CHECK ((ended_at IS NULL) = (end_reason IS NULL)),
    CHECK ((source = 'team') = (team IS NOT NULL))
);
-- At most one open assignment per lead: no lead is assigned twice, whatever the workers do.
CREATE UNIQUE INDEX assignments_one_open_per_lead ON assignments (lead_id) WHERE ended_at IS NULL;
CREATE INDEX assignments_rep_open ON assignments (rep_id) WHERE ended_at IS NULL;
CREATE INDEX assignments_lead ON assignments (lead_id, assigned_at);
CREATE INDEX assignments_time ON assignments (assigned_at);
