"""A report printed to PDF by a Chromium-family browser, when one is installed.

Executives often want a PDF. Browsers print HTML to PDF faithfully (fonts, SVG, page
breaks), and most work machines have one: jauge drives Chromium, Chrome or Edge
headless rather than bundling a layout engine. Without one, the HTML report prints to
PDF from any browser's print dialog, and the error says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .. import settings
from ..errors import ConfigError
from ..i18n import _

#: programs tried in turn on the PATH when JAUGE_BROWSER is not set
BROWSERS = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "msedge",
)
TIMEOUT_SECONDS = 120


def find_browser() -> str | None:
    """The browser that prints: ``JAUGE_BROWSER``, else the first of :data:`BROWSERS`."""
    chosen = settings.BROWSER.value()
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def print_pdf(html: str, target: Path) -> Path:
    """Write ``html`` to ``target`` as a PDF; a :class:`ConfigError` when no browser can."""
    browser = find_browser()
    if browser is None:
        raise ConfigError(
            _(
                "printing to PDF needs Chromium, Chrome or Edge (or JAUGE_BROWSER naming one); "
                "without one, write the HTML report and print it to PDF from any browser"
            )
        )
    target = target.resolve()
    with tempfile.TemporaryDirectory(prefix="jauge-report-") as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        # printed beside the page, then moved: a failed print leaves the target as it was
        printed = Path(folder) / "report.pdf"
        command = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profile'}",  # never the user's own profile
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # the browser refuses to run as root without
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ConfigError(
                _("{browser} could not print the report: {reason}", browser=browser, reason=exc)
            ) from exc
        if done.returncode != 0 or not printed.is_file() or printed.stat().st_size == 0:
            reason = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
            raise ConfigError(
                _(
                    "{browser} could not print the report: {reason}",
                    browser=browser,
                    reason=reason[0],
                )
            )
        shutil.move(printed, target)
    return target
