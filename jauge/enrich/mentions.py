"""Mentions: which organisations a text names, from each organisation's dictionary.

Matching ignores case and accents ("Électricité" matches "electricite"), respects word
boundaries ("Orange" is not found in "orangeade") and keeps the marks of handles and
hashtags ("@acme" and "#acme" match only as such when the dictionary says so). Exclusions
are phrases removed before matching ("apple pie" keeps "apple" from matching there).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..i18n import N_, _

if TYPE_CHECKING:
    from ..store.duckdb_store import Store

VERSION = "mentions-1"
KINDS = ("name", "alias", "handle", "hashtag", "product", "exclude")
#: the kinds, as the reader's language says them
KIND_LABELS = {
    "name": N_("name"),
    "alias": N_("alias"),
    "handle": N_("handle"),
    "hashtag": N_("hashtag"),
    "product": N_("product"),
    "exclude": N_("exclude"),
}


def normalise(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes straightened."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def dictionary_term(kind: str, term: str) -> str:
    """How a dictionary entry is matched: handles keep their @, hashtags their #."""
    clean = normalise(term.strip())
    if kind == "handle":
        return "@" + clean.lstrip("@")
    if kind == "hashtag":
        return "#" + clean.lstrip("#")
    return clean


def doubtful_entries(name: str, entries: Iterable[tuple[str, str]]) -> list[str]:
    """What looks like a mistake among the entries (kind, term) given for organisation
    ``name``, said for the user. They are kept all the same: the user may know better."""
    given = list(entries)
    names = {dictionary_term("name", name)}
    names |= {dictionary_term(kind, term) for kind, term in given if kind == "alias"}
    doubts = []
    for kind, term in given:
        if kind in ("handle", "hashtag") and " " in term.strip():
            doubts.append(
                _(
                    "the {kind} {term} has a space, which a {kind} never has: it will never "
                    "match (a name of several words is an alias)",
                    kind=_(KIND_LABELS[kind]),
                    term=repr(term),
                )
            )
        elif kind == "exclude" and dictionary_term(kind, term) in names:
            doubts.append(
                _(
                    "the exclusion {term} is a name of {name}: texts that name it so will "
                    "not count as mentions",
                    term=repr(term),
                    name=name,
                )
            )
    return doubts


def workspace_dictionary(store: Store, workspace: str) -> list[tuple[str, str, str]]:
    """Every organisation's dictionary as (org_id, kind, normalised term) rows: the entries
    of `jauge org add`, and each organisation's name, which always counts, also for an
    organisation an import created."""
    entries = {
        (str(org_id), str(kind), str(term))
        for org_id, kind, term in store.con.execute(
            "SELECT org_id, kind, normalised FROM org_terms WHERE workspace = ?", [workspace]
        ).fetchall()
    }
    entries |= {
        (str(org_id), "name", dictionary_term("name", str(name)))
        for org_id, name in store.con.execute(
            "SELECT org_id, name FROM organisations WHERE workspace = ?", [workspace]
        ).fetchall()
    }
    return sorted(entries)


@dataclass
class Matcher:
    """Every organisation's dictionary, compiled into one pattern per organisation."""

    patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    exclusions: dict[str, re.Pattern[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: Iterable[tuple[str, str, str]]) -> Matcher:
        """From (org_id, kind, normalised term) rows."""
        terms: dict[str, list[str]] = {}
        excluded: dict[str, list[str]] = {}
        for org_id, kind, term in entries:
            if not term.strip("@# "):
                continue  # an empty entry (stored before they were refused) matches nothing
            (excluded if kind == "exclude" else terms).setdefault(org_id, []).append(term)
        matcher = cls()
        for org_id, found in terms.items():
            matcher.patterns[org_id] = _alternation(found)
        for org_id, found in excluded.items():
            matcher.exclusions[org_id] = _alternation(found)
        return matcher

    def find(self, text: str) -> dict[str, set[str]]:
        """org_id -> the terms of its dictionary found in ``text``."""
        if not text:
            return {}
        normalised = normalise(text)
        found: dict[str, set[str]] = {}
        for org_id, pattern in self.patterns.items():
            target = normalised
            if org_id in self.exclusions:
                target = self.exclusions[org_id].sub(" ", target)
            hits = {m.group(0) for m in pattern.finditer(target)}
            if hits:
                found[org_id] = hits
        return found


def _alternation(terms: list[str]) -> re.Pattern[str]:
    # longest first, so that "acme labs" wins over "acme"; a handle or hashtag must not
    # be glued to a word; a plain name may follow @ or # (#acme mentions Acme)
    ordered = sorted(set(terms), key=len, reverse=True)
    parts = [
        rf"(?<![\w@#]){re.escape(t)}(?!\w)" if t[:1] in "@#" else rf"(?<!\w){re.escape(t)}(?!\w)"
        for t in ordered
    ]
    return re.compile("|".join(parts))
