-- Account hardening (issue "Hardening", item 7).

-- Rate-limit counters were named by unkeyed SHA-256 hashes of addresses and
-- IPs, which anyone holding the table could match against guessed addresses.
-- Keys are now keyed hashes (RATE_LIMIT_SECRET); the old counters go, and the
-- limits start afresh.
DELETE FROM rate_limit_hits;

-- Secrets of this installation that must stay the same on every instance and
-- across restarts. 'participant_id' keys the ids open data gives authors
-- (internal/opendata), so they cannot be derived from the account id or the
-- pseudonym the site shows. Made once, here; the server may only read them.
CREATE TABLE instance_secrets (
    name   text  PRIMARY KEY,
    secret bytea NOT NULL CHECK (length(secret) >= 32)
);
-- Two version-4 UUIDs: 244 bits from PostgreSQL's strong random source.
INSERT INTO instance_secrets (name, secret)
VALUES ('participant_id', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON instance_secrets FROM cocreate_app;
