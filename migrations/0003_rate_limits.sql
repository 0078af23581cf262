-- Rate-limit counters, shared by every API instance. One row per key and fixed
-- window; keys carry a hash of the address or account, never the value itself.
CREATE UNLOGGED TABLE rate_limit_hits (
    key          text        NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer     NOT NULL,
    PRIMARY KEY (key, window_start)
);
