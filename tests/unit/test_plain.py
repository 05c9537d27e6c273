"""Visitor-supplied text renders as itself, never as markup or a link: checked with real renderers (tests/links.py:
GFM's reference, cmark-gfm, and linkify-it through markdown-it-py)."""

import pytest

from dlplay.plain import JOINER, plain, shorten, visible
from tests.links import gfm, links_in, remark_text_links, shown

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
    "- [ ] task",
    "x" * 10,
]

# The link filter's bypasses as issue 27 found them: a key, a value, a nickname, a data file and a model file.
REPORTED = ["_www.evil.example/login=1", "support.team.@evil.example", "-@evil.example", "_www.evil.example.npz",
            "x -@evil.example.keras"]
# Their kin: every way a renderer starts a link, after every character GFM lets one follow.
PREFIXES = ("", "_", "*", "~", "(", "[", '"', "'", "see ")
EMAILS = [f"{name}{end}@evil.example" for name in ("", "a", "support.team") for end in ("", "-", ".", "+", "_")
          if name or end]
ADDRESSES = [  # each a link as typed, to GFM or to linkify-it
    "www.evil.example/login", "www.evil.example-", "https://evil.example/login", "HTTP://EVIL.EXAMPLE",
    "hTtPs://evil.example", "ftp://evil.example/f", "evil.com/login", "//evil.com/x", "mailto:a@evil.example",
    "MAILTO:a@evil.example", "xmpp:a@evil.example/chat", "www.例子.example", "http://例子.测试",
    "https://xn--80ak6aa92e.com", "пример.рф", "<https://evil.example>", "[log in](https://evil.example)",
    "![x](https://evil.example/x.png)", *EMAILS,
]
LOOKALIKES = [  # no link to either reference, but a renderer that reads them loosely would link them
    "WWW.Evil.Example", "javascript:alert(1)", "www。evil。example", "www．evil．example", "a＠evil.example",
    "a﹫evil.example", "w\u200bww.evil.example", "a\u200b@evil.example", "ht\u200btps://evil.example",
]
KIN = [prefix + address for prefix in PREFIXES for address in ADDRESSES + LOOKALIKES]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_its_own_characters(text):
    assert shown("Not understood: " + plain(text, limit=1000)) == "Not understood: " + visible(text)


def test_the_renderer_would_have_made_markup_without_it():
    assert "<a href" in gfm(HOSTILE[0]) and "<strong>" in gfm(HOSTILE[1])


@pytest.mark.parametrize("text", REPORTED)
def test_the_reported_bypasses_no_longer_make_a_link(text):
    assert links_in(text)  # GFM links each as it is
    assert links_in("Not understood: " + plain(text)) == []
    assert shown(plain(text)) == text


@pytest.mark.parametrize("text", KIN)
def test_no_kin_of_a_link_becomes_one_and_each_shows_as_typed(text):
    markdown = "Not understood: " + plain(text, limit=1000)
    assert links_in(markdown) == []
    assert links_in(f"**{plain(text, limit=1000)}**") == []  # the poll's question, in bold
    assert shown(markdown) == "Not understood: " + visible(text)


def test_the_kin_are_links_as_typed():
    assert [address for address in ADDRESSES if not links_in(address)] == []
    assert len(KIN) >= 300


def test_long_text_is_shortened_before_it_is_shown():
    shown_text = plain("k" * 100_000)
    assert len(shown_text) == 60 and shown_text.endswith("…")
    assert shorten("abc", 3) == "abc" and shorten("abcd", 3) == "ab…"


def test_line_breaks_and_invisible_characters_cannot_disguise_text():
    assert visible("a\n\n\tb") == "a b"
    assert visible("evil\u202etxt.exe") == "evil\ufffdtxt.exe"
    assert visible("zero\u200bwidth") == "zero\ufffdwidth"
    assert visible("half \ud800 a character") == "half \ufffd a character"
    assert plain("a\u2060@evil.example").startswith("a\ufffd" + JOINER)  # a joiner sent cannot stand in for ours


def test_chinese_and_ordinary_words_are_untouched():
    assert plain("这家酒店很干净：好！") == "这家酒店很干净：好！"
    assert plain("my model") == "my model"


def test_remark_gfm_links_what_escapes_hid_from_the_parser():
    # Why escaping alone let "_www." through: cmark-gfm parses "\_www\.evil" as no link, remark-gfm's pass over
    # the text it reads ("_www.evil") makes one.
    escaped = "\\_www\\.evil\\.example\\/login"
    assert "<a" not in gfm(escaped)
    assert remark_text_links(shown(escaped)) == ["www.evil.example/login"]
    assert remark_text_links("support.team.@evil.example x-@y.example") == [
        "support.team.@evil.example", "x-@y.example"]
    assert remark_text_links("a/b@evil.example wwwx.evil.example 1@evil.example_") == []
