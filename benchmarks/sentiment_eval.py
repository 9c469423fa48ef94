"""Sentiment evaluation: macro-F1 per language on the XLM-T validation splits and texts per
second for every backend, next to the published XLM-T results.

The validation splits are in tests/data/xlmt-sentiment-fr-en (324 tweets per language,
balanced). Speed is measured on one process (with the threads PyTorch takes by default, one
per core) over the validation texts repeated 20 times, after a first pass that loads the
model. A backend that cannot run here (``transformers`` without a local model) is listed
with the reason. Run: python benchmarks/sentiment_eval.py
"""

from __future__ import annotations

import time
from pathlib import Path

from sklearn.metrics import f1_score

from jauge.enrich.sentiment import LABELS, backend_names, get_backend
from jauge.errors import JaugeError

XLMT = Path(__file__).resolve().parent.parent / "tests" / "data" / "xlmt-sentiment-fr-en"
LANGS = {"french": "fr", "english": "en"}
#: macro-F1 reported by Barbieri et al. (2022), table of UMSAB results (test splits)
PUBLISHED = {
    "XLM-Tw (multilingual)": {"french": 71.2, "english": 70.6},
    "XLM-R (monolingual)": {"french": 72.0, "english": 68.2},
    "fastText": {"french": 54.8, "english": 50.9},
}


def load(language: str) -> tuple[list[str], list[str]]:
    labels = [LABELS[int(x)] for x in (XLMT / language / "val_labels.txt").read_text().split()]
    texts = (XLMT / language / "val_text.txt").read_text("utf-8").split("\n")[: len(labels)]
    return texts, labels


def main() -> None:
    print("macro-F1 on the XLM-T validation splits (ours) and test splits (published)")
    print(f"{'backend':<34}{'French':>8}{'English':>9}{'texts/s FR':>12}{'texts/s EN':>12}")
    for name in backend_names():
        try:
            backend = get_backend(name)
        except JaugeError as exc:
            print(f"{name:<34}not measured: {exc}")
            continue
        f1s, speeds = [], []
        for language, code in LANGS.items():
            texts, gold = load(language)
            predicted = [r.label for r in backend.analyse(texts, [code] * len(texts))]
            f1s.append(100 * f1_score(gold, predicted, average="macro"))
            many = texts * 20
            started = time.perf_counter()
            backend.analyse(many, [code] * len(many))
            speeds.append(len(many) / (time.perf_counter() - started))
        print(f"{name:<34}{f1s[0]:>8.1f}{f1s[1]:>9.1f}{speeds[0]:>12,.0f}{speeds[1]:>12,.0f}")
    for name, scores in PUBLISHED.items():
        print(f"{name + ' (published)':<34}{scores['french']:>8.1f}{scores['english']:>9.1f}")


if __name__ == "__main__":
    main()
