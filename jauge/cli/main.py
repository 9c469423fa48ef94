"""The ``jauge`` command. Subcommands import the library lazily, so ``--help`` is instant."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from .access_cmd import token_group, user_group, workspace_group
from .campaign_cmd import campaign_group
from .community_cmd import graph_group, people_command, person_group
from .connect_cmd import connect_group, sync_command
from .demo_cmd import demo_command
from .help_language import localise_help
from .import_cmd import import_command
from .integrity_cmd import integrity_command
from .listening_cmd import (
    enrich_command,
    org_group,
    regions_command,
    topics_command,
    voice_command,
)
from .output import JsonClickError, as_json, command_starts, interrupted, json_requested
from .panel_cmd import panel_group
from .report_cmd import report_command
from .score_cmd import compare_command, score_command
from .sentiment_cmd import sentiment_command
from .serve_cmd import serve_command
from .sources_cmd import sources_command
from .stats_cmd import stats_command
from .value_cmd import value_command

EPILOG = """
\b
Start here:
  jauge demo                 build a demo store from the bundled real data
  jauge sources              what jauge can import
  jauge import FILE --source NAME --org ORG
  jauge stats
  jauge integrity            weigh down bought and automated accounts
  jauge score --org ORG      the Jauge Index, with its breakdown and interval
  jauge report --org ORG     the same, in a report to share with executives
  jauge value --org ORG      from reach to sales, and ROI per campaign
  jauge serve                the web dashboard and the REST API
"""


class JaugeGroup(click.Group):
    """The ``jauge`` command: its help, and every subcommand's, in the user's language;
    click's errors as one JSON document when the command line asks for JSON; Ctrl-C at
    any moment said as jauge says it (exit status 130), not as click's "Aborted!"."""

    asks_json = False

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        localise_help(self)
        command_starts()
        self.asks_json = json_requested(sys.argv[1:] if args is None else list(args))
        with stopped_as_by_ctrl_c():
            return super().main(args, *rest, **kwargs)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:
            if self.asks_json and not isinstance(exc, JsonClickError):
                raise as_json(exc) from exc
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            if self.asks_json and not isinstance(exc, JsonClickError):
                raise as_json(exc) from exc
            raise
        except KeyboardInterrupt:
            interrupted()
        except BrokenPipeError:
            output_cut()


@contextmanager
def stopped_as_by_ctrl_c() -> Iterator[None]:
    """A SIGTERM (``kill``, a container or service stopping) ends a command as Ctrl-C
    does: what it was writing is rolled back and its temporary files (Spark's copy of
    the store, post texts included) are removed, rather than left behind by an abrupt
    exit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def output_cut() -> None:
    """The reader of our output stopped (``jauge ... | head``): exit quietly with status 0.

    0 rather than 141 (a shell's SIGPIPE) or click's 1: the reader stopped on purpose,
    and a CI step written ``set -o pipefail; jauge ... | head`` should not fail for it;
    1 would say an input was refused, which nothing was."""
    # what is still buffered for stdout would fail again as Python flushes it on exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


@click.group(
    cls=JaugeGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="jauge")
def cli() -> None:
    """jauge measures what social media is really worth to an organisation.

    Every command that reads or writes a store takes --db PATH (default ./jauge.duckdb, or
    $JAUGE_DB; jauge demo: jauge-demo.duckdb).

    Exit status: 0 done; 1 an input or the store was refused; 2 a usage error (an option
    missing, or given a value that cannot be used); 130 interrupted mid-work (Ctrl-C,
    SIGTERM). A command that runs until stopped (serve, demo, sync --every) ends with 0
    when stopped between tasks. With --format json, every error is one JSON object on
    standard output, an "error" with its "code" and "message".
    """


cli.add_command(campaign_group)
cli.add_command(compare_command)
cli.add_command(connect_group)
cli.add_command(demo_command)
cli.add_command(enrich_command)
cli.add_command(graph_group)
cli.add_command(import_command)
cli.add_command(integrity_command)
cli.add_command(value_command)
cli.add_command(org_group)
cli.add_command(topics_command)
cli.add_command(voice_command)
cli.add_command(regions_command)
cli.add_command(panel_group)
cli.add_command(people_command)
cli.add_command(report_command)
cli.add_command(person_group)
cli.add_command(score_command)
cli.add_command(sentiment_command)
cli.add_command(serve_command)
cli.add_command(sources_command)
cli.add_command(stats_command)
cli.add_command(sync_command)
cli.add_command(token_group)
cli.add_command(user_group)
cli.add_command(workspace_group)


def main() -> None:
    cli()
