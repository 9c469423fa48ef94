"""The one registry pattern: built-in and third-party plugins, found through entry points.

Sources (``jauge.sources``), engines (``jauge.engines``) and sentiment backends
(``jauge.sentiment``) are all declared in a package's entry points; jauge's own are
declared in its ``pyproject.toml`` exactly as a plugin's would be.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import Any

from .errors import NotFoundError
from .i18n import _


@cache
def _load(group: str) -> dict[str, Any]:
    return {ep.name: ep.load() for ep in sorted(entry_points(group=group), key=lambda e: e.name)}


def classes(group: str, base: type) -> dict[str, type]:
    """Every plugin class of ``group``, by name; a class of the wrong kind is an error."""
    found = _load(group)
    for name, cls in found.items():
        if not (isinstance(cls, type) and issubclass(cls, base)):
            raise TypeError(f"entry point {name!r} in {group} is not a {base.__name__}")
    return dict(found)


def create(group: str, base: type, name: str, what: str) -> Any:
    """A new instance of the plugin ``name``, or an error listing the known ones."""
    found = classes(group, base)
    if name not in found:
        raise NotFoundError(
            _(
                "no {what} {name}: use one of {names}",
                what=_(what),
                name=repr(name),
                names=", ".join(sorted(found)),
            )
        )
    return found[name]()
