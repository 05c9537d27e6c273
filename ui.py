"""What every page shares: the visitor's language, settings in the URL, the code panel.

This is the one module besides the pages that imports streamlit; the logic
lives in `dlplay/`, which never does.
"""

from __future__ import annotations

import functools
import importlib.resources
import logging
import re
import urllib.parse
from typing import Sequence

import streamlit as st

from dlplay import i18n, settings
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
    say so if it moves) and tells only its log. Not covered: the first visitor of a fresh server, whose
    query is read before app.py first imports this module.
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
    So: switch that mode off and run again, through app.py.
    """
    if st.session_state.get(ENTRY_KEY):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def lesson(prefix: str, params: Sequence[settings.Param] = (), read=None, write=None) -> "PageSettings":
    """What every lesson page does first: run inside app.py, the title and intro
    (catalogue keys `<prefix>.title`, `<prefix>.intro`), a place for notices, and
    the page's URL settings. The page ends with `settings.publish()` and its code panel."""
    page_setup()
    state = PageSettings(prefix, params, read=read, write=write)
    st.title(t(f"{prefix}.title"))
    st.markdown(t(f"{prefix}.intro"))
    state.notices = st.container()
    return state


def figure(data: list[dict], **layout):
    """A plotly figure from plain dicts, unvalidated: validating a figure costs more than drawing it."""
    import plotly.graph_objects as go

    return go.Figure(data=data, layout=layout, _validate=False)


PLOT_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def plot(figure, key: str) -> None:
    # An attribute, not update_layout(), which parses its keyword paths on every stroke.
    figure.layout.margin = dict(l=10, r=10, t=30, b=10)
    st.plotly_chart(figure, key=key, config=PLOT_CONFIG, width="stretch")


def session_id() -> str:
    """This visitor's session, to tell whose a shared job is (logs only)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return getattr(get_script_run_ctx(), "session_id", "") or ""


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
            query = {k: v for k, v in raw_query().items() if k != LANG_KEY}
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
            return container.segmented_control(label, p.choices, required=True, key=key, **kwargs)
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
        for key in [k for k in st.query_params if k != LANG_KEY]:
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


LIVE_INPUT = importlib.resources.files("dlplay.text") / "input"  # package data, beside the lesson it serves


@functools.cache
def _live_input():
    """The live text box (dlplay/text/input/), registered once per process."""
    return st.components.v2.component(
        "dlplay.live_input", js=(LIVE_INPUT / "live_input.js").read_text(encoding="utf-8"),
        css=(LIVE_INPUT / "live_input.css").read_text(encoding="utf-8"))


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

    _live_input()(key=f"{key}.live", on_value_change=typed, data=dict(
        value=st.session_state[key], label=label, placeholder=placeholder, max_chars=limit, pause_ms=pause_ms,
        too_long=t("app.notice.cut", n=limit)))
    if len(st.session_state[key]) > limit:
        state.cut(p)
    return st.session_state[key]


DRAWING_PAD = importlib.resources.files("dlplay.digits") / "canvas"


@functools.cache
def _drawing_pad():
    """The /digits canvas with its Undo and Clear (dlplay/digits/canvas/), registered once per process."""
    return st.components.v2.component(
        "dlplay.drawing_pad", js=(DRAWING_PAD / "pad.js").read_text(encoding="utf-8"),
        css=(DRAWING_PAD / "pad.css").read_text(encoding="utf-8"))


def drawing_pad(key: str, labels: dict[str, str], on_change) -> object:
    """The drawing surface: what it last sent (None before the first stroke), for preprocess.canvas_strokes.

    It sends while the pen moves and when it lifts; each send reruns the fragment it is in, after `on_change`.
    `labels`: the texts of its "undo" and "clear" buttons and of the "canvas" for screen readers. It is told which
    drawing this run reads (its number `n`), and sends the next while the pen moves only once that is read."""
    sent = (st.session_state.get(key) or {}).get("drawing")
    read = sent.get("n") if isinstance(sent, dict) else None
    data = {**labels, "read": read if type(read) is int else 0}
    return _drawing_pad()(key=key, data=data, default={"drawing": None}, on_drawing_change=on_change).drawing
