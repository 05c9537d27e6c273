"""The text page's settings in the URL: the sentence, its language and the recurrent cell.

``?lang=`` is the page's own language (English or 中文 text on screen), so the
language of the sentence is ``text_lang``.
"""

from __future__ import annotations

from collections.abc import Mapping

from dlplay import url_state
from dlplay.text.numpy_net import CELLS
from dlplay.text.tokens import LANGS
from dlplay.url_state import Param

BEST = "best"  # the cell with the best validation accuracy for the sentence's language
AUTO = "auto"  # the sentence's language detected from its characters
CELL_CHOICES = (BEST, *CELLS)
LANG_CHOICES = (AUTO, *LANGS)
PARAMS = [
    Param("text", "", high=5000, kind="text"),
    Param("text_lang", AUTO, choices=LANG_CHOICES, kind="choice"),
    Param("cell", BEST, choices=CELL_CHOICES, kind="choice"),
]


def read(query: Mapping[str, str], example: str) -> tuple[dict, list[tuple[str, str]]]:
    """Settings from a link, as ``url_state.read``; a link without a sentence
    starts from ``example`` (one in the visitor's language), so a first visit
    shows the model at work."""
    values, problems = url_state.read(PARAMS, query)
    if "text" not in query:
        values["text"] = example
    return values, problems


def cell_of(choice: str) -> str | None:
    """The cell to load for a choice: ``None`` (the language's best) for "best"."""
    return None if choice == BEST else choice
