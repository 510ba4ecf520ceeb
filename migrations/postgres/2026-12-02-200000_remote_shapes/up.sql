-- What remote documents bring beyond the first shape perch read.
-- An actor's keys after its first one (several `publicKey`s, FEP-521a RSA `assertionMethod`s):
-- JSON [{"id": "...", "pem": "..."}], found by the keyId a signature names.
ALTER TABLE actors ADD COLUMN other_keys TEXT NOT NULL DEFAULT '[]';
-- An actor's `url` on another server: shown, never looked up by (`url` holds only its own).
ALTER TABLE actors ADD COLUMN link TEXT;
-- A remote object's extras, JSON: `link` (its `url` on another server, shown only) and
-- `poll` (a Question's options, votes and end).
ALTER TABLE objects ADD COLUMN extras TEXT;

-- The SQLite twin of this migration also rewrites what older perch versions had stored. A
-- PostgreSQL database is newer than those versions: its rows arrive through perch itself or
-- `perch db copy` from an already migrated SQLite file, so there is nothing to rewrite here.
