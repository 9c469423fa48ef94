"""Language and sentiment, measured against human labels (XLM-T validation splits)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sklearn.metrics import f1_score

from jauge.cli.main import cli
from jauge.enrich.language import detect
from jauge.enrich.sentiment import LABELS, backend_names, get_backend

XLMT = Path(__file__).parent / "data" / "xlmt-sentiment-fr-en"
LANGS = {"english": "en", "french": "fr"}


def validation(language: str) -> tuple[list[str], list[str]]:
    labels = [LABELS[int(x)] for x in (XLMT / language / "val_labels.txt").read_text().split()]
    texts = (XLMT / language / "val_text.txt").read_text("utf-8").split("\n")[: len(labels)]
    return texts, labels


@pytest.mark.parametrize("language", LANGS)
def test_language_of_real_tweets(language: str) -> None:
    texts, _ = validation(language)
    found = [detect(t)[0] for t in texts]
    assert sum(lang == LANGS[language] for lang in found) / len(found) > 0.95


def test_languages_beyond_french_and_english_and_undetermined() -> None:
    assert detect("¿Dónde está mi maleta? La aerolínea la perdió")[0] == "es"
    assert detect("Danke für nichts, der Flug war eine Katastrophe")[0] == "de"
    assert detect("شكرا جزيلا على الخدمة الممتازة")[0] == "ar"
    assert detect("ok")[0] == "und" and detect("http @user 123")[0] == "und"


# measured on the validation splits (see docs/sentiment-evaluation.md); floors, not targets
FLOORS = {("fast", "en"): 60.0, ("fast", "fr"): 60.0, ("vader", "en"): 55.0, ("vader", "fr"): 48.0}


@pytest.mark.parametrize("backend", ["fast", "vader"])
@pytest.mark.parametrize("language", LANGS)
def test_macro_f1_against_human_labels(backend: str, language: str) -> None:
    texts, gold = validation(language)
    code = LANGS[language]
    results = get_backend(backend).analyse(texts, [code] * len(texts))
    assert all(-1.0 <= r.score <= 1.0 and r.label in LABELS for r in results)
    f1 = 100 * f1_score(gold, [r.label for r in results], average="macro")
    assert f1 >= FLOORS[(backend, code)], f"{backend} {language}: {f1:.1f}"


def test_the_same_text_always_gets_the_same_answer() -> None:
    backend = get_backend("fast")
    texts = ["Vol annulé sans explication, service client injoignable", "Super équipage, merci !"]
    first = backend.analyse(texts, ["fr", "fr"])
    assert first == backend.analyse(texts, ["fr", "fr"])
    assert [r.label for r in first] == ["negative", "positive"]


def test_registry_lists_the_backends() -> None:
    assert {"fast", "vader"} <= set(backend_names())


def test_cli_prints_one_json_object_per_input_line(tmp_path: Path) -> None:
    texts, _ = validation("french")
    path = tmp_path / "in.txt"
    path.write_text("\n".join(texts[:25]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["sentiment", "--input", str(path), "--backend", "vader"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == texts[:25]
    assert all(set(r) == {"text", "lang", "label", "score"} for r in rows)
    one = CliRunner().invoke(cli, ["sentiment", "I love this airline, best crew ever!"])
    assert json.loads(one.stdout)["label"] == "positive" and json.loads(one.stdout)["lang"] == "en"


def test_cli_asks_for_text_or_input() -> None:
    result = CliRunner().invoke(cli, ["sentiment"])
    assert result.exit_code == 1 and "--input" in result.stdout
