-- perch's foundation: actors (the local one with its keys), follows both ways, posts,
-- activities, and the persistent delivery queue. Timestamps are UTC.
-- Portable SQL only: PostgreSQL gets the same tables with its own types.

CREATE TABLE actors (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    local BOOLEAN NOT NULL DEFAULT 0,
    kind TEXT NOT NULL DEFAULT 'Person',
    username TEXT NOT NULL,
    domain TEXT NOT NULL,
    name TEXT,
    summary TEXT,
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    outbox TEXT,
    followers_url TEXT,
    url TEXT,
    icon TEXT,
    public_key_id TEXT NOT NULL,
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT,
    manually_approves_followers BOOLEAN NOT NULL DEFAULT 0,
    published TIMESTAMP,
    fetched_at TIMESTAMP NOT NULL
);
CREATE INDEX actors_handle ON actors (username, domain);

-- The author's login (one row).
CREATE TABLE account (
    id INTEGER PRIMARY KEY NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES actors (id),
    password_hash TEXT,
    created_at TIMESTAMP NOT NULL
);

-- Follows in both directions. direction: in (they follow the author) | out (the author
-- follows them). state: pending | accepted | rejected.
CREATE TABLE follows (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    direction TEXT NOT NULL,
    follow_ap_id TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (actor_id, direction)
);

-- Notes and articles: the author's own (local) and those of followed accounts.
CREATE TABLE objects (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    public_id TEXT UNIQUE,
    local BOOLEAN NOT NULL,
    kind TEXT NOT NULL,
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    name TEXT,
    summary TEXT,
    content TEXT NOT NULL,
    source TEXT,
    url TEXT,
    in_reply_to TEXT,
    visibility TEXT NOT NULL,
    sensitive BOOLEAN NOT NULL DEFAULT 0,
    published TIMESTAMP NOT NULL,
    updated TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX objects_by_actor ON objects (actor_id, published);

-- Activities sent and received; `data` is the JSON as sent or received.
CREATE TABLE activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    ap_id TEXT NOT NULL UNIQUE,
    public_id TEXT UNIQUE,
    local BOOLEAN NOT NULL,
    kind TEXT NOT NULL,
    actor_ap_id TEXT NOT NULL,
    object_ap_id TEXT,
    public BOOLEAN NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX activities_outbox ON activities (local, public, kind, id);

-- The delivery queue: one row per (activity, inbox). state: pending | delivered | dead.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    activity_id INTEGER NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    inbox TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_status INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (activity_id, inbox)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
