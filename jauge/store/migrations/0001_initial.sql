-- The canonical model, version 1. See docs/data-model.md for each entity.
-- Ids are md5 hex digests of natural keys (see jauge/store/ids.py), so the same
-- input always yields the same ids, in any store. Large tables carry no index:
-- the merge in jauge/store/merge.py is their only writer and keeps keys unique.

CREATE TABLE workspaces (
    workspace   VARCHAR PRIMARY KEY,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE organisations (
    org_id      VARCHAR PRIMARY KEY,
    workspace   VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    relation    VARCHAR NOT NULL DEFAULT 'own',   -- own | competitor | other
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE accounts (
    account_id   VARCHAR PRIMARY KEY,
    workspace    VARCHAR NOT NULL,
    org_id       VARCHAR NOT NULL,
    platform     VARCHAR NOT NULL,
    handle       VARCHAR NOT NULL,
    native_id    VARCHAR,
    display_name VARCHAR,
    url          VARCHAR,
    created_at   TIMESTAMP NOT NULL
);

CREATE TABLE persons (
    person_id     VARCHAR NOT NULL,
    workspace     VARCHAR NOT NULL,
    platform      VARCHAR NOT NULL,
    native_id     VARCHAR NOT NULL,    -- the platform's user id, or '@handle' when unknown
    handle        VARCHAR,
    display_name  VARCHAR,
    location      VARCHAR,
    first_seen_at TIMESTAMP
);

CREATE TABLE content_items (
    item_id           VARCHAR NOT NULL,
    workspace         VARCHAR NOT NULL,
    platform          VARCHAR NOT NULL,
    native_id         VARCHAR NOT NULL,
    id_derived        BOOLEAN NOT NULL,   -- native_id was derived from account and row
    kind              VARCHAR NOT NULL,
    org_id            VARCHAR,
    account_id        VARCHAR,
    author_person_id  VARCHAR,
    is_own            BOOLEAN NOT NULL,
    text              VARCHAR,
    title             VARCHAR,
    url               VARCHAR,
    lang              VARCHAR,
    created_at        TIMESTAMP,
    reply_to_id       VARCHAR,
    quote_of_id       VARCHAR,
    repost_of_id      VARCHAR,
    extra             JSON,
    first_import_id   VARCHAR NOT NULL,
    last_import_id    VARCHAR NOT NULL
);

CREATE TABLE interactions (
    interaction_id   VARCHAR NOT NULL,
    workspace        VARCHAR NOT NULL,
    platform         VARCHAR NOT NULL,
    kind             VARCHAR NOT NULL,
    actor_person_id  VARCHAR,
    org_id           VARCHAR,
    target_item_id   VARCHAR,            -- the item engaged with, when known
    item_id          VARCHAR,            -- the item that carries the interaction (a reply...)
    occurred_at      TIMESTAMP,
    import_id        VARCHAR NOT NULL
);

CREATE TABLE metric_snapshots (
    subject_type   VARCHAR NOT NULL,     -- item | account
    subject_id     VARCHAR NOT NULL,
    workspace      VARCHAR NOT NULL,
    observed_at    TIMESTAMP NOT NULL,
    impressions    BIGINT,
    reach          BIGINT,
    engaged_users  BIGINT,
    reactions      BIGINT,
    comments       BIGINT,
    shares         BIGINT,
    saves          BIGINT,
    clicks         BIGINT,
    video_views    BIGINT,
    followers      BIGINT,
    extra          JSON,
    import_id      VARCHAR NOT NULL
);

CREATE TABLE annotations (
    item_id    VARCHAR NOT NULL,
    workspace  VARCHAR NOT NULL,
    key        VARCHAR NOT NULL,         -- e.g. sentiment.human
    value      VARCHAR,
    source     VARCHAR NOT NULL,         -- the importer or engine that wrote it
    import_id  VARCHAR NOT NULL
);

CREATE TABLE campaigns (
    campaign_id   VARCHAR PRIMARY KEY,
    workspace     VARCHAR NOT NULL,
    org_id        VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    starts_on     DATE NOT NULL,
    ends_on       DATE NOT NULL,
    hashtags      VARCHAR[],
    keywords      VARCHAR[],
    utm_campaign  VARCHAR,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE imports (
    import_id    VARCHAR PRIMARY KEY,
    workspace    VARCHAR NOT NULL,
    source       VARCHAR NOT NULL,
    path         VARCHAR NOT NULL,
    sha256       VARCHAR,
    org          VARCHAR,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP NOT NULL,
    rows_read    BIGINT NOT NULL,
    inserted     BIGINT NOT NULL,
    updated      BIGINT NOT NULL,
    unchanged    BIGINT NOT NULL,
    invalid      BIGINT NOT NULL
);
