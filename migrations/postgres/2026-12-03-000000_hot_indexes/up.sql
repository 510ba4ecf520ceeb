-- The answers to a post: every page's and object's reply count, its `replies` collection and
-- the apps' context looked them up by scanning every object.
CREATE INDEX objects_parent ON objects (parent_id);
-- A new notification's check for the same one (actor, kind, object) scanned every
-- undismissed notification.
CREATE INDEX notifications_by_actor ON notifications (actor_id, kind, object_id);
