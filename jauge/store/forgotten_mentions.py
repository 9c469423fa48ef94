"""What a forgotten person's handle still reaches: others' texts that name them
(``@handle`` becomes ``@p-…``), and a later export's posts by that handle.

`jauge person forget` erases what a person wrote, but others answering them wrote their
handle too ("@jetblue_fan thanks"). Their handles are kept as hashes
(``forgotten_handles``) with the pseudonym outputs name them by: texts are rewritten when
the person is forgotten, and every later import's texts before they are stored, so that
importing the same export again cannot bring the handle back; and a later export keying
its authors otherwise (a numeric id) gives the posts of that handle to the forgotten
person, whose rows arrive erased (see merge.Staging._keep_forgotten_persons_forgotten).
"""

from __future__ import annotations

import re

import duckdb
import pyarrow as pa

from .ids import sql_literal

#: a mention in a text: a handle, or a fediverse address (user@instance); the dots and
#: hyphens inside count, a full stop after it does not
MENTION = r"@(\w+(?:[.-]\w+)*(?:@\w+(?:[.-]\w+)*)?)"


def token_sql(workspace: str, platform: str, handle: str) -> str:
    """SQL of a handle's token (``forgotten_handles.token``), over SQL expressions."""
    return f"md5(concat_ws(chr(31), {workspace}, coalesce({platform}, ''), lower({handle})))"


def remember(
    con: duckdb.DuckDBPyConnection, workspace: str, person_id: str, pseudonym: str
) -> None:
    """Keep the token of a person's handle before it is erased."""
    con.execute(
        f"""
        INSERT INTO forgotten_handles (workspace, person_id, platform, token, pseudonym)
        SELECT workspace, person_id, platform,
               {token_sql("workspace", "platform", "ltrim(handle, '@')")}, ?
        FROM persons WHERE workspace = ? AND person_id = ? AND handle IS NOT NULL
        """,
        [pseudonym, workspace, person_id],
    )


def any_forgotten(con: duckdb.DuckDBPyConnection, workspace: str) -> bool:
    """Whether the workspace forgot a handle: an import pays this one query otherwise."""
    found = con.execute(
        "SELECT count(*) FROM forgotten_handles WHERE workspace = ?", [workspace]
    ).fetchall()
    return bool(found[0][0])


def scrub(
    con: duckdb.DuckDBPyConnection,
    workspace: str,
    table: str,
    key: str,
    platform: str = "platform",
) -> int:
    """Rewrite the mentions of forgotten persons in ``table``'s texts (content items, or a
    file's staged rows, whose rows ``key`` names, and ``platform`` is their platform's SQL)
    to their pseudonyms; returns how many texts changed. Imports call it only when the
    workspace forgot someone (:func:`any_forgotten`)."""
    ws = sql_literal(workspace)
    where = "text LIKE '%@%'" + (f" AND workspace = {ws}" if table == "content_items" else "")
    rows = con.execute(
        f"""
        WITH texts AS (SELECT {key} AS key, {platform} AS platform, text FROM {table}
                       WHERE {where}),
        named AS (SELECT key, platform, unnest(regexp_extract_all(text, '{MENTION}', 1))
                         AS handle FROM texts)
        SELECT t.key, t.text, list(DISTINCT {{'handle': n.handle, 'pseudonym': f.pseudonym}})
        FROM named n
        JOIN forgotten_handles f ON f.workspace = {ws}
             AND f.token = {token_sql(ws, "n.platform", "n.handle")}
        JOIN texts t ON t.key = n.key
        GROUP BY t.key, t.text
        """
    ).fetchall()
    if not rows:
        return 0
    rewritten = pa.table(
        {
            "key": pa.array([r[0] for r in rows]),
            "text": pa.array([_rewrite(r[1], r[2]) for r in rows], pa.string()),
        }
    )
    con.register("jauge_rewritten", rewritten)
    try:
        con.execute(
            f"UPDATE {table} SET text = r.text FROM jauge_rewritten r WHERE {table}.{key} = r.key"
        )
    finally:
        con.unregister("jauge_rewritten")
    return len(rows)


def _rewrite(text: str, named: list[dict[str, str]]) -> str:
    # the longest handles first, and each whole: @ann is not @anna, nor @ann@other.example
    for found in sorted(named, key=lambda n: -len(n["handle"])):
        pattern = re.compile(r"@" + re.escape(found["handle"]) + r"(?![\w@]|[.-]\w)", re.IGNORECASE)
        text = pattern.sub("@" + found["pseudonym"], text)
    return text
