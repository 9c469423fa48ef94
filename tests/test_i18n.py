"""Messages in English and French: every one has both, and the language is chosen as
documented (JAUGE_LANG, then the locale; the page's language on the dashboard)."""

from __future__ import annotations

import ast
import csv
import json
import string
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import jauge
from jauge import i18n
from jauge.cli.help_language import CLICK_MODULES, english_help, help_holders, parameters
from jauge.cli.main import cli
from jauge.metrics import labels
from jauge.metrics.spec import load_spec, spec_files

from .conftest import AIRLINE_TWEETS, ROOT

PACKAGE = ROOT / "jauge"


def marked_messages() -> dict[str, str]:
    """Every literal message wrapped in _() or N_() in the package -> where it is."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
            ):
                first = node.args[0]
                # _(name) shows a message marked with N_() where it was written
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.setdefault(first.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def help_texts() -> dict[str, str]:
    """Every help text of the CLI (docstrings, options, examples) -> its command."""
    return {
        text: "jauge --help"
        for holder, attribute in help_holders(cli)
        if (text := english_help(holder, attribute)) is not None
    }


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT])
def test_every_message_has_its_translation_with_the_same_placeholders(lang: str):
    texts = json.loads((PACKAGE / "locales" / f"{lang}.json").read_text("utf-8"))
    marked = {**marked_messages(), **help_texts()}
    assert len(marked) > 300
    missing = {m: where for m, where in marked.items() if m not in texts}
    assert not missing, f"messages without a {lang} text: {missing}"
    assert not set(texts) - set(marked), f"{lang} texts for messages the code no longer has"
    for english, translated in texts.items():
        assert translated.strip() and placeholders(translated) == placeholders(english), english


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"JAUGE_LANG": "fr"}, "fr"),
        ({"JAUGE_LANG": "", "LANG": "fr_FR.UTF-8"}, "fr"),
        ({"JAUGE_LANG": "", "LC_ALL": "fr_CA.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
        ({"JAUGE_LANG": "", "LC_MESSAGES": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"JAUGE_LANG": "en", "LC_ALL": "fr_FR.UTF-8"}, "en"),
        ({"JAUGE_LANG": "", "LANG": "C.UTF-8"}, "en"),
        ({"JAUGE_LANG": "de"}, "en"),
    ],
)
def test_the_language_comes_from_jauge_lang_then_the_locale(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert i18n.language() == expected
    with i18n.speaking("fr" if expected == "en" else "en"):
        assert i18n.language() != expected  # a context's language comes first


def test_the_cli_speaks_french_on_a_french_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = str(tmp_path / "s.duckdb")
    with jauge.open(db) as j:
        j.import_file(AIRLINE_TWEETS, "tweets-csv")
    monkeypatch.setenv("JAUGE_LANG", "")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    runner = CliRunner()
    stats = runner.invoke(cli, ["stats", "--db", db])
    assert stats.exit_code == 0
    assert "Entités" in stats.stdout and "Organisations" in stats.stdout
    refused = runner.invoke(cli, ["score", "--db", db, "--org", "Nobody Airlines"])
    assert refused.exit_code == 1
    assert refused.stderr.startswith("erreur : ")
    assert "Nobody Airlines" in refused.stderr
    score = runner.invoke(cli, ["score", "--db", db, "--org", "United"], env={"COLUMNS": "200"})
    assert score.exit_code == 0 and "Tonalité nette" in score.stdout
    assert "remarque : Échanges dans les deux sens : non mesurable" in score.stderr
    monkeypatch.setenv("JAUGE_LANG", "en")
    assert "Entities" in runner.invoke(cli, ["stats", "--db", db]).stdout


def test_row_errors_and_refusals_are_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with AIRLINE_TWEETS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    rows[3][header.index("retweet_count")] = "beaucoup"
    rows[4][header.index("tweet_created")] = "hier"
    broken = tmp_path / "broken.csv"
    with broken.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    monkeypatch.setenv("JAUGE_LANG", "fr")
    db = str(tmp_path / "s.duckdb")
    result = CliRunner().invoke(
        cli, ["import", str(broken), "--source", "tweets-csv", "--db", db, "--format", "json"]
    )
    assert result.exit_code == 1
    errors = json.loads(result.stdout)["errors"]
    assert [(e["line"], e["field"]) for e in errors] == [(4, "retweet_count"), (5, "tweet_created")]
    assert errors[0]["message"] == 'un nombre entier positif ou nul était attendu, reçu "beaucoup"'
    assert errors[1]["message"].startswith("une date et une heure au format ISO 8601")
    shown = CliRunner().invoke(cli, ["import", str(broken), "--source", "tweets-csv", "--db", db])
    text = " ".join(shown.stderr.split())  # as one line, whatever the terminal's width
    assert "2 erreurs dans" in text and "rien de ce fichier n'a été écrit" in text
    assert f"{broken}, ligne 4, champ 'retweet_count' : un nombre entier" in text
    # the history keeps them in English, for readers of either language
    with jauge.open(db) as j:
        kept = j.sql("SELECT errors FROM imports WHERE status = 'rejected'").to_pylist()
    messages = [e["message"] for row in kept for e in json.loads(row["errors"])]
    assert 'expected a whole number of 0 or more, got "beaucoup"' in messages
    missing = CliRunner().invoke(
        cli, ["import", "nowhere.csv", "--source", "posts-csv", "--db", db]
    )
    assert missing.exit_code == 1 and "fichier introuvable" in missing.stderr + missing.stdout


def test_kept_english_messages_are_shown_in_the_readers_language(tmp_path: Path):
    with jauge.open(tmp_path / "s.duckdb") as j:
        j.import_file(AIRLINE_TWEETS, "tweets-csv")
        warnings = j.score("United").warnings
    assert warnings and all(i18n.localised(w) == w for w in warnings)  # English by default
    with i18n.speaking("fr"):
        shown = [i18n.localised(w) for w in warnings]
    assert all(s != w for s, w in zip(shown, warnings, strict=True)), shown
    nested = (
        "two_way: not measurable (no own post in this window, so answers to others cannot be seen)"
    )
    assert nested in warnings
    assert shown[warnings.index(nested)] == (
        "two_way : non mesurable (aucune publication propre dans cette période : les réponses aux "
        "autres "
        "ne peuvent pas être vues)"
    )
    with i18n.speaking("fr"):
        assert i18n.localised("not a catalogued message") == "not a catalogued message"
    # people read the index's names as labels, in either language; the result keeps ids
    assert labels.note(nested) == (
        "Two-way exchanges: not measurable (no own post in this window, so answers to others "
        "cannot be seen)"
    )
    short = next(w for w in warnings if "insufficient data" in w)
    indicator = short.split(":")[0]
    unit = {i.name: i.unit for i in load_spec().indicators}[indicator]
    assert short == f"{indicator}: insufficient data (0 {unit}, at least 5 needed)"
    assert labels.note(short) == (
        f"{labels.label(indicator)}: insufficient data (0 {labels.label(unit)}, at least 5 needed)"
    )
    with i18n.speaking("fr"):
        # French counts zero in the singular: "0 publication qui indique des commentaires"
        assert labels.note(short) == (
            f"{labels.label(indicator)} : données insuffisantes "
            f"(0 {labels.counted(unit, 0)}, il en faut au moins 5)"
        )
        assert labels.counted(unit, 0) != labels.label(unit)
        listed = labels.note(
            "pillars without data: business_impact, qualified_attention; the index is "
            "computed on the others, their weights renormalised (no value is imputed)"
        )
        assert listed.startswith("piliers sans données : Impact business, Attention qualifiée ;")


def test_a_count_names_its_unit_in_the_singular_where_the_language_does():
    """English says "1 person", French "0 personne" and "1,5 visite" too; both say
    "2 people". The result keeps its English, with the unit's identifier."""
    said = {}
    for lang in ("en", "fr"):
        with i18n.speaking(lang):
            for n in (0, 1, 1.5, 2):
                warning = labels.INSUFFICIENT_DATA.format(
                    indicator="returning_engagers", n=f"{n:g}", unit="engagers", least="5"
                )
                said[lang, n] = labels.note(warning)
    assert said["en", 0] == (
        "Returning people: insufficient data (0 people who engaged, at least 5 needed)"
    )
    assert "(1 person who engaged," in said["en", 1]
    assert "(1.5 people who engaged," in said["en", 1.5]
    assert said["fr", 0] == (
        "Personnes qui reviennent : données insuffisantes (0 personne engagée, il en faut au "
        "moins 5)"
    )
    assert "(1 personne engagée," in said["fr", 1] and "(1,5 personne engagée," in said["fr", 1.5]
    assert "(2 personnes engagées," in said["fr", 2] and "(2 people who engaged," in said["en", 2]
    # every unit has both forms, in both languages
    assert set(labels.UNITS_ONE) == set(labels.UNITS)
    with i18n.speaking("fr"):
        for unit in labels.UNITS:
            assert labels.counted(unit, 1) != labels.UNITS_ONE[unit] or unit == "opinions"


@pytest.mark.parametrize("version", sorted(spec_files()))
def test_every_name_of_the_index_has_a_label_in_each_language(version: str):
    spec = load_spec(version)
    assert {p.name for p in spec.pillars} <= labels.PILLARS.keys()
    assert {i.name for i in spec.indicators} <= labels.INDICATORS.keys()
    assert {i.unit for i in spec.indicators} <= labels.UNITS.keys()
    english = [*labels.PILLARS.values(), *labels.INDICATORS.values(), *labels.UNITS.values()]
    with i18n.speaking("fr"):
        french = [labels.label(n) for n in (*labels.PILLARS, *labels.INDICATORS, *labels.UNITS)]
    same_in_both = {"Conversation", "Amplification", "Conversion"}
    assert {e for e, f in zip(english, french, strict=True) if e == f} <= same_in_both


def test_the_commands_help_follows_the_language(monkeypatch: pytest.MonkeyPatch):
    runner = CliRunner()
    monkeypatch.setenv("JAUGE_LANG", "fr")
    french = runner.invoke(cli, ["import", "--help"]).stdout
    assert "Importer des fichiers d'export ou des flux" in french
    assert "L'importateur qui lit les fichiers" in french and "Exemples :" in french
    monkeypatch.setenv("JAUGE_LANG", "en")
    english = runner.invoke(cli, ["import", "--help"]).stdout
    assert "Import export files or feeds" in english and "Examples:" in english
    assert "Importer" not in english


def test_clicks_own_words_follow_the_language_too(monkeypatch: pytest.MonkeyPatch):
    click_words = json.loads((PACKAGE / "locales" / "click.fr.json").read_text("utf-8"))
    sources = "".join(
        (Path(click.__file__).parent / f"{name}.py").read_text("utf-8") for name in CLICK_MODULES
    )
    for english, french in click_words.items():
        assert json.dumps(english) in sources, f"click no longer says {english!r}"
        assert placeholders(french) == placeholders(english), english
    runner = CliRunner()
    monkeypatch.setenv("JAUGE_LANG", "fr")
    refused = runner.invoke(cli, ["compare", "--by", "year"])
    assert refused.exit_code == 2
    assert "Erreur : Valeur invalide pour '--by' : 'year' n'est pas l'une" in refused.stderr
    assert "Afficher ce message et quitter." in runner.invoke(cli, ["stats", "--help"]).stdout
    monkeypatch.setenv("JAUGE_LANG", "en")
    assert "Error: Invalid value for '--by'" in runner.invoke(cli, ["compare", "--by", "x"]).stderr
    assert "Show this message and exit." in runner.invoke(cli, ["stats", "--help"]).stdout


def test_the_values_options_take_are_named_in_the_language(monkeypatch: pytest.MonkeyPatch):
    runner = CliRunner()
    monkeypatch.setenv("JAUGE_LANG", "fr")
    french = runner.invoke(cli, ["import", "--help"]).stdout
    assert "import [OPTIONS] CHEMIN..." in french
    for option in ("--account IDENTIFIANT", "--year ENTIER", "--map COLONNE=CHAMP", "--db CHEMIN"):
        assert option in french, option
    # as the help beside it says them
    assert "Lire COLONNE comme CHAMP" in french
    assert "--limit ENTIER " in runner.invoke(cli, ["people", "--help"]).stdout
    assert "[OPTIONS] COMMANDE [ARGS]..." in runner.invoke(cli, ["connect", "--help"]).stdout
    assert "[TEXTE]" in runner.invoke(cli, ["sentiment", "--help"]).stdout
    monkeypatch.setenv("JAUGE_LANG", "en")
    english = runner.invoke(cli, ["import", "--help"]).stdout
    assert "import [OPTIONS] PATH..." in english
    assert "--account HANDLE" in english and "--map COLUMN=FIELD" in english
    assert "--limit INTEGER RANGE" in runner.invoke(cli, ["people", "--help"]).stdout
    assert "[OPTIONS] COMMAND [ARGS]..." in runner.invoke(cli, ["connect", "--help"]).stdout


def test_the_facts_click_adds_to_an_option_are_separated_the_french_way(
    monkeypatch: pytest.MonkeyPatch,
):
    runner = CliRunner()
    monkeypatch.setenv("JAUGE_LANG", "fr")
    assert "[par défaut : 20 ; x>=1]" in runner.invoke(cli, ["people", "--help"]).stdout
    monkeypatch.setenv("JAUGE_LANG", "en")
    assert "[default: 20; x>=1]" in runner.invoke(cli, ["people", "--help"]).stdout


def test_every_word_for_a_value_is_one_the_cli_uses():
    words = json.loads((PACKAGE / "locales" / "metavars.fr.json").read_text("utf-8"))
    used = {"COMMAND"}  # click's groups: COMMAND [ARGS]...
    for param in parameters(cli):
        kept = param.__dict__.get("_jauge_english_help", {}).get("metavar", param.metavar)
        shown = kept or (param.name or "").upper()
        used |= {shown, *shown.replace("=", " ").replace("[", " ").replace("]", " ").split()}
        used.add(param.type.name.upper())
    assert set(words) - used == set(), "words for values no option takes any more"


def test_no_function_hides_the_translation_function():
    """A function that binds `_` (a throwaway variable) makes every `_()` in it fail."""
    scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
    comprehensions = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
    hiding = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for function in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            binds = calls = False
            pending = list(ast.iter_child_nodes(function))
            while pending:  # the function's own scope only
                node = pending.pop()
                if isinstance(node, scopes + comprehensions):
                    continue
                if isinstance(node, ast.Name) and node.id == "_":
                    binds = binds or isinstance(node.ctx, ast.Store)
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
                    calls = True
                pending.extend(ast.iter_child_nodes(node))
            if binds and calls:
                hiding.append(f"{path.relative_to(ROOT)}:{function.lineno}")
    assert not hiding, hiding


def test_an_interface_words_the_messages_that_name_a_cli_option_its_own_way():
    message = "this file has no platform column: pass --platform (e.g. --platform x)"
    kept = "read as {source}, the source its content fits (--source chooses)"
    web = {
        message: {"en": "fill in platform", "fr": "remplissez platform"},
        kept: {"en": "read as {source} (field source)", "fr": "lu comme {source} (champ source)"},
    }
    assert i18n._(message) == message and i18n.localised(kept) == kept  # the CLI's words
    with i18n.worded(web):
        assert i18n._(message) == "fill in platform"
        assert i18n.localised(kept.format(source="rss")) == "read as rss (field source)"
        with i18n.speaking("fr"):
            assert i18n._(message) == "remplissez platform"
            assert i18n.localised(kept.format(source="rss")) == "lu comme rss (champ source)"
    with i18n.speaking("fr"):
        french = i18n._(message)
        assert french.startswith("ce fichier") and "--platform" in french
        # a message made in French is shown as it is, not read as an English one
        assert i18n.localised(french) == french


def test_numbers_are_written_as_each_language_writes_them() -> None:
    from jauge.i18n import number, speaking

    assert number(12500.5, ",.1f", "en") == "12,500.5"
    assert number(40.52, lang="fr") == "40,5" and number(-3.14159, "+.2f", "fr") == "-3,14"
    assert number(12500.5, ",.1f", "fr") == "12\u202f500,5"
    assert number(None) == "—"
    with speaking("fr"):
        assert number(0.25, "g") == "0,25"


def test_code_spans_set_commands_as_code_and_escape_the_rest() -> None:
    """Pages and reports show a message's `command` as code; everything else in the
    message stays text, escaped (a message may quote what a user typed)."""
    shown = i18n.code_spans("<b>x</b> needs `jauge org add --alias 'A&B'` & more")
    assert str(shown) == (
        "&lt;b&gt;x&lt;/b&gt; needs <code>jauge org add --alias &#39;A&amp;B&#39;</code> &amp; more"
    )
