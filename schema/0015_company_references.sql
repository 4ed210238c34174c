-- A lead names its company by id. As a foreign key, every lead written took a KEY SHARE
-- lock on its company's row and ran a lookup: in a bulk import, a locked row (a WAL record
-- and a dirtied page) for nearly every lead, since each batch touches thousands of
-- companies, and about a tenth of an import's CPU in all; at the HTTP intake, a
-- multixact whenever two leads of one account arrive together. The reference stays sound
-- without it: a lead's company id comes from the company merge in the same transaction,
-- and companies are never deleted or renumbered, which the triggers below make a rule
-- (as 0012 did for rule sets). Emptying companies together with leads is still allowed.
ALTER TABLE leads DROP CONSTRAINT leads_company_id_fkey;

CREATE FUNCTION companies_keep_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'companies are kept for good, under the id they were given: leads name them'
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER companies_no_delete BEFORE DELETE ON companies
    FOR EACH STATEMENT EXECUTE FUNCTION companies_keep_ids();
CREATE TRIGGER companies_no_renumbering BEFORE UPDATE OF id ON companies
    FOR EACH ROW WHEN (NEW.id IS DISTINCT FROM OLD.id) EXECUTE FUNCTION companies_keep_ids();

-- TRUNCATE takes an exclusive lock first, so no writer is midway; after it, no lead may
-- still name a company (a TRUNCATE of leads in the same statement has emptied them).
CREATE FUNCTION companies_truncated_alone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM leads WHERE company_id IS NOT NULL) THEN
        RAISE EXCEPTION 'companies cannot be emptied while leads name them; truncate leads with them'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER companies_truncated AFTER TRUNCATE ON companies
    FOR EACH STATEMENT EXECUTE FUNCTION companies_truncated_alone();
