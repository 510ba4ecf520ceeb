-- Replies from the fediverse become comments; likes and boosts are counted; the author
-- moderates, blocks, and is notified.

-- For a remote reply in one of our threads: the perch post at the root of the thread, the
-- stored object it answers, and whether it is shown (visible | pending | hidden).
ALTER TABLE objects ADD COLUMN thread_root_id BIGINT REFERENCES objects (id) ON DELETE CASCADE;
ALTER TABLE objects ADD COLUMN parent_id BIGINT REFERENCES objects (id) ON DELETE SET NULL;
ALTER TABLE objects ADD COLUMN moderation TEXT;
ALTER TABLE objects ADD COLUMN language TEXT;
CREATE INDEX objects_thread ON objects (thread_root_id, published);

-- Likes and boosts (Announce) of our posts, one per actor and kind.
CREATE TABLE reactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    object_id BIGINT NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    activity_ap_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (object_id, actor_id, kind)
);
CREATE INDEX reactions_activity ON reactions (activity_ap_id);

-- Blocked actors and whole domains: their activities are refused, their comments hidden.
CREATE TABLE blocks (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    actor_ap_id TEXT UNIQUE,
    domain TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL
);

-- What the author is told about: follow, follow_request, mention, favourite, reblog, update.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    object_id BIGINT REFERENCES objects (id) ON DELETE CASCADE,
    dismissed BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX notifications_recent ON notifications (dismissed, id);
