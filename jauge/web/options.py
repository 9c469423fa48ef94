"""The organisation choosers' ``<option>`` lists, escaped once per list of names.

A workspace of an agency may hold a thousand organisations, and every dashboard
page lists them all in its chooser. Rendered by the template engine, that list
was two thirds of a page's first render (about 3 ms of 4, measured with 1,000
organisations), and first renders queue on the server's event loop. The names
change only when the store does, so their escaped options are kept and a page
only marks the chosen ones.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence

from markupsafe import Markup, escape


@functools.lru_cache(maxsize=32)
def _plain(names: tuple[str, ...], as_value: bool) -> tuple[str, ...]:
    if as_value:
        return tuple(f'<option value="{escape(n)}">' for n in names)
    return tuple(f"<option>{escape(n)}</option>" for n in names)


def options(names: Sequence[str], chosen: str | Collection[str] | None = None) -> Markup:
    """``<option>`` elements for ``names``, with those in ``chosen`` selected."""
    parts = _plain(tuple(names), False)
    picked = {chosen} if isinstance(chosen, str) else set(chosen or ())
    if not picked:
        return Markup("".join(parts))
    marked = list(parts)
    for i, name in enumerate(names):
        if name in picked:
            marked[i] = f"<option selected>{escape(name)}</option>"
    return Markup("".join(marked))


def suggestions(names: Sequence[str]) -> Markup:
    """``<option value=...>`` elements for a ``<datalist>`` of ``names``."""
    return Markup("".join(_plain(tuple(names), True)))
