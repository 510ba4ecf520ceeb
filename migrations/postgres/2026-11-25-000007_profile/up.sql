-- The author's profile as edited from an app. A NULL column means "as the config file says"
-- ([actor] display_name, summary, locked, links); avatar and header are files under media/.
CREATE TABLE profile (
    id BIGINT PRIMARY KEY NOT NULL CHECK (id = 1),
    display_name TEXT,
    summary TEXT,
    locked BOOLEAN,
    -- JSON: [{"name": "...", "value": "..."}]
    fields TEXT,
    avatar TEXT,
    header TEXT,
    updated_at TIMESTAMP NOT NULL
);
