"""A page's settings in its link (`PageState`), the query as it arrived, and the keys every link keeps."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dlplay import url_state
from dlplay.plain import plain
from ui.language import LANG_KEY, t
from ui.presentation import PRESENT_KEY

CLASS_KEY, SEAT_KEY, TEACHER_KEY = "class", "seat", "teacher"  # URL keys of a class's links, not page settings
# Settings of the whole app and a class's links, in every link beside a page's own.
APP_KEYS = (LANG_KEY, PRESENT_KEY, CLASS_KEY, SEAT_KEY, TEACHER_KEY)
QUERY_KEY = "_query_as_arrived"
DROPPED_KEY = "_link_dropped"  # stands in the query for a link Streamlit would not read


def remember_query() -> None:
    """Keep the URL query as it arrived in this run, before any bound widget corrects it."""
    st.session_state[QUERY_KEY] = {key: st.query_params.get(key) for key in st.query_params}



def raw_query() -> dict[str, str]:
    return dict(st.session_state.get(QUERY_KEY, {}))


def cut_text(key: str, limit: int) -> None:
    """Keep the first `limit` characters of the text under `key` (`was_cut(key)` tells): a box's max_chars
    would have the browser drop a longer paste without a word; with this as its on_change, its start is read."""
    if len(st.session_state.get(key) or "") > limit:
        st.session_state[key] = st.session_state[key][:limit]
        st.session_state[f"_{key}.cut"] = limit


def was_cut(key: str) -> int | None:
    return st.session_state.pop(f"_{key}.cut", None)


MAX_NOTICE_ITEMS = 8


def ignored_items(problems: list[tuple[str, str]]) -> str:
    """"key=value, …" for a notice: the visitor's own text, shown as plain text and kept short."""
    items = [f"{plain(key, 40)}={plain(value, 40)}" for key, value in problems[:MAX_NOTICE_ITEMS]]
    if len(problems) > MAX_NOTICE_ITEMS:
        items.append(t("app.notice.more", n=len(problems) - MAX_NOTICE_ITEMS))
    return ", ".join(items)


class PageState:
    """A page's URL-backed settings: the link sets the widgets, the widgets write the link.

    A link is read once, when this visitor's session first opens the page
    (opening or reloading a link starts a new session): it seeds every widget,
    and anything not understood is reported and dropped. From then on the
    widgets hold what the visitor set and `publish()` writes it into the URL,
    leaving out defaults to keep links short. The URL a rerun reports can lag
    behind what the last run wrote, so it is never read again; the values kept
    in the session restore the page when the visitor comes back to it.
    """

    def __init__(self, page: str, params: Sequence[url_state.Param], read=None, write=None):
        """`read(query) -> (values, problems)` and `write(values) -> query` replace
        url_state.read / url_state.write for a page whose defaults depend on another setting."""
        self.page, self.params = page, list(params)
        self.notices = None  # where publish() says what of the link was ignored (lesson() sets it)
        self._write = write or (lambda values: url_state.write(self.params, values))
        saved = st.session_state.get(self._saved)
        self.problems: list[tuple[str, str]] = []
        self.dropped = False  # the link was too long to read at all
        if saved is None:
            query = {k: v for k, v in raw_query().items() if k not in APP_KEYS}
            self.dropped = query.pop(DROPPED_KEY, None) is not None
            saved, self.problems = (read or (lambda q: url_state.read(self.params, q)))(query)
        for p in self.params:  # first visit, or Streamlit dropped the widget's state when the visitor left
            if self.key(p.name) not in st.session_state:
                st.session_state[self.key(p.name)] = self._to_widget(p, saved[p.name])
        self.replaced = self._make_link_safe()

    def _make_link_safe(self) -> bool:
        """Whether a setting held text no link can carry (half of a character, as a script may send one): each
        such character is "�" from here on, for the page and its link alike (publish() says so)."""
        replaced = False
        for p in self.params:
            value = st.session_state[self.key(p.name)]
            if isinstance(value, str) and (safe := url_state.link_safe(value)) != value:
                st.session_state[self.key(p.name)] = safe
                replaced = True
        return replaced

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
    def _to_widget(param: url_state.Param, value):
        return url_state.format_value(value).replace(",", ", ") if param.kind == "floats" else value

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

    def cut(self, param: url_state.Param) -> None:
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
        query = {url_state.link_safe(k): url_state.link_safe(v) for k, v in self._write(values).items()}
        for key in [k for k in st.query_params if k not in APP_KEYS]:
            del st.query_params[key]
        st.query_params.update(query)
        st.session_state[self._saved] = values
        where = notices or self.notices or st
        if self.problems:
            where.info(t("app.notice.ignored", items=ignored_items(self.problems)), icon="ℹ️")
        if self.dropped:
            where.info(t("app.notice.dropped"), icon="ℹ️")
        if self.replaced:
            where.info(t("safe.replaced"), icon="ℹ️")
        for p in self.params:
            if (limit := was_cut(self.key(p.name))) is not None:
                where.info(t("app.notice.cut", n=limit), icon="✂️")
