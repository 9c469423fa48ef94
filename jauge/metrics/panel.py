"""Reference panels: anonymised distributions of indicator values, per stratum.

A panel holds, for each stratum (platform and follower-size band) and indicator,
101 quantiles of the values observed on many units (an organisation over a
window) and how many units they summarise. Nothing else: no names, no items.
This is how organisations compare without sharing raw data: one exports its
panel, another imports it, and both score against the pooled distribution.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..i18n import N_

FORMAT = "jauge-panel/1"
QUANTILES = 101
ALL = "all"
#: strata with fewer units are left out of an export: a lone unit's values would show
MIN_UNITS = 5


def band_label(followers: float | None, bands: tuple[int, ...]) -> str:
    """The follower-size band of an audience, e.g. ``10k-100k`` (``unknown`` when missing)."""
    if followers is None or math.isnan(followers):
        return "unknown"
    edges = (0, *bands)
    for low, high in zip(edges, (*bands, None), strict=True):
        if high is None or followers < high:
            return f"{_short(low)}+" if high is None else f"{_short(low)}-{_short(high)}"
    raise AssertionError("unreachable")


def _short(n: int) -> str:
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size and n % size == 0:
            return f"{n // size}{suffix}"
    return str(n)


def stratum_key(platform: str, band: str) -> str:
    return f"{platform}|{band}"


@dataclass
class Distribution:
    units: int
    quantiles: np.ndarray  # QUANTILES values, non-decreasing

    @property
    def median(self) -> float:
        return float(self.quantiles[QUANTILES // 2])


@dataclass
class Panel:
    panel_id: str
    strata: dict[str, dict[str, Distribution]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    #: the index version its values were measured by (None: not recorded, as in the
    #: built-in panel and panels exported before jauge recorded it)
    index_version: str | None = None

    def reference(
        self, indicator: str, stratum: str, min_units: int = 1
    ) -> tuple[Distribution, str] | None:
        """The distribution for ``indicator`` in ``stratum``, else in the platform's pooled
        stratum, else in the global one, the first summarising at least ``min_units``
        units; with the stratum actually used. (A stratum of two or three units is no
        reference: an account crossing into it by a few bought followers would be
        ranked against them.)"""
        platform = stratum.split("|", 1)[0]
        for key in (stratum, stratum_key(platform, ALL), stratum_key(ALL, ALL)):
            found = self.strata.get(key, {}).get(indicator)
            if found is not None and found.units >= max(min_units, 1):
                return found, key
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "panel_id": self.panel_id,
            **({"index_version": self.index_version} if self.index_version else {}),
            "quantiles": QUANTILES,
            "strata": {
                key: {
                    name: {"units": d.units, "q": [round(float(x), 9) for x in d.quantiles]}
                    for name, d in sorted(indicators.items())
                }
                for key, indicators in sorted(self.strata.items())
            },
        }


def percentile(distribution: Distribution, value: float) -> float:
    """Where ``value`` falls in the distribution, 0-100; ties take their middle rank,
    values between quantiles are interpolated."""
    q = distribution.quantiles
    low = int(np.searchsorted(q, value, side="left"))
    high = int(np.searchsorted(q, value, side="right"))
    if high > low:  # equal to one or more quantiles
        position = (low + high - 1) / 2.0
    elif low == 0:
        return 0.0
    elif low >= len(q):
        return 100.0
    else:
        below, above = q[low - 1], q[low]
        position = (low - 1) + (value - below) / (above - below)
    return float(100.0 * position / (len(q) - 1))


def percentiles(distribution: Distribution, values: np.ndarray) -> np.ndarray:
    """:func:`percentile` of many values at once (NaN stays NaN)."""
    q = distribution.quantiles
    values = np.asarray(values, dtype=np.float64)
    low = np.searchsorted(q, values, side="left")
    high = np.searchsorted(q, values, side="right")
    inner = np.clip(low, 1, len(q) - 1)
    below, above = q[inner - 1], q[inner]
    with np.errstate(invalid="ignore", divide="ignore"):
        between = (inner - 1) + (values - below) / np.where(above > below, above - below, 1.0)
    position = np.where(high > low, (low + high - 1) / 2.0, between)
    position = np.where((high == low) & (low == 0), 0.0, position)
    position = np.where((high == low) & (low >= len(q)), len(q) - 1.0, position)
    result: np.ndarray = 100.0 * position / (len(q) - 1)
    return np.where(np.isnan(values), np.nan, result)


def _weighted_quantiles(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    cumulative = np.cumsum(weights) - weights / 2.0
    cumulative /= weights.sum()
    quantiles: np.ndarray = np.interp(np.linspace(0, 1, QUANTILES), cumulative, values)
    return quantiles


def build_panel(
    panel_id: str,
    units: Iterable[tuple[str, dict[str, float]]],
    min_units: int = 1,
    index_version: str | None = None,
) -> Panel:
    """A panel from units given as (stratum, {indicator: value}) measured by
    ``index_version``; pooled strata (``platform|all`` and ``all|all``) are added. Strata
    with fewer than ``min_units`` units are left out."""
    samples: dict[str, dict[str, list[float]]] = {}
    for stratum, values in units:
        platform = stratum.split("|", 1)[0]
        for key in {stratum, stratum_key(platform, ALL), stratum_key(ALL, ALL)}:
            for name, value in values.items():
                if value is not None and not math.isnan(value):
                    samples.setdefault(key, {}).setdefault(name, []).append(float(value))
    panel = Panel(panel_id, index_version=index_version)
    for key, indicators in samples.items():
        for name, found in indicators.items():
            if len(found) >= min_units:
                array = np.asarray(found)
                panel.strata.setdefault(key, {})[name] = Distribution(
                    len(found), np.quantile(array, np.linspace(0, 1, QUANTILES))
                )
    return panel


def combine(panels: list[Panel], keep_single: bool = False) -> Panel:
    """Pool panels: each quantile stands for units/101 of its panel's units. With
    ``keep_single`` (index 1.0.3 on), a stratum's indicator that one panel alone holds
    keeps that panel's quantiles: pooling it with nothing re-placed them, and importing a
    panel of other strata moved scores it has nothing to say about."""
    if len(panels) == 1:
        return panels[0]
    ids = sorted(p.panel_id for p in panels)
    digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()[:12]
    pooled = Panel(f"jauge-panel/pooled-{digest}", sources=tuple(ids))
    keys = {(k, name) for p in panels for k, ind in p.strata.items() for name in ind}
    for key, name in sorted(keys):
        parts = [p.strata[key][name] for p in panels if name in p.strata.get(key, {})]
        if keep_single and len(parts) == 1:
            pooled.strata.setdefault(key, {})[name] = parts[0]
            continue
        values = np.concatenate([d.quantiles for d in parts])
        weights = np.concatenate([np.full(QUANTILES, d.units / QUANTILES) for d in parts])
        pooled.strata.setdefault(key, {})[name] = Distribution(
            sum(d.units for d in parts), _weighted_quantiles(values, weights)
        )
    return pooled


def parse_panel(data: Any, source: str) -> Panel:
    """A panel from its JSON form, checked so that a bad file is named precisely."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(
            source, N_("not a jauge panel: expected format {format}").format(format=repr(FORMAT))
        )
    if not isinstance(data.get("panel_id"), str) or not isinstance(data.get("strata"), dict):
        raise InputError(source, N_("a panel needs a panel_id and strata"))
    version = data.get("index_version")
    if version is not None and not isinstance(version, str):
        raise InputError(source, N_("index_version: expected a version like jauge-index/1.0.1"))
    panel = Panel(data["panel_id"], index_version=version)
    for key, indicators in data["strata"].items():
        if "|" not in key or not isinstance(indicators, dict):
            raise InputError(
                source, N_("strata.{key}: expected PLATFORM|BAND with indicators").format(key=key)
            )
        for name, body in indicators.items():
            q = body.get("q") if isinstance(body, dict) else None
            units = body.get("units") if isinstance(body, dict) else None
            if (
                not isinstance(q, list)
                or len(q) != QUANTILES
                or not isinstance(units, int)
                or units < 1
                or any(not isinstance(x, (int, float)) for x in q)
                or any(b < a for a, b in itertools.pairwise(q))
            ):
                raise InputError(
                    source,
                    N_(
                        "strata.{key}.{name}: expected units >= 1 and {count} non-decreasing "
                        "quantiles"
                    ).format(key=key, name=name, count=QUANTILES),
                )
            panel.strata.setdefault(key, {})[name] = Distribution(units, np.asarray(q, float))
    return panel


def builtin_panel() -> Panel:
    """The panel shipped with jauge (see jauge/metrics/panels/SOURCE.md)."""
    path = Path(str(resources.files("jauge.metrics").joinpath("panels", "builtin.json")))
    return parse_panel(json.loads(path.read_text("utf-8")), path.name)
