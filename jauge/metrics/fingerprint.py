"""The fingerprint of a result: a hash of everything its figures depend on (the index
version, the panel, the scope and the statistic tables), so that the same store and
arguments can be shown to give the same figures."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import pyarrow as pa

from .panel import Panel
from .spec import IndexSpec

#: statistic tables added after the index's first version (see :func:`fingerprint`)
LATER_TABLES = ("sessions",)


def fingerprint(spec: IndexSpec, panel: Panel, scope: dict[str, Any], stats: Any) -> str:
    """A hash of everything the figures depend on: version, panel, scope and statistics."""
    digest = hashlib.sha256()
    digest.update(json.dumps([spec.version, panel.panel_id, scope], sort_keys=True).encode())
    for name in sorted(stats):
        table = stats[name]
        if name in LATER_TABLES and table.num_rows == 0:
            # a table added by a later jauge enters the hash only when it holds rows, so
            # results that do not use it keep the fingerprint they always had
            continue
        digest.update(f"{name}:{table.num_rows}".encode())
        for column in table.column_names:
            values = table.column(column)
            if pa.types.is_floating(values.type):
                array = np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.float64)
                digest.update(np.where(np.isnan(array), -0.5, array).tobytes())
            else:
                digest.update(_joined_text(values))
    return digest.hexdigest()


def _joined_text(values: pa.ChunkedArray) -> bytes:
    """``"\\x1f".join(map(str, values.to_pylist())).encode()``, byte for byte, but
    straight from the Arrow buffers where the column is text without nulls: the ids of
    every engager of every scope would otherwise each become a Python string."""
    array = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if array.null_count or not pa.types.is_string(array.type) or len(array) < 2:
        return "\x1f".join(map(str, values.to_pylist())).encode()
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[
        array.offset : array.offset + len(array) + 1
    ]
    first = int(offsets[0])
    text = np.frombuffer(data_buffer, dtype=np.uint8)[first : int(offsets[-1])]
    # separator k goes after value k: where that value ends, moved by the k before it
    separators = offsets[1:-1] - first + np.arange(len(array) - 1)
    joined = np.empty(text.size + separators.size, dtype=np.uint8)
    is_text = np.ones(joined.size, dtype=bool)
    is_text[separators] = False
    joined[is_text] = text
    joined[separators] = 0x1F
    return joined.tobytes()
