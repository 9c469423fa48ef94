"""jauge: measure what social media is really worth, with one open, reproducible indicator."""

from .api import Jauge, open
from .errors import (
    ConfigError,
    InputError,
    InvalidRowsError,
    JaugeError,
    NotFoundError,
    RowError,
    StoreError,
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
    "RowError",
    "Source",
    "Stats",
    "StoreError",
    "TabularSource",
    "__version__",
    "open",
]
