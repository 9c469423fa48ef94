"""Assess a workspace: profile signals and lockstep groups become authenticity weights.

One run reads every person of the workspace, scores the profile signals in one
statement, finds the lockstep groups, and replaces the workspace's stored weights
(table ``authenticity``) whole. Persons with neither a profile fact nor a group are
not stored: they keep the weight of 1 the index gives anyone never assessed.

A person `jauge person forget` erased is not assessed again: their profile facts are
gone, so a new assessment would only undo the old one, and the counts they are part of
would move. Their stored row (weight, signals, group, when and by which method) is
carried into the new assessment as it was, and someone forgotten before any assessment
stays unassessed. Lockstep groups are still looked for among everyone, as the
interactions stay: the other members of a pod are found whether or not one was forgotten.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import pyarrow as pa

from ..community.privacy import Forgotten
from ..i18n import N_
from ..store import Store
from ..store.duckdb_store import utcnow
from . import FLAGGED, METHOD
from .followers import FollowerJump, follower_jumps
from .lockstep import LockstepGroup, LockstepRules, TooManyPairs, lockstep_groups
from .profile import LOCKSTEP, has_profile_sql, p_sql, signals_sql

#: SQL over persons: erased by `jauge person forget` (see Store.erase_persons)
FORGOTTEN = "native_id LIKE 'forgotten:%'"


@dataclass(frozen=True)
class AssessedPerson:
    person_id: str
    platform: str
    handle: str | None
    weight: float
    p_inauthentic: float
    signals: list[str]
    group_id: str | None


@dataclass
class IntegrityReport:
    """What one assessment found (``jauge integrity --format json``)."""

    method: str
    workspace: str
    persons: int  # persons in the workspace
    with_profile: int  # of which with at least one profile fact
    forgotten: int  # of which forgotten, keeping the weight of their last assessment
    flagged: int  # weight at most FLAGGED
    #: how many people the latest index stops counting: 1 for each flagged person (index
    #: 1.0.3 counts them as no one), 1 - weight for each other
    weight_removed: float
    signals: dict[str, int]  # signal -> persons it fired for
    groups: list[LockstepGroup] = field(default_factory=list)
    accounts: list[AssessedPerson] = field(default_factory=list)  # lowest weights first
    #: accounts of the workspace's organisations that gained followers in bulk (no weight)
    follower_jumps: list[FollowerJump] = field(default_factory=list)
    #: what could not be done, in English (shown translated, see jauge.i18n.localised)
    warnings: list[str] = field(default_factory=list)
    #: each group member's handle, as the table names them (a forgotten one by pseudonym)
    handles: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["follower_jumps"] = [_jump_dict(j) for j in self.follower_jumps]
        out["weight_removed"] = round(self.weight_removed, 3)
        for person in out["accounts"]:
            person["weight"] = round(person["weight"], 3)
            person["p_inauthentic"] = round(person["p_inauthentic"], 3)
        handles = out.pop("handles")
        for group in out["groups"]:
            group["members"] = list(group["members"])
            group["handles"] = [handles.get(m, m) for m in group["members"]]
        return out

    def __repr__(self) -> str:
        return (
            f"<IntegrityReport {self.workspace}: {self.persons:,} persons, {self.flagged:,} "
            f"weighed down by half or more, {len(self.groups)} lockstep groups>"
        )

    def _repr_html_(self) -> str:  # what Jupyter shows: `jauge integrity`'s tables
        from ..i18n import _, localised, number
        from ..metrics.notebook import plain_table, shown
        from .profile import description

        title = _(
            "Integrity of workspace {workspace}: persons assessed: {persons}; weighed down "
            "by half or more: {flagged}; lockstep groups: {groups}",
            workspace=self.workspace,
            persons=number(self.persons, ","),
            flagged=number(self.flagged, ","),
            groups=number(len(self.groups), ","),
        )
        signals = plain_table(
            [_("signals"), _("persons")],
            [
                (_(description(name)), number(n, ","))
                for name, n in sorted(self.signals.items(), key=lambda kv: (-kv[1], kv[0]))
            ],
        )
        accounts = plain_table(
            [_("handle"), _("platform"), _("weight"), _("signals")],
            [
                (
                    a.handle or a.person_id,
                    a.platform,
                    number(a.weight, ".2f"),
                    ", ".join(_(description(s)) for s in a.signals),
                )
                for a in self.accounts
            ],
            _("Accounts weighed down, lowest weight first"),
        )
        return shown(title, signals, accounts, notes=[localised(w) for w in self.warnings])


def assess(
    store: Store, workspace: str, rules: LockstepRules | None = None, *, limit: int = 20
) -> IntegrityReport:
    """Assess every person of ``workspace``, store the weights and report; ``limit``
    caps the accounts listed (lowest weights first)."""
    warnings: list[str] = []
    try:
        groups = lockstep_groups(store, workspace, rules or LockstepRules())
    except TooManyPairs as exc:
        groups = []
        warnings.append(
            N_(
                "lockstep groups were not looked for: {pairs} pairs of early engagements "
                "to compare, more than {limit}; raise --min-items or lower --minutes"
            ).format(pairs=f"{exc.pairs:,}", limit=f"{exc.limit:,}")
        )
    members = pa.table(
        {
            "person_id": [m for g in groups for m in g.members],
            "group_id": [g.group_id for g in groups for _m in g.members],
        },
        schema=pa.schema([("person_id", pa.string()), ("group_id", pa.string())]),
    )
    con, assessed_at = store.con, utcnow()
    con.register("jauge_lockstep_members", members)
    try:
        persons, with_profile, forgotten = con.execute(
            f"SELECT count(*), count(*) FILTER ({has_profile_sql()}), "
            f"count(*) FILTER ({FORGOTTEN}) FROM persons WHERE workspace = ?",
            [workspace],
        ).fetchall()[0]
        # the persons worth storing: with a profile fact or in a group, and the forgotten
        # with the row of their last assessment, unchanged. One forgotten before any
        # assessment has no profile left, but the group their interactions form still
        # weighs them down: forgetting cannot shield an account from the pod it is in.
        assessed = con.sql(
            f"""
            SELECT ? AS workspace, p.person_id, p.platform, p.handle,
                   CASE WHEN g.group_id IS NOT NULL THEN 0.0 ELSE 1.0 - p_inauthentic END
                       AS weight,
                   p_inauthentic,
                   CASE WHEN g.group_id IS NOT NULL THEN list_append(signals, '{LOCKSTEP.name}')
                        ELSE signals END AS signals,
                   g.group_id, ? AS method, ?::TIMESTAMP AS assessed_at
            FROM (SELECT *, {p_sql()} AS p_inauthentic, {signals_sql()} AS signals
                  FROM persons WHERE workspace = ?
                    AND (NOT coalesce({FORGOTTEN}, false) OR person_id NOT IN
                         (SELECT person_id FROM authenticity WHERE workspace = ?))) p
            LEFT JOIN jauge_lockstep_members g USING (person_id)
            WHERE ({has_profile_sql()}) OR g.group_id IS NOT NULL
            UNION ALL
            SELECT a.workspace, a.person_id, p.platform, p.handle, a.weight, a.p_inauthentic,
                   a.signals, a.group_id, a.method, a.assessed_at
            FROM authenticity a JOIN persons p USING (workspace, person_id)
            WHERE a.workspace = ? AND {FORGOTTEN}
            ORDER BY weight, platform, handle, person_id
            """,
            params=[workspace, METHOD, assessed_at, workspace, workspace, workspace],
        ).to_arrow_table()
    finally:
        con.unregister("jauge_lockstep_members")
    weights = assessed.column("weight").to_pylist()
    flagged = sum(1 for w in weights if w <= FLAGGED)
    run = {
        "method": METHOD,
        "assessed_at": assessed_at,
        "persons": int(persons),
        "flagged": flagged,
        "groups": len(groups),
    }
    store.save_authenticity(workspace, assessed.drop_columns(["platform", "handle"]), run)
    signals = Counter(s for fired in assessed.column("signals").to_pylist() for s in fired)
    shown = _shown_ids(
        store,
        workspace,
        [
            *assessed.column("person_id").to_pylist()[:limit],
            *(m for g in groups for m in g.members),
        ],
    )
    return IntegrityReport(
        method=METHOD,
        workspace=workspace,
        persons=int(persons),
        with_profile=int(with_profile),
        forgotten=int(forgotten),
        flagged=flagged,
        weight_removed=sum(1.0 if w <= FLAGGED else 1.0 - w for w in weights),
        signals=dict(sorted(signals.items())),
        groups=[
            LockstepGroup(g.group_id, tuple(shown.get(m, m) for m in g.members), g.items)
            for g in groups
        ],
        follower_jumps=follower_jumps(store, workspace),
        warnings=warnings,
        handles=_member_handles(store, workspace, groups, shown),
        accounts=[
            AssessedPerson(
                shown.get(r["person_id"], r["person_id"]),
                r["platform"],
                # a forgotten person by their pseudonym, as the table and groups name them
                r["handle"] or shown.get(r["person_id"]),
                r["weight"],
                r["p_inauthentic"],
                r["signals"],
                r["group_id"],
            )
            for r in assessed.slice(0, limit).to_pylist()
            if r["weight"] < 1.0
        ],
    )


def latest_assessment(store: Store, workspace: str, *, limit: int = 20) -> dict[str, Any]:
    """The workspace's latest assessment (``assessed_at`` None when it never had one) and
    the ``limit`` accounts it weighed down most, as stored."""
    run = store.con.execute(
        "SELECT method, assessed_at, persons, flagged, groups FROM integrity_runs "
        "WHERE workspace = ? ORDER BY assessed_at DESC LIMIT 1",
        [workspace],
    ).fetchall()
    jumps = [_jump_dict(j) for j in follower_jumps(store, workspace)]
    if not run:
        return {
            "method": None,
            "assessed_at": None,
            "follower_jumps": jumps,
            "persons": 0,
            "flagged": 0,
            "groups": 0,
            "accounts": [],
        }
    method, assessed_at, persons, flagged, groups = run[0]
    accounts = store.con.sql(
        """
        SELECT a.person_id, p.platform, p.handle, round(a.weight, 3) AS weight,
               round(a.p_inauthentic, 3) AS p_inauthentic, a.signals, a.group_id
        FROM authenticity a JOIN persons p USING (workspace, person_id)
        WHERE a.workspace = ? AND a.weight < 1
        ORDER BY a.weight, p.platform, p.handle, a.person_id
        LIMIT ?
        """,
        params=[workspace, limit],
    ).to_arrow_table()
    shown = _shown_ids(store, workspace, accounts.column("person_id").to_pylist())
    listed = [
        {
            **a,
            "person_id": shown.get(a["person_id"], a["person_id"]),
            "handle": a["handle"] or shown.get(a["person_id"]),
        }
        for a in accounts.to_pylist()
    ]
    return {
        "method": method,
        "assessed_at": assessed_at.isoformat(),
        "follower_jumps": jumps,
        "persons": persons,
        "flagged": flagged,
        "groups": groups,
        "accounts": listed,
    }


def _jump_dict(jump: FollowerJump) -> dict[str, Any]:
    return {**asdict(jump), "day": jump.day.isoformat()}


def _shown_ids(store: Store, workspace: str, person_ids: list[str]) -> dict[str, str]:
    """The id to show for each forgotten person among ``person_ids``: their keyed
    pseudonym, as every output names them, never their id, which a hash of the handle
    `jauge person forget` erased would confirm."""
    names = Forgotten(store, workspace)
    return {pid: names.person(pid) for pid in names.persons(person_ids)}


def _member_handles(
    store: Store, workspace: str, groups: list[LockstepGroup], shown: dict[str, str]
) -> dict[str, str]:
    """Each group member's handle (as shown in the report's ``members``), a forgotten one
    by their pseudonym, so that a reader knows who acts in lockstep."""
    ids = sorted({m for g in groups for m in g.members})
    if not ids:
        return {}
    rows = store.con.execute(
        "SELECT person_id, handle FROM persons WHERE workspace = ? AND person_id IN "
        f"({', '.join('?' for _ in ids)})",
        [workspace, *ids],
    ).fetchall()
    return {shown.get(pid, pid): handle or shown.get(pid, pid) for pid, handle in rows}
