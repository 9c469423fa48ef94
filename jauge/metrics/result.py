"""What the index gives: a figure (a score with its interval) for the index, each pillar
and each component, and the result of one scope, the contract of ``jauge score --format
json`` (see docs/index-spec.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa


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
            "score": rounded(self.score),
            "value": rounded(self.value),
            "interval": [rounded(x) for x in self.interval] if self.interval else None,
            "weight": rounded(self.weight),
            "n": counted(self.n),
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
            "score": rounded(self.score),
            "interval": [rounded(x) for x in self.interval] if self.interval else None,
            "pillars": {k: v.to_dict() for k, v in self.pillars.items()},
            "components": {k: v.to_dict() for k, v in self.components.items()},
            "coverage": self.coverage,
            "integrity_share": rounded(self.integrity_share),
            "warnings": list(self.warnings),
            "sources_and_methods": self.sources_and_methods,
            "fingerprint": self.fingerprint or None,  # none without a score to pin
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


def rounded(x: float | None, digits: int = 6) -> float | None:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return None
    return round(float(x), digits)


def counted(n: float) -> int | float | None:
    """A figure's ``n`` as what it counts: a whole number of posts or people is an integer
    (4, not 4.0); people weighed by their authenticity (docs/integrity.md) or thousands of
    people reached may count a fraction, kept as a rounded float."""
    x = rounded(n)
    return int(x) if x is not None and x.is_integer() else x
