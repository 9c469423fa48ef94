"""QA's findings on names and words: an organisation typed in another case is the stored
one everywhere (D3), French words (D9), the order of a refusal (D10), mastodon's
description (D13), the cosmetics of n, dates, backticks and a sentence (D14), and region
names as people write them (R1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import jauge
from jauge.cli.main import cli
from jauge.enrich.places import Place, subdivision_names
from jauge.enrich.regions import place_name
from jauge.i18n import _, speaking

from .conftest import UCI_FACEBOOK
from .test_value import GA4_FR, META_ADS_FR
from .webstore import WebStore

WEB_LOCALES = Path(jauge.__file__).parent / "web" / "locales"


@pytest.fixture
def brands(fresh_web_store: WebStore) -> Iterator[jauge.Jauge]:
    """The web tests' store: the airlines' tweets (enriched with their dictionaries) and
    the cosmetics brand's posts of 2014, its sessions and ad costs."""
    with jauge.open(fresh_web_store.path, workspace="brands") as j:
        yield j


def run(store: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--db", str(store), "--workspace", "brands"])
    assert result.exit_code == 0, result.output
    return result.stdout


# -- D3: the stored name, whatever the case typed -------------------------------------


def test_an_organisation_typed_in_another_case_is_measured_as_stored(brands: jauge.Jauge):
    stored = brands.score("United")
    for typed in ("united", "UNITED", " United "):
        result = brands.score(typed)
        assert result.scope["org"] == "United"
        assert result.fingerprint == stored.fingerprint  # the same scope, the same figures
    assert [o.org for o in brands.voice(["united", "DELTA"]).orgs] == ["United", "Delta"]
    compared = brands.compare("org", ["delta", "united"])
    assert [r.unit for r in compared.rows] == ["Delta", "United"]
    assert brands.topics("united").org == "United"
    report = brands.report("united", versus=["delta"])
    assert report.figures["score"]["scope"]["org"] == "United"
    assert report.figures["score"]["fingerprint"] == stored.fingerprint
    assert brands.org_name("cosmetics BRAND") == "Cosmetics brand"
    with pytest.raises(jauge.NotFoundError, match="Known: "):
        brands.org_name("Nobody")


def test_the_commands_echo_the_stored_name(brands: jauge.Jauge):
    store = brands.store.path
    brands.close()
    header = run(store, "score", "--org", "united").splitlines()[0]
    assert header.startswith("Jauge Index of United,")
    people = run(store, "people", "--org", "UNITED", "--limit", "1")
    assert "People talking about United " in people and "UNITED" not in people
    handle = json.loads(run(store, "people", "--org", "united", "--format", "json"))[0]["handle"]
    person = run(store, "person", handle, "--org", "united").splitlines()[0]
    assert f"{handle} and United: first engaged " in person
    assert "answered by United" in person
    regions = run(store, "regions", "--org", "united", "--org", "DELTA").splitlines()[1]
    assert "United: share" in regions and "Delta: share" in regions
    assert run(store, "topics", "--org", "united").startswith("United, ")
    said = json.loads(
        run(
            store,
            "report",
            "--org",
            "united",
            "--format",
            "json",
            "--output",
            str(Path(store).parent / "r.html"),
        )
    )
    assert said["org"] == "United"


# -- D9, D10, D13: words ----------------------------------------------------------------


def test_the_french_help_says_its_headings_as_french_writes_them(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("JAUGE_LANG", "fr")
    lines = CliRunner().invoke(cli, ["--help"]).stdout.splitlines()
    assert "Options :" in lines and "Commandes :" in lines
    assert "Options:" not in lines and "Commands:" not in lines
    monkeypatch.setenv("JAUGE_LANG", "en")
    lines = CliRunner().invoke(cli, ["--help"]).stdout.splitlines()
    assert "Options:" in lines and "Commands:" in lines


def test_no_detectable_change_is_said_one_way_in_french():
    pages = json.loads((WEB_LOCALES / "fr.json").read_text("utf-8"))
    with speaking("fr"):
        said = _("no detectable change")
    assert said == pages["table.not_significant"] == "pas de variation détectable"
    assert "aucune variation détectable" in pages["report.change.none"]
    assert "changement détectable" not in json.dumps(pages, ensure_ascii=False)


def test_an_unknown_source_is_named_before_the_pointer_to_the_list(tmp_path: Path):
    result = CliRunner().invoke(
        cli,
        ["import", str(UCI_FACEBOOK), "--source", "facebook", "--db", str(tmp_path / "s.db")],
    )
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "no source 'facebook': use one of " in message
    assert "facebook-insights" in message and message.endswith("(see `jauge sources`)")
    assert "no source (see" not in message


def test_mastodon_says_it_reads_a_keyword_search_too():
    listed = CliRunner().invoke(cli, ["sources", "--format", "json"])
    (mastodon,) = [s for s in json.loads(listed.stdout) if s["name"] == "mastodon"]
    assert "a keyword search" in mastodon["reads"]
    with speaking("fr"):
        assert "une recherche par mots-clés" in _(mastodon["reads"])


# -- D14: cosmetics ---------------------------------------------------------------------


def test_n_is_a_whole_number_where_it_counts_things(brands: jauge.Jauge):
    data = brands.score("Cosmetics brand").to_dict()
    counts = [f["n"] for f in (*data["pillars"].values(), *data["components"].values())]
    assert any(n > 0 for n in counts)
    for name, figure in data["components"].items():
        if name != "sessions_per_1k_reach":  # thousands of people reached: a fraction
            assert isinstance(figure["n"], int), name
    assert all(isinstance(p["n"], int) for p in data["pillars"].values())
    assert '"n": 4.0' not in json.dumps(data)


def test_the_french_report_sets_commands_as_code_not_backticks(brands: jauge.Jauge):
    # a competitor without items of its own: its row says why, naming `jauge voice`
    brands.add_org("Acme Rival", relation="competitor")
    html = brands.report("United", lang="fr").html
    assert "<code>jauge voice</code>" in html
    assert "`" not in html


def test_the_currency_warning_is_a_whole_sentence(handle: jauge.Jauge, tmp_path: Path):
    (tmp_path / "meta.csv").write_text(META_ADS_FR)
    (tmp_path / "ga4.csv").write_text(GA4_FR)
    assert handle.import_file(tmp_path / "meta.csv", org="Maison", platform="facebook").ok
    assert handle.import_file(tmp_path / "ga4.csv", org="Maison").ok
    (warning,) = handle.value("Maison").to_dict()["warnings"]
    assert warning.endswith("the currency of the others; check that they are in EUR")
    with speaking("fr"):
        assert _(
            "some amounts come without a currency: they are read in {currency}, the currency "
            "of the others; check that they are in {currency}",
            currency="EUR",
        ).endswith("vérifiez qu'ils sont bien en EUR")


# -- R1: region names -----------------------------------------------------------------


def test_pycountrys_forms_are_read_in_one_place_the_first_as_people_write_it():
    assert subdivision_names("Madrid, Comunidad de")[0] == "Comunidad de Madrid"
    assert subdivision_names("Catalunya [Cataluña]")[:2] == ["Catalunya", "Cataluña"]
    assert subdivision_names("Wales [Cymru GB-CYM]")[0] == "Wales"
    assert "Madrid" in subdivision_names("Madrid, Comunidad de")  # as locations say it


@pytest.mark.parametrize(
    ("code", "english", "french"),
    [
        ("ES-CT", "Catalonia", "Catalogne"),
        ("ES-MD", "Comunidad de Madrid", "Communauté de Madrid"),
        ("ES-AS", "Principado de Asturias", "Principauté des Asturies"),
        ("DE-TH", "Thüringen", "Thuringe"),
        ("DE-BY", "Bavaria", "Bavière"),
        ("IT-32", "Trentino-Alto Adige", "Trentin-Haut-Adige"),
        ("GB-WLS", "Wales", "Pays de Galles"),
        ("ES-VC", "Comunidad Valenciana", "Communauté valencienne"),
        ("FR-IDF", "Île-de-France", "Île-de-France"),
        ("US-TX", "Texas", "Texas"),
    ],
)
def test_regions_are_named_as_people_write_them(code: str, english: str, french: str):
    country, subdivision = code.split("-")
    place = Place(country, subdivision)
    assert place_name(place, "en").split(", ")[0] == english
    assert place_name(place, "fr").split(", ")[0] == french
    for lang in ("en", "fr"):
        assert not {"[", "]"} & set(place_name(place, lang))
        assert place_name(place, lang).count(", ") == 1  # the region, then its country
