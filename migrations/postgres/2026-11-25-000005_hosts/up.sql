-- Servers that deliveries go to, by the host[:port] of their inboxes. A server whose
-- deliveries have failed (no connection, or 5xx) for the whole retry horizon is marked
-- unreachable: its deliveries are parked until it answers again.
CREATE TABLE hosts (
    host TEXT PRIMARY KEY NOT NULL,
    -- The first failure since the server last answered; NULL while it answers.
    failing_since TIMESTAMP,
    unreachable_since TIMESTAMP,
    -- When one parked delivery is next tried, to see whether the server is back.
    next_probe_at TIMESTAMP,
    last_error TEXT,
    updated_at TIMESTAMP NOT NULL
);

-- A delivery's retry horizon counts from here: when it was queued, or when its server came
-- back after being unreachable. NULL means created_at.
ALTER TABLE deliveries ADD COLUMN retry_since TIMESTAMP;
