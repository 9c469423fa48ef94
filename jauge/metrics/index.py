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

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..i18n import N_, plural
from ..integrity import FLAGGED, METHOD
from ..store.duckdb_store import Store
from .engines import get_engine
from .fingerprint import fingerprint
from .indicators import (
    INDICATOR_TABLE,
    Estimates,
    as_read_by,
    bootstrap_weights,
    collapse,
    estimate,
)
from .labels import INSUFFICIENT_DATA
from .panel import Panel, band_label, percentiles, stratum_key
from .result import Figure, IndexResult, rounded
from .scope import ScopeRequest, organisations_known, resolve_scope, unscored_campaign
from .spec import LATEST, IndexSpec, Indicator, load_spec
from .statistics import INBOUND_KINDS, Scope, scope_tables, split_by_scope

#: indicators scored on their own scale when no panel knows them (value -> 0..100)
ABSOLUTE_SCALES = {
    "returning_engagers": (0.0, 1.0),
    "two_way": (0.0, 1.0),
    "response_rate": (0.0, 1.0),
    "cohort_retention": (0.0, 1.0),
    "net_sentiment": (-100.0, 100.0),
}


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
            reasons[name] = N_("no own post in this window, so answers to others cannot be seen")
    first = first_interaction
    if first is not None and first >= scope.previous_start + (scope.end - scope.start) / 2:
        reason = (
            N_("no interaction is collected before {day}, after this window")
            if first >= scope.end
            else N_(
                "the data starts on {day}: too little history before the window "
                "to tell returning or new people apart"
            )
        )
        for name in ("returning_engagers", "new_engagers_per_1k_reach"):
            reasons[name] = reason.format(day=f"{first:%Y-%m-%d}")
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
            INSUFFICIENT_DATA.format(
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
    min_units: int = 1,
) -> Figure | None:
    """The indicator's score over the replicates, or None when it cannot be scored;
    against the panel's distribution of the stratum (or the pooled one) summarising at
    least ``min_units`` units."""
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
    reference = panel.reference(indicator.name, stratum, min_units)
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
    detail["shrunk"] = rounded(float(shrunk[0]))
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
            f.detail["effective_weight"] = rounded(w / total)
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
        pillars[p.name].detail["effective_weight"] = rounded(p.weight / total)
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
    panel = panel or reference_panel(store, spec)
    known = organisations_known(store, workspace)
    resolved = [resolve_scope(store, workspace, r, spec, known) for r in requests]
    measured = [(scope, described) for scope, described in resolved if scope is not None]
    results = iter(_scored(store, workspace, measured, spec, panel, engine))
    scored = [
        next(results) if scope is not None else unscored_campaign(spec, panel.panel_id, described)
        for scope, described in resolved
    ]
    _say_where_own_posts_end(store, requests, resolved, scored)
    return scored


def _say_where_own_posts_end(
    store: Store,
    requests: list[ScopeRequest],
    resolved: list[tuple[Scope | None, dict[str, Any]]],
    results: list[IndexResult],
) -> None:
    """A default window ends on the organisation's latest item of any kind: one mention
    dated months after its last post (a later listening export, or a mis-dated row) leaves
    the window without an own post, and most of the index unmeasurable. Say so, and how to
    measure up to the last own post, rather than change where windows end (the same store
    gives the same figures)."""
    blank = [
        (scope, result)
        for request, (scope, _), result in zip(requests, resolved, results, strict=True)
        if request.end is None
        and request.campaign is None
        and request.account is None
        and scope is not None
        and not result.coverage.get("items")
    ]
    if not blank:
        return
    rows = store.con.execute(
        "SELECT org_id, max(created_at) FROM content_items WHERE is_own "
        "AND org_id IN (SELECT unnest(?)) GROUP BY org_id",
        [sorted({scope.org_id for scope, _ in blank})],
    ).fetchall()
    last_post = {org_id: latest for org_id, latest in rows}
    for scope, result in blank:
        latest = last_post.get(scope.org_id)
        if latest is not None and latest < scope.start:
            result.warnings.append(
                N_(
                    "the window ends on the latest item, {end}, and holds no own post: the "
                    "latest is from {day}; pass --to {day} to measure up to it"
                ).format(end=result.scope["to"], day=f"{latest:%Y-%m-%d}")
            )


def _scored(
    store: Store,
    workspace: str,
    resolved: list[tuple[Scope, dict[str, Any]]],
    spec: IndexSpec,
    panel: Panel,
    engine: str,
) -> list[IndexResult]:
    """The index of scopes the engine can measure, their statistics in one pass."""
    if not resolved:
        return []
    scopes = [scope for scope, _ in resolved]
    combined = get_engine(engine).statistics(store, scopes, spec.statistics_rules)
    per_scope = split_by_scope(combined, len(scopes))
    first_seen = first_interactions(store, workspace)
    languages = scope_languages(store, scopes)
    sources = import_sources(store, workspace, sorted({scope.org_id for scope in scopes}))
    results = [
        score_statistics(
            spec,
            panel,
            stats,
            described,
            reasons=unmeasurable(scope, stats, first_seen.get(scope.org_id)),
            sources=sources_and_methods(
                stats, languages[i], sources.get(scope.org_id, []), engine, spec
            ),
        )
        for i, ((scope, described), stats) in enumerate(zip(resolved, per_scope, strict=True))
    ]
    _say_what_flagged_authors_started(store, workspace, scopes, results)
    if assessment_outdated(store, workspace):
        for result in results:
            result.warnings.append(
                N_(
                    "data was imported after the last `jauge integrity`: the people it "
                    "brought count with weight 1 until it runs again"
                )
            )
    return results


def _say_what_flagged_authors_started(
    store: Store, workspace: str, scopes: list[Scope], results: list[IndexResult]
) -> None:
    """Threads started by accounts `jauge integrity` flagged are left out of two-way
    exchanges and response rate: their unanswered comments no longer hold those down, so
    an assessment can raise a score as well as lower it. Say how many, per scope (of the
    organisation's window, accounts and campaigns aside)."""
    if not store.con.execute(
        "SELECT count(*) FROM authenticity WHERE workspace = ? AND weight <= ?",
        [workspace, FLAGGED],
    ).fetchall()[0][0]:
        return
    windows = pa.table(
        {
            "n": pa.array(range(len(scopes)), pa.int64()),
            "org_id": pa.array([s.org_id for s in scopes], pa.string()),
            "start_at": pa.array([s.start for s in scopes], pa.timestamp("us")),
            "end_at": pa.array([s.end for s in scopes], pa.timestamp("us")),
        }
    )
    kinds = ", ".join(f"'{k}'" for k in INBOUND_KINDS)
    store.con.register("jauge_windows", windows)
    try:
        rows = store.con.execute(
            f"""
            SELECT w.n, count(*) FROM jauge_windows w
            JOIN content_items c ON c.workspace = ? AND c.org_id = w.org_id
            JOIN authenticity a ON a.person_id = c.author_person_id AND a.weight <= ?
            WHERE NOT c.is_own AND c.kind IN ({kinds})
              AND c.created_at >= w.start_at AND c.created_at < w.end_at
            GROUP BY w.n
            """,
            [workspace, FLAGGED],
        ).fetchall()
    finally:
        store.con.unregister("jauge_windows")
    counts = {int(n): int(count) for n, count in rows}
    for n, count in counts.items():
        results[n].warnings.append(
            plural(
                N_(
                    "{count} thread started by an account `jauge integrity` flagged is left "
                    "out of two-way exchanges and response rate"
                ),
                N_(
                    "{count} threads started by accounts `jauge integrity` flagged are left "
                    "out of two-way exchanges and response rate"
                ),
                count,
                "en",  # kept in English in the result, shown in the reader's language
            ).format(count=count)
        )


def import_sources(store: Store, workspace: str, org_ids: list[str]) -> dict[str, list[str]]:
    """Each organisation's sources: those of the imports (and syncs) that wrote its items,
    web sessions or costs; not another organisation's, nor a file that was refused."""
    rows = store.con.execute(
        """
        WITH written AS (
            SELECT org_id, first_import_id AS import_id FROM content_items
            WHERE workspace = $ws AND org_id IN (SELECT unnest($orgs))
            UNION SELECT org_id, last_import_id FROM content_items
            WHERE workspace = $ws AND org_id IN (SELECT unnest($orgs))
            UNION SELECT org_id, import_id FROM web_traffic
            WHERE workspace = $ws AND org_id IN (SELECT unnest($orgs))
            UNION SELECT org_id, import_id FROM costs
            WHERE workspace = $ws AND org_id IN (SELECT unnest($orgs))
        )
        SELECT w.org_id, list(DISTINCT i.source ORDER BY i.source)
        FROM written w JOIN imports i USING (import_id) GROUP BY w.org_id
        """,
        {"ws": workspace, "orgs": org_ids},
    ).fetchall()
    return {org_id: list(found) for org_id, found in rows}


def assessment_outdated(store: Store, workspace: str) -> bool:
    """Whether the workspace was assessed by `jauge integrity`, then imported into: by an
    import that added or changed something (a re-import of the same export brings no one)."""
    return bool(
        store.con.execute(
            "SELECT (SELECT max(assessed_at) FROM integrity_runs WHERE workspace = $ws) < "
            "(SELECT max(finished_at) FROM imports WHERE workspace = $ws AND status = 'written' "
            "AND coalesce(inserted, 0) + coalesce(updated, 0) > 0)",
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
    estimates = estimate(
        merged, bootstrap_weights(merged, spec.replicates, seed, counts), spec.medians
    )
    warnings: list[str] = []
    empty = not any(table.num_rows for table in stats.values())
    if empty:
        # said first: every indicator's own "insufficient data" follows from it
        warnings.append(
            N_(
                "nothing to measure from {start} to {end}: no own post, no one else's post "
                "and no web session in these days"
            ).format(start=scope.get("from", "…"), end=scope.get("to", "…"))
        )
    components: dict[str, Figure] = {}
    for indicator in spec.indicators:
        if indicator.name not in INDICATOR_TABLE:
            continue  # business impact: its data arrives in a later version
        figure = score_component(
            indicator,
            estimates,
            panel,
            stratum,
            spec.level,
            warnings,
            reasons.get(indicator.name),
            spec.min_reference_units,
        )
        if figure is not None:
            components[indicator.name] = figure
    pillars, index_replicates = aggregate(spec, components, warnings)
    for figure in pillars.values():
        if figure.replicates is not None:
            figure.interval = _interval(figure.replicates[1:], spec.level)
    score = interval = None
    if index_replicates is None:
        # with nothing in the days at all, the note above says why: importing is no cure
        # when the data is simply elsewhere in time
        if not empty:
            warnings.append(
                N_("no pillar could be computed: import own posts or conversations first")
            )
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
