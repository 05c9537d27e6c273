"""Text that a visitor or a file supplied, made safe to show inside our Markdown.

Streamlit renders notices, captions and errors as Markdown with LaTeX (`$...$`),
colour directives (`:red[...]`) and emoji shortcodes. A URL key, a file name or
a model's layer name must show as the characters it is, never as a link, a
formula or markup. CommonMark lets a backslash escape every ASCII punctuation
character, so escaping all of them leaves nothing to interpret. Control and
format characters (newlines, right-to-left overrides, zero-width joiners) could
break a line or disguise the text; each becomes a visible "�" or a space.
"""

from __future__ import annotations

import re
import string
import unicodedata

SHORT = 60  # characters of a visitor's text inside one of our sentences
_ESCAPES = {ord(c): "\\" + c for c in string.punctuation}
# Streamlit's Markdown also turns bare addresses into links (GFM autolinks:
# "https://…", "www.…", "name@host"), escapes or not. A word joiner (U+2060),
# invisible, breaks each such pattern apart.
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9+.-]:)(?=//)|(?<=\bwww)(?=\.)|(?<=\w)(?=@)")


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


def plain(text: object, limit: int = SHORT) -> str:
    """`text` as Markdown that renders to exactly its characters (shortened, on one line), never a link."""
    return _AUTOLINK.sub(_JOINER, shorten(visible(str(text)), limit)).translate(_ESCAPES)
