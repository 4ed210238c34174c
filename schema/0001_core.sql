-- LeadRelay core: the settings every later migration relies on.
-- Each migration runs in its own transaction, applied in order by `leadrelay migrate`.

CREATE SCHEMA IF NOT EXISTS reporting;
COMMENT ON SCHEMA reporting IS 'Stable, documented views for analysts (see docs/reporting.md).';
