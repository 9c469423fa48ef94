"""Which source reads a file, when the user does not say: recognised from its content.

A feed (a URL, or a file that opens with ``<``) is read by ``rss``; JSON lines (a
file that opens with ``{``) by ``posts-jsonl``; any other file by the one file source
whose required columns its header has (after ``--map``). When none or several fit,
the user is asked to choose with ``--source``: a guess between sources that read the
same columns differently (own posts, or mentions?) would be wrong half the time.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError
from ..i18n import N_
from . import registry
from .base import ImportOptions, TabularSource, _renamed_names
from .files import check_readable, open_tabular, read_sample

FEED = "rss"
JSON_LINES = "posts-jsonl"


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
    if start == b"{":
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
    fitting = [
        source.name
        for source in registry.all_sources()
        if isinstance(source, TabularSource)
        and source.name != JSON_LINES
        and source.recognises(columns)
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
