"""Tutorial §3.2: type a sentence and watch an RNN's memory read it, word by word."""

import re
import time

import pandas as pd
import streamlit as st

import ui
from dlplay import colours, jobs
from dlplay.text import code as text_code
from dlplay.text import numpy_net as text_model
from dlplay.text import reading as text_reading
from dlplay.text import state as text_state
from dlplay.text import summaries as text_summaries
from dlplay.text import tutorial as text_tutorial
from dlplay.text.tokens import chart_labels

t = ui.t
TUTORIAL_KEY = "text.tutorial_run"
TUTORIAL_JOB_KEY = "text.tutorial_job"  # the id of the visitor's tutorial run in the training line, until it ends
TUTORIAL_SAID_KEY = "text.tutorial_said"  # why a run gave nothing to show: a catalogue key, said once
POLL_SECONDS = 0.5  # the run's progress; each poll is also its heartbeat (a run nobody polls stops)
# The sentiment is painted before the charts arrive, a short pause after typing (as on /digits;
# bench/bench_text_browser.py). The script waits this long, not holding the GIL.
PAINT_FIRST = 0.04
EXAMPLE = re.compile(r"“([^”]*)”")  # the examples in the catalogue's "Try: “…” · “…”"

state = ui.lesson("text", text_state.PARAMS, read=lambda query: text_state.read(query, example=t("text.example")))
sentence = ui.live_text_input(state, "text", t("text.input"), placeholder=t("text.placeholder"))
# The sentiment first, beside the choices: on a phone it is then right under the box, in view with the keyboard
# open; on a projector the chart below still fits.
verdict, c1, c2 = st.columns([1, 1, 1.2])
lang_choice = state.widget("text_lang", t("text.lang"), container=c1, style="segmented",
                           format_func=ui.labels("text.lang.", text_state.LANG_CHOICES))
cell_choice = state.widget("cell", t("text.cell"), container=c2, style="segmented",
                           format_func=ui.labels("text.cell.", text_state.CELL_CHOICES))
state.publish()
# "Try:", then each example a button, which a keyboard reaches; under the language, so that on a projector the
# chart below still fits.
examples = c1.container(horizontal=True, vertical_alignment="center", gap=None, key="text_examples")
examples.caption(t("text.examples").split("“")[0].strip(), width="content")
for i, example in enumerate(EXAMPLE.findall(t("text.examples"))):
    examples.button(example, key=f"text.example.{i}", type="tertiary", on_click=ui.put_text,
                    args=(state, "text", example))

if not sentence.strip():
    verdict.metric(t("text.sentiment"), "—")
    verdict.info(t("text.empty"), icon="⌨️")
else:
    reading = text_model.predict(sentence, lang_choice, text_state.cell_of(cell_choice))
    if reading.label is None:
        verdict.metric(t("text.sentiment"), "—")
        verdict.warning(t("text.no_tokens"), icon="🤔")
    else:
        said = text_reading.verdict(reading, ui.lang())
        verdict.metric(t("text.sentiment"), said, help=t("text.metric_help"))
        ui.announce(f"{t('text.sentiment')}: {said}")
        if text_model.unsure(reading.probability):
            verdict.caption(t("text.unsure_why"))
        verdict.caption(t("text.read_by", language=t(f"text.lang.{reading.lang}"), cell=t(f"text.cell.{reading.cell}"),
                          p=reading.probability))
        ui.class_sentence(sentence, reading.lang, reading.cell, reading.probability)  # in a class: "it read this wrong"
    for note in reading.caveats:
        verdict.caption("ℹ️ " + t(f"text.note.{note}"))
    time.sleep(PAINT_FIRST)

    if reading.tokens:
        words = [token.text for token in reading.tokens]
        labels = chart_labels(words)
        ui.heading(t("text.memory.header"), t("text.memory.intro"), "subheader")
        line = ui.figure(
            [dict(type="scatter", x=labels, y=reading.token_probabilities, mode="lines+markers",
                  line=dict(width=3), name=t("text.memory.positive"))],
            height=300, yaxis=dict(range=[0, 1], title=dict(text=t("text.memory.positive"))),
            shapes=[dict(type="line", xref="paper", x0=0, x1=1, y0=text_model.THRESHOLD, y1=text_model.THRESHOLD,
                         line=dict(dash="dot", color="grey"))],
        )
        ui.plot(line, "text.chart.memory", summary=text_summaries.memory(words, reading.token_probabilities, ui.lang()))
        heat = ui.figure(
            [dict(type="heatmap", x=labels, z=reading.hidden_states.T, **colours.heatmap(0.0),
                  colorbar=dict(title=dict(text="h")))],
            height=360, yaxis=dict(title=dict(text=t("text.hidden.axis"))), title=dict(text=t("text.hidden.title")),
        )
        ui.plot(heat, "text.chart.hidden", summary=text_summaries.hidden(words, reading.hidden_states, ui.lang()))

        st.subheader(t("text.tokens.header"))
        ui.intro(t("text.tokens.intro"))
        st.caption(t(f"text.learned_from.{reading.lang}", **text_model.held_out_accuracy(reading.lang, reading.cell)))
        if sizes := text_model.load_model(reading.lang, reading.cell).ngram_sizes:
            named = t("text.tokens.and").join(t(f"text.tokens.size.{n}") for n in sizes)
            st.caption(t("text.tokens.ngrams", sizes=named))
        st.dataframe(pd.DataFrame({
            t("text.tokens.token"): [token.text for token in reading.tokens],
            t("text.tokens.id"): [token.id for token in reading.tokens],
            t("text.tokens.oov"): [token.oov for token in reading.tokens],
            t("text.tokens.after"): reading.token_probabilities,
        }), hide_index=True, width="stretch",
            column_config={t("text.tokens.after"): st.column_config.ProgressColumn(
                min_value=0, max_value=1, format="%.2f", color=colours.POSITIVE)})  # blue is positive, as everywhere
        st.caption(t("text.sequence", maxlen=len(reading.sequence)))
        st.code(reading.sequence_text(), language="text", wrap_lines=True)  # every id on a phone, none scrolled away

        st.subheader(t("text.compare.header"))
        curves = []
        by_cell = text_model.predict_each_cell(sentence, reading)
        for column, (cell_name, other) in zip(st.columns(len(by_cell)), by_cell.items()):
            column.metric(t(f"text.cell.{cell_name}"), text_reading.verdict(other, ui.lang()))
            curves.append(dict(type="scatter", x=labels, y=other.token_probabilities, mode="lines+markers",
                               name=t(f"text.cell.{cell_name}")))
        ui.plot(ui.figure(curves, height=300, yaxis=dict(range=[0, 1])), "text.chart.compare",
                summary=text_summaries.compare(words, {cell_name: other.token_probabilities
                                                       for cell_name, other in by_cell.items()}, ui.lang()))
        st.caption(t("text.compare.caption"))

# The tutorial's own example: two sentences, five epochs, and a lesson about overfitting.
st.header(t("text.tutorial.header"))
ui.intro(t("text.tutorial.intro"))
st.caption(t("text.tutorial.labels_note"))
pairs_table = st.data_editor(
    pd.DataFrame({"sentence": [p[0] for p in text_tutorial.TUTORIAL_PAIRS],
                  "label": [p[1] for p in text_tutorial.TUTORIAL_PAIRS]}),
    num_rows="dynamic", key="text.pairs", width="stretch",
    column_config={"sentence": st.column_config.TextColumn(t("text.tutorial.sentence"), max_chars=200),
                   "label": st.column_config.SelectboxColumn(t("text.tutorial.label"), options=[0, 1])},
)
new_text = ui.text_area(t("text.tutorial.new"), "\n".join(text_tutorial.NEW_SENTENCES), key="text.new", limit=2000)
e1, e2, _ = st.columns([1, 1, 2])
epochs = e1.number_input(t("text.tutorial.epochs"), 1, 200, text_tutorial.EPOCHS, key="text.epochs")
seed = e2.number_input(t("text.tutorial.seed"), 0, 2**31 - 1, text_tutorial.SEED, key="text.seed")
pairs = text_tutorial.labelled_pairs(pairs_table["sentence"], pairs_table["label"])
if len(pairs) > text_tutorial.MAX_PAIRS:
    st.warning(t("text.tutorial.line.too_many", n=len(pairs), limit=text_tutorial.MAX_PAIRS), icon="✂️")
    pairs = pairs[: text_tutorial.MAX_PAIRS]
new_sentences = text_tutorial.sentences_of(new_text)


def start_tutorial() -> None:
    """The run goes into the training line, with /digits-training's runs; the page polls it (tutorial_progress)."""
    lane = (ui.class_member() or {}).get("code", "")
    task = text_tutorial.tutorial_task(pairs, new_sentences, int(epochs), int(seed), lane, owner=ui.session_id())
    try:
        st.session_state[TUTORIAL_JOB_KEY] = jobs.backend().submit(task)
    except jobs.QueueFull:
        st.session_state[TUTORIAL_SAID_KEY] = "text.tutorial.line.busy"
    except jobs.Unavailable:
        st.session_state[TUTORIAL_SAID_KEY] = "text.tutorial.line.unavailable"
    else:
        st.session_state.pop(TUTORIAL_KEY, None)


running = TUTORIAL_JOB_KEY in st.session_state
# One run at a time: the button drawn before a run started may still be pressed while it runs.
if st.button(t("text.tutorial.train"), type="primary", key="text.train", disabled=not pairs or running) and not running:
    start_tutorial()  # before the poll below, which it starts


@ui.fragment(run_every=POLL_SECONDS if TUTORIAL_JOB_KEY in st.session_state else None)
def tutorial_progress() -> None:
    """The run's place in line or its epoch; once it has ended, its result, and the whole page again to show it."""
    job_id = st.session_state.get(TUTORIAL_JOB_KEY)
    if job_id is None:
        return
    try:
        snapshot = jobs.backend().snapshot(job_id, ("epoch", "epochs"))
        if snapshot is not None and snapshot.active:
            epoch, epochs_in_run = snapshot.state.get("epoch", 0), snapshot.state.get("epochs", 1)
            text = (t("text.tutorial.line.waiting", place=max(1, snapshot.place)) if snapshot.status == jobs.QUEUED
                    else t("text.tutorial.line.epoch", epoch=epoch, epochs=epochs_in_run) if epoch
                    else t("text.tutorial.training"))
            st.progress(min(1.0, epoch / max(1, epochs_in_run)), text=text)
            return
        result = jobs.backend().result(job_id) if snapshot is not None else None
    except jobs.Unavailable:
        st.warning(t("text.tutorial.line.unavailable"), icon="🔌")
        return
    del st.session_state[TUTORIAL_JOB_KEY]
    if result and "run" in result:
        st.session_state[TUTORIAL_KEY] = result["run"]
    else:
        stopped = snapshot is not None and snapshot.status in (jobs.STOPPED, jobs.DROPPED)
        st.session_state[TUTORIAL_SAID_KEY] = "text.tutorial.line.stopped" if stopped else "text.tutorial.line.failed"
    st.rerun()


tutorial_progress()
if TUTORIAL_SAID_KEY in st.session_state:
    st.warning(t(st.session_state.pop(TUTORIAL_SAID_KEY)), icon="⏳")
if not pairs:
    st.warning(t("text.tutorial.no_pairs"))
if TUTORIAL_KEY in st.session_state:
    run = st.session_state[TUTORIAL_KEY]
    st.metric(t("text.tutorial.accuracy"), f"{run.train_accuracy:.0%}")
    history = ui.figure([dict(type="scatter", y=run.history["accuracy"], name=t("text.tutorial.curve.accuracy"),
                              mode="lines+markers"),
                         dict(type="scatter", y=run.history["loss"], name=t("text.tutorial.curve.loss"),
                              mode="lines+markers")],
                        height=260, xaxis=dict(title=dict(text=t("text.tutorial.epoch"))))
    ui.plot(history, "text.chart.tutorial", summary=text_summaries.tutorial(run.history, ui.lang()))
    outputs = run.outputs()
    st.dataframe(pd.DataFrame({
        t("text.tutorial.sentence"): [output.sentence for output in outputs],
        t("text.tutorial.kind"): [t("text.tutorial.seen" if output.seen else "text.tutorial.unseen")
                                  for output in outputs],
        t("text.tutorial.output"): [output.probability for output in outputs],
    }), hide_index=True, width="stretch",
        column_config={t("text.tutorial.output"): st.column_config.NumberColumn(format="%.3f")})
    st.info(t("text.tutorial.overfitting"), icon="🎓")

ui.code_panel(text_code.code(pairs, new_sentences, int(epochs), int(seed), ui.lang()), "rnn_tutorial.py")
