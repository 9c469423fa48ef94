"""``costs-csv``: what campaigns cost, from an ad platform's export or a spreadsheet
(docs/sources.md, docs/value.md).

Columns (exports' own names are recognised, in English): ``spend`` (required),
``campaign``, ``ad``, ``platform``, ``date`` or ``starts`` and ``ends`` (a row without
dates counts toward its campaign whatever the period), ``currency``, ``impressions``,
``clicks``, ``conversions``, ``revenue`` (the conversion value the platform reports) and
``org``. Other columns are kept in ``extra``.
"""

from __future__ import annotations

from ..i18n import N_
from ..store.value_merge import CostStaging
from .base import ImportOptions, TabularSource
from .convert import Field, amount, count, expr, extra_object, pick, text, timestamp
from .posts import platform_field
from .web_analytics import _org

SPEND = ("spend", "spent", "cost", "amount spent", "amount spent (eur)", "amount spent (usd)",
         "amount spent (gbp)", "amount spent (cad)", "amount spent (chf)")  # fmt: skip
COLUMNS: dict[str, tuple[str, ...]] = {
    "campaign": ("campaign", "campaign name", "campaign_name", "utm_campaign"),
    "ad": ("ad", "ad_id", "ad id", "ad name", "ad_name", "ad set name"),
    "currency": ("currency", "currency code"),
}
COUNTS: dict[str, tuple[str, ...]] = {
    "impressions": ("impressions",),
    "clicks": ("clicks", "link clicks", "clicks (all)"),
    "conversions": ("conversions", "results", "purchases", "total_conversion"),
}
REVENUE = ("revenue", "conversion value", "purchase conversion value", "purchases conversion value")
DAY = ("date", "day")
STARTS: tuple[str, ...] = ("starts", "reporting starts", "start date", "start")
ENDS: tuple[str, ...] = ("ends", "reporting ends", "end date", "end")


class CostsCsvSource(TabularSource):
    name = "costs-csv"
    reads = N_("what campaigns cost: ad platform exports or a spreadsheet of spend per campaign")
    example = "jauge import ads.csv --source costs-csv --org 'Acme' --platform facebook"
    stages = CostStaging
    required = (SPEND,)

    def fields(self, columns: set[str], options: ImportOptions) -> list[Field]:
        fields = [_org(columns, options), platform_field(columns, options, required=False)]
        spend = pick(columns, *SPEND)
        assert spend is not None  # required
        fields.append(amount("spend", spend, required=True))
        if (day := pick(columns, *DAY)) is not None:
            date = timestamp("starts_on", day, formats=("%Y%m%d",))
            fields += [date, expr("ends_on", date.sql)]
        else:
            for target, names in {"starts_on": STARTS, "ends_on": ENDS}.items():
                if (found := pick(columns, *names)) is not None:
                    fields.append(timestamp(target, found, formats=("%Y%m%d",)))
        known = set()
        for target, names in COLUMNS.items():
            if (found := pick(columns, *names)) is not None:
                fields.append(text(target, found))
                known.add(found)
        for target, names in COUNTS.items():
            if (found := pick(columns, *names)) is not None:
                fields.append(count(target, found, grouped=True))
                known.add(found)
        if (found := pick(columns, *REVENUE)) is not None:
            fields.append(amount("revenue", found))
            known.add(found)
        known |= {c for c in columns if c.lower() in {*SPEND, *DAY, *STARTS, *ENDS, "org"}}
        others = sorted(c for c in columns - known if c not in ("row_no", "platform") and c.strip())
        fields.append(extra_object(columns, {c: (c,) for c in others}))
        return fields
