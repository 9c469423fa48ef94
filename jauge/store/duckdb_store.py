"""The embedded store: one DuckDB file, its schema version and forward migrations.

This package is the only code that writes SQL against the store's tables.
Everything else hands it typed batches (Arrow) or asks it for Arrow tables.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import NotFoundError, ReadOnlyStoreError, StoreError
from ..i18n import _
from ..model import METRICS
from .ids import make_id, sql_literal
from .locking import connect_waiting

#: entity name -> (table, column ordering the rows for stable output)
ENTITIES: dict[str, tuple[str, str]] = {
    "workspaces": ("workspaces", "workspace"),
    "organisations": ("organisations", "name"),
    "accounts": ("accounts", "platform, handle"),
    "persons": ("persons", "platform, native_id"),
    "items": ("content_items", "created_at, item_id"),
    "interactions": ("interactions", "occurred_at, interaction_id"),
    "snapshots": ("metric_snapshots", "subject_id, observed_at"),
    "annotations": ("annotations", "item_id, key"),
    "campaigns": ("campaigns", "name"),
    "imports": ("imports", "started_at, import_id"),
    "mentions": ("mentions", "item_id, org_id"),
    "org_terms": ("org_terms", "org_id, kind, normalised"),
    "authenticity": ("authenticity", "weight, person_id"),
    "web_traffic": ("web_traffic", "day, row_id"),
    "costs": ("costs", "starts_on, campaign, row_id"),
}
#: columns an entity's rows leave out: an item's first snapshot is read as a snapshot
HIDDEN = {"content_items": "first_snapshot"}


def shown_columns(table: str) -> str:
    """SQL of a table's columns as users and engines read them (see :data:`HIDDEN`)."""
    return f"* EXCLUDE ({HIDDEN[table]})" if table in HIDDEN else "*"


#: an item's first snapshot without its other columns (a tweet's coordinates), for erasure
_FIRST_WITHOUT_EXTRA = "CASE WHEN first_snapshot IS NOT NULL THEN struct_pack({}) END".format(
    ", ".join(
        f"{c} := " + ("NULL::JSON" if c == "extra" else f"first_snapshot.{c}")
        for c in ("observed_at", *METRICS, "extra", "import_id")
    )
)

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def utcnow() -> datetime:
    """Now, as a naive UTC datetime: the store keeps every timestamp in UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def migrations() -> list[tuple[int, str, str]]:
    """The bundled migrations as (version, name, sql), in order."""
    found = []
    for entry in resources.files("jauge.store").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    return sorted(found)


class Store:
    """A DuckDB store file, opened and migrated to the latest schema version."""

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        memory_limit: str = "1GB",
        threads: int = 0,
        lock_wait: float | None = None,
    ) -> None:
        self.path = str(path)
        self.memory_limit = memory_limit
        if read_only and not Path(self.path).exists():
            raise StoreError(
                _("no store at {path}: import data first (`jauge import ...`)", path=self.path)
            )
        self.con = connect_waiting(self.path, read_only=read_only, wait=lock_wait)
        self._threads = threads
        self._configure(threads)
        if not read_only:
            self._migrate()
        elif self.schema_version() != migrations()[-1][0]:
            raise StoreError(
                _("{path} needs a migration: open it once without read-only", path=self.path)
            )

    def _configure(self, threads: int) -> None:
        self._configure_session()
        self.con.execute(f"SET memory_limit = '{self.memory_limit}'")
        if threads > 0:
            self.con.execute(f"SET threads = {int(threads)}")

    def _configure_session(self) -> None:
        """What each connection to the store is told, a cursor as well as the first: the
        engine keeps these per connection (the memory limit and threads are the
        database's)."""
        # UTC everywhere, so that no figure depends on the machine's time zone.
        self.con.execute("SET TimeZone = 'UTC'")
        # jauge draws its own progress bars from the engine's progress, which the
        # engine must track but not print (it would garble them)
        self.con.execute("SET enable_progress_bar = true")
        self.con.execute("SET enable_progress_bar_print = false")
        self.con.execute("SET progress_bar_time = 0")

    def cursor(self) -> Store:
        """A handle on the same open database for another thread (DuckDB connections are
        not shared between threads; cursors are)."""
        other = object.__new__(Store)
        other.path = self.path
        other.memory_limit = self.memory_limit
        other.con = self.con.cursor()
        other._configure_session()
        return other

    # -- schema -----------------------------------------------------------------

    def schema_version(self) -> int:
        """The schema version of the store file (0 for a new, empty file)."""
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchall()[0]
        if not exists or exists[0] == 0:
            return 0
        row = self.con.execute("SELECT max(version) FROM schema_migrations").fetchall()[0]
        return int(row[0]) if row and row[0] is not None else 0

    def _migrate(self) -> None:
        current = self.schema_version()
        available = migrations()
        latest = available[-1][0]
        if current > latest:
            raise StoreError(
                _(
                    "{path} has schema version {current}, newer than this jauge understands "
                    "({latest}): upgrade jauge to open it",
                    path=self.path,
                    current=current,
                    latest=latest,
                )
            )
        pending = [m for m in available if m[0] > current]
        if not pending:
            return
        self.con.execute("BEGIN TRANSACTION")
        try:
            if current == 0:
                self.con.execute(
                    "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                    "name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
                )
            for version, name, sql in pending:
                self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, name, utcnow()]
                )
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    # -- transactions -----------------------------------------------------------

    @contextmanager
    def memory_limited(self, limit: str) -> Iterator[None]:
        """Run a block under another memory limit (imports stream: a low one keeps them flat)."""
        if limit == self.memory_limit:
            # setting the limit the engine already has still costs it tens of milliseconds
            yield
            return
        self.con.execute(f"SET memory_limit = '{limit}'")
        try:
            yield
        finally:
            self.con.execute(f"SET memory_limit = '{self.memory_limit}'")

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Run a block in one transaction: all of it is written, or none of it."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- workspaces and organisations --------------------------------------------

    def ensure_workspace(self, workspace: str) -> None:
        self.con.execute(
            "INSERT INTO workspaces SELECT ?, ? WHERE NOT EXISTS "
            "(SELECT 1 FROM workspaces WHERE workspace = ?)",
            [workspace, utcnow(), workspace],
        )

    def ensure_org(self, workspace: str, name: str, relation: str = "own") -> str:
        """The id of organisation ``name`` in ``workspace``, created if missing."""
        self.ensure_workspace(workspace)
        org_id = make_id(workspace, name.strip().lower())
        self.con.execute(
            "INSERT INTO organisations SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS "
            "(SELECT 1 FROM organisations WHERE org_id = ?)",
            [org_id, workspace, name.strip(), relation, utcnow(), org_id],
        )
        return org_id

    def set_org_relation(self, org_id: str, relation: str) -> None:
        """Whether an organisation is the user's own, a competitor or other."""
        self.con.execute(
            "UPDATE organisations SET relation = ? WHERE org_id = ?", [relation, org_id]
        )

    def org_id(self, workspace: str, name: str) -> str:
        """The id of an existing organisation, or a NotFoundError naming the known ones."""
        # found whatever the case and accents ("medias fr" is Médias FR), the exact
        # spelling first where two names differ only by their accents
        rows = self.con.execute(
            "SELECT org_id FROM organisations WHERE workspace = $ws "
            "AND strip_accents(lower(name)) = strip_accents(lower($name)) "
            "ORDER BY lower(name) = lower($name) DESC, name LIMIT 1",
            {"ws": workspace, "name": name.strip()},
        ).fetchall()
        row = rows[0] if rows else None
        if row is None:
            known = [
                r[0]
                for r in self.con.execute(
                    "SELECT name FROM organisations WHERE workspace = ? ORDER BY name",
                    [workspace],
                ).fetchall()
            ]
            hint = (
                _(" Known: {names}.", names=", ".join(known))
                if known
                else _(" The workspace has none yet.")
            )
            raise NotFoundError(
                _(
                    "no organisation {name} in workspace {workspace}.",
                    name=repr(name),
                    workspace=repr(workspace),
                )
                + hint
            )
        return str(row[0])

    # -- campaigns and panels -------------------------------------------------------

    def save_campaign(
        self,
        campaign_id: str,
        workspace: str,
        org_id: str,
        values: dict[str, Any],
    ) -> None:
        """Write a campaign, replacing any earlier definition with the same id."""
        with self.transaction() as con:
            con.execute("DELETE FROM campaigns WHERE campaign_id = ?", [campaign_id])
            con.execute(
                "INSERT INTO campaigns VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    campaign_id,
                    workspace,
                    org_id,
                    values["name"],
                    values["starts_on"],
                    values["ends_on"],
                    list(values["hashtags"]),
                    list(values["keywords"]),
                    values["utm_campaign"],
                    utcnow(),
                ],
            )

    def save_panel(self, panel_id: str, body: str) -> None:
        """Keep an imported panel (importing the same panel again changes nothing)."""
        self.con.execute(
            "INSERT INTO panels SELECT ?, ?, ? WHERE NOT EXISTS "
            "(SELECT 1 FROM panels WHERE panel_id = ?)",
            [panel_id, utcnow(), body, panel_id],
        )

    # -- listening -------------------------------------------------------------------

    def save_org_terms(
        self, workspace: str, org_id: str, terms: list[tuple[str, str, str]]
    ) -> None:
        """Add (kind, term, normalised) entries to an organisation's dictionary."""
        with self.transaction() as con:
            for kind, term, normalised in terms:
                con.execute(
                    "DELETE FROM org_terms WHERE org_id = ? AND kind = ? AND normalised = ?",
                    [org_id, kind, normalised],
                )
                con.execute(
                    "INSERT INTO org_terms VALUES (?, ?, ?, ?, ?)",
                    [org_id, workspace, kind, term, normalised],
                )

    def write_enrichment(self, batch: dict[str, pa.Table]) -> None:
        """One batch of enrichment results, written with its log rows in one transaction,
        so that an interrupted run resumes after the last whole batch. A step's results on
        an item replace that step's earlier ones, whichever version or backend gave them:
        an item has one model label, the last run's. Human labels (``sentiment.human``)
        are another key."""
        with self.transaction() as con:
            for name, rows in batch.items():
                con.register(f"new_{name}", rows)
            try:
                con.execute(
                    """
                    DELETE FROM annotations a USING new_annotations n
                    WHERE a.item_id = n.item_id AND a.key = n.key;
                    DELETE FROM mentions WHERE item_id IN
                        (SELECT item_id FROM new_enrichment_log WHERE step = 'mentions');
                    DELETE FROM enrichment_log l USING new_enrichment_log n
                    WHERE l.item_id = n.item_id AND l.step = n.step;
                    INSERT INTO annotations BY NAME SELECT * FROM new_annotations;
                    INSERT INTO mentions BY NAME SELECT * FROM new_mentions;
                    INSERT INTO enrichment_log BY NAME SELECT * FROM new_enrichment_log;
                    """
                )
            finally:
                for name in batch:
                    con.unregister(f"new_{name}")

    def drop_superseded_enrichment(
        self, workspace: str, keys_by_step: Mapping[str, Sequence[str]]
    ) -> None:
        """Remove the annotations a step wrote (``keys_by_step``) by another version than
        the one the log says processed the item last."""
        wanted = " OR ".join(
            f"(l.step = {sql_literal(step)} AND a.key IN "
            f"({', '.join(sql_literal(k) for k in keys)}))"
            for step, keys in keys_by_step.items()
        )
        with self.transaction() as con:
            con.execute(
                f"""
                DELETE FROM annotations a USING enrichment_log l
                WHERE a.workspace = ? AND l.item_id = a.item_id AND ({wanted})
                  AND a.source <> l.version
                """,
                [workspace],
            )

    # -- connections --------------------------------------------------------------

    def save_connection(
        self, workspace: str, name: str, kind: str, org: str | None, options: str
    ) -> None:
        """Add or replace a connection. Replaced with another kind or other options, it
        starts over: its cursor (a since-id, an account's id, an ETag) belongs to what it
        followed before, and kept it would skip or mislabel what it follows now."""
        with self.transaction() as con:
            before = con.execute(
                "SELECT kind, options FROM connections WHERE workspace = ? AND name = ?",
                [workspace, name],
            ).fetchall()
            if not before or tuple(before[0]) != (kind, options):
                con.execute(
                    "DELETE FROM sync_state WHERE workspace = ? AND name = ?", [workspace, name]
                )
            con.execute(
                "DELETE FROM connections WHERE workspace = ? AND name = ?", [workspace, name]
            )
            con.execute(
                "INSERT INTO connections VALUES (?, ?, ?, ?, ?, ?)",
                [workspace, name, kind, org, options, utcnow()],
            )

    def delete_connection(self, workspace: str, name: str) -> bool:
        with self.transaction() as con:
            found = con.execute(
                "SELECT count(*) FROM connections WHERE workspace = ? AND name = ?",
                [workspace, name],
            ).fetchall()[0][0]
            con.execute(
                "DELETE FROM connections WHERE workspace = ? AND name = ?", [workspace, name]
            )
            con.execute(
                "DELETE FROM sync_state WHERE workspace = ? AND name = ?", [workspace, name]
            )
        return bool(found)

    def save_sync_state(
        self,
        workspace: str,
        name: str,
        *,
        cursor: str | None,
        status: str,
        error: str | None,
        items: int,
    ) -> None:
        """Where a connection's sync stopped (the cursor only moves after a committed sync)."""
        with self.transaction() as con:
            previous = con.execute(
                "SELECT cursor, items_seen FROM sync_state WHERE workspace = ? AND name = ?",
                [workspace, name],
            ).fetchall()
            kept_cursor = cursor if cursor is not None else (previous[0][0] if previous else None)
            seen = (previous[0][1] if previous else 0) + items
            con.execute(
                "DELETE FROM sync_state WHERE workspace = ? AND name = ?", [workspace, name]
            )
            con.execute(
                "INSERT INTO sync_state VALUES (?, ?, ?, ?, ?, ?, ?)",
                [workspace, name, kept_cursor, utcnow(), status, error, seen],
            )

    # -- integrity -------------------------------------------------------------------

    def save_authenticity(
        self, workspace: str, rows: pa.Table, run: dict[str, Any] | None = None
    ) -> None:
        """A workspace's assessment replaces its previous one, whole; ``run`` (method,
        assessed_at, persons, flagged, groups) is added to the history of assessments."""
        with self.transaction() as con:
            con.register("new_authenticity", rows)
            con.execute("DELETE FROM authenticity WHERE workspace = ?", [workspace])
            con.execute("INSERT INTO authenticity BY NAME SELECT * FROM new_authenticity")
            con.unregister("new_authenticity")
            if run is not None:
                names = ", ".join(("workspace", *run))
                marks = ", ".join("?" for _ in range(len(run) + 1))
                con.execute(
                    f"INSERT INTO integrity_runs ({names}) VALUES ({marks})",
                    [workspace, *run.values()],
                )

    # -- privacy ---------------------------------------------------------------------

    def save_pseudonym_key(self, workspace: str, key: str) -> None:
        self.con.execute("INSERT INTO workspace_secrets VALUES (?, ?)", [workspace, key])

    def erase_persons(self, workspace: str, pseudonyms: dict[str, str]) -> None:
        """Scrub these persons' personal data (person id -> the pseudonym outputs name them
        by), keeping every row (and so every count); others' texts that name them by their
        handle name them by their pseudonym instead (see forgotten_mentions)."""
        from . import forgotten_mentions

        with self.transaction() as con:
            for person_id, pseudonym in pseudonyms.items():
                forgotten_mentions.remember(con, workspace, person_id, pseudonym)
                # their profile facts go too; an integrity weight, already computed, stays
                # with the counts it weighs
                con.execute(
                    "UPDATE persons SET handle = NULL, display_name = NULL, location = NULL, "
                    "followers = NULL, following = NULL, posts = NULL, has_avatar = NULL, "
                    "has_bio = NULL, declared_bot = NULL, "
                    "native_id = 'forgotten:' || person_id WHERE workspace = ? AND person_id = ?",
                    [workspace, person_id],
                )
                # their snapshots carry their rows' other columns (a tweet's coordinates)
                con.execute(
                    "UPDATE metric_snapshot_rows SET extra = NULL WHERE subject_type = 'item' "
                    "AND subject_id IN (SELECT item_id FROM content_items "
                    "WHERE workspace = ? AND author_person_id = ?)",
                    [workspace, person_id],
                )
                # a native id can lead to them (a Mastodon status's address holds its
                # author's id): items stay keyed by their item_id, which does not change
                con.execute(
                    "UPDATE content_items SET text = NULL, title = NULL, url = NULL, extra = NULL, "
                    f"native_id = 'forgotten:' || item_id, first_snapshot = {_FIRST_WITHOUT_EXTRA} "
                    "WHERE workspace = ? AND author_person_id = ?",
                    [workspace, person_id],
                )
            forgotten_mentions.scrub(con, workspace, "content_items", "item_id")

    def record_import(
        self,
        values: dict[str, Any],
        *,
        status: str = "written",
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        """One line of the import history (in the caller's transaction, if any)."""
        row = {**values, "finished_at": utcnow(), "status": status}
        row["errors"] = json.dumps(errors, ensure_ascii=False) if errors else None
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.con.execute(f"INSERT INTO imports ({names}) VALUES ({marks})", list(row.values()))

    def latest_item_day(self, org_ids: list[str], *, mentions: bool = False) -> date | None:
        """The day of the latest item of any of these organisations (windows end there by
        default, so that the same store always gives the same figures); with ``mentions``,
        items that name them in their dictionaries count too (what listening reads)."""
        marks = ", ".join("?" for _ in org_ids)
        named = (
            f" OR item_id IN (SELECT item_id FROM mentions WHERE org_id IN ({marks}))"
            if mentions
            else ""
        )
        latest = self.con.execute(
            f"SELECT max(created_at) FROM content_items WHERE org_id IN ({marks}){named}",
            org_ids * (2 if mentions else 1),
        ).fetchall()[0][0]
        return latest.date() if latest is not None else None

    # -- reading ------------------------------------------------------------------

    def table(self, entity: str, workspace: str | None = None) -> pa.Table:
        """Every row of an entity (see :data:`ENTITIES`) as an Arrow table."""
        if entity not in ENTITIES:
            raise NotFoundError(
                _(
                    "no entity {entity}: use one of {names}",
                    entity=repr(entity),
                    names=", ".join(ENTITIES),
                )
            )
        table, order = ENTITIES[entity]
        where = "" if workspace is None else "WHERE workspace = ?"
        params = [] if workspace is None else [workspace]
        sql = f"SELECT {shown_columns(table)} FROM {table} {where} ORDER BY {order}"
        return self.con.sql(sql, params=params).to_arrow_table()

    def query(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        """Run a read query and return an Arrow table (for notebooks and reports)."""
        return self.con.sql(sql, params=params or []).to_arrow_table()

    def close(self) -> None:
        self.con.close()

    def rewrite(self) -> None:
        """Write the store's file anew from its rows as they are now, and go on with it.

        DuckDB reuses the blocks an update frees but does not wipe them: values `jauge
        person forget` erased would stay in the file's bytes, for anyone who reads the
        file raw, until it is written anew. The new file replaces the old one in one
        rename, beside it (the same file system). It takes about as long as copying the
        store; other connections this process holds to it keep reading the old file
        (`jauge person forget`, the one caller, runs alone in its process)."""
        fresh = Path(self.path + ".rewrite")
        fresh.unlink(missing_ok=True)
        name = self.con.execute("SELECT current_database()").fetchall()[0][0]
        quoted = '"' + str(name).replace('"', '""') + '"'
        self.con.execute(f"ATTACH {sql_literal(str(fresh))} AS jauge_rewrite")
        try:
            self.con.execute(f"COPY FROM DATABASE {quoted} TO jauge_rewrite")
            self.con.execute("CHECKPOINT jauge_rewrite")
        except BaseException:
            self.con.execute("DETACH jauge_rewrite")
            fresh.unlink(missing_ok=True)
            raise
        self.con.execute("DETACH jauge_rewrite")
        self.con.execute("CHECKPOINT")
        self.con.close()
        os.replace(fresh, self.path)
        # a log left beside the old file would be replayed on the new one
        Path(self.path + ".wal").unlink(missing_ok=True)
        self.con = connect_waiting(self.path)
        self._configure(getattr(self, "_threads", 0))

    @contextmanager
    def in_words(self) -> Iterator[None]:
        """The engine's errors on a closed or read-only connection, raised inside the block,
        as StoreErrors that say so (DuckDB only tells them apart by their message)."""
        try:
            yield
        except duckdb.ConnectionException as exc:
            if "closed" not in str(exc):
                raise
            raise StoreError(
                _("this handle was closed: open the store {path} again", path=self.path)
            ) from exc
        except duckdb.InvalidInputException as exc:
            if "read-only mode" not in str(exc):
                raise
            # the CLI's own message on a read-only store says "writes to the store, which
            # is read-only here" too: scripts that read its errors keep working
            raise ReadOnlyStoreError(
                _(
                    "this call writes to the store, which is read-only here ({path}): open it "
                    "for writing, or work on a copy",
                    path=self.path,
                )
            ) from exc
