-- Edits under moderation. An author's edit of a published comment or idea
-- that the screen or the process's mode holds waits beside the published
-- text (pending_*) until a moderator decides it: approve puts it in place of
-- the published text, reject discards it. Its queue item is listed under a
-- new cause, edit.

ALTER TABLE comments
    ADD COLUMN pending_body             text CHECK (char_length(pending_body) <= 10000),
    ADD COLUMN pending_body_html        text,
    ADD COLUMN pending_fingerprint      bigint,
    ADD CONSTRAINT comments_pending_whole CHECK ((pending_body IS NULL) = (pending_body_html IS NULL));

ALTER TABLE ideas
    ADD COLUMN pending_title            text CHECK (char_length(pending_title) <= 150),
    ADD COLUMN pending_body             text CHECK (char_length(pending_body) <= 10000),
    ADD COLUMN pending_body_html        text,
    ADD COLUMN pending_fingerprint      bigint,
    ADD CONSTRAINT ideas_pending_whole CHECK ((pending_title IS NULL) = (pending_body IS NULL)
        AND (pending_body IS NULL) = (pending_body_html IS NULL));

ALTER TABLE moderation_items DROP CONSTRAINT moderation_items_cause_check,
    ADD CONSTRAINT moderation_items_cause_check CHECK (cause IN ('mode', 'new_account', 'screen', 'flags', 'edit'));
ALTER TABLE moderation_decisions DROP CONSTRAINT moderation_decisions_cause_check,
    ADD CONSTRAINT moderation_decisions_cause_check
        CHECK (cause IN ('mode', 'new_account', 'screen', 'flags', 'appeal', 'escalated', 'edit'));
