-- Feedback on the process: when a phase closes, the people who took part in
-- it may answer a short survey once, for SurveyWindow (30 days) after the
-- close. An owner may replace the default questions until the first answer.
-- Answers keep the account only for the one-answer rule: the close sweep
-- clears it. Free text is kept apart from the answer (no link to it) and goes
-- through moderation before it is published.

CREATE TABLE surveys (
    process_id bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    phase      text        NOT NULL CHECK (phase IN ('agenda_setting', 'idea_collection', 'drafting',
                                                     'public_comment', 'response', 'implementation')),
    questions  jsonb       NOT NULL CHECK (jsonb_typeof(questions) = 'array'),
    edited_at  timestamptz, -- NULL while the questions are the defaults
    PRIMARY KEY (process_id, phase)
);

-- One row per answer: the values of the closed questions (question id →
-- value). user_id is the one-answer rule's link, NULL once the survey closed.
CREATE TABLE survey_answers (
    id         bigserial PRIMARY KEY,
    process_id bigint    NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    phase      text      NOT NULL,
    user_id    bigint    REFERENCES users (id) ON DELETE SET NULL,
    answers    jsonb     NOT NULL CHECK (jsonb_typeof(answers) = 'object')
);
CREATE UNIQUE INDEX survey_answers_once ON survey_answers (process_id, phase, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX survey_answers_phase ON survey_answers (process_id, phase);

-- Free-text answers, without their author or their answer; published once a
-- moderator approves them.
CREATE TABLE survey_texts (
    id          bigserial PRIMARY KEY,
    process_id  bigint    NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    phase       text      NOT NULL,
    question_id text      NOT NULL,
    body        text      NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
    body_html   text      NOT NULL,
    status      text      NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'hidden', 'rejected'))
);
CREATE INDEX survey_texts_phase ON survey_texts (process_id, phase, id);

-- The invitations of a phase's participants, sent once.
CREATE TABLE survey_invitations (
    process_id bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    phase      text        NOT NULL,
    sent_at    timestamptz NOT NULL,
    PRIMARY KEY (process_id, phase)
);

-- Survey free text is a fourth kind of moderation item. It has no author:
-- moderation never learns who wrote it.
ALTER TABLE moderation_items ADD COLUMN survey_text_id bigint UNIQUE REFERENCES survey_texts (id) ON DELETE CASCADE;
ALTER TABLE moderation_items DROP CONSTRAINT moderation_items_target,
    ADD CONSTRAINT moderation_items_target CHECK (num_nonnulls(comment_id, idea_id, meeting_input_id, survey_text_id) = 1);
ALTER TABLE moderation_items ALTER COLUMN author_id DROP NOT NULL,
    ADD CONSTRAINT moderation_items_author CHECK (author_id IS NOT NULL OR survey_text_id IS NOT NULL);
