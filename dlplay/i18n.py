"""User-visible text: one catalogue per language (dlplay/locales/<lang>.py).

A translator edits one file. `text(lang, key, **values)` looks a key up and
fills in its {placeholders}; a key missing from a catalogue falls back to
English rather than breaking a page (a test keeps the catalogues in step).
"""

from __future__ import annotations

from dlplay.locales import en, zh

LANGUAGES = ("en", "zh")
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
CATALOGUES = {"en": en.TEXT, "zh": zh.TEXT}


def language_from_locale(locale: str | None) -> str:
    """'zh-CN', 'zh_TW', 'zh' -> 'zh'; anything else (or nothing) -> 'en'."""
    if locale and locale.replace("_", "-").split("-")[0].lower() == "zh":
        return "zh"
    return "en"


def text(lang: str, key: str, /, **values) -> str:
    catalogue = CATALOGUES.get(lang, en.TEXT)
    template = catalogue.get(key, en.TEXT.get(key, key))
    return template.format(**values) if values else template
