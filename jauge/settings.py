"""Settings, declared once: they feed the CLI's options, docs/settings.md and a test.

Precedence: a command-line flag, then the ``JAUGE_*`` environment variable, then
the default below.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

from .i18n import N_

#: an amount of memory as the embedded engine reads it: 1GB, 512 MB, 2GiB, 80%...
_MEMORY = re.compile(
    r"\s*(-1|none|\d+(\.\d+)?\s*(%|[kmgt]i?b?|b|bytes?|(kilo|mega|giga|tera|kibi|mebi|gibi|tebi)"
    r"bytes?))\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str

    def value(self, flag: str | None = None) -> str:
        """The value in force: the flag if given, else the environment, else the default."""
        if flag is not None:
            return flag
        return os.environ.get(self.env) or self.default

    def whole(self) -> int:
        """The value as a whole number of 0 or more; a clear error naming the variable."""
        raw = self.value()
        number = int(raw) if raw.strip().isdigit() else -1
        if number < 0:
            raise self._refused(raw, N_("{name} takes a whole number of 0 or more, got {value}"))
        return number

    def seconds(self) -> float:
        """The value as seconds, 0 or more."""
        raw = self.value()
        try:
            number = float(raw)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number < 0:
            raise self._refused(
                raw, N_("{name} takes a number of seconds of 0 or more, got {value}")
            )
        return number

    def memory(self) -> str:
        """The value as an amount of memory the engine reads (1GB, 512MB, 2GiB, 80%)."""
        raw = self.value()
        if not _MEMORY.fullmatch(raw):
            raise self._refused(
                raw, N_("{name} takes an amount of memory like 1GB, 512MB or 2GiB, got {value}")
            )
        return raw.strip()

    def _refused(self, raw: str, message: str) -> Exception:
        from .errors import ConfigError
        from .i18n import _

        return ConfigError(_(message, name=self.env, value=repr(raw)))


DB = Setting(
    name="db",
    env="JAUGE_DB",
    default="jauge.duckdb",
    help="Path of the DuckDB store file; created on first use.",
)
WORKSPACE = Setting(
    name="workspace",
    env="JAUGE_WORKSPACE",
    default="default",
    help="Workspace that organisations belong to (an agency keeps one per client).",
)
MEMORY_LIMIT = Setting(
    name="memory_limit",
    env="JAUGE_MEMORY_LIMIT",
    default="1GB",
    help="Most memory the embedded engine may use before spilling to disk (DuckDB syntax).",
)
IMPORT_MEMORY_LIMIT = Setting(
    name="import_memory_limit",
    env="JAUGE_IMPORT_MEMORY_LIMIT",
    default="1GB",
    help="Most memory the embedded engine may use while importing a file; the file is read "
    "in buffers of 32 MiB and the staged rows spill to disk beyond it, so memory stays flat "
    "whatever the file's size (a file of about a million posts is staged without spilling "
    "at 1GB; at 200MB, one and two million posts both peaked at about 360 MB of the "
    "process's memory).",
)
THREADS = Setting(
    name="threads",
    env="JAUGE_THREADS",
    default="0",
    help="Threads for the embedded engine; 0 lets it use every core.",
)
SPARK_MASTER = Setting(
    name="spark_master",
    env="JAUGE_SPARK_MASTER",
    default="local[2]",
    help="Master of the Spark session that `--engine spark` starts, in Spark's own syntax; "
    "local[2] runs Spark on this machine with two worker threads.",
)
SPARK_DRIVER_MEMORY = Setting(
    name="spark_driver_memory",
    env="JAUGE_SPARK_DRIVER_MEMORY",
    default="2g",
    help="Memory of the Spark driver that `--engine spark` starts (in local mode, all of "
    "Spark's memory), in Java's syntax: 2g, 4g, 512m. The statistics of every scope are "
    "gathered there: a comparison of many organisations month by month needs more.",
)

TRANSFORMERS_MODEL = Setting(
    name="transformers_model",
    env="JAUGE_TRANSFORMERS_MODEL",
    default="",
    help="Local directory of a Hugging Face sentiment model, for the transformers backend.",
)

LOCK_WAIT = Setting(
    name="lock_wait",
    env="JAUGE_LOCK_WAIT",
    default="120",
    help="Seconds a command or the web server waits for the store while another jauge "
    "process writes to it, before giving up with a message.",
)
LANG = Setting(
    name="lang",
    env="JAUGE_LANG",
    default="",
    help="Language of the CLI's output and of error messages: en or fr; empty: the "
    "locale's (LC_ALL, LC_MESSAGES, LANG), else English. The dashboard follows each "
    "browser's language instead.",
)
SECRET_KEY = Setting(
    name="secret_key",
    env="JAUGE_SECRET_KEY",
    default="",
    help="Key signing the web dashboard's session cookies; empty: a random key kept "
    "beside the store, in STORE.session-key (never in the store), so sessions survive a "
    "restart.",
)
PSEUDONYM_KEY = Setting(
    name="pseudonym_key",
    env="JAUGE_PSEUDONYM_KEY",
    default="",
    help="Key of the pseudonyms shown instead of people's handles (`--pseudonymise`, "
    "reports); empty: a random key per workspace, made on first use and kept in the store "
    "(set one to keep the same pseudonyms in another store).",
)
COOKIE_SECURE = Setting(
    name="cookie_secure",
    env="JAUGE_COOKIE_SECURE",
    default="auto",
    help="Mark session cookies Secure: auto (when served over HTTPS or on the loopback "
    "address), true or false.",
)
BROWSER = Setting(
    name="browser",
    env="JAUGE_BROWSER",
    default="",
    help="Chromium, Chrome or Edge program that prints reports to PDF (`jauge report "
    "--output report.pdf`); empty: the first of them found on the PATH.",
)

SETTINGS: tuple[Setting, ...] = (
    DB,
    WORKSPACE,
    MEMORY_LIMIT,
    IMPORT_MEMORY_LIMIT,
    THREADS,
    SPARK_MASTER,
    SPARK_DRIVER_MEMORY,
    TRANSFORMERS_MODEL,
    LOCK_WAIT,
    LANG,
    SECRET_KEY,
    PSEUDONYM_KEY,
    COOKIE_SECURE,
    BROWSER,
)
