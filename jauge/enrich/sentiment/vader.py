"""``vader``: the lexicon baselines, VADER for English and its French port, for comparison.

Other languages are read with the English lexicon (emoji and punctuation still count).
Labels follow VADER's own thresholds: compound <= -0.05 negative, >= 0.05 positive.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import cache
from typing import Any

from . import Sentiment, SentimentBackend


@cache
def analysers() -> dict[str, Any]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as English

    with warnings.catch_warnings():  # the French port warns about an optional speed-up
        warnings.simplefilter("ignore")
        from vaderSentiment_fr.vaderSentiment import SentimentIntensityAnalyzer as French

        return {"en": English(), "fr": French()}


def polarity(text: str, lang: str) -> dict[str, float]:
    """VADER's scores (pos, neg, neu, compound) with the lexicon of ``lang``."""
    table = analysers()
    scores: dict[str, float] = table.get(lang, table["en"]).polarity_scores(text)
    return scores


def label_of(compound: float) -> str:
    if compound <= -0.05:
        return "negative"
    if compound >= 0.05:
        return "positive"
    return "neutral"


class VaderBackend(SentimentBackend):
    name = "vader"
    version = "vader-3.3.2+vader-fr-1.3.4"
    description = "lexicon baselines: VADER (English) and VADER-FR (French)"

    def analyse(self, texts: Sequence[str], langs: Sequence[str]) -> list[Sentiment]:
        results = []
        for text, lang in zip(texts, langs, strict=True):
            compound = polarity(text, lang)["compound"]
            results.append(Sentiment(label_of(compound), round(float(compound), 4)))
        return results
