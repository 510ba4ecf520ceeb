DROP INDEX objects_parent;
CREATE INDEX objects_parent ON objects (parent_id);
DROP INDEX reactions_by_kind;
DROP INDEX follows_by_state;
