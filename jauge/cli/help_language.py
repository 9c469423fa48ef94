"""The commands' help, and click's own words, in the user's language.

Click reads a command's help from its docstring and its options' ``help=``; they are
written in English next to the code they describe. Before the ``jauge`` group runs,
each text is replaced by its entry in the language's catalogue (``jauge/locales``),
the English kept aside so that the next run (in a test, another language) starts
from it.

Click says its own words (``Usage:``, ``Missing option``...) through the standard
library's gettext, which reads the locale but not ``JAUGE_LANG`` and needs compiled
catalogues; its modules are given jauge's lookup instead, over
``jauge/locales/click.fr.json``. Click puts the colon after a heading itself
(``Options:``): the French headings end with the space French writes before it
(``Options :``). The names of the values options take (``--org NAME``)
are said in the language too, from ``jauge/locales/metavars.fr.json``.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterator
from typing import Any

import click

from ..i18n import _, catalogue, language, separated, singular

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
    localise_click()
    for holder, attribute in help_holders(root):
        if holder is root or isinstance(holder, click.Command):
            # click keeps each command's --help option, its text in the language of the
            # run that made it: let it make the option again
            holder.__dict__["_help_option"] = None
        english = english_help(holder, attribute)
        if english is not None:
            setattr(holder, attribute, _(english))
    words = catalogue(language(), "metavars")
    for holder, attribute in help_holders(root):
        if attribute == "help" and isinstance(holder, click.Group):
            # its usage line: jauge connect [OPTIONS] COMMAND [ARGS]...
            kept = holder.__dict__.setdefault(_ENGLISH, {})
            english = kept.setdefault("subcommand_metavar", holder.subcommand_metavar)
            holder.subcommand_metavar = english and metavar_words(english, words)
    for param in parameters(root):
        localise_metavar(param, words)
        if isinstance(param.type, click.Path):
            # click names a path's kind when the option is made (at import), in its
            # messages ("File 'x' does not exist."): name it in this run's language
            files, folders = param.type.file_okay, param.type.dir_okay
            kind = "path" if files == folders else "file" if files else "directory"
            param.type.name = click_words(kind)


def localise_metavar(param: click.Parameter, words: dict[str, str]) -> None:
    """Name the value a parameter takes (``--org NAME``) in the run's language, as the
    help around it does ("passez --org NOM")."""
    kept: dict[str, str | None] = param.__dict__.setdefault(_ENGLISH, {})
    if "metavar" not in kept:
        kept["metavar"] = param.metavar
    english = kept["metavar"]
    param.metavar = english
    if not words:
        return
    if english is not None:
        param.metavar = metavar_words(english, words)
        return
    if isinstance(param.type, click.Choice | click.DateTime) or getattr(param, "is_flag", False):
        return  # their values or nothing: no word to say
    # what click would show, made the same way (Option/Argument.make_metavar)
    if isinstance(param, click.Argument):
        said = metavar_words(str(param.name).upper(), words)
        if not param.required:
            said = f"[{said}]"
    else:
        said = metavar_words(param.type.name.upper(), words)
    param.metavar = said + ("..." if param.nargs != 1 else "")


def metavar_words(metavar: str, words: dict[str, str]) -> str:
    """``metavar`` in the catalogue's words: as a whole (click's ``INTEGER RANGE``), else
    word by word (``COLUMN=FIELD``, ``[NAME]...``)."""
    if metavar in words:
        return words[metavar]
    return re.sub(r"[A-Z]+", lambda m: words.get(m.group(), m.group()), metavar)


def parameters(command: click.Command) -> Iterator[click.Parameter]:
    """Every parameter of ``command`` and its subcommands."""
    yield from command.params
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from parameters(sub)


#: click's modules that say its words with gettext's ``_`` and ``ngettext`` (termui: the
#: password prompt's confirmation)
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")


class _NamingAType(str):
    """One of click's messages that click fills in with a type's name ("'abc' is not a
    valid integer"): the name, a word of click's too, is said in the language as well."""

    def format(self, *args: Any, **values: Any) -> str:
        if isinstance(values.get("number_type"), str):
            values["number_type"] = click_words(values["number_type"])
        return super().format(*args, **values)


def click_words(message: str) -> str:
    text = catalogue(language(), "click").get(message, message)
    return _NamingAType(text) if "{number_type}" in message else text


def click_plural(singular_message: str, plural_message: str, n: int) -> str:
    return click_words(singular_message if singular(n) else plural_message)


_click_help_record = click.Option.get_help_record


def _help_record(self: click.Option, ctx: click.Context) -> tuple[str, str] | None:
    """An option's help, the facts click adds after it ("[default: 20; x>=1]") separated
    as the language separates them ("[par défaut : 20 ; x>=1]"): click joins them itself."""
    record = _click_help_record(self, ctx)
    if record is None or not record[1].endswith("]") or "[" not in record[1]:
        return record
    spec, text = record
    before, _bracket, facts = text.rpartition("[")
    return spec, f"{before}[{separated(facts[:-1].split('; '))}]"


def localise_click() -> None:
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = click_words  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = click_plural  # type: ignore[attr-defined]
    click.Option.get_help_record = _help_record  # type: ignore[method-assign]
