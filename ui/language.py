"""The visitor's language: the sidebar's switch, `?lang=` in the link, and the catalogue's text in it."""

from __future__ import annotations

import streamlit as st

from dlplay import i18n
from ui.components.document_language import document_language

LANG_KEY = "lang"  # the URL query key
CHOSEN_LANG_KEY = "_lang"
SWITCH_KEY = "lang_switch"
URL_LANG_KEY = "_lang_in_url"


def language_switch() -> str:
    """The sidebar's language switch, kept in step with `?lang=`.

    Precedence: `?lang=` in the URL when it arrives or changes, then the
    switch, then the browser's language for a first visit. The choice lives in
    the session under its own key (a widget's state is dropped when Streamlit
    changes page) and is written back to the URL, so a copied link opens in
    the same language.
    """
    arrived = st.query_params.get(LANG_KEY)
    if arrived in i18n.LANGUAGES and arrived != st.session_state.get(URL_LANG_KEY):
        st.session_state[CHOSEN_LANG_KEY] = arrived
    lang = st.session_state.get(CHOSEN_LANG_KEY) or i18n.language_from_locale(st.context.locale)
    st.session_state[CHOSEN_LANG_KEY] = st.session_state[SWITCH_KEY] = lang
    st.sidebar.segmented_control(
        i18n.text("en", "app.language") + " · " + i18n.text("zh", "app.language"), i18n.LANGUAGES, required=True,
        format_func=i18n.LANGUAGE_NAMES.get,
        key=SWITCH_KEY, on_change=_language_chosen,
    )
    st.query_params[LANG_KEY] = st.session_state[URL_LANG_KEY] = lang
    document_language(lang)
    return lang


def _language_chosen() -> None:
    if st.session_state.get(SWITCH_KEY) in i18n.LANGUAGES:
        st.session_state[CHOSEN_LANG_KEY] = st.session_state[SWITCH_KEY]


def lang() -> str:
    return st.session_state.get(CHOSEN_LANG_KEY) or i18n.language_from_locale(st.context.locale)


def t(key: str, /, **values) -> str:
    return i18n.text(lang(), key, **values)


def labels(prefix: str, keys) -> callable:
    """A format_func for choices: each key's text in the visitor's language, looked up now.

    (AppTest calls format_func outside the script run, where the session's
    language cannot be read, so the texts are fixed when the widget is made.)
    """
    return {key: t(f"{prefix}{key}") for key in keys}.get
