DROP INDEX notifications_by_actor;
DROP INDEX objects_parent;
