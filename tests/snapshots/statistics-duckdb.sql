-- engagers
WITH touches AS (
        SELECT i.actor_person_id AS person_id, i.occurred_at, i.kind, i.target_item_id
        FROM interactions i
        WHERE i.workspace = 'default' AND i.org_id = '00000000000000000000000000000000' AND i.actor_person_id IS NOT NULL
          AND i.kind IN ('reply', 'comment', 'mention', 'repost', 'quote', 'reaction') 
    ),
        per_person AS (
            SELECT person_id,
                   MIN(occurred_at) AS first_ever,
                   MAX(CASE WHEN occurred_at >= CAST('2014-07-01 00:00:00' AS TIMESTAMP) AND occurred_at < CAST('2014-10-01 00:00:00' AS TIMESTAMP)
                            THEN 1 ELSE 0 END) AS in_previous,
                   MAX(CASE WHEN occurred_at >= CAST('2014-10-01 00:00:00' AS TIMESTAMP) AND occurred_at < CAST('2015-01-01 00:00:00' AS TIMESTAMP)
                            THEN 1 ELSE 0 END) AS in_window
            FROM touches GROUP BY person_id
        ),
        later_days AS (
            SELECT t.person_id, COUNT(DISTINCT CAST(t.occurred_at AS DATE)) AS days
            FROM touches t JOIN per_person p ON p.person_id = t.person_id
            WHERE t.occurred_at >= CAST('2014-10-01 00:00:00' AS TIMESTAMP) AND t.occurred_at < CAST('2015-01-01 00:00:00' AS TIMESTAMP)
              AND CAST(t.occurred_at AS DATE) > CAST(p.first_ever AS DATE)
            GROUP BY t.person_id
        )
        SELECT p.person_id, 1.0 AS authenticity, p.in_previous,
               CASE WHEN p.first_ever >= CAST('2014-10-01 00:00:00' AS TIMESTAMP) THEN 1 ELSE 0 END AS first_ever,
               CASE WHEN p.first_ever >= CAST('2014-10-01 00:00:00' AS TIMESTAMP) AND p.first_ever < CAST('2014-11-16 00:00:00' AS TIMESTAMP)
                    THEN 1 ELSE 0 END AS first_in_first_half,
               CASE WHEN COALESCE(d.days, 0) > 0 THEN 1 ELSE 0 END AS returned
        FROM per_person p LEFT JOIN later_days d ON d.person_id = p.person_id
        WHERE p.in_window = 1
        ORDER BY p.person_id

-- items
WITH scoped AS (
        SELECT c.item_id, c.platform, c.created_at
        FROM content_items c
        WHERE c.workspace = 'default' AND c.org_id = '00000000000000000000000000000000' AND c.is_own
          AND c.created_at >= CAST('2014-10-01 00:00:00' AS TIMESTAMP) AND c.created_at < CAST('2015-01-01 00:00:00' AS TIMESTAMP)  
    ),
        ranked AS (
            SELECT s.subject_id, s.comments, s.shares, s.reactions, s.saves, s.clicks,
                   s.reach, s.followers,
                   ROW_NUMBER() OVER (PARTITION BY s.subject_id ORDER BY s.observed_at DESC)
                       AS recency
            FROM metric_snapshots s
            WHERE s.workspace = 'default' AND s.subject_type = 'item'
              AND s.subject_id IN (SELECT item_id FROM scoped)
        ),
        latest AS (SELECT * FROM ranked WHERE recency = 1),
        answers AS (
            SELECT i.target_item_id AS item_id,
                   SUM(CASE WHEN i.kind IN ('reply', 'comment') THEN 1 ELSE 0 END) AS replies,
                   SUM(CASE WHEN i.kind IN ('repost', 'quote') THEN 1 ELSE 0 END) AS reposts
            FROM interactions i
            WHERE i.workspace = 'default' AND i.target_item_id IN (SELECT item_id FROM scoped)
            GROUP BY i.target_item_id
        )
        SELECT o.item_id, o.platform,
               GREATEST(COALESCE(l.comments, 0), COALESCE(a.replies, 0)) AS comments,
               GREATEST(COALESCE(l.shares, 0), COALESCE(a.reposts, 0)) AS shares,
               COALESCE(l.reactions, 0) AS reactions,
               CASE WHEN l.saves IS NULL AND l.clicks IS NULL THEN NULL
                    ELSE COALESCE(l.saves, 0) + COALESCE(l.clicks, 0) END AS saves_clicks,
               l.reach, l.followers
        FROM scoped o
        LEFT JOIN latest l ON l.subject_id = o.item_id
        LEFT JOIN answers a ON a.item_id = o.item_id
        ORDER BY o.item_id

-- opinions
WITH about AS (
            SELECT c.item_id
            FROM content_items c
            WHERE c.workspace = 'default' AND c.org_id = '00000000000000000000000000000000' AND NOT c.is_own
              AND c.created_at >= CAST('2014-10-01 00:00:00' AS TIMESTAMP) AND c.created_at < CAST('2015-01-01 00:00:00' AS TIMESTAMP)
               
        ),
        labelled AS (
            SELECT a.item_id, a.value,
                   ROW_NUMBER() OVER (PARTITION BY a.item_id ORDER BY a.key) AS preference
            FROM annotations a
            WHERE a.workspace = 'default' AND a.key IN ('sentiment', 'sentiment.human')
              AND a.item_id IN (SELECT item_id FROM about)
        )
        SELECT item_id,
               CASE WHEN value = 'positive' THEN 1 ELSE 0 END AS positive,
               CASE WHEN value = 'neutral' THEN 1 ELSE 0 END AS neutral,
               CASE WHEN value = 'negative' THEN 1 ELSE 0 END AS negative
        FROM labelled WHERE preference = 1
        ORDER BY item_id

-- threads
WITH inbound AS (
            SELECT c.item_id, c.platform, c.created_at
            FROM content_items c
            WHERE c.workspace = 'default' AND c.org_id = '00000000000000000000000000000000' AND NOT c.is_own
              AND c.kind IN ('mention', 'reply', 'comment')
              AND c.created_at >= CAST('2014-10-01 00:00:00' AS TIMESTAMP) AND c.created_at < CAST('2015-01-01 00:00:00' AS TIMESTAMP)
               
        ),
        first_answer AS (
            SELECT c.reply_to_id AS item_id, MIN(c.created_at) AS answered_at
            FROM content_items c
            WHERE c.workspace = 'default' AND c.org_id = '00000000000000000000000000000000' AND c.is_own
              AND c.reply_to_id IN (SELECT item_id FROM inbound)
            GROUP BY c.reply_to_id
        )
        SELECT b.item_id, b.platform,
               CASE WHEN f.answered_at IS NOT NULL THEN 1 ELSE 0 END AS answered,
               CASE WHEN f.answered_at IS NOT NULL
                     AND EPOCH(f.answered_at) - EPOCH(b.created_at) <= 86400.0
                    THEN 1 ELSE 0 END AS answered_in_sla,
               CASE WHEN f.answered_at IS NOT NULL
                    THEN (EPOCH(f.answered_at) - EPOCH(b.created_at)) / 3600.0 END
                   AS hours_to_first
        FROM inbound b LEFT JOIN first_answer f ON f.item_id = b.item_id
        ORDER BY b.item_id
