-- Ideas for commitments: themes and support rules per process, ideas with a
-- full-text index in the process's language, supports with sharded counters,
-- and comments that target an idea instead of a paragraph.

-- unaccent is a trusted extension (no superuser needed).
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Text search configurations that ignore accents: the language's stemmer after
-- unaccent, so "transparência" and "transparencia" meet, and "budgets" meets
-- "budget". cocreate_simple is the fallback for languages without a stemmer.
DO $$
DECLARE
    lang text;
BEGIN
    FOREACH lang IN ARRAY ARRAY['danish', 'dutch', 'english', 'finnish', 'french', 'german', 'hungarian', 'italian',
                                'norwegian', 'portuguese', 'romanian', 'russian', 'spanish', 'swedish', 'turkish'] LOOP
        EXECUTE format('CREATE TEXT SEARCH CONFIGURATION cocreate_%s (COPY = pg_catalog.%s)', lang, lang);
        EXECUTE format('ALTER TEXT SEARCH CONFIGURATION cocreate_%s ALTER MAPPING FOR hword, hword_part, word
                        WITH unaccent, %s_stem', lang, lang);
    END LOOP;
END $$;
CREATE TEXT SEARCH CONFIGURATION cocreate_simple (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION cocreate_simple ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- Themes (categories) of a process's ideas, defined by its owners.
CREATE TABLE idea_themes (
    id          bigserial PRIMARY KEY,
    process_id  bigint    NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    name        text      NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
    description text      NOT NULL DEFAULT '' CHECK (char_length(description) <= 1000),
    position    int       NOT NULL,
    UNIQUE (process_id, id)
);
CREATE INDEX idea_themes_process ON idea_themes (process_id, position);

-- Support rules of a process: supports per person (0 = no limit), and at most
-- one per person per theme.
CREATE TABLE idea_rules (
    process_id    bigint  PRIMARY KEY REFERENCES processes (id) ON DELETE CASCADE,
    support_limit int     NOT NULL DEFAULT 0 CHECK (support_limit BETWEEN 0 AND 1000),
    one_per_theme boolean NOT NULL DEFAULT false
);

CREATE TABLE ideas (
    id                 bigserial   PRIMARY KEY,
    process_id         bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    theme_id           bigint      NOT NULL,
    author_id          bigint      NOT NULL REFERENCES users (id),
    channel            text        NOT NULL DEFAULT 'online'
                                   CHECK (channel IN ('online', 'paper', 'phone', 'email', 'workshop')),
    contributor        text        CHECK (char_length(contributor) BETWEEN 1 AND 80),
    title              text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 150),
    body               text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 10000),
    body_html          text        NOT NULL,
    document_id        bigint      REFERENCES documents (id) ON DELETE SET NULL,
    paragraph_key      text,
    status             text        NOT NULL DEFAULT 'submitted'
                                   CHECK (status IN ('submitted', 'under_review', 'accepted', 'amended', 'merged',
                                                     'rejected', 'out_of_scope', 'withdrawn')),
    merged_into        bigint      REFERENCES ideas (id),
    status_changed_at  timestamptz,
    status_response_id bigint,
    moderation         text        NOT NULL DEFAULT 'published'
                                   CHECK (moderation IN ('published', 'pending', 'hidden', 'rejected')),
    revision           int         NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    edited_at          timestamptz,
    search_config      regconfig   NOT NULL,
    search             tsvector    GENERATED ALWAYS AS (
                           setweight(to_tsvector(search_config, title), 'A') ||
                           setweight(to_tsvector(search_config, body), 'B')) STORED,
    FOREIGN KEY (process_id, theme_id) REFERENCES idea_themes (process_id, id),
    CHECK ((status = 'merged') = (merged_into IS NOT NULL)),
    CHECK (merged_into <> id),
    CHECK ((document_id IS NULL) = (paragraph_key IS NULL)),
    CHECK (channel <> 'online' OR contributor IS NULL)
);
CREATE INDEX ideas_process ON ideas (process_id, id);
CREATE INDEX ideas_search ON ideas USING gin (search);
CREATE INDEX ideas_author ON ideas (author_id, id);
CREATE INDEX ideas_theme ON ideas (theme_id);

-- One support per person per idea. process_id and theme_id are the idea's, kept
-- here so the per-person rules read one index; merged_from is the idea the
-- support was given to when a merge carried it over.
CREATE TABLE idea_supports (
    idea_id     bigint      NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    process_id  bigint      NOT NULL,
    theme_id    bigint      NOT NULL,
    merged_from bigint      REFERENCES ideas (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (idea_id, user_id)
);
CREATE INDEX idea_supports_person ON idea_supports (process_id, user_id, theme_id);

-- Supports and comments of an idea, spread over shards like the comment counters.
CREATE TABLE idea_counts (
    idea_id  bigint   NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    shard    smallint NOT NULL,
    supports int      NOT NULL DEFAULT 0,
    comments int      NOT NULL DEFAULT 0,
    PRIMARY KEY (idea_id, shard)
);

-- A comment targets a paragraph of a draft or an idea.
ALTER TABLE comments ADD COLUMN idea_id bigint REFERENCES ideas (id) ON DELETE CASCADE;
ALTER TABLE comments ALTER COLUMN document_id DROP NOT NULL,
                     ALTER COLUMN version_id DROP NOT NULL,
                     ALTER COLUMN paragraph_key DROP NOT NULL,
                     ALTER COLUMN anchor_version_id DROP NOT NULL;
-- The rule "orphaned exactly when there is no anchor key" holds for paragraph
-- comments only; it is restated inside comments_target.
DO $$
DECLARE
    c text;
BEGIN
    SELECT conname INTO STRICT c FROM pg_constraint
    WHERE conrelid = 'comments'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%anchor_key IS NULL%';
    EXECUTE format('ALTER TABLE comments DROP CONSTRAINT %I', c);
END $$;
ALTER TABLE comments ADD CONSTRAINT comments_target CHECK (
    (idea_id IS NULL AND document_id IS NOT NULL AND version_id IS NOT NULL AND paragraph_key IS NOT NULL
        AND anchor_version_id IS NOT NULL AND (anchor_status = 'orphaned') = (anchor_key IS NULL))
    OR (idea_id IS NOT NULL AND document_id IS NULL AND version_id IS NULL AND paragraph_key IS NULL
        AND anchor_version_id IS NULL AND anchor_key IS NULL AND quote_exact IS NULL));
CREATE INDEX comments_idea ON comments (idea_id, root_id, id) WHERE idea_id IS NOT NULL;
