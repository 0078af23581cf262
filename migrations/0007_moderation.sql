-- Moderation: per-process settings (mode, screen rules, banned terms, house
-- rules), the queue of items awaiting a decision, append-only decisions, the
-- private originals of redactions, and flags.

CREATE TABLE moderation_settings (
    process_id        bigint  PRIMARY KEY REFERENCES processes (id) ON DELETE CASCADE,
    mode              text    NOT NULL DEFAULT 'post' CHECK (mode IN ('post', 'pre', 'risk')),
    hold_first        int     NOT NULL DEFAULT 0 CHECK (hold_first BETWEEN 0 AND 100),
    timebox_hours     int     CHECK (timebox_hours BETWEEN 1 AND 720),
    flag_threshold    int     NOT NULL DEFAULT 3 CHECK (flag_threshold BETWEEN 1 AND 100),
    rule_banned_terms boolean NOT NULL DEFAULT true,
    rule_links        int     DEFAULT 5 CHECK (rule_links BETWEEN 0 AND 100),
    rule_duplicate    boolean NOT NULL DEFAULT true,
    rule_campaign     int     DEFAULT 5 CHECK (rule_campaign BETWEEN 2 AND 1000),
    rule_rate         boolean NOT NULL DEFAULT true,
    rule_shouting     boolean NOT NULL DEFAULT true,
    banned_terms      jsonb   NOT NULL DEFAULT '{}',  -- language → terms
    house_rules       jsonb   NOT NULL DEFAULT '{}'   -- reason code → description, overriding the defaults
);

-- A fingerprint of each contribution's normalised text: the screen finds the
-- same body from the same account, and from many accounts (campaigns).
ALTER TABLE comments ADD COLUMN fingerprint bigint;
ALTER TABLE ideas ADD COLUMN fingerprint bigint;
CREATE INDEX comments_fingerprint ON comments (fingerprint, created_at) WHERE fingerprint IS NOT NULL;
CREATE INDEX ideas_fingerprint ON ideas (fingerprint, created_at) WHERE fingerprint IS NOT NULL;

-- One item per contribution that moderation held or that was flagged. version
-- changes with every claim, flag and decision; a decision names the version it
-- was made on.
CREATE TABLE moderation_items (
    id                 bigserial   PRIMARY KEY,
    process_id         bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    comment_id         bigint      UNIQUE REFERENCES comments (id),
    idea_id            bigint      UNIQUE REFERENCES ideas (id),
    document_id        bigint,
    author_id          bigint      NOT NULL REFERENCES users (id),
    cause              text        NOT NULL CHECK (cause IN ('mode', 'new_account', 'screen', 'flags')),
    state              text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'escalated', 'appealed', 'decided')),
    version            int         NOT NULL DEFAULT 1,
    campaign           boolean     NOT NULL DEFAULT false,
    screen             jsonb       NOT NULL DEFAULT '[]',
    flag_weight        real        NOT NULL DEFAULT 0,
    flags              int         NOT NULL DEFAULT 0,
    claimed_by         bigint      REFERENCES users (id),
    lease_until        timestamptz,
    last_moderator     bigint      REFERENCES users (id),
    excluded_moderator bigint      REFERENCES users (id),
    appeal_note        text        CHECK (char_length(appeal_note) <= 2000),
    appealed_at        timestamptz,
    created_at         timestamptz NOT NULL,
    queued_at          timestamptz NOT NULL,
    decided_at         timestamptz,
    CHECK ((comment_id IS NULL) <> (idea_id IS NULL))
);
CREATE INDEX moderation_queue ON moderation_items (process_id, queued_at, id) WHERE state <> 'decided';
CREATE INDEX moderation_items_author ON moderation_items (author_id, id);

CREATE TABLE moderation_decisions (
    id           bigserial   PRIMARY KEY,
    item_id      bigint      NOT NULL REFERENCES moderation_items (id),
    moderator_id bigint      REFERENCES users (id),
    outcome      text        NOT NULL CHECK (outcome IN ('approve', 'reject', 'redact', 'escalate', 'auto_publish')),
    reason       text        CHECK (reason IN ('spam', 'abuse', 'personal_data', 'off_topic', 'illegal', 'duplicate', 'other')),
    explanation  text        NOT NULL DEFAULT '' CHECK (char_length(explanation) <= 2000),
    cause        text        NOT NULL CHECK (cause IN ('mode', 'new_account', 'screen', 'flags', 'appeal', 'escalated')),
    on_appeal    boolean     NOT NULL DEFAULT false,
    item_version int         NOT NULL,
    created_at   timestamptz NOT NULL,
    CHECK (outcome <> 'reject' OR reason IS NOT NULL)
);
CREATE INDEX moderation_decisions_item ON moderation_decisions (item_id, id);

-- Decisions are never changed or removed; reversing one is a new decision.
CREATE FUNCTION refuse_decision_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'moderation decisions are append-only' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER moderation_decisions_append_only BEFORE UPDATE OR DELETE ON moderation_decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_decision_change();

-- The text a redaction replaced: moderators only; erased with its author's account.
CREATE TABLE moderation_redactions (
    decision_id   bigint PRIMARY KEY REFERENCES moderation_decisions (id),
    item_id       bigint NOT NULL REFERENCES moderation_items (id),
    original_body text   NOT NULL
);

-- One flag per person per contribution. weight is what the flagger's record
-- made it worth; outcome is set when a moderator decides the contribution.
CREATE TABLE moderation_flags (
    id         bigserial   PRIMARY KEY,
    process_id bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    comment_id bigint      REFERENCES comments (id),
    idea_id    bigint      REFERENCES ideas (id),
    user_id    bigint      NOT NULL REFERENCES users (id),
    reason     text        NOT NULL CHECK (reason IN ('spam', 'abuse', 'personal_data', 'off_topic', 'illegal', 'duplicate', 'other')),
    note       text        NOT NULL DEFAULT '' CHECK (char_length(note) <= 1000),
    weight     real        NOT NULL,
    outcome    text        CHECK (outcome IN ('upheld', 'rejected')),
    created_at timestamptz NOT NULL,
    CHECK ((comment_id IS NULL) <> (idea_id IS NULL))
);
CREATE UNIQUE INDEX moderation_flags_comment ON moderation_flags (comment_id, user_id) WHERE comment_id IS NOT NULL;
CREATE UNIQUE INDEX moderation_flags_idea ON moderation_flags (idea_id, user_id) WHERE idea_id IS NOT NULL;
CREATE INDEX moderation_flags_user ON moderation_flags (user_id);
