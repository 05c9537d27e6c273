"""Streamlit's own English (its upload box, "Press Enter to apply", help and toolbar labels, the skip link) said in
Chinese on a 中文 page, as Chromium shows it, and left as it is on an English page (ui.components.document_language).

Read from every text node of the page and every aria-label, title and placeholder, hidden ones too: none is one of
Streamlit's English strings (the catalogue's app.chrome. keys, as the component matches them), and the Chinese
the page is expected to show is there.
"""

from __future__ import annotations

import re

import pytest

from dlplay import i18n
from ui.components.document_language import chrome_rules

from .helpers import wait_for_app

pytestmark = pytest.mark.slow

ENGLISH = [re.compile(pattern) for pattern, _ in chrome_rules("zh")]
# Every text of the page and every attribute a screen reader or a tooltip says.
STRINGS = """() => {
  const strings = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, element = node.parentElement;
    if (element && !element.closest('script, style, noscript')) strings.push(node.nodeValue.trim());
  }
  for (const element of document.body.querySelectorAll('[aria-label], [title], [placeholder]'))
    for (const name of ['aria-label', 'title', 'placeholder'])
      if (element.hasAttribute(name)) strings.push(element.getAttribute(name).trim());
  return strings.filter(Boolean);
}"""
# Whether each [head, tail] is said: a string equal to head (tail null), or one that is head + something + tail.
SAID = """(expected) => {
  const strings = (""" + STRINGS + """)();
  return expected.every(([head, tail]) => strings.some(s => tail === null ? s === head
    : s.length > head.length + tail.length && s.startsWith(head) && s.endsWith(tail)));
}"""
TOOLBAR = ["toolbar.download_csv", "toolbar.search", "toolbar.fullscreen", "toolbar.columns"]
PAGE_CHROME = ["skip", "sidebar", "sidebar_collapse", "pages", "heading_link", "help_for"]
# A page, the text box to type into (its Enter hint shows once it holds text), and what its chrome says.
PAGES = [
    ("digits-training", None, ["upload", "per_file", "file_input", *TOOLBAR, *PAGE_CHROME]),
    ("class", "classroom.join_code", ["enter_submit", *PAGE_CHROME]),
    ("activations", "activations.softmax.logits", ["enter_apply", *PAGE_CHROME]),
    ("text", "text.tutorial.new", ["keys_apply", "toolbar.add_row", *TOOLBAR, *PAGE_CHROME]),
]


def expected(lang: str, keys: list[str]) -> list[list[str | None]]:
    """Each key's text in `lang` as [head, tail]: the text and None, or the parts around its {placeholder}."""
    said = []
    for key in keys:
        parts = re.split(r"\{\w+\}", i18n.text(lang, f"app.chrome.{key}"), maxsplit=1)
        said.append([parts[0], None] if len(parts) == 1 else parts)
    return said


def strings(page) -> list[str]:
    return page.evaluate(STRINGS)


def english_left(page) -> list[str]:
    return sorted({s for s in strings(page) if any(pattern.match(s) for pattern in ENGLISH)})


def open_page(people, url: str):
    page = people.page()
    page.goto(url)
    wait_for_app(page)
    return page


@pytest.mark.parametrize(("path", "box", "keys"), PAGES, ids=[path for path, _, _ in PAGES])
def test_streamlits_own_english_is_said_in_chinese(people, served, path, box, keys):
    page = open_page(people, f"{served}/{path}?lang=zh")
    try:
        if box:
            field = page.get_by_label(i18n.text("zh", box), exact=True)
            field.fill("ab")
            page.locator("[data-testid=InputInstructions]").first.wait_for()
        page.wait_for_function(SAID, arg=expected("zh", keys))
        assert english_left(page) == []
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
    finally:
        page.close()


def test_the_english_page_is_left_as_streamlit_wrote_it_and_comes_back_after_chinese(people, served):
    """On an English page Streamlit's strings are its own; switched to 中文 they are Chinese, switched back English
    again (React keeps a text it believes unchanged, so the component puts back what it rewrote)."""
    keys = ["upload", "per_file", "skip", "help_for", "toolbar.download_csv"]
    page = open_page(people, f"{served}/digits-training?lang=en")
    try:
        page.wait_for_function(SAID, arg=expected("en", keys))
        assert not page.evaluate(SAID, expected("zh", ["upload"])) and not page.evaluate(SAID, expected("zh", ["skip"]))
        page.get_by_role("radio", name=i18n.LANGUAGE_NAMES["zh"]).click()
        page.wait_for_function(SAID, arg=expected("zh", keys))
        assert english_left(page) == []
        page.get_by_role("radio", name=i18n.LANGUAGE_NAMES["en"]).click()
        page.wait_for_function(SAID, arg=expected("en", keys))
        wait_for_app(page)
        assert page.evaluate("document.documentElement.lang") == "en"
        assert not page.evaluate(SAID, expected("zh", ["upload"])) and not page.evaluate(SAID, expected("zh", ["skip"]))
    finally:
        page.close()
