"""Which web sessions came from social media, and from which platform.

Exports say it in several ways: a referrer or ``utm_source`` (``facebook.com``,
``t.co``, ``lnkd.in``), a ``utm_medium`` (``social``, ``paid-social``), an analytics
tool's channel group (``Organic Social``), or the platform itself. The rules are read
when traffic is measured, not when it is imported, so improving them never needs a
re-import. The tables follow Google Analytics 4's default channel definitions.
"""

from __future__ import annotations

from ..model import PLATFORMS
from ..store.ids import sql_literal

#: platform -> sources (host names, their subdomains too, or utm_source words)
SOURCES: dict[str, tuple[str, ...]] = {
    "facebook": ("facebook.com", "fb.com", "fb.me", "facebook", "fb", "messenger.com"),
    "instagram": ("instagram.com", "instagram", "ig"),
    "x": ("t.co", "twitter.com", "x.com", "twitter", "x", "tweetdeck.com"),
    "linkedin": ("linkedin.com", "lnkd.in", "linkedin"),
    "youtube": ("youtube.com", "youtu.be", "youtube", "yt"),
    "mastodon": ("mastodon.social", "mastodon", "mstdn.social", "joinmastodon.org"),
    "bluesky": ("bsky.app", "bluesky", "bsky"),
    "reddit": ("reddit.com", "redd.it", "reddit"),
}
#: platform -> the ids of its Android apps, which referrers give as ``android-app://ID/``
APPS: dict[str, tuple[str, ...]] = {
    "facebook": ("com.facebook.katana", "com.facebook.lite", "com.facebook.orca",
                 "com.facebook.mlite"),
    "instagram": ("com.instagram.android", "com.instagram.lite"),
    "x": ("com.twitter.android",),
    "linkedin": ("com.linkedin.android", "com.linkedin.android.lite"),
    "youtube": ("com.google.android.youtube",),
    "mastodon": ("org.joinmastodon.android",),
    "bluesky": ("xyz.blueskyweb.app",),
    "reddit": ("com.reddit.frontpage",),
}  # fmt: skip
#: a host on a Mastodon instance rarely says so; these words in it do
MASTODON_HOST_WORDS = ("mastodon", "mstdn", "toot")
#: utm_medium values that mean social media (GA4: Organic and Paid Social)
SOCIAL_MEDIA = ("social", "social-network", "social-media", "sm", "social network",
                "social media", "organic-social", "organic_social", "paid-social",
                "paid_social", "paidsocial", "social-paid", "social_paid")  # fmt: skip
#: channel groups that mean social media
SOCIAL_CHANNELS = ("organic social", "paid social", "social", "réseaux sociaux")


def _list(values: tuple[str, ...]) -> str:
    return ", ".join(sql_literal(v) for v in values)


def host_sql(source: str, exact: bool = False) -> str:
    """SQL: a source reduced to its host (``https://m.facebook.com/x`` -> ``facebook.com``).
    ``exact``: as index versions up to 1.0.2 read it (a scheme of letters only)."""
    # any URI scheme, android-app:// included (RFC 3986: letters, digits, + - .)
    scheme = "^[a-z]+://" if exact else "^[a-z][a-z0-9+.-]*://"
    bare = f"REGEXP_REPLACE(LOWER(TRIM({source})), '{scheme}', '')"
    bare = f"REGEXP_REPLACE({bare}, '^(www[0-9]?|m|l|lm|mobile|out|old|web)[.]', '')"
    # regexp_extract, not split_part: DuckDB 2.0 fails to bind split_part compared in a CASE
    # over a column whose values are all NULL ("BindBuiltinScalarFunction did not return")
    return f"REGEXP_EXTRACT({bare}, '^[^/?#]*')"


def _subdomain(host: str, hosts: tuple[str, ...]) -> str:
    """SQL: ``host`` is a subdomain of one of ``hosts`` (``fr.linkedin.com``,
    ``business.facebook.com``); words without a dot (``ig``) are no domain."""
    domains = [h for h in hosts if "." in h]
    return " OR ".join(f"ends_with({host}, {sql_literal('.' + h)})" for h in domains) or "false"


def with_host(table: str = "web_traffic", where: str = "", exact: bool = False) -> str:
    """SQL of ``table``'s rows with ``source_host``, the host of their source, computed
    once per row for :func:`platform_sql` to compare."""
    return f"SELECT *, {host_sql('source', exact)} AS source_host FROM {table} {where}"


def platform_sql(alias: str = "t", exact: bool = False) -> str:
    """SQL: the social platform a row of :func:`with_host` (``alias``) came from, ``other``
    for a social source jauge does not know, NULL when the session was not social.
    ``exact``: only the hosts themselves, no subdomain nor app, as index versions up to
    1.0.2 count social sessions (their figures stay as published)."""
    host = f"{alias}.source_host"
    named = _list(tuple(p for p in PLATFORMS if p != "web"))
    cases = " ".join(
        f"WHEN {host} IN ({_list(hosts)}) THEN {sql_literal(p)}"
        if exact
        else f"WHEN {host} IN ({_list((*hosts, *APPS[p]))}) OR {_subdomain(host, hosts)} "
        f"THEN {sql_literal(p)}"
        for p, hosts in SOURCES.items()
    )
    words = " OR ".join(f"{host} LIKE '%{w}%'" for w in MASTODON_HOST_WORDS)
    return (
        f"CASE WHEN {alias}.platform IN ({named}) THEN {alias}.platform {cases} "
        f"WHEN {words} THEN 'mastodon' "
        f"WHEN LOWER(TRIM({alias}.medium)) IN ({_list(SOCIAL_MEDIA)}) "
        f"OR LOWER(TRIM({alias}.channel)) IN ({_list(SOCIAL_CHANNELS)}) THEN 'other' END"
    )
