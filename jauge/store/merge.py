"""Staging and merging: how staged records from one file become entities, all or nothing.

A :class:`Staging` lives inside one transaction. Sources append raw Arrow
batches (or whole Arrow streams), or hand over the engine's own scan of a CSV
file, with the SELECT that converts them into staged records (see
:mod:`jauge.model`); values that fail conversion are kept with
their errors so that every one of them can be reported. Ids are computed while
staging, from natural keys (see :mod:`jauge.store.ids`). :meth:`Staging.merge`
then writes the valid records into the entity tables with set-based SQL: a
dozen statements per file, whatever its size, never one per row, and no copy of
the staged rows on the way.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import duckdb

from ..model import INTERACTION_KINDS, METRICS, STAGE_COLUMNS
from . import forgotten_mentions
from .ids import sql_id, sql_literal
from .stage import STAGE_TABLE, MergeContext, MergeCounts, StageTable
from .write_order import unordered_writes

__all__ = ["ITEMS_VIEW", "MergeContext", "MergeCounts", "Staging"]

#: columns computed while staging, from the staged record and the workspace
ID_COLUMNS = (
    "item_id",
    "person_native_id",
    "author_person_id",
    "reply_to_id",
    "quote_of_id",
    "repost_of_id",
)

#: content item fields that a newer import may change
_ITEM_FIELDS = (
    "kind",
    "org_id",
    "account_id",
    "author_person_id",
    "is_own",
    "text",
    "title",
    "url",
    "lang",
    "created_at",
    "reply_to_id",
    "quote_of_id",
    "repost_of_id",
    "extra",
)
#: what says whose an item is: a staged row that cannot know it (no organisation, or the
#: stored one's organisation without an account) leaves the stored values as they are, so
#: that a listening connection seeing the organisation's own posts does not turn them into
#: strangers' mentions, whichever connection is synced first
_OWNERSHIP_FIELDS = ("kind", "org_id", "account_id", "author_person_id", "is_own")
ITEMS_VIEW = "jauge_items"
_TEMP_TABLES = (
    "jauge_spellings",
    "jauge_org_ids",
    "jauge_account_ids",
    "jauge_existing",
    "jauge_new_snapshots",
    "jauge_staged_annotations",
)


def _merged(field: str, stored: str) -> str:
    """SQL of an item field after the merge: the staged row's value (``s``), except for
    what says whose the item is when the staged row knows less of it than ``stored``, and
    for a value the staged row does not give (a column its file lacks, an empty cell),
    which keeps the known one: a narrower export never erases a text or a link."""
    if field == "extra":
        return _merged_extra(stored)
    if field not in _OWNERSHIP_FIELDS:
        return f"coalesce(s.{field}, {stored}.{field})"
    knows_less = (
        f"{stored}.org_id IS NOT NULL AND (s.org_id IS NULL OR (s.org_id = {stored}.org_id "
        f"AND s.account_id IS NULL AND {stored}.account_id IS NOT NULL))"
    )
    return f"CASE WHEN {knows_less} THEN {stored}.{field} ELSE s.{field} END"


def _merged_extra(stored: str) -> str:
    """SQL of an item's ``extra`` after the merge: the stored object's keys, in their order,
    each with the staged value where the staged row gives one, then the staged row's new
    keys: a key the staged row lacks or leaves empty keeps its value (a newer export
    without a column does not erase the post type it gave), and a file that gives the same
    values gives the same object, to the letter (no update is counted)."""
    as_map = "json_transform({0}, '\"MAP(VARCHAR, JSON)\"')"
    known, given = as_map.format(f"{stored}.extra"), as_map.format("s.extra")
    laid_over = (
        f"to_json(map_from_entries(list_transform(map_entries({known}), lambda e: "
        f"struct_pack(key := e.key, value := coalesce({given}[e.key], e.value))) || "
        f"list_filter(map_entries({given}), lambda e: NOT list_contains(map_keys({known}), "
        "e.key) AND e.value IS NOT NULL)))"
    )
    objects = f"json_type(s.extra) = 'OBJECT' AND json_type({stored}.extra) = 'OBJECT'"
    return f"CASE WHEN {objects} THEN {laid_over} ELSE coalesce(s.extra, {stored}.extra) END"


def _id_expressions(ws: str) -> dict[str, str]:
    """How each id column is computed from a staged record (see ids.py)."""
    person = "coalesce(author_native_id, '@' || lower(author_handle))"

    def keyed(column: str, key: str) -> str:
        return f"CASE WHEN {column} IS NOT NULL THEN {sql_id(ws, 'platform', key)} END"

    return {
        "item_id": keyed("native_id", "native_id"),
        "person_native_id": f"CASE WHEN NOT is_own THEN {person} END",
        "author_person_id": f"CASE WHEN NOT is_own THEN {keyed(person, person)} END",
        "reply_to_id": keyed("reply_to", "reply_to"),
        "quote_of_id": keyed("quote_of", "quote_of"),
        "repost_of_id": keyed("repost_of", "repost_of"),
    }


#: stored in every stage: what the merge updates, keys on or always reads
_ALWAYS_KEPT = frozenset(
    ("row_no", "platform", "native_id", "item_id", "created_at", "is_own", "kind", "_errors")
)
#: id column -> the staged columns it is computed from (it is NULL without them)
_ID_SOURCES = {
    "item_id": ("native_id",),
    "person_native_id": ("author_native_id", "author_handle"),
    "author_person_id": ("author_native_id", "author_handle"),
    "reply_to_id": ("reply_to",),
    "quote_of_id": ("quote_of",),
    "repost_of_id": ("repost_of",),
}


#: persons' profile columns and the staged columns they are read from
_PROFILE = {
    "followers": "author_followers",
    "following": "author_following",
    "posts": "author_posts",
    "has_avatar": "author_has_avatar",
    "has_bio": "author_has_bio",
    "declared_bot": "author_bot",
}


#: staged columns that identify a person or carry what they wrote (see jauge.community.privacy)
_PERSONAL = (
    "text",
    "title",
    "url",
    "extra",
    "author_handle",
    "author_name",
    "author_location",
    *_PROFILE.values(),
)


def _latest_profile() -> str:
    """Per person (grouped rows), each profile fact from the latest row that gives it."""
    return ", ".join(
        f"arg_max({c}, row_no) FILTER (WHERE {c} IS NOT NULL) AS {p}" for p, c in _PROFILE.items()
    )


def merge_organisations(con: duckdb.DuckDBPyConnection, ws: str, names_sql: str) -> None:
    """Create the workspace and the organisations named by ``names_sql`` (a query of one
    column, ``org``) that do not exist yet, as the organisation's own."""
    con.execute(
        f"""
        INSERT INTO workspaces SELECT {ws}, now()::TIMESTAMP
        WHERE NOT EXISTS (SELECT 1 FROM workspaces WHERE workspace = {ws});

        INSERT INTO organisations (org_id, workspace, name, relation, created_at)
        SELECT {org_id_sql(ws, "org")}, {ws}, min(trim(org)), 'own', now()::TIMESTAMP
        FROM ({names_sql}) s
        WHERE org IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM organisations o WHERE o.org_id = {org_id_sql(ws, "s.org")})
        GROUP BY {org_id_sql(ws, "org")};
        """
    )


def org_id_sql(ws: str, org: str) -> str:
    """SQL of an organisation's id from its name (as items and campaigns compute it)."""
    return sql_id(ws, f"lower(trim({org}))")


def _pointer(key: str) -> str:
    """SQL of a JSON pointer to the key ``key`` (an SQL expression) of an object."""
    return f"'/' || replace(replace({key}, '~', '~0'), '/', '~1')"


def _extra_changed(known: str) -> str:
    """SQL: whether the staged item's ``extra`` (``s.extra``) gives a value (not null) that
    ``known`` (an SQL ``extra``) does not have: each key is compared on its own, so that
    one the export lacks is no change."""
    return (
        "coalesce(list_bool_or(list_transform(json_keys(s.extra), lambda k: "
        f"json_extract_string(s.extra, {_pointer('k')}) IS NOT NULL AND "
        f"json_extract(s.extra, {_pointer('k')}) IS DISTINCT FROM "
        f"json_extract({known}, {_pointer('k')}))), false)"
    )


def _changed_from(known: str) -> str:
    """SQL: whether the staged item (``s``) gives a count, or a key of ``extra``, that
    differs from ``known`` (an SQL struct or row alias with the same fields): a value the
    export does not give (a column it lacks, a key it leaves empty) is unknown, not a
    change."""
    return " OR ".join(
        [f"(s.{c} IS NOT NULL AND s.{c} IS DISTINCT FROM {known}.{c})" for c in METRICS]
        + [_extra_changed(f"{known}.extra")]
    )


#: whether a staged item gives any metric (it then has a snapshot)
_ANY_METRIC = " OR ".join(f"s.{m} IS NOT NULL" for m in METRICS)


def _snapshot_values(imp: str, at: str = "?") -> dict[str, str]:
    """SQL of a snapshot's values from a staged item (``s``), in the columns' order; its
    time is the parameter ``at`` given with the statement when the row does not say."""
    return {
        "observed_at": f"coalesce(s.observed_at, {at})",
        **{m: f"s.{m}" for m in METRICS},
        "extra": "s.extra",
        "import_id": imp,
    }


class Staging(StageTable):
    """Staged content items (with their authors and metrics), merged into items,
    persons, organisations, accounts, snapshots and annotations."""

    record = STAGE_COLUMNS
    computed_columns = (*((name, "VARCHAR") for name in ID_COLUMNS), ("id_derived", "BOOLEAN"))
    always_kept = _ALWAYS_KEPT
    temp_tables = _TEMP_TABLES

    def computed(self) -> dict[str, str]:
        return {
            **_id_expressions(sql_literal(self.workspace)),
            "id_derived": "native_id IS NULL",
        }

    def kept_columns(self, present: Collection[str]) -> set[str]:
        ids = {c for c, sources in _ID_SOURCES.items() if any(s in present for s in sources)}
        return {*self.always_kept, *present, *ids, "id_derived"}

    @property
    def _ws(self) -> str:
        return sql_literal(self.workspace)

    # -- merge ---------------------------------------------------------------------

    def merge(self, ctx: MergeContext) -> MergeCounts:
        """Write the valid staged records into the entity tables and count what changed."""
        imp = sql_literal(ctx.import_id)
        self.discard_invalid()
        self._known_spellings()
        self._derive_ids()
        repeated = self._drop_duplicates()
        # what `jauge person forget` erased stays erased (one query when nothing was)
        present = self._stored_columns()
        handles = forgotten_mentions.any_forgotten(self.con, self.workspace)
        self._keep_forgotten_persons_forgotten(present, handles)
        if handles:
            self._name_forgotten_persons_by_pseudonym(present)
        self._resolve_orgs_and_accounts()
        self._merge_parents()
        newer = self._newer_than_stored(ctx.observed_at)
        existing, moved = self._merge_items(imp, ctx.observed_at, newer)
        snapshots = self._merge_snapshots(imp, ctx.observed_at, existing, newer)
        interactions = self._count_interactions()
        self._merge_annotations(imp, ctx.source)
        updated = existing and self._scalar(
            "SELECT count(*) FROM jauge_existing e WHERE e.changed OR e.item_id IN "
            "(SELECT subject_id FROM jauge_new_snapshots)"
        )
        total = self.rows()
        return MergeCounts(
            inserted=total - existing,
            updated=updated,
            unchanged=existing - updated,
            snapshots=snapshots,
            interactions=interactions,
            repeated=repeated,
            moved=moved,
        )

    def _moved_items(self) -> tuple[tuple[str, str, int], ...]:
        """Changed items this file gives to another organisation than the one storing
        them: the file wins, as for every other field, and the user is told."""
        rows = self.con.execute(
            f"""
            SELECT was.name, now.name, count(*)
            FROM {ITEMS_VIEW} s JOIN content_items c USING (item_id)
            JOIN organisations was ON was.org_id = c.org_id
            JOIN organisations now ON now.org_id = s.org_id
            WHERE c.org_id <> s.org_id
              AND s.item_id IN (SELECT item_id FROM jauge_existing WHERE changed)
            GROUP BY ALL ORDER BY 1, 2
            """
        ).fetchall()
        return tuple((str(a), str(b), int(n)) for a, b, n in rows)

    def _known_spellings(self) -> None:
        """Organisations and accounts named as the store first knew them (``--org brand``
        for "Brand", ``@brandpage`` for "brandpage"), else as given without the spaces
        around: ids derived from these names (files without native ids) then stay the
        same, and a file imported again under another spelling adds nothing."""
        present = self._stored_columns()
        ws, rows = self._ws, self._rows
        key = "lower(ltrim(trim({}), '@'))"
        known = {
            "org": (
                [],
                f"SELECT lower(name) AS key, min(name) AS known FROM organisations "
                f"WHERE workspace = {ws} GROUP BY 1",
                "lower(trim(s.org))",
            ),
            "account_handle": (
                ["platform"],
                f"SELECT platform, {key.format('handle')} AS key, min(handle) AS known "
                f"FROM accounts WHERE workspace = {ws} GROUP BY ALL",
                key.format("s.account_handle"),
            ),
        }
        for column, (by, stored, lookup) in known.items():
            if not {column, *by} <= present:
                continue
            same = "".join(f" AND k.{c} = s.{c}" for c in by)
            # the few names a file gives, with their spelling: rows change only if one does
            self.con.execute(
                f"""
                CREATE OR REPLACE TEMP TABLE jauge_spellings AS
                SELECT s.*, coalesce(k.known, trim(s.{column})) AS spelled
                FROM (SELECT DISTINCT {", ".join([*by, column])} FROM {rows}
                      WHERE {column} IS NOT NULL) s
                LEFT JOIN ({stored}) k ON k.key = {lookup}{same}
                WHERE s.{column} <> coalesce(k.known, trim(s.{column}))
                """
            )
            if self._scalar("SELECT count(*) FROM jauge_spellings"):
                matched = " AND ".join(f"{rows}.{c} = m.{c}" for c in [*by, column])
                self.con.execute(
                    f"UPDATE {rows} SET {column} = m.spelled FROM jauge_spellings m WHERE {matched}"
                )

    def _derive_ids(self) -> None:
        """Give rows without a native id one derived from their account, what tells them
        apart in the export (e.g. their time) and their rank among look-alikes, counted
        from the file's end: exports list newest first, so older posts keep their rank
        when newer ones are added on top."""
        if not self._scalar(f"SELECT count(*) FROM {STAGE_TABLE} WHERE native_id IS NULL"):
            return
        derived = "'derived:' || " + sql_id(
            "coalesce(account_handle, org)",
            "identity",
            "row_number() OVER (PARTITION BY platform, account_handle, org, identity "
            "ORDER BY row_no DESC)",
        )
        self.con.execute(
            f"""
            UPDATE {self._rows} SET native_id = d.nid
            FROM (SELECT row_no, {derived} AS nid FROM {STAGE_TABLE} WHERE native_id IS NULL) d
            WHERE {self._rows}.row_no = d.row_no;
            UPDATE {self._rows} SET item_id = {sql_id(self._ws, "platform", "native_id")}
            WHERE item_id IS NULL;
            """
        )

    def _drop_duplicates(self) -> int:
        """A file may list the same item twice: its last row wins. How many rows were
        left out for a later one."""
        repeated = self._scalar(f"SELECT count(*) - count(DISTINCT item_id) FROM {STAGE_TABLE}")
        if not repeated:
            return 0
        self.con.execute(
            f"""
            DELETE FROM {self._rows} WHERE row_no IN (
                SELECT row_no FROM (
                    SELECT row_no, row_number() OVER (PARTITION BY item_id ORDER BY row_no DESC)
                           AS rank
                    FROM {STAGE_TABLE}
                    WHERE item_id IN (SELECT item_id FROM {STAGE_TABLE}
                                      GROUP BY item_id HAVING count(*) > 1)
                ) WHERE rank > 1
            )
            """
        )
        return repeated

    def _resolve_orgs_and_accounts(self) -> None:
        """Ids of the few organisations and accounts a file names, joined to its rows in the
        ``jauge_items`` view: cheaper than hashing the same names once per row."""
        ws = self._ws
        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE jauge_org_ids AS
            SELECT org, {org_id_sql(ws, "org")} AS org_id
            FROM (SELECT DISTINCT org FROM {STAGE_TABLE} WHERE org IS NOT NULL);

            CREATE OR REPLACE TEMP TABLE jauge_account_ids AS
            SELECT platform, account_handle, org,
                   {sql_id(ws, "platform", "lower(account_handle)")} AS account_id
            FROM (SELECT DISTINCT platform, account_handle, org FROM {STAGE_TABLE}
                  WHERE account_handle IS NOT NULL AND org IS NOT NULL);

            CREATE OR REPLACE TEMP VIEW {ITEMS_VIEW} AS
            SELECT s.*, o.org_id, a.account_id
            FROM {STAGE_TABLE} s
            LEFT JOIN jauge_org_ids o ON o.org = s.org
            LEFT JOIN jauge_account_ids a ON a.platform = s.platform
                 AND a.account_handle = s.account_handle AND a.org = s.org;
            """
        )

    def _merge_parents(self) -> None:
        """Create the workspace, organisations, accounts and persons the records refer to."""
        ws = self._ws
        self._update_profiles()
        profile, latest = ", ".join(_PROFILE), _latest_profile()
        merge_organisations(self.con, ws, "SELECT org FROM jauge_org_ids")
        self.con.execute(
            f"""
            INSERT INTO accounts (account_id, workspace, org_id, platform, handle, created_at)
            SELECT a.account_id, {ws}, min(o.org_id), min(a.platform), min(a.account_handle),
                   now()::TIMESTAMP
            FROM jauge_account_ids a JOIN jauge_org_ids o USING (org)
            WHERE NOT EXISTS (SELECT 1 FROM accounts x WHERE x.account_id = a.account_id)
            GROUP BY a.account_id;

            -- an account the file gives to another organisation goes with its items
            UPDATE accounts SET org_id = n.org_id
            FROM (SELECT a.account_id, min(o.org_id) AS org_id
                  FROM jauge_account_ids a JOIN jauge_org_ids o USING (org)
                  GROUP BY a.account_id HAVING count(DISTINCT o.org_id) = 1) n
            WHERE accounts.account_id = n.account_id AND accounts.org_id <> n.org_id;

            INSERT INTO persons (person_id, workspace, platform, native_id, handle,
                                 display_name, location, first_seen_at, {profile})
            SELECT author_person_id, {ws}, min(platform), min(person_native_id),
                   arg_max(author_handle, row_no), arg_max(author_name, row_no),
                   arg_max(author_location, row_no), min(created_at), {latest}
            FROM {STAGE_TABLE} s ANTI JOIN persons p ON p.person_id = s.author_person_id
            WHERE author_person_id IS NOT NULL
            GROUP BY author_person_id;
            """
        )

    def _keep_forgotten_persons_forgotten(self, present: set[str], handles: bool) -> None:
        """Rows by a person `jauge person forget` erased arrive without what identifies
        them, so that importing the same export again cannot undo the erasure (``present``:
        the staged columns; ``handles``: whether the workspace forgot a handle)."""
        forgotten = (
            f"SELECT person_id FROM persons WHERE workspace = {self._ws} "
            "AND native_id LIKE 'forgotten:%'"
        )
        if {"author_person_id", "item_id"} <= present:
            # posts forgotten before stay their forgotten author's, whoever the file says
            # wrote them: a newer export keying its authors otherwise (their numeric id as
            # well as their handle, or a renamed account) names the same posts
            self.con.execute(
                f"""
                UPDATE {self._rows} SET author_person_id = f.author_person_id
                FROM (SELECT item_id, author_person_id FROM content_items
                      WHERE workspace = {self._ws} AND native_id LIKE 'forgotten:%'
                        AND author_person_id IS NOT NULL) f
                WHERE {self._rows}.item_id = f.item_id
                  AND {self._rows}.author_person_id IS DISTINCT FROM f.author_person_id
                """
            )
        if handles and {"author_person_id", "author_handle"} <= present:
            # a new post by a forgotten handle, from an export keying its authors otherwise
            # (their numeric id): the person was forgotten, their new rows are too
            rows = self._rows
            platform = f"{rows}.platform" if "platform" in present else "NULL"
            handle = f"ltrim({rows}.author_handle, '@')"
            self.con.execute(
                f"""
                UPDATE {rows} SET author_person_id = f.person_id
                FROM forgotten_handles f
                WHERE f.workspace = {self._ws}
                  AND f.token = {forgotten_mentions.token_sql(self._ws, platform, handle)}
                  AND {rows}.author_person_id IS DISTINCT FROM f.person_id
                """
            )
        if "author_person_id" not in present or not self._scalar(
            f"SELECT count(*) FROM {self._rows} WHERE author_person_id IN ({forgotten})"
        ):
            return  # a file without authors, or none of them forgotten
        assignments = [f"{c} = NULL" for c in _PERSONAL if c in present]
        if "native_id" in present and "item_id" in present:  # as jauge person forget left it
            assignments.append("native_id = 'forgotten:' || item_id")
        self.con.execute(
            f"UPDATE {self._rows} SET {', '.join(assignments)} "
            f"WHERE author_person_id IN ({forgotten})"
        )

    def _stored_columns(self) -> set[str]:
        """The columns the staged rows hold (a narrow stage holds what the source fills)."""
        return {
            r[0]
            for r in self.con.execute(f"SELECT column_name FROM (DESCRIBE {self._rows})").fetchall()
        }

    def _name_forgotten_persons_by_pseudonym(self, present: set[str]) -> None:
        """Texts that name a forgotten person by their handle name them by their pseudonym
        before they are stored, as `jauge person forget` left the texts it found."""
        if {"text", "row_no"} <= present:
            platform = "platform" if "platform" in present else "NULL"
            forgotten_mentions.scrub(self.con, self.workspace, self._rows, "row_no", platform)

    def _update_profiles(self) -> None:
        """Known persons take the profile facts of their latest row that has them: a
        newer export says how many follow them today."""
        given = " OR ".join(f"{c} IS NOT NULL" for c in _PROFILE.values())
        if not self._scalar(
            f"SELECT count(*) FROM {STAGE_TABLE} WHERE author_person_id IS NOT NULL AND ({given})"
        ):
            return
        sets = ", ".join(f"{p} = coalesce(n.{p}, persons.{p})" for p in _PROFILE)
        self.con.execute(
            f"""
            UPDATE persons SET {sets}
            FROM (SELECT author_person_id AS person_id, {_latest_profile()}
                  FROM {STAGE_TABLE} WHERE author_person_id IS NOT NULL AND ({given})
                  GROUP BY author_person_id) n
            WHERE persons.person_id = n.person_id
            """
        )

    def _newer_than_stored(self, observed_at: datetime) -> bool:
        """Whether every staged row was observed after every snapshot and every item's
        fields of the workspace (the usual import, dated now): no staged row is then older
        news, and the merge compares with the latest values alone, which is cheaper."""
        (staged,), (stored,) = (
            self.con.execute(sql, params).fetchall()[0]
            for sql, params in (
                (f"SELECT min(coalesce(observed_at, ?)) FROM {STAGE_TABLE}", [observed_at]),
                ("SELECT greatest((SELECT max(observed_at) FROM metric_snapshots "
                 "WHERE workspace = $ws), (SELECT max(last_observed_at) FROM content_items "
                 "WHERE workspace = $ws))", {"ws": self.workspace}),
            )
        )  # fmt: skip
        return stored is None or staged is None or staged > stored

    def _merge_items(
        self, imp: str, observed_at: datetime, newer: bool
    ) -> tuple[int, tuple[tuple[str, str, int], ...]]:
        """Update items that changed, insert new ones, each with its first metric snapshot
        in its row; return how many existed already, and those that moved to another
        organisation."""
        con = self.con
        current = ", ".join(f"c.{f}" for f in _ITEM_FIELDS)
        staged = ", ".join(_merged(f, "c") for f in _ITEM_FIELDS)
        # an export observed before an item's latest snapshot, or before the export that
        # last changed its fields, is older news: it adds the counts of its time (see
        # _merge_snapshots) but leaves the item's fields as the newer export gave them
        seen = (
            "(SELECT NULL::VARCHAR AS item_id, NULL::TIMESTAMP AS at LIMIT 0)"
            if newer
            else f"""(SELECT subject_id AS item_id, max(observed_at) AS at
                FROM metric_snapshots
                WHERE subject_type = 'item' AND subject_id IN (
                    SELECT item_id FROM {ITEMS_VIEW} JOIN content_items USING (item_id))
                GROUP BY subject_id)"""
        )
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE jauge_existing AS
            SELECT s.item_id, ({current}) IS DISTINCT FROM ({staged})
                   AND coalesce(coalesce(s.observed_at, $at)
                                >= greatest(seen.at, c.last_observed_at), true) AS changed
            FROM {ITEMS_VIEW} s JOIN content_items c USING (item_id)
            LEFT JOIN {seen} seen USING (item_id)
            """,
            {"at": observed_at},
        )
        changed = self._scalar("SELECT count(*) FROM jauge_existing WHERE changed")
        moved = self._moved_items() if changed else ()
        assignments = ", ".join(f"{f} = {_merged(f, 'content_items')}" for f in _ITEM_FIELDS)
        con.execute(
            f"""
            UPDATE content_items SET {assignments}, last_import_id = {imp},
                   last_observed_at = greatest(content_items.last_observed_at,
                                               coalesce(s.observed_at, ?))
            FROM {ITEMS_VIEW} s
            WHERE content_items.item_id = s.item_id
              AND s.item_id IN (SELECT item_id FROM jauge_existing WHERE changed)
            """,
            [observed_at],
        )
        # a new item's first snapshot is kept in its row (migration 15): one insert
        # writes both, and the `metric_snapshots` view reads it from there
        first = ", ".join(f"{c} := {e}" for c, e in _snapshot_values(imp, "$at").items())
        con.execute(
            f"""
            INSERT INTO content_items
            SELECT item_id, {self._ws}, platform, native_id, id_derived, kind, org_id, account_id,
                   author_person_id, is_own, text, title, url, lang, created_at,
                   reply_to_id, quote_of_id, repost_of_id, extra, {imp}, {imp},
                   CASE WHEN {_ANY_METRIC} THEN struct_pack({first}) END,
                   coalesce(s.observed_at, $at)
            FROM {ITEMS_VIEW} s ANTI JOIN jauge_existing e ON e.item_id = s.item_id
            """,
            {"at": observed_at},
        )
        return self._scalar("SELECT count(*) FROM jauge_existing"), moved

    def _merge_snapshots(self, imp: str, observed_at: datetime, existing: int, newer: bool) -> int:
        """Count the first snapshots new items were written with, and add one to
        ``metric_snapshot_rows`` where an item seen before (``existing`` of them) has
        metrics that differ from the latest value known of each when they were observed
        (as the index reads counts: a snapshot of a narrower export, without a column,
        does not make that count unknown). An export older than what is stored is
        compared with what was known at its time (the latest of those stored at that very
        time included), so importing it again adds nothing, and of two exports observed at
        the same time the one imported last is read (``newer``: no staged row is as old as
        a stored snapshot, so none is stored at its time)."""
        known = "AND s.item_id NOT IN (SELECT item_id FROM jauge_existing)" if existing else ""
        first = self._scalar(f"SELECT count(*) FROM {STAGE_TABLE} s WHERE ({_ANY_METRIC}) {known}")
        if not existing:
            return first
        latest = ", ".join(
            f"{c} := arg_max(m.{c}, m.observed_at) FILTER (WHERE m.{c} IS NOT NULL)"
            for c in (*METRICS, "extra")
        )
        values = ", ".join(f"{e} AS {c}" for c, e in _snapshot_values(imp).items())
        same_time = (
            "SELECT NULL::VARCHAR AS subject_id, 0 AS stored LIMIT 0"
            if newer
            else """
                SELECT s.subject_id, count(*) AS stored
                FROM observed s JOIN metric_snapshots m
                  ON m.subject_type = 'item' AND m.subject_id = s.subject_id
                 AND m.observed_at >= s.observed_at
                 AND m.observed_at < s.observed_at + INTERVAL 1 MILLISECOND
                GROUP BY s.subject_id"""
        )
        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE jauge_new_snapshots AS
            WITH observed AS (
                SELECT 'item' AS subject_type, s.item_id AS subject_id,
                       {self._ws} AS workspace, {values}
                FROM {STAGE_TABLE} s
                WHERE s.item_id IN (SELECT item_id FROM jauge_existing) AND ({_ANY_METRIC})
            ),
            latest AS (
                SELECT o.subject_id, struct_pack({latest}) AS v
                FROM observed o JOIN metric_snapshots m
                  ON m.subject_type = 'item' AND m.subject_id = o.subject_id
                 AND m.observed_at < o.observed_at + INTERVAL 1 MILLISECOND
                GROUP BY o.subject_id
            ),
            -- snapshots stored at the same time (two exports of one day, `--observed-at` a
            -- date): a later one that differs from the latest of them is stored a
            -- microsecond after the last, so that the index reads the one imported last
            same_time AS ({same_time})
            SELECT s.* REPLACE (s.observed_at + to_microseconds(coalesce(t.stored, 0))
                                AS observed_at)
            FROM observed s LEFT JOIN latest l USING (subject_id)
            LEFT JOIN same_time t USING (subject_id)
            WHERE l.v IS NULL OR {_changed_from("l.v")}
            """,
            [observed_at],
        )
        with unordered_writes(self.con):  # snapshots are read by item and time
            self.con.execute(
                "INSERT INTO metric_snapshot_rows BY NAME SELECT * FROM jauge_new_snapshots"
            )
        return first + self._scalar("SELECT count(*) FROM jauge_new_snapshots")

    def _count_interactions(self) -> int:
        """Interactions this import adds: someone else's reply, comment, mention, quote or
        repost is one, carried by its item. The ``interactions`` view reads them from the
        items (with the item's id), so nothing more is written here."""
        kinds = ", ".join(sql_literal(k) for k in INTERACTION_KINDS)
        return self._scalar(
            f"""
            SELECT count(*)
            FROM {STAGE_TABLE} s ANTI JOIN jauge_existing e ON e.item_id = s.item_id
            WHERE NOT is_own AND author_person_id IS NOT NULL AND kind IN ({kinds})
            """
        )

    def _merge_annotations(self, imp: str, source: str) -> None:
        src = sql_literal(source)
        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE jauge_staged_annotations AS
            SELECT item_id, e.key AS key, e.value AS value
            FROM (SELECT item_id, unnest(map_entries(annotations)) AS e
                  FROM {STAGE_TABLE}
                  WHERE annotations IS NOT NULL AND cardinality(annotations) > 0);

            DELETE FROM annotations a USING jauge_staged_annotations s
            WHERE a.item_id = s.item_id AND a.key = s.key AND a.source = {src}
              AND a.value IS DISTINCT FROM s.value;

            INSERT INTO annotations
            SELECT s.item_id, {self._ws}, s.key, s.value, {src}, {imp}
            FROM jauge_staged_annotations s
            WHERE NOT EXISTS (SELECT 1 FROM annotations a WHERE a.item_id = s.item_id
                              AND a.key = s.key AND a.source = {src});
            """
        )

    def drop(self) -> None:
        self.con.execute(f"DROP VIEW IF EXISTS {ITEMS_VIEW}")
        super().drop()
