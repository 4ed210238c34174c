-- A bulk CSV import keeps its raw rows in the inbox one intake batch to a row: the header
-- once, every record's fields as one row of a two-dimensional array, each record's line in
-- the file and the lead it became (NULL for a reject, which names the batch and the line).
-- The import ingests the rows itself, in the same transaction, so they never wait for an
-- ingest worker. Stored a record to a row, the raw rows cost a bulk import about a fifth
-- of the server's time (a row, three index entries and a JSON document each).
CREATE TABLE inbox_csv_batches (
    batch_id    bigint      PRIMARY KEY,
    source      text        NOT NULL,
    header      text[]      NOT NULL,
    -- lines[i], fields[i][1:] and lead_ids[i] describe the same record.
    lines       integer[]   NOT NULL,
    fields      text[]      NOT NULL,
    lead_ids    bigint[]    NOT NULL,
    received_at timestamptz NOT NULL,
    CHECK (cardinality(lines) = cardinality(lead_ids)
           AND cardinality(fields) = cardinality(lines) * cardinality(header))
);
-- lz4 compresses a batch's rows about fourfold and costs less time than it saves in
-- writing them; pglz, the default, cost more than it saved.
ALTER TABLE inbox_csv_batches
    ALTER COLUMN fields SET COMPRESSION lz4,
    ALTER COLUMN lines SET COMPRESSION lz4,
    ALTER COLUMN lead_ids SET COMPRESSION lz4;

-- Every raw record, from the per-record inbox (HTTP intake, JSON lines) and from CSV
-- batches, with its payload as a JSON object (a CSV record's keys are its header's column
-- names). For audit and replay; a CSV batch is unpacked whole, so filter on batch_id where
-- you can.
CREATE VIEW inbox_records AS
SELECT i.id AS inbox_id, i.batch_id, i.record_type, i.source, i.position, i.payload, i.received_at, i.ingested_at,
       i.lead_id
FROM inbox i
UNION ALL
SELECT NULL, b.batch_id, 'lead', b.source, r.line, r.payload, b.received_at, b.received_at, r.lead_id
FROM inbox_csv_batches b
CROSS JOIN LATERAL (
    SELECT x.line, x.lead_id, p.payload
    FROM unnest(b.lines, b.lead_ids) WITH ORDINALITY AS x(line, lead_id, ord)
    JOIN (
        SELECT (f.n - 1) / cardinality(b.header) + 1 AS ord,
               jsonb_object_agg(b.header[(f.n - 1) % cardinality(b.header) + 1], f.value) AS payload
        FROM unnest(b.fields) WITH ORDINALITY AS f(value, n)
        GROUP BY 1
    ) p USING (ord)
) r;
