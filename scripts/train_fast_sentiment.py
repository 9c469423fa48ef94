"""Train the ``fast`` sentiment model (jauge/enrich/models/fast-sentiment-1.npz).

Data: the XLM-T (UMSAB) French and English training splits in
../shared/data/xlmt-sentiment-fr-en (Barbieri et al. 2022; DEFT 2017, SemEval-2017),
balanced classes. The regularisation C = 3 was chosen on the validation splits, which
therefore only estimate accuracy optimistically; the official test splits stay blind.
Deterministic: the same data gives the same weights. Run: python scripts/train_fast_sentiment.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from jauge.enrich.sentiment.fast import MODEL_FILE, features, vectorizers

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "xlmt-sentiment-fr-en"
LANGS = {"english": "en", "french": "fr"}


def load(folder: Path, language: str, split: str) -> tuple[list[str], list[int]]:
    labels = [int(x) for x in (folder / language / f"{split}_labels.txt").read_text().split()]
    texts = (folder / language / f"{split}_text.txt").read_text("utf-8").split("\n")
    return texts[: len(labels)], labels


def idf(counts: np.ndarray | object, n_docs: int) -> np.ndarray:
    df = np.bincount(counts.indices, minlength=counts.shape[1])  # type: ignore[attr-defined]
    return np.log((1 + n_docs) / (1 + df)) + 1.0


def main() -> None:
    texts, labels, langs = [], [], []
    for language, code in LANGS.items():
        t, y = load(DATA, language, "train")
        texts += t
        labels += y
        langs += [code] * len(t)
    chars, words = vectorizers()
    idf_chars = idf(chars.transform(texts).tocsr(), len(texts))
    idf_words = idf(words.transform(texts).tocsr(), len(texts))
    x = features(texts, langs, idf_chars, idf_words)
    classifier = LogisticRegression(C=3.0, max_iter=5000).fit(x, labels)
    out = ROOT / "jauge" / "enrich" / "models" / MODEL_FILE
    np.savez_compressed(
        out,
        coef=classifier.coef_.astype(np.float16),
        intercept=classifier.intercept_,
        idf_chars=idf_chars.astype(np.float16),
        idf_words=idf_words.astype(np.float16),
    )
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    from jauge.enrich.sentiment.fast import FastBackend, model

    model.cache_clear()
    for language, code in LANGS.items():
        t, y = load(DATA, language, "val")
        predicted = [
            ("negative", "neutral", "positive").index(s.label)
            for s in FastBackend().analyse(t, [code] * len(t))
        ]
        print(
            f"{language}: validation macro-F1 {100 * f1_score(y, predicted, average='macro'):.1f}"
        )


if __name__ == "__main__":
    main()
