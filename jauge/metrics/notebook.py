"""How index results read in a notebook: a one-line repr, an HTML table, Arrow tables.

``handle.score(...)`` and ``handle.compare(...)`` return typed results whose
``to_dict()`` is the JSON contract. In a notebook people rather look: Jupyter shows a
result's ``_repr_html_`` (the headline, the breakdown with the index's labels in the
reader's language, the notes), and ``.breakdown()`` / ``.table()`` give the figures as
Arrow tables (``.to_pandas()``, ``.to_polars()``) to chart or join. Every figure comes
from ``to_dict()``, rounded as the JSON is, so a notebook shows what the CLI prints.

The other results (voice, topics, regions, people, integrity, stats) show themselves
with :func:`shown` and :func:`plain_table`: a title, the tables the CLI prints, notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from ..i18n import _, elided, number, signed_number
from .labels import label, note
from .spec import load_spec

if TYPE_CHECKING:
    from .compare import Comparison
    from .result import IndexResult

_FIGURES = ("score", "low", "high", "value", "n", "weight")


def breakdown(result: IndexResult) -> pa.Table:
    """One row per pillar, then per component of it, in the specification's order; no
    rows for a campaign too short for the index."""
    figures = result.to_dict()
    rows: list[dict[str, Any]] = []
    for pillar in load_spec(result.index_version).pillars if result.pillars else ():
        rows.append(_row("pillar", pillar.name, None, figures["pillars"][pillar.name]))
        for indicator in pillar.indicators:
            shown = figures["components"].get(indicator.name, {"weight": indicator.weight})
            rows.append(_row("component", indicator.name, pillar.name, shown))
    schema = pa.schema(
        [
            ("level", pa.string()),
            ("name", pa.string()),
            ("label", pa.string()),
            ("pillar", pa.string()),
            *((f, pa.float64()) for f in _FIGURES),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def _row(level: str, name: str, pillar: str | None, figure: dict[str, Any]) -> dict[str, Any]:
    interval = figure.get("interval") or (None, None)
    return {
        "level": level,
        "name": name,
        "label": label(name),
        "pillar": pillar,
        "score": figure.get("score"),
        "low": interval[0],
        "high": interval[1],
        "value": figure.get("value"),
        "n": figure.get("n"),
        "weight": figure.get("weight"),
    }


def comparison_table(comparison: Comparison) -> pa.Table:
    """One row per compared unit: its scope, score, interval and change."""
    rows = []
    for row in comparison.to_dict()["rows"]:
        interval = row["interval"] or (None, None)
        change = row["change"] or {}
        rows.append(
            {
                "unit": row["unit"],
                "org": row["org"],
                "campaign": row["campaign"],
                "from": row["from"],
                "to": row["to"],
                "score": row["score"],
                "low": interval[0],
                "high": interval[1],
                "delta": change.get("delta"),
                "significant": change.get("significant"),
                "verdict": change.get("verdict"),
            }
        )
    schema = pa.schema(
        [
            *((c, pa.string()) for c in ("unit", "org", "campaign", "from", "to")),
            *((c, pa.float64()) for c in ("score", "low", "high", "delta")),
            ("significant", pa.bool_()),
            ("verdict", pa.string()),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def index_repr(result: IndexResult) -> str:
    scope = result.scope
    what = " / ".join(str(scope[k]) for k in ("org", "account", "campaign") if scope.get(k))
    score = "no score" if result.score is None else f"{result.score:.1f}"
    interval = f" {_interval(result.interval)}" if result.interval else ""
    return (
        f"<IndexResult {what}, {scope['from']} to {scope['to']}: {score}{interval} "
        f"({result.index_version})>"
    )


def comparison_repr(comparison: Comparison) -> str:
    return (
        f"<Comparison by {comparison.by}: {len(comparison.rows)} rows ({comparison.index_version})>"
    )


def index_html(result: IndexResult) -> str:
    scope = result.scope
    what = " / ".join(str(scope[k]) for k in ("org", "account", "campaign") if scope.get(k))
    level = f"{load_spec(result.index_version).level * 100:g}"
    head = elided(
        _(
            "Jauge Index of {what}, {start} to {end}",
            what=escape(what),
            start=escape(str(scope["from"])),
            end=escape(str(scope["to"])),
        ),
        str(escape(what)),
    )
    if result.score is None:
        figure = escape(_("no score: see the notes below"))
    else:
        figure = f"<b>{_number(result.score, 1)}</b> / 100, " + escape(
            _(
                "{level}% interval {interval}",
                level=level,
                interval=_shown_interval(result.interval),
            )
        )
    rows = []
    for r in breakdown(result).to_pylist():
        name = escape(r["label"])
        name = f"<b>{name}</b>" if r["level"] == "pillar" else f"&nbsp;&nbsp;{name}"
        cells = [
            _number(r["score"], 1),
            _shown_interval((r["low"], r["high"])) if r["low"] is not None else "",
            _number(r["value"], 3) if r["level"] == "component" else "",
            number(r["n"], ",.0f") if r["level"] == "component" else "",  # grouped: 1 705
            _number(r["weight"], 2),
        ]
        rows.append(
            f"<tr><td style='text-align:left'>{name}</td>"
            + "".join(f"<td>{escape(c)}</td>" for c in cells)
            + "</tr>"
        )
    headers = [
        _("pillar / component"),
        _("score"),
        _("{level}% interval", level=level),
        _("value"),
        "n",
        _("weight"),
    ]
    notes = "".join(f"<li>{escape(note(w))}</li>" for w in result.warnings)
    table = (
        "<table><thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in headers)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        if rows
        else ""
    )
    pinned = (
        f"<p><small>{escape(_('fingerprint'))} {escape(result.fingerprint[:16])}…</small></p>"
        if result.fingerprint
        else ""
    )
    return (
        f"<div><p><b>{head}</b> ({escape(result.index_version)}): {figure}</p>"
        + table
        + (f"<ul>{notes}</ul>" if notes else "")
        + pinned
        + "</div>"
    )


def comparison_html(comparison: Comparison) -> str:
    level = f"{load_spec(comparison.index_version).level * 100:g}"
    headers = [
        _("unit"),
        _("from"),
        _("to"),
        _("score"),
        _("{level}% interval", level=level),
        _("change"),
    ]
    rows = []
    for r in comparison_table(comparison).to_pylist():
        change = ""
        if r["delta"] is not None:
            change = f"{signed_number(r['delta'], '+.1f')} {_(r['verdict'])}"
        cells = [
            r["unit"],
            r["from"],
            r["to"],
            _number(r["score"], 1),
            _shown_interval((r["low"], r["high"])) if r["low"] is not None else "",
            change,
        ]
        rows.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    title = _(
        "Jauge Index by {by} ({version})", by=_(comparison.by), version=comparison.index_version
    )
    return (
        f"<div><p><b>{escape(title)}</b></p><table><thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in headers)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


def _number(x: float | None, digits: int) -> str:
    """A figure of the notebook's tables as the reader's language writes it (36,7 and
    −55 in French), as the CLI and the dashboard do."""
    return signed_number(x, f".{digits}f")


def _shown_interval(interval: Any) -> str:
    """An interval of the notebook's tables, in the reader's language ([15,8 ; 55,1])."""
    return _("[{low}, {high}]", low=_number(interval[0], 1), high=_number(interval[1], 1))


def _interval(interval: Any) -> str:
    return f"[{interval[0]:.1f}, {interval[1]:.1f}]"


def plain_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], caption: str | None = None
) -> str:
    """An HTML table of cells already written for the reader (``number``, ``percent``),
    escaped here; nothing at all when there are no rows (the title or a note says so)."""
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    if not body:
        return ""
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (
        f"<table>{title}<thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in headers)
        + f"</tr></thead><tbody>{body}</tbody></table>"
    )


def shown(title: str, *tables: str, notes: Iterable[str] = ()) -> str:
    """A result as Jupyter shows it: its title in bold, its tables, its notes (already
    in the reader's language; escaped here)."""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return (
        f"<div><p><b>{escape(title)}</b></p>"
        + "".join(tables)
        + (f"<ul>{items}</ul>" if items else "")
        + "</div>"
    )
