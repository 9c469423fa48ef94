"""``jauge sentiment``: the language and sentiment of texts, one JSON object per line."""

from __future__ import annotations

import sys

import click

from ..enrich.sentiment import DEFAULT_BACKEND
from ..i18n import N_, _, number
from .output import console, json_text, new_table, reported, styled

EPILOG = """
\b
Examples:
  jauge sentiment "Merci pour ce super service !"
  jauge sentiment --input tweets.txt --backend vader > sentiments.jsonl
  cat tweets.txt | jauge sentiment --input - --format table
"""

BATCH = 2048
#: the labels as the table shows them, in the reader's language (JSON keeps the English)
LABELS = {"negative": N_("negative"), "neutral": N_("neutral"), "positive": N_("positive")}


@click.command("sentiment", epilog=EPILOG)
@click.argument("text", required=False)
@click.option(
    "--input",
    "input_file",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help="A file with one text per line ('-' for standard input).",
)
@click.option(
    "--encoding",
    metavar="NAME",
    help="Text encoding of --input (default: detected; UTF-8, UTF-8 with BOM, UTF-16 with "
    "BOM, cp1252, latin-1).",
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
def sentiment_command(
    text: str | None, input_file: str | None, encoding: str | None, backend: str, fmt: str
) -> None:
    """Language and sentiment (negative, neutral, positive; score in [-1, 1]) of texts.

    Prints {"text", "lang", "label", "score"} per input line, in order. Nothing is
    downloaded: the models ship with jauge.
    """
    from jauge.enrich.language import detect
    from jauge.enrich.sentiment import analyse_texts, backend_names, get_backend
    from jauge.errors import ConfigError, UsageError

    with reported("json" if fmt == "jsonl" else fmt):
        if (text is None) == (input_file is None):
            raise ConfigError(_("give one TEXT, or --input FILE (one text per line)"))
        if backend not in backend_names():
            # the command line is wrong, as for `jauge enrich --backend`: exit status 2
            raise UsageError(
                _(
                    "no {what} {name}: use one of {names}",
                    what=_("sentiment backend"),
                    name=repr(backend),
                    names=", ".join(backend_names()),
                )
            )
        analyser = get_backend(backend)
        lines = [str(text)] if input_file is None else _read_lines(input_file, encoding)
        rows: list[dict[str, str | float]] = []
        for start in range(0, len(lines), BATCH):
            chunk = lines[start : start + BATCH]
            langs = [detect(t)[0] for t in chunk]
            for t, lang, s in zip(chunk, langs, analyse_texts(analyser, chunk, langs), strict=True):
                rows.append({"text": t, "lang": lang, "label": s.label, "score": s.score})
                if fmt == "jsonl":
                    sys.stdout.write(json_text(rows[-1]) + "\n")
    if fmt == "table":
        table = new_table()
        for col in (_("text"), _("lang"), _("label"), _("score")):
            table.add_column(col, overflow="fold")
        for row in rows:
            colour = {"negative": "red", "positive": "green"}.get(str(row["label"]), "white")
            table.add_row(
                str(row["text"]),
                str(row["lang"]),
                styled(_(LABELS.get(str(row["label"]), str(row["label"]))), colour),
                number(float(row["score"]), "+.2f"),
            )
        console().print(table)


def _read_lines(path: str, encoding: str | None) -> list[str]:
    """The lines of ``path`` ('-': standard input), in ``encoding`` or the one detected
    as an import detects it: exports from Windows tools are often cp1252."""
    import codecs
    import io

    from jauge.errors import InputError
    from jauge.sources.file_bytes import detect_encoding

    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise click.BadParameter(
                _("unknown encoding {name}", name=repr(encoding)), param_hint="'--encoding'"
            ) from None
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as exc:  # gone or unreadable since click checked it
            reason = _("cannot read the file: {reason}", reason=exc.strerror)
            raise InputError(path, reason) from exc
    encoding = encoding or detect_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            _("standard input") if path == "-" else path,
            _(
                "the file is not valid {encoding}: pass --encoding (for example cp1252 or "
                "latin-1) to read it",
                encoding=encoding,
            ),
            line=data[: exc.start].count(b"\n") + 1,
        ) from None
    # the lines as a text file gives them: \r\n and \r end a line too
    return [line.rstrip("\n") for line in io.StringIO(text, newline=None)]
