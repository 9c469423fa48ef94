"""The commands' help in the user's language.

Click reads a command's help from its docstring and its options' ``help=``; they are
written in English next to the code they describe. Before the ``jauge`` group runs,
each text is replaced by its entry in the language's catalogue (``jauge/locales``),
the English kept aside so that the next run (in a test, another language) starts
from it. Click's own words (``Usage:``, ``Options:``) stay in English.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import click

from ..i18n import _

_ENGLISH = "_jauge_english_help"


def help_holders(command: click.Command) -> Iterator[tuple[Any, str]]:
    """(object, attribute) for every help text of ``command`` and its subcommands."""
    for attribute in ("help", "short_help", "epilog"):
        yield command, attribute
    for param in command.params:
        if isinstance(param, click.Option):
            yield param, "help"
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from help_holders(sub)


def english_help(holder: Any, attribute: str) -> str | None:
    """The text as written in the code (cleaned as click shows it), or None."""
    kept: dict[str, str | None] = holder.__dict__.setdefault(_ENGLISH, {})
    if attribute not in kept:
        text = getattr(holder, attribute)
        kept[attribute] = inspect.cleandoc(text) if text else None
    return kept[attribute]


def localise_help(root: click.Command) -> None:
    for holder, attribute in help_holders(root):
        english = english_help(holder, attribute)
        if english is not None:
            setattr(holder, attribute, _(english))
