-- Close-out reports made in the background (issue 19): a report over a large
-- process takes seconds, so an owner may ask for its preview or its
-- publication as a job, which a worker of any instance claims (FOR UPDATE
-- SKIP LOCKED), runs with a heartbeat, and reports progress on. A job whose
-- heartbeat is older than two minutes lost its worker and is claimed again;
-- after three attempts it fails with its error.

CREATE TABLE report_jobs (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    process_id     bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    action         text        NOT NULL CHECK (action IN ('preview', 'publish')),
    -- The report's input, checked when the job was asked for.
    phase          text        CHECK (phase IN ('agenda_setting', 'idea_collection', 'drafting',
                                                'public_comment', 'response', 'implementation')),
    representative text[]      NOT NULL DEFAULT '{}',
    requested_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    state          text        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    step           int         NOT NULL DEFAULT 0 CHECK (step >= 0),
    total          int         NOT NULL DEFAULT 0 CHECK (total >= 0 AND step <= total),
    attempts       int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- The result: the number of the report published, or the preview's JSON.
    report_number  int,
    preview        jsonb,
    error_code     text,
    error          text,
    heartbeat_at   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    CHECK ((state IN ('done', 'failed')) = (finished_at IS NOT NULL)),
    CHECK (state <> 'done' OR (action = 'publish') = (report_number IS NOT NULL)),
    CHECK (state <> 'done' OR (action = 'preview') = (preview IS NOT NULL))
);

-- One publication at a time per process: a second request while one waits or
-- runs finds it (the unique index decides, not a check then an insert).
CREATE UNIQUE INDEX report_jobs_one_publish ON report_jobs (process_id)
    WHERE action = 'publish' AND state IN ('queued', 'running');
-- The worker's claim: waiting jobs, and running ones whose heartbeat is old.
CREATE INDEX report_jobs_open ON report_jobs (id) WHERE state IN ('queued', 'running');
