"""Lesson 3a (tutorial §3.1): draw a digit and watch a CNN read it, and why."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from PIL import Image
from streamlit_drawable_canvas import st_canvas

import ui
from dlplay import digits
from dlplay.settings import Param

ui.page_setup()
t = ui.t
CANVAS = 280  # ten canvas pixels to one MNIST pixel
PARAMS = [
    Param("model", "ours", choices=digits.MODELS, kind="choice"),
    Param("crop", True, kind="bool"),
    Param("fit", True, kind="bool"),
    Param("centre", True, kind="bool"),
    Param("inside", False, kind="bool"),
]


@st.cache_resource(show_spinner=False)
def shipped_model(name: str):
    """One copy per process, shared by every visitor and never changed (digits.load_model sets it non-trainable)."""
    model = digits.load_model(name)
    digits.warm_up(model)
    return model


def enlarge(image: np.ndarray, size: int = 140, square: bool = False) -> np.ndarray:
    """A small ink map (0..1) as a white-on-black uint8 picture `size` pixels across, pixels kept square.

    `square` pads it to a square first, so the steps line up at one size.
    """
    if square and image.shape[0] != image.shape[1]:
        side = max(image.shape)
        padded = np.zeros((side, side), image.dtype)
        top, left = (side - image.shape[0]) // 2, (side - image.shape[1]) // 2
        padded[top: top + image.shape[0], left: left + image.shape[1]] = image
        image = padded
    picture = Image.fromarray(np.uint8(np.clip(image, 0, 1) * 255))
    scale = size / max(picture.size)
    return np.asarray(picture.resize((max(1, round(picture.width * scale)), max(1, round(picture.height * scale))),
                                     Image.NEAREST))


def mosaic(maps: np.ndarray, columns: int = 8, gap: int = 1) -> np.ndarray:
    """Feature maps (h, w, c) tiled into one picture, each map scaled to its own range."""
    h, w, c = maps.shape
    rows = -(-c // columns)
    tiles = np.zeros((rows * (h + gap), columns * (w + gap)))
    for k in range(c):
        m = maps[:, :, k]
        span = float(m.max() - m.min())
        r, col = divmod(k, columns)
        tiles[r * (h + gap): r * (h + gap) + h, col * (w + gap): col * (w + gap) + w] = (m - m.min()) / span if span else 0
    return tiles


state = ui.PageSettings("digits", PARAMS)
st.title(t("dig.title"))
st.markdown(t("dig.intro"))
notices = st.container()
settings_column, _ = st.columns([3, 1])
with settings_column:
    name = state.widget("model", t("dig.model"), style="segmented", format_func=ui.labels("dig.model.", digits.MODELS))
    c1, c2, c3, c4 = st.columns(4)
    crop = state.widget("crop", t("dig.step.crop"), container=c1)
    fit = state.widget("fit", t("dig.step.fit"), container=c2)
    centre = state.widget("centre", t("dig.step.centre"), container=c3)
    inside = state.widget("inside", t("dig.inside"), container=c4)
state.publish(notices)
model = shipped_model(name)


@ui.fragment()
def reader():
    """The canvas and everything read from it: a stroke reruns only this."""
    draw, result = st.columns([1, 1.3], gap="large")
    with draw:
        st.caption(t("dig.canvas_help"))
        canvas = st_canvas(stroke_width=20, stroke_color="#FFFFFF", background_color="#000000",
                           width=CANVAS, height=CANVAS, drawing_mode="freedraw", return_image_data=True,
                           key="digits.canvas")
    image = canvas.image_data if canvas is not None and canvas.json_data and canvas.json_data.get("objects") else None
    with result:
        if image is None:
            st.metric(t("dig.prediction"), "—")
            st.info(t("dig.empty"), icon="✍️")
            return
        reading = digits.read_digit(model, image, crop_box=crop, fit=fit, centre=centre)
        if reading.label is None:
            st.metric(t("dig.prediction"), "?", help=t(f"dig.reason.{reading.reason}"))
            st.warning(t(f"dig.reason.{reading.reason}", guess=reading.guess, p=reading.confidence), icon="🤔")
        else:
            st.metric(t("dig.prediction"), f"{reading.label}")
            st.caption(t("dig.sure", p=reading.confidence))
        if reading.reason != "empty":
            bars = go.Figure(data=[dict(type="bar", x=list(range(10)), y=reading.probabilities,
                                        marker=dict(color=["#d62728" if k == reading.guess else "#1f77b4"
                                                           for k in range(10)]),
                                        text=[f"{p:.0%}" if p >= 0.01 else "" for p in reading.probabilities])],
                             layout=dict(height=220, xaxis=dict(tickmode="linear", title=dict(text=t("dig.digit"))),
                                         yaxis=dict(range=[0, 1], title=dict(text=t("dig.probability")))),
                             _validate=False)
            ui.plot(bars, "digits.chart.probabilities")

    if reading.reason == "empty":
        return
    steps = reading.preprocessed
    st.subheader(t("dig.steps.header"))
    st.caption(t("dig.steps.intro"))
    shown = [(t("dig.steps.raw"), steps.ink), (t("dig.steps.cropped"), steps.cropped),
             (t("dig.steps.scaled"), steps.scaled), (t("dig.steps.placed"), steps.placed),
             (t("dig.steps.final"), steps.image)]
    for column, (caption, picture) in zip(st.columns(len(shown)), shown):
        if picture is not None:
            column.image(enlarge(picture, square=True), caption=caption, width="stretch")

    examples = digits.examples_of(reading.guess, n=6)
    st.caption(t("dig.compare", digit=reading.guess))
    st.image(enlarge(np.hstack(examples) / 255.0, size=6 * 70), width="content")

    if not inside:
        return
    st.subheader(t("dig.inside.header"))
    st.caption(t("dig.inside.filters"))
    st.image(enlarge(mosaic(np.transpose(digits.first_layer_filters(model), (1, 2, 0)), columns=16), size=640),
             width="content")
    for layer_name, maps in digits.feature_maps(model, steps.image):
        st.caption(t("dig.inside.maps", layer=layer_name, shape=" × ".join(map(str, maps.shape))))
        st.image(enlarge(mosaic(maps, columns=16), size=min(900, 16 * maps.shape[1] * 3)), width="content")
    for layer_name, values in digits.dense_activations(model, steps.image)[:-1]:
        st.caption(t("dig.inside.dense", layer=layer_name, units=len(values), active=int((values > 0).sum())))
        st.bar_chart(values, height=160)
    saliency = digits.saliency(model, steps.image, reading.guess)
    st.caption(t("dig.inside.saliency", digit=reading.guess))
    overlay = np.stack([steps.image, steps.image * (1 - saliency), steps.image * (1 - saliency)], axis=-1)
    overlay[..., 0] = np.maximum(overlay[..., 0], saliency)
    picture = Image.fromarray(np.uint8(overlay * 255)).resize((224, 224), Image.NEAREST)
    st.image(np.asarray(picture), width="content")


reader()
ui.code_panel(digits.code(name, crop=crop, fit=fit, centre=centre), "digits.py")
