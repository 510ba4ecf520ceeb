-- A server is sent RFC 9421 signatures only on positive evidence that it verifies them; a
-- 2xx answer is not such evidence (servers that verify later answer 202 to anything). What
-- the double-knock learned from 2xx answers is forgotten: those hosts go back to
-- draft-cavage until they show otherwise. Refusals (the draft-cavage rows) were real evidence.
DELETE FROM signature_formats WHERE format = 'rfc9421';
ALTER TABLE signature_formats ADD COLUMN evidence TEXT NOT NULL DEFAULT 'refused';
