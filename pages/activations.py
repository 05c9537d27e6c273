"""Lesson 1 (tutorial §1): a neuron, activation functions, softmax, vanishing gradients."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import ui

ui.page_setup()
from dlplay.activations import functions as act
from dlplay.settings import parse_floats

t = ui.t
state = ui.PageSettings("activations", act.PARAMS)


name = ui.labels("activations.name.", act.NAMES)


st.title(t("activations.title"))
st.markdown(t("activations.intro"))
notices = st.container()

# 1. One neuron
st.header(t("activations.neuron.header"))
controls, readout = st.columns([1, 2], gap="large")
with controls:
    st.caption(t("activations.neuron.inputs"))
    x1 = state.widget("x1", "x₁")
    x2 = state.widget("x2", "x₂")
    st.caption(t("activations.neuron.weights"))
    w1 = state.widget("w1", "w₁")
    w2 = state.widget("w2", "w₂")
    b = state.widget("b", "b")
    neuron_f = state.widget("neuron_f", t("activations.neuron.activation"), format_func=name)
z, y = act.neuron(x1, x2, w1, w2, b, neuron_f)
with readout:
    st.latex(rf"z = w_1 x_1 + w_2 x_2 + b = {w1:g}\cdot{x1:g} + ({w2:g})\cdot{x2:g} + ({b:g}) = {z:.4g}")
    st.latex(rf"y = f(z) = {act.ACTIVATIONS[neuron_f].symbol}({z:.4g}) = {y:.4f}")
    m1, m2 = st.columns(2)
    m1.metric(t("activations.neuron.z"), f"{z:.3f}")
    m2.metric(t("activations.neuron.y"), f"{y:.4f}")
    xs, ys, plane = act.neuron_surface(w1, w2, b, neuron_f)
    figure = go.Figure(go.Heatmap(x=xs, y=ys, z=plane, colorscale="RdBu_r", colorbar=dict(title="y")))
    line = np.linspace(-3, 3, 2)
    if abs(w2) > 1e-9:
        figure.add_scatter(x=line, y=-(w1 * line + b) / w2, mode="lines", name=t("activations.neuron.boundary"),
                           line=dict(color="black", dash="dash"))
    elif abs(w1) > 1e-9:
        figure.add_scatter(x=[-b / w1] * 2, y=line, mode="lines", name=t("activations.neuron.boundary"),
                           line=dict(color="black", dash="dash"))
    figure.add_scatter(x=[x1], y=[x2], mode="markers", name=t("activations.neuron.point"),
                       marker=dict(size=14, color="gold", line=dict(color="black", width=2)))
    figure.update_layout(title=t("activations.neuron.plane"), xaxis_title="x₁", yaxis_title="x₂", height=420,
                         xaxis=dict(range=[-3, 3], constrain="domain"), yaxis=dict(range=[-3, 3], scaleanchor="x", constrain="domain"),
                         legend=dict(orientation="h", y=-0.15))
    ui.plot(figure, "neuron_plane")
    st.caption(t("activations.neuron.plane_caption"))

# 2. Activation functions and their derivatives
st.header(t("activations.functions.header"))
st.markdown(t("activations.functions.intro"))
controls, chart = st.columns([1, 2], gap="large")
with controls:
    f_name = state.widget("f", t("activations.functions.pick"), format_func=name)
    show_derivative = state.widget("derivative", t("activations.functions.show_derivative"))
    x = state.widget("x", t("activations.functions.x"))
    function = act.ACTIVATIONS[f_name]
    fx, dfx = float(function.f(x)), float(function.derivative(x))
    m1, m2 = st.columns(2)
    m1.metric(t("activations.functions.fx"), f"{fx:.4f}")
    m2.metric(t("activations.functions.dfx"), f"{dfx:.4f}")
    st.latex(function.formula)
    st.latex(function.derivative_formula)
with chart:
    grid = np.linspace(-6, 6, 241)
    figure = go.Figure()
    regions = act.flat_regions(f_name)
    dead = f_name == "relu"
    for lo, hi in regions:
        figure.add_vrect(x0=lo, x1=hi, fillcolor="crimson" if dead else "orange", opacity=0.12, line_width=0,
                         annotation_text=t("activations.functions.dead" if dead else "activations.functions.flat"),
                         annotation_position="top left")
    figure.add_scatter(x=grid, y=function.f(grid), name=f"{name(f_name)}: f(x)", line=dict(width=3, color="#1f77b4"))
    figure.add_scatter(x=[x], y=[fx], mode="markers", showlegend=False, marker=dict(size=12, color="#1f77b4"))
    if show_derivative:
        figure.add_scatter(x=grid, y=function.derivative(grid), name="f′(x)", line=dict(width=2, dash="dash", color="#d62728"))
        figure.add_scatter(x=[x], y=[dfx], mode="markers", showlegend=False, marker=dict(size=10, color="#d62728"))
    figure.update_layout(height=400, xaxis_title="x", yaxis=dict(range=[-1.5, 3.5]),
                         legend=dict(orientation="h", y=-0.2))
    ui.plot(figure, "activation_function")
    if not regions:
        st.caption(t("activations.functions.none_flat"))
    else:
        st.caption(t("activations.functions.dead_note" if dead else "activations.functions.flat_note"))

# 3. The tutorial's own example, as its code prints it
st.header(t("activations.tutorial.header"))
st.markdown(t("activations.tutorial.intro"))
st.code(
    "import numpy as np\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n\ndef relu(x):\n"
    "    return np.maximum(0, x)\n\nx = np.array([-2, -1, 0, 1, 2])\n"
    'print("Sigmoid:", sigmoid(x))\nprint("ReLU:", relu(x))',
    language="python",
)
st.caption(t("activations.tutorial.output"))
st.code(act.tutorial_example(), language="text")

# 4. Softmax
st.header(t("activations.softmax.header"))
st.markdown(t("activations.softmax.intro"))
controls, chart = st.columns([1, 2], gap="large")
with controls:
    logits_text = state.widget("logits", t("activations.softmax.logits"))
    temperature = state.widget("temperature", t("activations.softmax.temperature"))
logits, understood = state.parsed("logits")
if not understood:
    controls.warning(t("activations.softmax.bad_logits", value=logits_text[:60]))
probabilities = act.softmax(logits, temperature)
with chart:
    labels = [t("activations.softmax.class", i=i) for i in range(len(logits))]
    figure = go.Figure(go.Bar(x=labels, y=probabilities, text=[f"{p:.1%}" for p in probabilities],
                              marker_color="#2ca02c"))
    figure.update_layout(height=320, yaxis=dict(range=[0, 1], title=t("activations.softmax.probability")))
    ui.plot(figure, "softmax")
    best = int(np.argmax(probabilities))
    st.caption(t("activations.softmax.sum", total=float(probabilities.sum()), best=best, p=float(probabilities[best])))

# 5. Vanishing gradients
st.header(t("activations.chain.header"))
st.markdown(t("activations.chain.intro"))
controls, chart = st.columns([1, 2], gap="large")
with controls:
    depth = state.widget("depth", t("activations.chain.depth"))
    chain_x = state.widget("chain_x", t("activations.chain.x0"))
    chain_w = state.widget("chain_w", t("activations.chain.weight"))
chains = {a: act.chain_gradients(a, depth, chain_x, chain_w) for a in act.CHAIN_ACTIVATIONS}
with chart:
    figure = go.Figure()
    layers = np.arange(1, depth + 1)
    for a, sizes in chains.items():
        figure.add_scatter(x=layers, y=np.where(sizes > 0, sizes, np.nan), name=name(a), mode="lines+markers")
    figure.update_layout(height=360, yaxis_type="log", xaxis_title=t("activations.chain.axis_layer"),
                         yaxis_title=t("activations.chain.axis_gradient"), legend=dict(orientation="h", y=-0.25))
    ui.plot(figure, "vanishing_gradients")
    st.caption(t("activations.chain.after", depth=depth, **{a: float(s[-1]) for a, s in chains.items()}))
    if any(s[-1] == 0 for s in chains.values()):
        st.caption(t("activations.chain.zero"))

state.publish(notices)
ui.code_panel(act.code(state.values()), "activations.py")
