// JobQueue: the PostgreSQL job queue and the worker runtime.
