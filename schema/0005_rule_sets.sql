-- Versioned scoring rule sets. Both teams edit one YAML file; `leadrelay rules apply`
-- validates it, stores it here as JSON and activates it. Every score keeps the version
-- that made it.
CREATE TABLE rule_sets (
    version      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The rule set as JSON, exactly as LeadDomain encodes it.
    definition   jsonb       NOT NULL,
    -- SHA-256 of the definition, so that applying an unchanged file makes no new version.
    checksum     text        NOT NULL,
    created_by   text        NOT NULL,
    comment      text,
    source_file  text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    activated_at timestamptz
);

-- Exactly one rule set is active at a time: the row with is_active.
ALTER TABLE rule_sets ADD COLUMN is_active boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX rule_sets_one_active ON rule_sets (is_active) WHERE is_active;
