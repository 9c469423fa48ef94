-- Live sources: configured connections and where each sync stopped.
-- Options hold no secrets: tokens come from environment variables named in the options.

CREATE TABLE connections (
    workspace   VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,   -- a registered source that can sync (e.g. rss)
    org         VARCHAR,
    options     JSON NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE sync_state (
    workspace       VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    cursor          JSON,            -- e.g. ETag and Last-Modified, a since-id, a page token
    last_sync_at    TIMESTAMP,
    last_status     VARCHAR,         -- written | not_modified | failed
    last_error      VARCHAR,
    items_seen      BIGINT NOT NULL DEFAULT 0
);
