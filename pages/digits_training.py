"""Lesson 3b (tutorial §3.1, its `model.fit` line): train the CNN yourself and watch it learn."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import ui
from dlplay.digits import jobs as dt
from dlplay.digits.data import DataError
from dlplay.settings import Param

ui.page_setup()
t = ui.t
LEARNING_RATES = ("0.00001", "0.0001", "0.0003", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10", "100")
PARAMS = [
    Param("data", "sample", choices=dt.SOURCES, kind="choice"),
    Param("images", 10_000, low=1000, high=60_000, step=1000, kind="int"),
    Param("arch", "tutorial", choices=dt.ARCHS, kind="choice"),
    Param("conv", 1, low=1, high=3, step=1, kind="int"),
    Param("filters", "32", choices=tuple(map(str, dt.FILTERS)), kind="choice"),
    Param("kernel", "3", choices=("3", "5"), kind="choice"),
    Param("dense", 128, low=16, high=256, step=16, kind="int"),
    Param("dropout", 0.0, low=0.0, high=0.5, step=0.1, kind="float"),
    Param("epochs", 1, low=1, high=dt.MAX_EPOCHS, step=1, kind="int"),
    Param("batch", "32", choices=tuple(map(str, dt.BATCH_SIZES)), kind="choice"),
    Param("optimizer", "adam", choices=dt.OPTIMIZERS, kind="choice"),
    Param("lr", "0.001", choices=LEARNING_RATES, kind="choice"),
]
JOB_KEY = "digits_training.job"
UPLOAD_KEY = "digits_training.upload"  # (file id, data) of the visitor's uploaded npz
POLL_SECONDS = 1.0  # live enough to watch; each poll draws two charts (bench/bench_training.py)
CHART_POINTS = 400  # the live curves keep every batch; the charts show at most this many points


def config_from(values: dict) -> dt.Config:
    return dt.Config(arch=values["arch"], conv_layers=values["conv"], filters=int(values["filters"]),
                     kernel=int(values["kernel"]), dense=values["dense"], dropout=round(values["dropout"], 2),
                     epochs=values["epochs"], batch_size=int(values["batch"]), optimizer=values["optimizer"],
                     lr=float(values["lr"]), train_size=values["images"])


def training_data(source: str):
    """(data, problem): the arrays for `source`, or None and a message in the visitor's language."""
    if source == "sample":
        return dt.sample_data(), None
    if source == "mnist":
        try:
            return dt.mnist_data(), None
        except DataError:
            return None, t("digits_training.data.offline")
    upload = st.session_state.get(UPLOAD_KEY)
    return (upload[1], None) if upload else (None, t("digits_training.data.upload_first"))


def upload_data(column) -> None:
    """The npz uploader: a good file replaces the visitor's data, a bad one says why."""
    file = column.file_uploader(t("digits_training.data.upload_label"), type=["npz"], key="digits_training.npz",
                                help=t("digits_training.data.upload_help"))
    if file is None:
        return
    kept = st.session_state.get(UPLOAD_KEY)
    if kept and kept[0] == file.file_id:
        column.caption(t("digits_training.data.uploaded", name=file.name, n=len(kept[1][0]), m=len(kept[1][2])))
        return
    try:
        data = dt.data_from_bytes(file.getvalue())
    except dt.UploadError as error:
        column.error(t(f"digits_training.upload.{error.reason}", detail=error.detail), icon="🚫")
        return
    st.session_state[UPLOAD_KEY] = (file.file_id, data)
    column.caption(t("digits_training.data.uploaded", name=file.name, n=len(data[0]), m=len(data[2])))


def layer_table(config: dt.Config) -> list[dict]:
    return [{t("digits_training.layer"): name, t("digits_training.output"): " × ".join(map(str, shape)), t("digits_training.params"): f"{count:,}"}
            for name, shape, count in dt.layer_table(config)]


def figure(data: list[dict], **layout) -> go.Figure:
    return go.Figure(data=data, layout=layout, _validate=False)


def thin(xs: list, ys: list) -> tuple[list, list]:
    step = max(1, len(xs) // CHART_POINTS)
    return xs[::step] + xs[-1:], ys[::step] + ys[-1:]


def curve_figures(curves: dt.Curves, epochs: int) -> tuple[go.Figure, go.Figure]:
    figures = []
    for metric, train, val, top in (("loss", curves.loss, curves.val_loss, None),
                                    ("accuracy", curves.accuracy, curves.val_accuracy, 1)):
        x, y = thin(curves.train_at, train)
        traces = [dict(type="scattergl", x=x, y=y, mode="lines", name=t("digits_training.curve.train"), line=dict(color="#1f77b4")),
                  dict(type="scatter", x=curves.val_at, y=val, mode="lines+markers", name=t("digits_training.curve.val"),
                       line=dict(color="#d62728"))]
        figures.append(figure(traces, height=280, title=dict(text=t(f"digits_training.chart.{metric}")),
                              xaxis=dict(title=dict(text=t("digits_training.epoch")), range=[0, epochs]),
                              yaxis=dict(range=[0, top] if top else None, rangemode="tozero"),
                              legend=dict(orientation="h", y=-0.3)))
    return figures[0], figures[1]


def progress_text(progress: dt.Progress) -> str:
    if progress.phase == "starting":
        return t("digits_training.phase.starting")
    if progress.phase == "evaluating":
        return t("digits_training.phase.evaluating")
    left = t("digits_training.left", s=f"{progress.seconds_left:.0f}") if progress.seconds_left is not None else ""
    return t("digits_training.progress", epoch=progress.epoch, epochs=progress.epochs, seen=f"{progress.seen:,}",
             total=f"{progress.total:,}", rate=f"{progress.per_second:,.0f}", left=left)


def start(config: dt.Config, data) -> None:
    job = dt.Job(config, data, owner=ui.session_id())
    try:
        ui.training_queue().submit(job)
    except dt.QueueFull:
        st.session_state["digits_training.full"] = True
        return
    st.session_state[JOB_KEY] = job


def stop() -> None:
    job = st.session_state.get(JOB_KEY)
    if job is not None:
        ui.training_queue().cancel(job)


state = ui.PageSettings("digits_training", PARAMS)
st.title(t("digits_training.title"))
st.markdown(t("digits_training.intro"))
notices = st.container()
job: dt.Job | None = st.session_state.get(JOB_KEY)
busy = job is not None and job.active

data_column, model_column, fit_column = st.columns(3, gap="large")
with data_column:
    st.subheader(t("digits_training.data"))
    source = state.widget("data", t("digits_training.data.source"), style="segmented", format_func=ui.labels("digits_training.data.", dt.SOURCES),
                          disabled=busy)
    if source == "upload":
        upload_data(data_column)
    state.widget("images", t("digits_training.images"), help=t("digits_training.images_help"), disabled=busy)
with model_column:
    st.subheader(t("digits_training.model"))
    arch = state.widget("arch", t("digits_training.arch"), style="segmented", format_func=ui.labels("digits_training.arch.", dt.ARCHS),
                        disabled=busy)
    if arch == "custom":
        state.widget("conv", t("digits_training.conv"), help=t("digits_training.conv_help"), disabled=busy)
        state.widget("filters", t("digits_training.filters"), style="segmented", disabled=busy)
        state.widget("kernel", t("digits_training.kernel"), style="segmented", disabled=busy)
        state.widget("dense", t("digits_training.dense"), disabled=busy)
        state.widget("dropout", t("digits_training.dropout"), help=t("digits_training.dropout_help"), disabled=busy)
with fit_column:
    st.subheader(t("digits_training.fit"))
    state.widget("epochs", t("digits_training.epochs"), disabled=busy)
    state.widget("batch", t("digits_training.batch"), style="segmented", disabled=busy)
    state.widget("optimizer", t("digits_training.optimizer"), style="segmented", format_func=ui.labels("digits_training.optimizer.", dt.OPTIMIZERS),
                 disabled=busy)
    state.widget("lr", t("digits_training.lr"), style="select_slider", help=t("digits_training.lr_help"), disabled=busy)
state.publish(notices)
values = state.values()
config = config_from(values)

with model_column:
    with st.expander(t("digits_training.layers", n=f"{dt.parameter_count(config):,}")):
        st.dataframe(layer_table(config), hide_index=True, width="stretch")

data, problem = training_data(source)
if data is not None and config.train_size > len(data[0]):
    st.caption(t("digits_training.images_all", n=f"{len(data[0]):,}"))
if problem:
    st.info(problem, icon="ℹ️")
if st.session_state.pop("digits_training.full", False):
    st.warning(t("digits_training.queue.full"), icon="⏳")

if busy:
    st.button(t("digits_training.stop") if job.status == dt.RUNNING else t("digits_training.cancel"), icon="⏹", on_click=stop,
              key="digits_training.stop")
else:
    try:
        dt.check(config)
        ok = data is not None
    except dt.SettingError as error:
        st.error(t("digits_training.bad_setting", key=error.key, value=error.value), icon="🚫")
        ok = False
    st.button(t("digits_training.train"), icon="🏋️", type="primary", disabled=not ok, on_click=start, args=(config, data),
              key="digits_training.train")


@ui.fragment(run_every=POLL_SECONDS if busy else None)
def live():
    """The progress and the live curves; polls the visitor's job while it trains."""
    job = st.session_state.get(JOB_KEY)
    if job is None:
        st.info(t("digits_training.none_yet"), icon="🏋️")
        return
    job.seen()
    snapshot = job.snapshot()
    if busy and snapshot["status"] not in dt.ACTIVE:
        st.rerun()  # it has ended: the whole page again, with the results and without this timer
    progress = snapshot["progress"]
    if snapshot["status"] == dt.QUEUED:
        place = ui.training_queue().place(job)
        running, waiting = ui.training_queue().counts()
        st.progress(0.0, text=t("digits_training.queue.place", place=place, running=running, waiting=waiting))
    elif snapshot["status"] == dt.RUNNING:
        share = progress.seen / progress.total if progress.total else 0.0
        text = t("digits_training.stopping") if snapshot["stopping"] else progress_text(progress)
        st.progress(min(1.0, share), text=text)
    loss, accuracy = curve_figures(snapshot["curves"], job.config.epochs)
    left, right = st.columns(2)
    with left:
        ui.plot(loss, "digits_training.chart.loss")
    with right:
        ui.plot(accuracy, "digits_training.chart.accuracy")


st.subheader(t("digits_training.watch"))
live()


def results(job: dt.Job) -> None:
    """What the finished run learned: accuracy, confusions, mistakes; and what to do with the model."""
    if job.status == dt.DIVERGED:
        st.error(t("digits_training.diverged", lr=job.config.lr), icon="💥")
        return
    if job.status == dt.FAILED:
        st.error(t("digits_training.failed"), icon="⚠️")
        return
    if job.status == dt.DROPPED:
        st.info(t("digits_training.dropped"), icon="ℹ️")
        return
    evaluation = job.evaluation
    st.subheader(t("digits_training.results"))
    if job.status == dt.STOPPED:
        st.info(t("digits_training.stopped", seen=f"{job.progress.seen:,}"), icon="⏹")
    a, b, c = st.columns(3)
    a.metric(t("digits_training.test_accuracy"), f"{evaluation.accuracy:.2%}", help=t("digits_training.test_help", n=f"{evaluation.n:,}"))
    b.metric(t("digits_training.mistakes"), f"{len(evaluation.mistakes):,}")
    c.metric(t("digits_training.time"), f"{job.progress.elapsed:.0f} s")
    if evaluation.accuracy < 0.2:
        st.warning(t("digits_training.learned_nothing", lr=job.config.lr), icon="🤷")
    confusion, gallery = st.columns([1, 1.2], gap="large")
    with confusion:
        st.markdown(f"**{t('digits_training.confusion')}**")
        counts = evaluation.confusion
        shown = np.where(np.eye(10, dtype=bool), np.nan, counts)  # the diagonal would swamp the colours
        heat = figure([dict(type="heatmap", z=shown.tolist(), x=list(range(10)), y=list(range(10)),
                            text=counts.tolist(), texttemplate="%{text}", colorscale="Reds", showscale=False,
                            hovertemplate=t("digits_training.confusion.hover") + "<extra></extra>")],
                      height=420, xaxis=dict(title=dict(text=t("digits_training.guess")), dtick=1, side="top"),
                      yaxis=dict(title=dict(text=t("digits_training.truth")), dtick=1, autorange="reversed"))
        ui.plot(heat, "digits_training.chart.confusion")
        st.caption(t("digits_training.confusion_help"))
    with gallery:
        st.markdown(f"**{t('digits_training.gallery')}**")
        st.caption(t("digits_training.gallery_help"))
        x_test, y_test = job.x_test, job.y_test
        picked = evaluation.mistakes[:24]
        if len(picked):
            st.image([np.asarray(255 - x_test[i]) for i in picked],
                     caption=[t("digits_training.gallery.item", truth=int(y_test[i]), guess=int(evaluation.guesses[i]),
                                p=float(evaluation.confidence[i])) for i in picked], width=72)


def my_model_panel(job: dt.Job | None) -> None:
    """Use, download or upload the visitor's own model."""
    st.subheader(t("digits_training.mine"))
    mine = ui.my_model()
    if job is not None and job.model is not None and (mine is None or mine.get("job") != job.id):
        ui.set_my_model(job.model, t("digits_training.mine.trained", accuracy=job.evaluation.accuracy), job=job.id,
                        accuracy=job.evaluation.accuracy)
        mine = ui.my_model()
    left, right = st.columns(2, gap="large")
    with left:
        if mine is None:
            st.caption(t("digits_training.mine.none"))
        else:
            st.markdown(t("digits_training.mine.now", name=mine["name"]))
            st.page_link("pages/digits.py", label=t("digits_training.mine.try"), icon="✍️")
            if mine.get("bytes") is None:
                mine["bytes"] = dt.model_to_bytes(mine["model"])
            st.download_button(t("digits_training.mine.download"), mine["bytes"], file_name="my_digits.keras",
                               mime="application/octet-stream", icon="⬇️", key="digits_training.download")
    with right:
        file = st.file_uploader(t("digits_training.mine.upload"), type=["keras"], key="digits_training.keras",
                                help=t("digits_training.mine.upload_help", mb=dt.MAX_MODEL_BYTES // 2**20))
        if file is not None and (mine is None or mine.get("file") != file.file_id):
            try:
                model = dt.model_from_bytes(file.getvalue())
            except dt.UploadError as error:
                st.error(t(f"digits_training.upload.{error.reason}", detail=error.detail), icon="🚫")
                return
            accuracy = dt.evaluate(model, *dt.sample_data()[2:]).accuracy
            ui.set_my_model(model, t("digits_training.mine.uploaded", name=file.name, accuracy=accuracy), file=file.file_id,
                            accuracy=accuracy)
            st.rerun()


if job is not None and not job.active:
    results(job)
my_model_panel(job if job is not None and not job.active else None)
ui.code_panel(dt.code(config, source), "train_digits.py")
