"""Measurements in a fresh process, so that each one's peak memory (max RSS) is its own."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any


def in_fresh_process(script: str, *args: str) -> dict[str, Any]:
    """Run ``python script *args`` and return the JSON object its last line prints."""
    out = subprocess.run(
        [sys.executable, script, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
