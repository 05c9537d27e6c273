"""Lesson 2 (tutorial §2): backpropagation, every number of it, on XOR."""

from dataclasses import asdict

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import ui
from dlplay.xor import network as xor

ui.page_setup()


@st.cache_resource(show_spinner=False)
def compile_training_loop():
    """Once per server: compile the MLP's training loop with numba in the background (0.5-2 s);
    until it is ready, runs train with the numpy loop."""
    return xor.warm_up()


compile_training_loop()
t = ui.t
RUN_KEY, PLAYING_KEY, SPEED_KEY, SAMPLE_KEY = "xor.run", "xor.playing", "xor.speed", "xor.sample"
FRAME_SECONDS = 0.3
POSITIVE, NEGATIVE = "#1f77b4", "#ff7f0e"  # TensorFlow Playground: blue positive, orange negative
INPUT_LABELS = ["[0,0]", "[0,1]", "[1,0]", "[1,1]"]


def read_query(query):
    values, problems = xor.parse_settings(query)
    return asdict(values), problems


state = ui.PageSettings("xor", xor.params_for("mlp"), read=read_query,
                        write=lambda values: xor.settings_to_query(xor.Settings(**values)))


def switch_model():
    """A new model starts from its own defaults (the tutorial's: seed 42, lr 0.1, 10,000 epochs)."""
    model = st.session_state[state.key("model")]
    for name, value in asdict(xor.defaults(model)).items():
        if name != "model":
            state.set(name, value)


st.title(t("xor.title"))
st.markdown(t("xor.intro"))
notices = st.container()

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
state.publish(notices)

run = st.session_state.get(RUN_KEY)
if run is None or run.settings != settings:
    run = st.session_state[RUN_KEY] = xor.new_run(settings, capacity=min(settings.epochs, 20_000) + 1)
    st.session_state[PLAYING_KEY] = False

if tutorial:
    st.info(t("xor.tutorial.why"), icon="💡")


def number(v: float) -> str:
    """A number for an equation: 4 significant digits, minus signs in brackets when they follow an operator."""
    text = f"{v:.4g}"
    if "e" in text:  # 3.348e-07 -> 3.348 \times 10^{-7}
        mantissa, exponent = text.split("e")
        text = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return f"({text})" if text.startswith("-") else text


def figure(data: list[dict], **layout) -> go.Figure:
    """A plotly figure from plain dicts, unvalidated: building validated figures is what made a play frame slow."""
    return go.Figure(data=data, layout=layout, _validate=False)


def network_figure(book: dict) -> go.Figure:
    """The network, TensorFlow Playground style: edge colour by the weight's sign, width by its size."""
    layer_sizes = [2] + [layer["weights"].shape[1] for layer in book["layers"]]
    positions = [[(x, (n - 1) / 2 - i) for i in range(n)] for x, n in enumerate(layer_sizes)]
    largest = max(float(np.abs(layer["weights"]).max()) for layer in book["layers"]) or 1.0
    data = []
    for index, layer in enumerate(book["layers"]):
        for i, (x0, y0) in enumerate(positions[index]):
            for j, (x1, y1) in enumerate(positions[index + 1]):
                w = float(layer["weights"][i, j])
                data.append(dict(type="scatter", x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="text",
                                 text=f"w = {w:.4g}", showlegend=False,
                                 line=dict(color=POSITIVE if w >= 0 else NEGATIVE, width=1 + 9 * abs(w) / largest)))
    names = [["x₁", "x₂"]] + [[f"h{j + 1}" for j in range(n)] for n in layer_sizes[1:-1]] + [["y"]]
    for index, column in enumerate(positions):
        biases = [None] * len(column) if index == 0 else book["layers"][index - 1]["biases"]
        data.append(dict(
            type="scatter", x=[p[0] for p in column], y=[p[1] for p in column], mode="markers+text",
            showlegend=False, text=names[index], textposition="middle center", hoverinfo="text",
            hovertext=[n if b is None else f"{n}: b = {b:.4g}" for n, b in zip(names[index], biases)],
            marker=dict(size=34, color="white", line=dict(width=2, color="#444")),
        ))
    return figure(data, height=320, xaxis=dict(visible=False), yaxis=dict(visible=False),
                  title=dict(text=t("xor.chart.network")))


def boundary_figure(grid: dict) -> go.Figure:
    targets = xor.TARGETS[:, 0]
    data = [
        dict(type="heatmap", x=grid["axis"], y=grid["axis"], z=grid["output"], zmin=0, zmax=1,
             colorscale=[[0, NEGATIVE], [0.5, "white"], [1, POSITIVE]], colorbar=dict(title=dict(text="y"))),
        dict(type="scatter", x=xor.INPUTS[:, 0], y=xor.INPUTS[:, 1], mode="markers+text", showlegend=False,
             text=[f"{int(v)}" for v in targets], textfont=dict(color="white", size=14),
             marker=dict(size=26, color=[POSITIVE if v else NEGATIVE for v in targets],
                         line=dict(color="black", width=2))),
    ]
    return figure(data, height=320, title=dict(text=t("xor.chart.boundary")),
                  xaxis=dict(title=dict(text="x₁"), constrain="domain"),
                  yaxis=dict(title=dict(text="x₂"), scaleanchor="x", constrain="domain"))


def history_figures(run: xor.Run) -> tuple[go.Figure, go.Figure]:
    epochs = np.arange(run.epoch + 1)
    stride = max(1, len(epochs) // 200)  # 200 points a line draw as well as thousands, and cost a tenth
    shown = epochs[::stride]
    loss = figure([dict(type="scatter", x=shown, y=run.loss_history[::stride], mode="lines", line=dict(width=2))],
                  height=280, title=dict(text=t("xor.chart.loss")),
                  xaxis=dict(title=dict(text=t("xor.epoch"))), yaxis=dict(type="log"))
    weights = figure([dict(type="scatter", x=shown, y=run.params_history[::stride, index], mode="lines", name=name)
                      for index, name in enumerate(xor.parameter_names(run.settings))],
                     height=280, title=dict(text=t("xor.chart.weights")), xaxis=dict(title=dict(text=t("xor.epoch"))))
    return loss, weights


def hidden_figure(grid: dict) -> go.Figure:
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
    return figure(data, height=220, coloraxis=dict(colorscale="RdBu_r", cmin=-1, cmax=1), **layout)


def ledger_equations(book: dict, sample: int) -> list[str]:
    """One input's trip forward and back, as equations with the numbers filled in."""
    x = book["inputs"][sample]
    target = book["targets"][sample]
    lines = [rf"\textbf{{{t('xor.ledger.forward')}}}\quad x = ({x[0]:g}, {x[1]:g}),\ t = {target:g}"]
    if book["model"] == "tutorial":
        layer = book["layers"][0]
        w, b = layer["weights"][:, 0], layer["biases"][0]
        z, y = layer["z"][sample, 0], layer["a"][sample, 0]
        tut = book["tutorial"]
        lines += [
            rf"z = w_1 x_1 + w_2 x_2 + b = {number(w[0])}\cdot{x[0]:g} + {number(w[1])}\cdot{x[1]:g} + {number(b)} = {number(z)}",
            rf"y = \sigma(z) = {y:.6g}",
            rf"\textbf{{{t('xor.ledger.backward')}}}",
            rf"\text{{error}} = t - y = {target:g} - {y:.6g} = {number(tut['error'][sample])}",
            rf"\text{{sigmoid\_derivative}}(y) = y(1 - y) = {tut['sigmoid_derivative'][sample]:.6g}",
            rf"\text{{d\_weights}} = X^\top(\text{{error}} \odot y(1-y)) = ({number(tut['d_weights'][0, 0])},\ {number(tut['d_weights'][1, 0])})",
            rf"\text{{d\_bias}} = \textstyle\sum (\text{{error}} \odot y(1-y)) = {number(tut['d_bias'])}",
            rf"w \mathrel{{+}}= {book['learning_rate']:g}\cdot\text{{d\_weights}},\quad b \mathrel{{+}}= {book['learning_rate']:g}\cdot\text{{d\_bias}}",
        ]
        return lines
    hidden, output = book["layers"]
    f = hidden["activation"]
    for j in range(hidden["weights"].shape[1]):
        w, b = hidden["weights"][:, j], hidden["biases"][j]
        lines.append(
            rf"z_{{{j + 1}}} = {number(w[0])}\cdot{x[0]:g} + {number(w[1])}\cdot{x[1]:g} + {number(b)} = {number(hidden['z'][sample, j])}"
            rf",\quad h_{{{j + 1}}} = \mathrm{{{f}}}(z_{{{j + 1}}}) = {number(hidden['a'][sample, j])}"
        )
    terms = " + ".join(rf"{number(v)}\cdot{number(a)}" for v, a in zip(output["weights"][:, 0], hidden["a"][sample]))
    lines += [
        rf"z = \textstyle\sum_j v_j h_j + c = {terms} + {number(output['biases'][0])} = {number(output['z'][sample, 0])}",
        rf"y = \sigma(z) = {output['a'][sample, 0]:.6g},\quad L_n = {book['loss_per_input'][sample]:.6g}",
        rf"\textbf{{{t('xor.ledger.backward')}}}",
        rf"\delta = \frac{{\partial L}}{{\partial y}}\,\sigma'(z) = {number(output['d_loss_d_a'][sample, 0])}\cdot"
        rf"{number(output['activation_derivative'][sample, 0])} = {number(output['delta'][sample, 0])}",
    ]
    for j in range(hidden["weights"].shape[1]):
        lines.append(
            rf"\delta_{{{j + 1}}} = \delta\, v_{{{j + 1}}}\, \mathrm{{{f}}}'(z_{{{j + 1}}}) = "
            rf"{number(output['delta'][sample, 0])}\cdot{number(output['weights'][j, 0])}\cdot"
            rf"{number(hidden['activation_derivative'][sample, j])} = {number(hidden['delta'][sample, j])}"
        )
    return lines


def ledger_tables(book: dict, names: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every forward and backward value for all four inputs; every gradient and weight change."""
    columns = {"x": INPUT_LABELS, "t": book["targets"]}
    for layer in book["layers"]:
        size = layer["z"].shape[1]
        prefix = "h" if layer["name"] == "hidden" else "y"
        for j in range(size):
            label = f"{prefix}{j + 1}" if prefix == "h" else "y"
            columns[f"z({label})"] = layer["z"][:, j]
            columns[label] = layer["a"][:, j]
            columns[f"δ({label})"] = layer["delta"][:, j]
    values = pd.DataFrame(columns)
    rows = []
    names = iter(names)
    for layer in book["layers"]:
        for gradient, change, value in zip(
            np.concatenate([layer["weight_gradients"].ravel(), layer["bias_gradients"].ravel()]),
            np.concatenate([layer["weight_changes"].ravel(), layer["bias_changes"].ravel()]),
            np.concatenate([layer["weights"].ravel(), layer["biases"].ravel()]),
        ):
            rows.append({t("xor.ledger.parameter"): next(names), t("xor.ledger.value"): value,
                         "∂L/∂θ": gradient, "Δθ = −η·∂L/∂θ": change, t("xor.ledger.next"): value + change})
    return values, pd.DataFrame(rows)



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
        run = st.session_state[RUN_KEY] = xor.new_run(settings, capacity=min(settings.epochs, 20_000) + 1)
        st.session_state[PLAYING_KEY] = False

    if run.diverged:
        d = run.diverged
        st.error(t("xor.diverged", epoch=d.epoch, quantity=d.quantity, value=d.value, last=run.epoch), icon="🛑")

    book = xor.ledger(run)
    predictions = book["predictions"]
    output_z = book["layers"][-1]["z"]
    if run.diverged is None and run.epoch > 0 and np.abs(output_z).min() > 15:
        # σ'(z) < 3e-7 for |z| > 15: the gradient through the output vanishes, so nothing overflows but nothing learns.
        st.warning(t("xor.saturated", lr=settings.lr), icon="🧊")
    done = xor.solved(predictions)
    m = st.columns([1, 1, 2.2, 1.3])
    m[0].metric(t("xor.epoch"), f"{run.epoch:,}")
    m[1].metric(t("xor.loss_now"), f"{book['loss']:.4g}")
    m[2].metric(t("xor.predictions"), " ".join(f"{p:.2f}" for p in predictions))
    m[3].metric(t("xor.solved"), t("xor.yes") if done else t("xor.no"), help=t("xor.solved_help"))
    if tutorial:
        weights, bias = book["layers"][0]["weights"], book["layers"][0]["biases"]
        st.caption(t("xor.tutorial.prints", epoch=run.epoch))
        st.code(f"训练后的权重: {weights}\n训练后的偏置: {bias}", language="text")

    grid = xor.decision_grid(settings, run.params)
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
    sample = st.segmented_control(t("xor.ledger.sample"), range(4), format_func=INPUT_LABELS.__getitem__,
                                  default=1, required=True, key=SAMPLE_KEY)
    with st.container(border=True):
        for line in ledger_equations(book, sample):
            st.latex(line)
    values, gradients = ledger_tables(book, xor.parameter_names(settings))
    st.caption(t("xor.ledger.all_inputs"))
    st.dataframe(values, hide_index=True, width="stretch")
    st.caption(t("xor.ledger.gradients", lr=settings.lr))
    st.dataframe(gradients, hide_index=True, width="stretch")

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
    st.caption(t("xor.check.verdict", worst=float(np.max(check["relative_error"])), epoch=run.epoch))


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

ui.code_panel(xor.code(settings), "xor.py")
