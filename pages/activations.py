"""Tutorial §1: a neuron, activation functions, softmax, vanishing gradients."""

import streamlit as st

import ui
from dlplay import colours
from dlplay.activations import functions as act
from dlplay.activations import summaries
from dlplay.activations.code import TUTORIAL_CODE, code
from dlplay.activations.state import CHAIN_ACTIVATIONS, NAMES, PARAMS
from dlplay.plain import plain

t = ui.t
state = ui.lesson("activations", PARAMS)
name = ui.labels("activations.name.", NAMES)
TUTORIAL_KEY = "activations.tutorial"


def section(header: str, intro: str, key: str):
    """A numbered section: its header, what it shows, and (controls, chart) columns; on a phone the chart comes
    first (ui.CHART_FIRST)."""
    ui.heading(header, intro)
    return st.container(key=ui.CHART_FIRST + key).columns([1, 2], gap="large")


# 1. One neuron. On a projector the sliders go two by two and the read-outs join them, so that the plane's
# chart, legend included, is above the fold of 1280 x 720 (tests/browser/test_presentation_browser.py).
present = ui.presenting()
st.header(t("activations.neuron.header"))
controls, readout = st.container(key=ui.CHART_FIRST + "neuron").columns([2, 3] if present else [1, 2], gap="large")


def pair():
    return controls.columns(2) if present else (controls, controls)


controls.caption(t("activations.neuron.inputs"))
left, right = pair()
x1 = state.widget("x1", "x₁", container=left)
x2 = state.widget("x2", "x₂", container=right)
controls.caption(t("activations.neuron.weights"))
left, right = pair()
w1 = state.widget("w1", "w₁", container=left)
w2 = state.widget("w2", "w₂", container=right)
left, right = pair()
b = state.widget("b", "b", container=left)
neuron_f = state.widget("neuron_f", t("activations.neuron.activation"), format_func=name, container=right)
z, y = act.neuron(x1, x2, w1, w2, b, neuron_f)
with readout, st.container(key=ui.VIEW_FIRST + "neuron"):  # on a phone the plane first, the sums under it
    with st.container(key=ui.AFTER_ON_PHONE):
        n = [f"({v:g})" if v < 0 else f"{v:g}" for v in (w1, x1, w2, x2, b)]
        st.latex(rf"z = w_1 x_1 + w_2 x_2 + b = {n[0]}\cdot{n[1]} + {n[2]}\cdot{n[3]} + {n[4]} = {z:.4g}")
        st.latex(rf"y = f(z) = {act.ACTIVATIONS[neuron_f].symbol}({z:.4g}) = {y:.4f}")
        m1, m2 = (controls if present else st).columns(2)
        m1.metric(t("activations.neuron.z"), f"{z:.3f}")
        m2.metric(t("activations.neuron.y"), f"{y:.4f}")
    xs, ys, plane = act.neuron_surface(w1, w2, b, neuron_f)
    # Grey on the boundary (z = 0, where y = f(0)), blue above it, orange below: the colours of every page.
    traces = [dict(type="heatmap", x=xs, y=ys, z=plane, **colours.heatmap(float(act.ACTIVATIONS[neuron_f].f(0.0))),
                   colorbar=dict(title=dict(text="y")))]
    line = act.boundary_line(w1, w2, b)
    if line is not None:
        traces.append(dict(type="scatter", x=line[0], y=line[1], mode="lines", name=t("activations.neuron.boundary"),
                           line=dict(color="black", dash="dash")))
    traces.append(dict(type="scatter", x=[x1], y=[x2], mode="markers", name=t("activations.neuron.point"),
                       marker=dict(size=14, color="gold", line=dict(color="black", width=2))))
    extent = [-act.PLANE_EXTENT, act.PLANE_EXTENT]
    st.markdown(f"**{t('activations.neuron.plane')}**")  # a chart's own title would be cut off, not wrapped
    figure = ui.figure(traces, height=420,
                       xaxis=dict(title=dict(text="x₁"), range=extent, constrain="domain"),
                       yaxis=dict(title=dict(text="x₂"), range=extent, scaleanchor="x", constrain="domain"),
                       legend=dict(orientation="h", y=-0.15))
    ui.plot(figure, "neuron_plane", summary=summaries.plane(plane, w1, w2, b, x1, x2, z, y, ui.lang()))
    st.caption(t("activations.neuron.plane_caption"))

# 2. Activation functions and their derivatives
controls, chart = section(t("activations.functions.header"), t("activations.functions.intro"), "functions")
with controls:
    f_name = state.widget("f", t("activations.functions.pick"), format_func=name)
    show_derivative = state.widget("derivative", t("activations.functions.show_derivative"))
    x = state.widget("x", t("activations.functions.x"))
    fx, dfx = act.value_and_derivative(f_name, x)
    m1, m2 = st.columns(2)
    m1.metric(t("activations.functions.fx"), f"{fx:.4f}")
    m2.metric(t("activations.functions.dfx"), f"{dfx:.4f}")
    st.latex(act.ACTIVATIONS[f_name].formula)
    st.latex(act.ACTIVATIONS[f_name].derivative_formula)
with chart:
    grid, f_grid, df_grid = act.curve(f_name)
    stall = act.stall(f_name)
    shade = {"dead": ("crimson", t("activations.functions.dead")), "flat": ("orange", t("activations.functions.flat"))}
    figure = ui.graph_objects().Figure()  # add_vrect places the shaded regions and their labels
    for lo, hi in act.flat_regions(f_name):
        colour, label = shade[stall]
        figure.add_vrect(x0=lo, x1=hi, fillcolor=colour, opacity=0.12, line_width=0,
                         annotation_text=label, annotation_position="top left")
    figure.add_scatter(x=grid, y=f_grid, name=f"{name(f_name)}: f(x)", line=dict(width=3, color=colours.LINE))
    figure.add_scatter(x=[x], y=[fx], mode="markers", showlegend=False, marker=dict(size=12, color=colours.LINE))
    if show_derivative:
        figure.add_scatter(x=grid, y=df_grid, name="f′(x)", line=dict(width=2, dash="dash", color=colours.SECOND_LINE))
        figure.add_scatter(x=[x], y=[dfx], mode="markers", showlegend=False,
                           marker=dict(size=10, color=colours.SECOND_LINE))
    figure.update_layout(height=400, xaxis_title="x", yaxis=dict(range=[-1.5, 3.5]),
                         legend=dict(orientation="h", y=-0.2))
    ui.plot(figure, "activation_function", summary=summaries.function(
        grid, f_grid, df_grid if show_derivative else None, x, fx, dfx, ui.lang()))
    notes = {"dead": "activations.functions.dead_note", "flat": "activations.functions.flat_note",
             None: "activations.functions.none_flat"}
    st.caption(t(notes[stall]))

# 3. The tutorial's own example, as its code prints it
st.header(t("activations.tutorial.header"))
ui.intro(t("activations.tutorial.intro"))
tutorial = ui.lazy_expander(t("activations.tutorial.open"), TUTORIAL_KEY, icon="📜")
if tutorial.open:
    with tutorial:
        st.code(TUTORIAL_CODE, language="python")
        st.caption(t("activations.tutorial.output"))
        st.code(act.tutorial_example(), language="text")

# 4. Softmax
controls, chart = section(t("activations.softmax.header"), t("activations.softmax.intro"), "softmax")
with controls:
    logits_text = state.widget("logits", t("activations.softmax.logits"))
    temperature = state.widget("temperature", t("activations.softmax.temperature"))
logits, understood = state.parsed("logits")
if not understood:
    controls.warning(t("activations.softmax.bad_logits", value=plain(logits_text)))
probabilities = act.softmax(logits, temperature)
with chart:
    labels = [t("activations.softmax.class", i=i) for i in range(len(logits))]
    figure = ui.figure([dict(type="bar", x=labels, y=probabilities, text=[f"{p:.1%}" for p in probabilities],
                             marker=dict(color=colours.BAR))],
                       height=320, yaxis=dict(range=[0, 1], title=dict(text=t("activations.softmax.probability"))))
    ui.plot(figure, "softmax", summary=summaries.softmax(probabilities, ui.lang()))
    best, p_best, total = act.most_likely(probabilities)
    st.caption(t("activations.softmax.sum", total=total, best=best, p=p_best))

# 5. Vanishing gradients
controls, chart = section(t("activations.chain.header"), t("activations.chain.intro"), "chain")
with controls:
    depth = state.widget("depth", t("activations.chain.depth"))
    chain_x = state.widget("chain_x", t("activations.chain.x0"))
    chain_w = state.widget("chain_w", t("activations.chain.weight"))
chains = act.compare_chains(CHAIN_ACTIVATIONS, depth, chain_x, chain_w)
with chart:
    figure = ui.figure([dict(type="scatter", x=chains.layers, y=chains.for_log_axis(a), name=name(a),
                             mode="lines+markers") for a in CHAIN_ACTIVATIONS],
                       height=360, xaxis=dict(title=dict(text=t("activations.chain.axis_layer"))),
                       yaxis=dict(type="log", exponentformat="power",
                                  title=dict(text=t("activations.chain.axis_gradient"))),
                       legend=dict(orientation="h", y=-0.25))
    ui.plot(figure, "vanishing_gradients", summary=summaries.chain(chains, ui.lang()))
    st.caption(t("activations.chain.after", depth=depth, **chains.after_last_layer))
    if chains.any_died:
        st.caption(t("activations.chain.zero"))

state.publish()
ui.code_panel(code(state.values(), ui.lang()), "activations.py")
