"""Rendering for the CLI: the only place where exceptions become exit codes, text or JSON.

Exit codes: 0 success; 1 the input or the store was refused (the message says
why); 2 a usage error (click's own).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click
import duckdb

from ..errors import JaugeError, error_object
from ..i18n import _, localised

if TYPE_CHECKING:
    from ..api import Jauge

EXIT_REFUSED = 1
EXIT_INTERRUPTED = 130


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def reported(fmt: str = "table") -> Iterator[None]:
    """Turn a JaugeError raised inside the block into a message and exit status 1, and
    Ctrl-C into a word of what it left (exit status 130, as a shell reports SIGINT)."""
    try:
        yield
    except (KeyboardInterrupt, duckdb.InterruptException):
        # every write is one transaction: the one under way was rolled back
        click.echo(
            click.style(_("interrupted: "), fg="yellow", bold=True)
            + _("what was being written when it stopped was not written; what was done is kept"),
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    except JaugeError as exc:
        if fmt == "json":
            print_json(error_object(exc))
        else:
            click.echo(
                click.style(_("error: "), fg="red", bold=True) + localised(str(exc)), err=True
            )
        sys.exit(EXIT_REFUSED)


@contextmanager
def opened(db: str | None, workspace: str | None = None, fmt: str = "table") -> Iterator[Jauge]:
    """A command's store, its errors reported as :func:`reported` does, and the store
    closed however the block ends (its lock released for the next command)."""
    import jauge

    with reported(fmt), jauge.open(db, workspace=workspace) as handle:
        yield handle


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
        stderr=stderr, highlight=False, soft_wrap=True, width=UNCUT_WIDTH if uncut else None
    )


def new_table(title: str | None = None) -> Any:
    """A table for people: bold headers over a rule, no frame and single spaces between
    columns, so that seven or eight columns still fit an 80-column terminal."""
    from rich import box
    from rich.table import Table

    return Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        header_style="bold",
    )


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
        task = progress.add_task(name, total=size)
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
