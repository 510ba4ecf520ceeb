-- Posts grow up: slugs, tombstones, tags and mentions, media, edit history, import keys.

ALTER TABLE objects ADD COLUMN slug TEXT;
ALTER TABLE objects ADD COLUMN deleted_at TIMESTAMP;
-- The ActivityStreams `tag` array as sent (Hashtag and Mention objects), JSON.
ALTER TABLE objects ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
-- What an imported post was in its source (e.g. `mastodon:<id>`), so a re-import finds it.
ALTER TABLE objects ADD COLUMN source_key TEXT;
CREATE UNIQUE INDEX objects_slug ON objects (slug);
CREATE UNIQUE INDEX objects_source_key ON objects (source_key);
CREATE INDEX objects_local_published ON objects (local, published);

-- Hashtags of posts, lower-cased, for tag pages.
CREATE TABLE hashtags (
    object_id INTEGER NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    PRIMARY KEY (object_id, name)
);
CREATE INDEX hashtags_name ON hashtags (name);

-- Actors a post mentions: they are addressed, and edits and deletes reach them too.
CREATE TABLE mentions (
    object_id INTEGER NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    PRIMARY KEY (object_id, actor_id)
);

-- Images attached to posts (local files under <data_dir>/media, or remote URLs).
CREATE TABLE media (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    public_id TEXT NOT NULL UNIQUE,
    object_id INTEGER REFERENCES objects (id) ON DELETE SET NULL,
    position INTEGER NOT NULL DEFAULT 0,
    file_name TEXT,
    remote_url TEXT,
    media_type TEXT NOT NULL,
    width INTEGER,
    height INTEGER,
    blurhash TEXT,
    description TEXT,
    size_bytes BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX media_object ON media (object_id, position);

-- Earlier versions of edited posts, oldest first.
CREATE TABLE object_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    object_id INTEGER NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    name TEXT,
    summary TEXT,
    content TEXT NOT NULL,
    source TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    sensitive BOOLEAN NOT NULL DEFAULT 0,
    -- when this version was published (the post's `published` or a former `updated`)
    valid_from TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX object_versions_object ON object_versions (object_id, id);
