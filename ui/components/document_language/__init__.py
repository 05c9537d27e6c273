"""The document's language: `<html lang>` said in the visitor's language, so that a screen reader reads a Chinese
page with a Chinese voice (Streamlit writes lang="en" on every page)."""

from __future__ import annotations

import streamlit as st

from ui.components import component

TAGS = {"en": "en", "zh": "zh-CN"}  # BCP 47, as screen readers pick a voice by it


def document_language(lang: str) -> None:
    with st.sidebar:
        component("document_language")(key="document_language", data={"lang": TAGS.get(lang, "en")})
