"""Profile signals: what bought and automated accounts look like, as SQL over persons.

Each signal is a condition on facts a platform shows on a profile (how many the
account follows and is followed by, how often it posts, its picture, its
description, its handle) with a number of points. The points of the signals that
fire give p(inauthentic) on a ramp: 1.5 points or fewer give 0, 4.5 or more give 1.
A missing fact never fires a signal. An account that declares itself automated
(Mastodon's ``bot``) gets p = 1.

The signals come from the fake-follower literature (Cresci et al. 2015, "Fame for
sale"; the research note's §4); the points were set by judgement after looking at
how often each signal fires for real and fake accounts in the development splits of
two labelled datasets (benchmarks/integrity_eval.py prints the evaluation).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from ..i18n import N_


@dataclass(frozen=True)
class Signal:
    name: str
    points: float
    #: SQL over a relation with the persons' profile columns; NULL (unknown) never fires
    condition: str
    description: str


SIGNALS: tuple[Signal, ...] = (
    Signal(
        "follows_many",
        3.0,
        "following >= 20 AND following >= 10 * greatest(coalesce(followers, 0), 1)",
        N_("follows at least ten times more accounts than follow it"),
    ),
    Signal("no_avatar", 2.0, "NOT has_avatar", N_("has no picture of its own")),
    Signal("rarely_posts", 1.5, "posts <= 5", N_("has published 5 times or fewer")),
    Signal("few_followers", 1.0, "followers < 30", N_("fewer than 30 accounts follow it")),
    Signal("no_bio", 0.5, "NOT has_bio", N_("has no description")),
    Signal(
        "digits_in_handle",
        0.5,
        "length(regexp_replace(handle, '[^0-9]', '', 'g')) >= 3",
        N_("has 3 or more digits in its handle"),
    ),
)
#: an account that says it is automated
DECLARED_BOT = Signal("declared_bot", 0.0, "declared_bot", N_("declares itself automated"))
#: p(inauthentic) rises linearly from 0 at RAMP[0] points to 1 at RAMP[1]
RAMP = (1.5, 4.5)
#: the columns the signals read
PROFILE_COLUMNS = ("followers", "following", "posts", "has_avatar", "has_bio", "declared_bot")


def signals_sql() -> str:
    """SQL for the list of the names of the signals that fire (VARCHAR[])."""
    fired = ", ".join(
        f"CASE WHEN coalesce({s.condition}, false) THEN '{s.name}' END"
        for s in (*SIGNALS, DECLARED_BOT)
    )
    return f"list_filter([{fired}], lambda x: x IS NOT NULL)"


def p_sql() -> str:
    """SQL for p(inauthentic), from 0 to 1."""
    points = " + ".join(
        f"CASE WHEN coalesce({s.condition}, false) THEN {s.points} ELSE 0 END" for s in SIGNALS
    )
    low, high = RAMP
    ramp = f"least(1.0, greatest(0.0, (({points}) - {low}) / {high - low}))"
    return f"CAST(CASE WHEN coalesce(declared_bot, false) THEN 1.0 ELSE {ramp} END AS DOUBLE)"


def score_profiles(profiles: pa.Table) -> pa.Table:
    """p(inauthentic) and the signals fired for a table of profiles (the persons' profile
    columns and ``handle``; missing columns count as unknown), in its order: the same
    SQL as an assessment, for evaluating the signals on labelled accounts."""
    con = duckdb.connect()
    try:
        missing = [c for c in (*PROFILE_COLUMNS, "handle") if c not in profiles.column_names]
        nulls = "".join(f", NULL AS {c}" for c in missing)
        con.register("profiles", profiles)
        return con.sql(
            f"SELECT {p_sql()} AS p_inauthentic, {signals_sql()} AS signals "
            f"FROM (SELECT *{nulls} FROM profiles)"
        ).to_arrow_table()
    finally:
        con.close()


def has_profile_sql() -> str:
    """SQL: whether a person has any profile fact the signals read."""
    return " OR ".join(f"{c} IS NOT NULL" for c in PROFILE_COLUMNS)


def description(name: str) -> str:
    """What a signal means, in English (translate with ``_()`` to show it)."""
    return next(s.description for s in (*SIGNALS, DECLARED_BOT, LOCKSTEP) if s.name == name)


#: the signal a lockstep group's members carry (see lockstep.py)
LOCKSTEP = Signal(
    "lockstep",
    0.0,
    "",
    N_("engages within minutes of posting, on the same posts, as a group"),
)
