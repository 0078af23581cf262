-- Close-out reports (issue 19): "we asked, you said, we did", published and
-- frozen. A report's content is the JSON the owner previewed, stored byte for
-- byte with its SHA-256; a revised report is a new row that supersedes the
-- previous one of the same scope (the whole process, or one phase).

CREATE TABLE reports (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    process_id   bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    number       int         NOT NULL CHECK (number >= 1),   -- 1, 2, 3, ... per process
    phase        text        CHECK (phase IN ('agenda_setting', 'idea_collection', 'drafting',
                                              'public_comment', 'response', 'implementation')),
    content      text        NOT NULL,                        -- the report as JSON, as hashed
    content_hash text        NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    supersedes   bigint      REFERENCES reports (id),
    ledger_seq   bigint      NOT NULL,
    published_by bigint      REFERENCES users (id) ON DELETE SET NULL,
    published_at timestamptz NOT NULL,
    UNIQUE (process_id, number),
    UNIQUE (supersedes)
);
CREATE INDEX reports_process ON reports (process_id, number DESC);

-- A published report never changes: a revision is a new report.
CREATE FUNCTION refuse_report_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'report % is published and cannot change', OLD.id USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER reports_immutable BEFORE UPDATE OR DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION refuse_report_change();
REVOKE UPDATE, DELETE, TRUNCATE ON reports FROM cocreate_app;

-- Who was told of a process's reports, per scope ('' for the whole process,
-- else the phase): each contributor is e-mailed once, whatever the retries and
-- revisions.
CREATE TABLE report_recipients (
    process_id bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    scope      text        NOT NULL,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    report_id  bigint      NOT NULL REFERENCES reports (id),
    told_at    timestamptz NOT NULL,
    PRIMARY KEY (process_id, scope, user_id)
);
