"""The document's language: `<html lang>` said in the visitor's language, so that a screen reader reads a Chinese
page with a Chinese voice (Streamlit writes lang="en" on every page), and Streamlit's own English (its upload box,
"Press Enter to apply", help and toolbar labels) said in the page's language."""

from __future__ import annotations

import functools
import re
import string

import streamlit as st

from dlplay import i18n
from ui.components import component

TAGS = {"en": "en", "zh": "zh-CN"}  # BCP 47, as screen readers pick a voice by it
# Streamlit's own strings, English first as its JavaScript writes them; {names} stand for what it fills in.
CHROME = "app.chrome."
# A toolbar button's label may carry its element's name ("Fullscreen: Tokens").
TOOLBAR = "app.chrome.toolbar."
JS_SPECIAL = re.compile(r"[.*+?^${}()|[\]\\/]")


def document_language(lang: str) -> None:
    data = {"lang": TAGS.get(lang, "en"), "chrome": chrome_rules(lang) if lang != "en" else None}
    with st.sidebar:
        component("document_language")(key="document_language", data=data)


@functools.cache
def chrome_rules(lang: str) -> list[list[str]]:
    """[a JavaScript pattern matching one of Streamlit's strings whole, its translation] for every app.chrome. key,
    the translation's {names} written $1, $2... as JavaScript's String.replace takes them."""
    rules = []
    for key, english in i18n.CATALOGUES["en"].items():
        if key.startswith(CHROME):
            rules.append(_rule(english, i18n.text(lang, key)))
            if key.startswith(TOOLBAR):
                rules.append(_rule(english + ": {element}", i18n.text(lang, key) + "：{element}"))
    return rules


def _rule(english: str, translated: str) -> list[str]:
    names, pattern = [], ""
    for literal, name, _, _ in string.Formatter().parse(english):
        pattern += JS_SPECIAL.sub(r"\\\g<0>", literal)
        if name is not None:
            names.append(name)
            pattern += "(.+?)"
    replacement = ""
    for literal, name, _, _ in string.Formatter().parse(translated):
        replacement += literal.replace("$", "$$")
        if name is not None:
            replacement += f"${names.index(name) + 1}"
    return [f"^{pattern}$", replacement]
