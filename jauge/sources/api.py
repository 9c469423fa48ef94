"""What the API connectors share: a saved answer imports exactly like a sync, rows are staged
from plain dicts, tokens come from an environment variable, and the fields of a social post
are read the same way whatever the network."""

from __future__ import annotations

import json
import os
from abc import abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import ConnectorError, InputError
from ..i18n import N_
from ..store.stage import StageTable
from .base import Connector, Fetched, ImportOptions, Source, StageReport
from .convert import Field, build_select, count, expr, literal, text, timestamp
from .file_bytes import Progress
from .files import read_whole
from .http import redacted


def bearer(options: dict[str, str]) -> dict[str, str]:
    """An Authorization header from the environment variable named by ``token_env``."""
    variable = options.get("token_env")
    if not variable:
        return {}
    token = os.environ.get(variable)
    if not token:
        raise ConnectorError(
            N_("the connection needs a token: set the environment variable {name}").format(
                name=variable
            )
        )
    return {"Authorization": f"Bearer {token}"}


def answered_something_else(url: str, reason: Exception) -> ConnectorError:
    """The error of an answer a connector cannot read; ``url`` is named without its query
    string, which may carry a key or what is searched for."""
    return ConnectorError(
        N_("{url} answered something else: {reason}").format(url=redacted(url), reason=reason)
    )


def load_json(data: bytes, label: str) -> Any:
    """The JSON value in ``data``; an InputError naming the line where it breaks."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise InputError(
            label, N_("not JSON: {reason}").format(reason=exc.msg), line=exc.lineno
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            label, N_("not JSON: the file is not UTF-8 text, as an API answer is")
        ) from exc


def stage_rows(
    staging: StageTable, rows: Sequence[dict[str, Any]], columns: Sequence[str], fields: list[Field]
) -> StageReport:
    """Stage rows given as dicts of text (and ``row_no``) through the usual conversions."""
    raw = pa.table(
        {
            c: pa.array([r[c] for r in rows], pa.int64() if c == "row_no" else pa.string())
            for c in columns
        }
    )
    staging.append(raw, build_select(fields, staging.record))
    return StageReport()


def social_fields(platform: str, options: ImportOptions, own: str | None) -> list[Field]:
    """The fields of a post on a social network, from rows with the usual column names."""
    return [
        literal("platform", platform),
        text("native_id", "id", required=True),
        literal("org", options.org),
        literal("account_handle", own.lstrip("@") if own else None),
        expr("is_own", "is_own = 'true'"),
        expr("kind", "kind"),
        text("author_native_id", "author_id"),
        text("author_handle", "author"),
        text("author_name", "author_name"),
        text("text", "text"),
        text("url", "url"),
        text("lang", "lang"),
        timestamp("created_at", "created_at", required=True),
        count("reactions", "reactions"),
        count("shares", "shares"),
        count("comments", "comments"),
    ]


class ApiSource(Source, Connector):
    """A live API source whose saved answers can also be imported as files."""

    kind = N_("api")

    def stage(
        self, path: str, options: ImportOptions, staging: StageTable, progress: Progress | None
    ) -> StageReport:
        # gunzipped when saved gzipped, as every file import does
        data = read_whole(Path(path))
        report = self.stage_answer(data, path, options, staging)
        if progress:
            progress(Path(path).stat().st_size)
        return report

    def stage_fetched(
        self, fetched: Fetched, label: str, options: ImportOptions, staging: StageTable
    ) -> StageReport:
        assert fetched.data is not None
        return self.stage_answer(fetched.data, label, options, staging)

    def recognises_answer(self, answer: Any) -> bool:
        """Whether ``answer``, a file's one JSON value, has a shape only this API answers:
        then ``jauge import`` reads the file with this source without ``--source``. No, by
        default: the user names the API."""
        return False

    @abstractmethod
    def stage_answer(
        self, data: bytes, label: str, options: ImportOptions, staging: StageTable
    ) -> StageReport:
        """Stage one answer of the API (as fetched, or as saved to a file)."""
