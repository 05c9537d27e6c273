"""Tutorial §3.1: draw a digit and watch a CNN read it as it is drawn, and why."""

import html
import tempfile
import time
from typing import NamedTuple

import streamlit as st

import ui
from dlplay import colours
from dlplay import jobs as line
from dlplay.digits import code, finetune, pad, pictures, samples
from dlplay.digits import reading as digits
from dlplay.digits.data import examples_of
from dlplay.digits.inside import look_inside
from dlplay.digits.mine import my_model, set_my_model
from dlplay.digits.numpy_net import NumpyCNN
from dlplay.digits.state import READING_PARAMS
from dlplay.plain import plain, shorten, visible

t = ui.t
# The prediction reaches the browser first and is painted before the pictures arrive: drawn in the same frame,
# they held the metric back (bench/bench_digits_browser.py). The script waits this long (not holding the GIL).
PAINT_FIRST = 0.04
CANVAS_KEY = "digits.canvas"
READING_KEY = "digits.reading"  # the reading of the drawing now on the canvas, for the details
# The fragments: the reading (reruns while the pen moves), and what follows it when the pen lifts.
READER, CORRECTING, DETAILS = "digits.reader", "digits.correcting", "digits.details"
CORRECTIONS_KEY = "digits.corrections"  # [(28 x 28 input the network saw, right label)], this visitor's
TAUGHT_KEY = "digits.taught"  # the last teaching's FineTuning and the drawings it used
MAX_CORRECTIONS = 50
# A digit to put on the pad without a pen ({"id", "strokes"}), for the reader's next run only; how many were put.
SAMPLE_KEY, SAMPLES_PUT, SAMPLE_PROBLEM = "digits.sample", "digits.samples_put", "digits.sample_problem"
UPLOAD_KEY = "digits.sample_upload"
TEACH_WAIT = 300  # seconds the page waits for its teaching to start and end before it says the line is busy
LAYER_IN_ALT = 40  # characters of a layer's name in a picture's alt text (an uploaded model's may be long)


@st.cache_resource(show_spinner=False)
def shipped_model(name: str):
    """One copy per process, shared by every visitor and never changed; run in numpy, so it needs no TensorFlow."""
    return digits.load_shipped(name)


def class_reader(content: bytes) -> NumpyCNN:
    """Our class's model from its .keras bytes, run in numpy; its file is kept, as teaching a copy reads it again."""
    with tempfile.NamedTemporaryFile(prefix="dlplay-class-", suffix=".keras", delete=False) as file:
        file.write(content)
    return NumpyCNN.load(file.name)


class InUse(NamedTuple):
    """The model that reads the pad, its name on the teacher's wall ("class", "mine" or a shipped one's), and what
    the settings offer besides the shipped models: the visitor's own, our class's (model, its summary)."""

    model: object
    name: str
    mine: dict | None
    ours_together: tuple | None


def model_in_use(state: ui.PageState) -> InUse:
    """Read before the settings are drawn: they sit under the canvas (a phone shows the canvas and its reading
    first). A model just made, or our class's just taught, is the one to try."""
    mine = my_model(st.session_state)
    if mine is not None:
        st.session_state.setdefault("digits.use_mine", True)
    ours_together = ui.class_model(class_reader)  # in a class whose teacher taught one
    if ours_together is not None:
        st.session_state.setdefault("digits.use_class", True)
    if ours_together is not None and st.session_state["digits.use_class"]:
        return InUse(ours_together[0], "class", mine, ours_together)
    if mine is not None and st.session_state["digits.use_mine"]:
        return InUse(mine["model"], "mine", mine, ours_together)
    name = st.session_state[state.key("model")]
    return InUse(shipped_model(name), name, mine, ours_together)


def keep(image) -> None:
    label = st.session_state.get("digits.teach_label")
    kept = st.session_state.setdefault(CORRECTIONS_KEY, [])
    if label is not None and len(kept) < MAX_CORRECTIONS:
        kept.append((image, int(label)))


def taught_by_the_line(task) -> dict | None:
    """The teaching task's result: submitted to the training line and waited for here, its place in line said
    meanwhile; None once the page has said why there is none."""
    backend, said = line.backend(), st.empty()
    try:
        job_id, deadline = backend.submit(task), time.monotonic() + TEACH_WAIT
        while (snapshot := backend.snapshot(job_id)) is not None and snapshot.active:
            if time.monotonic() > deadline:
                backend.stop(job_id)
                said.warning(t("digits.teach.busy"), icon="⏳")
                return None
            if snapshot.status == line.QUEUED:
                said.caption(t("digits.teach.waiting", place=max(1, snapshot.place)))
            time.sleep(0.25)
        if snapshot is not None and snapshot.status == line.FAILED and snapshot.error != line.WORKER_LOST:
            said.warning(t("digits.teach.failed", detail=plain(snapshot.error, 200)), icon="🧑‍🏫")
            return None
        result = backend.result(job_id) if snapshot is not None and snapshot.status == line.DONE else None
    except line.QueueFull:
        result = None
    except line.Unavailable:
        said.warning(t("digits.teach.unavailable"), icon="🔌")
        return None
    if result is None:
        said.warning(t("digits.teach.busy"), icon="⏳")
    return result


def teach(model) -> None:
    """Fine-tune a copy of the model in use on the kept drawings, in the training line; it becomes the visitor's."""
    kept = st.session_state.get(CORRECTIONS_KEY) or []
    images, labels = [image for image, _ in kept], [label for _, label in kept]
    lane = (ui.class_member() or {}).get("code", "")
    with st.spinner(t("digits.teach.working", n=len(kept))):
        taught = taught_by_the_line(finetune.teaching_task(model, images, labels, lane, owner=ui.session_id()))
    if taught is None:
        return
    result = taught["tuning"]
    set_my_model(st.session_state, finetune.reader(taught["model"]),
                 t("digits.mine.taught", n=len(kept), accuracy=result.accuracy_after),
                 accuracy=result.accuracy_after, bytes=taught["model"])
    st.session_state["digits.use_mine"] = True
    st.session_state[TAUGHT_KEY] = (result, images, labels)
    st.session_state["digits.just_taught"] = True
    st.session_state[CORRECTIONS_KEY] = []


def teaching(model, image, guess: int | None) -> None:
    """Wrong? Give the right label, keep the drawing; with a few kept, teach the model."""
    kept = st.session_state.get(CORRECTIONS_KEY) or []
    just_taught = st.session_state.pop("digits.just_taught", False)
    with st.expander(t("digits.teach.title"), icon="🧑‍🏫", expanded=bool(kept) or just_taught):
        st.caption(t("digits.teach.intro"))
        if image is not None:
            question = t("digits.teach.label", guess=guess) if guess is not None else t("digits.teach.label_digit")
            st.segmented_control(question, list(range(10)), key="digits.teach_label")
            st.button(t("digits.teach.keep"), icon="📌", on_click=keep, args=(image,), key="digits.teach_keep",
                      disabled=st.session_state.get("digits.teach_label") is None or len(kept) >= MAX_CORRECTIONS)
        if kept:
            st.image([pictures.enlarge(picture, size=56) for picture, _ in kept],
                     caption=[str(label) for _, label in kept], alt=[t("alt.kept", label=label) for _, label in kept])
            a, b = st.columns(2)
            if a.button(t("digits.teach.go", n=len(kept)), icon="🎓", type="primary", key="digits.teach_go"):
                teach(model)
                if st.session_state.get("digits.just_taught"):
                    st.rerun()  # the whole page: the model in use has changed
            if b.button(t("digits.teach.forget"), key="digits.teach_forget"):
                st.session_state[CORRECTIONS_KEY] = []
                st.rerun(scope="fragment")
        taught = st.session_state.get(TAUGHT_KEY)
        if taught:
            result, images, labels = taught
            st.markdown(t("digits.teach.result", s=f"{result.seconds:.0f}"))
            changes = list(zip(labels, map(shown, result.before), map(shown, result.after)))
            st.image([pictures.enlarge(picture, size=56) for picture in images],
                     caption=[f"{label}: {before} → {after}" for label, before, after in changes],
                     alt=[t("alt.taught", label=label, before=before, after=after) for label, before, after in changes])
            st.metric(t("digits.teach.accuracy"), f"{result.accuracy_after:.2%}", delta=f"{result.change:+.2f} pt",
                      help=t("digits.teach.accuracy_help", before=result.accuracy_before))


def put_on_pad(strokes: list) -> None:
    st.session_state[SAMPLES_PUT] = number = st.session_state.get(SAMPLES_PUT, 0) + 1
    st.session_state[SAMPLE_KEY] = {"id": number, "strokes": strokes}


def put_sample(source: str) -> None:
    digit = st.session_state.get("digits.sample_digit")
    if digit is not None:
        put_on_pad(samples.sample(int(digit), source, st.session_state.get(SAMPLES_PUT, 0)))


def sample_controls() -> None:
    """A way onto the pad without a pen: a real MNIST digit, one in a hand's style, or an uploaded picture, put on
    the pad as strokes (dlplay.digits.samples). Every control is reached with Tab."""
    # An expander, not a popover, whose content is outside the Tab order; it stays open from one sample to the next.
    panel = ui.lazy_expander(t("digits.sample.open"), "digits_samples", icon="🔢")
    if not panel.open:
        return
    with panel:
        st.caption(t("digits.sample.intro"))
        st.segmented_control(t("digits.sample.digit"), list(range(10)), key="digits.sample_digit", default=7)
        row = st.container(horizontal=True)
        row.button(t("digits.sample.mnist"), key="digits.sample_mnist", on_click=put_sample, args=("mnist",))
        row.button(t("digits.sample.hand"), key="digits.sample_hand", on_click=put_sample, args=("hand",))
        file = ui.file_uploader(t("digits.sample.upload"), ["png", "jpg", "jpeg"], key=UPLOAD_KEY,
                                max_mb=samples.MAX_UPLOAD_BYTES // 2**20)
        if file is not None and st.session_state.get(f"{UPLOAD_KEY}.put") != file.file_id:
            st.session_state[f"{UPLOAD_KEY}.put"] = file.file_id
            try:
                put_on_pad(samples.from_upload(file.getvalue()))
                st.rerun(scope="fragment")  # the pad, drawn above, takes it now
            except samples.PictureError as error:
                st.session_state[SAMPLE_PROBLEM] = str(error)
        if (problem := st.session_state.pop(SAMPLE_PROBLEM, None)) is not None:
            st.warning(t(f"digits.sample.problem.{problem}"), icon="🖼️")


def pen_lifted() -> None:
    """The pen lifted (or Undo, Clear): teaching, the steps and the inside of the network follow the reading.
    While the pen moves only the reading reruns, to keep up with it."""
    st.rerun([READER, CORRECTING, DETAILS])


@ui.fragment(key=READER)
def reader(model, crop: bool, fit: bool, centre: bool, wall_name: str):
    """The canvas and the reading of it, beside it (under it on a phone): what reruns while the pen moves. In a
    class the drawing goes to the teacher's wall too, under `wall_name`."""
    draw, result = st.columns([7, 5], gap="medium")  # the canvas at least 260 px beside a tablet's sidebar
    with draw:
        drawing = ui.drawing_pad(CANVAS_KEY, {key: t(f"digits.pad.{key}") for key in ("undo", "clear", "canvas")},
                                 on_lift=pen_lifted, put=st.session_state.pop(SAMPLE_KEY, None))
    reading = None
    if drawing.paths:
        reading = digits.read_digit(model, pad.ink(drawing.paths), crop_box=crop, fit=fit, centre=centre, canvas=True)
    st.session_state[READING_KEY] = reading
    with result:
        shown_reading(reading, drawing, result, wall_name)
        sample_controls()


def shown_reading(reading, drawing, result, wall_name: str) -> None:
    """The Prediction, how sure, and the bars (or why there is none), in `result`, beside or under the pad. In a
    class, right under the Prediction, whether it is right: on a phone's first screen with it."""
    with result:
        said = st.container(key="digits_reading")  # on a phone, how sure sits beside the Prediction (ui STYLE)
        if reading is None:
            said.metric(t("digits.prediction"), "—")
            if drawing.problem:
                said.warning(t(f"digits.drawing.{drawing.problem}"), icon="⚠️")
            else:
                said.info(t("digits.empty"), icon="✍️")
            return
        if reading.reason == "not_digit":
            said.metric(t("digits.prediction"), t("digits.not_digit"))
            said.caption(t("digits.reason.not_digit", p=reading.not_digit, guess=reading.guess))
        elif reading.label is None:
            said.metric(t("digits.prediction"), "?", help=t(f"digits.reason.{reading.reason}"))
            said.warning(t(f"digits.reason.{reading.reason}", guess=reading.guess, p=reading.confidence), icon="🤔")
        else:
            said.metric(t("digits.prediction"), f"{reading.label}")
            said.caption(t("digits.sure", p=reading.confidence))
        if not drawing.live:  # said once the pen lifts, not at every reading while it moves
            ui.announce(spoken(reading), key="announce_digits", container=result)
        if reading.reason not in ("empty", "blob"):  # in a class, it goes to the teacher's wall
            ui.class_drawing(drawing.paths, reading.preprocessed.image, reading.guess, reading.confidence,
                             reading.probabilities, wall_name, live=drawing.live)
        if reading.reason != "empty":
            st.markdown(probability_bars(reading.probabilities, reading.guess, reading.not_digit),
                        unsafe_allow_html=True)
            if reading.not_digit is not None:  # the bar's tooltip says it too, but a finger never hovers
                st.caption(t("digits.bars.not_digit"))


@ui.fragment(key=CORRECTING)
def correcting(model):
    """Correcting the model on this drawing, under the reading: it follows when the pen lifts."""
    reading = st.session_state.get(READING_KEY)
    if reading is None:
        teaching(model, None, None)
    else:
        teaching(model, reading.preprocessed.image if reading.reason != "blob" else None,
                 None if reading.reason == "not_digit" else reading.guess)


def spoken(reading) -> str:
    """The reading as a screen reader says it: the prediction and how sure, or why there is none."""
    if reading.reason == "not_digit":
        return f"{t('digits.prediction')}: {t('digits.not_digit')}"
    if reading.label is None:
        why = t(f"digits.reason.{reading.reason}", guess=reading.guess, p=reading.confidence)
        return f"{t('digits.prediction')}: ? {why}"
    return f"{t('digits.prediction')}: {reading.label}. {t('digits.sure', p=reading.confidence)}"


def shown(guess: int) -> str:
    """A model's answer as a caption shows it: the digit, or ✗ for "not a digit"."""
    return "✗" if guess == digits.NOT_DIGIT else str(guess)


def probability_bars(probabilities, guess: int, not_digit: float | None = None) -> str:
    """The ten probabilities as bars, the guess in red, and "not a digit" (✗) for a model that has it: plain HTML
    (numbers only), which the browser redraws in a few milliseconds at every reading while the pen moves, where a
    plotly chart took tens."""
    refused = not_digit is not None and not_digit > max(probabilities)
    # Our catalogue's words and the model's numbers only; escaped all the same, as they sit in HTML attributes.
    bars = [(html.escape(f'{t("digits.digit")} {k}'), k, p,
             colours.LINE if refused or k != guess else colours.SECOND_LINE) for k, p in enumerate(probabilities)]
    if not_digit is not None:
        bars.append((html.escape(t("digits.not_digit")), "✗", not_digit,
                     colours.SECOND_LINE if refused else colours.MUTED))
    columns = "".join(
        f'<div title="{name}: {html.escape(t("digits.probability"))} {float(p):.1%}" style="flex:1;display:flex;'
        f'flex-direction:column;align-items:center;justify-content:flex-end;height:100%">'
        f'<span style="font-size:0.7rem;opacity:0.8">{f"{p:.0%}" if p >= 0.01 else "&nbsp;"}</span>'
        f'<div style="width:100%;height:{5.5 * p:.2f}rem;min-height:1px;background:{colour};'
        f'transition:height 0.12s"></div><b style="font-weight:400">{label}</b></div>'
        for name, label, p, colour in bars)
    return f'<div style="display:flex;gap:4px;align-items:flex-end;height:7.8rem">{columns}</div>'


def settings(state: ui.PageState, in_use: InUse) -> None:
    """The model and the preprocessing steps: under the canvas, above the steps they switch."""
    mine, ours_together = in_use.mine, in_use.ours_together
    use_mine, use_class = in_use.name == "mine", in_use.name == "class"
    state.widget("model", t("digits.model"), style="segmented", format_func=ui.labels("digits.model.", digits.MODELS),
                 disabled=use_mine or use_class, help=t("digits.model.help"))
    if in_use.name == "tutorial":
        st.caption(t("digits.model.tutorial_ones"))
    if ours_together is not None:
        about = ours_together[1]
        st.toggle(t("classroom.model.use", n=about.get("n", 0), accuracy=about.get("accuracy_after", 0)),
                  key="digits.use_class", help=t("classroom.model.use_help"))
    if mine is not None:
        st.toggle(t("digits.mine.use", name=mine["name"]), key="digits.use_mine", help=t("digits.mine.help"))
    toggles = st.container(horizontal=True, gap="medium")  # they wrap on a narrow screen, never cut
    for key, label in (("crop", "digits.step.crop"), ("fit", "digits.step.fit"), ("centre", "digits.step.centre"),
                       ("inside", "digits.inside")):
        state.widget(key, t(label), container=toggles)


@ui.fragment(key=DETAILS)
def details(model, inside: bool):
    """How the reading came about: the steps from drawing to input, real MNIST digits, the inside of the network."""
    reading = st.session_state.get(READING_KEY)
    if reading is None or reading.reason == "empty":
        return
    time.sleep(PAINT_FIRST)
    steps = reading.preprocessed
    st.subheader(t("digits.steps.header"))
    st.caption(t("digits.steps.intro"))
    pictured = [(t("digits.steps.raw"), steps.ink), (t("digits.steps.cropped"), steps.cropped),
             (t("digits.steps.scaled"), steps.scaled), (t("digits.steps.placed"), steps.placed),
             (t("digits.steps.final"), steps.image)]
    for column, (caption, picture) in zip(st.columns(len(pictured)), pictured):
        if picture is not None:
            column.image(pictures.enlarge(picture, square=True), caption=caption, width="stretch",
                         alt=t("alt.step", step=caption))

    st.caption(t("digits.compare", digit=reading.guess))
    st.image(pictures.examples_picture(examples_of(reading.guess, n=6)), width="content",
             alt=t("alt.examples", digit=reading.guess))

    if not inside:
        return
    st.subheader(t("digits.inside.header"))
    seen = look_inside(model, steps.image, reading.guess)
    if seen.problem:
        st.warning(t("digits.inside.cannot", detail=plain(seen.problem, 200)), icon="🔍")
        return
    if seen.filters is None:
        st.caption(t("digits.inside.no_filters"))
    else:
        st.caption(t("digits.inside.filters", n=len(seen.filters), size=" × ".join(map(str, seen.filters.shape[1:]))))
        st.image(pictures.filters_picture(seen.filters), width="content", alt=t("alt.filters"))
    for layer_name, maps in seen.maps:
        st.caption(t("digits.inside.maps", layer=plain(layer_name), shape=" × ".join(map(str, maps.shape))))
        st.image(pictures.maps_picture(maps), width="content",
                 alt=t("alt.maps", layer=shorten(visible(layer_name), LAYER_IN_ALT + 1), n=maps.shape[-1]))
    for layer_name, values in seen.dense:
        st.caption(t("digits.inside.dense", layer=plain(layer_name), units=len(values),
                     active=digits.active_units(values)))
        st.bar_chart(values, height=160, color=colours.LINE)  # Streamlit's light blue is 1.8:1 on white
    st.caption(t("digits.inside.saliency", digit=reading.guess))
    st.image(pictures.saliency_picture(steps.image, seen.saliency), width="content",
             alt=t("alt.saliency", digit=reading.guess))


state = ui.lesson("digits", READING_PARAMS, badge=False)  # its badge goes under the reading
in_use = model_in_use(state)
crop, fit, centre, inside = (st.session_state[state.key(k)] for k in ("crop", "fit", "centre", "inside"))
reader(in_use.model, crop, fit, centre, in_use.name)
correcting(in_use.model)
ui.class_badge("digits")
settings(state, in_use)
state.publish()
details(in_use.model, inside)
ui.code_panel(code.reading(st.session_state[state.key("model")], crop=crop, fit=fit, centre=centre, lang=ui.lang()),
              "digits.py")
