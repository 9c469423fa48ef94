"""Indicator values from the statistic tables, for the data and for bootstrap replicates.

Every indicator is a ratio of weighted sums over the rows of one statistic table
(items, engagers, threads or opinions). A replicate of the bootstrap is the same
ratio with other row weights (Poisson(1) draws), so the point estimate (all
weights 1) and every replicate come out of the same vectorised expression.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .spec import IndexSpec

Stats = dict[str, pa.Table]
#: the statistic tables, in the order their bootstrap weights are drawn
TABLES = ("items", "engagers", "threads", "opinions", "sessions")
Weights = dict[str, np.ndarray]  # table -> (replicates, rows)

INDICATOR_TABLE = {
    "conversation": "items",
    "amplification": "items",
    "saves_clicks": "items",
    "applause": "items",
    "reach_per_follower": "items",
    "new_engagers_per_1k_reach": "items",
    "returning_engagers": "engagers",
    "cohort_retention": "engagers",
    "two_way": "threads",
    "response_rate": "threads",
    "time_to_first_response": "threads",
    "net_sentiment": "opinions",
    "value_per_session": "sessions",
    "sessions_per_1k_reach": "sessions",
    "conversion": "sessions",
}


#: engagement indicator -> the count it sums over the own items that report it (the
#: items table's column: NULL where a source reports none, see statistics.py)
COUNTED = {
    "conversation": "comments",
    "amplification": "shares",
    "saves_clicks": "saves_clicks",
    "applause": "reactions",
}


def as_read_by(spec: IndexSpec, stats: Stats) -> Stats:
    """The statistic tables as ``spec`` reads them.

    Up to 1.0.0, conversation, amplification and applause divided by every own item
    (their unit was ``items``), so a count a source does not report read as zero: those
    versions keep reading it so, and keep their figures and fingerprints. From 1.0.1
    an unknown count is left out, as saves and clicks always were.
    """
    zero = [COUNTED[i.name] for i in spec.indicators if i.name in COUNTED and i.unit == "items"]
    if not zero:
        return stats
    items = stats["items"]
    for name in zero:
        at = items.column_names.index(name)
        filled = pc.fill_null(items.column(name), pa.scalar(0, items.schema.field(name).type))
        items = items.set_column(at, name, filled)
    return {**stats, "items": items}


@dataclass(frozen=True)
class Estimates:
    """Per indicator: its value and its size (the ``n`` of shrinkage and of min_n), as
    arrays over replicates (index 0 is the data itself); NaN where undefined."""

    values: dict[str, np.ndarray]
    sizes: dict[str, np.ndarray]


def column(stats: Stats, table: str, name: str) -> np.ndarray:
    array = stats[table].column(name).to_numpy(zero_copy_only=False)
    return np.asarray(array, dtype=np.float64)


#: columns that identify a row but take no part in any formula
_IDENTITY_COLUMNS = ("scope_id", "item_id", "person_id", "platform")
_MISSING = -1.0e300  # stands for NaN while rows are compared


def collapse(stats: Stats) -> tuple[Stats, dict[str, np.ndarray]]:
    """Identical rows merged, with how many rows each stands for.

    Indicators only depend on weighted sums (and a weighted median) of the rows'
    values, and a sum of m Poisson(1) weights is one Poisson(m) weight, so the
    bootstrap over the merged rows has exactly the distribution of the bootstrap over
    the original rows, at a fraction of the draws (engagers fall into a few dozen
    kinds, however many they are).
    """
    merged: Stats = {}
    counts: dict[str, np.ndarray] = {}
    for name, table in stats.items():
        columns = [c for c in table.column_names if c not in _IDENTITY_COLUMNS]
        if table.num_rows == 0 or not columns:
            merged[name] = table.select(columns)
            counts[name] = np.ones(table.num_rows)
            continue
        matrix = np.column_stack([column(stats, name, c) for c in columns])
        matrix = np.ascontiguousarray(np.where(np.isnan(matrix), _MISSING, matrix))
        # each row as one opaque value: a single sort finds the identical ones
        rows = matrix.view(np.dtype((np.void, matrix.dtype.itemsize * matrix.shape[1])))
        _, first, repeats = np.unique(rows.ravel(), return_index=True, return_counts=True)
        unique = matrix[first]
        unique = np.where(unique == _MISSING, np.nan, unique)
        merged[name] = pa.table({c: unique[:, i] for i, c in enumerate(columns)})
        counts[name] = repeats.astype(np.float64)
    return merged, counts


def bootstrap_weights(
    stats: Stats, replicates: int, seed: int, counts: dict[str, np.ndarray] | None = None
) -> Weights:
    """Row weights: the data (each row's count, 1 unless rows were merged) then
    ``replicates`` Poisson draws per table, from one seeded generator, so that the same
    data always gives the same interval."""
    rng = np.random.default_rng(seed)
    weights = {}
    for table in TABLES:
        base = counts[table] if counts else np.ones(stats[table].num_rows)
        draws = rng.poisson(base, size=(replicates, base.size)).astype(np.float64)
        weights[table] = np.vstack([base[None, :], draws])
    return weights


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def weighted_median(
    values: np.ndarray, weights: np.ndarray, medians: str = "midpoint"
) -> np.ndarray:
    """The weighted median of ``values`` for each row of ``weights`` (NaN if no weight).

    Weights are whole numbers (how many times the bootstrap draws each value). Where
    half the weight falls exactly between two values, the median is their midpoint, as
    the median of an even number of values is; up to index 1.0.1 it was the lower of
    the two (``medians="lower"``).
    """
    if values.size == 0:
        return np.full(weights.shape[0], np.nan)
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    cumulative = np.cumsum(weights[:, order], axis=1)
    total = cumulative[:, -1]
    half = (total / 2.0)[:, None]
    lower = sorted_values[np.argmax(cumulative >= half, axis=1)]
    if medians == "lower":
        return np.where(total > 0, lower, np.nan)
    upper = sorted_values[np.argmax(cumulative > half, axis=1)]
    return np.where(total > 0, (lower + upper) / 2.0, np.nan)


def estimate(stats: Stats, weights: Weights, medians: str = "midpoint") -> Estimates:
    """Every indicator the statistics allow, over the data and the replicates; ``medians``
    as the index version reads them (see :func:`weighted_median`)."""
    values: dict[str, np.ndarray] = {}
    sizes: dict[str, np.ndarray] = {}
    w = weights["items"]
    reach = column(stats, "items", "reach")
    followers = column(stats, "items", "followers")
    for name, counted in COUNTED.items():
        counts = column(stats, "items", counted)
        known = ~np.isnan(counts)
        n_known = w[:, known].sum(axis=1)
        values[name] = _ratio(w[:, known] @ counts[known], n_known)
        sizes[name] = n_known
    both = ~np.isnan(reach) & ~np.isnan(followers)
    values["reach_per_follower"] = _ratio(w[:, both] @ reach[both], w[:, both] @ followers[both])
    sizes["reach_per_follower"] = w[:, both].sum(axis=1)
    has_reach = ~np.isnan(reach)
    reach_sum = w[:, has_reach] @ reach[has_reach]

    v = weights["engagers"]
    authenticity = column(stats, "engagers", "authenticity")
    av = v * authenticity[None, :]
    engaged = av.sum(axis=1)
    values["returning_engagers"] = _ratio(av @ column(stats, "engagers", "in_previous"), engaged)
    sizes["returning_engagers"] = engaged
    newcomers = av @ column(stats, "engagers", "first_ever")
    if engaged[0] > 0:
        values["new_engagers_per_1k_reach"] = _ratio(newcomers * 1000.0, reach_sum)
    else:  # no person-level data at all: unknown, not zero
        values["new_engagers_per_1k_reach"] = np.full(w.shape[0], np.nan)
    sizes["new_engagers_per_1k_reach"] = w[:, has_reach].sum(axis=1)
    first_half = column(stats, "engagers", "first_in_first_half")
    cohort = av @ first_half
    values["cohort_retention"] = _ratio(
        av @ (first_half * column(stats, "engagers", "returned")), cohort
    )
    sizes["cohort_retention"] = cohort

    t = weights["threads"]
    n_threads = t.sum(axis=1)
    values["two_way"] = _ratio(t @ column(stats, "threads", "answered"), n_threads)
    sizes["two_way"] = n_threads
    values["response_rate"] = _ratio(t @ column(stats, "threads", "answered_in_sla"), n_threads)
    sizes["response_rate"] = n_threads
    hours = column(stats, "threads", "hours_to_first")
    answered = ~np.isnan(hours)
    values["time_to_first_response"] = weighted_median(hours[answered], t[:, answered], medians)
    sizes["time_to_first_response"] = t[:, answered].sum(axis=1)

    o = weights["opinions"]
    n_opinions = o.sum(axis=1)
    net = o @ (column(stats, "opinions", "positive") - column(stats, "opinions", "negative"))
    values["net_sentiment"] = _ratio(net * 100.0, n_opinions)
    sizes["net_sentiment"] = n_opinions
    if stats["sessions"].num_rows:
        _business_impact(
            stats, weights["sessions"], w[:, has_reach] @ reach[has_reach], values, sizes
        )
    return Estimates(values, sizes)


def _business_impact(
    stats: Stats,
    s: np.ndarray,
    reach_sum: np.ndarray,
    values: dict[str, np.ndarray],
    sizes: dict[str, np.ndarray],
) -> None:
    """The business impact pillar, over the social rows of web analytics (docs/value.md).
    Without web analytics these indicators are left out entirely (the pillar is then
    'without data'), rather than reported as unmeasurable in every result."""
    social = column(stats, "sessions", "social")
    sessions = column(stats, "sessions", "sessions") * social
    n_sessions = s @ sessions
    values["sessions_per_1k_reach"] = _ratio(n_sessions * 1000.0, reach_sum)
    sizes["sessions_per_1k_reach"] = reach_sum / 1000.0
    for name, col in (("conversion", "conversions"), ("value_per_session", "revenue")):
        figures = column(stats, "sessions", col)
        known = ~np.isnan(figures) & (social > 0)
        n_known = s[:, known] @ sessions[known]
        values[name] = _ratio(s[:, known] @ figures[known], n_known)
        sizes[name] = n_known
