"""Rendering for the CLI: the only place where exceptions become exit codes, text or JSON.

Exit codes: 0 success; 1 the input or the store was refused (the message says
why); 2 a usage error: click's own, or an option's value jauge cannot use; 130 Ctrl-C.
With ``--format json``, every error, usage errors included, is one JSON error object on
standard output.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

import click
import duckdb

from ..errors import (
    JaugeError,
    ReadOnlyStoreError,
    UsageError,
    error_object,
    is_interruption,
    out_of_memory,
)
from ..i18n import _, localised
from .options import WORKSPACE_OPTION

if TYPE_CHECKING:
    from ..api import Jauge

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


#: whether this command printed its JSON document already (one per command, see
#: :func:`interrupted`)
_json_printed = False


def print_json(data: Any) -> None:
    global _json_printed
    _json_printed = True
    click.echo(json_text(data, indent=2))


def command_starts() -> None:
    """A new command line: it has printed no JSON yet (tests run many in one process)."""
    global _json_printed
    _json_printed = False


def _asks_json() -> bool:
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root().command if ctx is not None else None
    return bool(getattr(root, "asks_json", False)) or json_requested(sys.argv[1:])


def json_text(data: Any, indent: int | None = None) -> str:
    """``data`` as JSON for standard output: its characters as they are, or JSON's own
    escapes where the output cannot write them (cp1252 on Windows, a redirect there),
    which keep the document the same once parsed."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=str)
    if not _encodable(text, sys.stdout):
        text = json.dumps(data, ensure_ascii=True, indent=indent, default=str)
    return text


def _encodable(text: str, stream: Any) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


@contextmanager
def reported(fmt: str = "table") -> Iterator[None]:
    """Turn a JaugeError raised inside the block into a message and exit status 1 (2 for
    a UsageError), and Ctrl-C into a word of what it left (exit status 130, as a shell
    reports SIGINT), however the engine says it."""
    try:
        yield
    except KeyboardInterrupt:
        interrupted()
    except Exception as exc:
        if is_interruption(exc):
            interrupted()
        if isinstance(exc, duckdb.Error) and "read-only mode" in str(exc):
            # a command that reads opened a store it cannot write read-only (see opened)
            exc = ReadOnlyStoreError(
                _("this command writes to the store, which is read-only here: run it on a copy")
            )
        if isinstance(exc, duckdb.OutOfMemoryException):
            exc = out_of_memory()
        if not isinstance(exc, JaugeError):
            raise
        if fmt == "json":
            print_json(error_object(exc))
        else:
            click.echo(
                click.style(_("error: "), fg="red", bold=True) + localised(str(exc)), err=True
            )
        sys.exit(EXIT_USAGE if isinstance(exc, UsageError) else EXIT_REFUSED)


def interrupted(finished: bool = False) -> None:
    """Say what Ctrl-C left, and exit with status 130; ``finished``: it came once the
    command's work was done (as the store closed), so all it wrote is kept."""
    # every write is one transaction: the one under way was rolled back
    left = (
        _("the command had done its work, and what it wrote is kept")
        if finished
        else _("what was being written when it stopped was not written; what was done is kept")
    )
    click.echo(click.style(_("interrupted: "), fg="yellow", bold=True) + left, err=True)
    if _asks_json() and not _json_printed:
        # a script reads one document whatever happened, and whether the work was kept
        print_json({"error": {"code": "interrupted", "message": left, "kept": finished}})
    sys.exit(EXIT_INTERRUPTED)


def json_requested(args: Sequence[str]) -> bool:
    """Whether a command line asks for JSON (``--format json``, or jsonl)."""
    wanted = ("json", "jsonl")
    return any(
        (a == "--format" and i + 1 < len(args) and args[i + 1] in wanted)
        or a in ("--format=json", "--format=jsonl")
        for i, a in enumerate(args)
    )


class JsonClickError(click.ClickException):
    """One of click's errors (a file it could not open; see :class:`JsonUsageError`)
    said as jauge's JSON error object on standard output: a script that asked for JSON
    reads one document whatever went wrong."""

    kind = "input"

    def show(self, file: Any = None) -> None:
        print_json({"error": {"code": self.kind, "message": self.message}})


class JsonUsageError(JsonClickError):
    """A usage error of click's, as JSON (exit status 2, as click's)."""

    exit_code = EXIT_USAGE
    kind = "usage"


def as_json(exc: click.ClickException) -> JsonClickError:
    """``exc`` said as JSON, with its exit status."""
    said = JsonUsageError if isinstance(exc, click.UsageError) else JsonClickError
    return said(exc.format_message())


#: commands that add to a workspace, and create it when it is new (they say so)
ADDING = frozenset({"import", "org add", "campaign add", "connect add"})
#: commands that never write: a store they cannot write is opened read-only (an
#: archive on a read-only volume can still be read)
READING = frozenset(
    {
        "campaign list",
        "compare",
        "connect list",
        "graph export",
        "org list",
        "panel export",
        "people",
        "person export",
        "person find",
        "person show",
        "report",
        "score",
        "stats",
        "topics",
        "value",
        "voice",
        "workspace list",
    }
)


def command_name() -> str:
    """The running command as its users type it after ``jauge`` (``org add``)."""
    ctx = click.get_current_context(silent=True)
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


@contextmanager
def opened(db: str | None, workspace: str | None = None, fmt: str = "table") -> Iterator[Jauge]:
    """A command's store, its errors reported as :func:`reported` does, and the store
    closed however the block ends (its lock released for the next command).

    A command that only reads opens a store it cannot write read-only. A workspace the
    store does not have is refused (a typo would show nothing, with exit status 0),
    except by the commands that add to it, which create it and say so on stderr."""
    import jauge

    from .. import settings
    from ..stats import known_workspace
    from ..store.access import workspace_exists, workspace_names

    command = command_name()
    ctx = click.get_current_context(silent=True)
    checked = ctx is not None and ctx.meta.get(WORKSPACE_OPTION, False)
    with reported(fmt):
        try:
            handle = jauge.open(db, workspace=workspace)
        except ReadOnlyStoreError:
            if command not in READING:
                raise
            handle = jauge.open(db, workspace=workspace, read_only=True)
        done = False
        try:
            with handle:
                name, store = handle.workspace, handle.store
                had = workspace_names(store) if checked else []
                new = checked and name != settings.WORKSPACE.default and name not in had
                # --all-workspaces reads every workspace, whether the default one exists or
                # not; `person find` and `forget` say themselves which workspaces hold them
                every = ctx is not None and bool(ctx.params.get("all_workspaces"))
                searching = command in ("person find", "person forget")
                every = every or (searching and name == settings.WORKSPACE.default)
                if checked and command not in ADDING and not every:
                    known_workspace(store, name)
                yield handle
                done = True
                if new and workspace_exists(store, name):
                    click.echo(
                        click.style(_("note: "), fg="yellow", bold=True)
                        + _(
                            "workspace {name} did not exist: created it (the store had: {names})",
                            name=repr(name),
                            names=", ".join(had) or "-",
                        ),
                        err=True,
                    )
        except BaseException as exc:
            # closing writes the store's checkpoint, which Ctrl-C can stop: the work
            # was committed before it
            if done and is_interruption(exc):
                interrupted(finished=True)
            raise


#: the width of tables written to a file or a pipe: wide enough never to cut a value
UNCUT_WIDTH = 1000


def console(stderr: bool = False) -> Any:
    """Where the CLI prints for people. Text is never broken into lines by jauge (the
    terminal wraps it, so a printed command is still one line when copied). Tables fit
    the terminal; written to a file or a pipe, where nothing wraps, they keep every value
    whole (unless ``COLUMNS`` says how wide to be)."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    uncut = not stream.isatty() and not os.environ.get("COLUMNS")
    return Console(
        file=_writable(stream),
        highlight=False,
        soft_wrap=True,
        # names and texts are data: ":fire:" in a tweet is not an emoji to draw
        emoji=False,
        width=UNCUT_WIDTH if uncut else None,
    )


#: ASCII for what jauge draws with, where the output's encoding has no such character
#: (Rich already draws its rules in ASCII there): the bars of a score, marks, the narrow
#: space of French figures
NEAREST_ASCII = str.maketrans(
    {
        "█": "#",
        "·": ".",
        "…": "...",
        "—": "-",
        "–": "-",
        "✓": "v",
        "✗": "x",
        "•": "*",
        "\u202f": " ",
        "\xa0": " ",
        "━": "-",
        "─": "-",
        "│": "|",
    }
)
_NEAREST = "jauge-nearest-ascii"


def _nearest_ascii(exc: UnicodeError) -> tuple[str, int]:
    """The codec error handler: the characters a stream cannot encode, as ASCII ('?' for
    those without a near one)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    part = exc.object[exc.start : exc.end].translate(NEAREST_ASCII)
    return part.encode("ascii", "replace").decode("ascii"), exc.end


class _Lenient:
    """A text stream that writes what its encoding cannot as the nearest ASCII instead of
    failing: a table printed to a Windows console, or redirected there (cp1252), is
    printed whole."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except UnicodeEncodeError:  # encoded whole before anything is written
            encoding = self._stream.encoding
            return int(self._stream.write(text.encode(encoding, _NEAREST).decode(encoding)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _writable(stream: Any) -> Any:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    if encoding.startswith("utf"):
        return stream
    codecs.register_error(_NEAREST, _nearest_ascii)
    return _Lenient(stream)


def literal(value: object) -> str:
    """``value`` (a name, a path: anything a user typed or a file held) made safe to put
    in a message written in Rich markup: its brackets are printed as they are."""
    from rich.markup import escape

    return escape(str(value))


def styled(text: str, style: str) -> Any:
    """A table cell of ``text`` as it is, in ``style``."""
    from rich.text import Text

    return Text(text, style=style)


def marked_up(markup: str) -> Any:
    """A table cell written in Rich markup on purpose (``new_table`` prints text cells as
    they are)."""
    from rich.text import Text

    return Text.from_markup(markup)


def new_table(title: str | None = None) -> Any:
    """A table for people: bold headers over a rule, no frame and single spaces between
    columns, so that seven or eight columns still fit an 80-column terminal.

    Its title and its text cells are printed as they are, never read as Rich markup:
    they hold names, paths and texts, where "[b]" or "[/]" is data. A cell that is markup
    on purpose is given as :func:`marked_up` or :func:`styled`."""
    from rich import box

    return _literal_table()(
        title=None if title is None else literal(title),
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        header_style="bold",
    )


@cache
def _literal_table() -> type:
    """Rich's table, its text cells taken as text (Rich would read them as markup)."""
    from rich.table import Table
    from rich.text import Text

    class LiteralTable(Table):
        def add_row(self, *cells: Any, **options: Any) -> None:
            super().add_row(*(Text(c) if isinstance(c, str) else c for c in cells), **options)

    return LiteralTable


def fitted(build: Callable[[bool], Any]) -> Any:
    """The table ``build(True)`` makes, with its bars; or ``build(False)``, without them,
    when the terminal is too narrow for both the bars and every figure whole."""
    table, out = build(True), console()
    if out.measure(table).maximum >= out.width:  # measures stop at the width
        table = build(False)
    return table


BIG_FILE_BYTES = 4 << 20


def progress_bars() -> tuple[Any, Callable[[str, int], Callable[[int], None] | None]]:
    """A Rich progress display (on stderr) and a factory of per-file byte counters.

    Files under a few MB get no bar: they are read before a bar would be seen.
    """
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console(stderr=True),
        transient=False,
    )

    def factory(path: str, size: int) -> Callable[[int], None] | None:
        if size < BIG_FILE_BYTES:
            return None
        name = path if len(path) < 40 else "…" + path[-39:]
        task = progress.add_task(literal(name), total=size)  # shown as markup
        return lambda n: progress.advance(task, n)

    return progress, factory


def counting_progress(label: str) -> tuple[Any, Callable[[int], Callable[[int], None] | None]]:
    """A Rich progress display (on stderr) counting items, and a factory of counters;
    fewer than a thousand items get no bar."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console(stderr=True),
    )

    def factory(total: int) -> Callable[[int], None] | None:
        if total < 1000:
            return None
        task = progress.add_task(label, total=total)
        return lambda n: progress.advance(task, n)

    return progress, factory
