"""Tutorial §2: backpropagation, every number of it, on XOR."""

import time
from dataclasses import asdict

import pandas as pd
import streamlit as st

import ui
from dlplay.xor import charts, code, ledger, play
from dlplay.xor import numpy_net as xor
from dlplay.xor import state as xor_state

t = ui.t
RUN_KEY, PLAYING_KEY, SPEED_KEY, SAMPLE_KEY = "xor.run", "xor.playing", "xor.speed", "xor.sample"
VIEW_KEY, CLOCK_KEY, ANSWERED_KEY, RUN_ID_KEY = "xor.view", "xor.clock", "xor.answered", "xor.run_id"
SPEEDS = (1, 10, 50, 200)  # epochs a frame


def read_query(query):
    values, problems = xor_state.parse_settings(query)
    return asdict(values), problems


def switch_model(state: ui.PageState) -> None:
    """A new model starts from its own defaults (the tutorial's: seed 42, lr 0.1, 10,000 epochs)."""
    model = st.session_state[state.key("model")]
    for name, value in asdict(xor_state.defaults(model)).items():
        if name != "model":
            state.set(name, value)


def settings_panel(state: ui.PageState) -> xor.Config:
    """The settings: changing any of them starts a new run. Folded in presentation mode, beside "why it can't
    learn", so that Play and the whole of the charts come first on a projector's 1280 x 720."""
    tutorial = st.session_state[state.key("model")] == "tutorial"
    folds = st.columns(2) if ui.presenting() and tutorial else [st.container()] * 2
    with folds[0]:
        settings_box = ui.folded(t("xor.settings"))
    model = state.widget("model", t("xor.model"), style="segmented", on_change=switch_model, args=(state,),
                         format_func=ui.labels("xor.model.", xor.MODELS), container=settings_box)
    tutorial = model == "tutorial"
    # One row that wraps, each setting as wide as its longest choice ("Glorot / Xavier uniform"): three columns cut
    # the choices off beside a tablet's sidebar and in the half-width fold of presentation mode.
    row = dict(container=settings_box.container(horizontal=True, gap="small"), width=230)
    state.widget("hidden", t("xor.hidden"), disabled=tutorial, **row)
    state.widget("activation", t("xor.activation"), disabled=tutorial, **row)
    state.widget("loss", t("xor.loss"), disabled=tutorial, format_func=ui.labels("xor.loss.", xor.LOSSES), **row)
    state.widget("init", t("xor.init"), disabled=tutorial, format_func=ui.labels("xor.init.", xor.INITS), **row)
    state.widget("lr", t("xor.lr"), style="number", format="%g", **row)
    state.widget("seed", t("xor.seed"), style="number", **row)
    state.widget("epochs", t("xor.epochs"), style="number", **row)
    settings = xor.Config(**state.values())
    state.publish()
    if tutorial:
        with folds[1]:
            ui.folded(t("xor.tutorial.why_label")).info(t("xor.tutorial.why"), icon="💡")
    return settings


def start_run(settings: xor.Config) -> xor.Run:
    st.session_state[PLAYING_KEY] = False
    st.session_state[RUN_ID_KEY] = st.session_state.get(RUN_ID_KEY, 0) + 1  # the view starts its curves again
    run = st.session_state[RUN_KEY] = xor.new_run(settings)
    return run


def current_run(settings: xor.Config) -> xor.Run:
    """This visitor's run, or a new one when the settings changed."""
    run = st.session_state.get(RUN_KEY)
    return run if run is not None and run.settings == settings else start_run(settings)


def speed() -> int:
    return st.session_state.get(SPEED_KEY, 50)


def clock_from_now() -> None:
    """Play's clock starts again from where the run is (on Play, or a new speed while playing)."""
    st.session_state[CLOCK_KEY] = play.Clock(time.monotonic(), st.session_state[RUN_KEY].epoch, speed())


def toggled() -> None:
    """The view's Play/Pause: {playing, epoch (of the frame on screen), click (its number)}. It comes from the
    browser, so it is checked; paused, the run goes back to the frame the visitor saw."""
    event, run = (st.session_state.get(VIEW_KEY) or {}).get("toggle"), st.session_state.get(RUN_KEY)
    if not isinstance(event, dict) or run is None:
        return
    if type(event.get("click")) is int:
        st.session_state[ANSWERED_KEY] = event["click"]
    if event.get("playing") is True:
        if run.diverged is None and run.epoch < run.settings.epochs:
            st.session_state[PLAYING_KEY] = True
            clock_from_now()
    else:
        st.session_state[PLAYING_KEY] = False
        if type(event.get("epoch")) is int:
            play.rewind(run, event["epoch"])


def playing_frames(run: xor.Run) -> list[dict] | None:
    """This tick's frames (dlplay/xor/play.py), the run trained as far as they need; None once the last is due."""
    now = time.monotonic()
    clock = st.session_state[CLOCK_KEY] = play.resume(st.session_state[CLOCK_KEY], now, run.epoch)
    plan = play.plan(clock, now, run.settings.epochs)
    xor.run_to(run, plan.train_to)
    if run.diverged is not None:
        plan = play.plan(clock, now, run.epoch)
    return None if plan.finished else [charts.frame(run, epoch, summary=play.summarised(clock, epoch))
                                       for epoch in plan.epochs]


def view_labels() -> dict[str, str]:
    keys = {"play": "xor.play", "pause": "xor.pause", "epoch": "xor.epoch", "loss_now": "xor.loss_now",
            "predictions": "xor.predictions", "solved": "xor.solved", "solved_help": "xor.solved_help",
            "yes": "xor.yes", "no": "xor.no", "boundary": "xor.chart.boundary", "network": "xor.chart.network",
            "loss_chart": "xor.chart.loss", "weights_chart": "xor.chart.weights", "hidden_chart": "xor.chart.hidden",
            "epoch_axis": "xor.epoch", "empty_loss": "xor.chart.empty_loss", "empty_weights": "xor.chart.empty_weights",
            "boundary_summary_line": "xor.chart.boundary.summary.line",
            "boundary_summary_curve": "xor.chart.boundary.summary.curve",
            "boundary_summary_flat": "xor.chart.boundary.summary.flat", "hidden_summary": "xor.chart.hidden.summary",
            "loss_summary": "xor.chart.loss.summary", "weights_summary": "xor.chart.weights.summary",
            "network_summary": "xor.chart.network.summary"}
    return {name: t(key) for name, key in keys.items()}


# Right-aligned, 4 significant digits, so no number is cut off in a narrow column.
NUMBER = st.column_config.NumberColumn(format="%.4g")

def live(declared_playing: bool) -> None:
    """The controls, the view, and (paused) the ledger. After Play or Pause in the view it draws the answer
    first, then runs the whole page again: a fragment's timer is set, or stopped, only where it is declared."""
    draw()
    if st.session_state.get(PLAYING_KEY, False) != declared_playing:
        st.rerun()


def draw():
    run = st.session_state[RUN_KEY]
    settings, tutorial = run.settings, run.settings.model == "tutorial"
    playing = st.session_state.get(PLAYING_KEY, False)
    if playing and (frames := playing_frames(run)) is None:
        st.session_state[PLAYING_KEY] = False  # the last frame is due: the whole page again, paused
        st.rerun()

    # One row that wraps, where columns would stack one button a line on a phone.
    buttons = st.container(horizontal=True, vertical_alignment="bottom")
    for n in (1, 10, 100):
        if buttons.button(t("xor.step", n=n), key=f"xor.step{n}", disabled=playing or run.diverged is not None):
            xor.step(run, n)
    if buttons.button(t("xor.run_to", n=settings.epochs), key="xor.run_to",
                      disabled=playing or run.diverged is not None):
        xor.run_to(run, settings.epochs)
    if buttons.button(t("xor.reset"), key="xor.reset"):
        run = start_run(settings)
        if playing:
            st.rerun()
    # Each choice says what it is ("50 epochs / frame"): on a projector the label's line is left out.
    buttons.selectbox(t("xor.speed"), SPEEDS, index=SPEEDS.index(50), key=SPEED_KEY, width=190,
                      label_visibility="collapsed" if ui.presenting() else "visible",
                      format_func={n: t("xor.speed_option", n=n) for n in SPEEDS}.get,
                      on_change=clock_from_now if playing else None)
    if not playing:
        frames = [charts.frame(run, run.epoch)]  # after any step above

    data = charts.view_data(run, st.session_state[RUN_ID_KEY], frames, playing, view_labels(),
                            fps=play.FRAMES_PER_SECOND, answered=st.session_state.get(ANSWERED_KEY, 0))
    ui.xor_view(VIEW_KEY, data, toggled)

    if playing:
        # The numbers below would be those of the run, trained a second ahead of the picture.
        st.info(t("xor.ledger.while_playing"), icon="⏸")
        return
    if run.diverged:
        d = run.diverged
        st.error(t("xor.diverged", epoch=d.epoch, quantity=d.quantity, value=d.value, last=run.epoch), icon="🛑")
    book = ledger.ledger(run)
    shown_now = ledger.readings(book, run.epoch)
    ui.announce(f"{t('xor.epoch')} {run.epoch:,}: {t('xor.loss_now')} {shown_now['loss']}", key="announce_xor")
    if xor.saturated(run):
        st.warning(t("xor.saturated", lr=settings.lr), icon="🧊")
    if tutorial:
        (weights, bias), = xor.layers(settings, run.params)
        st.caption(t("xor.tutorial.prints", epoch=run.epoch))
        st.code(code.tutorial_prints(weights, bias), language="text")

    st.subheader(t("xor.ledger.header"))
    ui.intro(t("xor.ledger.intro"))
    sample = st.segmented_control(t("xor.ledger.sample"), range(4), format_func=ledger.INPUT_LABELS.__getitem__,
                                  default=1, required=True, key=SAMPLE_KEY)
    with st.container(border=True):
        for line in ledger.equations(book, sample, t("xor.ledger.forward"), t("xor.ledger.backward")):
            st.latex(line)
    st.caption(t("xor.ledger.all_inputs"))
    values = pd.DataFrame(ledger.values_table(book))
    st.dataframe(values, hide_index=True, width="stretch",
                 column_config={name: NUMBER for name in values.columns if name != "x"})
    st.caption(t("xor.ledger.gradients", lr=settings.lr))
    steps = ledger.gradients_table(book, xor.parameter_names(settings))
    step_table = pd.DataFrame({
        t("xor.ledger.parameter"): steps["parameter"], t("xor.ledger.value"): steps["value"],
        "∂L/∂θ": steps["gradient"], "Δθ = −η·∂L/∂θ": steps["change"], t("xor.ledger.next"): steps["next"],
    })
    st.dataframe(step_table, hide_index=True, width="stretch",
                 column_config={name: NUMBER for name in step_table.columns[1:]})

    st.subheader(t("xor.check.header"))
    ui.intro(t("xor.check.intro"))
    check = xor.gradient_check(settings, run.params)
    st.dataframe(pd.DataFrame({
        t("xor.ledger.parameter"): check["names"],
        t("xor.check.analytic"): check["analytic"],
        t("xor.check.numeric"): check["numeric"],
        t("xor.check.relative"): check["relative_error"],
    }), hide_index=True, width="stretch",
        column_config={t("xor.check.analytic"): NUMBER, t("xor.check.numeric"): NUMBER,
                       t("xor.check.relative"): st.column_config.NumberColumn(format="%.1e")})
    st.caption(t("xor.check.verdict", worst=check["worst"], epoch=run.epoch))


state = ui.lesson("xor", xor_state.params_for("mlp"), read=read_query,
                  write=lambda values: xor_state.settings_to_query(xor.Config(**values)))
with st.container(key=ui.VIEW_FIRST + "xor"):  # on a phone Play and the view first, the settings under them
    with st.container(key=ui.AFTER_ON_PHONE):
        settings = settings_panel(state)
    current_run(settings)
    declared_playing = st.session_state.get(PLAYING_KEY, False)  # a fragment's timer is set where it is declared
    ui.fragment(run_every=play.TICK_SECONDS if declared_playing else None)(live)(declared_playing)
ui.code_panel(code.code(settings, ui.lang()), "xor.py")
