"""What every page shares: the visitor's language, settings in the URL, the code panel.

This is the one module besides the pages that imports streamlit; the logic
lives in `dlplay/`, which never does.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.resources
import logging
import re
import secrets
import time
import urllib.parse
from typing import Sequence

import streamlit as st

from dlplay import classroom, i18n, settings
from dlplay.classroom import board
from dlplay.plain import plain

LANG_KEY = "lang"  # the URL query key
CHOSEN_LANG_KEY = "_lang"
SWITCH_KEY = "lang_switch"
URL_LANG_KEY = "_lang_in_url"
log = logging.getLogger("dlplay")


def language_switch() -> str:
    """The sidebar's language switch, kept in step with `?lang=`.

    Precedence: `?lang=` in the URL when it arrives or changes, then the
    switch, then the browser's language for a first visit. The choice lives in
    the session under its own key (a widget's state is dropped when Streamlit
    changes page) and is written back to the URL, so a copied link opens in
    the same language.
    """
    arrived = st.query_params.get(LANG_KEY)
    if arrived in i18n.LANGUAGES and arrived != st.session_state.get(URL_LANG_KEY):
        st.session_state[CHOSEN_LANG_KEY] = arrived
    lang = st.session_state.get(CHOSEN_LANG_KEY) or i18n.language_from_locale(st.context.locale)
    st.session_state[CHOSEN_LANG_KEY] = st.session_state[SWITCH_KEY] = lang
    st.sidebar.segmented_control(
        i18n.text("en", "app.language") + " · " + i18n.text("zh", "app.language"), i18n.LANGUAGES, required=True, format_func=i18n.LANGUAGE_NAMES.get,
        key=SWITCH_KEY, on_change=_language_chosen,
    )
    st.query_params[LANG_KEY] = st.session_state[URL_LANG_KEY] = lang
    return lang


def _language_chosen() -> None:
    if st.session_state.get(SWITCH_KEY) in i18n.LANGUAGES:
        st.session_state[CHOSEN_LANG_KEY] = st.session_state[SWITCH_KEY]


PRESENT_KEY = "present"  # the URL query key: ?present=1 for a projector
CHOSEN_PRESENT_KEY, PRESENT_SWITCH_KEY, URL_PRESENT_KEY = "_present", "present_switch", "_present_in_url"
# Settings of the whole app (and a class's links: CLASS_KEY), in every link beside a page's own.
APP_KEYS = (LANG_KEY, PRESENT_KEY, "class", "seat", "teacher")


def presentation_switch() -> bool:
    """Presentation mode (for a projector): `?present=1` in a link as it arrives, else the sidebar's switch.

    Kept in the session like the language and written back to the link, so a copied link presents too."""
    arrived = st.query_params.get(PRESENT_KEY)
    if arrived in ("0", "1") and arrived != st.session_state.get(URL_PRESENT_KEY):
        st.session_state[CHOSEN_PRESENT_KEY] = arrived == "1"
    st.session_state[PRESENT_SWITCH_KEY] = present = bool(st.session_state.get(CHOSEN_PRESENT_KEY))
    st.sidebar.toggle(t("app.present"), key=PRESENT_SWITCH_KEY, help=t("app.present_help"), on_change=_presentation_chosen)
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
# On a phone a smaller title and top margin keep /digits' canvas and its Prediction on one 360 x 740 screen.
# A metric's value wraps in a narrow column (/text's sentiment beside a tablet's sidebar) instead of ending in "…".
STYLE = """<style>
[data-testid="stMetricValue"] * { white-space: normal !important; overflow-wrap: break-word; text-overflow: clip !important; }
[data-testid="stMarkdownContainer"] .katex-display { overflow-x: auto; overflow-y: hidden; padding: 2px 0; }
[data-testid="stMarkdownContainer"] .katex-display > .katex { white-space: normal; }
[data-testid="stMarkdownContainer"] .katex-display > .katex > .katex-html > .base { margin: 0.1em 0; }
[data-testid="stPageLink"] a span, [data-testid="stPageLink"] a p { white-space: normal; }
@media (pointer: coarse) {
  [data-testid="stSlider"] [role="group"] > div { pointer-events: none; touch-action: pan-y !important; }
  [data-testid="stSlider"] [role="group"] > div > div:has(input[type="range"]) { pointer-events: auto; }
}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.8rem; }
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
[data-testid="stMainBlockContainer"] h2, [data-testid="stMainBlockContainer"] h3 { font-size: 1.3rem; padding: 0.4rem 0 0.6rem; }
[data-testid="stMainBlockContainer"] [data-testid="stExpander"] summary { padding-top: 0.35rem; padding-bottom: 0.35rem; }
</style>"""


def style(present: bool) -> None:
    st.html(STYLE + (PRESENT_STYLE if present else ""))


def intro(text: str, label: str = "app.more") -> None:
    """A section's introduction (`label` "app.intro" for a page's): shown, or folded in presentation mode."""
    with folded(t(label)):
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


def file_uploader(label: str, types: list[str], key: str, help: str | None = None, container=None, max_mb=None):
    """st.file_uploader, and what its box says in English only ("Drag and drop", "Upload", "Limit 50MB per file")
    said again beside it in the visitor's language. `max_mb`: this uploader's limit, below the server's."""
    container = container or st
    file = container.file_uploader(label, type=types, key=key, help=help,
                                   **({"max_upload_size": max_mb} if max_mb else {}))
    if lang() != "en":
        container.caption(t("app.upload_note", mb=max_mb or st.get_option("server.maxUploadSize"),
                            types=" / ".join(f".{kind}" for kind in types)))
    return file


def lang() -> str:
    return st.session_state.get(CHOSEN_LANG_KEY) or i18n.language_from_locale(st.context.locale)


def t(key: str, /, **values) -> str:
    return i18n.text(lang(), key, **values)


QUERY_KEY = "_query_as_arrived"
DROPPED_KEY = "_link_dropped"  # stands in the query for a link Streamlit would not read


def remember_query() -> None:
    """Keep the URL query as it arrived in this run, before any bound widget corrects it."""
    st.session_state[QUERY_KEY] = {key: st.query_params.get(key) for key in st.query_params}


def report_dropped_links() -> None:
    """Make a link Streamlit will not read leave a trace (`DROPPED_KEY`, and its language) for the page to report.

    Streamlit drops the whole query of a link over 1,000 keys or 512 KiB (`sanitize_query_string`, private:
    say so if it moves) and tells only its log. The server imports this module as it starts (app.py's
    st.App), so the first visitor's link is covered too.
    """
    from streamlit.runtime import app_session
    from streamlit.runtime.state import query_params

    def leaving_a_trace(query_string: str, sanitize) -> str:
        kept = sanitize(query_string)
        if kept or not query_string:
            return kept
        lang = re.search(rf"(?:^|&){LANG_KEY}=({'|'.join(i18n.LANGUAGES)})(?:&|$)", query_string)
        return urllib.parse.urlencode({DROPPED_KEY: "1", **({LANG_KEY: lang[1]} if lang else {})})

    for module in (app_session, query_params):
        sanitize = getattr(module, "sanitize_query_string", None)
        if sanitize is None:
            log.warning("Streamlit no longer has %s.sanitize_query_string; check report_dropped_links", module.__name__)
        elif not isinstance(sanitize, functools.partial):  # not patched yet
            module.sanitize_query_string = functools.partial(leaving_a_trace, sanitize=sanitize)


report_dropped_links()


def labels(prefix: str, keys) -> callable:
    """A format_func for choices: each key's text in the visitor's language, looked up now.

    (AppTest calls format_func outside the script run, where the session's
    language cannot be read, so the texts are fixed when the widget is made.)
    """
    return {key: t(f"{prefix}{key}") for key in keys}.get


def raw_query() -> dict[str, str]:
    return dict(st.session_state.get(QUERY_KEY, {}))


def code_panel(source: str, filename: str = "lesson.py") -> None:
    with st.expander(t("code.title"), icon="🐍"):
        st.caption(t("code.caption").replace("lesson.py", filename))
        st.code(source, language="python", line_numbers=True)


ENTRY_KEY = "_run_through_app"


def run_page(page) -> None:
    """Run a page; an unexpected error becomes a short message, never a traceback on screen."""
    st.session_state[ENTRY_KEY] = True
    try:
        page.run()
    except Exception as error:  # Streamlit's own rerun/stop are BaseException and pass through
        log.exception("page %s failed", getattr(page, "url_path", page))
        st.error(t("app.error", error=type(error).__name__), icon="⚠️")
    finally:
        st.session_state.pop(ENTRY_KEY, None)


def fragment(run_every: float | None = None, key: str | None = None):
    """st.fragment, with the same promise as run_page: an error becomes a short message, not a traceback.
    `key` names it for st.rerun(key) from a widget's callback."""
    def decorate(body):
        def guarded(*args, **kwargs):
            try:
                body(*args, **kwargs)
            except Exception as error:
                log.exception("fragment %s failed", body.__name__)
                st.error(t("app.error", error=type(error).__name__), icon="⚠️")
        guarded.__name__ = body.__name__
        return st.fragment(guarded, run_every=run_every, key=key)
    return decorate


def keep_keras_state() -> None:
    """Stop Streamlit from calling keras.backend.clear_session() after every script run.

    Streamlit does that so that a script that builds a model on each run does not
    pile up Keras state. Here models are loaded once per process and shared, and
    training jobs fit models in background threads while other visitors' scripts
    run: clear_session would reset Keras' global state under a model being built,
    and it holds the GIL after every stroke and every poll (BENCHMARKS.md). The
    same goes for the gc.collect(2) after each script, switched off in
    .streamlit/config.toml.
    """
    from streamlit.runtime.scriptrunner import script_runner

    if not hasattr(script_runner, "_clean_problem_modules"):  # a private function: say so if it moves
        log.warning("Streamlit no longer has script_runner._clean_problem_modules; check keep_keras_state")
    script_runner._clean_problem_modules = lambda: None


def page_setup() -> None:
    """Make sure this page runs inside app.py, with its language switch and navigation.

    Streamlit sees our folder named `pages/` and, until some visitor has run
    app.py (which calls st.navigation) in this process, runs a requested page
    file on its own, in its old multipage mode. The first visitor of a fresh
    server who opens /activations directly would get a page with no sidebar.
    So: switch that mode off and run again, through app.py. (`serving` switches it
    off as the server starts; this stays for a server started otherwise, and AppTest.)
    """
    if st.session_state.get(ENTRY_KEY):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


@contextlib.asynccontextmanager
async def serving(_app):
    """What the server does once, as it starts, before any visitor (app.py's st.App runs it).

    Streamlit sees our folder named `pages/` and, until app.py has called st.navigation once in this process,
    resolves a visitor's first run by the pages' file names, before any of our code runs: the first visitor
    of /class or /digits-training got Streamlit's English "Page not found" dialog over the page (the other
    lessons went through page_setup's rerun). Switch that old multipage mode off before anyone comes.

    And hand Python's lock between threads every 1 ms instead of 5: a class's writes take turns
    (classroom.Store), and each of their SQLite calls lets the lock go and waits to get it back from a
    busy thread (a training run, another page); at 5 ms a turn, 30 students' drawings queued for up to
    seconds behind one another while the server used under one core (bench/bench_classroom.py).

    And warm up (`_warm`): the first visitor of /digits then finds its modules and models read.
    """
    import sys

    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    sys.setswitchinterval(SWITCH_INTERVAL)
    import threading

    threading.Thread(target=_warm, name="dlplay-warm", daemon=True).start()
    yield None


SWITCH_INTERVAL = 0.001  # seconds (Python's default: 0.005)
# What the lessons import and read, none of it TensorFlow (tests/unit/test_structure.py checks; bench_cold_start.py
# looks for it in the server after /digits): imported as the server starts, the first visitor of /digits waits for none of it.
WARM = ("pandas", "plotly.graph_objects", "PIL.Image", "h5py", "dlplay.digits.model", "dlplay.digits.pictures",
        "dlplay.digits.jobs", "dlplay.digits.teach", "dlplay.digits.preprocess", "dlplay.digits.strokes",
        "dlplay.xor.network", "dlplay.activations", "dlplay.text.model")


WARM_AFTER = 3.0  # seconds: a visitor who comes as the server starts gets home first (bench: spawn → home < 3 s)


def _warm(after: float = WARM_AFTER) -> None:
    """Import the lessons' modules and read the shipped digit models once (the files then sit in the OS's cache),
    in a background thread soon after the server's start; a failure here only means a slower first page."""
    time.sleep(after)
    try:
        for name in WARM:
            importlib.import_module(name)
        from dlplay.digits import model as digits

        for name in digits.MODELS:
            digits.load_shipped(name)
    except Exception:  # noqa: BLE001 - the page will import it again and report what is wrong
        log.exception("warming up failed")


def lesson(prefix: str, params: Sequence[settings.Param] = (), read=None, write=None) -> "PageSettings":
    """What every lesson page does first: run inside app.py, the title and intro
    (catalogue keys `<prefix>.title`, `<prefix>.intro`), a place for notices, and
    the page's URL settings. The page ends with `settings.publish()` and its code panel."""
    page_setup()
    state = PageSettings(prefix, params, read=read, write=write)
    # In presentation mode the folded intro sits beside the title: one row less above the lesson.
    title, beside = st.columns([3, 2], vertical_alignment="center") if presenting() else (st.container(), None)
    title.title(t(f"{prefix}.title"))
    with beside or st.container():
        intro(t(f"{prefix}.intro"), "app.intro")
    state.notices = st.container()
    with state.notices:  # inside, so the page's own elements (and fragments) keep their places in a class
        class_invitation(prefix)  # a class link's join form, or the class's badge; nothing outside a class
    return state


def figure(data: list[dict], **layout):
    """A plotly figure from plain dicts, unvalidated: validating a figure costs more than drawing it."""
    import plotly.graph_objects as go

    return go.Figure(data=data, layout=layout, _validate=False)


# No mode bar: on a phone it covered the charts' titles, and with zooming off (a finger on a chart scrolls
# the page) it held only a download button. No double-click either: there is no zoom to undo.
PLOT_CONFIG = {"displayModeBar": False, "displaylogo": False, "doubleClick": False, "scrollZoom": False,
               "showTips": False}
# The texts Plotly itself may still show (the catalogues' "app.plotly." keys, English text first, as
# Plotly looks them up); its zh-CN locale is not in Streamlit's bundle, so it travels with each chart.
PLOTLY_TEXTS = "app.plotly."


@functools.cache
def plot_config(lang: str) -> dict:
    if lang == "en":
        return PLOT_CONFIG
    keys = [key for key in i18n.CATALOGUES["en"] if key.startswith(PLOTLY_TEXTS)]
    dictionary = {i18n.text("en", key): i18n.text(lang, key) for key in keys}
    return {**PLOT_CONFIG, "locale": "zh-CN", "locales": {"zh-CN": {"dictionary": dictionary}}}


def has_points(figure) -> bool:
    """Whether any trace of `figure` has something to draw."""
    return any(any(getattr(trace, axis, None) is not None and len(getattr(trace, axis)) for axis in ("x", "y", "z"))
               for trace in figure.data)


def plot(figure, key: str, empty: str | None = None) -> None:
    """Draw a chart for touch and for a projector: a finger on it scrolls the page (no zoom, no drag) and a tap
    shows the values; larger labels in presentation mode. `empty`: the sentence shown instead while it has no data."""
    if empty is not None and not has_points(figure):
        with st.container(border=True, height=figure.layout.height or 300, vertical_alignment="center"):
            st.caption(empty)
        return
    # Attributes, not update_layout(), which parses its keyword paths on every stroke.
    layout = figure.layout
    layout.margin = dict(l=10, r=10, t=(60 if presenting() else 45) if layout.title.text else 30, b=10)
    layout.dragmode = False
    layout.hovermode = layout.hovermode or "closest"
    if layout.legend.orientation is None:  # a legend beside a chart took a third of a phone's width
        layout.legend.update(orientation="h", yref="container", y=0, yanchor="bottom", x=0)
    big = presenting()
    if big:  # Streamlit's chart theme sets each part's size, so each is set here; no chart taller than half of 720 px
        layout.font.size, layout.title.font.size, layout.legend.font.size = 18, 22, 17
        layout.height = min(layout.height or 450, 380)
    for name in layout:
        if name.startswith(("xaxis", "yaxis")) and layout[name] is not None:
            layout[name].fixedrange = True
            if big:
                layout[name].tickfont.size, layout[name].title.font.size = 16, 18
    st.plotly_chart(figure, key=key, config=plot_config(lang()), width="stretch")


def session_id() -> str:
    """This visitor's session, to tell whose a shared job is (logs only)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return getattr(get_script_run_ctx(), "session_id", "") or ""


CLASS_KEY, SEAT_KEY, TEACHER_KEY = "class", "seat", "teacher"  # URL keys of a class's links, not page settings
MEMBER_KEY = "_class.member"  # {"code", "seat", "id", "nickname"} once this session has joined a class
CLASS_PROBLEM_KEY, DISMISSED_KEY = "_class.problem", "_class.dismissed"
CLASS_EVERY = 5  # seconds between two looks of a student's page at their class: a poll, an ended class


def class_problem(reason: str) -> str:
    """What a class's refusal (ClassError's short reason) means, in the visitor's language."""
    key = board.refusal_key(reason)
    return t(key) if key else t("classroom.error.unknown", reason=plain(str(reason), 20))


def class_member() -> dict | None:
    """The class this session has joined, or None: then nothing is shared and nothing written."""
    return st.session_state.get(MEMBER_KEY)


def class_write(write):
    """`write(store, member)` for the class joined, or None. A refusal (an ended class, a full disk) is
    noted for the badge and never breaks the lesson."""
    member = class_member()
    if member is None:
        return None
    try:
        return write(classroom.shared_store(), member)
    except classroom.ClassError as error:
        reason = error.reason
    except Exception:  # the lesson goes on whatever the database does
        log.exception("class %s: a write failed", member["code"])
        reason = "unavailable"
    st.session_state[CLASS_PROBLEM_KEY] = reason
    if reason in board.TROUBLES:
        class_troubles()[member["code"]] = (reason, time.time())
    return None


@st.cache_resource
def class_troubles() -> dict[str, tuple[str, float]]:
    """Each class's last student write the database refused, (reason, when), for the teacher's page: in this
    process, as the database itself may be what fails."""
    return {}


def class_invitation(page: str) -> None:
    """A lesson page opened from a class link (`?class=K7QM`): the join form, or straight back in with the
    student's own link (`&seat=`, kept in their URL); then, in a class, its badge."""
    raw, member = raw_query().get(CLASS_KEY), class_member()
    code = classroom.normalize_code(raw)
    if raw and (member is None or member["code"] != code) and st.session_state.get(DISMISSED_KEY) != raw:
        seat = raw_query().get(SEAT_KEY)
        if not (code and seat and _join(code, seat)):
            _join_form(raw, code)
    if (member := class_member()) is not None:
        st.query_params[CLASS_KEY], st.query_params[SEAT_KEY] = member["code"], member["seat"]
        _class_badge(page)


def _join(code: str, seat: str, nickname: str | None = None) -> bool:
    try:
        student = classroom.shared_store().join(code, seat, nickname, unnamed=t("classroom.unnamed"))
    except classroom.ClassError as error:
        st.session_state["_class.join_problem"] = error.reason
        return False
    st.session_state[MEMBER_KEY] = {"code": student.code, "seat": seat, "id": student.id, "nickname": student.nickname}
    st.session_state.pop(CLASS_PROBLEM_KEY, None)
    return True


def _join_pressed(code: str) -> None:
    _join(code, secrets.token_urlsafe(12), st.session_state.get("_class.nickname") or None)


def _leave(code: str | None) -> None:
    st.session_state.pop(MEMBER_KEY, None)
    st.session_state[DISMISSED_KEY] = code
    for key in (CLASS_KEY, SEAT_KEY):
        st.query_params.pop(key, None)


def _join_form(raw: str, code: str | None) -> None:
    try:
        info = classroom.shared_store().class_info(code) if code else None
    except classroom.ClassError as error:
        st.warning(class_problem(error.reason), icon="🏫")
        return
    with st.container(border=True, key="class_join"):
        if info is None or info.ended:
            st.info(t("classroom.join.ended" if info else "classroom.join.none", code=plain(raw, 12)), icon="🏫")
            st.button(t("classroom.join.not_now"), on_click=_leave, args=(raw,), key="_class.not_now")
            return
        st.markdown("🏫 **" + t("classroom.join.title", code=info.code) + "**")
        st.caption(t("classroom.join.shared"))
        st.text_input(t("classroom.join.nickname"), key="_class.nickname", placeholder=t("classroom.join.placeholder"))
        if (problem := st.session_state.pop("_class.join_problem", None)) is not None:
            st.warning(class_problem(problem), icon="⚠️")
        buttons = st.container(horizontal=True)
        buttons.button(t("classroom.join.go"), type="primary", on_click=_join_pressed, args=(info.code,),
                       key="_class.join")
        buttons.button(t("classroom.join.not_now"), on_click=_leave, args=(raw,), key="_class.not_now")


@fragment(run_every=CLASS_EVERY)
def _class_badge(page: str) -> None:
    """"Class K7QM · nickname", what this page shares with the teacher, and the teacher's poll."""
    if (member := class_member()) is None:
        return
    try:
        shown = classroom.shared_store().badge(member["code"], member["id"], page)
    except classroom.ClassError as error:
        st.caption("🏫 " + class_problem(error.reason))
        return
    info = shown.info
    seen = st.session_state.get("_class.model_seen", info.model_at if info else None)
    if page == "digits" and board.model_changed(info, seen):  # the teacher taught our class's model: offer it now
        st.session_state["_class.model_seen"] = info.model_at
        st.rerun()
    if shown.state != "in":
        st.info(t(f"classroom.badge.{shown.state}", code=member["code"]), icon="🏫")
        st.button(t("classroom.badge.leave"), on_click=_leave, args=(member["code"],), key="_class.leave")
        return
    row = st.container(horizontal=True, vertical_alignment="center", key="class_badge")
    row.caption("🏫 " + t("classroom.badge", code=member["code"], nickname=plain(member["nickname"], 20))
                + " · " + t(f"classroom.shares.{board.shares(page)}"))
    row.button(t("classroom.badge.leave"), type="tertiary", on_click=_leave, args=(member["code"],), key="_class.leave")
    if (problem := st.session_state.pop(CLASS_PROBLEM_KEY, None)) not in (None, "rate_limited"):
        st.caption("⚠️ " + class_problem(problem))
    if shown.poll is not None:
        _poll(member, shown.poll)


def _poll(member: dict, poll) -> None:
    """The teacher's question: one tap answers (and may change the answer); the class's answers once revealed."""
    key = f"_class.poll.{member['code']}.{poll.number}"

    def answered() -> None:
        choice = st.session_state.get(key)
        if isinstance(choice, int):
            class_write(lambda store, m: store.answer(m["code"], m["id"], choice))

    with st.container(border=True):
        st.markdown("🗳️ **" + plain(poll.question, 200) + "**")
        st.segmented_control(t("classroom.poll.answer"), range(len(poll.choices)), key=key, on_change=answered,
                             format_func=lambda k: plain(poll.choices[k], 60))
        if poll.revealed:
            st.caption(t("classroom.poll.class_answered") + " " + ", ".join(
                f"{plain(choice, 60)}: {n}" for choice, n in zip(poll.choices, poll.counts)))


def class_drawing(number, image, reading: int | None, confidence: float, probabilities, model: str) -> None:
    """/digits in a class: the drawing as the model read it goes to the teacher's wall, once per drawing
    (`number`: the pad's count of what it sent); then the student can mark the reading right or wrong."""
    if class_member() is None or image is None:
        return
    sent = st.session_state.get("_class.drawing")
    if sent is None or sent["n"] != number:
        drawing_id = class_write(lambda store, m: store.add_drawing(
            m["code"], m["id"], image, reading, confidence, probabilities, model))
        sent = st.session_state["_class.drawing"] = {"n": number, "id": drawing_id}
    if sent["id"] is None or reading is None:
        return
    key = f"_class.mark.{sent['id']}"

    def marked() -> None:
        right, label = st.session_state.get(key), st.session_state.get(f"{key}.label")
        if right in ("right", "wrong"):
            class_write(lambda store, m: store.mark_drawing(m["code"], m["id"], sent["id"], right == "right",
                                                            label if right == "wrong" else None))

    with st.container(border=True, key="class_mark"):
        st.segmented_control(t("classroom.mark.ask", reading=reading), ("right", "wrong"), key=key, on_change=marked,
                             format_func=labels("classroom.mark.", ("right", "wrong")))
        if st.session_state.get(key) == "wrong":
            st.segmented_control(t("classroom.mark.label"), range(10), key=f"{key}.label", on_change=marked)
        if st.session_state.get(key) is not None:
            st.caption("🏫 " + t("classroom.mark.sent"))


def class_run(job_id: int, settings: dict, accuracy: float, seconds: float, curves: dict) -> None:
    """/digits-training in a class: a finished run goes to the teacher's leaderboard, once."""
    if class_member() is None:
        return
    shared = st.session_state.setdefault("_class.runs", set())
    if job_id not in shared:
        shared.add(job_id)
        class_write(lambda store, m: store.add_run(m["code"], m["id"], settings, accuracy, seconds, curves))
    st.caption("🏫 " + t("classroom.shared.run", code=class_member()["code"]))


def class_sentence(text: str, lang: str, model: str, probability: float) -> None:
    """/text in a class: "it read this wrong" sends the sentence (its first MAX_TEXT characters) to "fool the model"."""
    from dlplay.classroom.limits import MAX_TEXT

    if class_member() is None:
        return
    text = text.strip()[:MAX_TEXT]
    if st.session_state.get("_class.text") == text:
        st.caption("🏫 " + t("classroom.shared.text"))
        return

    def send() -> None:
        if class_write(lambda store, m: store.add_text(m["code"], m["id"], text, lang, model, probability, True)):
            st.session_state["_class.text"] = text

    st.button(t("classroom.text.wrong"), icon="👎", on_click=send, key="_class.text_wrong",
              help=t("classroom.text.wrong_help"))


def class_model(load):
    """"Our class's model" for a student of a class whose teacher taught one: (`load(its .keras bytes)`, its
    summary), loaded once per process and version; None outside a class or before."""
    if (member := class_member()) is None:
        return None
    try:
        info = classroom.shared_store().class_info(member["code"])
        st.session_state["_class.model_seen"] = info.model_at if info else None
        return _class_model(info.code, info.model_at, load) if info and info.model_at else None
    except classroom.ClassError:
        return None


@st.cache_resource(max_entries=4, show_spinner=False)
def _class_model(code: str, at: float, _load):
    found = classroom.shared_store().class_model(code)
    return None if found is None else (_load(found[0]), found[1])


# The tutorial's sections and the page that teaches each: (section text key, page key, file, URL path, icon).
LESSONS = [
    ("home.section.1", "activations", "pages/activations.py", "activations", "🧠"),
    ("home.section.2", "xor", "pages/xor.py", "xor", "🔁"),
    ("home.section.3.1", "digits", "pages/digits.py", "digits", "✍️"),
    ("home.section.3.1b", "digits_training", "pages/digits_training.py", "digits-training", "🏋️"),
    ("home.section.3.2", "text", "pages/text.py", "text", "💬"),
]



def cut_text(key: str, limit: int) -> None:
    """Keep the first `limit` characters of the text under `key` (`was_cut(key)` tells): a box's max_chars
    would have the browser drop a longer paste without a word; with this as its on_change, its start is read."""
    if len(st.session_state.get(key) or "") > limit:
        st.session_state[key] = st.session_state[key][:limit]
        st.session_state[f"_{key}.cut"] = limit


def was_cut(key: str) -> int | None:
    return st.session_state.pop(f"_{key}.cut", None)


def text_area(label: str, value: str, key: str, limit: int, **kwargs) -> str:
    """st.text_area that reads the first `limit` characters of any paste and says so below it."""
    st.session_state.setdefault(key, value)
    text = st.text_area(label, key=key, on_change=cut_text, args=(key, limit), **kwargs)
    if (cut := was_cut(key)) is not None:
        st.info(t("app.notice.cut", n=cut), icon="✂️")
    return text


MAX_NOTICE_ITEMS = 8


def ignored_items(problems: list[tuple[str, str]]) -> str:
    """"key=value, …" for a notice: the visitor's own text, shown as plain text and kept short."""
    items = [f"{plain(key, 40)}={plain(value, 40)}" for key, value in problems[:MAX_NOTICE_ITEMS]]
    if len(problems) > MAX_NOTICE_ITEMS:
        items.append(t("app.notice.more", n=len(problems) - MAX_NOTICE_ITEMS))
    return ", ".join(items)


class PageSettings:
    """A page's URL-backed settings: the link sets the widgets, the widgets write the link.

    A link is read once, when this visitor's session first opens the page
    (opening or reloading a link starts a new session): it seeds every widget,
    and anything not understood is reported and dropped. From then on the
    widgets hold what the visitor set and `publish()` writes it into the URL,
    leaving out defaults to keep links short. The URL a rerun reports can lag
    behind what the last run wrote, so it is never read again; the values kept
    in the session restore the page when the visitor comes back to it.
    """

    def __init__(self, page: str, params: Sequence[settings.Param], read=None, write=None):
        """`read(query) -> (values, problems)` and `write(values) -> query` replace
        settings.read / settings.write for a page whose defaults depend on another setting."""
        self.page, self.params = page, list(params)
        self.notices = None  # where publish() says what of the link was ignored (lesson() sets it)
        self._write = write or (lambda values: settings.write(self.params, values))
        saved = st.session_state.get(self._saved)
        self.problems: list[tuple[str, str]] = []
        self.dropped = False  # the link was too long to read at all
        if saved is None:
            query = {k: v for k, v in raw_query().items() if k not in APP_KEYS}
            self.dropped = query.pop(DROPPED_KEY, None) is not None
            saved, self.problems = (read or (lambda q: settings.read(self.params, q)))(query)
        for p in self.params:  # first visit, or Streamlit dropped the widget's state when the visitor left
            if self.key(p.name) not in st.session_state:
                st.session_state[self.key(p.name)] = self._to_widget(p, saved[p.name])

    @property
    def _saved(self) -> str:
        return f"_{self.page}.values"

    def key(self, name: str) -> str:
        return f"{self.page}.{name}"

    def set(self, name: str, value) -> None:
        """Change a setting from code (in a widget callback, before the widget is drawn again)."""
        p = next(p for p in self.params if p.name == name)
        st.session_state[self.key(name)] = self._to_widget(p, value)

    @staticmethod
    def _to_widget(param: settings.Param, value):
        return settings.format_value(value).replace(",", ", ") if param.kind == "floats" else value

    def widget(self, name: str, label: str, container=None, style: str | None = None, **kwargs):
        """The widget for one setting; its state lives under the page's key, never given a value twice.

        `style`: "number" for a number box instead of a slider, "segmented" for
        a row of buttons instead of a drop-down, "select_slider" for a slider
        over the choices.
        """
        p = next(p for p in self.params if p.name == name)
        container, key = container or st, self.key(name)
        if style == "number":
            return container.number_input(label, p.low, p.high, step=p.step, key=key, **kwargs)
        if style == "select_slider":
            return container.select_slider(label, p.choices, key=key, **kwargs)
        if style == "segmented":
            # wrap: in a column it would keep one row and cut its last choices off on a narrow screen.
            return container.segmented_control(label, p.choices, required=True, key=key, wrap=True, **kwargs)
        if p.kind in ("float", "int"):
            return container.slider(label, p.low, p.high, step=p.step, key=key, **kwargs)
        if p.kind == "choice":
            return container.selectbox(label, p.choices, key=key, **kwargs)
        if p.kind == "bool":
            return container.toggle(label, key=key, **kwargs)
        if p.kind == "floats":
            return container.text_input(label, key=key, **kwargs)
        if p.kind == "text":
            # No max_chars: the browser would drop a longer paste without a word; cut() keeps its start and says so.
            return container.text_input(label, key=key, on_change=self.cut, args=(p,), **kwargs)
        raise ValueError(p.kind)

    def cut(self, param: settings.Param) -> None:
        """A text typed longer than its setting allows keeps its first characters; publish() says so."""
        cut_text(self.key(param.name), int(param.high or 1000))

    def parsed(self, name: str):
        """(value, understood): a typed-in setting that does not parse gives (default, False)."""
        p = next(p for p in self.params if p.name == name)
        raw = st.session_state[self.key(name)]
        if p.kind != "floats":
            return raw, True
        try:
            return p.parse(raw), True
        except ValueError:
            return p.default, False

    def values(self) -> dict:
        return {p.name: self.parsed(p.name)[0] for p in self.params}

    def publish(self, notices=None) -> None:
        """Write the settings into the URL and say what of the arriving link was ignored."""
        values = self.values()
        query = self._write(values)
        for key in [k for k in st.query_params if k not in APP_KEYS]:
            del st.query_params[key]
        st.query_params.update(query)
        st.session_state[self._saved] = values
        where = notices or self.notices or st
        if self.problems:
            where.info(t("app.notice.ignored", items=ignored_items(self.problems)), icon="ℹ️")
        if self.dropped:
            where.info(t("app.notice.dropped"), icon="ℹ️")
        for p in self.params:
            if (limit := was_cut(self.key(p.name))) is not None:
                where.info(t("app.notice.cut", n=limit), icon="✂️")


@functools.cache
def _component(name: str, package: str, folder: str, script: str):
    """One of our Components v2 (plain JavaScript and CSS, package data beside the lesson it serves),
    registered once per process: the live text box, the /xor view, the drawing pad."""
    files = importlib.resources.files(package) / folder
    return st.components.v2.component(
        f"dlplay.{name}", js=(files / f"{script}.js").read_text(encoding="utf-8"),
        css=(files / f"{script}.css").read_text(encoding="utf-8"))


def live_text_input(state: PageSettings, name: str, label: str, placeholder: str = "", pause_ms: int = 150) -> str:
    """A text box for one text setting that reruns the page a short pause after the visitor stops typing,
    and on Enter or leaving it (st.text_input only on Enter or leaving it).

    The text lives where `state.widget` keeps it, so the link and `publish()` work as for any setting;
    a text longer than the setting allows is cut (`PageSettings.cut`), and the box says so as it is typed.
    """
    p = next(p for p in state.params if p.name == name)
    key, limit = state.key(name), int(p.high or 1000)

    def typed() -> None:
        value = st.session_state[f"{key}.live"].get("value")
        if isinstance(value, str):  # what the browser sends is not trusted to be text
            st.session_state[key] = value

    box = _component("live_input", "dlplay.text", "input", "live_input")
    box(key=f"{key}.live", on_value_change=typed, data=dict(
        value=st.session_state[key], label=label, placeholder=placeholder, max_chars=limit, pause_ms=pause_ms,
        too_long=t("app.notice.cut", n=limit)))
    if len(st.session_state[key]) > limit:
        state.cut(p)
    return st.session_state[key]


def xor_view(key: str, data: dict, on_toggle) -> None:
    """The /xor view: Play/Pause, read-outs and charts for the frames in `data` (dlplay/xor/charts.view_data);
    `on_toggle` runs when Play or Pause is pressed, its event in st.session_state[key].toggle."""
    _component("xor_view", "dlplay.xor", "view", "view")(key=key, data=data, on_toggle_change=on_toggle)


def drawing_pad(key: str, labels: dict[str, str], on_change) -> object:
    """The drawing surface: what it last sent (None before the first stroke), for preprocess.canvas_strokes.

    It sends while the pen moves and when it lifts; each send reruns the fragment it is in, after `on_change`.
    `labels`: the texts of its "undo" and "clear" buttons and of the "canvas" for screen readers. It is told which
    drawing this run reads (its number `n`), and sends the next while the pen moves only once that is read."""
    sent = (st.session_state.get(key) or {}).get("drawing")
    read = sent.get("n") if isinstance(sent, dict) else None
    data = {**labels, "read": read if type(read) is int else 0}
    pad = _component("drawing_pad", "dlplay.digits", "canvas", "pad")
    return pad(key=key, data=data, default={"drawing": None}, on_drawing_change=on_change).drawing
