"""Lesson 4 (tutorial §3.2): type a sentence and watch an RNN's memory read it, word by word."""

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import ui
from dlplay.text import model as rnn
from dlplay.text import tutorial as text_tutorial
from dlplay.settings import Param

ui.page_setup()
t = ui.t
CELL_CHOICES = ("best",) + rnn.CELLS
PARAMS = [
    Param("text", "", high=5000, kind="text"),
    Param("text_lang", "auto", choices=("auto",) + rnn.LANGS, kind="choice"),  # ?lang= is the page's own language
    Param("cell", "best", choices=CELL_CHOICES, kind="choice"),
]
TUTORIAL_KEY = "text.tutorial_run"


def shown(token: str) -> str:
    """A token as a chart label: plotly reads a little HTML in labels, and a visitor's text is never markup."""
    return html.escape(token, quote=False)


def verdict(reading) -> str:
    """"positive · 92%": the label and how sure the model is of it."""
    sure = reading.probability if reading.label == "positive" else 1 - reading.probability
    return f"{t('text.label.' + reading.label)} · {sure:.0%}"


def figure(data: list[dict], **layout) -> go.Figure:
    return go.Figure(data=data, layout=layout, _validate=False)


state = ui.PageSettings("text", PARAMS)
if not st.session_state.get("text.seeded"):
    # A first visit without a sentence in the link starts from an example in the visitor's language.
    st.session_state["text.seeded"] = True
    if "text" not in ui.raw_query():
        state.set("text", t("text.example"))
st.title(t("text.title"))
st.markdown(t("text.intro"))
notices = st.container()
sentence = state.widget("text", t("text.input"), placeholder=t("text.placeholder"))
c1, c2 = st.columns(2)
lang_choice = state.widget("text_lang", t("text.lang"), container=c1, style="segmented",
                           format_func=ui.labels("text.lang.", ("auto",) + rnn.LANGS))
cell_choice = state.widget("cell", t("text.cell"), container=c2, style="segmented",
                           format_func=ui.labels("text.cell.", CELL_CHOICES))
state.publish(notices)
st.caption(t("text.examples"))

if not sentence.strip():
    st.metric(t("text.sentiment"), "—")
    st.info(t("text.empty"), icon="⌨️")
else:
    cell = None if cell_choice == "best" else cell_choice
    reading = rnn.predict(sentence, lang_choice, cell)
    if reading.label is None:
        st.metric(t("text.sentiment"), "—")
        st.warning(t("text.no_tokens"), icon="🤔")
    else:
        st.metric(t("text.sentiment"), verdict(reading), help=t("text.metric_help"))
        st.caption(t("text.read_by", language=t(f"text.lang.{reading.lang}"), cell=t(f"text.cell.{reading.cell}"),
                     p=reading.probability))
    for note in reading.notes:
        if note != "empty":
            st.caption("ℹ️ " + t(f"text.note.{note}"))

    if reading.tokens:
        labels = [f"{k + 1}. {shown(token.text)}" for k, token in enumerate(reading.tokens)]
        st.subheader(t("text.memory.header"))
        st.markdown(t("text.memory.intro"))
        line = figure(
            [dict(type="scatter", x=labels, y=reading.token_probabilities, mode="lines+markers",
                  line=dict(width=3), name=t("text.memory.positive"))],
            height=300, yaxis=dict(range=[0, 1], title=dict(text=t("text.memory.positive"))),
            shapes=[dict(type="line", xref="paper", x0=0, x1=1, y0=0.5, y1=0.5, line=dict(dash="dot", color="grey"))],
        )
        ui.plot(line, "text.chart.memory")
        heat = figure(
            [dict(type="heatmap", x=labels, z=reading.hidden_states.T, colorscale="RdBu_r", zmid=0,
                  colorbar=dict(title=dict(text="h")))],
            height=360, yaxis=dict(title=dict(text=t("text.hidden.axis"))), title=dict(text=t("text.hidden.title")),
        )
        ui.plot(heat, "text.chart.hidden")

        st.subheader(t("text.tokens.header"))
        st.markdown(t("text.tokens.intro"))
        st.dataframe(pd.DataFrame({
            t("text.tokens.token"): [token.text for token in reading.tokens],
            "id": [token.id for token in reading.tokens],
            t("text.tokens.oov"): [token.oov for token in reading.tokens],
            t("text.tokens.after"): reading.token_probabilities,
        }), hide_index=True, width="stretch",
            column_config={t("text.tokens.after"): st.column_config.ProgressColumn(min_value=0, max_value=1, format="%.2f")})
        st.caption(t("text.sequence", maxlen=len(reading.sequence)))
        st.code(np.array2string(reading.sequence, max_line_width=110, threshold=400), language="text")

        st.subheader(t("text.compare.header"))
        columns = st.columns(len(rnn.CELLS))
        curves = []
        for column, cell_name in zip(columns, rnn.CELLS):
            other = reading if reading.cell == cell_name else rnn.predict(sentence, reading.lang, cell_name)
            column.metric(t(f"text.cell.{cell_name}"), verdict(other))
            curves.append(dict(type="scatter", x=labels, y=other.token_probabilities, mode="lines+markers",
                               name=t(f"text.cell.{cell_name}")))
        ui.plot(figure(curves, height=300, yaxis=dict(range=[0, 1])), "text.chart.compare")
        st.caption(t("text.compare.caption"))

# The tutorial's own example: two sentences, five epochs, and a lesson about overfitting.
st.header(t("text.tutorial.header"))
st.markdown(t("text.tutorial.intro"))
pairs_table = st.data_editor(
    pd.DataFrame({"sentence": [p[0] for p in text_tutorial.TUTORIAL_PAIRS],
                  "label": [p[1] for p in text_tutorial.TUTORIAL_PAIRS]}),
    num_rows="dynamic", key="text.pairs", width="stretch",
    column_config={"sentence": st.column_config.TextColumn(t("text.tutorial.sentence"), max_chars=200),
                   "label": st.column_config.SelectboxColumn(t("text.tutorial.label"), options=[0, 1])},
)
new_text = st.text_area(t("text.tutorial.new"), "\n".join(text_tutorial.NEW_SENTENCES), key="text.new", max_chars=2000)
e1, e2, _ = st.columns([1, 1, 2])
epochs = e1.number_input(t("text.tutorial.epochs"), 1, 200, text_tutorial.EPOCHS, key="text.epochs")
seed = e2.number_input(t("text.tutorial.seed"), 0, 2**31 - 1, text_tutorial.SEED, key="text.seed")
pairs = [(str(s).strip(), int(label)) for s, label in zip(pairs_table["sentence"], pairs_table["label"])
         if isinstance(s, str) and s.strip() and label in (0, 1)]
new_sentences = [line.strip() for line in new_text.splitlines() if line.strip()][:20]
if st.button(t("text.tutorial.train"), type="primary", key="text.train", disabled=not pairs):
    with st.spinner(t("text.tutorial.training")):
        st.session_state[TUTORIAL_KEY] = pairs, text_tutorial.train_tutorial(
            pairs, new_sentences, epochs=int(epochs), seed=int(seed))
if not pairs:
    st.warning(t("text.tutorial.no_pairs"))
if TUTORIAL_KEY in st.session_state:
    trained_pairs, run = st.session_state[TUTORIAL_KEY]
    st.metric(t("text.tutorial.accuracy"), f"{run.train_accuracy:.0%}")
    history = figure([dict(type="scatter", y=run.history["accuracy"], name="accuracy", mode="lines+markers"),
                      dict(type="scatter", y=run.history["loss"], name="loss", mode="lines+markers")],
                     height=260, xaxis=dict(title=dict(text=t("text.tutorial.epoch"))))
    ui.plot(history, "text.chart.tutorial")
    st.dataframe(pd.DataFrame({
        t("text.tutorial.sentence"): [p[0] for p in trained_pairs] + list(run.new_sentences),
        t("text.tutorial.kind"): [t("text.tutorial.seen")] * len(run.train_probabilities)
        + [t("text.tutorial.unseen")] * len(run.new_sentences),
        t("text.tutorial.output"): list(run.train_probabilities) + list(run.new_probabilities),
    }), hide_index=True, width="stretch")
    st.info(t("text.tutorial.overfitting"), icon="🎓")

ui.code_panel(text_tutorial.code(pairs or list(text_tutorial.TUTORIAL_PAIRS), new_sentences, int(epochs), int(seed)),
              "rnn_tutorial.py")
