-- An interaction carried by an item (a reply, a comment, a mention, a quote...) is read
-- from the item itself instead of being stored a second time: `interactions` becomes a
-- view over those items and over `standalone_interactions`, the interactions no item
-- carries (a reaction or a repost that a platform lists on its own). Writing each
-- mention once makes imports faster, and an interaction can no longer disagree with its
-- item (a newer export that turns a mention into the organisation's own post).
ALTER TABLE interactions RENAME TO standalone_interactions;
DELETE FROM standalone_interactions WHERE item_id IS NOT NULL;

CREATE VIEW interactions AS
SELECT item_id AS interaction_id, workspace, platform, kind,
       author_person_id AS actor_person_id, org_id,
       coalesce(reply_to_id, quote_of_id, repost_of_id) AS target_item_id,
       item_id, created_at AS occurred_at, first_import_id AS import_id
FROM content_items
WHERE NOT is_own AND author_person_id IS NOT NULL
  AND kind IN ('reply', 'comment', 'mention', 'repost', 'quote', 'reaction')
UNION ALL
SELECT interaction_id, workspace, platform, kind, actor_person_id, org_id,
       target_item_id, item_id, occurred_at, import_id
FROM standalone_interactions;
