"""A reading of a sentence in the visitor's words: the label and how sure, or "unsure" in the band around 0.5."""

from __future__ import annotations

from dlplay import i18n
from dlplay.text.numpy_net import TextPrediction, unsure


def verdict(reading: TextPrediction, lang: str) -> str:
    """"positive · 92%": the label in the visitor's language and how sure the model is of it;
    "unsure · P(positive) 50%" inside the band around 0.5, where a label would claim more than the model knows."""
    if unsure(reading.probability):
        return i18n.text(lang, "text.unsure", p=reading.probability)
    return f"{i18n.text(lang, 'text.label.' + reading.label)} · {reading.confidence:.0%}"
