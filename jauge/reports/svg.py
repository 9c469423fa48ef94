"""The dashboard's Vega-Lite charts drawn as SVG, for documents that run no script.

A report is read in mail clients, document stores and on paper, where the dashboard's
JavaScript does not run: the same specifications (``jauge.web.charts``) are drawn here
by vl-convert, which bundles the same Vega-Lite (no network, no browser).
"""

from __future__ import annotations

from typing import Any

#: the Vega-Lite the dashboard vendors (jauge/web/static/vendor), so both draw alike
VEGA_LITE = "6.4"
#: a report's page width in CSS pixels, less its margins
WIDTH = 640


def to_svg(spec: dict[str, Any], width: int = WIDTH) -> str:
    """``spec`` drawn as an ``<svg>`` element, ``width`` wide where the dashboard fills
    its container."""
    import vl_convert  # a Rust extension: loaded with the first chart, not with jauge

    fixed = {k: v for k, v in spec.items() if k != "$schema"}
    if fixed.get("width") == "container":
        fixed["width"] = width
    svg: str = vl_convert.vegalite_to_svg(fixed, vl_version=VEGA_LITE)
    return svg
