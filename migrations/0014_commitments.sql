-- Implementation: what happens after the plan is adopted. Commitments with
-- their working groups, milestones and what led to them; progress updates
-- (government-only, or joint and signed under the forum's rule), each with
-- its per-milestone states and evidence, frozen once published and recorded
-- in the process's ledger; comments on published updates (a third comment
-- target, beside paragraphs and ideas); questions on commitments with their
-- working-day answer clock; each process's implementation settings and public
-- holidays; and the notices sent once per due event.

-- A process's implementation settings: how many days late a milestone may be
-- before its commitment is delayed rather than at risk, and which draft is the
-- self-assessment report open for public comment.
CREATE TABLE implementation_settings (
    process_id         bigint PRIMARY KEY REFERENCES processes (id) ON DELETE CASCADE,
    at_risk_days       int    NOT NULL DEFAULT 30 CHECK (at_risk_days BETWEEN 1 AND 365),
    self_assessment_id bigint REFERENCES documents (id) ON DELETE SET NULL
);

-- Public holidays of a process: days the working-day clocks do not count
-- (weekends never count).
CREATE TABLE process_holidays (
    process_id bigint NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    day        date   NOT NULL,
    name       text   NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 100),
    PRIMARY KEY (process_id, day)
);

-- A commitment of the adopted plan. Its status is never stored: it is
-- computed from its milestones and updates (internal/commitment/status.go).
CREATE TABLE commitments (
    id                bigserial   PRIMARY KEY,
    process_id        bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    title             text        NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 200),
    description       text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
    description_html  text        NOT NULL DEFAULT '',
    lead_institution  text        NOT NULL CHECK (char_length(btrim(lead_institution)) BETWEEN 1 AND 200),
    other_actors      text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(other_actors) <= 20),
    theme             text        NOT NULL DEFAULT '' CHECK (char_length(theme) <= 80),
    starts_on         date        NOT NULL,
    ends_on           date        NOT NULL,
    ogp_values        text[]      NOT NULL DEFAULT '{}' CHECK (ogp_values <@ ARRAY['access_to_information', 'civic_participation',
                                                              'public_accountability', 'technology_innovation']::text[]),
    withdrawn_at      timestamptz,
    withdrawal_reason text        CHECK (char_length(withdrawal_reason) BETWEEN 1 AND 2000),
    revision          int         NOT NULL DEFAULT 1,
    created_by        bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on),
    CHECK ((withdrawn_at IS NULL) = (withdrawal_reason IS NULL))
);
CREATE INDEX commitments_process ON commitments (process_id, id);

-- What led to a commitment: paragraphs of the final draft, ideas, responses.
CREATE TABLE commitment_sources (
    commitment_id bigint NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    position      int    NOT NULL,
    document_id   bigint REFERENCES documents (id) ON DELETE CASCADE,
    paragraph_key text,
    idea_id       bigint REFERENCES ideas (id) ON DELETE CASCADE,
    response_id   bigint REFERENCES responses (id) ON DELETE CASCADE,
    PRIMARY KEY (commitment_id, position),
    CHECK (num_nonnulls(document_id, idea_id, response_id) = 1),
    CHECK ((document_id IS NULL) = (paragraph_key IS NULL))
);

-- The working group: named people or organisations with their seat. A member
-- linked to an account may write the commitment's progress updates.
CREATE TABLE commitment_members (
    id            bigserial PRIMARY KEY,
    commitment_id bigint    NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    position      int       NOT NULL,
    name          text      NOT NULL CHECK (char_length(btrim(name)) BETWEEN 1 AND 200),
    organisation  text      NOT NULL DEFAULT '' CHECK (char_length(organisation) <= 200),
    seat          text      NOT NULL CHECK (seat IN ('government', 'civil_society', 'other')),
    user_id       bigint    REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX commitment_members_commitment ON commitment_members (commitment_id, position);
CREATE UNIQUE INDEX commitment_members_account ON commitment_members (commitment_id, user_id) WHERE user_id IS NOT NULL;

-- Dated milestones; completed_on once done, with evidence: a link or an item
-- of the process's repository.
CREATE TABLE milestones (
    id               bigserial PRIMARY KEY,
    commitment_id    bigint    NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    position         int       NOT NULL,
    title            text      NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 300),
    due_on           date      NOT NULL,
    completed_on     date,
    evidence_url     text      CHECK (char_length(evidence_url) <= 2000 AND evidence_url ~ '^https?://'),
    evidence_item_id bigint    REFERENCES repository_items (id) ON DELETE SET NULL,
    CHECK (evidence_url IS NULL OR evidence_item_id IS NULL)
);
CREATE INDEX milestones_commitment ON milestones (commitment_id, position);

-- Progress updates: drafts, and published ones whose text is frozen (their
-- ledger entry holds the public copy). A correction is a new update that
-- supersedes a published one, with its reason; an update is corrected once.
CREATE TABLE progress_updates (
    id                bigserial   PRIMARY KEY,
    commitment_id     bigint      NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    process_id        bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    kind              text        NOT NULL CHECK (kind IN ('government', 'joint')),
    state             text        NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published')),
    progress          text        NOT NULL CHECK (char_length(progress) BETWEEN 1 AND 20000),
    progress_html     text        NOT NULL,
    delay_reasons     text        NOT NULL DEFAULT '' CHECK (char_length(delay_reasons) <= 10000),
    delay_html        text        NOT NULL DEFAULT '',
    next_steps        text        NOT NULL CHECK (char_length(next_steps) BETWEEN 1 AND 10000),
    next_steps_html   text        NOT NULL,
    supersedes        bigint      REFERENCES progress_updates (id),
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
CREATE INDEX progress_updates_commitment ON progress_updates (commitment_id, state, published_at DESC, id DESC);
CREATE INDEX progress_updates_process ON progress_updates (process_id, state, published_at DESC);
CREATE UNIQUE INDEX progress_updates_one_correction ON progress_updates (supersedes) WHERE state = 'published';

-- An update's state of each milestone of its commitment.
CREATE TABLE progress_milestones (
    update_id    bigint NOT NULL REFERENCES progress_updates (id) ON DELETE CASCADE,
    milestone_id bigint NOT NULL REFERENCES milestones (id) ON DELETE CASCADE,
    state        text   NOT NULL CHECK (state IN ('not_started', 'in_progress', 'at_risk', 'completed')),
    completed_on date,
    PRIMARY KEY (update_id, milestone_id),
    CHECK ((state = 'completed') = (completed_on IS NOT NULL))
);
CREATE INDEX progress_milestones_milestone ON progress_milestones (milestone_id);

-- The evidence an update cites: links, or items of the process's repository
-- (an item cited by a published update cannot be deleted).
CREATE TABLE progress_evidence (
    update_id bigint NOT NULL REFERENCES progress_updates (id) ON DELETE CASCADE,
    position  int    NOT NULL,
    url       text   CHECK (char_length(url) <= 2000 AND url ~ '^https?://'),
    item_id   bigint REFERENCES repository_items (id),
    PRIMARY KEY (update_id, position),
    CHECK ((url IS NULL) <> (item_id IS NULL))
);

-- Signatures and dissenting notes of forum members on a joint update: the
-- same shape as a response's. Editing the draft clears them.
CREATE TABLE progress_signatures (
    update_id    bigint      NOT NULL REFERENCES progress_updates (id) ON DELETE CASCADE,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         text        NOT NULL CHECK (kind IN ('sign', 'dissent')),
    seat         text        NOT NULL CHECK (seat IN ('government', 'civil_society', 'other')),
    organisation text        NOT NULL DEFAULT '',
    member_ref   text        NOT NULL,
    note         text        CHECK (char_length(note) BETWEEN 1 AND 5000),
    signed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (update_id, user_id),
    CHECK ((kind = 'dissent') = (note IS NOT NULL))
);

-- A published update, its milestone states, evidence and signatures never
-- change: corrections are new updates.
CREATE FUNCTION refuse_published_update_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    u bigint;
BEGIN
    IF TG_TABLE_NAME = 'progress_updates' THEN
        RAISE EXCEPTION 'progress update % is published and cannot change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    u := CASE WHEN TG_OP = 'INSERT' THEN NEW.update_id ELSE OLD.update_id END;
    IF EXISTS (SELECT 1 FROM progress_updates WHERE id = u AND state = 'published') THEN
        RAISE EXCEPTION 'progress update % is published; its % cannot change', u, TG_TABLE_NAME USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER progress_updates_immutable BEFORE UPDATE OR DELETE ON progress_updates
    FOR EACH ROW WHEN (OLD.state = 'published') EXECUTE FUNCTION refuse_published_update_change();
CREATE TRIGGER progress_milestones_immutable BEFORE INSERT OR UPDATE OR DELETE ON progress_milestones
    FOR EACH ROW EXECUTE FUNCTION refuse_published_update_change();
CREATE TRIGGER progress_evidence_immutable BEFORE INSERT OR UPDATE OR DELETE ON progress_evidence
    FOR EACH ROW EXECUTE FUNCTION refuse_published_update_change();
CREATE TRIGGER progress_signatures_immutable BEFORE INSERT OR UPDATE OR DELETE ON progress_signatures
    FOR EACH ROW EXECUTE FUNCTION refuse_published_update_change();

-- A comment targets a paragraph of a draft, an idea, or a published progress update.
ALTER TABLE comments ADD COLUMN progress_update_id bigint REFERENCES progress_updates (id) ON DELETE CASCADE;
ALTER TABLE comments DROP CONSTRAINT comments_target;
ALTER TABLE comments ADD CONSTRAINT comments_target CHECK (
    (idea_id IS NULL AND progress_update_id IS NULL AND document_id IS NOT NULL AND version_id IS NOT NULL
        AND paragraph_key IS NOT NULL AND anchor_version_id IS NOT NULL AND (anchor_status = 'orphaned') = (anchor_key IS NULL))
    OR (idea_id IS NOT NULL AND progress_update_id IS NULL AND document_id IS NULL AND version_id IS NULL AND paragraph_key IS NULL
        AND anchor_version_id IS NULL AND anchor_key IS NULL AND quote_exact IS NULL)
    OR (progress_update_id IS NOT NULL AND idea_id IS NULL AND document_id IS NULL AND version_id IS NULL AND paragraph_key IS NULL
        AND anchor_version_id IS NULL AND anchor_key IS NULL AND quote_exact IS NULL));
CREATE INDEX comments_progress_update ON comments (progress_update_id, root_id, id) WHERE progress_update_id IS NOT NULL;

-- Comments on progress updates are contributions the forum can answer, like
-- the others: the view gains their process.
CREATE OR REPLACE VIEW contributions AS
SELECT 'comment'::text AS kind, c.id, coalesce(d.process_id, i.process_id, u.process_id) AS process_id, c.author_id, c.created_at,
       left(c.body, 280) AS excerpt, c.document_id, c.anchor_key AS paragraph_key, c.idea_id, NULL::bigint AS theme_id
  FROM comments c
  LEFT JOIN documents d ON d.id = c.document_id
  LEFT JOIN ideas i ON i.id = c.idea_id
  LEFT JOIN progress_updates u ON u.id = c.progress_update_id
 WHERE c.status = 'published' AND c.deleted_at IS NULL
UNION ALL
SELECT 'idea', i.id, i.process_id, i.author_id, i.created_at, i.title, i.document_id, i.paragraph_key, NULL, i.theme_id
  FROM ideas i
 WHERE i.moderation = 'published' AND i.status NOT IN ('withdrawn', 'merged');

-- Questions on a commitment, answered by the lead institution or the forum.
-- The answer clock counts working days from the day after asked_at; it may be
-- paused once, from paused_on until resumes_on (excluded), with a public reason.
CREATE TABLE commitment_questions (
    id            bigserial   PRIMARY KEY,
    commitment_id bigint      NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    process_id    bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    author_id     bigint      NOT NULL REFERENCES users (id),
    body          text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    body_html     text        NOT NULL,
    asked_at      timestamptz NOT NULL,
    paused_on     date,
    resumes_on    date,
    pause_reason  text        CHECK (char_length(pause_reason) BETWEEN 1 AND 1000),
    answer        text        CHECK (char_length(answer) BETWEEN 1 AND 10000),
    answer_html   text,
    answered_as   text        CHECK (answered_as IN ('lead_institution', 'forum')),
    answered_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    answered_at   timestamptz,
    hidden_at     timestamptz,
    hidden_reason text        CHECK (char_length(hidden_reason) BETWEEN 1 AND 1000),
    CHECK ((paused_on IS NULL) = (resumes_on IS NULL) AND (paused_on IS NULL) = (pause_reason IS NULL)),
    CHECK (resumes_on > paused_on),
    CHECK ((answer IS NULL) = (answered_at IS NULL) AND (answer IS NULL) = (answer_html IS NULL)
           AND (answer IS NULL) = (answered_as IS NULL)),
    CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL))
);
CREATE INDEX commitment_questions_commitment ON commitment_questions (commitment_id, id);
CREATE INDEX commitment_questions_open ON commitment_questions (process_id, asked_at)
    WHERE answered_at IS NULL AND hidden_at IS NULL;

-- E-mails sent once per due event (an update reminder for a due date, an
-- overdue question): the row is written with the message, in one transaction.
CREATE TABLE implementation_notices (
    kind       text        NOT NULL CHECK (kind IN ('update_reminder', 'question_overdue')),
    subject_id bigint      NOT NULL,
    due_on     date        NOT NULL,
    sent_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, subject_id, due_on)
);

-- The ledger records entries of several kinds: a response's entry has no
-- "kind" field (it predates kinds), a progress update's says "progress_update".
ALTER TABLE ledger_entries ADD COLUMN kind text GENERATED ALWAYS AS (coalesce(CAST(fields AS jsonb) ->> 'kind', 'response')) STORED;
CREATE INDEX ledger_entries_kind ON ledger_entries (process_id, kind, seq);
