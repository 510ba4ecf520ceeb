ALTER TABLE media DROP COLUMN focus;
DROP TABLE idempotency_keys;
DROP TABLE markers;
DROP TABLE oauth_codes;
DROP TABLE oauth_tokens;
DROP TABLE oauth_apps;
