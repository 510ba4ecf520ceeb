-- What remote documents bring beyond the first shape perch read.
-- An actor's keys after its first one (several `publicKey`s, FEP-521a RSA `assertionMethod`s):
-- JSON [{"id": "...", "pem": "..."}], found by the keyId a signature names.
ALTER TABLE actors ADD COLUMN other_keys TEXT NOT NULL DEFAULT '[]';
-- An actor's `url` on another server: shown, never looked up by (`url` holds only its own).
ALTER TABLE actors ADD COLUMN link TEXT;
-- A remote object's extras, JSON: `link` (its `url` on another server, shown only) and
-- `poll` (a Question's options, votes and end).
ALTER TABLE objects ADD COLUMN extras TEXT;

-- What was stored before these checks: a remote `url` that is not http(s) goes; one on another
-- server than its document's id becomes the unverified link. (host[:port], lower-cased.)
UPDATE objects SET url = NULL
WHERE local = 0 AND url IS NOT NULL
  AND lower(url) NOT LIKE 'http://%' AND lower(url) NOT LIKE 'https://%';
UPDATE actors SET url = NULL
WHERE local = 0 AND url IS NOT NULL
  AND lower(url) NOT LIKE 'http://%' AND lower(url) NOT LIKE 'https://%';
UPDATE objects SET extras = json_object('link', url), url = NULL
WHERE local = 0 AND url IS NOT NULL
  AND lower(substr(substr(url, instr(url, '://') + 3), 1,
        instr(substr(url, instr(url, '://') + 3) || '/', '/') - 1))
   <> lower(substr(substr(ap_id, instr(ap_id, '://') + 3), 1,
        instr(substr(ap_id, instr(ap_id, '://') + 3) || '/', '/') - 1));
UPDATE actors SET link = url, url = NULL
WHERE local = 0 AND url IS NOT NULL
  AND lower(substr(substr(url, instr(url, '://') + 3), 1,
        instr(substr(url, instr(url, '://') + 3) || '/', '/') - 1))
   <> lower(substr(substr(ap_id, instr(ap_id, '://') + 3), 1,
        instr(substr(ap_id, instr(ap_id, '://') + 3) || '/', '/') - 1));
UPDATE actors SET icon = NULL
WHERE local = 0 AND icon IS NOT NULL
  AND lower(icon) NOT LIKE 'http://%' AND lower(icon) NOT LIKE 'https://%';
