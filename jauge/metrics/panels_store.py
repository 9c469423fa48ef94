"""Panels and the store: the reference panel in force, and panel export and import.

The reference panel is the built-in panel pooled with every panel imported into
the store. An export measures every organisation of the store over each calendar
quarter and keeps only the quantiles of the values, per stratum, for strata with
at least :data:`~jauge.metrics.panel.MIN_UNITS` units.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..days import after, midnight
from ..errors import InputError
from ..i18n import N_
from ..store.duckdb_store import Store, utcnow
from .engines import get_engine
from .indicators import as_read_by, bootstrap_weights, estimate
from .panel import MIN_UNITS, Panel, build_panel, builtin_panel, combine, parse_panel, stratum_key
from .spec import LATEST, IndexSpec, load_spec
from .statistics import Scope, split_by_scope


def imported_panels(store: Store) -> list[Panel]:
    rows = store.con.execute("SELECT panel_id, body FROM panels ORDER BY panel_id").fetchall()
    return [parse_panel(json.loads(body), f"panel {pid}") for pid, body in rows]


def reference_panel(store: Store, spec: IndexSpec | None = None) -> Panel:
    """The built-in panel pooled with the imported ones, as ``spec`` pools them (the
    latest version's way by default)."""
    spec = spec or load_spec(LATEST)
    keep_single = spec.panel_pooling == "keep_single"
    return combine([builtin_panel(), *imported_panels(store)], keep_single)


def import_panel(store: Store, path: str) -> Panel:
    """Add a panel file to the store's reference panel (importing it again changes nothing)."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError as exc:
        raise InputError(path, N_("no such file")) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            path, N_("not JSON: {reason}").format(reason=exc.msg), line=exc.lineno
        ) from exc
    panel = parse_panel(data, path)
    store.save_panel(panel.panel_id, json.dumps(panel.to_dict()))
    return panel


def unit_values(
    store: Store,
    engine: str = "duckdb",
    version: str = LATEST,
    every: str = "quarter",
    workspace: str | None = None,
) -> list[tuple[str, dict[str, float]]]:
    """Every organisation of the store (of one ``workspace``, when named), over each
    calendar quarter (or month) it has items in: its stratum and the values scoring would
    score (point estimates, before shrinkage). What scoring calls not measurable or short
    of data is left out (the same :func:`~jauge.metrics.index.data_gap`): a zero there is
    an artefact of what was collected, and would drag every other store's scores up."""
    from .compare import periods
    from .index import data_gap, first_interactions, stratum_of, unmeasurable

    spec = load_spec(version)
    orgs = store.con.execute(
        "SELECT o.workspace, o.org_id, min(c.created_at), max(c.created_at) FROM organisations o "
        "JOIN content_items c USING (org_id) WHERE $workspace IS NULL OR o.workspace = $workspace "
        "GROUP BY ALL ORDER BY 1, 2",
        {"workspace": workspace},
    ).fetchall()
    scopes = [
        Scope(
            workspace,
            org_id,
            midnight(start),
            after(end),
        )
        for workspace, org_id, first, last in orgs
        for start, end in periods(first.date(), last.date(), every)
    ]
    if not scopes:
        return []
    combined = get_engine(engine).statistics(store, scopes, spec.statistics_rules)
    first_seen = first_interactions(store)
    units = []
    per_scope = split_by_scope(combined, len(scopes))
    for scope, scope_stats in zip(scopes, per_scope, strict=True):
        if not any(t.num_rows for t in scope_stats.values()):
            continue
        reasons = unmeasurable(scope, scope_stats, first_seen.get(scope.org_id))
        stats = as_read_by(spec, scope_stats)
        estimates = estimate(stats, bootstrap_weights(stats, 0, spec.seed), spec.medians)
        platform, band = stratum_of(stats, spec)
        values = {
            i.name: float(estimates.values[i.name][0])
            for i in spec.indicators
            if i.name in estimates.values
            and data_gap(
                i,
                float(estimates.values[i.name][0]),
                float(estimates.sizes[i.name][0]),
                reasons.get(i.name),
            )
            is None
        }
        if values:
            units.append((stratum_key(platform, band), values))
    return units


def export_panel(
    store: Store,
    panel_id: str | None = None,
    *,
    version: str = LATEST,
    workspace: str | None = None,
) -> Panel:
    """The store's anonymised panel (of one ``workspace``'s organisations, when named, else
    of all), measured by index ``version``: quantiles per stratum, strata of few units
    left out, and the version named in the panel."""
    spec = load_spec(version)
    units = unit_values(store, version=spec.version, workspace=workspace)
    panel_id = panel_id or f"jauge-panel/export-{utcnow().strftime('%Y%m%dT%H%M%S')}"
    return build_panel(panel_id, units, min_units=MIN_UNITS, index_version=spec.version)
