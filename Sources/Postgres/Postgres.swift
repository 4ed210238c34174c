// Postgres: a small Swift layer over libpq.
