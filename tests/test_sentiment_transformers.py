"""The optional transformers backend, on a tiny model the test builds itself (nothing is
downloaded)."""

from pathlib import Path

import pytest

from jauge.errors import ConfigError

WORDS = ["good", "bad", "flight", "crew", "late", "great", "awful", "merci", "vol", "retard"]


def tiny_model(folder: Path, biases: list[float], id2label: dict[int, str]) -> Path:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n")
    tokenizer = transformers.BertTokenizerFast(vocab_file=str(vocab), do_lower_case=True)
    config = transformers.BertConfig(
        vocab_size=5 + len(WORDS),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=3,
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
    )
    torch.manual_seed(0)
    model = transformers.BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor(biases))
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_a_local_model_gives_labels_in_jauges_terms(tmp_path: Path) -> None:
    from jauge.enrich.sentiment.transformers_backend import TransformersBackend

    # the model's classes come in another order than jauge's, and say so in id2label
    folder = tiny_model(tmp_path, [0.0, 8.0, 0.0], {0: "Positive", 1: "negative", 2: "neutral"})
    backend = TransformersBackend(str(folder))
    results = backend.analyse(["good flight, great crew", "vol en retard"], ["en", "fr"])
    assert [r.label for r in results] == ["negative", "negative"]
    assert all(r.score == pytest.approx(-1.0, abs=2e-3) for r in results), results
    assert backend.version.startswith("transformers:")
    assert backend.analyse(["awful"], ["en"]) == backend.analyse(["awful"], ["en"])


def test_label_names_it_cannot_map_are_refused(tmp_path: Path) -> None:
    from jauge.enrich.sentiment.transformers_backend import TransformersBackend

    folder = tiny_model(tmp_path, [0.0, 0.0, 0.0], {0: "joy", 1: "anger", 2: "fear"})
    with pytest.raises(ConfigError, match="'joy'"):
        TransformersBackend(str(folder))


def test_without_a_model_directory_the_user_is_told_what_to_set(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jauge.enrich.sentiment.transformers_backend import TransformersBackend

    monkeypatch.delenv("JAUGE_TRANSFORMERS_MODEL", raising=False)
    with pytest.raises(ConfigError, match="JAUGE_TRANSFORMERS_MODEL"):
        TransformersBackend()
