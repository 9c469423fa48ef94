"""``jauge enrich``: language, sentiment and mentions for the stored items, incrementally.

Each step records, per item, the version that processed it (``enrichment_log``): a run
only processes items a step has not seen with its current version, and every batch is
committed whole with its log rows, so a run stopped half-way resumes where it stopped and
a second run finds nothing to do. Only the stale steps of an item run again: a new
dictionary re-matches mentions without detecting languages or labelling sentiment again.
Results land where the rest of jauge reads them: annotations ``lang.detected``,
``sentiment`` (label; read by the index's opinion component) and ``sentiment.score``, and
rows of ``mentions``. A step's results replace that step's earlier ones whichever version
or backend gave them, so each item has one model label, the last backend's (a human
label, ``sentiment.human``, is another key and is never touched).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import pyarrow as pa

from ..store.duckdb_store import Store, utcnow
from .language import detect
from .mentions import VERSION as MENTIONS_VERSION
from .mentions import Matcher, workspace_dictionary
from .sentiment import DEFAULT_BACKEND, analyse_texts, get_backend

LANGUAGE_VERSION = "py3langid-0.3"
BATCH = 5_000

Progress = Callable[[int], None]


@dataclass
class EnrichResult:
    backend: str
    processed: int
    languages: dict[str, int]
    sentiments: dict[str, int]
    mentions: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def mention_version(matcher_rows: list[tuple[str, str, str]]) -> str:
    """The matcher's version and its dictionary: changing a dictionary re-runs mentions."""
    digest = hashlib.sha256(repr(sorted(matcher_rows)).encode()).hexdigest()[:12]
    return f"{MENTIONS_VERSION}+{digest}"


def pending(
    store: Store, workspace: str, org_id: str | None, versions: dict[str, str]
) -> tuple[str, list[Any]]:
    """SQL selecting the items some step has not processed with its current version."""
    missing = " OR ".join(
        "NOT EXISTS (SELECT 1 FROM enrichment_log l WHERE l.item_id = c.item_id "
        "AND l.step = ? AND l.version = ?)"
        for _ in versions
    )
    params: list[Any] = [workspace]
    for step, version in versions.items():
        params += [step, version]
    where = "c.workspace = ? AND c.text IS NOT NULL AND (" + missing + ")"
    if org_id:
        where += " AND c.org_id = ?"
        params.append(org_id)
    return where, params


def enrich(
    store: Store,
    workspace: str,
    *,
    org: str | None = None,
    backend: str = DEFAULT_BACKEND,
    progress: Callable[[int], Progress | None] | None = None,
    batch: int = BATCH,
) -> EnrichResult:
    """Enrich every stored item not yet processed by these versions; see the module doc."""
    analyser = get_backend(backend)
    org_id = store.org_id(workspace, org) if org else None
    dictionary = workspace_dictionary(store, workspace)
    matcher = Matcher.build(dictionary)
    versions = {
        "language": LANGUAGE_VERSION,
        "sentiment": analyser.version,
        "mentions": mention_version(dictionary),
    }
    _drop_superseded(store, workspace)
    where, params = pending(store, workspace, org_id, versions)
    total = store.con.execute(f"SELECT count(*) FROM content_items c WHERE {where}", params)
    count = int(total.fetchall()[0][0])
    advance = progress(count) if progress else None
    result = EnrichResult(backend, 0, {}, {}, 0)
    # per item, which steps are already done with their current version (those do not run)
    done = ", ".join(
        "EXISTS (SELECT 1 FROM enrichment_log l WHERE l.item_id = c.item_id "
        "AND l.step = ? AND l.version = ?)"
        for _ in versions
    )
    done_params = [value for step_version in versions.items() for value in step_version]
    while True:
        rows = store.con.execute(
            "SELECT c.item_id, c.text, c.lang, (SELECT min(a.value) FROM annotations a "
            "WHERE a.item_id = c.item_id AND a.key = 'lang.detected'), "
            f"{done} FROM content_items c WHERE {where} ORDER BY c.item_id LIMIT {int(batch)}",
            [*done_params, *params],
        ).fetchall()
        if not rows:
            break
        store.write_enrichment(_batch(rows, workspace, analyser, matcher, versions, result))
        result.processed += len(rows)
        if advance:
            advance(len(rows))
    return result


#: the annotations each step writes, which its next run on an item replaces
STEP_KEYS = {"language": ("lang.detected",), "sentiment": ("sentiment", "sentiment.score")}


def _drop_superseded(store: Store, workspace: str) -> None:
    """Remove the results of a step that a later run of it replaced: the log keeps, per
    item, the version that processed it last, and only that version's results count.
    (A store enriched before this rule holds a new backend's labels beside the old ones,
    and readers took the alphabetically first backend's: its next run clears it.)"""
    store.drop_superseded_enrichment(workspace, STEP_KEYS)


def _batch(
    rows: list[tuple[Any, ...]],
    workspace: str,
    analyser: Any,
    matcher: Matcher,
    versions: dict[str, str],
    result: EnrichResult,
) -> dict[str, pa.Table]:
    """The results of the steps each item lacks. ``rows``: item id, text, its language
    as the source gave it, as detected before, then per step whether it is done."""
    steps = list(versions)
    todo = [{s for s, ok in zip(steps, r[4:], strict=True) if not ok} for r in rows]
    detected: dict[int, str] = {}
    for i, (row, stale) in enumerate(zip(rows, todo, strict=True)):
        # sentiment needs a language: the source's, else the one detected (again only
        # when the language step itself is stale or never left one)
        if "language" in stale or ("sentiment" in stale and not (row[2] or row[3])):
            detected[i] = detect(row[1])[0]
    labelled = [i for i, stale in enumerate(todo) if "sentiment" in stale]
    langs = [rows[i][2] or detected.get(i) or rows[i][3] for i in labelled]
    found_sentiments = analyse_texts(analyser, [rows[i][1] for i in labelled], langs)
    sentiments = dict(zip(labelled, found_sentiments, strict=True))
    now = utcnow()
    notes: dict[str, list[Any]] = {k: [] for k in ("item_id", "key", "value", "source")}

    def note(item: str, key: str, value: str, source: str) -> None:
        notes["item_id"].append(item)
        notes["key"].append(key)
        notes["value"].append(value)
        notes["source"].append(source)

    found: dict[str, list[str]] = {"item_id": [], "org_id": [], "term": []}
    log: dict[str, list[str]] = {"item_id": [], "step": [], "version": []}
    for i, (row, stale) in enumerate(zip(rows, todo, strict=True)):
        item, text = row[0], row[1]
        if "language" in stale:
            lang = detected[i]
            note(item, "lang.detected", lang, versions["language"])
            result.languages[lang] = result.languages.get(lang, 0) + 1
        if i in sentiments:
            s = sentiments[i]
            note(item, "sentiment", s.label, versions["sentiment"])
            note(item, "sentiment.score", f"{s.score:.4f}", versions["sentiment"])
            result.sentiments[s.label] = result.sentiments.get(s.label, 0) + 1
        if "mentions" in stale:
            for org_id, terms in sorted(matcher.find(text).items()):
                for term in sorted(terms):
                    found["item_id"].append(item)
                    found["org_id"].append(org_id)
                    found["term"].append(term)
        for step in steps:
            if step in stale:
                log["item_id"].append(item)
                log["step"].append(step)
                log["version"].append(versions[step])
    result.mentions += len(found["item_id"])
    n_notes, n_found = len(notes["item_id"]), len(found["item_id"])
    return {
        "annotations": pa.table(
            {
                **notes,
                "workspace": [workspace] * n_notes,
                "import_id": ["enrich"] * n_notes,
            },
            schema=_strings(*notes, "workspace", "import_id"),
        ),
        "mentions": pa.table(
            {
                **found,
                "workspace": [workspace] * n_found,
                "source": [versions["mentions"]] * n_found,
            },
            schema=_strings(*found, "workspace", "source"),
        ),
        "enrichment_log": pa.table(
            {
                **log,
                "workspace": [workspace] * len(log["item_id"]),
                "done_at": pa.array([now] * len(log["item_id"]), pa.timestamp("us")),
            },
            schema=pa.schema(
                [*_strings(*log, "workspace"), pa.field("done_at", pa.timestamp("us"))]
            ),
        ),
    }


def _strings(*names: str) -> pa.Schema:
    # typed even when empty: a step with nothing to write gives a table of no rows, which
    # Arrow would otherwise type as nulls
    return pa.schema([pa.field(n, pa.string()) for n in names])
