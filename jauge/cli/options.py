"""Options shared by commands, declared from the settings so help and docs agree.

Option values are checked as the command line is read, as click checks its own types:
a value that cannot be used is a usage error naming the option (exit status 2) before
any work is done.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import settings
from ..i18n import _

F = TypeVar("F", bound=Callable[..., Any])

#: set on a command's context by the shared ``--workspace`` (see output.opened)
WORKSPACE_OPTION = "jauge.workspace_option"
#: a TCP port
PORT = click.IntRange(1, 65535)


def not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse an empty path: ``--db "$DB"`` with DB unset would open a store in memory
    that is gone, with all that was written to it, when the command ends."""
    if value is not None and not value.strip():
        raise click.BadParameter(
            _("the path is empty (an unset variable?): give a file, or leave the option out")
        )
    return value


def db_option(f: F) -> F:
    return click.option(
        "--db",
        "db",
        metavar="PATH",
        default=None,
        callback=not_empty,
        help=f"{settings.DB.help} Default: ./{settings.DB.default}, or ${settings.DB.env}.",
    )(f)


def _shared_workspace(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    ctx.meta[WORKSPACE_OPTION] = True
    return value


def workspace_option(f: F) -> F:
    return click.option(
        "--workspace",
        metavar="NAME",
        default=None,
        callback=_shared_workspace,
        help=f"{settings.WORKSPACE.help} Default: {settings.WORKSPACE.default}, "
        f"or ${settings.WORKSPACE.env}.",
    )(f)


def day(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A ``--from`` or ``--to`` checked when read, and against the other one when both
    are given; the command still gets the text."""
    from datetime import date

    from ..days import check_order
    from ..errors import ConfigError

    if value is None:
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            _("takes a date like 2024-03-31, got {value}", value=repr(value))
        ) from None
    other = ctx.params.get("end" if param.name == "start" else "start")
    if other is not None:
        first, last = (value, other) if param.name == "start" else (other, value)
        try:
            check_order(date.fromisoformat(first), date.fromisoformat(last))
        except ConfigError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


def plugin(group: str, what: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A callback refusing a name that no plugin of ``group`` has (an engine, a sentiment
    backend); the names are read from the entry points, none is loaded."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        from importlib.metadata import entry_points

        if value is None or value == param.default:
            return value  # a built-in: no need to read the entry points
        names = sorted({ep.name for ep in entry_points(group=group)})
        if value not in names:
            raise click.BadParameter(
                _(
                    "no {what} {name}: use one of {names}",
                    what=_(what),
                    name=repr(value),
                    names=", ".join(names),
                )
            )
        return value

    return check


def index_version(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse an index version jauge does not bundle."""
    if value is None:
        return None
    from ..metrics.spec import spec_files

    known = sorted(spec_files())
    if value not in known:
        raise click.BadParameter(
            _(
                "no index version {version}: known: {known}",
                version=repr(value),
                known=", ".join(known),
            )
        )
    return value


def destination(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A file to write, checked before the work that fills it (a report takes a while to
    compute): a folder, or a file in a folder that does not exist, is refused at once.
    ``-`` (standard output) passes."""
    if value is None or value == "-":
        return value
    path = Path(value)
    folder = path.parent
    try:
        path.exists()  # a name the file system refuses (too long) is refused here
    except OSError as exc:
        raise click.BadParameter(
            _("cannot write {path}: {reason}", path=value, reason=exc.strerror or str(exc))
        ) from None
    if path.is_dir():
        raise click.BadParameter(_("{path} is a folder: give a file name", path=value))
    if not folder.is_dir():
        raise click.BadParameter(
            _(
                "cannot write {path}: the folder {folder} does not exist",
                path=value,
                folder=str(folder),
            )
        )
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise click.BadParameter(
            _(
                "cannot write {path}: no permission to write there, or a read-only folder",
                path=value,
            )
        )
    return value


def format_option(*choices: str) -> Callable[[F], F]:
    def decorate(f: F) -> F:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(list(choices)),
            default=choices[0],
            show_default=True,
            help="Output format; json prints exactly one JSON document on standard output.",
        )(f)

    return decorate


def window_options(f: F) -> F:
    """``--from`` and ``--to``: the days a command looks at, both included."""
    f = click.option(
        "--to",
        "end",
        metavar="DATE",
        callback=day,
        help="Last day (default: the latest item's day).",
    )(f)
    return click.option(
        "--from",
        "start",
        metavar="DATE",
        callback=day,
        help="First day (default: the 90 days that end on --to, both included).",
    )(f)
