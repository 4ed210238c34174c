-- API keys for the HTTP intake and feedback API. Only a SHA-256 of each key is stored;
-- the key itself is shown once, when `leadrelay keys create` makes it.
CREATE TABLE api_keys (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    -- The first characters of the key, so that a key in a config file can be recognized.
    key_prefix text        NOT NULL,
    key_hash   text        NOT NULL UNIQUE,
    scopes     text[]      NOT NULL CHECK (scopes <@ ARRAY['ingest', 'feedback', 'admin'] AND cardinality(scopes) > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
