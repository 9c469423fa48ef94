"""``jauge enrich``: language, sentiment and mentions for the stored items, incrementally.

Each step records, per item, the version that processed it (``enrichment_log``): a run
only processes items a step has not seen with its current version, and every batch is
committed whole with its log rows, so a run stopped half-way resumes where it stopped and
a second run finds nothing to do. Results land where the rest of jauge reads them:
annotations ``lang.detected``, ``sentiment`` (label; read by the index's opinion
component) and ``sentiment.score``, and rows of ``mentions``.
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
    where, params = pending(store, workspace, org_id, versions)
    total = store.con.execute(f"SELECT count(*) FROM content_items c WHERE {where}", params)
    count = int(total.fetchall()[0][0])
    advance = progress(count) if progress else None
    result = EnrichResult(backend, 0, {}, {}, 0)
    while True:
        rows = store.con.execute(
            f"SELECT c.item_id, c.text, c.lang FROM content_items c WHERE {where} "
            f"ORDER BY c.item_id LIMIT {int(batch)}",
            params,
        ).fetchall()
        if not rows:
            break
        store.write_enrichment(_batch(rows, workspace, analyser, matcher, versions, result))
        result.processed += len(rows)
        if advance:
            advance(len(rows))
    return result


def _batch(
    rows: list[tuple[str, str, str | None]],
    workspace: str,
    analyser: Any,
    matcher: Matcher,
    versions: dict[str, str],
    result: EnrichResult,
) -> dict[str, pa.Table]:
    ids = [r[0] for r in rows]
    texts = [r[1] for r in rows]
    detected = [detect(t) for t in texts]
    langs = [(r[2] or d[0]) for r, d in zip(rows, detected, strict=True)]
    sentiments = analyse_texts(analyser, texts, langs)
    now = utcnow()
    notes: dict[str, list[Any]] = {k: [] for k in ("item_id", "key", "value", "source")}

    def note(item: str, key: str, value: str, source: str) -> None:
        notes["item_id"].append(item)
        notes["key"].append(key)
        notes["value"].append(value)
        notes["source"].append(source)

    found: dict[str, list[str]] = {"item_id": [], "org_id": [], "term": []}
    for item, text, (lang, _), s in zip(ids, texts, detected, sentiments, strict=True):
        note(item, "lang.detected", lang, versions["language"])
        note(item, "sentiment", s.label, versions["sentiment"])
        note(item, "sentiment.score", f"{s.score:.4f}", versions["sentiment"])
        result.languages[lang] = result.languages.get(lang, 0) + 1
        result.sentiments[s.label] = result.sentiments.get(s.label, 0) + 1
        for org_id, terms in sorted(matcher.find(text).items()):
            for term in sorted(terms):
                found["item_id"].append(item)
                found["org_id"].append(org_id)
                found["term"].append(term)
    result.mentions += len(found["item_id"])
    n_notes, n_found = len(notes["item_id"]), len(found["item_id"])
    log = {
        "item_id": [i for i in ids for _ in versions],
        "step": [s for _ in ids for s in versions],
        "version": [v for _ in ids for v in versions.values()],
    }
    return {
        "annotations": pa.table(
            {
                **notes,
                "workspace": [workspace] * n_notes,
                "import_id": ["enrich"] * n_notes,
            }
        ),
        "mentions": pa.table(
            {
                **found,
                "workspace": [workspace] * n_found,
                "source": [versions["mentions"]] * n_found,
            }
        ),
        "enrichment_log": pa.table(
            {
                **log,
                "workspace": [workspace] * len(log["item_id"]),
                "done_at": pa.array([now] * len(log["item_id"]), pa.timestamp("us")),
            }
        ),
    }
