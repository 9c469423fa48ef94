"""Options shared by commands, declared from the settings so help and docs agree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from .. import settings

F = TypeVar("F", bound=Callable[..., Any])


def db_option(f: F) -> F:
    return click.option(
        "--db",
        "db",
        metavar="PATH",
        default=None,
        help=f"{settings.DB.help} Default: ./{settings.DB.default}, or ${settings.DB.env}.",
    )(f)


def workspace_option(f: F) -> F:
    return click.option(
        "--workspace",
        metavar="NAME",
        default=None,
        help=f"{settings.WORKSPACE.help} Default: {settings.WORKSPACE.default}, "
        f"or ${settings.WORKSPACE.env}.",
    )(f)


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
        "--to", "end", metavar="DATE", help="Last day (default: the latest item's day)."
    )(f)
    return click.option(
        "--from",
        "start",
        metavar="DATE",
        help="First day (default: the 90 days that end on --to, both included).",
    )(f)
