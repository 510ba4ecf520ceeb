-- The HTTP signature format each server took last (the double-knock's memory): deliveries
-- are signed the RFC 9421 way first and the draft-cavage way when a server refuses that;
-- later ones go straight to the format that worked.
CREATE TABLE signature_formats (
    host TEXT PRIMARY KEY NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('rfc9421', 'cavage')),
    checked_at TIMESTAMP NOT NULL
);

-- Signed fetches name a key, not an actor.
CREATE INDEX actors_public_key_id ON actors (public_key_id);
