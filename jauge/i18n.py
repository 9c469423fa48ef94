"""The language of jauge's messages outside the dashboard's templates: what the CLI
prints and what jauge's errors say.

Messages are written in English where they are used, wrapped in ``_()`` (``N_()``
marks a message that is translated later, where it is shown), in the manner of
gettext: the English text is the key, and ``jauge/locales/fr.json`` holds its French.
A test reads every ``_()`` and ``N_()`` of the package and checks that each has a
French text with the same ``{placeholders}``, so a message cannot be added in one
language only.

The language is, first, the one set for the current context (the dashboard sets the
page's language for each request, so an error shown on a page speaks its language);
else ``JAUGE_LANG``; else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, in
POSIX order: ``fr_FR.UTF-8`` is French); else English.

A message is written once for every interface, and most say the same to everyone. A
few name what the reader should change, in the CLI's words (``pass --platform``): an
interface with other words for it (the dashboard names the form field or the API
parameter) sets its own wording of those messages for the current context, in each
language (:func:`worded`), and they are made and shown in its words.
"""

from __future__ import annotations

import json
import os
import re
import string
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from types import MappingProxyType

from markupsafe import Markup

from . import settings

LANGUAGES = ("en", "fr")
DEFAULT = "en"

_chosen: ContextVar[str | None] = ContextVar("jauge_language", default=None)
#: an interface's own words for some messages: English message -> language -> text
Wording = Mapping[str, Mapping[str, str]]
_wording: ContextVar[Wording] = ContextVar("jauge_wording", default=MappingProxyType({}))


def from_environment() -> str:
    """The language asked by ``JAUGE_LANG`` or the POSIX locale, else English."""
    for variable in (settings.LANG.env, "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:  # the first one set decides, as in POSIX
            code = value.split(".")[0].split("_")[0].split("-")[0].lower()
            return code if code in LANGUAGES else DEFAULT
    return DEFAULT


def language() -> str:
    return _chosen.get() or from_environment()


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Messages made inside the block are in ``lang`` (one of :data:`LANGUAGES`)."""
    token = _chosen.set(lang if lang in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _chosen.reset(token)


@contextmanager
def worded(wording: Wording) -> Iterator[None]:
    """Messages made or localised inside the block take ``wording``'s text where it has
    one (English message -> language -> text, with the same placeholders): the
    interface's own words, where the shared message names a CLI option."""
    token = _wording.set(wording)
    try:
        yield
    finally:
        _wording.reset(token)


def _said(message: str, lang: str) -> str:
    """``message``'s text in ``lang``: the interface's wording, else the catalogue's."""
    own = _wording.get().get(message)
    if own is not None and lang in own:
        return own[lang]
    return catalogue(lang).get(message, message)


@cache
def catalogue(lang: str, part: str = "") -> dict[str, str]:
    """English message -> its text in ``lang`` (empty for English itself); ``part`` names
    another catalogue than jauge's own (``click``: the words of the CLI library)."""
    if lang == DEFAULT:
        return {}
    name = f"{part}.{lang}.json" if part else f"{lang}.json"
    text = resources.files("jauge").joinpath("locales", name).read_text("utf-8")
    data: dict[str, str] = json.loads(text)
    return data


def _(message: str, /, **values: object) -> str:
    """``message`` in the current language, its ``{placeholders}`` filled from ``values``
    (in French, "de" elided before a value that begins with a vowel: :func:`elided`)."""
    lang = language()
    text = _said(message, lang)
    if not values:
        return text
    return elided(text.format(**values), *_names(values), lang=lang)


def _names(values: dict[str, object]) -> list[str]:
    """The values a message carries that may follow "de": text, not numbers."""
    return [v for v in values.values() if isinstance(v, str)]


def localised(text: str, names: Callable[[str], str] | None = None, *, days: bool = False) -> str:
    """``text``, a message made in English and kept (an index result's warnings, an
    import's notes), in the current language: its template is recognised among the
    catalogued messages and its values are carried over (themselves localised).
    ``names`` gives people's words for the identifiers such a message may carry (an
    indicator's name): a single-word value goes through it, in every language."""
    lang = language()
    messages, wording = catalogue(lang), _wording.get()
    if not messages and not wording and names is None and not days:
        return text
    if text in messages or text in wording:
        return _said(text, lang)
    # in English, only a message worded otherwise (or naming identifiers) changes
    only_worded = not messages and names is None and not days
    for pattern, english in _templates():
        if only_worded and english not in wording:
            continue
        found = pattern.fullmatch(text)
        if found:
            values = {k: _value(v, names, days) for k, v in found.groupdict().items()}
            return _said(english, lang).format(**values)
    return text


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _value(value: str, names: Callable[[str], str] | None, days: bool = False) -> str:
    """A value carried over into a localised message. A sentence may be a kept message
    too (a reason); single words, alone or listed ("a, b"), are data (names,
    identifiers): left as they are, or named by ``names``. With ``days``, a day (ISO
    8601) is written as people read it (:func:`day`), as pages write days."""
    if days and _ISO_DAY.fullmatch(value):
        return day(value)
    if SEPARATORS[DEFAULT] in value:
        said = localised(value, names, days=days)  # a kept message that has a semicolon
        if said != value:
            return said
        # else a list made in English: its items said with the reader's semicolon
        parts = value.split(SEPARATORS[DEFAULT])
        return separated([_value(part, names, days) for part in parts])
    words = value.split(", ")
    if any(not word or " " in word for word in words):
        return localised(value, names, days=days)
    return ", ".join(map(names, words)) if names else value


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """A pattern for each catalogued message with placeholders, the most literal first.
    Every language's catalogue has the same English messages as keys."""
    found = []
    for english in {m for lang in LANGUAGES for m in catalogue(lang)}:
        pattern = _pattern(english)
        if pattern is None:
            continue
        literal_size = sum(len(part[0]) for part in string.Formatter().parse(english))
        found.append((literal_size, pattern, english))
    ordered = sorted(found, key=lambda f: (-f[0], f[2]))
    return [(pattern, english) for _size, pattern, english in ordered]


@cache
def _pattern(template: str) -> re.Pattern[str] | None:
    """A pattern that reads the values back out of ``template`` once filled, or None when
    it has no placeholder (or braces that are text: a JSON example)."""
    parts = list(string.Formatter().parse(template))
    fields = [field for _text, field, _spec, _conversion in parts if field is not None]
    if not fields or not all(field.isidentifier() for field in fields):
        return None
    regex, seen = "", set()
    for literal, name, _spec, _conversion in parts:
        regex += re.escape(literal)
        if name:
            # a value never begins or ends with a space: French text, whose colons
            # have one before them, is not taken for an English message
            value = rf"(?P<{name}>(?!\s).+?(?<!\s))"
            regex += f"(?P={name})" if name in seen else value
            seen.add(name)
    return re.compile(regex, re.S)


def values_in(template: str, text: str) -> dict[str, str] | None:
    """The values ``text`` fills ``template``'s placeholders with (a kept English message
    read back), or None when it is not that message."""
    pattern = _pattern(template)
    found = pattern.fullmatch(text) if pattern is not None else None
    return found.groupdict() if found else None


def singular(count: float, lang: str | None = None) -> bool:
    """Whether ``count`` of something takes the singular: one in English; in French, any
    count under two (0 personne, 1,5 visite)."""
    if (lang or language()) == "fr":
        return 0 <= count < 2
    return count == 1


def plural(one: str, other: str, count: float, lang: str | None = None) -> str:
    """``one`` or ``other``, whichever ``count`` takes in ``lang`` (default: the current
    language; :func:`singular`): two English messages, or two keys of the dashboard's
    catalogues (``"overview.items.one"``, ``"overview.items"``). A message kept in English
    and shown later (:func:`localised`) is chosen with ``lang="en"``."""
    return one if singular(count, lang) else other


def _n(one: str, other: str, count: float, /, **values: object) -> str:
    """:func:`_` of ``one`` or ``other``, whichever ``count`` takes in the current
    language: ``_n(N_("{count} error"), N_("{count} errors"), n, count=number(n))``. Both
    messages are catalogued (marked with ``N_`` so the catalogue's test finds them), and
    French says "0 erreur" where English says "0 errors"; ``count`` only chooses, the
    values fill the placeholders."""
    return _(plural(one, other, count), **values)


#: how a language separates the items of a list whose items hold commas ("'id' or
#: 'tweet_id'; 'created_at'"): French puts a space before a semicolon, as before a colon
SEPARATORS = {"en": "; ", "fr": " ; "}


def separated(items: Sequence[str], lang: str | None = None) -> str:
    """``items`` joined by ``lang``'s (default: the current language's) semicolon."""
    return SEPARATORS.get(lang or language(), SEPARATORS[DEFAULT]).join(items)


#: how each language writes a number: its decimal mark and its thousands separator
NUMBER_MARKS = {"en": (".", ","), "fr": (",", "\u202f")}
#: the marks to swap from Python's, per language that writes numbers otherwise
_NUMBER_TABLES = {
    lang: str.maketrans({".": decimal, ",": thousands})
    for lang, (decimal, thousands) in NUMBER_MARKS.items()
    if (decimal, thousands) != (".", ",")
}


def number(value: float | None, spec: str = ".1f", lang: str | None = None) -> str:
    """``value`` as people read it in ``lang`` (default: the current language), formatted
    by ``spec`` (Python's format mini-language: ``.1f``, ``+.2f``, ``,.0f``); a dash for
    no value. French writes 40,5 and 12 500 (a narrow no-break space)."""
    if value is None:
        return "—"
    text = format(value, spec)
    table = _NUMBER_TABLES.get(lang or language())
    return text.translate(table) if table else text  # English: as Python writes it


#: the minus sign of a language that writes one: French typography's U+2212, as the
#: charts' axes (Vega's number format) write it
MINUS_SIGNS = {"fr": "\u2212"}


def signed_number(value: float | None, spec: str = ".1f", lang: str | None = None) -> str:
    """:func:`number`, with the minus sign of ``lang`` (default: the current language):
    French writes −55, as the reports' and the dashboard's charts do."""
    text = number(value, spec, lang)
    minus = MINUS_SIGNS.get(lang or language())
    return text.replace("-", minus) if minus else text


def minus_signs(text: str, lang: str | None = None) -> str:
    """``text``, a message made with Python's figures (an index result's warning kept in
    English: "(-100 to 100)"), with ``lang``'s minus sign (default: the current
    language's) before each negative figure, as :func:`signed_number` writes it; the
    hyphens of a day (2014-12-10) or a name (jauge-index/1.0.2) stay."""
    minus = MINUS_SIGNS.get(lang or language())
    # a hyphen before a figure that follows no word, digit or hyphen
    return re.sub(r"(?<![\w-])-(?=\d)", minus, text) if minus else text


#: the percent sign where a language writes it otherwise: French puts a narrow no-break
#: space before it
PERCENT_SIGNS = {"fr": "\u202f%"}


def percent(value: float | None, spec: str = ".1f", lang: str | None = None) -> str:
    """``value``, a fraction (0.623), as a percentage people read in ``lang`` (default: the
    current language), its figure formatted by ``spec``: 62.3% in English, 62,3 % in
    French; a dash for no value."""
    if value is None:
        return "—"
    lang = lang or language()
    return number(value * 100, spec, lang) + PERCENT_SIGNS.get(lang, "%")


#: the months' short names, as the charts' axes write them (Vega's, and
#: jauge.web.charts.TIME_LOCALES for French)
SHORT_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."),
}  # fmt: skip
#: a day, and a day with its time, per language: {d} day of the month, {m} month's short
#: name, {y} year, {t} time of day (24 hours)
DAY_FORMATS = {
    "en": ("{m} {d}, {y}", "{m} {d}, {y}, {t}"),
    "fr": ("{d} {m} {y}", "{d} {m} {y} à {t}"),
}


def day(value: date | datetime | str | None, lang: str | None = None) -> str:
    """``value`` (a date, a date-time, or either in ISO 8601) as people read it in ``lang``
    (default: the current language), as the charts' axes write days: Oct 3, 2014 in
    English, 3 oct. 2014 in French (but 1er mai 2014, as French text writes the first of
    a month). A date-time adds its hour and minute; one that knows
    its time zone is said in UTC, and says so (3 oct. 2014 à 21:00 UTC). A dash for no
    value."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
    lang = lang or language()
    if lang not in DAY_FORMATS:
        lang = DEFAULT
    plain, timed = DAY_FORMATS[lang]
    first = "1er" if lang == "fr" and value.day == 1 else value.day  # French: le 1er mai
    parts = {"d": first, "m": SHORT_MONTHS[lang][value.month - 1], "y": value.year}
    if not isinstance(value, datetime):
        return plain.format(**parts)
    zone = ""
    if value.tzinfo is not None:
        value, zone = value.astimezone(UTC), " UTC"
    return timed.format(**parts, t=f"{value:%H:%M}{zone}")


def N_(message: str, /) -> str:  # gettext's name for it
    """Mark ``message`` for translation where it is shown; return it unchanged."""
    return message


#: how a language lists alternatives; a list kept in English ("a, b or c") is said in the
#: reader's language by :func:`localised`, which finds it among the catalogued messages
EITHER = N_("{items} or {last}")


def either(items: Sequence[str], lang: str | None = None) -> str:
    """``items`` as a sentence offers them: "a, b or c" in English, "a, b ou c" in French
    (``lang``, default: the current language); a single item alone."""
    if len(items) < 2:
        return "".join(items)
    text = _said(EITHER, lang or language())
    return text.format(items=", ".join(items[:-1]), last=items[-1])


#: the sounds French elides "de" before, as a name's first letters show them: a vowel
#: (d'Emmanuel, d'Air France, d'Uber), or a y before a consonant (d'Yves, but de YouTube)
_VOWELS = "aeiouàâäéèêëîïôöùûüœæ"


#: a name that begins with the article "le" or "les" (Le Monde, Les Echos): French
#: contracts "de" and "à" with it ("du Monde", "aux Echos"); "La" and "L'" stay
_ARTICLE = re.compile(r"(?i)(les?) (?=\w)")
#: the preposition and the article it contracts with -> the contracted word
_CONTRACTED = {("de", "le"): "du", ("de", "les"): "des", ("à", "le"): "au", ("à", "les"): "aux"}


def elided(text: str, *names: str, lang: str | None = None) -> str:
    """``text``, a message made in ``lang`` (default: the current language), with French's
    "de" elided before each of ``names``, values the message carries (an organisation's
    name), where the name begins with a vowel: "parlent de Emmanuel Macron" reads "parlent
    d'Emmanuel Macron", also past markup ("de [bold]Air France[/]"). Before a name that
    begins with the article "Le" or "Les", "de" and "à" contract with it: "Rapport du
    Monde", "parlent des Echos", "au Parisien" ("de La Poste", "de L'Équipe" stay). Other
    languages' text is returned as it is. A name that begins with h keeps "de": its
    spelling does not tell a mute h (d'Hermès) from an aspirated one (de Hyundai)."""
    if (lang or language()) != "fr":
        return text
    # "de" or "à" as a word, then the name, maybe behind rich markup ([bold], [cyan])
    markup = r"(?:\[[a-z /#]+\])*"
    for name in names:
        first, second = name.lower()[:1], name.lower()[1:2]
        if not first:
            continue  # no name: nothing to elide before
        if first in _VOWELS or (first == "y" and second.isalpha() and second not in _VOWELS):
            text = re.sub(rf"(?<![\w'-])([Dd])e (?={markup}{re.escape(name)})", r"\1'", text)
        elif article := _ARTICLE.match(name):
            rest = re.escape(name[article.end() :])

            def contract(found: re.Match[str], article: str = article[1].lower()) -> str:
                word = _CONTRACTED[found[1].lower(), article]
                return (word.capitalize() if found[1][0].isupper() else word) + " " + found[2]

            text = re.sub(
                rf"(?<![\w'-])(de|à|De|À) ({markup}){re.escape(article[0])}(?={rest})",
                contract,
                text,
            )
    return text


def code_spans(text: str) -> Markup:
    """``text`` as HTML, its `backquoted` commands set as code (a message names the
    command to run the way a terminal shows it; a page shows it as code, not backquotes)."""
    from markupsafe import escape

    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))
