"""The Jauge Index: from statistics to one figure with its breakdown and uncertainty.

For a scope (an organisation, optionally one account or campaign, over a
window), the engine computes the statistic tables; this module turns them into
indicator values for the data and for every bootstrap replicate, shrinks each
toward its stratum's median (empirical Bayes), scores it by its percentile in
the reference panel, averages indicators into pillars and pillars into the
index by a weighted geometric mean. Intervals are the replicates' percentiles.
See docs/index-spec.md.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..days import after, check_order, first_day, midnight
from ..errors import ConfigError, NotFoundError
from ..i18n import N_, _
from ..integrity import METHOD
from ..store.duckdb_store import Store
from .engines import get_engine
from .indicators import (
    INDICATOR_TABLE,
    Estimates,
    as_read_by,
    bootstrap_weights,
    collapse,
    estimate,
)
from .panel import Panel, band_label, percentiles, stratum_key
from .spec import LATEST, IndexSpec, Indicator, load_spec
from .statistics import Scope, scope_tables, split_by_scope

#: indicators scored on their own scale when no panel knows them (value -> 0..100)
#: statistic tables added after the index's first version (see fingerprint)
LATER_TABLES = ("sessions",)

ABSOLUTE_SCALES = {
    "returning_engagers": (0.0, 1.0),
    "two_way": (0.0, 1.0),
    "response_rate": (0.0, 1.0),
    "cohort_retention": (0.0, 1.0),
    "net_sentiment": (-100.0, 100.0),
}


@dataclass
class Figure:
    """A score with its interval: a component, a pillar or the index itself."""

    score: float | None
    value: float | None
    interval: tuple[float, float] | None
    weight: float
    n: float
    replicates: np.ndarray | None = field(default=None, repr=False)
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "score": _round(self.score),
            "value": _round(self.value),
            "interval": [_round(x) for x in self.interval] if self.interval else None,
            "weight": _round(self.weight),
            "n": _round(self.n),
        }
        data.update(self.detail)
        return data


@dataclass
class IndexResult:
    """The contract of ``jauge score --format json`` (see docs/index-spec.md)."""

    index_version: str
    panel: str
    scope: dict[str, Any]
    score: float | None
    interval: tuple[float, float] | None
    pillars: dict[str, Figure]
    components: dict[str, Figure]
    coverage: dict[str, Any]
    integrity_share: float
    warnings: list[str]
    sources_and_methods: dict[str, Any]
    fingerprint: str
    replicates: np.ndarray | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index_version": self.index_version,
            "panel": self.panel,
            "scope": self.scope,
            "score": _round(self.score),
            "interval": [_round(x) for x in self.interval] if self.interval else None,
            "pillars": {k: v.to_dict() for k, v in self.pillars.items()},
            "components": {k: v.to_dict() for k, v in self.components.items()},
            "coverage": self.coverage,
            "integrity_share": _round(self.integrity_share),
            "warnings": list(self.warnings),
            "sources_and_methods": self.sources_and_methods,
            "fingerprint": self.fingerprint,
        }

    def breakdown(self) -> pa.Table:
        """Each pillar and component with its score, interval, value, n and weight, and
        its label in the reader's language (see :mod:`jauge.metrics.notebook`)."""
        from .notebook import breakdown

        return breakdown(self)

    def __repr__(self) -> str:
        from .notebook import index_repr

        return index_repr(self)

    def _repr_html_(self) -> str:  # what Jupyter shows
        from .notebook import index_html

        return index_html(self)


def _round(x: float | None, digits: int = 6) -> float | None:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return None
    return round(float(x), digits)


# -- scope ------------------------------------------------------------------------

SHORT_WINDOW = N_(
    "the index needs at least {least} days, and the window {start} to {end} "
    "has {days} (it measures slow things: relationships, returns)"
)


def too_short(spec: IndexSpec, start: date, end: date) -> dict[str, Any] | None:
    """The values of :data:`SHORT_WINDOW` when ``start``..``end`` (inclusive) is shorter
    than the index allows, else None."""
    days = (end - start).days + 1
    if days >= spec.min_days:
        return None
    return {"start": start, "end": end, "days": days, "least": spec.min_days}


@dataclass(frozen=True)
class ScopeRequest:
    org: str
    account: str | None = None
    campaign: str | None = None
    start: date | None = None  # inclusive
    end: date | None = None  # inclusive


def organisations_known(store: Store, workspace: str) -> dict[str, tuple[str, date | None]]:
    """Lower-cased organisation name -> (id, day of its latest item), in one query."""
    rows = store.con.execute(
        "SELECT lower(o.name), o.org_id, max(c.created_at) FROM organisations o "
        "LEFT JOIN content_items c USING (org_id) WHERE o.workspace = ? GROUP BY 1, 2",
        [workspace],
    ).fetchall()
    return {name: (org_id, latest.date() if latest else None) for name, org_id, latest in rows}


def resolve_scope(
    store: Store,
    workspace: str,
    request: ScopeRequest,
    spec: IndexSpec,
    known: dict[str, tuple[str, date | None]] | None = None,
) -> tuple[Scope, dict[str, Any]]:
    """The scope to measure, with the window's defaults filled in and checked."""
    found = (known or {}).get(request.org.strip().lower())
    org_id = found[0] if found else store.org_id(workspace, request.org)
    account_id = account_platform = None
    if request.account:
        rows = store.con.execute(
            "SELECT account_id, platform FROM accounts WHERE org_id = ? "
            "AND lower(handle) = lower(?)",
            [org_id, request.account.lstrip("@")],
        ).fetchall()
        if not rows:
            raise NotFoundError(
                _(
                    "no account {account} for {org}",
                    account=repr(request.account),
                    org=repr(request.org),
                )
            )
        account_id, account_platform = str(rows[0][0]), str(rows[0][1])
    start, end, terms, keys = request.start, request.end, None, None
    if request.campaign:
        rows = store.con.execute(
            "SELECT starts_on, ends_on, hashtags, keywords, name, utm_campaign FROM campaigns "
            "WHERE org_id = ? AND lower(name) = lower(?)",
            [org_id, request.campaign],
        ).fetchall()
        if not rows:
            raise NotFoundError(
                _(
                    "no campaign {campaign} for {org}: define it with `jauge campaign add`",
                    campaign=repr(request.campaign),
                    org=repr(request.org),
                )
            )
        c_start, c_end, hashtags, keywords, name, utm = rows[0]
        keys = (name.strip().lower(), (utm or name).strip().lower())
        start, end = start or c_start, end or c_end
        terms = tuple(
            sorted({t.lower() for t in [*(hashtags or []), *(keywords or [])] if t.strip()})
        )
        terms = terms or None
    if end is None:
        end = found[1] if found else store.latest_item_day([org_id])
        if end is None:
            raise ConfigError(
                _("{org} has no items yet: import some data first", org=repr(request.org))
            )
    if start is None:
        start = first_day(end, spec.default_days)
    check_order(start, end)
    short = too_short(spec, start, end)
    if short is not None:
        raise ConfigError(_(SHORT_WINDOW, **short))
    scope = Scope(
        workspace=workspace,
        org_id=org_id,
        start=midnight(start),
        end=after(end),
        account_id=account_id,
        campaign_terms=terms,
        account_platform=account_platform,
        campaign_keys=keys,
    )
    described = {
        "org": request.org,
        "account": request.account,
        "campaign": request.campaign,
        "from": start.isoformat(),
        "to": end.isoformat(),
    }
    return scope, described


# -- scoring ----------------------------------------------------------------------


def stratum_of(stats: dict[str, pa.Table], spec: IndexSpec) -> tuple[str, str]:
    """(platform, band): the platform most of the scope's items are on, and the band of
    its largest known audience."""
    platforms = Counter(
        p
        for table in ("items", "threads")
        for p in stats[table].column("platform").to_pylist()
        if p is not None
    )
    platform = platforms.most_common(1)[0][0] if platforms else "unknown"
    followers = [f for f in stats["items"].column("followers").to_pylist() if f is not None]
    band = band_label(max(followers) if followers else None, spec.follower_bands)
    return platform, band


def fingerprint(spec: IndexSpec, panel: Panel, scope: dict[str, Any], stats: Any) -> str:
    """A hash of everything the figures depend on: version, panel, scope and statistics."""
    digest = hashlib.sha256()
    digest.update(json.dumps([spec.version, panel.panel_id, scope], sort_keys=True).encode())
    for name in sorted(stats):
        table = stats[name]
        if name in LATER_TABLES and table.num_rows == 0:
            # a table added by a later jauge enters the hash only when it holds rows, so
            # results that do not use it keep the fingerprint they always had
            continue
        digest.update(f"{name}:{table.num_rows}".encode())
        for column in table.column_names:
            values = table.column(column)
            if pa.types.is_floating(values.type):
                array = np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.float64)
                digest.update(np.where(np.isnan(array), -0.5, array).tobytes())
            else:
                digest.update(_joined_text(values))
    return digest.hexdigest()


def _joined_text(values: pa.ChunkedArray) -> bytes:
    """``"\\x1f".join(map(str, values.to_pylist())).encode()``, byte for byte, but
    straight from the Arrow buffers where the column is text without nulls: the ids of
    every engager of every scope would otherwise each become a Python string."""
    array = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if array.null_count or not pa.types.is_string(array.type) or len(array) < 2:
        return "\x1f".join(map(str, values.to_pylist())).encode()
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[
        array.offset : array.offset + len(array) + 1
    ]
    first = int(offsets[0])
    text = np.frombuffer(data_buffer, dtype=np.uint8)[first : int(offsets[-1])]
    # separator k goes after value k: where that value ends, moved by the k before it
    separators = offsets[1:-1] - first + np.arange(len(array) - 1)
    joined = np.empty(text.size + separators.size, dtype=np.uint8)
    is_text = np.ones(joined.size, dtype=bool)
    is_text[separators] = False
    joined[is_text] = text
    joined[separators] = 0x1F
    return joined.tobytes()


def _interval(replicates: np.ndarray, level: float) -> tuple[float, float] | None:
    finite = replicates[~np.isnan(replicates)]
    if finite.size == 0:
        return None
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = linear_percentiles(finite, (tail, 100.0 - tail))
    return low, high


def linear_percentiles(values: np.ndarray, percents: tuple[float, ...]) -> list[float]:
    """``np.percentile(values, percents)`` for values without NaN, with numpy's default
    (linear) method and the same arithmetic, step for step, but none of its generic
    machinery: a warm-up pass takes tens of thousands of intervals, and the call's own
    cost was a fifth of it. A test compares the two on many arrays, bit for bit."""
    ordered = np.sort(values)
    last = ordered.size - 1
    found = []
    for percent in percents:
        virtual = last * (percent / 100)
        if virtual >= last:
            found.append(float(ordered[last]))
            continue
        below = math.floor(virtual)
        a, b = float(ordered[below]), float(ordered[below + 1])
        t = virtual - below
        diff = b - a
        found.append(b - diff * (1 - t) if t >= 0.5 else a + diff * t)
    return found


def first_interactions(store: Store, workspace: str | None = None) -> dict[str, datetime]:
    """Organisation id -> its first interaction ever stored (of one workspace, or all):
    what :func:`unmeasurable` needs to know how much history there is."""
    where, params = ("WHERE workspace = ?", [workspace]) if workspace else ("", [])
    return dict(
        store.con.execute(
            f"SELECT org_id, min(occurred_at) FROM interactions {where} GROUP BY 1", params
        ).fetchall()
    )


#: business impact indicator -> the column of web analytics it divides
_WEB_FIGURES = {
    "value_per_session": (
        "revenue",
        N_("the web analytics export gives no revenue for this window"),
    ),
    "conversion": (
        "conversions",
        N_("the web analytics export gives no conversions for this window"),
    ),
}


def unmeasurable(
    scope: Scope, stats: dict[str, pa.Table], first_interaction: datetime | None
) -> dict[str, str]:
    """Indicators the data cannot measure in this scope, with the reason: a zero there
    would be an artefact of what was collected, not a fact about the organisation."""
    reasons = {}
    sessions = stats["sessions"]
    if sessions.num_rows:
        for name, (figure, reason) in _WEB_FIGURES.items():
            if pc.all(pc.is_null(sessions.column(figure), nan_is_null=True)).as_py():
                reasons[name] = reason
    if stats["items"].num_rows == 0:
        for name in ("two_way", "response_rate", "time_to_first_response"):
            reasons[name] = N_("no own posts collected, so answers to others cannot be seen")
    first = first_interaction
    if first is not None and first >= scope.previous_start + (scope.end - scope.start) / 2:
        for name in ("returning_engagers", "new_engagers_per_1k_reach"):
            reasons[name] = N_(
                "the data starts on {day}: too little history before the window "
                "to tell returning or new people apart"
            ).format(day=f"{first:%Y-%m-%d}")
    return reasons


@dataclass(frozen=True)
class Gap:
    """Why the data leaves an indicator unscored: the warning a result carries, and the
    reason when it cannot be measured at all (rather than measured on too little)."""

    warning: str
    reason: str | None = None


def data_gap(indicator: Indicator, value: float, n: float, reason: str | None) -> Gap | None:
    """Why the data leaves ``indicator`` unscored whatever the panel (``reason`` from
    :func:`unmeasurable`, no value, or fewer than its min n), or None when it can be
    scored. Scoring and the panel export both ask here, so a panel holds exactly the
    values scoring would score."""
    # Results keep their messages in English: one result serves every reader (the server
    # computes it once), and it is shown in the reader's language (jauge.i18n.localised).
    if reason is None and np.isnan(value) and n >= indicator.min_n:
        reason = N_("no data on the people or answers it counts")
    if reason is not None:
        unmeasured = N_("{indicator}: not measurable ({reason})")
        return Gap(unmeasured.format(indicator=indicator.name, reason=reason), reason)
    if np.isnan(value) or n < indicator.min_n:
        return Gap(
            N_("{indicator}: insufficient data ({n} {unit}, at least {least} needed)").format(
                indicator=indicator.name,
                n=f"{n:g}",
                unit=indicator.unit,
                least=f"{indicator.min_n:g}",
            )
        )
    return None


def score_component(
    indicator: Indicator,
    estimates: Estimates,
    panel: Panel,
    stratum: str,
    level: float,
    warnings: list[str],
    reason: str | None = None,
) -> Figure | None:
    """The indicator's score over the replicates, or None when it cannot be scored."""
    values = estimates.values.get(indicator.name)
    if values is None:
        return None
    sizes = estimates.sizes[indicator.name]
    n = float(sizes[0])
    gap = data_gap(indicator, float(values[0]), n, reason)
    if gap is not None:
        warnings.append(gap.warning)
        if gap.reason is not None:
            return Figure(None, None, None, indicator.weight, n, detail={"reason": gap.reason})
        return Figure(None, _nan_to_none(values[0]), None, indicator.weight, n)
    reference = panel.reference(indicator.name, stratum)
    detail: dict[str, Any] = {}
    if reference is None:
        if indicator.name not in ABSOLUTE_SCALES:
            warnings.append(
                N_("{indicator}: no reference panel for it, so not scored").format(
                    indicator=indicator.name
                )
            )
            return Figure(None, float(values[0]), None, indicator.weight, n)
        low, high = ABSOLUTE_SCALES[indicator.name]
        prior = (low + high) / 2.0
        detail["reference"] = "absolute scale"
        warnings.append(
            N_(
                "{indicator}: no reference panel for it yet; scored on its own scale "
                "({low} to {high})"
            ).format(indicator=indicator.name, low=f"{low:g}", high=f"{high:g}")
        )
    else:
        distribution, used = reference
        prior = distribution.median
        detail["reference"] = used
        if used != stratum:
            detail["reference_note"] = f"no panel data for {stratum}"
    k = indicator.prior_strength
    with np.errstate(invalid="ignore", divide="ignore"):
        if indicator.name == "time_to_first_response":
            # shrink on the log scale: waiting times are skewed
            logged = np.log(np.maximum(values, 1e-6))
            shrunk = np.exp((logged * sizes + np.log(max(prior, 1e-6)) * k) / (sizes + k))
        else:
            shrunk = (values * sizes + prior * k) / (sizes + k)
    if reference is None:
        low, high = ABSOLUTE_SCALES[indicator.name]
        scores = np.clip((shrunk - low) / (high - low) * 100.0, 0.0, 100.0)
    else:
        scores = percentiles(reference[0], shrunk)
    if indicator.direction == "lower":
        scores = 100.0 - scores
    detail["shrunk"] = _round(float(shrunk[0]))
    return Figure(
        float(scores[0]),
        float(values[0]),
        _interval(scores[1:], level),
        indicator.weight,
        n,
        replicates=scores,
        detail=detail,
    )


def _nan_to_none(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


def aggregate(
    spec: IndexSpec, components: dict[str, Figure], warnings: list[str]
) -> tuple[dict[str, Figure], np.ndarray | None]:
    """Pillars (weighted means of their scored components) and the index replicates
    (weighted geometric mean of the pillars, weights renormalised over those present)."""
    pillars: dict[str, Figure] = {}
    present = []
    for pillar in spec.pillars:
        scored = [
            (components[i.name], i.weight)
            for i in pillar.indicators
            if i.name in components and components[i.name].replicates is not None
        ]
        if not scored:
            pillars[pillar.name] = Figure(None, None, None, pillar.weight, 0)
            continue
        total = sum(w for _, w in scored)
        replicates = np.zeros_like(scored[0][0].replicates, dtype=np.float64)
        for f, w in scored:
            replicates = replicates + np.asarray(f.replicates) * (w / total)
        for f, w in scored:
            f.detail["effective_weight"] = _round(w / total)
        pillars[pillar.name] = Figure(
            float(replicates[0]),
            float(replicates[0]),
            None,
            pillar.weight,
            len(scored),
            replicates=replicates,
        )
        present.append(pillar)
    if not present:
        return pillars, None
    missing = [p.name for p in spec.pillars if p not in present]
    if missing:
        warnings.append(
            N_(
                "pillars without data: {pillars}; the index is computed on the others, "
                "their weights renormalised (no value is imputed)"
            ).format(pillars=", ".join(missing))
        )
    total = sum(p.weight for p in present)
    logs = np.zeros(1)
    for p in present:
        pillar_replicates = np.asarray(pillars[p.name].replicates)
        logs = logs + np.log(np.maximum(pillar_replicates, spec.floor)) * (p.weight / total)
    for p in present:
        pillars[p.name].detail["effective_weight"] = _round(p.weight / total)
    return pillars, np.exp(logs)


def compute_index(
    store: Store,
    workspace: str,
    request: ScopeRequest,
    *,
    engine: str = "duckdb",
    version: str = LATEST,
    panel: Panel | None = None,
) -> IndexResult:
    """The Jauge Index of a scope; see the module docstring and docs/index-spec.md."""
    return compute_many(store, workspace, [request], engine=engine, version=version, panel=panel)[0]


def compute_many(
    store: Store,
    workspace: str,
    requests: list[ScopeRequest],
    *,
    engine: str = "duckdb",
    version: str = LATEST,
    panel: Panel | None = None,
) -> list[IndexResult]:
    """The index of many scopes, their statistics computed by the engine in one pass."""
    from .panels_store import reference_panel

    spec = load_spec(version)
    panel = panel or reference_panel(store)
    known = organisations_known(store, workspace)
    resolved = [resolve_scope(store, workspace, r, spec, known) for r in requests]
    scopes = [scope for scope, _ in resolved]
    combined = get_engine(engine).statistics(store, scopes, spec.response_sla_hours)
    per_scope = split_by_scope(combined, len(scopes))
    first_seen = first_interactions(store, workspace)
    languages = scope_languages(store, scopes)
    sources = store.con.execute(
        "SELECT list(DISTINCT source ORDER BY source) FROM imports WHERE workspace = ?",
        [workspace],
    ).fetchall()[0][0]
    results = [
        score_statistics(
            spec,
            panel,
            stats,
            described,
            reasons=unmeasurable(scope, stats, first_seen.get(scope.org_id)),
            sources=sources_and_methods(stats, languages[i], sources or [], engine, spec),
        )
        for i, ((scope, described), stats) in enumerate(zip(resolved, per_scope, strict=True))
    ]
    if assessment_outdated(store, workspace):
        for result in results:
            result.warnings.append(
                N_(
                    "data was imported after the last `jauge integrity`: the people it "
                    "brought count with weight 1 until it runs again"
                )
            )
    return results


def assessment_outdated(store: Store, workspace: str) -> bool:
    """Whether the workspace was assessed by `jauge integrity`, then imported into."""
    return bool(
        store.con.execute(
            "SELECT (SELECT max(assessed_at) FROM integrity_runs WHERE workspace = $ws) < "
            "(SELECT max(finished_at) FROM imports WHERE workspace = $ws AND status = 'written')",
            {"ws": workspace},
        ).fetchall()[0][0]
    )


def scope_languages(store: Store, scopes: list[Scope]) -> list[list[str]]:
    """The languages of each scope's items (for the transparency table), in one query."""
    store.con.register("jauge_scopes", scope_tables(scopes)["jauge_scopes"])
    try:
        rows = dict(
            store.con.execute(
                """
                SELECT s.scope_id, list(DISTINCT c.lang ORDER BY c.lang)
                FROM jauge_scopes s JOIN content_items c
                  ON c.workspace = s.workspace AND c.org_id = s.org_id
                 AND c.created_at >= s.start_at AND c.created_at < s.end_at
                WHERE c.lang IS NOT NULL GROUP BY s.scope_id
                """
            ).fetchall()
        )
    finally:
        store.con.unregister("jauge_scopes")
    return [list(rows.get(i) or []) for i in range(len(scopes))]


def score_statistics(
    spec: IndexSpec,
    panel: Panel,
    stats: dict[str, pa.Table],
    scope: dict[str, Any],
    *,
    reasons: dict[str, str] | None = None,
    sources: dict[str, Any] | None = None,
) -> IndexResult:
    """The index from statistic tables: everything after the engine, the same for all
    engines (and what the golden test vectors exercise)."""
    reasons = reasons or {}
    stats = as_read_by(spec, stats)
    platform, band = stratum_of(stats, spec)
    stratum = stratum_key(platform, band)
    fp = fingerprint(spec, panel, scope, stats)
    seed = spec.seed ^ int(fp[:8], 16)
    merged, counts = collapse(stats)
    estimates = estimate(merged, bootstrap_weights(merged, spec.replicates, seed, counts))
    warnings: list[str] = []
    components: dict[str, Figure] = {}
    for indicator in spec.indicators:
        if indicator.name not in INDICATOR_TABLE:
            continue  # business impact: its data arrives in a later version
        figure = score_component(
            indicator, estimates, panel, stratum, spec.level, warnings, reasons.get(indicator.name)
        )
        if figure is not None:
            components[indicator.name] = figure
    pillars, index_replicates = aggregate(spec, components, warnings)
    for figure in pillars.values():
        if figure.replicates is not None:
            figure.interval = _interval(figure.replicates[1:], spec.level)
    score = interval = None
    if index_replicates is None:
        warnings.append(N_("no pillar could be computed: import own posts or conversations first"))
    else:
        score = float(index_replicates[0])
        interval = _interval(index_replicates[1:], spec.level)
    n_engagers = stats["engagers"].num_rows
    authenticity = stats["engagers"].column("authenticity").to_pylist()
    coverage = {
        "stratum": stratum,
        "pillars": {name: f.score is not None for name, f in pillars.items()},
        "components": {
            i.name: (i.name in components and components[i.name].score is not None)
            for i in spec.indicators
        },
        "items": stats["items"].num_rows,
        "engagers": n_engagers,
        "threads": stats["threads"].num_rows,
        "opinions": stats["opinions"].num_rows,
    }
    return IndexResult(
        index_version=spec.version,
        panel=panel.panel_id,
        scope=scope,
        score=score,
        interval=interval,
        pillars=pillars,
        components=components,
        coverage=coverage,
        integrity_share=(1.0 - sum(authenticity) / n_engagers) if n_engagers else 0.0,
        warnings=warnings,
        sources_and_methods=sources or {},
        fingerprint=fp,
        replicates=index_replicates,
    )


def _filtering(weights: list[float]) -> str:
    """How engagers were weighed, for the transparency table."""
    lowered = sum(1 for w in weights if w < 1.0)
    how = (
        f"{lowered} of {len(weights)} engagers weighed down as likely bought or automated by "
        f"`jauge integrity` ({METHOD}: profile signals, lockstep groups count 0)"
        if lowered
        else "authenticity weight 1 for every engager (none weighed down by `jauge integrity`)"
    )
    return f"{how}; audience size enters only as a denominator"


def sources_and_methods(
    stats: dict[str, pa.Table],
    languages: list[str],
    sources: list[str],
    engine: str,
    spec: IndexSpec,
) -> dict[str, Any]:
    """The #SMMStandards transparency table: what was measured, from where, and how."""
    channels = sorted(
        {p for t in ("items", "threads") for p in stats[t].column("platform").to_pylist() if p}
    )
    labelled = stats["opinions"].num_rows
    return {
        "channels": channels,
        "collection": [f"import: {s}" for s in sources],
        "languages": languages or ["not detected yet"],
        "sentiment_method": (
            "human labels stored with the data (annotation sentiment.human) where present, "
            "else the labels of `jauge enrich` (annotation sentiment, with its backend)"
            if labelled
            else "none: no sentiment labels in scope (run `jauge enrich`)"
        ),
        "filtering": _filtering(stats["engagers"].column("authenticity").to_pylist()),
        "engine": engine,
        "uncertainty": f"{spec.replicates} Poisson bootstrap replicates over items, engagers, "
        f"threads and opinions; {int(spec.level * 100)}% percentile intervals",
    }
