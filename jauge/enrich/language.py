"""Language identification, offline: py3langid's bundled model, limited to the languages
jauge reports, with ``und`` when the text is too short or the model unsure."""

from __future__ import annotations

from functools import cache
from typing import Any

LANGUAGES = ("fr", "en", "es", "de", "it", "pt", "ar", "nl")
UNDETERMINED = "und"
#: below this probability (normalised over LANGUAGES) the answer is ``und``
MIN_CONFIDENCE = 0.5
MIN_LETTERS = 3


@cache
def _identifier() -> Any:
    import py3langid.langid as langid

    identifier = langid.LanguageIdentifier.from_modelpath(
        langid.MODEL_DIR / langid.MODEL_FILE, norm_probs=True
    )
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect(text: str) -> tuple[str, float]:
    """(language code, confidence) of ``text``; ``und`` when unsure."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        return UNDETERMINED, 0.0
    lang, confidence = _identifier().classify(text)
    if confidence < MIN_CONFIDENCE:
        return UNDETERMINED, float(confidence)
    return str(lang), float(confidence)
