"""The index specification as data: pillars, indicators, weights, windows, validated on load.

The JSON twin of ``docs/index-spec.md`` lives in ``jauge/metrics/specs/``, one file
per version. Old versions stay there and stay computable. A specification that
does not validate is refused with the path of the offending value, e.g.
``pillars[1].indicators[2].weight: weights of a pillar's indicators must sum to 1``.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError, NotFoundError
from ..i18n import _

LATEST = "jauge-index/1.0.3"
_VERSION = re.compile(r"^jauge-index/(\d+)\.(\d+)\.(\d+)$")
DIRECTIONS = ("higher", "lower")
#: how an item's counts are read from its metric snapshots: all from its latest snapshot
#: (up to 1.0.1), or each from the latest snapshot that gives it (from 1.0.2), so that a
#: newer export lacking a column does not make that count unknown
SNAPSHOT_COUNTS = ("latest_snapshot", "latest_known")
#: a median where half the weight falls between two values: the lower one (up to
#: 1.0.1) or their midpoint (from 1.0.2), as the median of an even number of values is
MEDIANS = ("lower", "midpoint")
#: how a person `jauge integrity` weighed down by half or more counts: by their weight
#: (up to 1.0.2; threads and opinions already left them out), or as no one, everywhere
#: (from 1.0.3): a flagged account kept up to half a person in engagers and comments, so
#: enough of them outweighed what the assessment took away
FLAGGED_PERSONS = ("weighed", "excluded")
#: which web sessions a social host sent: the hosts themselves (up to 1.0.2), or their
#: subdomains and apps too (from 1.0.3: fr.linkedin.com, android-app://com.linkedin.android)
SOCIAL_HOSTS = ("exact", "subdomains")
#: how imported panels pool with the built-in one where only one of them holds a stratum's
#: indicator: re-placed among 101 pooled quantiles all the same (up to 1.0.2), or kept
#: as that panel gives it (from 1.0.3)
PANEL_POOLING = ("requantile", "keep_single")
UNITS = (
    "items",
    "items_with_comments",
    "items_with_shares",
    "items_with_reactions",
    "items_with_saves_or_clicks",
    "engagers",
    "threads",
    "answered_threads",
    "new_engagers_first_half",
    "opinions",
    "items_with_reach_and_followers",
    "items_with_reach",
    "sessions",
    "reach_thousands",
)


@dataclass(frozen=True)
class Indicator:
    name: str
    pillar: str
    weight: float
    unit: str
    direction: str
    prior_strength: float
    min_n: float
    formula: str
    standard: str


@dataclass(frozen=True)
class Pillar:
    name: str
    weight: float
    amec_level: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class StatisticsRules:
    """What of a specification the statistics' SQL depends on."""

    #: an answer within this many hours counts as timely
    sla_hours: float
    #: one of :data:`SNAPSHOT_COUNTS`
    snapshot_counts: str = "latest_known"
    #: one of :data:`FLAGGED_PERSONS`
    flagged_persons: str = "excluded"
    #: the fewest hours between two touches of a person for them to count as having come
    #: back (returning engagers, cohort retention); 0: any touch in the previous window
    #: and any later calendar day, as up to 1.0.2
    return_gap_hours: float = 24.0
    #: one of :data:`SOCIAL_HOSTS`
    social_hosts: str = "subdomains"


@dataclass(frozen=True)
class IndexSpec:
    version: str
    min_days: int
    default_days: int
    replicates: int
    seed: int
    level: float
    follower_bands: tuple[int, ...]
    floor: float
    response_sla_hours: float
    pillars: tuple[Pillar, ...]
    snapshot_counts: str = "latest_snapshot"
    medians: str = "lower"
    #: the fewest units a panel stratum needs to be a reference (1 up to 1.0.1)
    min_reference_units: int = 1
    flagged_persons: str = "weighed"
    return_gap_hours: float = 0.0
    social_hosts: str = "exact"
    panel_pooling: str = "requantile"

    @property
    def statistics_rules(self) -> StatisticsRules:
        return StatisticsRules(
            self.response_sla_hours,
            self.snapshot_counts,
            self.flagged_persons,
            self.return_gap_hours,
            self.social_hosts,
        )

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for p in self.pillars for i in p.indicators)

    def pillar(self, name: str) -> Pillar:
        return next(p for p in self.pillars if p.name == name)


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source

    def choice(self, data: Any, key: str, choices: tuple[str, ...], default: str) -> str:
        """One of a rule's ``choices``; ``default`` for versions written before it existed."""
        value = data.get(key, default)
        if value not in choices:
            raise self.fail(key, f"expected one of {', '.join(choices)}")
        return str(value)

    def fail(self, path: str, message: str) -> ConfigError:
        return ConfigError(f"{self.source}: {path}: {message}")

    def get(self, obj: Any, key: str, path: str, kind: type | tuple[type, ...]) -> Any:
        if not isinstance(obj, dict) or key not in obj:
            raise self.fail(path or "(top)", f"missing {key!r}")
        value = obj[key]
        if kind in (float, (int, float)) and isinstance(value, bool):
            raise self.fail(f"{path}.{key}".lstrip("."), "expected a number")
        if not isinstance(value, kind):
            expected = kind.__name__ if isinstance(kind, type) else "a number"
            raise self.fail(f"{path}.{key}".lstrip("."), f"expected {expected}, got {value!r}")
        return value


def parse_spec(data: Any, source: str = "specification") -> IndexSpec:
    """Validate a specification's data and build an :class:`IndexSpec`."""
    c = _Checker(source)
    version = c.get(data, "version", "", str)
    if not _VERSION.match(version):
        raise c.fail("version", f"expected jauge-index/MAJOR.MINOR.PATCH, got {version!r}")
    window = c.get(data, "window", "", dict)
    min_days = c.get(window, "min_days", "window", int)
    default_days = c.get(window, "default_days", "window", int)
    if min_days < 28:
        raise c.fail("window.min_days", "windows must be at least 28 days (slow measures)")
    if default_days < min_days:
        raise c.fail("window.default_days", "the default window is shorter than the minimum")
    boot = c.get(data, "bootstrap", "", dict)
    replicates = c.get(boot, "replicates", "bootstrap", int)
    level = float(c.get(boot, "level", "bootstrap", (int, float)))
    if replicates < 50:
        raise c.fail("bootstrap.replicates", "at least 50 replicates are needed for an interval")
    if not 0.5 <= level < 1:
        raise c.fail("bootstrap.level", "the interval level must be from 0.5 to below 1")
    bands = c.get(c.get(data, "strata", "", dict), "follower_bands", "strata", list)
    if bands != sorted(bands) or not all(isinstance(b, int) and b > 0 for b in bands):
        raise c.fail("strata.follower_bands", "expected increasing positive whole numbers")
    aggregation = c.get(data, "aggregation", "", dict)
    floor = float(c.get(aggregation, "floor", "aggregation", (int, float)))
    if c.get(aggregation, "index", "aggregation", str) != "weighted_geometric_mean":
        raise c.fail("aggregation.index", "v1 aggregates pillars by weighted_geometric_mean")
    if c.get(aggregation, "pillars", "aggregation", str) != "weighted_arithmetic_mean":
        raise c.fail("aggregation.pillars", "v1 aggregates indicators by weighted_arithmetic_mean")
    pillars = []
    names: set[str] = set()
    raw_pillars = c.get(data, "pillars", "", list)
    for p_index, raw in enumerate(raw_pillars):
        path = f"pillars[{p_index}]"
        name = c.get(raw, "name", path, str)
        indicators = []
        for i_index, ind in enumerate(c.get(raw, "indicators", path, list)):
            ipath = f"{path}.indicators[{i_index}]"
            iname = c.get(ind, "name", ipath, str)
            if iname in names:
                raise c.fail(f"{ipath}.name", f"{iname!r} is defined twice")
            names.add(iname)
            direction = c.get(ind, "direction", ipath, str)
            if direction not in DIRECTIONS:
                raise c.fail(f"{ipath}.direction", f"expected one of {DIRECTIONS}")
            unit = c.get(ind, "unit", ipath, str)
            if unit not in UNITS:
                raise c.fail(f"{ipath}.unit", f"unknown unit {unit!r}; known: {', '.join(UNITS)}")
            weight = float(c.get(ind, "weight", ipath, (int, float)))
            if weight <= 0:
                raise c.fail(f"{ipath}.weight", "weights are positive")
            indicators.append(
                Indicator(
                    name=iname,
                    pillar=name,
                    weight=weight,
                    unit=unit,
                    direction=direction,
                    prior_strength=float(c.get(ind, "prior_strength", ipath, (int, float))),
                    min_n=float(c.get(ind, "min_n", ipath, (int, float))),
                    formula=c.get(ind, "formula", ipath, str),
                    standard=c.get(ind, "standard", ipath, str),
                )
            )
        total = sum(i.weight for i in indicators)
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise c.fail(
                f"{path}.indicators", f"weights of a pillar's indicators must sum to 1, not {total}"
            )
        pillars.append(
            Pillar(
                name=name,
                weight=float(c.get(raw, "weight", path, (int, float))),
                amec_level=c.get(raw, "amec_level", path, str),
                indicators=tuple(indicators),
            )
        )
    total = sum(p.weight for p in pillars)
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        raise c.fail("pillars", f"pillar weights must sum to 1, not {total}")
    # versions written before the choice existed read every count from the latest snapshot
    snapshot_counts = c.choice(data, "snapshot_counts", SNAPSHOT_COUNTS, "latest_snapshot")
    medians = c.choice(data, "medians", MEDIANS, "lower")
    min_reference_units = data.get("min_reference_units", 1)
    if isinstance(min_reference_units, bool) or not isinstance(min_reference_units, int):
        raise c.fail("min_reference_units", "expected a whole number")
    if min_reference_units < 1:
        raise c.fail("min_reference_units", "a reference needs at least one unit")
    flagged_persons = c.choice(data, "flagged_persons", FLAGGED_PERSONS, "weighed")
    return_gap_hours = data.get("return_gap_hours", 0)
    if isinstance(return_gap_hours, bool) or not isinstance(return_gap_hours, int | float):
        raise c.fail("return_gap_hours", "expected a number of hours")
    if not 0 <= return_gap_hours <= 24 * 28:
        raise c.fail("return_gap_hours", "expected from 0 to 672 hours (the shortest window)")
    social_hosts = c.choice(data, "social_hosts", SOCIAL_HOSTS, "exact")
    panel_pooling = c.choice(data, "panel_pooling", PANEL_POOLING, "requantile")
    return IndexSpec(
        version=version,
        min_days=min_days,
        default_days=default_days,
        replicates=replicates,
        seed=c.get(boot, "seed", "bootstrap", int),
        level=level,
        follower_bands=tuple(bands),
        floor=floor,
        response_sla_hours=float(c.get(data, "response_sla_hours", "", (int, float))),
        pillars=tuple(pillars),
        snapshot_counts=snapshot_counts,
        medians=medians,
        min_reference_units=min_reference_units,
        flagged_persons=flagged_persons,
        return_gap_hours=float(return_gap_hours),
        social_hosts=social_hosts,
        panel_pooling=panel_pooling,
    )


def spec_files() -> dict[str, Path]:
    """Every bundled specification, by version."""
    folder = resources.files("jauge.metrics").joinpath("specs")
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            version = "jauge-index/" + entry.name.removeprefix("jauge-index-").removesuffix(".json")
            found[version] = Path(str(entry))
    return found


@cache
def load_spec(version: str = LATEST) -> IndexSpec:
    """The bundled specification of ``version`` (default: the latest)."""
    files = spec_files()
    if version not in files:
        raise NotFoundError(
            _(
                "no index version {version}: known: {known}",
                version=repr(version),
                known=", ".join(sorted(files)),
            )
        )
    path = files[version]
    try:
        data = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(
            _("{file}: line {line}: {reason}", file=path.name, line=exc.lineno, reason=exc.msg)
        ) from exc
    spec = parse_spec(data, path.name)
    if spec.version != version:
        raise ConfigError(
            _(
                "{file}: version: says {says}, file name says {named}",
                file=path.name,
                says=repr(spec.version),
                named=repr(version),
            )
        )
    return spec
