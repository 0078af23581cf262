-- Per-process roles: process owners, moderators and forum members (with their
-- seat and organisation). Administrators are users.is_admin.
CREATE TABLE process_roles (
    process_id   bigint      NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         text        NOT NULL CHECK (role IN ('owner', 'moderator', 'forum_member')),
    seat         text        CHECK (seat IN ('government', 'civil_society', 'other')),
    organisation text        CHECK (length(organisation) <= 200),
    granted_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    granted_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (process_id, user_id, role),
    CONSTRAINT process_roles_seat CHECK ((role = 'forum_member') = (seat IS NOT NULL))
);
CREATE INDEX process_roles_user ON process_roles (user_id);
