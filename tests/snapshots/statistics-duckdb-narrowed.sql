-- engagers
WITH 
        matched AS (
            SELECT DISTINCT t.scope_id, c.item_id
            FROM jauge_scope_terms t
            JOIN jauge_scopes sc ON sc.scope_id = t.scope_id
            JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
            WHERE LOWER(c.text) LIKE t.pattern
        ),
        own_items AS (
            SELECT sc.scope_id, c.item_id, c.platform, c.created_at
            FROM jauge_scopes sc
            JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
            LEFT JOIN matched m ON m.scope_id = sc.scope_id AND m.item_id = c.item_id
            WHERE c.is_own AND c.created_at >= sc.start_at AND c.created_at < sc.end_at
              AND (sc.account_id IS NULL OR c.account_id = sc.account_id)
              AND (NOT sc.has_terms OR m.item_id IS NOT NULL)
        ),
        touches AS (
            SELECT sc.scope_id, sc.start_at, sc.end_at, sc.previous_at,
                   i.actor_person_id AS person_id, i.occurred_at
            FROM jauge_scopes sc
            JOIN interactions i ON i.workspace = sc.workspace AND i.org_id = sc.org_id
            LEFT JOIN own_items o ON o.scope_id = sc.scope_id AND o.item_id = i.target_item_id
            LEFT JOIN matched m ON m.scope_id = sc.scope_id AND m.item_id = i.item_id
            WHERE i.actor_person_id IS NOT NULL AND i.kind IN ('reply', 'comment', 'mention', 'repost', 'quote', 'reaction')
              AND ((sc.account_id IS NULL AND NOT sc.has_terms)
                   OR o.item_id IS NOT NULL OR m.item_id IS NOT NULL)
        ),
        -- one group per person and scope, over every touch (millions): the scope's own
        -- dates are joined back afterwards, as extra aggregates would make the groups
        -- too wide to stay in memory
        per_person AS (
            SELECT scope_id, person_id,
                   MIN(occurred_at) AS first_ever,
                   MIN(CASE WHEN occurred_at >= previous_at AND occurred_at < start_at
                            THEN occurred_at END) AS first_in_previous,
                   -- when they last engaged within the window (NULL if they did not)
                   MAX(CASE WHEN occurred_at >= start_at AND occurred_at < end_at
                            THEN occurred_at END) AS last_in_window
            FROM touches GROUP BY scope_id, person_id
        )

        SELECT p.scope_id, p.person_id,
               -- 1 for anyone `jauge integrity` never assessed
               COALESCE(w.weight, 1.0) AS authenticity,
               CASE WHEN p.first_in_previous IS NOT NULL AND EPOCH(p.last_in_window) - EPOCH(p.first_in_previous) >= 86400.0 THEN 1 ELSE 0 END AS in_previous,
               CASE WHEN p.first_ever >= sc.start_at THEN 1 ELSE 0 END AS first_ever,
               CASE WHEN p.first_ever >= sc.start_at AND p.first_ever < sc.middle_at
                    THEN 1 ELSE 0 END AS first_in_first_half,
               -- engaged again, within the window, after their first touch ever
               CASE WHEN EPOCH(p.last_in_window) - EPOCH(p.first_ever) >= 86400.0 THEN 1 ELSE 0 END AS returned
        FROM per_person p
        JOIN jauge_scopes sc ON sc.scope_id = p.scope_id
        LEFT JOIN (SELECT person_id, CASE WHEN weight > 0.5 THEN weight ELSE 0.0 END AS weight FROM authenticity WHERE weight < 1 AND workspace IN (SELECT workspace FROM jauge_scopes)) w ON w.person_id = p.person_id
        WHERE p.last_in_window IS NOT NULL
        ORDER BY p.scope_id, p.person_id

-- items
WITH 
        matched AS (
            SELECT DISTINCT t.scope_id, c.item_id
            FROM jauge_scope_terms t
            JOIN jauge_scopes sc ON sc.scope_id = t.scope_id
            JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
            WHERE LOWER(c.text) LIKE t.pattern
        ),
        own_items AS (
            SELECT sc.scope_id, c.item_id, c.platform, c.created_at
            FROM jauge_scopes sc
            JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
            LEFT JOIN matched m ON m.scope_id = sc.scope_id AND m.item_id = c.item_id
            WHERE c.is_own AND c.created_at >= sc.start_at AND c.created_at < sc.end_at
              AND (sc.account_id IS NULL OR c.account_id = sc.account_id)
              AND (NOT sc.has_terms OR m.item_id IS NOT NULL)
        ),

        latest AS (
            SELECT o.scope_id, o.item_id,
                   ARG_MAX(s.comments, s.observed_at) FILTER (WHERE s.comments IS NOT NULL) AS comments,
                   ARG_MAX(s.shares, s.observed_at) FILTER (WHERE s.shares IS NOT NULL) AS shares,
                   ARG_MAX(s.reactions, s.observed_at) FILTER (WHERE s.reactions IS NOT NULL) AS reactions,
                   ARG_MAX(s.saves, s.observed_at) FILTER (WHERE s.saves IS NOT NULL) AS saves,
                   ARG_MAX(s.clicks, s.observed_at) FILTER (WHERE s.clicks IS NOT NULL) AS clicks,
                   ARG_MAX(s.reach, s.observed_at) FILTER (WHERE s.reach IS NOT NULL) AS reach,
                   ARG_MAX(s.followers, s.observed_at) FILTER (WHERE s.followers IS NOT NULL) AS followers
            FROM own_items o
            JOIN metric_snapshots s ON s.subject_id = o.item_id AND s.subject_type = 'item'
            GROUP BY o.scope_id, o.item_id
        ),
        answers AS (
            -- each stored reply and repost counts by its author's authenticity weight;
            -- NULL where none is stored. Weights are summed as exact decimals: a sum of
            -- floating-point numbers depends on the order the engine adds them in, which
            -- would move the figures' last bits, and so the fingerprint, from run to run
            SELECT scope_id, item_id,
                   CAST(SUM(CASE WHEN kind IN ('reply', 'comment') THEN w END) AS DOUBLE)
                       AS replies,
                   CAST(SUM(CASE WHEN kind IN ('reply', 'comment') THEN 1 - w END) AS DOUBLE)
                       AS unreal_replies,
                   CAST(SUM(CASE WHEN kind IN ('repost', 'quote') THEN w END) AS DOUBLE)
                       AS reposts,
                   CAST(SUM(CASE WHEN kind IN ('repost', 'quote') THEN 1 - w END) AS DOUBLE)
                       AS unreal_reposts
            FROM (
                SELECT o.scope_id, o.item_id, i.kind,
                       CAST(COALESCE(a.weight, 1.0) AS DECIMAL(18, 9)) AS w
                FROM own_items o
                JOIN interactions i ON i.target_item_id = o.item_id
                LEFT JOIN (SELECT person_id, CASE WHEN weight > 0.5 THEN weight ELSE 0.0 END AS weight FROM authenticity WHERE weight < 1 AND workspace IN (SELECT workspace FROM jauge_scopes)) a ON a.person_id = i.actor_person_id
            ) x
            GROUP BY scope_id, item_id
        )
        -- the platform's counts include the stored replies and reposts: what their authors'
        -- weights take away is taken from those counts too. A count is NULL (unknown,
        -- never zero) where the source reports none and stores none of what it counts.
        SELECT o.scope_id, o.item_id, o.platform,
               CASE WHEN l.comments IS NOT NULL OR a.replies IS NOT NULL
                    THEN GREATEST(COALESCE(l.comments, 0) - COALESCE(a.unreal_replies, 0),
                                  COALESCE(a.replies, 0)) END AS comments,
               CASE WHEN l.shares IS NOT NULL OR a.reposts IS NOT NULL
                    THEN GREATEST(COALESCE(l.shares, 0) - COALESCE(a.unreal_reposts, 0),
                                  COALESCE(a.reposts, 0)) END AS shares,
               l.reactions AS reactions,
               CASE WHEN l.saves IS NULL AND l.clicks IS NULL THEN NULL
                    ELSE COALESCE(l.saves, 0) + COALESCE(l.clicks, 0) END AS saves_clicks,
               l.reach, l.followers
        FROM own_items o
        LEFT JOIN latest l ON l.scope_id = o.scope_id AND l.item_id = o.item_id
        LEFT JOIN answers a ON a.scope_id = o.scope_id AND a.item_id = o.item_id
        ORDER BY o.scope_id, o.item_id

-- opinions
WITH 
        matched AS (
            SELECT DISTINCT t.scope_id, c.item_id
            FROM jauge_scope_terms t
            JOIN jauge_scopes sc ON sc.scope_id = t.scope_id
            JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
            WHERE LOWER(c.text) LIKE t.pattern
        ),
        own_items AS (
            SELECT sc.scope_id, c.item_id, c.platform, c.created_at
            FROM jauge_scopes sc
            JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
            LEFT JOIN matched m ON m.scope_id = sc.scope_id AND m.item_id = c.item_id
            WHERE c.is_own AND c.created_at >= sc.start_at AND c.created_at < sc.end_at
              AND (sc.account_id IS NULL OR c.account_id = sc.account_id)
              AND (NOT sc.has_terms OR m.item_id IS NOT NULL)
        ),
        about AS (
        SELECT sc.scope_id, c.item_id, c.platform, c.created_at, c.kind
        FROM jauge_scopes sc
        JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
        LEFT JOIN matched m ON m.scope_id = sc.scope_id AND m.item_id = c.item_id LEFT JOIN own_items o ON o.scope_id = sc.scope_id AND o.item_id = c.reply_to_id
        LEFT JOIN (SELECT person_id, CASE WHEN weight > 0.5 THEN weight ELSE 0.0 END AS weight FROM authenticity WHERE weight < 1 AND workspace IN (SELECT workspace FROM jauge_scopes)) w ON w.person_id = c.author_person_id
        WHERE NOT c.is_own AND c.created_at >= sc.start_at AND c.created_at < sc.end_at
          AND COALESCE(w.weight, 1.0) > 0.5
          AND (NOT sc.has_terms OR m.item_id IS NOT NULL)
          AND (sc.account_id IS NULL OR c.account_id = sc.account_id OR o.item_id IS NOT NULL)
    ),
        labelled AS (
            SELECT b.scope_id, b.item_id, a.value,
                   -- a human label, when the data has one, wins over a model's
                   ROW_NUMBER() OVER (PARTITION BY b.scope_id, b.item_id
                                      ORDER BY CASE WHEN a.key = 'sentiment.human' THEN 0
                                                    ELSE 1 END, a.source) AS preference
            FROM about b JOIN annotations a ON a.item_id = b.item_id
            WHERE a.key IN ('sentiment', 'sentiment.human')
        )
        SELECT scope_id, item_id,
               CASE WHEN value = 'positive' THEN 1 ELSE 0 END AS positive,
               CASE WHEN value = 'neutral' THEN 1 ELSE 0 END AS neutral,
               CASE WHEN value = 'negative' THEN 1 ELSE 0 END AS negative
        FROM labelled WHERE preference = 1
        ORDER BY scope_id, item_id

-- sessions
WITH hosted AS (SELECT *, REGEXP_EXTRACT(REGEXP_REPLACE(REGEXP_REPLACE(LOWER(TRIM(source)), '^[a-z][a-z0-9+.-]*://', ''), '^(www[0-9]?|m|l|lm|mobile|out|old|web)[.]', ''), '^[^/?#]*') AS source_host FROM web_traffic WHERE org_id IN (SELECT org_id FROM jauge_scopes)),
        sp AS (SELECT t.*, CASE WHEN t.platform IN ('facebook', 'instagram', 'x', 'linkedin', 'youtube', 'mastodon', 'bluesky', 'reddit') THEN t.platform WHEN t.source_host IN ('facebook.com', 'fb.com', 'fb.me', 'facebook', 'fb', 'messenger.com', 'com.facebook.katana', 'com.facebook.lite', 'com.facebook.orca', 'com.facebook.mlite') OR ends_with(t.source_host, '.facebook.com') OR ends_with(t.source_host, '.fb.com') OR ends_with(t.source_host, '.fb.me') OR ends_with(t.source_host, '.messenger.com') THEN 'facebook' WHEN t.source_host IN ('instagram.com', 'instagram', 'ig', 'com.instagram.android', 'com.instagram.lite') OR ends_with(t.source_host, '.instagram.com') THEN 'instagram' WHEN t.source_host IN ('t.co', 'twitter.com', 'x.com', 'twitter', 'x', 'tweetdeck.com', 'com.twitter.android') OR ends_with(t.source_host, '.t.co') OR ends_with(t.source_host, '.twitter.com') OR ends_with(t.source_host, '.x.com') OR ends_with(t.source_host, '.tweetdeck.com') THEN 'x' WHEN t.source_host IN ('linkedin.com', 'lnkd.in', 'linkedin', 'com.linkedin.android', 'com.linkedin.android.lite') OR ends_with(t.source_host, '.linkedin.com') OR ends_with(t.source_host, '.lnkd.in') THEN 'linkedin' WHEN t.source_host IN ('youtube.com', 'youtu.be', 'youtube', 'yt', 'com.google.android.youtube') OR ends_with(t.source_host, '.youtube.com') OR ends_with(t.source_host, '.youtu.be') THEN 'youtube' WHEN t.source_host IN ('mastodon.social', 'mastodon', 'mstdn.social', 'joinmastodon.org', 'org.joinmastodon.android') OR ends_with(t.source_host, '.mastodon.social') OR ends_with(t.source_host, '.mstdn.social') OR ends_with(t.source_host, '.joinmastodon.org') THEN 'mastodon' WHEN t.source_host IN ('bsky.app', 'bluesky', 'bsky', 'xyz.blueskyweb.app') OR ends_with(t.source_host, '.bsky.app') THEN 'bluesky' WHEN t.source_host IN ('reddit.com', 'redd.it', 'reddit', 'com.reddit.frontpage') OR ends_with(t.source_host, '.reddit.com') OR ends_with(t.source_host, '.redd.it') THEN 'reddit' WHEN t.source_host LIKE '%mastodon%' OR t.source_host LIKE '%mstdn%' OR t.source_host LIKE '%toot%' THEN 'mastodon' WHEN LOWER(TRIM(t.medium)) IN ('social', 'social-network', 'social-media', 'sm', 'social network', 'social media', 'organic-social', 'organic_social', 'paid-social', 'paid_social', 'paidsocial', 'social-paid', 'social_paid') OR LOWER(TRIM(t.channel)) IN ('organic social', 'paid social', 'social', 'réseaux sociaux') THEN 'other' END AS social_platform FROM hosted t)
        SELECT sc.scope_id, sp.social_platform AS platform,
               CASE WHEN sp.social_platform IS NOT NULL THEN 1 ELSE 0 END AS social,
               CAST(sp.sessions AS DOUBLE) AS sessions,
               CAST(sp.conversions AS DOUBLE) AS conversions,
               CAST(sp.revenue AS DOUBLE) AS revenue
        FROM jauge_scopes sc
        JOIN sp ON sp.workspace = sc.workspace AND sp.org_id = sc.org_id
        WHERE sp.day >= CAST(sc.start_at AS DATE) AND sp.day < CAST(sc.end_at AS DATE)
          AND (sc.account_platform IS NULL OR sp.social_platform = sc.account_platform)
              AND (sc.campaign_name IS NULL
                   OR LOWER(TRIM(sp.campaign)) IN (sc.campaign_name, sc.campaign_utm))
        ORDER BY sc.scope_id, sp.row_id

-- threads
WITH 
        matched AS (
            SELECT DISTINCT t.scope_id, c.item_id
            FROM jauge_scope_terms t
            JOIN jauge_scopes sc ON sc.scope_id = t.scope_id
            JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
            WHERE LOWER(c.text) LIKE t.pattern
        ),
        own_items AS (
            SELECT sc.scope_id, c.item_id, c.platform, c.created_at
            FROM jauge_scopes sc
            JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
            LEFT JOIN matched m ON m.scope_id = sc.scope_id AND m.item_id = c.item_id
            WHERE c.is_own AND c.created_at >= sc.start_at AND c.created_at < sc.end_at
              AND (sc.account_id IS NULL OR c.account_id = sc.account_id)
              AND (NOT sc.has_terms OR m.item_id IS NOT NULL)
        ),
        inbound AS (SELECT * FROM (
        SELECT sc.scope_id, c.item_id, c.platform, c.created_at, c.kind
        FROM jauge_scopes sc
        JOIN content_items c ON c.workspace = sc.workspace AND c.org_id = sc.org_id
        LEFT JOIN matched m ON m.scope_id = sc.scope_id AND m.item_id = c.item_id LEFT JOIN own_items o ON o.scope_id = sc.scope_id AND o.item_id = c.reply_to_id
        LEFT JOIN (SELECT person_id, CASE WHEN weight > 0.5 THEN weight ELSE 0.0 END AS weight FROM authenticity WHERE weight < 1 AND workspace IN (SELECT workspace FROM jauge_scopes)) w ON w.person_id = c.author_person_id
        WHERE NOT c.is_own AND c.created_at >= sc.start_at AND c.created_at < sc.end_at
          AND COALESCE(w.weight, 1.0) > 0.5
          AND (NOT sc.has_terms OR m.item_id IS NOT NULL)
          AND (sc.account_id IS NULL OR c.account_id = sc.account_id OR o.item_id IS NOT NULL)
    ) x WHERE kind IN ('mention', 'reply', 'comment')),
        first_answer AS (
            SELECT b.scope_id, b.item_id, MIN(c.created_at) AS answered_at
            FROM inbound b
            JOIN jauge_scopes sc ON sc.scope_id = b.scope_id
            JOIN content_items c ON c.reply_to_id = b.item_id
            WHERE c.is_own AND c.workspace = sc.workspace AND c.org_id = sc.org_id
            GROUP BY b.scope_id, b.item_id
        )
        SELECT b.scope_id, b.item_id, b.platform,
               CASE WHEN f.answered_at IS NOT NULL THEN 1 ELSE 0 END AS answered,
               CASE WHEN f.answered_at IS NOT NULL
                     AND EPOCH(f.answered_at) - EPOCH(b.created_at) <= 86400.0
                    THEN 1 ELSE 0 END AS answered_in_sla,
               CASE WHEN f.answered_at IS NOT NULL
                    THEN (EPOCH(f.answered_at) - EPOCH(b.created_at)) / 3600.0 END
                   AS hours_to_first
        FROM inbound b
        LEFT JOIN first_answer f ON f.scope_id = b.scope_id AND f.item_id = b.item_id
        ORDER BY b.scope_id, b.item_id
