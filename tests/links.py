"""What Markdown renderers make of a text: the links they find, and the characters they show.

Streamlit renders Markdown with react-markdown and remark-gfm. Three references:
- cmark-gfm with its autolink extension (cmarkgfm), GFM's own renderer: links
  found in the source as it is parsed;
- remark-gfm's second pass (mdast-util-gfm-autolink-literal): it looks for
  "www.", "http(s)://" and "name@host" again in the text as read, after the
  escapes, after any punctuation; its rules are written out below;
- markdown-it-py with linkify-it, which links more ("evil.com", "//host").
A text is link-safe when none of them finds a link in it.
"""

from __future__ import annotations

import html
import re
import unicodedata

import cmarkgfm
from markdown_it import MarkdownIt

from dlplay.plain import JOINER

_LINKIFY = MarkdownIt("gfm-like", {"linkify": True})  # linkify-it-py does the finding
_LINK = re.compile(r"<(?:a|img)\s[^>]*(?:href|src)=\"([^\"]*)\"")
# remark-gfm's pass over text, as JavaScript reads these (\w is ASCII there).
_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE | re.ASCII)
_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)", re.ASCII)


def gfm(markdown: str) -> str:
    """The HTML GitHub's own renderer makes of `markdown` (tables, strikethrough, autolinks)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


def _starts_a_word(text: str, at: int, email: bool = False) -> bool:
    """remark-gfm's test of the character before a link: none, a space, or punctuation or a symbol (not "/" before
    an address)."""
    if at == 0:
        return True
    before = text[at - 1]
    return (before.isspace() or unicodedata.category(before)[0] in "PS") and not (email and before == "/")


def _domain_ok(domain: str) -> bool:
    parts = domain.split(".")
    return len(parts) >= 2 and all(not p or ("_" not in p and re.search("[A-Za-z0-9]", p)) for p in parts[-2:])


def remark_text_links(text: str) -> list[str]:
    """The links remark-gfm's pass over text finds in `text` (a text node's characters, escapes already read).
    A match it turns down is tried again one character on, as its find-and-replace does."""
    found = []
    for pattern in (_URL, _EMAIL):
        at = 0
        while (m := pattern.search(text, at)) is not None:
            if pattern is _URL:
                domain = m[2] if not m[1].lower().startswith("w") else m[1] + m[2]
                ok = _starts_a_word(text, m.start()) and _domain_ok(domain)
            else:
                ok = _starts_a_word(text, m.start(), email=True) and not re.search(r"[-\d_]$", m[2])
            if ok:
                found.append(m[0])
            at = m.end() if ok else m.start() + 1
    return found


def links_in(markdown: str) -> list[str]:
    """Every link or image address any of the three references makes of `markdown`."""
    rendered = gfm(markdown)
    text = html.unescape(re.sub(r"<[^>]*>", " ", rendered))
    return _LINK.findall(rendered) + remark_text_links(text) + _LINK.findall(_LINKIFY.render(markdown))


def shown(markdown: str) -> str:
    """The characters GFM shows for one paragraph of `markdown`, word joiners left out; AssertionError for markup."""
    out = gfm(markdown).strip()
    assert out.startswith("<p>") and out.endswith("</p>"), out
    inner = out[3:-4]
    assert "<" not in inner, out  # a tag: bold, a link, a line break...
    return html.unescape(inner).replace(JOINER, "")
