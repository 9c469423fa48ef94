"""Share of voice counts an organisation's posts that name another one (QA "analyst" F1),
on the real French media tweets imported as one organisation's own posts."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

import jauge

from .conftest import FRENCH_MAP, FRENCH_TWEETS_CSV


def folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def test_own_posts_naming_another_organisation_are_talk_about_it(tmp_path: Path) -> None:
    with jauge.open(tmp_path / "j.duckdb") as j:
        imported = j.import_file(
            FRENCH_TWEETS_CSV, "posts-csv", platform="x", org="Médias", mapping=FRENCH_MAP
        )
        assert imported.ok
        j.add_org("Emmanuel Macron", aliases=["Macron"], handles=["EmmanuelMacron"])
        # the media's own word for its own posts: they are not talk about it
        j.add_org("Médias", aliases=["Ukraine"])
        j.enrich(backend="vader")
        voice = j.voice(["Emmanuel Macron", "Médias"])
    frame = pd.read_csv(FRENCH_TWEETS_CSV)
    frame["day"] = pd.to_datetime(frame["date"]).dt.date
    frame = frame[(frame["day"] >= voice.start) & (frame["day"] <= voice.end)]
    # the alias as a word, or the handle
    named = re.compile(r"\bmacron\b|@emmanuelmacron\b")
    naming = frame["text"].map(lambda t: bool(named.search(folded(t))))
    by_org = {o.org: o for o in voice.orgs}
    assert naming.sum() > 0
    assert by_org["Emmanuel Macron"].mentions == naming.sum()
    assert by_org["Médias"].mentions == 0
    assert by_org["Emmanuel Macron"].share_of_voice == 1.0
