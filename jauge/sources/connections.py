"""Connections and sync: live sources configured once, then synced incrementally.

Each connection keeps a cursor (an ETag, a since-id, a page token) in ``sync_state``. A
sync fetches what is new since the cursor, stages and merges it in one transaction (the
same path as ``jauge import``), and only then moves the cursor: a sync stopped half-way
fetches the same things again, and the merge, keyed by native ids, adds nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from ..errors import (
    ConfigError,
    ConnectorError,
    InputError,
    NotFoundError,
    RowError,
    UsageError,
)
from ..i18n import N_, _, localised
from ..ingest import FileResult, ImportResult, ingest
from ..store.duckdb_store import Store
from . import registry
from .base import Connector, ImportOptions
from .http import HttpClient


@dataclass
class ConnectionResult:
    name: str
    kind: str
    status: str  # written | not_modified | rejected | failed
    result: FileResult | None = None
    message: str | None = None
    #: the connection's workspace, when a sync went through several
    workspace: str | None = None

    @property
    def shown(self) -> str:
        """How people tell the connection: ``client-a/news`` when workspaces share names."""
        return self.name if self.workspace is None else f"{self.workspace}/{self.name}"

    def to_dict(self) -> dict[str, Any]:
        data = {
            **({"workspace": self.workspace} if self.workspace is not None else {}),
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            # kept in English (sync_state, connect list), shown in the reader's language
            "message": localised(self.message) if self.message else None,
        }
        if self.result is not None:
            data.update(
                {
                    k: v
                    for k, v in self.result.to_dict().items()
                    if k in ("inserted", "updated", "unchanged", "invalid", "errors")
                }
            )
        return data


@dataclass
class SyncResult:
    connections: list[ConnectionResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.status in ("written", "not_modified") for c in self.connections)

    def to_dict(self) -> dict[str, Any]:
        written = ImportResult([c.result for c in self.connections if c.result is not None])
        summary = written.to_dict()
        summary.pop("files")
        summary["connections"] = [c.to_dict() for c in self.connections]
        return summary


def connector(kind: str) -> Connector:
    source = registry.get(kind)
    if not isinstance(source, Connector):
        kinds = [n for n in registry.names() if isinstance(registry.get(n), Connector)]
        raise ConfigError(
            _(
                "{kind} cannot sync by itself: connection kinds are {kinds}",
                kind=repr(kind),
                kinds=", ".join(kinds),
            )
        )
    return source


#: connection options that name a server: checked when the connection is added, not at
#: its first sync
WEB_ADDRESS_OPTIONS = frozenset(("url", "instance", "service", "auth_url"))
#: what a connector takes off an option's value before using it (``#acme`` is ``acme``):
#: a value that is nothing more names nothing, and could only fail at its sync
NAME_PREFIXES = {"hashtag": "#", "account": "@", "actor": "@", "subreddit": "r/"}


def _flag(option: str) -> str:
    """An option as it is typed: ``token_env`` is ``--token-env``."""
    return "--" + option.replace("_", "-")


def add_connection(
    store: Store,
    workspace: str,
    name: str,
    kind: str,
    org: str | None,
    options: dict[str, str | None],
) -> dict[str, Any]:
    """Configure (or reconfigure) a connection; its options are checked against its kind
    (:func:`check_connection`), so that a connection that could never sync is refused
    now, not at its first sync."""
    given = check_connection(name, kind, org, options)
    if org:
        store.ensure_org(workspace, org)
    store.save_connection(workspace, name, kind, org, json.dumps(given, sort_keys=True))
    return {"name": name, "kind": kind, "org": org, "options": given}


def check_connection(
    name: str, kind: str, org: str | None, options: dict[str, str | None]
) -> dict[str, str]:
    """The options given (the ones not None), or a UsageError saying why such a
    connection could never sync; it needs no store, so nothing is written on a refusal."""
    # every refusal here is of what was typed (an option missing, or a value that cannot
    # be used): a usage error, as the CLI's own (exit status 2)
    if not name.strip():
        raise UsageError(_("a connection needs a name: NAME is empty"))
    source = connector(kind)
    given = {k: v for k, v in options.items() if v is not None}
    for key, value in {**given, "org": org}.items():
        if value is not None and not value.strip():
            raise UsageError(_("{option} is empty: give it a value", option=_flag(key)))
        prefix = NAME_PREFIXES.get(key)
        if value is not None and prefix and not _bare(value, prefix):
            raise UsageError(
                _(
                    "{option} {value} names nothing: give the name after {prefix}",
                    option=_flag(key),
                    value=repr(value),
                    prefix=prefix,
                )
            )
    unknown = sorted(set(given) - set(source.connector_options))
    if unknown:
        raise UsageError(
            _(
                "{kind} connections take {options}, not {unknown}",
                kind=kind,
                options=", ".join(map(_flag, source.connector_options)),
                unknown=", ".join(map(_flag, unknown)),
            )
        )
    required = getattr(source, "required_options", tuple(source.connector_options))
    missing = [k for k in required if k not in given]
    if missing:
        raise UsageError(_("{kind} connections need {option}", kind=kind, option=_flag(missing[0])))
    for key in sorted(set(given) & WEB_ADDRESS_OPTIONS):
        address = urlparse(str(given[key]))
        if address.scheme not in ("http", "https") or not address.netloc:
            raise UsageError(
                _(
                    "{option} takes a web address (http:// or https://), got {value}",
                    option=_flag(key),
                    # what follows a ? may be a key: cut, as in every message
                    value=repr(str(given[key]).split("?")[0]),
                )
            )
    follows = getattr(source, "follow_options", ())
    if follows and not set(follows) & set(given):
        raise UsageError(
            _(
                "a {kind} connection needs something to follow: one of {options}",
                kind=kind,
                options=", ".join(map(_flag, follows)),
            )
        )
    chosen = [k for k in follows if k in given]
    if len(chosen) > 1:
        # a connection follows one thing: silently using one of them (as each connector
        # would) collects something else than asked
        raise UsageError(
            _(
                "{options} exclude each other: {kind} connections follow one of them",
                options=", ".join(map(_flag, chosen)),
                kind=kind,
            )
        )
    return given


def _bare(value: str, prefix: str) -> str:
    """``value`` as its connector uses it, without the prefix it may be written with."""
    value = value.strip()
    return value.lstrip(prefix) if len(prefix) == 1 else value.removeprefix(prefix)


def list_connections(store: Store, workspace: str) -> list[dict[str, Any]]:
    rows = store.con.execute(
        """
        SELECT c.name, c.kind, c.org, c.options, s.last_sync_at, s.last_status, s.last_error,
               coalesce(s.items_seen, 0)
        FROM connections c LEFT JOIN sync_state s USING (workspace, name)
        WHERE c.workspace = ? ORDER BY c.name
        """,
        [workspace],
    ).fetchall()
    return [
        {
            "name": r[0],
            "kind": r[1],
            "org": r[2],
            "options": json.loads(r[3]),
            "last_sync_at": r[4].isoformat() if r[4] else None,
            "last_status": r[5],
            "last_error": r[6],
            "items_seen": int(r[7]),
        }
        for r in rows
    ]


def remove_connection(store: Store, workspace: str, name: str) -> None:
    if not store.delete_connection(workspace, name):
        raise NotFoundError(
            _(
                "no connection {name} in workspace {workspace}",
                name=repr(name),
                workspace=repr(workspace),
            )
        )


def parse_every(value: str) -> float:
    """Seconds in a duration like ``30s``, ``15m``, ``1h`` or ``1d``."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = value[:-1], value[-1:].lower()
    try:
        seconds = float(number) * units[unit]
    except (KeyError, ValueError):
        raise UsageError(
            _("--every takes a duration like 30s, 15m, 1h or 1d, not {value}", value=repr(value))
        ) from None
    if seconds < 1:
        raise UsageError(_("--every must be at least one second"))
    return seconds


def sync(
    store: Store,
    workspace: str,
    names: list[str] | None = None,
    *,
    client_factory: Callable[[], HttpClient] = HttpClient,
    on_done: Callable[[ConnectionResult], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> SyncResult:
    """Sync the named connections (default: all of the workspace), one after the other;
    ``stop`` is asked between connections, so a stop request lets the current one finish."""
    configured = {c["name"]: c for c in list_connections(store, workspace)}
    missing = [name for name in names or [] if name not in configured]
    if missing or (not names and not configured):
        from ..stats import known_workspace

        _elsewhere(store, workspace, missing)
        known_workspace(store, workspace)  # a mistyped workspace would sync nothing
    for name in missing:
        known = ", ".join(configured) or _("none yet")
        raise NotFoundError(
            _(
                "no connection {name} in workspace {workspace}: known: {known}",
                name=repr(name),
                workspace=repr(workspace),
                known=known,
            )
        )
    chosen = [configured[n] for n in (names or list(configured))]
    results = SyncResult()
    with client_factory() as client:
        for conn in chosen:
            if stop is not None and stop():
                break
            outcome = _sync_one(store, workspace, conn, client)
            results.connections.append(outcome)
            if on_done:
                on_done(outcome)
    return results


def connection_workspaces(store: Store) -> list[str]:
    """The workspaces that hold connections, in order."""
    rows = store.con.execute("SELECT DISTINCT workspace FROM connections ORDER BY workspace")
    return [str(r[0]) for r in rows.fetchall()]


def sync_everywhere(
    store: Store,
    *,
    client_factory: Callable[[], HttpClient] = HttpClient,
    on_done: Callable[[ConnectionResult], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> SyncResult:
    """Sync every connection of every workspace (an agency's cron line), each result
    naming its workspace; ``stop`` is asked between connections, as :func:`sync` does."""
    results = SyncResult()
    for workspace in connection_workspaces(store):
        if stop is not None and stop():
            break

        def done(c: ConnectionResult, workspace: str = workspace) -> None:
            c.workspace = workspace
            if on_done is not None:
                on_done(c)

        found = sync(store, workspace, client_factory=client_factory, on_done=done, stop=stop)
        for c in found.connections:
            c.workspace = workspace
        results.connections += found.connections
    return results


def _elsewhere(store: Store, workspace: str, names: list[str]) -> None:
    """Refuse a sync that would find nothing in ``workspace`` while other workspaces hold
    the connections asked (every connection, when ``names`` is empty), saying how to sync
    them: a cron line in an agency's store (one workspace per client, none named default)
    would otherwise sync nothing, forever, with exit status 0."""
    marks = ", ".join("?" for _name in names)
    rows = store.con.execute(
        "SELECT DISTINCT workspace FROM connections WHERE workspace <> ?"
        + (f" AND name IN ({marks})" if names else "")
        + " ORDER BY workspace",
        [workspace, *names],
    ).fetchall()
    holding = [str(r[0]) for r in rows]
    if not holding:
        return
    if names:
        raise NotFoundError(
            _(
                "no connection {name} in workspace {workspace}, but in the workspaces "
                "{names}: run `jauge sync {connection} --workspace {first}`",
                name=repr(names[0]),
                connection=names[0],
                workspace=repr(workspace),
                names=", ".join(holding),
                first=holding[0],
            )
        )
    raise NotFoundError(
        _(
            "no connection in workspace {workspace}, but in the workspaces {names}: sync them "
            "all with `jauge sync --all-workspaces`, or each with `jauge sync --workspace "
            "NAME` (`jauge sync --workspace {first}`, ...)",
            workspace=repr(workspace),
            names=", ".join(holding),
            first=holding[0],
        )
    )


def _sync_one(
    store: Store, workspace: str, conn: dict[str, Any], client: HttpClient
) -> ConnectionResult:
    name, kind = conn["name"], conn["kind"]
    state = store.con.execute(
        "SELECT cursor FROM sync_state WHERE workspace = ? AND name = ?", [workspace, name]
    ).fetchall()
    cursor = json.loads(state[0][0]) if state and state[0][0] else {}
    source = connector(kind)
    label = f"{name} ({kind})"
    try:
        fetched = source.fetch(conn["options"], cursor, client)
    except (ConnectorError, InputError) as exc:
        return _failed(store, workspace, name, kind, str(exc))
    except _DATA_PROBLEMS as exc:  # an answer a connector did not expect: the others go on
        return _failed(store, workspace, name, kind, _unreadable(kind, exc))
    if fetched.data is None:
        store.save_sync_state(
            workspace, name, cursor=None, status="not_modified", error=None, items=0
        )
        return ConnectionResult(name, kind, "not_modified")
    own = conn["options"].get("account") or conn["options"].get("actor")
    options = ImportOptions(org=conn["org"], workspace=workspace, account=own)
    try:
        result = ingest(
            store,
            label,
            kind,
            options,
            lambda staging: source.stage_fetched(fetched, label, options, staging),
        )
    except _DATA_PROBLEMS as exc:  # the transaction is rolled back: nothing of it is kept
        return _failed(store, workspace, name, kind, _unreadable(kind, exc))
    if result.status != "written":
        message = "; ".join(_kept(e) for e in result.errors[:3])
        store.save_sync_state(
            workspace, name, cursor=None, status="rejected", error=message, items=0
        )
        return ConnectionResult(name, kind, "rejected", result, message)
    store.save_sync_state(
        workspace,
        name,
        cursor=json.dumps(fetched.cursor, sort_keys=True),
        status="written",
        error=None,
        items=result.rows,
    )
    return ConnectionResult(name, kind, "written", result)


#: what a connector raises on an answer shaped otherwise than it expects (a JSON value of
#: another type, a missing key...): a problem of that connection's data, not of jauge's
_DATA_PROBLEMS = (LookupError, TypeError, ValueError, AttributeError)


def _kept(error: RowError) -> str:
    """A refused answer's error as kept for the connection: in English, as every kept
    message, and without the connection's name, which every place showing it names."""
    if error.line is not None and error.field:
        return N_("line {line}, field {field}: {message}").format(
            line=error.line, field=repr(error.field), message=error.message
        )
    if error.line is not None:
        return N_("line {line}: {message}").format(line=error.line, message=error.message)
    if error.field:
        return N_("field {field}: {message}").format(field=repr(error.field), message=error.message)
    return error.message


def _unreadable(kind: str, exc: Exception) -> str:
    """The message kept in the connection's state: in English, as every kept message,
    and shown localised."""
    return N_("the {kind} connector could not read the answer: {reason}").format(
        kind=kind, reason=f"{type(exc).__name__}: {exc}"
    )


def _failed(store: Store, workspace: str, name: str, kind: str, message: str) -> ConnectionResult:
    """Record a failed sync (its cursor kept: the next sync tries the same again)."""
    store.save_sync_state(workspace, name, cursor=None, status="failed", error=message, items=0)
    return ConnectionResult(name, kind, "failed", message=message)
