ALTER TABLE objects DROP COLUMN extras;
ALTER TABLE actors DROP COLUMN link;
ALTER TABLE actors DROP COLUMN other_keys;
