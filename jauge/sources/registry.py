"""The source registry: built-in and third-party sources, found through entry points.

Built-in sources are declared in ``pyproject.toml`` under the
``jauge.sources`` entry-point group, exactly as a plugin would declare its own.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from ..errors import NotFoundError
from .base import Source

GROUP = "jauge.sources"


@cache
def _classes() -> dict[str, type[Source]]:
    found: dict[str, type[Source]] = {}
    for ep in entry_points(group=GROUP):
        cls = ep.load()
        if not (isinstance(cls, type) and issubclass(cls, Source)):
            raise TypeError(f"entry point {ep.name!r} in {GROUP} is not a jauge Source")
        found[cls.name] = cls
    return dict(sorted(found.items()))


def names() -> list[str]:
    return list(_classes())


def get(name: str) -> Source:
    """A new instance of the source called ``name``."""
    classes = _classes()
    if name not in classes:
        raise NotFoundError(
            f"no source {name!r}: use one of {', '.join(classes)} (see `jauge sources`)"
        )
    return classes[name]()


def all_sources() -> list[Source]:
    return [cls() for cls in _classes().values()]
