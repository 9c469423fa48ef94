"""Sentiment backends: one interface, a registry, and nothing downloaded at run time.

A backend turns texts (with their language) into a label, ``negative``, ``neutral`` or
``positive``, and a score in [-1, 1]. Built-in backends register through the
``jauge.sentiment`` entry point, as a plugin's would.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from ... import plugins
from ...i18n import N_

GROUP = "jauge.sentiment"
#: the backend used when none is named, by the CLI, the API and the enrichment
DEFAULT_BACKEND = "accurate"
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


#: what a text without a word says: nothing, so neither good nor bad
NOTHING_SAID = Sentiment("neutral", 0.0)


def analyse_texts(
    backend: SentimentBackend, texts: Sequence[str], langs: Sequence[str]
) -> list[Sentiment]:
    """``backend.analyse``, except that blank texts are neutral without asking it: models
    give empty input whatever their bias is (the fast one says negative)."""
    said = [i for i, t in enumerate(texts) if t and t.strip()]
    found = backend.analyse([texts[i] for i in said], [langs[i] for i in said]) if said else []
    out = [NOTHING_SAID] * len(texts)
    for i, sentiment in zip(said, found, strict=True):
        out[i] = sentiment
    return out


def backend_names() -> list[str]:
    return sorted(plugins.classes(GROUP, SentimentBackend))


def get_backend(name: str) -> SentimentBackend:
    found: SentimentBackend = plugins.create(GROUP, SentimentBackend, name, N_("sentiment backend"))
    return found
