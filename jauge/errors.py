"""Every error jauge raises on purpose, in one tree.

::

    JaugeError                  anything jauge reports to the user
    ├── ConfigError             a bad option, setting or argument
    │   └── UsageError          an option's value that cannot be used (CLI: exit status 2)
    ├── NotFoundError           an organisation, workspace or source that does not exist
    ├── StoreError              the store cannot be opened or migrated
    │   └── ReadOnlyStoreError  the store cannot be written (read-only file system or file)
    ├── ConnectorError          a live source refused or failed (says what to fix)
    ├── AuthError               no valid session or API token (web: 401)
    ├── ForbiddenError          a role too low for the action (web: 403)
    └── InputError              a file or feed that cannot be read as asked
        └── InvalidRowsError    rows that failed validation (file, line, field, reason)

Only the CLI's output module and the web app's error handler turn these into exit codes,
pages or JSON, and the JSON shape (``error_object``) is the same in both;
library code raises them with a message written for the person at the keyboard:
what went wrong, where, and what to do about it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .i18n import N_, _, _n, localised


@dataclass(frozen=True)
class RowError:
    """One invalid value: where it is and why it was refused."""

    file: str
    line: int | None
    field: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        """As kept (in the import history): the message in English."""
        return asdict(self)

    def shown(self) -> dict[str, Any]:
        """As shown to a reader: the message in their language."""
        return {**asdict(self), "message": localised(self.message)}

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += _(", line {line}", line=self.line)
        if self.field:
            where += _(", field {field}", field=repr(self.field))
        return _("{where}: {message}", where=where, message=localised(self.message))


class JaugeError(Exception):
    """Base class: the message is meant to be shown to the user as is."""

    #: a short machine-readable kind, used in JSON error objects
    code = "error"
    #: the source a refused file was read as, when one was (see jauge.ingest)
    source: str | None = None


class ConfigError(JaugeError):
    code = "config"


class UsageError(ConfigError):
    """An option given a value that cannot be used: the command line is wrong, as for
    click's own usage errors (the CLI exits with status 2)."""

    code = "usage"


class NotFoundError(JaugeError):
    code = "not_found"


class StoreError(JaugeError):
    code = "store"


class ReadOnlyStoreError(StoreError):
    """The store file, or its folder, cannot be written: it can still be opened to read."""


class ConnectorError(JaugeError):
    """A live source answered with a permanent error, or kept failing after retries."""

    code = "connector"


class AuthError(JaugeError):
    code = "unauthorised"


class ForbiddenError(JaugeError):
    code = "forbidden"


class InputError(JaugeError):
    """A whole file is unusable (missing, empty, corrupt, wrong kind)."""

    code = "input"

    def __init__(self, file: str, message: str, *, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.reason = message
        super().__init__(str(RowError(file, line, None, message)))

    @property
    def errors(self) -> list[RowError]:
        return [RowError(self.file, self.line, None, self.reason)]


class InvalidRowsError(InputError):
    """Some rows are invalid, so nothing from the file was written."""

    code = "invalid_rows"

    def __init__(self, file: str, errors: list[RowError], total: int) -> None:
        self.row_errors = errors
        self.total = total
        shown = "\n".join(f"  {e}" for e in errors)
        more = (
            _("\n  ... and {count} more", count=total - len(errors)) if total > len(errors) else ""
        )
        summary = _n(
            N_(
                "{total} invalid row value; nothing from this file was written "
                "(use --skip-invalid to import the valid rows):"
            ),
            N_(
                "{total} invalid row values; nothing from this file was written "
                "(use --skip-invalid to import the valid rows):"
            ),
            total,
            total=total,
        )
        super().__init__(file, f"{summary}\n{shown}{more}")

    @property
    def errors(self) -> list[RowError]:
        return list(self.row_errors)


def is_interruption(exc: BaseException) -> bool:
    """Whether ``exc`` is Ctrl-C, or an error the engine raised because of it: DuckDB says
    ``InterruptException`` when interrupted, ``RuntimeError("Query interrupted")`` when
    its query saw SIGINT, and "transaction is aborted" for each statement after either
    (the first one is then in ``__context__``)."""
    import duckdb

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (KeyboardInterrupt, duckdb.InterruptException)) or (
            isinstance(seen, RuntimeError) and str(seen) == "Query interrupted"
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def error_object(exc: JaugeError) -> dict[str, Any]:
    """The one JSON shape of an error, shared by the CLI and the web API."""
    errors = getattr(exc, "errors", None)
    body: dict[str, Any] = {"code": exc.code, "message": localised(str(exc))}
    if errors:
        body["errors"] = [e.shown() for e in errors]
    return {"error": body}


def out_of_memory() -> ConfigError:
    """What to change when the embedded engine runs out of the memory it may use."""
    from . import settings  # settings name errors of their own

    return ConfigError(
        _(
            "the engine ran out of memory: raise {env} (now {limit}, e.g. {env}=4GB), or "
            "{imports} for imports (now {import_limit}), or ask for less at once (fewer "
            "organisations, longer periods)",
            env=settings.MEMORY_LIMIT.env,
            limit=settings.MEMORY_LIMIT.value(),
            imports=settings.IMPORT_MEMORY_LIMIT.env,
            import_limit=settings.IMPORT_MEMORY_LIMIT.value(),
        )
    )
