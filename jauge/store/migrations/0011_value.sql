-- Value (docs/value.md): web sessions with their UTM tags, what they converted and earned,
-- and what campaigns cost. Both tables keep what the export says (source, medium, channel);
-- which sessions count as social is decided when they are read (jauge.value.channels), so a
-- better rule never needs a re-import.

-- One row per (day, source, medium, campaign, content, landing page, channel, platform) of an
-- organisation's site, or per session where the export names sessions. An export's rows
-- with the same key are summed (a session-level export becomes counts); a newer export of
-- the same key replaces its values.
CREATE TABLE web_traffic (
    row_id            VARCHAR NOT NULL,   -- md5 of the key (ids.py)
    workspace         VARCHAR NOT NULL,
    org_id            VARCHAR NOT NULL,
    day               DATE NOT NULL,      -- a month-only export lands on the month's first day
    source            VARCHAR,            -- utm_source or referrer: facebook.com, t.co, newsletter
    medium            VARCHAR,            -- utm_medium: social, cpc, email, referral, organic
    campaign          VARCHAR,            -- utm_campaign
    content           VARCHAR,            -- utm_content
    landing_page      VARCHAR,
    channel           VARCHAR,            -- the analytics tool's channel group, as exported
    platform          VARCHAR,            -- the social platform, where the export or --platform says
    session_id        VARCHAR,            -- never stored: a session's row_id is its digest
    sessions          BIGINT NOT NULL,
    engaged_sessions  BIGINT,
    conversions       BIGINT,
    revenue           DECIMAL(18, 2),
    currency          VARCHAR,
    import_id         VARCHAR NOT NULL
);

-- What was spent: one row per ad or campaign and period of an export, summed like traffic.
-- A row without dates (an export of totals) counts toward its campaign whatever the period.
CREATE TABLE costs (
    row_id       VARCHAR NOT NULL,
    workspace    VARCHAR NOT NULL,
    org_id       VARCHAR NOT NULL,
    platform     VARCHAR,
    campaign     VARCHAR,             -- matched to campaigns by name or UTM campaign
    ad           VARCHAR,             -- the ad, ad set or line, where the export names it
    starts_on    DATE,
    ends_on      DATE,
    spend        DECIMAL(18, 2) NOT NULL,
    currency     VARCHAR,
    impressions  BIGINT,
    clicks       BIGINT,
    conversions  BIGINT,              -- as the ad platform counts them
    revenue      DECIMAL(18, 2),      -- conversion value as the ad platform reports it
    extra        JSON,                -- the export's other columns
    import_id    VARCHAR NOT NULL
);
