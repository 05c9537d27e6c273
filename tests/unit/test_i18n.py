"""The catalogues: every key in both languages, every key used, the placeholders in step."""

import ast
import re
import string
from pathlib import Path

import pytest

from dlplay import i18n

ROOT = Path(__file__).resolve().parents[2]
KEY_PREFIX = re.compile(r"[a-z_]+(\.[a-z_0-9]+)*\.?")
SOURCES = [ROOT / "app.py", *(ROOT / "ui").rglob("*.py"), *(ROOT / "pages").glob("*.py"),
           *(p for p in (ROOT / "dlplay").rglob("*.py") if "locales" not in p.parts)]


def strings_in_sources() -> tuple[set[str], set[str]]:
    """(every string constant, every prefix a key is built from: 'text.label.' in t(f"text.label.{x}"))."""
    constants, prefixes = set(), set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
                if node.value.endswith("."):
                    prefixes.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                head = node.values[0].value
                if isinstance(head, str) and "." in head:
                    prefixes.add(head)
    return constants, {p for p in prefixes if KEY_PREFIX.fullmatch(p)}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_the_same_keys():
    en, zh = set(i18n.CATALOGUES["en"]), set(i18n.CATALOGUES["zh"])
    assert sorted(en - zh) == [] and sorted(zh - en) == []


def placeholder_mismatches() -> list[tuple[str, list[str], list[str]]]:
    """(key, English placeholders, Chinese placeholders) for every key whose two templates differ.

    A key missing from the Chinese catalogue counts as a mismatch too (it used to raise KeyError).
    """
    en, zh = i18n.CATALOGUES["en"], i18n.CATALOGUES["zh"]
    offenders = []
    for key in sorted(en):
        theirs = placeholders(zh[key]) if key in zh else None
        if theirs != placeholders(en[key]):
            offenders.append((key, sorted(placeholders(en[key])), sorted(theirs or {"<missing>"})))
    return offenders


def test_placeholders_match_across_languages():
    offenders = placeholder_mismatches()
    assert offenders == []


def test_the_placeholder_check_sees_a_mismatch(monkeypatch):
    key = min(i18n.CATALOGUES["en"])
    monkeypatch.setitem(i18n.CATALOGUES["zh"], key, i18n.CATALOGUES["zh"][key] + " {unexpected}")
    assert [row[0] for row in placeholder_mismatches()] == [key]


def test_every_key_is_used():
    constants, prefixes = strings_in_sources()
    # A page's title and intro are read by ui.lesson(prefix) as f"{prefix}.title".
    lessons = {c for c in constants if f"{c}.title" in i18n.CATALOGUES["en"]}
    built = {f"{lesson}.{part}" for lesson in lessons for part in ("title", "intro")}
    unused = [key for key in i18n.CATALOGUES["en"]
              if key not in constants and key not in built and not any(key.startswith(p) for p in prefixes)]
    assert unused == []


def test_the_usage_check_sees_an_unused_key(monkeypatch):
    monkeypatch.setitem(i18n.CATALOGUES["en"], "xor.nothing_uses_this", "x")
    with pytest.raises(AssertionError):
        test_every_key_is_used()


def test_a_missing_key_falls_back_to_english_then_to_the_key():
    assert i18n.text("zh", "app.language") == "语言"
    assert i18n.text("fr", "app.language") == "Language"
    assert i18n.text("zh", "no.such.key") == "no.such.key"
