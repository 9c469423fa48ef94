"""``web-analytics-csv``: sessions from a web analytics export, with their UTM tags, what
they converted and what they earned (docs/sources.md, docs/value.md).

It reads Google Analytics 4, Matomo and Plausible exports as they come (their column
names are recognised, in English), jauge's own columns (``date``, ``source``,
``medium``, ``campaign``, ``content``, ``landing_page``, ``channel``, ``platform``,
``session_id``, ``sessions``, ``engaged_sessions``, ``conversions``, ``converted``,
``revenue``, ``currency``, ``org``), or one row per session (no ``sessions`` column:
each row is one). A file that gives months only (``month``) takes ``--year``.
"""

from __future__ import annotations

from ..errors import ConfigError
from ..i18n import N_, _
from ..store.value_merge import TrafficStaging
from .base import ImportOptions, TabularSource
from .convert import (
    Field,
    amount,
    col,
    count,
    expr,
    flag,
    literal,
    month_start,
    pick,
    text,
    with_currency,
)
from .convert import timestamp as timestamp_field
from .posts import platform_field

#: staged column -> the names exports give it, first found wins (compared lower-cased)
COLUMNS: dict[str, tuple[str, ...]] = {
    "source": ("source", "utm_source", "session source", "session_source", "referrer",
               "source de la session", "référent"),
    "medium": ("medium", "utm_medium", "session medium", "session_medium",
               "support de la session", "support"),
    "campaign": ("campaign", "utm_campaign", "session campaign", "session_campaign",
                 "campaign name", "campagne de la session", "campagne"),
    "content": ("content", "utm_content", "session manual ad content"),
    "landing_page": ("landing_page", "landing page", "landing page + query string",
                     "entry page", "page", "page de destination",
                     "page de destination + chaîne de requête"),
    "channel": ("channel", "session default channel group", "default channel group",
                "channel_group", "channel type",
                "groupe de canaux par défaut de la session", "canal"),
    "session_id": ("session_id", "session id", "visit_id", "idvisit"),
    "currency": ("currency", "currency code"),
}  # fmt: skip
COUNTS: dict[str, tuple[str, ...]] = {
    "sessions": ("sessions", "visits", "nb_visits", "visites"),
    "engaged_sessions": ("engaged_sessions", "engaged sessions", "sessions avec engagement"),
    "conversions": ("conversions", "key events", "transactions", "purchases", "goals",
                    "nb_conversions", "événements clés", "achats", "objectifs"),
}  # fmt: skip
#: what Google Analytics writes where a session has no campaign
NO_CAMPAIGN = "'(not set)', '(none)', '(direct)', '(organic)', '(referral)', '(not provided)'"
REVENUE = ("revenue", "total revenue", "purchase revenue", "nb_revenue", "revenu total",
           "revenus liés aux achats", "chiffre d'affaires")  # fmt: skip
DAY = ("date", "day", "jour")
MONTH = ("month", "mois")
SOURCE_MEDIUM = ("session source / medium", "source / medium", "source/medium",
                 "source / support de la session", "source/support de la session",
                 "source / support")  # fmt: skip


class WebAnalyticsCsvSource(TabularSource):
    name = "web-analytics-csv"
    reads = N_(
        "web analytics sessions with UTM tags, conversions and revenue (Google Analytics, "
        "Matomo, Plausible exports, or one row per session)"
    )
    example = "jauge import traffic.csv --source web-analytics-csv --org 'Acme'"
    stages = TrafficStaging
    required = ((*DAY, *MONTH),)
    # a date is in most files: sessions, or where they came from, say it is web analytics
    recognised_by = (
        (*DAY, *MONTH),
        (*COUNTS["sessions"], *SOURCE_MEDIUM, "utm_source", "session source", "session_id"),
    )

    def fields(self, columns: set[str], options: ImportOptions) -> list[Field]:
        fields = [org_field(columns, options), _day(columns, options)]
        fields.append(platform_field(columns, options, required=False))
        for target, names in COLUMNS.items():
            if target not in ("campaign", "currency") and (found := pick(columns, *names)):
                fields.append(text(target, found))
        if found := pick(columns, *COLUMNS["campaign"]):
            # analytics tools name the absence of a campaign: it is no campaign
            raw = col(found)
            none = f"lower(trim({raw})) IN ({NO_CAMPAIGN})"
            fields.append(expr("campaign", f"CASE WHEN {none} THEN NULL ELSE {raw} END"))
        if (both := pick(columns, *SOURCE_MEDIUM)) is not None:
            # GA's "facebook.com / referral": the two halves, unless given apart; the
            # medium after the last slash, as a source may hold some of its own
            # ("android-app://com.linkedin.android / referral")
            given = {f.target for f in fields}
            raw = col(both)
            halves = {
                "source": f"regexp_replace({raw}, '/[^/]*$', '')",
                "medium": f"regexp_extract({raw}, '/([^/]*)$', 1)",
            }
            for target, half in halves.items():
                if target not in given:
                    fields.append(expr(target, f"nullif(trim({half}), '')"))
        for target, names in COUNTS.items():
            if found := pick(columns, *names):
                fields.append(count(target, found, grouped=True))
        if not pick(columns, *COUNTS["sessions"]):
            fields.append(expr("sessions", "1"))
        converted = pick(columns, "converted")
        if converted and not pick(columns, *COUNTS["conversions"]):
            # one row per session: a yes counts one conversion
            flagged = flag("converted", converted)
            fields.append(
                Field(
                    "conversions",
                    f"CAST({flagged.sql} AS BIGINT)",
                    converted,
                    flagged.invalid,
                    flagged.message,
                )
            )
        if found := pick(columns, *REVENUE):
            # a file delimited by ";" is a French (or other European) spreadsheet's
            commas = options.delimiter == ";"
            fields.append(amount("revenue", found, signed=True, decimal_comma=commas))
        return with_currency(fields, ("revenue",), pick(columns, *COLUMNS["currency"]))


def org_field(columns: set[str], options: ImportOptions) -> Field:
    """Whose site it is: ``--org``, else an ``org`` column."""
    if options.org:
        return literal("org", options.org)
    if (found := pick(columns, "org")) is None:
        raise ConfigError(
            _("web analytics belong to an organisation: pass --org NAME (the site's owner)")
        )
    return text("org", found, required=True)


def _day(columns: set[str], options: ImportOptions) -> Field:
    """The session's day: a date column (ISO or GA's ``20240301``), else a month and
    ``--year``."""
    if (found := pick(columns, *DAY)) is not None:
        return timestamp_field("day", found, formats=("%Y%m%d",), required=True)
    month = pick(columns, *MONTH)
    if month is None:  # _check_columns reports it
        return expr("day", "NULL")
    if options.year is None:
        raise ConfigError(
            _(
                "this file gives months, not dates: pass --year YEAR (each month's sessions "
                "are counted on its first day)"
            )
        )
    return month_start("day", month, options.year)
