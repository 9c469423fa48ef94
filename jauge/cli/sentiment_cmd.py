"""``jauge sentiment``: the language and sentiment of texts, one JSON object per line."""

from __future__ import annotations

import json
import sys

import click

from ..enrich.sentiment import DEFAULT_BACKEND
from ..i18n import _
from .output import console, new_table, reported

EPILOG = """
\b
Examples:
  jauge sentiment "Merci pour ce super service !"
  jauge sentiment --input tweets.txt --backend vader > sentiments.jsonl
  cat tweets.txt | jauge sentiment --input - --format table
"""

BATCH = 2048


@click.command("sentiment", epilog=EPILOG)
@click.argument("text", required=False)
@click.option(
    "--input",
    "input_file",
    type=click.File("r", encoding="utf-8"),
    help="A file with one text per line ('-' for standard input).",
)
@click.option(
    "--backend",
    default=DEFAULT_BACKEND,
    show_default=True,
    metavar="NAME",
    help="Sentiment backend: accurate, fast, vader or transformers (docs/sentiment-evaluation.md).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "table"]),
    default="jsonl",
    show_default=True,
    help="One JSON object per input line, or a table.",
)
def sentiment_command(text: str | None, input_file: object, backend: str, fmt: str) -> None:
    """Language and sentiment (negative, neutral, positive; score in [-1, 1]) of texts.

    Prints {"text", "lang", "label", "score"} per input line, in order. Nothing is
    downloaded: the models ship with jauge.
    """
    from jauge.enrich.language import detect
    from jauge.enrich.sentiment import analyse_texts, get_backend
    from jauge.errors import ConfigError

    with reported("json" if fmt == "jsonl" else fmt):
        if (text is None) == (input_file is None):
            raise ConfigError(_("give one TEXT, or --input FILE (one text per line)"))
        analyser = get_backend(backend)
        lines = (
            [text]
            if text is not None
            else [
                line.rstrip("\n")
                for line in input_file  # type: ignore[attr-defined]
            ]
        )
        rows: list[dict[str, str | float]] = []
        for start in range(0, len(lines), BATCH):
            chunk = lines[start : start + BATCH]
            langs = [detect(t)[0] for t in chunk]
            for t, lang, s in zip(chunk, langs, analyse_texts(analyser, chunk, langs), strict=True):
                rows.append({"text": t, "lang": lang, "label": s.label, "score": s.score})
                if fmt == "jsonl":
                    sys.stdout.write(json.dumps(rows[-1], ensure_ascii=False) + "\n")
    if fmt == "table":
        table = new_table()
        for col in (_("text"), _("lang"), _("label"), _("score")):
            table.add_column(col, overflow="fold")
        for row in rows:
            colour = {"negative": "red", "positive": "green"}.get(str(row["label"]), "white")
            table.add_row(
                str(row["text"]),
                str(row["lang"]),
                f"[{colour}]{row['label']}[/]",
                f"{float(row['score']):+.2f}",
            )
        console().print(table)
