"""Presentation mode for a projector (`?present=1`), the page's CSS, and what it folds away."""

from __future__ import annotations

import streamlit as st

from ui.language import t

PRESENT_KEY = "present"  # the URL query key: ?present=1 for a projector
# Keys of containers whose order a phone changes (STYLE): columns whose last (a chart) comes first; a block whose
# AFTER_ON_PHONE part (settings, formulas) comes after the rest (what they change: Play, the view, the chart).
CHART_FIRST, VIEW_FIRST, AFTER_ON_PHONE = "chart_first_", "view_first_", "after_on_phone"
# Keys of containers whose columns are never narrower than 262 px (a slider of 250 px a finger can use, a row of
# buttons on one line): where three do not fit (a tablet, a laptop beside the sidebar) they wrap, two or one a row.
WRAP_NARROW = "wrap_narrow_"
CHOSEN_PRESENT_KEY, PRESENT_SWITCH_KEY, URL_PRESENT_KEY = "_present", "present_switch", "_present_in_url"


def presentation_switch() -> bool:
    """Presentation mode (for a projector): `?present=1` in a link as it arrives, else the sidebar's switch.

    Kept in the session like the language and written back to the link, so a copied link presents too."""
    arrived = st.query_params.get(PRESENT_KEY)
    if arrived in ("0", "1") and arrived != st.session_state.get(URL_PRESENT_KEY):
        st.session_state[CHOSEN_PRESENT_KEY] = arrived == "1"
    st.session_state[PRESENT_SWITCH_KEY] = present = bool(st.session_state.get(CHOSEN_PRESENT_KEY))
    st.sidebar.toggle(t("app.present"), key=PRESENT_SWITCH_KEY, help=t("app.present_help"),
                      on_change=_presentation_chosen)
    if present:
        st.query_params[PRESENT_KEY] = st.session_state[URL_PRESENT_KEY] = "1"
        st.set_page_config(initial_sidebar_state="collapsed")
    else:
        st.query_params.pop(PRESENT_KEY, None)
        st.session_state[URL_PRESENT_KEY] = None
    style(present)
    return present


def _presentation_chosen() -> None:
    st.session_state[CHOSEN_PRESENT_KEY] = bool(st.session_state.get(PRESENT_SWITCH_KEY))


def presenting() -> bool:
    return bool(st.session_state.get(CHOSEN_PRESENT_KEY))


# Equations break after = and + on a narrow screen (KaTeX lays display math out as a row of such parts) and
# scroll inside their own box if one part is still too wide; links to the lessons wrap. On a touch screen a slider
# answers only to its knob: a finger swiping the page across a full-width track moved it to where the finger landed.
# On a phone a smaller title and top margin, and the page's introduction folded (page_intro), keep /digits' canvas
# and its Prediction on one 320 x 640 screen; there how sure sits beside the Prediction, less space around the pad
# and the Right/Wrong box, so that in a class the marks are on that screen too (390 x 664 behind Safari's bars).
# A metric's value wraps in a narrow column (/text's sentiment beside a tablet's sidebar) instead of ending in "…".
# The class's code is large (read aloud and typed from across a room), and the wall's captions are the page's
# own size and colour rather than a small grey (read from the back of the room; rem grows in presentation mode).
# Text meets WCAG AA's 4.5:1: Streamlit's captions are its text colour at 60% opacity (3.9:1 on white) and a
# disabled widget's label 2.3:1; both are darker here (6.0:1 and 5.5:1), the disabled label still lighter than
# an enabled one.
# A keyboard user sees where the focus is, at 3:1 or more (WCAG 1.4.11): Streamlit rings a focused button or link
# in the primary colour at half strength (2.4:1 on white) and marks a focused switch or sidebar link by a tint
# alone (1.2:1). Here a 2 px outline in the theme's primaryColor (#c0262d, .streamlit/config.toml), 5.9:1 on white,
# 5.6:1 on the sidebar: outside the control, clear of its own colour; inside a sidebar link, which its list cuts.
STYLE = """<style>
[data-testid="stCaptionContainer"] { color: #646361; opacity: 1; }
[data-testid="stWidgetLabel"][disabled] p { color: #6a6967; }
[class*="st-key-announce"] { display: none; }
:is(button, a, summary, [role="button"]):focus-visible, label:has(> span > input:focus-visible) > span + div {
  outline: 2px solid #c0262d !important; outline-offset: 2px !important; box-shadow: none !important;
}
[data-testid="stSidebarNavLink"]:focus-visible { outline-offset: -2px !important; }
.st-key-text_examples button { min-height: 0; padding: 0.15rem 0.4rem; }  /* a line each, still 24 px or more */
.st-key-classroom_invitation [data-testid="stMetricValue"] { font-size: 4.5rem; font-weight: 700; }
.st-key-classroom_invitation_line [data-testid="stMetricValue"] { font-size: 2.6rem; font-weight: 700; }
.st-key-classroom_wall [data-testid="stImage"], .st-key-classroom_wall_alone [data-testid="stImage"] {
  display: flex; flex-wrap: wrap; gap: 0.5rem 0.8rem;
}
.st-key-classroom_wall [data-testid="stImageCaption"] [data-testid="stCaptionContainer"],
.st-key-classroom_wall_alone [data-testid="stImageCaption"] [data-testid="stCaptionContainer"] {
  font-size: 1rem; line-height: 1.3; color: inherit; opacity: 1;
}
.st-key-classroom_wall_alone [data-testid="stImageCaption"] [data-testid="stCaptionContainer"] { font-size: 1.2rem; }
[data-testid="stMetricValue"] * {
  white-space: normal !important; overflow-wrap: break-word; text-overflow: clip !important;
}
[data-testid="stMarkdownContainer"] .katex-display { overflow-x: auto; overflow-y: hidden; padding: 2px 0; }
[data-testid="stMarkdownContainer"] .katex-display > .katex { white-space: normal; }
[data-testid="stMarkdownContainer"] .katex-display > .katex > .katex-html > .base { margin: 0.1em 0; }
[data-testid="stPageLink"] a span, [data-testid="stPageLink"] a p { white-space: normal; }
[class*="st-key-wrap_narrow_"] > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"] {
  row-gap: 1.5rem;
}
[class*="st-key-wrap_narrow_"] > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"]
  > [data-testid="stColumn"] { min-width: min(262px, 100%); }
@media (pointer: coarse) {
  [data-testid="stSlider"] [role="group"] > div { pointer-events: none; touch-action: pan-y !important; }
  [data-testid="stSlider"] [role="group"] > div > div:has(input[type="range"]) { pointer-events: auto; }
}
@media (max-width: 640px) {
  [class*="st-key-chart_first_"] > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"]
    > [data-testid="stColumn"]:last-child { order: -1; }
  [class*="st-key-view_first_"] > :has(> .st-key-after_on_phone),
  [class*="st-key-view_first_"] > .st-key-after_on_phone { order: 1; }
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.8rem; padding: 0.25rem 0 0.5rem; }
  .st-key-page_intro_shown { display: none; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] .st-key-digits-canvas) { row-gap: 0.75rem; }
  .st-key-digits_reading { flex-flow: row wrap; align-items: flex-end; column-gap: 1rem; row-gap: 0.25rem; }
  .st-key-digits_reading > * { width: auto !important; flex: 0 1 auto; }
  .st-key-digits_reading > :not(:first-child) { flex: 1 1 100%; }
  .st-key-digits_reading > :has([data-testid="stCaptionContainer"]) { flex: 1 1 8rem; }
  .st-key-digits_reading [data-testid="stMetric"] > div { display: flex; align-items: baseline; column-gap: 0.75rem; }
  .st-key-class_mark { padding: 0.5rem 0.75rem; }
}
@media (max-width: 400px) {
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.5rem; }
}
@media (min-width: 641px) {
  .st-key-page_intro_folded { display: none; }
}
</style>"""
# Presentation mode: larger type, less empty space above the page, so the main interaction fits 1280 x 720.
# The header is see-through and lets clicks through (the title row sits under it); its buttons still answer.
PRESENT_STYLE = """<style>
html { font-size: 19px; }
[data-testid="stHeader"] { background: transparent; }
[data-testid="stHeader"], [data-testid="stHeader"] * { pointer-events: none !important; }
[data-testid="stHeader"] button, [data-testid="stHeader"] button * { pointer-events: auto !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.3rem; padding-bottom: 2rem; max-width: 100%; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.55rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 1.7rem; padding: 0 0 0.5rem; }
[data-testid="stMainBlockContainer"] h2, [data-testid="stMainBlockContainer"] h3 {
  font-size: 1.3rem; padding: 0.4rem 0 0.6rem;
}
[data-testid="stMainBlockContainer"] [data-testid="stExpander"] summary {
  padding-top: 0.35rem; padding-bottom: 0.35rem;
}
</style>"""


def style(present: bool) -> None:
    st.html(STYLE + (PRESENT_STYLE if present else ""))


def intro(text: str, label: str = "app.more") -> None:
    """A section's introduction (`label` "app.intro" for a page's): shown, or folded in presentation mode."""
    with folded(t(label)):
        st.markdown(text)


def page_intro(text: str) -> None:
    """A page's introduction: folded in presentation mode; otherwise shown, but folded on a phone (STYLE: each
    form is drawn, the one for the screen's width shown), so that the lesson itself is on a phone's first screen."""
    if presenting():
        intro(text, "app.intro")
        return
    with st.container(key="page_intro_shown"):
        st.markdown(text)
    with st.container(key="page_intro_folded"), st.expander(t("app.intro")):
        st.markdown(text)


def folded(label: str):
    """A container that is an expander in presentation mode (what a class need not see at once)."""
    return st.expander(label) if presenting() else st.container()


def heading(text: str, introduction: str, level: str = "header") -> None:
    """A section's heading (`level`: "header" or "subheader") and its introduction, which in presentation mode
    is folded beside the heading: one row less above the section's chart."""
    row = st.columns([3, 2], vertical_alignment="center") if presenting() else (st.container(), st.container())
    getattr(row[0], level)(text)
    with row[1]:
        intro(introduction)
