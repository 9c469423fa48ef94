-- Integrity (docs/integrity.md): the profile facts that tell a bought or automated account
-- from a person, where a source gives them, and each person's authenticity weight.
ALTER TABLE persons ADD COLUMN following BIGINT;      -- accounts they follow
ALTER TABLE persons ADD COLUMN posts BIGINT;          -- what they have published, all time
ALTER TABLE persons ADD COLUMN has_avatar BOOLEAN;    -- a picture of their own, not the default
ALTER TABLE persons ADD COLUMN has_bio BOOLEAN;       -- a description of themselves
ALTER TABLE persons ADD COLUMN declared_bot BOOLEAN;  -- the account says it is automated

-- One row per assessed person, replaced by each `jauge integrity` run on the workspace.
-- The index weighs each engager by `weight` (1 when a person was never assessed).
CREATE TABLE authenticity (
    workspace      VARCHAR NOT NULL,
    person_id      VARCHAR NOT NULL,
    weight         DOUBLE NOT NULL,      -- 1 - p_inauthentic; 0 in a lockstep group
    p_inauthentic  DOUBLE NOT NULL,      -- from the profile signals
    signals        VARCHAR[] NOT NULL,   -- the signals that fired, by name
    group_id       VARCHAR,              -- the lockstep group they belong to, if any
    method         VARCHAR NOT NULL,     -- jauge-integrity/<version>
    assessed_at    TIMESTAMP NOT NULL
);

-- Each assessment of a workspace, even one that weighed nobody down: the index warns when
-- data was imported after the latest.
CREATE TABLE integrity_runs (
    workspace    VARCHAR NOT NULL,
    method       VARCHAR NOT NULL,
    assessed_at  TIMESTAMP NOT NULL,
    persons      BIGINT NOT NULL,      -- persons in the workspace
    flagged      BIGINT NOT NULL,      -- weight at most 0.5
    groups       BIGINT NOT NULL       -- lockstep groups
);
