DROP INDEX actors_public_key_id;
DROP TABLE signature_formats;
