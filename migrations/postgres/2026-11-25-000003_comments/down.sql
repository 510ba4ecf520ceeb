DROP TABLE notifications;
DROP TABLE blocks;
DROP TABLE reactions;
DROP INDEX objects_thread;
ALTER TABLE objects DROP COLUMN language;
ALTER TABLE objects DROP COLUMN moderation;
ALTER TABLE objects DROP COLUMN parent_id;
ALTER TABLE objects DROP COLUMN thread_root_id;
