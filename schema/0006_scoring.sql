-- Scores and stages. The scoring workers keep each lead's current score (with its
-- breakdown and the rule version that made it) on the lead itself, append to
-- score_history only when the score or the quadrant changed, and record every stage
-- change in stage_history: from, to, when, who, why and under which rule version.

ALTER TABLE leads
    ADD CONSTRAINT leads_stage_known CHECK (stage IN
        ('lead', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'recycled', 'disqualified', 'unreachable')),
    ADD COLUMN stage_entered_at timestamptz NOT NULL DEFAULT now(),
    -- False after recycling, until a score below the MQL threshold re-arms the trigger.
    ADD COLUMN mql_armed        boolean     NOT NULL DEFAULT true,
    ADD COLUMN fit_score        integer,
    ADD COLUMN interest_score   integer,
    ADD COLUMN quadrant         text,
    -- {"fit": [{"rule", "points", "reason"}…], "interest": […]}; each list sums to its score.
    ADD COLUMN score_breakdown  jsonb,
    ADD COLUMN scored_at        timestamptz,
    ADD COLUMN rule_version     integer REFERENCES rule_sets,
    -- The earliest time at which decay alone could move the lead across a quadrant
    -- cut-off or the MQL threshold. The decay job rescores only the leads past it.
    ADD COLUMN rescore_at       timestamptz;
CREATE INDEX leads_rescore_due ON leads (rescore_at) WHERE rescore_at IS NOT NULL;
CREATE INDEX leads_stage ON leads (stage);

CREATE TABLE score_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id      bigint      NOT NULL REFERENCES leads,
    fit          integer     NOT NULL,
    interest     integer     NOT NULL,
    quadrant     text        NOT NULL,
    rule_version integer     NOT NULL REFERENCES rule_sets,
    scored_at    timestamptz NOT NULL
);
CREATE INDEX score_history_lead ON score_history (lead_id, scored_at);

CREATE TABLE stage_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lead_id      bigint      NOT NULL REFERENCES leads,
    from_stage   text        NOT NULL,
    to_stage     text        NOT NULL,
    actor        text        NOT NULL CHECK (actor IN ('system', 'marketing', 'sales')),
    reason       text        NOT NULL,
    -- The rule version behind a change the score made; NULL for changes by people.
    rule_version integer     REFERENCES rule_sets,
    -- Who, when a person made the change (a rep, a CLI user).
    changed_by   text,
    changed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stage_history_lead ON stage_history (lead_id, changed_at);
