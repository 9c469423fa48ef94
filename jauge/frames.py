"""Entity tables handed to notebooks: Arrow underneath, pandas and polars on request."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

if TYPE_CHECKING:
    import pandas
    import polars


class Frame:
    """An Arrow table with ``to_pandas()`` and ``to_polars()``.

    Attribute access falls through to the Arrow table, so ``frame.num_rows``,
    ``frame.column("text")`` and ``frame.schema`` work as on ``pyarrow.Table``.
    """

    def __init__(self, table: pa.Table) -> None:
        self._table = table

    def to_arrow(self) -> pa.Table:
        return self._table

    def to_pandas(self, **kwargs: Any) -> pandas.DataFrame:
        frame: pandas.DataFrame = self._table.to_pandas(**kwargs)
        return frame

    def to_polars(self) -> polars.DataFrame:
        import polars as pl

        return pl.from_arrow(self._table)  # type: ignore[return-value]

    def to_pylist(self) -> list[dict[str, Any]]:
        return list(self._table.to_pylist())

    def __len__(self) -> int:
        return int(self._table.num_rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self._table.__arrow_c_stream__(requested_schema)

    def __repr__(self) -> str:
        return f"Frame({self._table.num_rows} rows: {', '.join(self._table.column_names)})"
