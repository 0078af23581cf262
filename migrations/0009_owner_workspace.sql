-- The owner's workspace: a process is prepared unpublished and opened to the
-- public when ready, with the engagement mandate people read before they take
-- part; dated updates; a repository of the process's documents; contributions
-- received offline (comments as well as ideas), with a private scan of the
-- original.

-- NULL: only the process's owners and administrators see it. The processes
-- that exist already are public.
ALTER TABLE processes ADD COLUMN published_at timestamptz;
UPDATE processes SET published_at = created_at;

-- The engagement mandate: what a process tells the public before they take
-- part. One row per process, written by its owners.
CREATE TABLE process_mandates (
    process_id      bigint      PRIMARY KEY REFERENCES processes (id) ON DELETE CASCADE,
    purpose         text        NOT NULL DEFAULT '' CHECK (char_length(purpose) <= 5000),
    open_items      text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(open_items) <= 30),
    fixed_items     text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(fixed_items) <= 30),
    use_of_input    text        NOT NULL DEFAULT '' CHECK (char_length(use_of_input) <= 5000),
    decision_maker  text        NOT NULL DEFAULT '' CHECK (char_length(decision_maker) <= 300),
    -- [{"label": "...", "date": "2027-05-01"}, ...] in date order
    decision_points jsonb       NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(decision_points) = 'array'
                                                             AND jsonb_array_length(decision_points) <= 20),
    iap2_level      text        CHECK (iap2_level IN ('inform', 'consult', 'involve', 'collaborate', 'empower')),
    contact_name    text        NOT NULL DEFAULT '' CHECK (char_length(contact_name) <= 200),
    contact_email   text        NOT NULL DEFAULT '' CHECK (char_length(contact_email) <= 254),
    privacy_notice  text        NOT NULL DEFAULT '' CHECK (char_length(privacy_notice) <= 10000),
    privacy_html    text        NOT NULL DEFAULT '',
    updated_at      timestamptz NOT NULL DEFAULT now(),
    updated_by      bigint      REFERENCES users (id) ON DELETE SET NULL
);

-- Updates: dated news posts of a process (OGP: regular updates while the plan
-- is drafted).
CREATE TABLE process_updates (
    id           bigserial   PRIMARY KEY,
    process_id   bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    title        text        NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 200),
    body         text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 20000),
    body_html    text        NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    created_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    edited_at    timestamptz
);
CREATE INDEX process_updates_process ON process_updates (process_id, published_at DESC, id DESC);

-- The repository: every document of a process, public without an account;
-- a stored file (in the blob store, by key) or a link to one elsewhere.
CREATE TABLE repository_items (
    id            bigserial   PRIMARY KEY,
    process_id    bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    kind          text        NOT NULL CHECK (kind IN ('terms_of_reference', 'minutes', 'self_assessment',
                                                       'review_report', 'evidence', 'other')),
    title         text        NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 200),
    document_date date        NOT NULL,
    language      text        NOT NULL CHECK (char_length(language) BETWEEN 2 AND 35),
    blob_key      text        UNIQUE,
    filename      text        CHECK (char_length(filename) BETWEEN 1 AND 200),
    content_type  text,
    size_bytes    bigint      CHECK (size_bytes >= 0),
    sha256        bytea       CHECK (length(sha256) = 32),
    external_url  text        CHECK (char_length(external_url) <= 2000 AND external_url ~ '^https?://'),
    created_by    bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Either a stored file with its facts, or a link.
    CHECK ((blob_key IS NULL) = (external_url IS NOT NULL)),
    CHECK ((blob_key IS NULL) = (filename IS NULL) AND (blob_key IS NULL) = (content_type IS NULL)
           AND (blob_key IS NULL) = (size_bytes IS NULL) AND (blob_key IS NULL) = (sha256 IS NULL))
);
CREATE INDEX repository_items_process ON repository_items (process_id, document_date DESC, id DESC);

-- Contributions received offline (by post, phone, e-mail or at a workshop) are
-- entered by an owner on the contributor's behalf: comments as well as ideas.
-- contributor is the name or organisation as they agreed to publish it (NULL:
-- anonymous); received_on is the date it reached the process.
ALTER TABLE comments
    ADD COLUMN channel     text NOT NULL DEFAULT 'online'
                           CHECK (channel IN ('online', 'paper', 'phone', 'email', 'workshop')),
    ADD COLUMN contributor text CHECK (char_length(contributor) BETWEEN 1 AND 80),
    ADD COLUMN received_on date,
    ADD CONSTRAINT comments_offline CHECK (channel <> 'online' OR (contributor IS NULL AND received_on IS NULL));
ALTER TABLE ideas
    ADD COLUMN received_on date,
    ADD CONSTRAINT ideas_received_offline CHECK (channel <> 'online' OR received_on IS NULL);

-- The scan of an original received offline: kept private (owners and
-- administrators only), never published or exported.
CREATE TABLE contribution_attachments (
    id           bigserial   PRIMARY KEY,
    comment_id   bigint      REFERENCES comments (id) ON DELETE CASCADE,
    idea_id      bigint      REFERENCES ideas (id) ON DELETE CASCADE,
    blob_key     text        NOT NULL UNIQUE,
    filename     text        NOT NULL CHECK (char_length(filename) BETWEEN 1 AND 200),
    content_type text        NOT NULL,
    size_bytes   bigint      NOT NULL CHECK (size_bytes >= 0),
    created_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((comment_id IS NULL) <> (idea_id IS NULL))
);
CREATE INDEX contribution_attachments_comment ON contribution_attachments (comment_id) WHERE comment_id IS NOT NULL;
CREATE INDEX contribution_attachments_idea ON contribution_attachments (idea_id) WHERE idea_id IS NOT NULL;
