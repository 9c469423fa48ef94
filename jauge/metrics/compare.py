"""Comparisons: the index for several periods, campaigns or organisations, side by side.

A difference between two rows is called significant only when the interval of the
difference (from the two sets of bootstrap replicates) excludes zero; otherwise
it is reported as no detectable change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pyarrow as pa

from .. import days
from ..campaigns import list_campaigns
from ..errors import ConfigError
from ..i18n import N_, _
from ..store.duckdb_store import Store
from .index import _interval, compute_many
from .panels_store import reference_panel
from .result import IndexResult, rounded
from .scope import NO_ITEMS, SHORT_WINDOW, ScopeRequest, too_short
from .spec import LATEST, IndexSpec, load_spec

#: why a row over a window cut short (a period clipped to --from/--to) has no score
NOT_SCORED = N_("{unit} is not scored: {reason}")
#: why an organisation measured by org has no score when its items all lie outside the
#: shared window, which the latest item of any of them sets: where they are, and what to do
OUTSIDE_WINDOW = N_(
    "{org} has no items from {start} to {end} (its items run from {first} to {last}): "
    "choose the window with --from/--to"
)


@dataclass
class CompareRow:
    unit: str
    result: IndexResult
    change: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        r = self.result
        return {
            "unit": self.unit,
            "org": r.scope["org"],
            "campaign": r.scope["campaign"],
            "from": r.scope["from"],
            "to": r.scope["to"],
            "score": rounded(r.score),
            "interval": [rounded(x) for x in r.interval] if r.interval else None,
            "pillars": {k: rounded(v.score) for k, v in r.pillars.items()},
            "change": self.change,
            "warnings": r.warnings,
            "fingerprint": r.fingerprint or None,
        }


@dataclass
class Comparison:
    by: str
    index_version: str
    rows: list[CompareRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "index_version": self.index_version,
            "rows": [r.to_dict() for r in self.rows],
        }

    def table(self) -> pa.Table:
        """One row per compared unit (see :mod:`jauge.metrics.notebook`)."""
        from .notebook import comparison_table

        return comparison_table(self)

    def __repr__(self) -> str:
        from .notebook import comparison_repr

        return comparison_repr(self)

    def _repr_html_(self) -> str:  # what Jupyter shows
        from .notebook import comparison_html

        return comparison_html(self)


def difference(a: IndexResult, b: IndexResult, level: float) -> dict[str, Any] | None:
    """b minus a, with its interval and whether the change is significant."""
    if a.score is None or b.score is None or a.replicates is None or b.replicates is None:
        return None
    deltas = b.replicates[1:] - a.replicates[1:]
    interval = _interval(deltas, level)
    significant = interval is not None and (interval[0] > 0 or interval[1] < 0)
    return {
        "delta": rounded(b.score - a.score),
        "interval": [rounded(x) for x in interval] if interval else None,
        "significant": bool(significant),
        "verdict": (
            (N_("significant rise") if b.score > a.score else N_("significant fall"))
            if significant
            else N_("no detectable change")
        ),
    }


MAX_PERIODS = 240


def unscored(
    spec: IndexSpec, panel_id: str, unit: str, request: ScopeRequest, reason: str | None = None
) -> IndexResult:
    """The row of ``unit`` over a window too short for the index (``request``'s days), or
    not scored for ``reason`` (English, kept as every warning is): its scope, no score, no
    fingerprint, and why in ``warnings``, as a campaign too short is listed; compared with
    nothing."""
    start, end = request.start, request.end
    if start is None or end is None:  # a programming error: only windows with days come here
        raise ValueError(f"{unit}: a window too short has a first and a last day")
    short = too_short(spec, start, end) or {}
    described = {
        "org": request.org,
        "account": request.account,
        "campaign": request.campaign,
        "from": start.isoformat(),
        "to": end.isoformat(),
    }
    why = NOT_SCORED.format(unit=unit, reason=reason or SHORT_WINDOW.format(**short))
    return IndexResult(spec.version, panel_id, described, None, None, {}, {}, {}, 0.0,
                       [why], {}, "")  # fmt: skip


def periods(first: date, last: date, every: str) -> list[tuple[date, date]]:
    """Calendar months or quarters covering [first, last], as inclusive date pairs."""
    step = {"month": 1, "quarter": 3}[every]
    start = date(first.year, ((first.month - 1) // step) * step + 1, 1)
    found = []
    while start <= last:
        month = start.month + step
        following = date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
        found.append((start, following - timedelta(days=1)))
        start = following
    return found


def period_label(start: date, every: str) -> str:
    """``2014-Q2`` for the quarter starting in April 2014, ``2014-04`` for the month."""
    if every == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start:%Y-%m}"


def compare(
    store: Store,
    workspace: str,
    by: str,
    orgs: list[str],
    *,
    every: str = "quarter",
    start: date | None = None,
    end: date | None = None,
    engine: str = "duckdb",
    version: str = LATEST,
    short_window: bool = False,
) -> Comparison:
    """One row per period, campaign or organisation, each with its change from the row above
    of the same organisation (for periods and campaigns) or from the first row (for
    organisations). ``start``..``end`` bound the periods (the first and last are cut to
    them), the organisations' window, or which campaigns are kept (those running on any
    of those days, each over its own period). A campaign, or a period cut, too short for
    the index is a row without score that says why; so is each organisation over a window
    too short, with ``short_window`` (a report over a short campaign's days), which is
    otherwise refused as `jauge score` refuses it. By org, an organisation without items
    is a row without score too (last, when ``orgs`` is empty: every organisation), saying
    that it has no index; by period, it is refused."""
    spec = load_spec(version)
    if start is not None and end is not None:
        days.check_order(start, end)
    if by not in ("period", "campaign", "org"):
        raise ConfigError(_("--by takes period, campaign or org, not {value}", value=repr(by)))
    if not orgs:  # every organisation with items; by org, those without come last, listed
        # without a score (they have no index: see NO_ITEMS)
        orgs = [
            r[0]
            for r in store.con.execute(
                "SELECT name, posting FROM (SELECT name, EXISTS (SELECT 1 FROM content_items c "
                "WHERE c.org_id = o.org_id) AS posting FROM organisations o WHERE workspace = ?) "
                "ORDER BY NOT posting, name",
                [workspace],
            ).fetchall()
            if r[1] or by == "org"
        ]
    if not orgs:
        raise ConfigError(_("there is no organisation to compare: import data first"))
    comparison = Comparison(by, spec.version)
    units: list[tuple[str, ScopeRequest]] = []
    panel = reference_panel(store, spec)

    def run(unit: str, request: ScopeRequest) -> None:
        units.append((unit, request))

    idle: set[str] = set()  # the units of organisations without items: no index
    #: organisations by org whose items all lie outside the window -> their first and last day
    elsewhere: dict[str, tuple[date, date]] = {}
    if by == "org":
        spans = _item_dates(store, workspace, orgs)
        lasts = [span[1] if span else None for span in spans]
        idle = {org for org, last in zip(orgs, lasts, strict=True) if last is None}
        known = [last for last in lasts if last is not None]
        if not known:  # no window to measure them over, and no index anyway
            raise ConfigError(
                _("{org} cannot be compared: {reason}", org=repr(orgs[0]), reason=_(NO_ITEMS))
                if len(orgs) == 1
                else _(
                    "none of {orgs} can be compared: none has items imported as its own or as "
                    "about it; the items that only name one (matched by its dictionary) count "
                    "in `jauge voice`, not in the index (see docs/index-spec.md)",
                    orgs=", ".join(map(repr, orgs)),
                )
            )
        window_end = end or max(known)
        window_start = start or days.first_day(window_end, spec.default_days)
        days.check_order(window_start, window_end, end_by_default=end is None)
        for org in orgs:
            run(org, ScopeRequest(org=org, start=window_start, end=window_end))
        elsewhere = _outside(store, workspace, orgs, spans, window_start, window_end)
    elif by == "campaign":
        defined = [(org, c) for org in orgs for c in list_campaigns(store, workspace, org)]
        for org, c in defined:
            # --from/--to pick the campaigns running on any of their days; each is
            # measured over its own period, as `jauge score --campaign` does
            if (start and c.ends_on < start) or (end and c.starts_on > end):
                continue
            run(f"{org} / {c.name}", ScopeRequest(org=org, campaign=c.name))
        if defined and not units:
            raise ConfigError(
                _(
                    "no campaign runs between {start} and {end}: `jauge campaign list` shows "
                    "their periods",
                    start=start or "…",
                    end=end or "…",
                )
            )
        if not units:
            raise ConfigError(_("no campaigns to compare: define them with `jauge campaign add`"))
    else:
        spans = _item_dates(store, workspace, orgs)
        for org, span in zip(orgs, spans, strict=True):
            if span is None:
                raise ConfigError(
                    _("{org} cannot be compared: {reason}", org=repr(org), reason=_(NO_ITEMS))
                )
            first_day, last_day = span
            # periods without a single item have nothing to score: stay within the data
            first = max(start, first_day) if start else first_day
            last = min(end, last_day) if end else last_day
            found = periods(first, last, every) if first <= last else []
            if len(found) > MAX_PERIODS:
                raise ConfigError(
                    _(
                        "{org} spans {count} periods of a {every}: compare at most {most} at once "
                        "(narrow --from/--to, or compare by quarter)",
                        org=repr(org),
                        count=len(found),
                        every=_(every),
                        most=MAX_PERIODS,
                    )
                )
            for p_start, p_end in found:
                # the first and last periods end where the user's days do: a report that
                # ends on --to never shows data after it
                run(f"{org} {period_label(p_start, every)}",
                    ScopeRequest(org=org, start=max(p_start, start or p_start),
                                 end=min(p_end, end or p_end)))  # fmt: skip

        if start is not None and end is None and not units:
            # --from after every organisation's latest item: as another window would say
            days.check_order(
                start, max(last for _, last in filter(None, spans)), end_by_default=True
            )

    def cut_short(request: ScopeRequest) -> bool:
        """A period cut to --from/--to, or (asked for) an organisation's window, too short
        for the index, or an organisation without items: listed unscored, never refused."""
        if request.org in idle:
            return True
        if request.campaign or request.start is None or request.end is None:
            return False
        if by == "org" and not short_window:
            return False  # refused below, as `jauge score` refuses a short window
        return too_short(spec, request.start, request.end) is not None

    for _unit, request in units:
        if cut_short(request):
            store.org_id(workspace, request.org)  # an unknown organisation is still refused
    measured = iter(
        compute_many(
            store,
            workspace,
            [r for _, r in units if not cut_short(r)],
            engine=engine,
            version=version,
            panel=panel,
        )
    )
    comparison.rows = [
        CompareRow(
            unit,
            unscored(spec, panel.panel_id, unit, r, NO_ITEMS if r.org in idle else None)
            if cut_short(r)
            else next(measured),
        )
        for unit, r in units
    ]
    # organisations change from the first one with a score (one named first may have none:
    # no items, or none in these days), periods and campaigns from the row above
    base = next((r for r in comparison.rows if r.result.score is not None), None)
    for i, row in enumerate(comparison.rows):
        if i == 0 or row is base:
            continue
        previous = (base or comparison.rows[0]) if by == "org" else comparison.rows[i - 1]
        # periods and campaigns change from the row above, of the same organisation
        if by != "org" and previous.result.scope["org"] != row.result.scope["org"]:
            continue
        change = difference(previous.result, row.result, spec.level)
        if change is not None:
            change["versus"] = previous.unit
        row.change = change
    for row in comparison.rows:
        span = elsewhere.get(row.unit) if row.result.fingerprint else None
        if span is not None:  # said first: it is why the row has no score
            scope = row.result.scope
            row.result.warnings.insert(
                0,
                OUTSIDE_WINDOW.format(
                    org=row.unit, start=scope["from"], end=scope["to"],
                    first=span[0].isoformat(), last=span[1].isoformat(),
                ),
            )  # fmt: skip
    return comparison


def _outside(
    store: Store,
    workspace: str,
    orgs: list[str],
    spans: list[tuple[date, date] | None],
    start: date,
    end: date,
) -> dict[str, tuple[date, date]]:
    """The organisations that have items, none of them from ``start`` to ``end``, with the
    days of their first and latest: their row says so, or it would read as data missing."""
    ids = {org: store.org_id(workspace, org) for org, span in zip(orgs, spans, strict=True) if span}
    if not ids:
        return {}
    inside = {
        r[0]
        for r in store.con.execute(
            "SELECT DISTINCT org_id FROM content_items WHERE org_id IN (SELECT unnest(?)) "
            "AND created_at >= ? AND created_at < ?",
            [sorted(set(ids.values())), days.midnight(start), days.after(end)],
        ).fetchall()
    }
    return {
        org: span
        for org, span in zip(orgs, spans, strict=True)
        if span is not None and ids[org] not in inside
    }


def _item_dates(store: Store, workspace: str, orgs: list[str]) -> list[tuple[date, date] | None]:
    """The days of each organisation's first and latest items (None for one without any),
    in one query (a warm-up compares every organisation of a workspace)."""
    spans = {
        key: (first.date(), last.date())
        for key, first, last in store.con.execute(
            "SELECT lower(o.name), min(c.created_at), max(c.created_at) "
            "FROM organisations o JOIN content_items c USING (org_id) "
            "WHERE o.workspace = ? GROUP BY 1",
            [workspace],
        ).fetchall()
        if first is not None
    }
    return [spans.get(org.strip().lower()) or _one_org_dates(store, workspace, org) for org in orgs]


def _one_org_dates(store: Store, workspace: str, org: str) -> tuple[date, date] | None:
    """The same for one organisation the query above did not name as written: found as
    everywhere else (or refused, naming the known ones)."""
    first, last = store.con.execute(
        "SELECT min(created_at), max(created_at) FROM content_items WHERE org_id = ?",
        [store.org_id(workspace, org)],
    ).fetchall()[0]
    return (first.date(), last.date()) if first is not None else None
