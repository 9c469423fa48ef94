"""``fast``: a linear model for millions of items, trained by scripts/train_fast_sentiment.py.

Features: hashed character 1-4-grams and word 1-2-grams (tf-idf weighted) and the
VADER lexicon's four scores in the text's language; a multinomial logistic regression
over them. The weights ship in ``jauge/enrich/models/`` (no pickle: plain arrays), so
nothing is downloaded and the same text always gets the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from . import LABELS, Sentiment, SentimentBackend
from .vader import polarity

MODEL_FILE = "fast-sentiment-1.npz"
CHAR_FEATURES = 2**17
WORD_FEATURES = 2**16
WORD_PATTERN = r"(?u)\b\w+\b|[!?]+|[:;]-?[()DP]"
LEXICON_SCALE = 3.0


def vectorizers() -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import HashingVectorizer

    chars = HashingVectorizer(
        analyzer="char_wb", ngram_range=(1, 4), n_features=CHAR_FEATURES, alternate_sign=False
    )
    words = HashingVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        n_features=WORD_FEATURES,
        alternate_sign=False,
        token_pattern=WORD_PATTERN,
    )
    return chars, words


def lexicon_features(texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
    rows = []
    for text, lang in zip(texts, langs, strict=True):
        s = polarity(text, lang)
        rows.append([s["pos"], s["neg"], s["neu"], s["compound"]])
    return np.asarray(rows, dtype=np.float64).reshape(-1, 4) * LEXICON_SCALE


def features(
    texts: Sequence[str], langs: Sequence[str], idf_chars: np.ndarray, idf_words: np.ndarray
) -> Any:
    """The sparse feature matrix of ``texts`` (sublinear tf-idf, L2-normalised blocks)."""
    from scipy.sparse import csr_matrix, diags, hstack
    from sklearn.preprocessing import normalize

    chars, words = vectorizers()
    blocks = []
    for vectorizer, idf in ((chars, idf_chars), (words, idf_words)):
        counts = vectorizer.transform(texts).astype(np.float64)
        counts.data = 1.0 + np.log(counts.data)
        blocks.append(normalize(counts @ diags(idf.astype(np.float64))))
    blocks.append(csr_matrix(lexicon_features(texts, langs)))
    return hstack(blocks).tocsr()


@cache
def model() -> dict[str, np.ndarray]:
    path = Path(str(resources.files("jauge.enrich").joinpath("models", MODEL_FILE)))
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


class FastBackend(SentimentBackend):
    name = "fast"
    version = "fast-sentiment-1"
    description = "hashed n-grams + VADER scores, logistic regression (FR, EN; others best-effort)"

    def analyse(self, texts: Sequence[str], langs: Sequence[str]) -> list[Sentiment]:
        if not texts:
            return []
        m = model()
        x = features(texts, langs, m["idf_chars"], m["idf_words"])
        logits = x @ m["coef"].astype(np.float64).T + m["intercept"]
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        labels = probs.argmax(axis=1)
        scores = probs[:, 2] - probs[:, 0]
        return [
            Sentiment(LABELS[int(k)], round(float(s), 4))
            for k, s in zip(labels, scores, strict=True)
        ]
