"""Which source reads a file, when the user does not say: recognised from its content.

A feed (a URL, or a file that opens with ``<``) is read by ``rss``; a saved API answer
(a file holding one JSON value) by the one API source that recognises its shape (a
Reddit Listing); other JSON lines (a file that opens with ``{``), and an array of objects
with the posts format's ``id``, ``created_at`` and ``text``, by ``posts-jsonl``; any
other file by the one file source whose required columns its header has (after
``--map``). When none or several fit, the user is asked to choose with ``--source``: a
guess between sources that read the same columns differently (own posts, or mentions?)
would be wrong half the time, and a JSON array is answered by several APIs.
"""

from __future__ import annotations

import codecs
import json
import zlib
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..i18n import N_
from . import registry
from .api import ApiSource
from .base import ImportOptions, TabularSource, _renamed_names
from .file_bytes import SAMPLE_BYTES, check_readable, open_decompressed, read_sample
from .files import open_tabular
from .jsonl_reader import flatten

FEED = "rss"
JSON_LINES = "posts-jsonl"
#: the largest file read whole to see whether it is one API answer: its source reads it
#: whole anyway, and a larger one is left to the other checks
ANSWER_BYTES = 64 << 20


def detect_source(path: str, options: ImportOptions) -> str:
    """The name of the source that reads ``path``; an :class:`InputError` naming the file
    when none or several could."""
    if path.startswith(("http://", "https://")):
        return FEED
    check_readable(Path(path))  # a missing file or a folder is named as such
    sample = read_sample(Path(path))
    start = sample.removeprefix(codecs.BOM_UTF8).lstrip()[:1]
    if start == b"<":
        return FEED
    answer = _one_json_value(Path(path), sample) if start in (b"{", b"[") else None
    if answer is not None:
        answering = _answering_apis(answer)
        if len(answering) == 1:
            return answering[0]
        if answering:
            raise InputError(
                path,
                N_(
                    "it is an answer that several APIs give ({sources}): pass --source with "
                    "the one it was saved from"
                ).format(sources=", ".join(answering)),
                line=1,
            )
    if start == b"{" or _posts_array(answer, options):
        return JSON_LINES
    if start == b"[":  # saved answers of a live source's API, which only its source reads
        apis = sorted(s.name for s in registry.all_sources() if s.kind == "api")
        raise InputError(
            path,
            N_(
                "it is a JSON array, as an API answers: pass --source with the API it was "
                "saved from ({sources})"
            ).format(sources=", ".join(apis)),
            line=1,
        )
    reader = open_tabular(Path(path), encoding=options.encoding, delimiter=options.delimiter)
    columns = set(_renamed_names(reader.columns, options.mapping))
    tabular = _file_sources()
    fitting = fitting_sources(columns)
    if not fitting:
        # a source whose rows are elsewhere (another sheet, under notes) is looked for there
        fitting = [
            source.name
            for source in tabular
            if source.layout is not None
            and source.recognises(_columns_in_layout(path, source, options))
        ]
    if len(fitting) == 1:
        return fitting[0]
    found = ", ".join(sorted(columns)[:12])
    if fitting:
        raise InputError(
            path,
            N_("its columns fit several sources ({sources}): pass --source to choose one").format(
                sources=", ".join(fitting)
            ),
            line=1,
        )
    raise InputError(
        path,
        N_(
            "jauge does not recognise its columns ({found}): pass --source (see `jauge "
            "sources`), and --map to rename columns for the generic posts-csv"
        ).format(found=found),
        line=1,
    )


def _file_sources() -> list[TabularSource]:
    """The sources of files with a header (JSON lines, read apart, are not among them)."""
    return [
        s for s in registry.all_sources() if isinstance(s, TabularSource) and s.name != JSON_LINES
    ]


def fitting_sources(columns: set[str]) -> list[str]:
    """The names of the file sources that recognise a header of ``columns`` (after
    ``--map``) as theirs, in the registry's order."""
    return [source.name for source in _file_sources() if source.recognises(columns)]


def _columns_in_layout(path: str, source: TabularSource, options: ImportOptions) -> set[str]:
    """The columns of the file as ``source`` reads it (after ``--map``)."""
    return set(_renamed_names(source.open(Path(path), options).columns, options.mapping))


def _answering_apis(answer: Any) -> list[str]:
    """The API sources that recognise the file's one JSON value as their answer."""
    return sorted(
        source.name
        for source in registry.all_sources()
        if isinstance(source, ApiSource) and source.recognises_answer(answer)
    )


def _posts_array(answer: Any, options: ImportOptions) -> bool:
    """Whether ``answer`` is an array of objects with the posts format's required fields
    and a ``text`` (after ``--map``), which ``posts-jsonl`` reads as it reads JSON lines;
    without a text, objects with an id and a date are as often an API's accounts."""
    if not (isinstance(answer, list) and answer and all(isinstance(i, dict) for i in answer)):
        return False
    posts = registry.get(JSON_LINES)
    assert isinstance(posts, TabularSource)
    columns = set(_renamed_names(list(flatten(answer[0])), options.mapping))
    return "text" in columns and posts.recognises(columns)


def _one_json_value(path: Path, sample: bytes) -> Any:
    """The one JSON value the file holds (gunzipped), as a saved API answer does; None for
    JSON lines (a value, then more), for what is not JSON, and for a file past
    :data:`ANSWER_BYTES`."""
    text = sample.decode("utf-8-sig", errors="ignore")  # a character cut at its end is no loss
    whole = len(sample) < SAMPLE_BYTES
    try:
        value, end = json.JSONDecoder().raw_decode(text, len(text) - len(text.lstrip()))
    except json.JSONDecodeError:
        if whole:
            return None  # not JSON: posts-jsonl names the broken line
    else:
        if text[end:].strip():
            return None  # another value follows: JSON lines
        if whole:
            return value
    # a value longer than the sample (an answer saved on one line, or pretty-printed)
    try:
        with open_decompressed(path) as f:
            data = f.read(ANSWER_BYTES + 1)
        return None if len(data) > ANSWER_BYTES else json.loads(data)
    except (OSError, EOFError, zlib.error, ValueError):
        return None
