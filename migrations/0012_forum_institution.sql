-- The forum as an institution: decision rules beyond single and joint
-- (majority of each seat group, a qualified majority, consensus after a
-- deadline, an equal veto), the rule each response is decided under,
-- recusals, the forum's terms of reference, the record of its members (how
-- they were selected, their terms; past members stay listed), declarations of
-- interests, and meetings with their agenda, registration and waiting list,
-- written input held by moderation like comments, and immutable minutes with
-- attendance.

-- The decision rules. A qualified majority is qualified_num/qualified_den of
-- the members (more than half); under consensus, members may dissent for
-- consensus_hours after a draft's last edit.
ALTER TABLE forum_settings DROP CONSTRAINT forum_settings_signing_rule_check;
ALTER TABLE forum_settings
    ADD CONSTRAINT forum_settings_signing_rule_check
        CHECK (signing_rule IN ('single', 'joint', 'majority_each', 'qualified', 'consensus', 'equal_veto')),
    ADD COLUMN qualified_num   int NOT NULL DEFAULT 2,
    ADD COLUMN qualified_den   int NOT NULL DEFAULT 3,
    ADD COLUMN consensus_hours int NOT NULL DEFAULT 72 CHECK (consensus_hours BETWEEN 1 AND 720),
    ADD CONSTRAINT forum_settings_qualified CHECK (qualified_den BETWEEN 2 AND 100 AND qualified_num <= qualified_den
                                                  AND 2 * qualified_num > qualified_den);

-- The rule a response is decided under: the forum's when it was drafted (a
-- change of rule applies to responses drafted after it), with its parameters.
-- decide_by is a consensus draft's deadline, rule_hours after its last edit.
ALTER TABLE responses
    ADD COLUMN rule       text,
    ADD COLUMN rule_num   int,
    ADD COLUMN rule_den   int,
    ADD COLUMN rule_hours int,
    ADD COLUMN decide_by  timestamptz;
UPDATE responses r SET rule = coalesce((SELECT signing_rule FROM forum_settings s WHERE s.process_id = r.process_id), 'single');
ALTER TABLE responses
    ALTER COLUMN rule SET NOT NULL,
    ADD CONSTRAINT responses_rule CHECK (rule IN ('single', 'joint', 'majority_each', 'qualified', 'consensus', 'equal_veto')),
    ADD CONSTRAINT responses_rule_fraction CHECK ((rule = 'qualified') = (rule_num IS NOT NULL AND rule_den IS NOT NULL)),
    ADD CONSTRAINT responses_rule_deadline CHECK ((rule = 'consensus') = (rule_hours IS NOT NULL AND decide_by IS NOT NULL));
CREATE INDEX responses_consensus_due ON responses (decide_by) WHERE state = 'draft' AND rule = 'consensus';

-- A member may recuse themselves from a response (with an optional reason):
-- shown, and left out of the rule's count.
ALTER TABLE response_signatures DROP CONSTRAINT response_signatures_kind_check;
ALTER TABLE response_signatures DROP CONSTRAINT response_signatures_check;
ALTER TABLE response_signatures
    ADD CONSTRAINT response_signatures_kind_check CHECK (kind IN ('sign', 'dissent', 'recuse')),
    ADD CONSTRAINT response_signatures_note CHECK (CASE kind WHEN 'sign' THEN note IS NULL
                                                             WHEN 'dissent' THEN note IS NOT NULL
                                                             ELSE true END);

-- The forum's terms of reference, written by the process's owners: its
-- remit, quorum, how members are selected and rotated, their terms of office,
-- and how many times a quarter it meets.
CREATE TABLE forum_terms (
    process_id           bigint      PRIMARY KEY REFERENCES processes (id) ON DELETE CASCADE,
    remit                text        NOT NULL DEFAULT '' CHECK (char_length(remit) <= 20000),
    remit_html           text        NOT NULL DEFAULT '',
    quorum               text        NOT NULL DEFAULT '' CHECK (char_length(quorum) <= 5000),
    quorum_html          text        NOT NULL DEFAULT '',
    selection            text        NOT NULL DEFAULT '' CHECK (char_length(selection) <= 20000),
    selection_html       text        NOT NULL DEFAULT '',
    member_terms         text        NOT NULL DEFAULT '' CHECK (char_length(member_terms) <= 5000),
    member_terms_html    text        NOT NULL DEFAULT '',
    meetings_per_quarter int         NOT NULL DEFAULT 1 CHECK (meetings_per_quarter BETWEEN 0 AND 13),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    updated_by           bigint      REFERENCES users (id) ON DELETE SET NULL
);

-- Every membership of the forum, current and past: its seat and
-- organisation, how the member was selected and their term, as the owners
-- record them. The rows follow process_roles (the trigger below): naming a
-- forum member opens one, removing them closes it, moving them to another
-- seat closes one and opens another.
CREATE TABLE forum_memberships (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    process_id   bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    user_id      bigint      NOT NULL REFERENCES users (id),
    seat         text        NOT NULL CHECK (seat IN ('government', 'civil_society', 'other')),
    organisation text        NOT NULL DEFAULT '' CHECK (char_length(organisation) <= 200),
    selection    text        CHECK (selection IN ('appointed', 'elected', 'open_call')),
    term_start   date,
    term_end     date,
    joined_at    timestamptz NOT NULL,
    left_at      timestamptz,
    CHECK (term_start IS NULL OR term_end IS NULL OR term_end >= term_start),
    CHECK (left_at IS NULL OR left_at >= joined_at)
);
CREATE UNIQUE INDEX forum_memberships_current ON forum_memberships (process_id, user_id) WHERE left_at IS NULL;
CREATE INDEX forum_memberships_process ON forum_memberships (process_id, joined_at);

INSERT INTO forum_memberships (process_id, user_id, seat, organisation, joined_at)
SELECT process_id, user_id, seat, coalesce(organisation, ''), granted_at FROM process_roles WHERE role = 'forum_member';

CREATE FUNCTION forum_membership_follow_role() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.role = 'forum_member'
       AND (TG_OP = 'DELETE' OR NEW.seat IS DISTINCT FROM OLD.seat) THEN
        UPDATE forum_memberships SET left_at = greatest(now(), joined_at)
         WHERE process_id = OLD.process_id AND user_id = OLD.user_id AND left_at IS NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.role = 'forum_member' THEN
        IF TG_OP = 'UPDATE' AND NEW.seat IS NOT DISTINCT FROM OLD.seat THEN
            UPDATE forum_memberships SET organisation = coalesce(NEW.organisation, '')
             WHERE process_id = NEW.process_id AND user_id = NEW.user_id AND left_at IS NULL;
        ELSE
            INSERT INTO forum_memberships (process_id, user_id, seat, organisation, joined_at)
            VALUES (NEW.process_id, NEW.user_id, NEW.seat, coalesce(NEW.organisation, ''), now())
            ON CONFLICT (process_id, user_id) WHERE left_at IS NULL DO NOTHING;
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER process_roles_forum_membership AFTER INSERT OR UPDATE OR DELETE ON process_roles
    FOR EACH ROW EXECUTE FUNCTION forum_membership_follow_role();

-- Declarations of interests: each filing is a new row (the latest is the
-- member's declaration; earlier ones stay listed). none: "I have none".
CREATE TABLE forum_declarations (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    membership_id bigint      NOT NULL REFERENCES forum_memberships (id) ON DELETE CASCADE,
    none          boolean     NOT NULL,
    body          text        NOT NULL DEFAULT '' CHECK (char_length(body) <= 5000),
    body_html     text        NOT NULL DEFAULT '',
    filed_at      timestamptz NOT NULL,
    CHECK (none = (body = ''))
);
CREATE INDEX forum_declarations_membership ON forum_declarations (membership_id, id DESC);

-- Meetings: of the forum, open meetings with civil society, working groups,
-- with the minister. Times are instants with the IANA zone they were given
-- in. A meeting is a draft (its owners only) until published_at.
CREATE TABLE meetings (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    process_id   bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    kind         text        NOT NULL CHECK (kind IN ('forum', 'open', 'working_group', 'minister')),
    title        text        NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 200),
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    time_zone    text        NOT NULL CHECK (char_length(time_zone) BETWEEN 1 AND 64),
    place        text        NOT NULL DEFAULT '' CHECK (char_length(place) <= 500),
    remote_url   text        CHECK (char_length(remote_url) <= 2000 AND remote_url ~ '^https://'),
    agenda       text        NOT NULL DEFAULT '' CHECK (char_length(agenda) <= 20000),
    agenda_html  text        NOT NULL DEFAULT '',
    -- Open meetings take registrations; NULL: no limit.
    capacity     int         CHECK (capacity BETWEEN 1 AND 100000),
    revision     int         NOT NULL DEFAULT 1,
    published_at timestamptz,
    created_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (place <> '' OR remote_url IS NOT NULL),
    CHECK (capacity IS NULL OR kind = 'open')
);
CREATE INDEX meetings_process ON meetings (process_id, starts_at, id);

-- Registrations for open meetings: confirmed up to the capacity, then a
-- waiting list in order of arrival (seq).
CREATE TABLE meeting_registrations (
    meeting_id    bigint      NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status        text        NOT NULL CHECK (status IN ('confirmed', 'waiting')),
    seq           bigint      GENERATED ALWAYS AS IDENTITY,
    registered_at timestamptz NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_registrations_order ON meeting_registrations (meeting_id, status, seq);

-- Written input to a meeting's agenda from anyone, before the meeting. It
-- passes the moderation screen like a comment and is held in the queue when
-- the screen or the process's mode says so.
CREATE TABLE meeting_inputs (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id  bigint      NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    author_id   bigint      NOT NULL REFERENCES users (id),
    body        text        NOT NULL CHECK (char_length(body) BETWEEN 1 AND 5000),
    body_html   text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('published', 'pending', 'hidden', 'rejected')),
    fingerprint bigint,
    created_at  timestamptz NOT NULL
);
CREATE INDEX meeting_inputs_meeting ON meeting_inputs (meeting_id, id);
CREATE INDEX meeting_inputs_author ON meeting_inputs (author_id, created_at);
CREATE INDEX meeting_inputs_fingerprint ON meeting_inputs (fingerprint, created_at) WHERE fingerprint IS NOT NULL;

ALTER TABLE moderation_items DROP CONSTRAINT moderation_items_check;
ALTER TABLE moderation_items
    ADD COLUMN meeting_input_id bigint UNIQUE REFERENCES meeting_inputs (id),
    ADD CONSTRAINT moderation_items_target CHECK (num_nonnulls(comment_id, idea_id, meeting_input_id) = 1);

-- Minutes: version 1 and its corrections, each published once and never
-- changed, with who of the forum was there and how many others. The text, or
-- a document of the process's repository, or both.
CREATE TABLE meeting_minutes (
    meeting_id         bigint      NOT NULL REFERENCES meetings (id),
    version            int         NOT NULL CHECK (version >= 1),
    body               text        NOT NULL DEFAULT '' CHECK (char_length(body) <= 100000),
    body_html          text        NOT NULL DEFAULT '',
    repository_item_id bigint      REFERENCES repository_items (id),
    others_present     int         NOT NULL CHECK (others_present BETWEEN 0 AND 1000000),
    correction_reason  text        CHECK (char_length(correction_reason) BETWEEN 1 AND 2000),
    published_at       timestamptz NOT NULL,
    published_by       bigint      REFERENCES users (id),
    PRIMARY KEY (meeting_id, version),
    CHECK ((version = 1) = (correction_reason IS NULL)),
    CHECK (body <> '' OR repository_item_id IS NOT NULL)
);
CREATE TABLE meeting_attendees (
    meeting_id    bigint NOT NULL,
    version       int    NOT NULL,
    membership_id bigint NOT NULL REFERENCES forum_memberships (id),
    PRIMARY KEY (meeting_id, version, membership_id),
    FOREIGN KEY (meeting_id, version) REFERENCES meeting_minutes (meeting_id, version)
);

CREATE FUNCTION refuse_minutes_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'published minutes are immutable: a correction is a new version' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER meeting_minutes_immutable BEFORE UPDATE OR DELETE ON meeting_minutes
    FOR EACH ROW EXECUTE FUNCTION refuse_minutes_change();
CREATE TRIGGER meeting_attendees_immutable BEFORE UPDATE OR DELETE ON meeting_attendees
    FOR EACH ROW EXECUTE FUNCTION refuse_minutes_change();
REVOKE UPDATE, DELETE, TRUNCATE ON meeting_minutes, meeting_attendees FROM cocreate_app;
