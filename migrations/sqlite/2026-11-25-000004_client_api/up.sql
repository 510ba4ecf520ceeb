-- The author's apps: OAuth 2 clients, their codes and tokens (secrets, codes and tokens are
-- stored as SHA-256 hashes, never in the clear), read markers and idempotent posting.

CREATE TABLE oauth_apps (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    name TEXT NOT NULL,
    website TEXT,
    redirect_uris TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- A user token (the author's) or an app token (client_credentials: no user).
CREATE TABLE oauth_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    app_id BIGINT REFERENCES oauth_apps (id) ON DELETE CASCADE,
    scopes TEXT NOT NULL,
    user_token BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);

-- Authorization codes live ten minutes and are used once.
CREATE TABLE oauth_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    code_hash TEXT NOT NULL UNIQUE,
    app_id BIGINT NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    code_challenge TEXT,
    code_challenge_method TEXT,
    expires_at TIMESTAMP NOT NULL
);

-- Where the author stopped reading (home, notifications).
CREATE TABLE markers (
    timeline TEXT PRIMARY KEY NOT NULL,
    last_read_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A status posted with an Idempotency-Key is posted once.
CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY NOT NULL,
    object_id BIGINT NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);

-- An image's focal point ("x,y", each -1..1).
ALTER TABLE media ADD COLUMN focus TEXT;
