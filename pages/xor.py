"""Lesson 2 (tutorial §2): backpropagation, every number of it, on XOR."""

from dataclasses import asdict

import pandas as pd
import streamlit as st

import ui
from dlplay.xor import charts, code, ledger, network as xor, state as xor_state

t = ui.t
RUN_KEY, PLAYING_KEY, SPEED_KEY, SAMPLE_KEY = "xor.run", "xor.playing", "xor.speed", "xor.sample"
FRAME_SECONDS = 0.3
POSITIVE, NEGATIVE = "#1f77b4", "#ff7f0e"  # TensorFlow Playground: blue positive, orange negative


def read_query(query):
    values, problems = xor_state.parse_settings(query)
    return asdict(values), problems


state = ui.lesson("xor", xor_state.params_for("mlp"), read=read_query,
                  write=lambda values: xor_state.settings_to_query(xor.Settings(**values)))


def switch_model():
    """A new model starts from its own defaults (the tutorial's: seed 42, lr 0.1, 10,000 epochs)."""
    model = st.session_state[state.key("model")]
    for name, value in asdict(xor_state.defaults(model)).items():
        if name != "model":
            state.set(name, value)


# The settings: changing any of them starts a new run.
model = state.widget("model", t("xor.model"), style="segmented", on_change=switch_model,
                     format_func=ui.labels("xor.model.", xor.MODELS))
tutorial = model == "tutorial"
left, middle, right = st.columns(3, gap="large")
with left:
    state.widget("hidden", t("xor.hidden"), disabled=tutorial)
with middle:
    state.widget("activation", t("xor.activation"), disabled=tutorial)
    state.widget("loss", t("xor.loss"), disabled=tutorial, format_func=ui.labels("xor.loss.", xor.LOSSES))
    state.widget("init", t("xor.init"), disabled=tutorial, format_func=ui.labels("xor.init.", xor.INITS))
with right:
    state.widget("lr", t("xor.lr"), style="number", format="%g")
    state.widget("seed", t("xor.seed"), style="number")
    state.widget("epochs", t("xor.epochs"), style="number")
settings = xor.Settings(**state.values())
state.publish()


def start_run() -> xor.Run:
    st.session_state[PLAYING_KEY] = False
    run = st.session_state[RUN_KEY] = xor.new_run(settings)
    return run


run = st.session_state.get(RUN_KEY)
if run is None or run.settings != settings:
    run = start_run()

if tutorial:
    st.info(t("xor.tutorial.why"), icon="💡")


def network_figure(book: dict):
    """The network, TensorFlow Playground style: edge colour by the weight's sign, width by its size."""
    diagram = charts.network_diagram(book)
    data = [dict(type="scatter", x=edge["x"], y=edge["y"], mode="lines", hoverinfo="text",
                 text=f"w = {edge['weight']:.4g}", showlegend=False,
                 line=dict(color=POSITIVE if edge["weight"] >= 0 else NEGATIVE, width=edge["width"]))
            for edge in diagram["edges"]]
    for column in diagram["nodes"]:
        data.append(dict(
            type="scatter", x=[n["x"] for n in column], y=[n["y"] for n in column], mode="markers+text",
            showlegend=False, text=[n["name"] for n in column], textposition="middle center", hoverinfo="text",
            hovertext=[n["name"] if n["bias"] is None else f"{n['name']}: b = {n['bias']:.4g}" for n in column],
            marker=dict(size=34, color="white", line=dict(width=2, color="#444")),
        ))
    return ui.figure(data, height=320, xaxis=dict(visible=False), yaxis=dict(visible=False),
                     title=dict(text=t("xor.chart.network")))


def boundary_figure(grid: dict):
    targets = xor.TARGETS[:, 0]
    data = [
        dict(type="heatmap", x=grid["axis"], y=grid["axis"], z=grid["output"], zmin=0, zmax=1,
             colorscale=[[0, NEGATIVE], [0.5, "white"], [1, POSITIVE]], colorbar=dict(title=dict(text="y"))),
        dict(type="scatter", x=xor.INPUTS[:, 0], y=xor.INPUTS[:, 1], mode="markers+text", showlegend=False,
             text=[f"{int(v)}" for v in targets], textfont=dict(color="white", size=14),
             marker=dict(size=26, color=[POSITIVE if v else NEGATIVE for v in targets],
                         line=dict(color="black", width=2))),
    ]
    return ui.figure(data, height=320, title=dict(text=t("xor.chart.boundary")),
                     xaxis=dict(title=dict(text="x₁"), constrain="domain"),
                     yaxis=dict(title=dict(text="x₂"), scaleanchor="x", constrain="domain"))


def history_figures(run: xor.Run):
    history = charts.thinned_history(run)
    epochs = history["epochs"]
    loss = ui.figure([dict(type="scatter", x=epochs, y=history["loss"], mode="lines", line=dict(width=2))],
                     height=280, title=dict(text=t("xor.chart.loss")),
                     xaxis=dict(title=dict(text=t("xor.epoch"))), yaxis=dict(type="log"))
    weights = ui.figure([dict(type="scatter", x=epochs, y=values, mode="lines", name=name)
                         for name, values in history["params"].items()],
                        height=280, title=dict(text=t("xor.chart.weights")),
                        xaxis=dict(title=dict(text=t("xor.epoch"))))
    return loss, weights


def hidden_figure(grid: dict):
    """One small heat map per hidden neuron, side by side, sharing one colour scale."""
    count = len(grid["hidden"])
    data, layout = [], {}
    for j, plane in enumerate(grid["hidden"]):
        suffix = str(j + 1) if j else ""
        data.append(dict(type="heatmap", x=grid["axis"], y=grid["axis"], z=plane, coloraxis="coloraxis",
                         xaxis=f"x{suffix}", yaxis=f"y{suffix}"))
        layout[f"xaxis{suffix}"] = dict(domain=[j / count + 0.01, (j + 1) / count - 0.01], showticklabels=False,
                                        title=dict(text=f"h{j + 1}"))
        layout[f"yaxis{suffix}"] = dict(anchor=f"x{suffix}", showticklabels=False, scaleanchor=f"x{suffix}")
    return ui.figure(data, height=220, coloraxis=dict(colorscale="RdBu_r", cmin=-1, cmax=1), **layout)


declared_playing = st.session_state.get(PLAYING_KEY, False)


@ui.fragment(run_every=FRAME_SECONDS if declared_playing else None)
def live():
    run = st.session_state[RUN_KEY]
    playing = st.session_state.get(PLAYING_KEY, False)
    if declared_playing and not playing:
        st.rerun()  # paused, but this fragment's timer still ticks: draw the whole page again without it
    if playing:
        xor.step(run, st.session_state.get(SPEED_KEY, 50))
        if run.diverged or run.epoch >= settings.epochs:
            st.session_state[PLAYING_KEY] = False
            st.rerun()  # the whole page, so the timer stops

    buttons = st.columns([0.8, 0.8, 0.8, 1.5, 1])
    for column, n in zip(buttons[:3], (1, 10, 100)):
        if column.button(t("xor.step", n=n), key=f"xor.step{n}", disabled=run.diverged is not None, width="stretch"):
            xor.step(run, n)
    if buttons[3].button(t("xor.run_to", n=settings.epochs), key="xor.run_to", width="stretch",
                         disabled=run.diverged is not None):
        xor.run_to(run, settings.epochs)
    if buttons[4].button(t("xor.reset"), key="xor.reset", width="stretch"):
        run = start_run()

    if run.diverged:
        d = run.diverged
        st.error(t("xor.diverged", epoch=d.epoch, quantity=d.quantity, value=d.value, last=run.epoch), icon="🛑")

    book = ledger.ledger(run)
    if xor.saturated(run):
        st.warning(t("xor.saturated", lr=settings.lr), icon="🧊")
    readings = ledger.readings(book, run.epoch)
    m = st.columns([1, 1, 2.2, 1.3])
    m[0].metric(t("xor.epoch"), readings["epoch"])
    m[1].metric(t("xor.loss_now"), readings["loss"])
    m[2].metric(t("xor.predictions"), readings["predictions"])
    m[3].metric(t("xor.solved"), t("xor.yes") if xor.solved(book["predictions"]) else t("xor.no"),
                help=t("xor.solved_help"))
    if tutorial:
        (weights, bias), = xor.layers(settings, run.params)
        st.caption(t("xor.tutorial.prints", epoch=run.epoch))
        st.code(code.tutorial_prints(weights, bias), language="text")

    grid = charts.decision_grid(settings, run.params)
    c1, c2 = st.columns(2)
    with c1:
        ui.plot(boundary_figure(grid), "xor.chart.boundary")
    with c2:
        ui.plot(network_figure(book), "xor.chart.network")
    loss, weights = history_figures(run)
    c1, c2 = st.columns(2)
    with c1:
        ui.plot(loss, "xor.chart.loss")
    with c2:
        ui.plot(weights, "xor.chart.weights")
    if len(grid["hidden"]):
        st.markdown(f"**{t('xor.chart.hidden')}**")
        ui.plot(hidden_figure(grid), "xor.chart.hidden")

    st.subheader(t("xor.ledger.header"))
    st.markdown(t("xor.ledger.intro"))
    if playing:
        # Dozens of equations and three tables redrawn every frame would slow the animation to a crawl.
        st.info(t("xor.ledger.while_playing"), icon="⏸")
        return
    sample = st.segmented_control(t("xor.ledger.sample"), range(4), format_func=ledger.INPUT_LABELS.__getitem__,
                                  default=1, required=True, key=SAMPLE_KEY)
    with st.container(border=True):
        for line in ledger.equations(book, sample, t("xor.ledger.forward"), t("xor.ledger.backward")):
            st.latex(line)
    st.caption(t("xor.ledger.all_inputs"))
    st.dataframe(pd.DataFrame(ledger.values_table(book)), hide_index=True, width="stretch")
    st.caption(t("xor.ledger.gradients", lr=settings.lr))
    steps = ledger.gradients_table(book, xor.parameter_names(settings))
    st.dataframe(pd.DataFrame({
        t("xor.ledger.parameter"): steps["parameter"], t("xor.ledger.value"): steps["value"],
        "∂L/∂θ": steps["gradient"], "Δθ = −η·∂L/∂θ": steps["change"], t("xor.ledger.next"): steps["next"],
    }), hide_index=True, width="stretch")

    st.subheader(t("xor.check.header"))
    st.markdown(t("xor.check.intro"))
    check = xor.gradient_check(settings, run.params)
    st.dataframe(pd.DataFrame({
        t("xor.ledger.parameter"): check["names"],
        t("xor.check.analytic"): check["analytic"],
        t("xor.check.numeric"): check["numeric"],
        t("xor.check.relative"): check["relative_error"],
    }), hide_index=True, width="stretch",
        column_config={t("xor.check.relative"): st.column_config.NumberColumn(format="%.1e")})
    st.caption(t("xor.check.verdict", worst=check["worst"], epoch=run.epoch))


def set_playing(value: bool) -> None:
    st.session_state[PLAYING_KEY] = value


# Play and pause sit outside the fragment: pressing them reruns the whole page,
# which declares the fragment again with its timer on or off.
playing = declared_playing
play, speed, _ = st.columns([1.2, 1.6, 4.2])
# Two buttons with their own keys, not one that toggles: a click that reaches the server twice
# (a fragment rerun can carry it again) then still means what it meant.
if playing:
    play.button(t("xor.pause"), key="xor.pause_button", type="primary", width="stretch",
                on_click=set_playing, args=(False,))
else:
    play.button(t("xor.play"), key="xor.play_button", type="primary", width="stretch",
                on_click=set_playing, args=(True,), disabled=run.diverged is not None)
speed.selectbox(t("xor.speed"), (1, 10, 50, 200), index=2, key=SPEED_KEY, label_visibility="collapsed",
                format_func={n: t("xor.speed_option", n=n) for n in (1, 10, 50, 200)}.get)
live()

ui.code_panel(code.code(settings), "xor.py")
