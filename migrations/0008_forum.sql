-- The forum's reasoned responses: forum settings, members' public pseudonyms,
-- clusters of contributions, near-duplicate signatures, draft and published
-- responses with their signatures and dissents, which contributions each
-- published response answered, and the append-only, hash-chained ledger with
-- its signed checkpoints. docs/ledger.md describes the ledger's encoding.

-- The signing rule and the response target of each process's forum.
CREATE TABLE forum_settings (
    process_id   bigint PRIMARY KEY REFERENCES processes (id) ON DELETE CASCADE,
    signing_rule text   NOT NULL DEFAULT 'single' CHECK (signing_rule IN ('single', 'joint')),
    target_days  int    NOT NULL DEFAULT 20 CHECK (target_days BETWEEN 1 AND 365)
);

-- A forum member's stable pseudonymous id in one process: what the ledger
-- names. The row goes with the account; the ledger keeps the id.
CREATE TABLE forum_pseudonyms (
    process_id bigint NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    member_ref text   NOT NULL UNIQUE CHECK (member_ref ~ '^m-[0-9a-f]{16}$'),
    PRIMARY KEY (process_id, user_id)
);

-- MinHash signatures of each contribution's words, for near-duplicate
-- suggestions (internal/neardup). NULL for rows written before this migration.
ALTER TABLE comments ADD COLUMN near_dup int[];
ALTER TABLE ideas ADD COLUMN near_dup int[];

CREATE TABLE clusters (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    process_id bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    title      text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    origin     text        NOT NULL CHECK (origin IN ('manual', 'suggested')),
    created_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (process_id, id)
);

-- A contribution belongs to at most one cluster.
CREATE TABLE cluster_members (
    cluster_id bigint      NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    comment_id bigint      UNIQUE REFERENCES comments (id) ON DELETE CASCADE,
    idea_id    bigint      UNIQUE REFERENCES ideas (id) ON DELETE CASCADE,
    added_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    added_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((comment_id IS NULL) <> (idea_id IS NULL))
);
CREATE INDEX cluster_members_cluster ON cluster_members (cluster_id);

-- Contributions a member said are not near-duplicates: never suggested again.
CREATE TABLE cluster_dismissals (
    process_id   bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    comment_id   bigint      UNIQUE REFERENCES comments (id) ON DELETE CASCADE,
    idea_id      bigint      UNIQUE REFERENCES ideas (id) ON DELETE CASCADE,
    dismissed_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    dismissed_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((comment_id IS NULL) <> (idea_id IS NULL))
);

-- Responses: drafts (the forum's only) and published ones. A published
-- response's text is frozen: its ledger entry holds the public copy.
CREATE TABLE responses (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    process_id        bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    state             text        NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published')),
    disposition       text        NOT NULL CHECK (disposition IN ('adopted', 'amended', 'merged', 'rejected', 'out_of_scope', 'noted')),
    reasoning         text        NOT NULL CHECK (char_length(reasoning) BETWEEN 1 AND 20000),
    reasoning_html    text        NOT NULL,
    led_to            text        NOT NULL DEFAULT '' CHECK (char_length(led_to) <= 500),
    supersedes        bigint      REFERENCES responses (id),
    correction_reason text        CHECK (char_length(correction_reason) BETWEEN 1 AND 2000),
    revision          int         NOT NULL DEFAULT 1,
    created_by        bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    published_at      timestamptz,
    ledger_seq        bigint,
    CHECK ((state = 'published') = (published_at IS NOT NULL AND ledger_seq IS NOT NULL)),
    CHECK ((supersedes IS NULL) = (correction_reason IS NULL))
);
CREATE INDEX responses_process ON responses (process_id, state, published_at DESC);

-- What a response covers: comments, ideas, clusters and draft paragraphs.
CREATE TABLE response_covers (
    response_id   bigint NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    comment_id    bigint REFERENCES comments (id) ON DELETE CASCADE,
    idea_id       bigint REFERENCES ideas (id) ON DELETE CASCADE,
    cluster_id    bigint REFERENCES clusters (id) ON DELETE CASCADE,
    document_id   bigint REFERENCES documents (id) ON DELETE CASCADE,
    paragraph_key text,
    CHECK (num_nonnulls(comment_id, idea_id, cluster_id, document_id) = 1),
    CHECK ((document_id IS NULL) = (paragraph_key IS NULL))
);
CREATE UNIQUE INDEX response_covers_unique ON response_covers
    (response_id, coalesce(comment_id, 0), coalesce(idea_id, 0), coalesce(cluster_id, 0), coalesce(document_id, 0), coalesce(paragraph_key, ''));

-- Signatures and dissenting notes on a draft. Editing the draft clears them.
CREATE TABLE response_signatures (
    response_id  bigint      NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         text        NOT NULL CHECK (kind IN ('sign', 'dissent')),
    seat         text        NOT NULL CHECK (seat IN ('government', 'civil_society', 'other')),
    organisation text        NOT NULL DEFAULT '',
    member_ref   text        NOT NULL,
    note         text        CHECK (char_length(note) BETWEEN 1 AND 5000),
    signed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (response_id, user_id),
    CHECK ((kind = 'dissent') = (note IS NOT NULL))
);

-- Which contributions each published response answered (directly, through a
-- cluster, or through a paragraph), written when it is published and when a
-- contribution joins an answered cluster. Coverage and "the response that
-- answered it" read this.
CREATE TABLE contribution_answers (
    response_id bigint      NOT NULL REFERENCES responses (id),
    comment_id  bigint      REFERENCES comments (id) ON DELETE CASCADE,
    idea_id     bigint      REFERENCES ideas (id) ON DELETE CASCADE,
    answered_at timestamptz NOT NULL,
    CHECK ((comment_id IS NULL) <> (idea_id IS NULL))
);
CREATE UNIQUE INDEX contribution_answers_comment ON contribution_answers (comment_id, response_id) WHERE comment_id IS NOT NULL;
CREATE UNIQUE INDEX contribution_answers_idea ON contribution_answers (idea_id, response_id) WHERE idea_id IS NOT NULL;

-- The ledger: one entry per published response, per process, seq 1, 2, 3, ...
-- fields holds the entry's public fields (no personal data) as the canonical
-- JSON text that is hashed, byte for byte; disposition is read from it for
-- filtering.
CREATE TABLE ledger_entries (
    process_id  bigint NOT NULL REFERENCES processes (id),
    seq         bigint NOT NULL CHECK (seq >= 1),
    fields      text   NOT NULL,
    disposition text   GENERATED ALWAYS AS (CAST(fields AS jsonb) ->> 'disposition') STORED,
    prev_hash  text   NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    hash       text   NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    PRIMARY KEY (process_id, seq)
);

-- Signed checkpoints: the head of a process's ledger at a moment, signed with
-- the instance's Ed25519 key, so outsiders can pin what they saw.
CREATE TABLE ledger_checkpoints (
    process_id bigint      NOT NULL REFERENCES processes (id),
    seq        bigint      NOT NULL,
    hash       text        NOT NULL,
    signed_at  timestamptz NOT NULL,
    key_id     text        NOT NULL,
    public_key text        NOT NULL, -- base64
    signature  text        NOT NULL, -- base64, over docs/ledger.md's checkpoint message
    PRIMARY KEY (process_id, seq)
);

CREATE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the response ledger is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change();
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change();

-- Every published contribution of every process, as the forum sees it:
-- comments (on paragraphs and on ideas) and ideas (not withdrawn or merged).
CREATE VIEW contributions AS
SELECT 'comment'::text AS kind, c.id, coalesce(d.process_id, i.process_id) AS process_id, c.author_id, c.created_at,
       left(c.body, 280) AS excerpt, c.document_id, c.anchor_key AS paragraph_key, c.idea_id, NULL::bigint AS theme_id
  FROM comments c
  LEFT JOIN documents d ON d.id = c.document_id
  LEFT JOIN ideas i ON i.id = c.idea_id
 WHERE c.status = 'published' AND c.deleted_at IS NULL
UNION ALL
SELECT 'idea', i.id, i.process_id, i.author_id, i.created_at, i.title, i.document_id, i.paragraph_key, NULL, i.theme_id
  FROM ideas i
 WHERE i.moderation = 'published' AND i.status NOT IN ('withdrawn', 'merged');

-- The application's role. The server connects as the owner of the schema and
-- switches to this role (DATABASE_ROLE), which may read and write every table
-- but may not UPDATE, DELETE or TRUNCATE the ledger. Creating it needs
-- CREATEROLE once per cluster; a role made beforehand by an operator is used
-- as it is.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'cocreate_app') THEN
        BEGIN
            CREATE ROLE cocreate_app NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database of the cluster created it meanwhile
        END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
        EXECUTE format('GRANT cocreate_app TO %I', current_user);
    END IF;
END $$;
GRANT USAGE ON SCHEMA public TO cocreate_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cocreate_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO cocreate_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cocreate_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO cocreate_app;
REVOKE UPDATE, DELETE, TRUNCATE ON ledger_entries, ledger_checkpoints FROM cocreate_app;
REVOKE UPDATE, DELETE, TRUNCATE ON ledger_entries, ledger_checkpoints FROM PUBLIC;
