"""``transformers``: a sentiment model of your own, from a local directory, through Hugging Face
``transformers`` (optional: ``pip install 'jauge[transformers]'``).

Point ``JAUGE_TRANSFORMERS_MODEL`` at a directory holding a sequence-classification model
with three labels (for example a downloaded ``cardiffnlp/twitter-xlm-roberta-base-sentiment``).
Nothing is fetched: the model is loaded with ``local_files_only``. Labels are read from the
model's ``id2label`` (names containing neg/neu/pos); models that only say LABEL_0..2 are
taken in the usual order negative, neutral, positive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ... import settings
from ...errors import ConfigError
from ...i18n import _
from . import LABELS, Sentiment, SentimentBackend

BATCH = 64


def label_order(id2label: dict[int, str]) -> list[int]:
    """For each class index of the model, the index of jauge's label it stands for."""
    order = []
    for index in sorted(id2label):
        name = str(id2label[index]).lower()
        if name.startswith("neg"):
            order.append(0)
        elif name.startswith("neu"):
            order.append(1)
        elif name.startswith("pos"):
            order.append(2)
        elif name.startswith("label_") and len(id2label) == 3:
            order.append(int(name.removeprefix("label_")))
        else:
            raise ConfigError(
                _(
                    "the model's label {label} is not negative, neutral or positive",
                    label=repr(id2label[index]),
                )
            )
    if sorted(order) != [0, 1, 2]:
        raise ConfigError(_("the model must have exactly the labels negative, neutral, positive"))
    return order


class TransformersBackend(SentimentBackend):
    name = "transformers"
    version = "transformers"
    description = "a local Hugging Face model directory (JAUGE_TRANSFORMERS_MODEL)"

    def __init__(self, model_dir: str | None = None) -> None:
        folder = model_dir or settings.TRANSFORMERS_MODEL.value()
        if not folder:
            raise ConfigError(
                _(
                    "the transformers backend needs a local model directory: set "
                    "JAUGE_TRANSFORMERS_MODEL=/path/to/model"
                )
            )
        path = Path(folder)
        if not (path / "config.json").exists():
            raise ConfigError(_("{path} holds no model (config.json is missing)", path=path))
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:
            raise ConfigError(
                _(
                    "the transformers backend needs PyTorch and transformers: "
                    "pip install 'jauge[transformers]'"
                )
            ) from exc
        self._torch: Any = torch
        self._tokenizer: Any = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model: Any = AutoModelForSequenceClassification.from_pretrained(
            path, local_files_only=True
        ).eval()
        self._order = label_order(dict(self._model.config.id2label))
        digest = hashlib.sha256((path / "config.json").read_bytes()).hexdigest()[:12]
        self.version = f"transformers:{path.name}:{digest}"

    def analyse(self, texts: Sequence[str], langs: Sequence[str]) -> list[Sentiment]:
        results: list[Sentiment] = []
        for start in range(0, len(texts), BATCH):
            chunk = list(texts[start : start + BATCH])
            inputs = self._tokenizer(
                chunk, padding=True, truncation=True, max_length=128, return_tensors="pt"
            )
            with self._torch.no_grad():
                probs = self._torch.softmax(self._model(**inputs).logits, dim=-1).numpy()
            for row in probs:
                ours = [0.0, 0.0, 0.0]
                for model_index, label_index in enumerate(self._order):
                    ours[label_index] = float(row[model_index])
                label = LABELS[max(range(3), key=lambda k: ours[k])]
                results.append(Sentiment(label, round(ours[2] - ours[0], 4)))
        return results
