-- Every score, stage change and assignment names the rule version that made it. As
-- foreign keys, each of those rows took a KEY SHARE lock on its rule set's row: every
-- scoring and handoff transaction at once, on the one active row, which PostgreSQL
-- records as a new multixact per transaction (a WAL record and a write to that row's
-- page each time), plus a lookup per row written. The references stay sound without
-- them: rule sets are append-only, and the triggers below make that a rule.
ALTER TABLE leads DROP CONSTRAINT leads_rule_version_fkey;
ALTER TABLE score_history DROP CONSTRAINT score_history_rule_version_fkey;
ALTER TABLE stage_history DROP CONSTRAINT stage_history_rule_version_fkey;
ALTER TABLE assignments DROP CONSTRAINT assignments_rule_version_fkey;

CREATE FUNCTION rule_sets_keep_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'rule set versions are kept for good: scores, stage changes and assignments name them'
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER rule_sets_no_delete BEFORE DELETE OR TRUNCATE ON rule_sets
    FOR EACH STATEMENT EXECUTE FUNCTION rule_sets_keep_versions();
CREATE TRIGGER rule_sets_no_renumbering BEFORE UPDATE OF version ON rule_sets
    FOR EACH ROW WHEN (NEW.version IS DISTINCT FROM OLD.version) EXECUTE FUNCTION rule_sets_keep_versions();
