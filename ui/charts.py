"""Plotly charts for touch and for a projector, in the visitor's language."""

from __future__ import annotations

import functools
import importlib

import streamlit as st

from dlplay import i18n
from dlplay.plain import plain
from ui.language import lang
from ui.presentation import presenting

# Modules Plotly looks up in sys.modules without importing them, to accept their arrays. Another thread (the
# warm-up, ui.server._warm, or another visitor's page) may be importing one right then, and Plotly would find it
# half made: "partially initialized module 'pandas' has no attribute 'Series'" for a fresh server's first
# visitors. Importing them before any figure waits for such an import to finish (Python's per-module import
# lock), or does it.
PEEKED = ("pandas", "PIL.Image")


def graph_objects():
    """plotly.graph_objects, with the modules Plotly peeks at whole."""
    for name in PEEKED:
        importlib.import_module(name)
    import plotly.graph_objects as go

    return go


def figure(data: list[dict], **layout):
    """A plotly figure from plain dicts, unvalidated: validating a figure costs more than drawing it."""
    return graph_objects().Figure(data=data, layout=layout, _validate=False)


# No mode bar: on a phone it covered the charts' titles, and with zooming off (a finger on a chart scrolls
# the page) it held only a download button. No double-click either: there is no zoom to undo.
PLOT_CONFIG = {"displayModeBar": False, "displaylogo": False, "doubleClick": False, "scrollZoom": False,
               "showTips": False}
# The texts Plotly itself may still show (the catalogues' "app.plotly." keys, English text first, as
# Plotly looks them up); its zh-CN locale is not in Streamlit's bundle, so it travels with each chart.
PLOTLY_TEXTS = "app.plotly."
SUMMARY = 600  # characters of a chart's summary: a sentence or two, never cut in practice


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


def plot(figure, key: str, empty: str | None = None, summary: str | None = None) -> None:
    """Draw a chart for touch and for a projector: a finger on it scrolls the page (no zoom, no drag) and a tap
    shows the values; larger labels in presentation mode. `empty`: the sentence shown instead while it has no data.
    `summary`: the numbers it plots in a sentence, directly under it, for a screen reader and for anyone; shown as
    plain text, as it may name a visitor's words."""
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
                layout[name].tickfont.size = layout[name].tickfont.size or 16  # a chart's own size stays
                layout[name].title.font.size = 18
    st.plotly_chart(figure, key=key, config=plot_config(lang()), width="stretch")
    if summary:
        st.caption(plain(summary, SUMMARY))
