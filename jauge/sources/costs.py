"""``costs-csv``: what campaigns cost, from an ad platform's export or a spreadsheet
(docs/sources.md, docs/value.md).

Columns (exports' own names are recognised, in English): ``spend`` (required),
``campaign``, ``ad``, ``platform``, ``date`` or ``starts`` and ``ends`` (a row without
dates counts toward its campaign whatever the period), ``currency``, ``impressions``,
``clicks``, ``conversions``, ``revenue`` (the conversion value the platform reports) and
``org``. Other columns are kept in ``extra``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..i18n import N_
from ..store.ids import sql_literal
from ..store.value_merge import CostStaging
from .base import ImportOptions, TabularSource
from .convert import (
    Field,
    amount,
    col,
    count,
    expr,
    extra_object,
    pick,
    shown_value,
    text,
    timestamp,
    with_currency,
)
from .posts import platform_field
from .tabular import TabularReader
from .web_analytics import org_field

SPEND = ("spend", "spent", "cost", "amount spent", "montant dépensé", "dépenses", "coût")
#: Meta Ads Manager names the spend column after its currency: "Amount spent (EUR)"
SPEND_IN_CURRENCY = re.compile(r"^(amount spent|montant dépensé) \(([a-z]{3})\)$", re.I)
COLUMNS: dict[str, tuple[str, ...]] = {
    "campaign": (
        "campaign",
        "campaign name",
        "campaign_name",
        "utm_campaign",
        "nom de la campagne",
        "campagne",
    ),
    "ad": (
        "ad",
        "ad_id",
        "ad id",
        "ad name",
        "ad_name",
        "ad set name",
        "nom de la publicité",
        "nom de l'ensemble de publicités",
    ),
    "currency": ("currency", "currency code", "devise"),
}
COUNTS: dict[str, tuple[str, ...]] = {
    "impressions": ("impressions",),
    "clicks": (
        "clicks",
        "link clicks",
        "clicks (all)",
        "clics sur un lien",
        "clics (tous)",
        "clics",
    ),
    "conversions": (
        "conversions",
        "results",
        "purchases",
        "total_conversion",
        "résultats",
        "achats",
    ),
}
REVENUE = ("revenue", "conversion value", "purchase conversion value",
           "purchases conversion value", "valeur de conversion des achats",
           "valeur de conversion")  # fmt: skip
DAY = ("date", "day", "jour")
STARTS: tuple[str, ...] = ("starts", "reporting starts", "start date", "start",
                           "début des rapports", "début")  # fmt: skip
ENDS: tuple[str, ...] = ("ends", "reporting ends", "end date", "end", "fin des rapports", "fin")


class CostsCsvSource(TabularSource):
    name = "costs-csv"
    reads = N_("what campaigns cost: ad platform exports or a spreadsheet of spend per campaign")
    example = "jauge import ads.csv --source costs-csv --org 'Acme' --platform facebook"
    stages = CostStaging
    required = (SPEND,)

    def recognises(self, columns: set[str]) -> bool:
        return super().recognises(columns) or _spend_in_currency(columns) is not None

    def _check_columns(
        self, path: str, columns: set[str], options: ImportOptions, reader: TabularReader
    ) -> None:
        if not _spend_in_currency(columns):
            super()._check_columns(path, columns, options, reader)

    def fields(self, columns: set[str], options: ImportOptions) -> list[Field]:
        fields = [org_field(columns, options), platform_field(columns, options, required=False)]
        in_currency = _spend_in_currency(columns)
        spend = pick(columns, *SPEND) or (in_currency[0] if in_currency else None)
        assert spend is not None  # _check_columns made sure
        # a file delimited by ";" is a French (or other European) spreadsheet's
        commas = options.delimiter == ";"
        fields.append(amount("spend", spend, required=True, decimal_comma=commas))
        if (day := pick(columns, *DAY)) is not None:
            date = timestamp("starts_on", day, formats=("%Y%m%d",))
            fields += [date, expr("ends_on", date.sql)]
        else:
            dated = {
                target: timestamp(target, found, formats=("%Y%m%d",))
                for target, names in {"starts_on": STARTS, "ends_on": ENDS}.items()
                if (found := pick(columns, *names)) is not None
            }
            if "starts_on" in dated and "ends_on" in dated:
                dated["ends_on"] = _not_before(dated["ends_on"], dated["starts_on"])
            fields += dated.values()
        known = set()
        for target, names in COLUMNS.items():
            if (found := pick(columns, *names)) is not None:
                known.add(found)
                if target != "currency":  # with_currency reads it below
                    fields.append(text(target, found))
        for target, names in COUNTS.items():
            if (found := pick(columns, *names)) is not None:
                fields.append(count(target, found, grouped=True))
                known.add(found)
        if (found := pick(columns, *REVENUE)) is not None:
            fields.append(amount("revenue", found, decimal_comma=commas))
            known.add(found)
        known |= {c for c in columns if c.lower() in {*SPEND, *DAY, *STARTS, *ENDS, "org"}}
        known.add(spend)
        others = sorted(c for c in columns - known if c not in ("row_no", "platform") and c.strip())
        fields.append(extra_object(columns, {c: (c,) for c in others}))
        # a currency column, else the one the spend column is named after, else the signs
        currency = pick(columns, *COLUMNS["currency"])
        default = in_currency[1] if in_currency and currency is None else None
        return with_currency(fields, ("spend", "revenue"), currency, default)


def _not_before(ends: Field, starts: Field) -> Field:
    """``ends``, also invalid where it comes before ``starts``: such a row would count
    over no day at all, its spend silently lost from every period."""
    assert ends.source and starts.source and ends.invalid and ends.message
    reversed_ = f"({ends.sql} < {starts.sql})"
    prefix, _, middle = N_(
        "expected a day on or after the period's start {start}, got {value}"
    ).partition("{start}")
    message = (
        f"{sql_literal(prefix)} || {shown_value(col(starts.source))} || "
        f"{sql_literal(middle.removesuffix('{value}'))} || {shown_value(col(ends.source))}"
    )
    return replace(
        ends,
        invalid=f"({ends.invalid}) OR coalesce({reversed_}, false)",
        message=f"CASE WHEN {reversed_} THEN {message} ELSE {ends.message} END",
        prepare=(*starts.prepare, *ends.prepare),
    )


def _spend_in_currency(columns: set[str]) -> tuple[str, str] | None:
    """(column, currency) of a spend column named after its currency, if any."""
    for column in sorted(columns):
        if found := SPEND_IN_CURRENCY.match(column.strip()):
            return column, found.group(2).upper()
    return None
