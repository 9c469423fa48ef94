"""Answers ready before they are asked: the default-window index of every organisation.

A dashboard's first question is always the same: the index of an organisation over the
latest 90 days, and its trend by quarter. Computing them on demand costs a tenth of a
second or more per organisation, which fifty people opening the dashboard at once would
queue behind. So whenever the store changes (and when the server starts), one background
pass computes those answers for every organisation of every workspace, with the engine's
batched statistics (one query for all of them), and puts them where the routes look.
Each is exactly what `jauge score --org ORG` and `jauge compare --by period --org ORG`
print (the same code; a test compares them).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Hashable

from ..enrich.places import gazetteer
from ..errors import JaugeError
from ..metrics.compare import compare
from ..metrics.index import compute_many
from ..metrics.scope import ScopeRequest
from ..metrics.spec import LATEST
from ..store import access
from ..store.duckdb_store import Store
from .cache import Answer, ResultCache
from .gate import StoreGate

log = logging.getLogger("jauge.web")


def score_key(
    workspace: str,
    version: tuple[int, ...],
    org: str,
    start: object = None,
    end: object = None,
    account: str | None = None,
    campaign: str | None = None,
    index_version: str = LATEST,
) -> tuple[Hashable, ...]:
    """Where the score route keeps an answer (see ``api.score``)."""
    return (workspace, version, "score", org, start, end, account, campaign, index_version)


def trend_key(workspace: str, version: tuple[int, ...], org: str) -> tuple[Hashable, ...]:
    """Where the compare route keeps an organisation's trend by quarter (``api.compare_of``)."""
    return (workspace, version, "compare", "period", (org,), "quarter", None, None, LATEST)


class Warmer:
    def __init__(self, gate: StoreGate, cache: ResultCache) -> None:
        self.gate = gate
        self.cache = cache
        self._lock = threading.Lock()
        self._warmed: tuple[int, ...] | None = None
        self._running = False
        self._done = threading.Event()  # the pass is over
        self._scored = threading.Event()  # its scores are in the cache (trends come next)
        self._done.set()
        self._scored.set()

    def ensure(self, version: tuple[int, ...]) -> None:
        """Start a warm-up pass for ``version`` unless one ran or runs."""
        with self._lock:
            if self._running or self._warmed == version:
                return
            self._running = True
            self._warmed = version
            self._done.clear()
            self._scored.clear()
        threading.Thread(target=self._run, args=(version,), daemon=True).start()

    def ready(self, version: tuple[int, ...]) -> bool:
        """Whether the answers of ``version`` are all warm."""
        with self._lock:
            return self._warmed == version and not self._running

    def wait(
        self, version: tuple[int, ...], timeout: float = 60.0, *, scores_only: bool = False
    ) -> None:
        """Wait for the pass warming ``version``, if one runs: cheaper for a request than
        computing alone what the pass computes for everyone in one query. With
        ``scores_only``, wait only until the scores are in (they come before the trends,
        which take longer)."""
        with self._lock:
            pending = self._running and self._warmed == version
        if pending:
            (self._scored if scores_only else self._done).wait(timeout)

    def _trends(
        self, store: Store, workspace: str, version: tuple[int, ...], orgs: list[str]
    ) -> None:
        """Each organisation's index by quarter (the overview's trend), all in one pass: the
        rows of one organisation are exactly its own comparison (changes are only measured
        between periods of the same organisation)."""
        together = compare(store, workspace, "period", orgs, every="quarter").to_dict()
        for org in orgs:
            own = {**together, "rows": [r for r in together["rows"] if r["org"] == org]}
            self.cache.put(trend_key(workspace, version, org), Answer.of(own))

    def _run(self, version: tuple[int, ...]) -> None:
        try:
            with self.gate.store() as store:
                plan = [(w, _orgs_with_items(store, w)) for w in access.workspace_names(store)]
                plan = [(workspace, orgs) for workspace, orgs in plan if orgs]
                for workspace, orgs in plan:
                    results = compute_many(store, workspace, [ScopeRequest(org=o) for o in orgs])
                    for org, result in zip(orgs, results, strict=True):
                        self.cache.put(
                            score_key(workspace, version, org), Answer.of(result.to_dict())
                        )
                self._scored.set()
                for workspace, orgs in plan:
                    self._trends(store, workspace, version, orgs)
            # the places' gazetteer, read once per process (a second), before the first
            # listening page needs it
            gazetteer()
        except JaugeError as exc:  # a store being rewritten: the requests compute on demand
            log.info("warm-up skipped: %s", exc)
            with self._lock:
                # nothing was warmed: /healthz must not say warm, and asks again next time
                self._warmed = None
        finally:
            with self._lock:
                self._running = False
                self._scored.set()
                self._done.set()


def _orgs_with_items(store: Store, workspace: str) -> list[str]:
    return [
        str(r[0])
        for r in store.con.execute(
            "SELECT o.name FROM organisations o WHERE o.workspace = ? AND "
            "EXISTS (SELECT 1 FROM content_items c WHERE c.org_id = o.org_id) ORDER BY o.name",
            [workspace],
        ).fetchall()
    ]
