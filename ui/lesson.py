"""What every lesson page does first, and the tutorial's sections with the page that teaches each."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dlplay import url_state
from ui.language import t
from ui.presentation import page_intro, presenting
from ui.server import page_setup
from ui.state import PageState
from ui.student import class_invitation

# The tutorial's sections and the page that teaches each: (section text key, page key, file, URL path, icon).
LESSONS = [
    ("home.section.1", "activations", "pages/activations.py", "activations", "🧠"),
    ("home.section.2", "xor", "pages/xor.py", "xor", "🔁"),
    ("home.section.3.1", "digits", "pages/digits.py", "digits", "✍️"),
    ("home.section.3.1b", "digits_training", "pages/digits_training.py", "digits-training", "🏋️"),
    ("home.section.3.2", "text", "pages/text.py", "text", "💬"),
]



def lesson(prefix: str, params: Sequence[url_state.Param] = (), read=None, write=None,
           badge: bool = True) -> PageState:
    """What every lesson page does first: run inside app.py, the title and intro
    (catalogue keys `<prefix>.title`, `<prefix>.intro`), a place for notices, and
    the page's URL settings. The page ends with `settings.publish()` and its code panel.
    `badge` False: in a class, the page puts the class's badge itself (`ui.class_badge`), lower down."""
    page_setup()
    state = PageState(prefix, params, read=read, write=write)
    # In presentation mode the folded intro sits beside the title: one row less above the lesson.
    title, beside = st.columns([3, 2], vertical_alignment="center") if presenting() else (st.container(), None)
    title.title(t(f"{prefix}.title"))
    with beside or st.container():
        page_intro(t(f"{prefix}.intro"))
    state.notices = st.container()
    with state.notices:  # inside, so the page's own elements (and fragments) keep their places in a class
        class_invitation(prefix, badge)  # a class link's join form, or the class's badge; nothing outside a class
    return state
