-- Listening: each organisation's dictionary of names, and the mentions found with it.

CREATE TABLE org_terms (
    org_id      VARCHAR NOT NULL,
    workspace   VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,   -- name | alias | handle | hashtag | product | exclude
    term        VARCHAR NOT NULL,   -- as given
    normalised  VARCHAR NOT NULL    -- lower-cased, accents removed
);

CREATE TABLE mentions (
    item_id    VARCHAR NOT NULL,
    workspace  VARCHAR NOT NULL,
    org_id     VARCHAR NOT NULL,
    term       VARCHAR NOT NULL,    -- the dictionary term that matched (normalised)
    source     VARCHAR NOT NULL     -- the matcher version that found it
);

-- Which enrichment step ran on which item, with which version: makes `jauge enrich`
-- incremental and resumable (each batch is committed with its log rows).
CREATE TABLE enrichment_log (
    item_id    VARCHAR NOT NULL,
    workspace  VARCHAR NOT NULL,
    step       VARCHAR NOT NULL,    -- language | sentiment | mentions
    version    VARCHAR NOT NULL,
    done_at    TIMESTAMP NOT NULL
);
