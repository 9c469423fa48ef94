"""The Python API: a handle on a store, for notebooks and scripts.

>>> import jauge
>>> j = jauge.open("jauge.duckdb")
>>> j.import_file("dataset_Facebook.csv", source="facebook-insights", org="Brand", year=2014)
>>> j.items.to_pandas()
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import settings
from .campaigns import Campaign, add_campaign, list_campaigns
from .days import DayLike, as_day, check_order, required_day
from .enrich.pipeline import EnrichResult, enrich
from .enrich.regions import Regions, regions
from .enrich.sentiment import DEFAULT_BACKEND
from .enrich.topics import Topics, topics
from .enrich.voice import Voice, share_of_voice
from .errors import ConfigError, UsageError
from .frames import Frame
from .i18n import N_, _
from .ingest import ImportResult, ProgressFactory, import_files
from .metrics.compare import Comparison, compare
from .metrics.index import compute_index
from .metrics.result import IndexResult
from .metrics.scope import ScopeRequest
from .metrics.spec import LATEST
from .sources.base import ImportOptions
from .stats import Stats, collect_stats, known_workspace
from .store.duckdb_store import Store

if TYPE_CHECKING:
    from .community.people import Person
    from .integrity.assess import IntegrityReport
    from .reports import Report
    from .value.report import ValueReport

#: what ``add_org(relation=...)`` takes (as ``jauge org add --relation``)
RELATIONS = ("own", "competitor", "other")
#: the periods ``compare`` and ``report`` split a window into
PERIODS = ("month", "quarter")

_Handle = TypeVar("_Handle", bound=type)

#: the calls that add to the handle's workspace, and so create it when it is new (as
#: `jauge import`, `org add` and `campaign add` do); every other call reads it
ADDING = frozenset({"import_file", "add_org", "add_campaign"})
#: the calls that read the whole store, whatever the handle's workspace
STORE_WIDE = frozenset({"sql", "person_export"})


def _in_words(cls: _Handle) -> _Handle:
    """Every public method and property of the handle raises a StoreError in words when
    its store was closed, or is read-only and the call writes, not the engine's error.
    One that reads the handle's workspace first checks the store has it, as the CLI does:
    a mistyped name would otherwise read as an empty workspace."""

    def guarded(method: Callable[..., Any], reads: bool) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(self: Jauge, *args: Any, **kwargs: Any) -> Any:
            with self.store.in_words():
                if reads:
                    known_workspace(self.store, self.workspace)
                return method(self, *args, **kwargs)

        return call

    for name, member in list(vars(cls).items()):
        if name.startswith("_") or name in ("close", "store"):
            continue  # the store itself is what the guard asks
        reads = name not in ADDING and name not in STORE_WIDE
        if isinstance(member, property) and member.fget is not None:
            setattr(cls, name, property(guarded(member.fget, reads), doc=member.__doc__))
        elif callable(member):
            setattr(cls, name, guarded(member, reads))
    return cls


@_in_words
class Jauge:
    """A store opened for one workspace; entity tables are filtered to that workspace.

    A workspace the store does not have is created by the first call that adds to it
    (``import_file``, ``add_org``, ``add_campaign``); until then every call that reads it
    raises a NotFoundError naming the workspaces the store has."""

    def __init__(self, store: Store, workspace: str) -> None:
        self._store = store
        self.workspace = workspace
        self._opened_in = threading.get_ident()
        self._per_thread = threading.local()
        self._cursors: list[Store] = []
        self._cursors_lock = threading.Lock()

    @property
    def store(self) -> Store:
        """The open store. A handle shared between threads (``concurrent.futures`` over
        organisations) serves each other thread through a cursor of its own: the engine's
        connection answers one call at a time, and its cursors share the same database."""
        if threading.get_ident() == self._opened_in:
            return self._store
        cursor: Store | None = getattr(self._per_thread, "store", None)
        if cursor is None:
            cursor = self._store.cursor()
            self._per_thread.store = cursor
            with self._cursors_lock:
                self._cursors.append(cursor)
        return cursor

    def __repr__(self) -> str:
        return f"<Jauge store {self.store.path}, workspace {self.workspace}>"

    # -- writing -----------------------------------------------------------------

    def import_file(
        self,
        path: str | Path | Iterable[str | Path],
        source: str | None = None,
        *,
        org: str | None = None,
        platform: str | None = None,
        account: str | None = None,
        year: int | None = None,
        followers: int | None = None,
        mapping: Mapping[str, str] | None = None,
        encoding: str | None = None,
        delimiter: str | None = None,
        skip_invalid: bool = False,
        observed_at: datetime | None = None,
        progress: ProgressFactory | None = None,
        label: str | None = None,
    ) -> ImportResult:
        """Import one file (or several) with the named source (None: the one each file's
        content fits); see ``jauge import --help``. ``label`` names a single file in
        results and errors instead of its path.

        A file that cannot be imported (missing, unreadable, invalid rows) raises
        nothing: it is in the result, ``status == "rejected"`` with its ``errors``, and
        ``result.ok`` is False, so check ``ok``. An unknown source raises a
        NotFoundError, and an option the source cannot use a ConfigError (in a batch,
        that file is rejected and the others go on)."""
        paths = [str(path)] if isinstance(path, (str, Path)) else [str(p) for p in path]
        labels = {paths[0]: label} if label is not None and len(paths) == 1 else None
        options = ImportOptions(
            org=org,
            workspace=self.workspace,
            platform=platform,
            account=account,
            year=year,
            followers=followers,
            mapping=dict(mapping or {}),
            encoding=encoding,
            delimiter=delimiter,
            skip_invalid=skip_invalid,
            observed_at=observed_at,
        )
        return import_files(self.store, paths, source, options, progress, labels)

    def add_campaign(
        self,
        name: str,
        *,
        org: str,
        start: DayLike,
        end: DayLike,
        hashtags: Sequence[str] = (),
        keywords: Sequence[str] = (),
        utm_campaign: str | None = None,
    ) -> Campaign:
        """Define a campaign of ``org`` from ``start`` to ``end`` (days, as dates or ISO
        strings); items match by date and by tags or keywords."""
        campaign = Campaign(
            name,
            org,
            required_day(start, "start"),
            required_day(end, "end"),
            tuple(_names(hashtags)),
            tuple(_names(keywords)),
            utm_campaign,
        )
        return add_campaign(self.store, self.workspace, campaign)

    # -- listening ---------------------------------------------------------------

    def add_org(
        self,
        name: str,
        *,
        aliases: Sequence[str] = (),
        handles: Sequence[str] = (),
        hashtags: Sequence[str] = (),
        products: Sequence[str] = (),
        excludes: Sequence[str] = (),
        relation: str | None = None,
    ) -> list[dict[str, str]]:
        """Create an organisation or extend its dictionary; returns its new entries.
        ``relation`` (own, competitor, other) is set when given; a new organisation is
        the user's own unless it says otherwise."""
        from .enrich.mentions import dictionary_term

        if not name.strip():
            raise ConfigError(_("the organisation's name is empty"))
        if relation is not None and relation not in RELATIONS:
            raise ConfigError(
                _(
                    "relation takes {known}, not {value}",
                    known=", ".join(RELATIONS),
                    value=repr(relation),
                )
            )
        entries = [("name", name), *(("alias", a) for a in _names(aliases))]
        entries += [("handle", h) for h in _names(handles)]
        entries += [("hashtag", t) for t in _names(hashtags)]
        entries += [("product", p) for p in _names(products)]
        entries += [("exclude", e) for e in _names(excludes)]
        for kind, term in entries:
            # an empty entry would match every text: each post would mention the organisation
            if not dictionary_term(kind, term).strip("@# "):
                raise ConfigError(
                    _(
                        "an empty {kind} cannot be a dictionary entry: it would match every text",
                        kind=kind,
                    )
                )
        org_id = self.store.ensure_org(self.workspace, name, relation or "own")
        if relation is not None:
            self.store.set_org_relation(org_id, relation)
        terms = [(kind, term, dictionary_term(kind, term)) for kind, term in entries]
        self.store.save_org_terms(self.workspace, org_id, terms)
        return [{"kind": k, "term": t, "matches": n} for k, t, n in terms]

    def org_dictionaries(self) -> list[dict[str, Any]]:
        """Every organisation of the workspace with its dictionary entries."""
        orgs = self.organisations.to_pylist()
        terms = self.table("org_terms").to_pylist()
        return [
            {
                "name": o["name"],
                "relation": o["relation"],
                # its name always counts (see workspace_dictionary), entered or not
                "terms": [
                    *(
                        []
                        if any(t["org_id"] == o["org_id"] and t["kind"] == "name" for t in terms)
                        else [{"kind": "name", "term": o["name"]}]
                    ),
                    *(
                        {"kind": t["kind"], "term": t["term"]}
                        for t in terms
                        if t["org_id"] == o["org_id"]
                    ),
                ],
            }
            for o in orgs
        ]

    def enrich(
        self,
        *,
        org: str | None = None,
        backend: str = DEFAULT_BACKEND,
        progress: Any = None,
    ) -> EnrichResult:
        """Language, sentiment and mentions for the items not yet enriched (incremental)."""
        return enrich(self.store, self.workspace, org=org, backend=backend, progress=progress)

    def org_name(self, name: str) -> str:
        """The organisation ``name`` as the store spells it, however it was typed ("brand"
        is Brand, "medias fr" is Médias FR); a NotFoundError naming the known ones."""
        org_id = self.store.org_id(self.workspace, name)
        found = self.store.con.execute(
            "SELECT name FROM organisations WHERE org_id = ?", [org_id]
        ).fetchall()
        return str(found[0][0])

    def _org_names(self, names: str | Iterable[str]) -> list[str]:
        # resolved before anything is measured: headers, JSON and fingerprints then read
        # the same whatever the case a name was typed in
        return [self.org_name(n) for n in _names(names)]

    def voice(
        self, orgs: Sequence[str], *, start: DayLike | None = None, end: DayLike | None = None
    ) -> Voice:
        """Share of voice and net sentiment per organisation (one name or several)."""
        names = self._org_names(orgs)
        return share_of_voice(self.store, self.workspace, names, *_days(start, end))

    def regions(
        self,
        orgs: Sequence[str],
        *,
        start: DayLike | None = None,
        end: DayLike | None = None,
        by: str = "country",
    ) -> Regions:
        """Where the mentions of organisations come from: per country, or with
        ``by="region"`` per region where jauge knows them (US states, French and Belgian
        regions, Canadian provinces, Swiss cantons, UK nations; other countries whole),
        with each organisation's share of voice and net sentiment there."""
        names = self._org_names(orgs)
        return regions(self.store, self.workspace, names, *_days(start, end), by=by)

    def topics(
        self, org: str, *, start: DayLike | None = None, end: DayLike | None = None, limit: int = 20
    ) -> Topics:
        """Top and rising terms and phrases about an organisation."""
        return topics(
            self.store, self.workspace, self.org_name(org), *_days(start, end), _limit(limit)
        )

    def people(
        self,
        org: str,
        *,
        topics: Sequence[str] = (),
        start: DayLike | None = None,
        end: DayLike | None = None,
        limit: int = 20,
        pseudonymise: bool = False,
    ) -> list[Person]:
        """The people who talk about an organisation, on separate dimensions and with
        why (docs/people.md); ``pseudonymise`` shows stable keyed pseudonyms instead of
        handles."""
        # the graph libraries load with the first ranking, not with every command
        from .community.people import pseudonymised, rank_people
        from .community.privacy import pseudonym_key

        start, end = _days(start, end)
        found = rank_people(
            self.store,
            self.workspace,
            self.org_name(org),
            topics=tuple(_names(topics)),
            start=start,
            end=end,
            limit=_limit(limit),
        )
        if pseudonymise:
            found = pseudonymised(found, pseudonym_key(self.store, self.workspace))
        return found

    def person(self, handle: str, org: str, *, pseudonymise: bool = False) -> dict[str, Any]:
        """One person's relationship with an organisation over time: when they first
        engaged, their activity and sentiment per week, the exchanges, their latest items
        (as ``jauge person HANDLE --org ORG --format json``)."""
        from .community.people import person_timeline
        from .community.privacy import item_pseudonym, pseudonym, pseudonym_key

        data = person_timeline(self.store, self.workspace, self.org_name(org), handle)
        if pseudonymise:
            found = self.store.con.execute(
                "SELECT min(person_id) FROM persons WHERE workspace = ? AND lower(handle) = "
                "lower(?)",
                [self.workspace, handle.lstrip("@")],
            ).fetchall()
            key = pseudonym_key(self.store, self.workspace)
            data["handle"] = pseudonym(key, found[0][0])
            data["items"] = [
                {**i, "id": item_pseudonym(key, i["id"]), "url": None} for i in data["items"]
            ]
        return data

    def person_export(
        self, handle: str, *, platform: str | None = None, all_workspaces: bool = False
    ) -> dict[str, Any]:
        """Everything the store holds about the persons of ``handle`` (one per platform), in
        this workspace or all of them: a right-of-access answer (as ``jauge person export``;
        its keys in docs/people.md). Raises NotFoundError for a handle that was forgotten,
        saying so."""
        from .community.access import export_person
        from .store.access import workspace_names

        if not all_workspaces:
            known_workspace(self.store, self.workspace)
        names = workspace_names(self.store) if all_workspaces else [self.workspace]
        return export_person(self.store, names, handle, platform)

    def integrity(
        self,
        *,
        minutes: int = 30,
        min_items: int = 5,
        min_overlap: float = 0.5,
        min_group: int = 3,
        limit: int = 20,
    ) -> IntegrityReport:
        """Assess every person of the workspace for signs of bought or automated
        engagement and store their authenticity weights, which the index and the
        community graph then use (docs/integrity.md). The lockstep thresholds: engagement
        within ``minutes`` of a post, on ``min_items`` posts shared with others by a
        Jaccard overlap of ``min_overlap``, in groups of ``min_group`` or more. The report
        lists the ``limit`` accounts weighed down most (0: none, the summary only)."""
        from .integrity.assess import assess
        from .integrity.lockstep import LockstepRules

        rules = LockstepRules(minutes, min_items, min_overlap, min_group)
        return assess(self.store, self.workspace, rules, limit=_limit(limit, least=0))

    def assessment(self, *, limit: int = 20) -> dict[str, Any]:
        """The latest integrity assessment as stored (``assessed_at`` None when the
        workspace never had one), with the ``limit`` accounts it weighed down most (0:
        none, the summary only)."""
        from .integrity.assess import latest_assessment

        return latest_assessment(self.store, self.workspace, limit=_limit(limit, least=0))

    def authenticity(self) -> Frame:
        """The stored authenticity weights of the workspace's assessed persons."""
        return self.table("authenticity")

    # -- value -------------------------------------------------------------------

    def value(
        self,
        org: str,
        *,
        campaign: str | None = None,
        start: DayLike | None = None,
        end: DayLike | None = None,
        conversion_value: float | None = None,
    ) -> ValueReport:
        """What social media brought ``org``: reach, sessions, conversions and revenue per
        platform, and spend and ROI per campaign, from ``start`` to ``end`` (default: all
        its web analytics and costs); see docs/value.md. ``conversion_value`` values
        each conversion where the exports give no revenue."""
        from .value.report import value_report

        start, end = _days(start, end)
        return value_report(
            self.store,
            self.workspace,
            org,
            start=start,
            end=end,
            campaign=campaign,
            conversion_value=conversion_value,
        )

    # -- the index ---------------------------------------------------------------

    def score(
        self,
        org: str,
        *,
        account: str | None = None,
        campaign: str | None = None,
        start: DayLike | None = None,
        end: DayLike | None = None,
        engine: str = "duckdb",
        version: str = LATEST,
    ) -> IndexResult:
        """The Jauge Index of an organisation (or one account or campaign) over a window
        (default: the 90 days up to its latest item); see docs/index-spec.md."""
        start, end = _days(start, end)
        org = self.org_name(org)
        request = ScopeRequest(org=org, account=account, campaign=campaign, start=start, end=end)
        return compute_index(self.store, self.workspace, request, engine=engine, version=version)

    def compare(
        self,
        by: str,
        orgs: Sequence[str] = (),
        *,
        every: str = "quarter",
        start: DayLike | None = None,
        end: DayLike | None = None,
        engine: str = "duckdb",
        version: str = LATEST,
    ) -> Comparison:
        """The index per period, campaign or organisation (``orgs``: one name or several),
        with significant changes marked; ``every``: month or quarter."""
        start, end = _days(start, end)
        return compare(
            self.store,
            self.workspace,
            by,
            self._org_names(orgs),
            every=_every(every),
            start=start,
            end=end,
            engine=engine,
            version=version,
        )

    def report(
        self,
        org: str,
        *,
        start: DayLike | None = None,
        end: DayLike | None = None,
        versus: Sequence[str] | None = None,
        lang: str | None = None,
        names: bool = False,
        every: str = "quarter",
        campaign: str | None = None,
        version: str = LATEST,
        conversion_value: float | None = None,
    ) -> Report:
        """The executive report of an organisation, or of its ``campaign`` (``jauge
        report``): one HTML file to share, with the index (of ``version``), its breakdown
        and trend, the organisations ``versus`` (default: the workspace's competitors)
        side by side, listening and people (pseudonymised unless ``names``), and its value
        (``conversion_value`` values each conversion where the exports give no revenue, as
        for :meth:`value`); see docs/reports.md. ``report.save(path)`` writes it (a PDF
        when the name ends in .pdf); Jupyter shows it."""
        from .reports import executive_report

        start, end = _days(start, end)
        return executive_report(
            self,
            self.org_name(org),
            start=start,
            end=end,
            versus=None if versus is None else tuple(self._org_names(versus)),
            lang=lang,
            names=names,
            every=_every(every),
            campaign=campaign,
            version=version,
            conversion_value=conversion_value,
        )

    # -- reading -----------------------------------------------------------------

    def stats(self) -> Stats:
        """Counts per entity, organisation and platform in this workspace."""
        return collect_stats(self.store, self.workspace)

    def table(self, entity: str) -> Frame:
        """Any entity by name (organisations, accounts, persons, items, interactions,
        snapshots, annotations, campaigns, imports, workspaces, mentions, org_terms,
        authenticity, web_traffic, costs); its columns in docs/data-model.md."""
        return Frame(self.store.table(entity, self.workspace))

    def sql(self, query: str, params: list[Any] | None = None) -> Frame:
        """A read query over the store's tables, as a Frame. It reads the whole store,
        every workspace's rows: a query keeps to this handle's by filtering on the
        ``workspace`` column (``WHERE workspace = ?`` with ``[j.workspace]``)."""
        return Frame(self.store.query(query, params))

    @property
    def organisations(self) -> Frame:
        return self.table("organisations")

    @property
    def accounts(self) -> Frame:
        return self.table("accounts")

    @property
    def web_traffic(self) -> Frame:
        """Web sessions as imported: one row per day, source, medium, campaign... (or per
        session where the export names them)."""
        return self.table("web_traffic")

    @property
    def costs(self) -> Frame:
        return self.table("costs")

    @property
    def persons(self) -> Frame:
        return self.table("persons")

    @property
    def items(self) -> Frame:
        return self.table("items")

    @property
    def interactions(self) -> Frame:
        return self.table("interactions")

    @property
    def snapshots(self) -> Frame:
        return self.table("snapshots")

    @property
    def annotations(self) -> Frame:
        return self.table("annotations")

    @property
    def campaigns(self) -> Frame:
        return self.table("campaigns")

    @property
    def imports(self) -> Frame:
        return self.table("imports")

    def campaign_list(self, org: str | None = None) -> list[Campaign]:
        return list_campaigns(self.store, self.workspace, org)

    def close(self) -> None:
        # the threads' cursors first: each keeps the database open while it is
        with self._cursors_lock:
            cursors, self._cursors = self._cursors, []
        for cursor in cursors:
            cursor.close()
        self._store.close()

    def __enter__(self) -> Jauge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(
    path: str | Path | None = None,
    *,
    workspace: str | None = None,
    read_only: bool = False,
) -> Jauge:
    """Open (or create) the store at ``path`` (default: ``JAUGE_DB`` or ``./jauge.duckdb``)."""
    store = Store(
        settings.DB.value(str(path) if path is not None else None),
        read_only=read_only,
        memory_limit=settings.MEMORY_LIMIT.memory(),
        threads=settings.THREADS.whole(),
    )
    return Jauge(store, settings.WORKSPACE.value(workspace))


def _names(names: str | Iterable[str]) -> list[str]:
    """What the API was given where it takes several names: one name alone is a list of one
    (``list("Brand")`` would be its letters)."""
    return [names] if isinstance(names, str) else list(names)


def _limit(limit: int, least: int = 1) -> int:
    """A ``limit`` argument, checked as the CLI checks ``--limit``: -1 would slice off the
    last row and 0 give none, as if there were nothing to list. ``least=0`` where asking
    for none is meant: an assessment's summary without its accounts (as the web asks)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < least:
        said = (
            N_("{name} takes a whole number of 1 or more, got {value}")
            if least == 1
            else N_("{name} takes a whole number of 0 or more, got {value}")
        )
        raise UsageError(_(said, name="limit", value=repr(limit)))
    return limit


def _every(every: str) -> str:
    """The period a comparison splits its window into, checked."""
    if every not in PERIODS:
        raise ConfigError(
            _("every takes {known}, not {value}", known=", ".join(PERIODS), value=repr(every))
        )
    return every


def _days(start: object, end: object) -> tuple[date | None, date | None]:
    """A window's days as the Python API was given them (strings, timestamps), checked."""
    first, last = as_day(start, "start"), as_day(end, "end")
    if first is not None and last is not None:
        check_order(first, last)
    return first, last
