-- Drafts (documents), their immutable versions and blocks, comments anchored to
-- paragraphs with W3C Web Annotation selectors, votes on comments, and the
-- idempotency records of writes.

CREATE TABLE documents (
    id         bigserial   PRIMARY KEY,
    process_id bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    title      text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    language   text        NOT NULL CHECK (char_length(language) BETWEEN 2 AND 35),
    created_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_process ON documents (process_id, id);

-- A version is a draft until published; a published version never changes.
CREATE TABLE document_versions (
    id            bigserial   PRIMARY KEY,
    document_id   bigint      NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    number        int         NOT NULL CHECK (number >= 1),
    source_format text        NOT NULL CHECK (source_format IN ('markdown', 'text', 'html')),
    note          text        NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
    opens_at      timestamptz,
    closes_at     timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,
    UNIQUE (document_id, number),
    CHECK (opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at)
);

-- Blocks of a version, in order. key is the paragraph key carried across
-- versions; change and similarity say how the block relates to the previous
-- published version.
CREATE TABLE blocks (
    version_id bigint   NOT NULL REFERENCES document_versions (id) ON DELETE CASCADE,
    position   int      NOT NULL CHECK (position >= 0),
    key        text     NOT NULL CHECK (key ~ '^[a-z0-9-]{1,40}$'),
    kind       text     NOT NULL CHECK (kind IN ('heading', 'paragraph', 'list_item', 'table_row', 'quote')),
    level      smallint NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 6),
    section    text     NOT NULL DEFAULT '',
    text       text     NOT NULL CHECK (char_length(text) BETWEEN 1 AND 20000),
    hash       text     NOT NULL,
    change     text     NOT NULL DEFAULT 'new' CHECK (change IN ('new', 'same', 'moved', 'edited')),
    similarity real,
    PRIMARY KEY (version_id, position),
    UNIQUE (version_id, key)
);

-- Published versions and their blocks are immutable.
CREATE FUNCTION refuse_published_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    IF TG_TABLE_NAME = 'document_versions' THEN
        IF OLD.published_at IS NOT NULL THEN
            RAISE EXCEPTION 'version % is published and cannot change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    v := CASE WHEN TG_OP = 'INSERT' THEN NEW.version_id ELSE OLD.version_id END;
    IF EXISTS (SELECT 1 FROM document_versions WHERE id = v AND published_at IS NOT NULL) THEN
        RAISE EXCEPTION 'version % is published; its blocks cannot change', v USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER document_versions_immutable BEFORE UPDATE ON document_versions
    FOR EACH ROW WHEN (OLD.published_at IS NOT NULL) EXECUTE FUNCTION refuse_published_change();
CREATE TRIGGER blocks_immutable BEFORE INSERT OR UPDATE OR DELETE ON blocks
    FOR EACH ROW EXECUTE FUNCTION refuse_published_change();

-- Comments. version_id, paragraph_key and the quote_* selectors say where the
-- comment was written and never change; anchor_* say where its thread sits in
-- the document's latest published version (re-anchoring updates them).
CREATE TABLE comments (
    id                bigserial   PRIMARY KEY,
    document_id       bigint      NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version_id        bigint      NOT NULL REFERENCES document_versions (id),
    paragraph_key     text        NOT NULL,
    parent_id         bigint      REFERENCES comments (id),
    root_id           bigint      NOT NULL,
    depth             smallint    NOT NULL DEFAULT 0 CHECK (depth BETWEEN 0 AND 3),
    author_id         bigint      NOT NULL REFERENCES users (id),
    body              text        NOT NULL CHECK (char_length(body) <= 10000),
    body_html         text        NOT NULL,
    status            text        NOT NULL DEFAULT 'published'
                                  CHECK (status IN ('published', 'pending', 'hidden', 'rejected')),
    revision          int         NOT NULL DEFAULT 1,
    quote_exact       text        CHECK (char_length(quote_exact) BETWEEN 1 AND 2000),
    quote_prefix      text,
    quote_suffix      text,
    quote_start       int,
    quote_end         int,
    anchor_version_id bigint      NOT NULL REFERENCES document_versions (id),
    anchor_key        text,
    anchor_status     text        NOT NULL DEFAULT 'exact'
                                  CHECK (anchor_status IN ('exact', 'moved', 'fuzzy', 'orphaned')),
    anchor_confidence real        NOT NULL DEFAULT 1,
    anchor_start      int,
    anchor_end        int,
    created_at        timestamptz NOT NULL DEFAULT now(),
    edited_at         timestamptz,
    deleted_at        timestamptz,
    CHECK ((quote_exact IS NULL) = (quote_start IS NULL) AND (quote_start IS NULL) = (quote_end IS NULL)),
    CHECK (quote_start IS NULL OR (quote_start >= 0 AND quote_end > quote_start)),
    CHECK ((anchor_status = 'orphaned') = (anchor_key IS NULL)),
    CHECK ((parent_id IS NULL) = (depth = 0))
);
-- One paragraph's thread in the current version, in thread order.
CREATE INDEX comments_thread ON comments (document_id, anchor_key, root_id, id);
CREATE INDEX comments_orphaned ON comments (document_id, root_id, id) WHERE anchor_status = 'orphaned';
CREATE INDEX comments_author ON comments (author_id, id);

-- One vote per person per comment: +1 agree, -1 disagree.
CREATE TABLE comment_votes (
    comment_id bigint      NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value      smallint    NOT NULL CHECK (value IN (-1, 1)),
    voted_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, user_id)
);
CREATE INDEX comment_votes_user ON comment_votes (user_id);

-- Counters, spread over shards so concurrent writers do not queue on one row;
-- a count is the sum over its shards.
CREATE TABLE comment_vote_counts (
    comment_id bigint   NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    shard      smallint NOT NULL,
    agree      int      NOT NULL DEFAULT 0,
    disagree   int      NOT NULL DEFAULT 0,
    PRIMARY KEY (comment_id, shard)
);
CREATE TABLE paragraph_counts (
    document_id   bigint   NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    paragraph_key text     NOT NULL,
    shard         smallint NOT NULL,
    comments      int      NOT NULL DEFAULT 0,
    agree         int      NOT NULL DEFAULT 0,
    disagree      int      NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, paragraph_key, shard)
);

-- Stored answers of writes sent with an Idempotency-Key, per account, for 24 h.
CREATE TABLE idempotency_keys (
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    status       int         NOT NULL,
    content_type text        NOT NULL DEFAULT '',
    body         bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
