"""Lesson 3a (tutorial §3.1): draw a digit and watch a CNN read it, and why."""

import time

import streamlit as st
from streamlit_drawable_canvas import st_canvas

import ui
from dlplay.digits import code, pictures
from dlplay.digits import model as digits
from dlplay.digits.data import examples_of
from dlplay.digits.jobs import shared_queue
from dlplay.digits.state import READING_PARAMS, my_model, set_my_model
from dlplay.digits.teach import fine_tune

t = ui.t
CANVAS = 280  # ten canvas pixels to one MNIST pixel
# The prediction reaches the browser first and is painted before the chart and the
# pictures arrive: drawn in the same frame, they held the metric back
# (bench/bench_digits_browser.py). The script waits this long (not holding the GIL).
PAINT_FIRST = 0.04
CORRECTIONS_KEY = "digits.corrections"  # [(28 x 28 input the network saw, right label)], this visitor's
TAUGHT_KEY = "digits.taught"  # the last teaching's FineTuning and the drawings it used
MAX_CORRECTIONS = 50


@st.cache_resource(show_spinner=False)
def shipped_model(name: str):
    """One copy per process, shared by every visitor and never changed (digits.load_model sets it non-trainable)."""
    model = digits.load_model(name)
    digits.warm_up(model)
    return model


state = ui.lesson("digits", READING_PARAMS)
settings_column, _ = st.columns([3, 1])
with settings_column:
    mine = my_model(st.session_state)
    name = state.widget("model", t("digits.model"), style="segmented", format_func=ui.labels("digits.model.", digits.MODELS),
                        disabled=mine is not None and st.session_state.get("digits.use_mine", True))
    c1, c2, c3, c4 = st.columns(4)
    crop = state.widget("crop", t("digits.step.crop"), container=c1)
    fit = state.widget("fit", t("digits.step.fit"), container=c2)
    centre = state.widget("centre", t("digits.step.centre"), container=c3)
    inside = state.widget("inside", t("digits.inside"), container=c4)
state.publish()
if mine is not None:
    st.session_state.setdefault("digits.use_mine", True)  # a model just made is the one to try
use_mine = mine is not None and settings_column.toggle(t("digits.mine.use", name=mine["name"]), key="digits.use_mine",
                                                        help=t("digits.mine.help"))
model = mine["model"] if use_mine else shipped_model(name)


def keep(image) -> None:
    label = st.session_state.get("digits.teach_label")
    kept = st.session_state.setdefault(CORRECTIONS_KEY, [])
    if label is not None and len(kept) < MAX_CORRECTIONS:
        kept.append((image, int(label)))


def teach() -> None:
    """Fine-tune a copy of the model in use on the kept drawings; it becomes the visitor's model."""
    kept = st.session_state.get(CORRECTIONS_KEY) or []
    images, labels = [image for image, _ in kept], [label for _, label in kept]
    with st.spinner(t("digits.teach.working", n=len(kept))):
        try:
            with shared_queue().slot():
                taught, result = fine_tune(model, images, labels)
        except TimeoutError:
            st.warning(t("digits.teach.busy"), icon="⏳")
            return
    set_my_model(st.session_state, taught, t("digits.mine.taught", n=len(kept), accuracy=result.accuracy_after),
                 accuracy=result.accuracy_after)
    st.session_state["digits.use_mine"] = True
    st.session_state[TAUGHT_KEY] = (result, images, labels)
    st.session_state["digits.just_taught"] = True
    st.session_state[CORRECTIONS_KEY] = []


def teaching(image, guess: int | None) -> None:
    """Wrong? Give the right label, keep the drawing; with a few kept, teach the model."""
    kept = st.session_state.get(CORRECTIONS_KEY) or []
    just_taught = st.session_state.pop("digits.just_taught", False)
    with st.expander(t("digits.teach.title"), icon="🧑‍🏫", expanded=bool(kept) or just_taught):
        st.caption(t("digits.teach.intro"))
        if image is not None:
            st.segmented_control(t("digits.teach.label", guess=guess), list(range(10)), key="digits.teach_label")
            st.button(t("digits.teach.keep"), icon="📌", on_click=keep, args=(image,), key="digits.teach_keep",
                      disabled=st.session_state.get("digits.teach_label") is None or len(kept) >= MAX_CORRECTIONS)
        if kept:
            st.image([pictures.enlarge(picture, size=56) for picture, _ in kept], caption=[str(label) for _, label in kept])
            a, b = st.columns(2)
            if a.button(t("digits.teach.go", n=len(kept)), icon="🎓", type="primary", key="digits.teach_go"):
                teach()
                st.rerun()  # the whole page: the model in use has changed
            if b.button(t("digits.teach.forget"), key="digits.teach_forget"):
                st.session_state[CORRECTIONS_KEY] = []
                st.rerun(scope="fragment")
        taught = st.session_state.get(TAUGHT_KEY)
        if taught:
            result, images, labels = taught
            st.markdown(t("digits.teach.result", s=f"{result.seconds:.0f}"))
            st.image([pictures.enlarge(picture, size=56) for picture in images],
                     caption=[f"{label}: {before} → {after}" for label, before, after
                              in zip(labels, result.before, result.after)])
            st.metric(t("digits.teach.accuracy"), f"{result.accuracy_after:.2%}", delta=f"{result.change:+.2f} pt",
                      help=t("digits.teach.accuracy_help", before=result.accuracy_before))


@ui.fragment()
def reader():
    """The canvas and everything read from it: a stroke reruns only this."""
    draw, result = st.columns([1, 1.3], gap="large")
    with draw:
        st.caption(t("digits.canvas_help"))
        canvas = st_canvas(stroke_width=20, stroke_color="#FFFFFF", background_color="#000000",
                           width=CANVAS, height=CANVAS, drawing_mode="freedraw", return_image_data=True,
                           key="digits.canvas")
    image = canvas.image_data if canvas is not None and canvas.json_data and canvas.json_data.get("objects") else None
    with result:
        if image is None:
            st.metric(t("digits.prediction"), "—")
            st.info(t("digits.empty"), icon="✍️")
            teaching(None, None)
            return
        reading = digits.read_digit(model, image, crop_box=crop, fit=fit, centre=centre)
        if reading.label is None:
            st.metric(t("digits.prediction"), "?", help=t(f"digits.reason.{reading.reason}"))
            st.warning(t(f"digits.reason.{reading.reason}", guess=reading.guess, p=reading.confidence), icon="🤔")
        else:
            st.metric(t("digits.prediction"), f"{reading.label}")
            st.caption(t("digits.sure", p=reading.confidence))
        time.sleep(PAINT_FIRST)
        if reading.reason != "empty":
            bars = ui.figure([dict(type="bar", x=list(range(10)), y=reading.probabilities,
                                   marker=dict(color=["#d62728" if k == reading.guess else "#1f77b4"
                                                      for k in range(10)]),
                                   text=[f"{p:.0%}" if p >= 0.01 else "" for p in reading.probabilities])],
                             height=220, xaxis=dict(tickmode="linear", title=dict(text=t("digits.digit"))),
                             yaxis=dict(range=[0, 1], title=dict(text=t("digits.probability"))))
            ui.plot(bars, "digits.chart.probabilities")
        teaching(reading.preprocessed.image if reading.reason != "blob" else None, reading.guess)

    if reading.reason == "empty":
        return
    steps = reading.preprocessed
    st.subheader(t("digits.steps.header"))
    st.caption(t("digits.steps.intro"))
    shown = [(t("digits.steps.raw"), steps.ink), (t("digits.steps.cropped"), steps.cropped),
             (t("digits.steps.scaled"), steps.scaled), (t("digits.steps.placed"), steps.placed),
             (t("digits.steps.final"), steps.image)]
    for column, (caption, picture) in zip(st.columns(len(shown)), shown):
        if picture is not None:
            column.image(pictures.enlarge(picture, square=True), caption=caption, width="stretch")

    st.caption(t("digits.compare", digit=reading.guess))
    st.image(pictures.examples_picture(examples_of(reading.guess, n=6)), width="content")

    if not inside:
        return
    st.subheader(t("digits.inside.header"))
    st.caption(t("digits.inside.filters"))
    st.image(pictures.filters_picture(digits.first_layer_filters(model)), width="content")
    for layer_name, maps in digits.feature_maps(model, steps.image):
        st.caption(t("digits.inside.maps", layer=layer_name, shape=" × ".join(map(str, maps.shape))))
        st.image(pictures.maps_picture(maps), width="content")
    for layer_name, values in digits.dense_activations(model, steps.image)[:-1]:
        st.caption(t("digits.inside.dense", layer=layer_name, units=len(values), active=digits.active_units(values)))
        st.bar_chart(values, height=160)
    st.caption(t("digits.inside.saliency", digit=reading.guess))
    st.image(pictures.saliency_picture(steps.image, digits.saliency(model, steps.image, reading.guess)),
             width="content")


reader()
ui.code_panel(code.reading(name, crop=crop, fit=fit, centre=centre), "digits.py")
