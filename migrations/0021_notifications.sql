-- Following and notifications (issue 21).
--
-- A change writes one notification_events row in its own transaction (the
-- outbox pattern of the e-mail outbox); a worker fans it out to its direct
-- recipients and to the followers of its subject, a batch per transaction,
-- keeping its place in the event row so a crash resumes where it stopped.
-- One notification per event and recipient, whatever runs twice.

-- What an account follows. A new kind of subject (commitment, thread) is one
-- more value in the check.
CREATE TABLE follows (
    account_id  bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    target_kind text        NOT NULL CHECK (target_kind IN ('process', 'document', 'idea')),
    target_id   bigint      NOT NULL CHECK (target_id > 0),
    -- auto: followed by commenting or proposing, not by pressing "Follow".
    auto        boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, target_kind, target_id)
);
-- Fan-out pages through a subject's followers in account order.
CREATE INDEX follows_target ON follows (target_kind, target_id, account_id);

-- Something that happened, to be told. recipients are told whether or not
-- they follow (the author of the comment replied to); audience_kind and
-- audience_id name the followed subject whose followers are told too. actor
-- is never told of their own action.
CREATE TABLE notification_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('comment_reply', 'response_published', 'version_published',
                                                       'update_published', 'phase_opened')),
    process_id    bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    target_kind   text        NOT NULL,
    target_id     bigint      NOT NULL,
    actor_id      bigint,
    recipients    bigint[]    NOT NULL DEFAULT '{}',
    audience_kind text        CHECK (audience_kind IN ('process', 'document', 'idea')),
    audience_id   bigint,
    -- Plain-text facts the message is built from (titles, numbers,
    -- disposition), never HTML.
    payload       jsonb       NOT NULL DEFAULT '{}',
    -- Says the same event is not written twice (a phase opening is found by
    -- a sweep that runs on every instance).
    dedup_key     text,
    -- The last recipient account id the fan-out has written; 0 before it starts.
    cursor        bigint      NOT NULL DEFAULT 0,
    fanned_out_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notification_events_dedup_key UNIQUE (dedup_key),
    CONSTRAINT notification_events_audience CHECK ((audience_kind IS NULL) = (audience_id IS NULL))
);
CREATE INDEX notification_events_pending ON notification_events (id) WHERE fanned_out_at IS NULL;

-- One message per event and recipient.
CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id   bigint      NOT NULL REFERENCES notification_events (id) ON DELETE CASCADE,
    account_id bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz,
    -- When it went by e-mail (at once or in a digest); NULL while it waits
    -- for a digest or when the account's choice for its kind is never.
    mailed_at  timestamptz,
    CONSTRAINT notifications_event_account_key UNIQUE (event_id, account_id)
);
CREATE INDEX notifications_account ON notifications (account_id, id DESC);
CREATE INDEX notifications_unread ON notifications (account_id) WHERE read_at IS NULL;

-- How an account wants each kind by e-mail; a missing row is the kind's
-- default (internal/notify: Defaults).
CREATE TABLE notification_prefs (
    account_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text   NOT NULL CHECK (kind IN ('comment_reply', 'response_published', 'version_published',
                                               'update_published', 'phase_opened')),
    frequency  text   NOT NULL CHECK (frequency IN ('immediately', 'daily', 'weekly', 'never')),
    PRIMARY KEY (account_id, kind)
);

-- E-mails that can be unsubscribed from carry their one-click link
-- (RFC 8058: List-Unsubscribe and List-Unsubscribe-Post).
ALTER TABLE outbox ADD COLUMN unsubscribe_url text;

-- The key of unsubscribe links: made once, the same on every instance, read-only
-- for the server (see 0017).
INSERT INTO instance_secrets (name, secret)
VALUES ('notification_unsubscribe', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
