-- Processes: one co-creation cycle each, with ordered, non-overlapping phases.

-- btree_gist lets one exclusion constraint compare the process id with = and the
-- phase windows with && (a trusted extension: no superuser needed).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE processes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug         text        NOT NULL,
    title        text        NOT NULL,
    summary      text        NOT NULL DEFAULT '',
    summary_html text        NOT NULL DEFAULT '',
    languages    text[]      NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT processes_slug_key UNIQUE (slug),
    CONSTRAINT processes_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) BETWEEN 3 AND 80),
    CONSTRAINT processes_title_length CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    CONSTRAINT processes_summary_length CHECK (length(summary) <= 20000),
    CONSTRAINT processes_languages_count CHECK (cardinality(languages) BETWEEN 1 AND 10)
);

CREATE TABLE process_phases (
    process_id bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    kind       text        NOT NULL,
    position   smallint    NOT NULL,
    opens_at   timestamptz NOT NULL,
    closes_at  timestamptz NOT NULL,
    PRIMARY KEY (process_id, kind),
    CONSTRAINT process_phases_position_key UNIQUE (process_id, position),
    CONSTRAINT process_phases_kind CHECK (kind IN ('agenda_setting', 'idea_collection', 'drafting',
                                                   'public_comment', 'response', 'implementation')),
    CONSTRAINT process_phases_window CHECK (closes_at > opens_at),
    CONSTRAINT process_phases_no_overlap EXCLUDE USING gist (
        process_id WITH =, tstzrange(opens_at, closes_at) WITH &&)
);
