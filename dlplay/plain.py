"""Text that a visitor or a file supplied, made safe to show inside our Markdown.

Streamlit renders notices, captions, labels and errors as GitHub-flavoured
Markdown (react-markdown with remark-gfm) with LaTeX (`$...$`), colour
directives (`:red[...]`) and emoji shortcodes (`:smile:`). A URL key, a file
name, a nickname or a model's layer name must show as the characters it is,
never as a link, a formula or markup. Three steps, each whole on its own:

- Control and format characters (newlines, right-to-left overrides, zero-width
  joiners) could break a line or disguise the text: each becomes a space or a
  visible "�", first, so that nothing the visitor sent can undo what follows.
- CommonMark lets a backslash escape every ASCII punctuation character:
  escaping all of them leaves no syntax to read.
- Autolinks are found in the text as read, after its escapes (GFM's "www.",
  "http://", "name@host", "mailto:", "xmpp:"; linkify-it's bare "evil.com",
  "//host"), so escapes cannot stop them. Each needs two characters side by
  side; a word joiner (U+2060: invisible, and neither a letter, a space nor
  punctuation to a renderer) goes between them: on both sides of every ":"
  and "@" (and the wide "＠", "﹫"), between "www" and a dot, between two
  slashes, and after a dot followed by a letter (a number keeps its "0.5").
"""

from __future__ import annotations

import re
import string
import unicodedata

SHORT = 60  # characters of a visitor's text inside one of our sentences
_ESCAPES = {ord(c): "\\" + c for c in string.punctuation}
JOINER = "\u2060"
_DOTS = ".\u3002\uff0e\uff61"  # ".", and the ideographic, full-width and half-width full stops IDNA reads as one
_AT_OR_COLON = re.compile("[:@\uff20\ufe6b]")
_JOINS = re.compile(rf"(?i)(?<=www)(?=[{_DOTS}])|(?<=/)(?=/)|(?<=[{_DOTS}])(?=[^\W\d_])")


def shorten(text: str, limit: int = SHORT) -> str:
    """`text` cut to `limit` characters, with "…" where it was cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def visible(text: str) -> str:
    """Whitespace runs become one space; other control and format characters become "�"."""
    out = []
    for c in text:
        if c.isspace():
            if not out or out[-1] != " ":
                out.append(" ")
        elif unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append("\ufffd")
        else:
            out.append(c)
    return "".join(out).strip()


def unlinkable(text: str) -> str:
    """`text` with a word joiner wherever a renderer could start or join a link (see the module's note)."""
    return _JOINS.sub(JOINER, _AT_OR_COLON.sub(lambda m: JOINER + m.group() + JOINER, text))


def plain(text: object, limit: int = SHORT) -> str:
    """`text` as Markdown that renders to exactly its characters (shortened, on one line), never a link."""
    return unlinkable(shorten(visible(str(text)), limit)).translate(_ESCAPES)
