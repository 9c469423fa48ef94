"""The dashboard's two languages: English and French, one catalogue each.

The language of a page is the ``lang`` query parameter (remembered in a cookie), else
that cookie, else the browser's Accept-Language, else English. A test keeps both
catalogues with the same keys and checks every key the templates use.

``wording.json`` holds the dashboard's and the API's own words for the shared messages
that tell a CLI user which ``--option`` to pass: the web names the form field and the
API parameter instead (see ``jauge.i18n.worded``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources

from starlette.requests import Request

from ..i18n import DEFAULT, LANGUAGES, Wording, elided

__all__ = ["DEFAULT", "LANGUAGES", "catalogue", "negotiate", "translator", "wording"]

COOKIE = "jauge_lang"


@cache
def catalogue(lang: str) -> dict[str, str]:
    text = resources.files("jauge.web").joinpath("locales", f"{lang}.json").read_text("utf-8")
    data: dict[str, str] = json.loads(text)
    return data


@cache
def wording() -> Wording:
    """The web's words for shared messages: English message -> language -> text."""
    text = resources.files("jauge.web").joinpath("locales", "wording.json").read_text("utf-8")
    data: dict[str, dict[str, str]] = json.loads(text)
    return data


def negotiate(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(COOKIE)
    if asked in LANGUAGES:
        return str(asked)
    header = request.headers.get("accept-language", "")
    ranked = []
    for part in header.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        ranked.append((weight, tag.split("-")[0].lower()))
    for _, tag in sorted(ranked, reverse=True):
        if tag in LANGUAGES:
            return tag
    return DEFAULT


@cache
def interval_level() -> str:
    """The index's interval level in percent ("90"), named by the pages' messages."""
    from ..metrics.spec import LATEST, load_spec

    return f"{load_spec(LATEST).level * 100:g}"


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)``: the message in ``lang`` (English if missing), formatted;
    ``{level}`` is the index's interval level."""
    messages = catalogue(lang)
    fallback = catalogue(DEFAULT)

    def t(key: str, **values: object) -> str:
        text = messages.get(key) or fallback.get(key) or key
        if "{" not in text:
            return text
        said = text.format(level=interval_level(), **values)
        # French elides "de" before a name that begins with a vowel ("Indice Jauge d'United")
        return elided(said, *(v for v in values.values() if isinstance(v, str)), lang=lang)

    return t
