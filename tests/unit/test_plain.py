"""Visitor-supplied text renders as itself: checked with a real CommonMark renderer."""

import html

import pytest
from markdown_it import MarkdownIt

from dlplay.plain import plain, shorten, visible

HOSTILE = [
    "[Session expired - log in again](https://evil.example/login)",
    "**bold** _it_ `code` ~~gone~~",
    "$\\frac{1}{0}$ and $$x$$",
    ":red[alarm] :smile: :material/home:",
    "<script>alert(1)</script><b>x</b>",
    "# heading\n- item\n> quote",
    "javascript:alert(1)",
    "a\\*b\\\\c",
    "![img](http://x/y.png)",
    "<https://evil.example>",
    "1. one\n2) two",
    "| a | b |\n|---|---|",
    "x" * 10,
]


def rendered_text(markdown: str) -> str:
    """What CommonMark shows for `markdown`: the HTML of one paragraph, unwrapped."""
    out = MarkdownIt("commonmark").render(markdown).strip()
    assert out.startswith("<p>") and out.endswith("</p>"), out
    return out[3:-4]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_its_own_characters(text):
    assert rendered_text("Not understood: " + plain(text, limit=1000)).replace("\u2060", "") == \
        "Not understood: " + html.escape(visible(text), quote=False)


def test_the_renderer_would_have_made_markup_without_it():
    assert "<a href" in MarkdownIt("commonmark").render(HOSTILE[0])


def test_long_text_is_shortened_before_it_is_shown():
    shown = plain("k" * 100_000)
    assert len(shown) == 60 and shown.endswith("…")
    assert shorten("abc", 3) == "abc" and shorten("abcd", 3) == "ab…"


def test_line_breaks_and_invisible_characters_cannot_disguise_text():
    assert visible("a\n\n\tb") == "a b"
    assert visible("evil\u202etxt.exe") == "evil\ufffdtxt.exe"
    assert visible("zero\u200bwidth") == "zero\ufffdwidth"


def test_chinese_and_ordinary_words_are_untouched():
    assert plain("这家酒店很干净") == "这家酒店很干净"
    assert plain("my model") == "my model"


@pytest.mark.parametrize("text", ["see https://evil.example/login now", "mail me: a@evil.com", "HTTP://X.Y", "ftp://host/file"])
def test_bare_addresses_cannot_become_links(text):
    linkify = pytest.importorskip("linkify_it")
    shown = plain(text, limit=1000)
    assert not linkify.LinkifyIt().test(shown.replace("\\", ""))
    assert linkify.LinkifyIt().test(text)  # without plain() the same text would be a link
    assert shown.replace("\u2060", "").replace("\\", "") == text


def test_www_is_kept_apart_from_its_dot():
    # GFM links "www." followed by a domain; linkify-it would link any known domain, which GFM does not.
    assert "www." not in plain("go to www.evil.com").replace("\\", "")
    assert plain("go to www.evil.com").replace("\u2060", "").replace("\\", "") == "go to www.evil.com"
