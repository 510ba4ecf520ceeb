-- The follower and following counts every account entity carries (every status the apps
-- read, the instance, verify_credentials) scanned every follow row: 10,000 followers cost
-- about a millisecond each time.
CREATE INDEX follows_by_state ON follows (direction, state);
-- A post's likes and boosts are counted by kind: from an index of their own, not by sorting
-- the rows of the (object, actor, kind) uniqueness index.
CREATE INDEX reactions_by_kind ON reactions (object_id, kind);
-- A post's reply count reads, for each reply, only what the visibility rule asks of it:
-- from the index, without a look-up of each reply's row.
DROP INDEX objects_parent;
CREATE INDEX objects_parent ON objects (parent_id, deleted_at, visibility, moderation);
