ALTER TABLE signature_formats DROP COLUMN evidence;
