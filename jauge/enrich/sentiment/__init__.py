"""Sentiment backends: one interface, a registry, and nothing downloaded at run time.

A backend turns texts (with their language) into a label, ``negative``, ``neutral`` or
``positive``, and a score in [-1, 1]. Built-in backends register through the
``jauge.sentiment`` entry point, as a plugin's would.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import ClassVar

from ...errors import NotFoundError

GROUP = "jauge.sentiment"
LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Sentiment:
    label: str
    score: float


class SentimentBackend(ABC):
    name: ClassVar[str]
    version: str  # recorded with every label it gives; a new version re-runs `jauge enrich`
    description: ClassVar[str]

    @abstractmethod
    def analyse(self, texts: Sequence[str], langs: Sequence[str]) -> list[Sentiment]:
        """One sentiment per text, in order."""


@cache
def _classes() -> dict[str, type[SentimentBackend]]:
    return {ep.name: ep.load() for ep in entry_points(group=GROUP)}


def backend_names() -> list[str]:
    return sorted(_classes())


def get_backend(name: str) -> SentimentBackend:
    classes = _classes()
    if name not in classes:
        raise NotFoundError(
            f"no sentiment backend {name!r}: use one of {', '.join(sorted(classes))}"
        )
    return classes[name]()
