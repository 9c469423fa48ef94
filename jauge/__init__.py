"""jauge: measure what social media is really worth, with one open, reproducible indicator."""

from .api import Jauge, open
from .errors import (
    ConfigError,
    InputError,
    InvalidRowsError,
    JaugeError,
    NotFoundError,
    ReadOnlyStoreError,
    RowError,
    StoreError,
    UsageError,
)
from .frames import Frame
from .ingest import FileResult, ImportResult
from .sources.base import ImportOptions, Source, TabularSource
from .stats import Stats

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "FileResult",
    "Frame",
    "ImportOptions",
    "ImportResult",
    "InputError",
    "InvalidRowsError",
    "Jauge",
    "JaugeError",
    "NotFoundError",
    "ReadOnlyStoreError",
    "RowError",
    "Source",
    "Stats",
    "StoreError",
    "TabularSource",
    "UsageError",
    "__version__",
    "open",
]
