"""The source registry: built-in and third-party sources, found through entry points.

Built-in sources are declared in ``pyproject.toml`` under the ``jauge.sources``
entry-point group, exactly as a plugin would declare its own.
"""

from __future__ import annotations

from .. import plugins
from ..i18n import N_
from .base import Source

GROUP = "jauge.sources"


def names() -> list[str]:
    return sorted(plugins.classes(GROUP, Source))


def get(name: str) -> Source:
    """A new instance of the source called ``name``."""
    found: Source = plugins.create(GROUP, Source, name, N_("source"))
    return found


def all_sources() -> list[Source]:
    return [plugins.create(GROUP, Source, n, N_("source")) for n in names()]
