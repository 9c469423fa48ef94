"""Write docs/settings.md and docs/cli.md from the code; `--check` fails when they are stale."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jauge import settings
from jauge.cli.main import cli

DOCS = Path(__file__).resolve().parent.parent / "docs"


def settings_doc() -> str:
    lines = [
        "# Settings",
        "",
        "Precedence: a command-line flag, then the environment variable, then the default.",
        "Generated from `jauge/settings.py` by `python scripts/gen_docs.py`.",
        "",
        "| setting | environment variable | default | meaning |",
        "|---|---|---|---|",
    ]
    for s in settings.SETTINGS:
        lines.append(f"| {s.name} | `{s.env}` | `{s.default}` | {s.help} |")
    return "\n".join(lines) + "\n"


def cli_doc() -> str:
    parts = [
        "# CLI reference",
        "",
        "Generated from the commands' own help by `python scripts/gen_docs.py`.",
        "",
    ]
    # the group's own settings (-h as well as --help), which every command inherits
    with click.Context(cli, info_name="jauge", terminal_width=100, **cli.context_settings) as ctx:
        parts += ["## jauge", "", "```", cli.get_help(ctx), "```", ""]
        parts += _commands_doc(cli, ctx)
    return "\n".join(parts)


def _commands_doc(group: click.Group, ctx: click.Context) -> list[str]:
    """Each command's help under its full name (``jauge campaign add``), depth first."""
    parts = []
    for name in sorted(group.commands):
        command = group.commands[name]
        with click.Context(command, info_name=name, parent=ctx, terminal_width=100) as sub:
            title = sub.command_path
            parts += [f"## {title}", "", "```", command.get_help(sub), "```", ""]
            if isinstance(command, click.Group):
                parts += _commands_doc(command, sub)
    return parts


def main() -> int:
    wanted = {DOCS / "settings.md": settings_doc(), DOCS / "cli.md": cli_doc()}
    if "--check" in sys.argv:
        stale = [p.name for p, text in wanted.items() if not p.exists() or p.read_text() != text]
        if stale:
            print(f"stale generated docs: {', '.join(stale)}; run python scripts/gen_docs.py")
            return 1
        return 0
    for path, text in wanted.items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
