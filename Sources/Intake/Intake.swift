// Intake: turns incoming records (JSON from the HTTP API, CSV rows from Salesforce or HubSpot
// exports, JSONL lines) into clean, normalized records, or into per-field reasons why a record
// cannot be used. Pure: no database, no network, and no file access beyond the bytes or handles
// a caller passes in.
