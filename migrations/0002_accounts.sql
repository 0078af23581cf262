-- Accounts, sessions (refresh tokens), single-use e-mail tokens and the e-mail outbox.

CREATE TABLE users (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email             text,                 -- NULL once the account is deleted
    display_name      text,                 -- NULL once the account is deleted
    password_hash     text,                 -- NULL once the account is deleted
    pseudonym         text        NOT NULL, -- shown instead of the name after deletion
    is_admin          boolean     NOT NULL DEFAULT false,
    email_verified_at timestamptz,
    suspended_at      timestamptz,
    deleted_at        timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_pseudonym_key UNIQUE (pseudonym),
    CONSTRAINT users_email_length CHECK (length(email) <= 254),
    CONSTRAINT users_display_name_length CHECK (length(btrim(display_name)) BETWEEN 1 AND 80),
    CONSTRAINT users_deleted_erased CHECK (deleted_at IS NULL OR (email IS NULL AND display_name IS NULL AND password_hash IS NULL))
);
-- One account per address, compared without case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;

-- Refresh tokens are stored as SHA-256 hashes. Each login starts a family; every
-- use rotates the token within it, and presenting a used token revokes the family.
CREATE TABLE refresh_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family     text        NOT NULL,
    token_hash bytea       NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT refresh_tokens_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

-- Single-use tokens sent by e-mail (address verification, password reset), hashed.
CREATE TABLE email_tokens (
    token_hash bytea       PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_tokens_user ON email_tokens (user_id);

-- Messages to send, written in the same transaction as the change that causes
-- them and delivered by a worker; the body is erased once sent.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint      REFERENCES users (id) ON DELETE CASCADE,
    kind            text        NOT NULL,
    recipient       text        NOT NULL,
    subject         text        NOT NULL,
    body            text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    last_error      text,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE sent_at IS NULL;
