"""Tutorial §3.1, its `model.fit` line: train the CNN yourself and watch it learn."""

from dataclasses import asdict

import streamlit as st

import ui
from dlplay import colours
from dlplay import jobs as line
from dlplay.digits import background, code, files, jobs, keras_net, summaries
from dlplay.digits.data import load_sample
from dlplay.digits.mine import my_model, set_my_model
from dlplay.digits.numpy_net import NumpyCNN
from dlplay.digits.pictures import on_paper
from dlplay.digits.state import PAGE_ARCHITECTURES, SOURCES, TRAINING_PARAMS
from dlplay.digits.state import config as config_of
from dlplay.plain import plain

t = ui.t
JOB_KEY = "digits_training.job"  # {"id", "config", "data"}: the visitor's run in the training line, what it trains on
ENDED_KEY = "digits_training.ended"  # (id, status, error, result) of their run once it ended, taken from the line
PROBLEM_KEY = "digits_training.problem"  # why Train or Stop did nothing: a catalogue key, said once
UPLOAD_KEY = "digits_training.upload"  # (file id, Data) of the visitor's uploaded npz
POLL_SECONDS = 1.0  # live enough to watch; each poll of a run draws two charts (bench/bench_training.py)
PROGRESS_SECONDS = 0.5  # the progress bar and Stop: a text and a button, cheap to poll this often
# A setting as its widget names it, for the message that refuses it.
SETTING_LABELS = {"train_size": "digits_training.images", "conv_layers": "digits_training.conv",
                  "filters": "digits_training.filters", "kernel": "digits_training.kernel",
                  "dense": "digits_training.dense", "dropout": "digits_training.dropout",
                  "epochs": "digits_training.epochs", "batch_size": "digits_training.batch", "lr": "digits_training.lr"}


def training_data(source: str):
    """(data, problem): the images for `source`, or None and a message in the visitor's language."""
    if source == "sample":
        return load_sample(), None
    upload = st.session_state.get(UPLOAD_KEY)
    return (upload[1], None) if upload else (None, t("digits_training.data.upload_first"))


def refusal(error: files.UploadError) -> str:
    """Why an uploaded file was refused. Its details (names, shapes) come from the file: shown as plain text."""
    if error.said:
        key, facts = error.said
        return t(key, **{name: plain(value) if isinstance(value, str) else value for name, value in facts.items()})
    return t(f"digits_training.upload.{error.reason}", detail=plain(error.detail, 240))


def upload_data(column) -> None:
    """The npz uploader: a good file replaces the visitor's data, a bad one says why."""
    file = ui.file_uploader(t("digits_training.data.upload_label"), ["npz"], key="digits_training.npz",
                            help=t("digits_training.data.upload_help"), container=column)
    if file is None:
        return
    kept = st.session_state.get(UPLOAD_KEY)
    if not kept or kept[0] != file.file_id:
        try:
            kept = (file.file_id, files.data_from_bytes(file.getvalue()))
        except files.UploadError as error:
            column.error(refusal(error), icon="🚫")
            return
        st.session_state[UPLOAD_KEY] = kept
    data = kept[1]
    column.caption(t("digits_training.data.uploaded", name=plain(file.name), n=len(data.x_train), m=len(data.x_test)))


def curve_figures(curves: jobs.Curves, epochs: int):
    figures = []
    for metric, train, val, top in (("loss", curves.loss, curves.val_loss, None),
                                    ("accuracy", curves.accuracy, curves.val_accuracy, 1)):
        x, y = jobs.thin(curves.train_at, train)
        traces = [dict(type="scattergl", x=x, y=y, mode="lines", name=t("digits_training.curve.train"),
                       line=dict(color=colours.LINE)),
                  dict(type="scatter", x=curves.val_at, y=val, mode="lines+markers",
                       name=t("digits_training.curve.val"),
                       line=dict(color=colours.SECOND_LINE))]
        figures.append(ui.figure(traces, height=280, title=dict(text=t(f"digits_training.chart.{metric}")),
                                 xaxis=dict(title=dict(text=t("digits_training.epoch")), range=[0, epochs]),
                                 yaxis=dict(range=[0, top] if top else None, rangemode="tozero"),
                                 legend=dict(orientation="h", y=-0.3)))
    return figures[0], figures[1]


def progress_text(progress: jobs.Progress) -> str:
    if progress.phase in ("starting", "evaluating"):
        return t(f"digits_training.phase.{progress.phase}")
    numbers = progress.numbers()
    left = numbers.pop("seconds_left")
    return t("digits_training.progress", **numbers, left=t("digits_training.left", s=left) if left else "")


def start(config: keras_net.Config, data) -> None:
    lane = (ui.class_member() or {}).get("code", "")  # the school's line takes turns between classes
    try:
        job_id = line.backend().submit(jobs.training_task(config, data, lane, owner=ui.session_id()))
    except line.QueueFull:
        st.session_state[PROBLEM_KEY] = ("digits_training.queue.full", {})
    except line.TooLarge as error:
        st.session_state[PROBLEM_KEY] = ("digits_training.too_large", {"mb": error.limit // 2**20})
    except line.Unavailable:
        st.session_state[PROBLEM_KEY] = ("digits_training.unavailable", {})
    else:
        st.session_state[JOB_KEY] = {"id": job_id, "config": config, "data": data}


def stop() -> None:
    job = st.session_state.get(JOB_KEY)
    try:
        if job is not None:
            line.backend().stop(job["id"])
    except line.Unavailable:
        st.session_state[PROBLEM_KEY] = ("digits_training.unavailable", {})


def look(fields: tuple[str, ...] = ()) -> line.Snapshot | None:
    """The visitor's run as the line has it now; None if they have none, or if the line cannot be reached (which
    is said here: the rest of the page goes on)."""
    job = st.session_state.get(JOB_KEY)
    if job is None:
        return None
    try:
        return line.backend().snapshot(job["id"], fields)
    except line.Unavailable:
        st.warning(t("digits_training.unavailable"), icon="🔌")
        return None


def ended(snapshot: line.Snapshot | None) -> tuple | None:
    """(id, status, error, result) of the visitor's run once it has ended: taken from the line once, then kept."""
    job, kept = st.session_state.get(JOB_KEY), st.session_state.get(ENDED_KEY)
    if job is None or (kept is not None and kept[0] == job["id"]):
        return kept if job is not None else None
    if snapshot is None or snapshot.active:
        return None
    try:
        result = line.backend().result(job["id"]) or {}
    except line.Unavailable:
        return None
    st.session_state[ENDED_KEY] = kept = (job["id"], snapshot.status, snapshot.error, result)
    return kept


state = ui.lesson("digits_training", TRAINING_PARAMS)
job: dict | None = st.session_state.get(JOB_KEY)
finished = st.session_state.get(ENDED_KEY)
snapshot = look() if job is not None and not (finished and finished[0] == job["id"]) else None
busy = snapshot is not None and snapshot.active
finished = ended(snapshot)

settings = ui.folded(t("digits_training.settings")).container(key=ui.WRAP_NARROW + "digits_training_settings")
data_column, model_column, fit_column = settings.columns(3, gap="small")  # one under another on a tablet
with data_column:
    st.subheader(t("digits_training.data"))
    source = state.widget("data", t("digits_training.data.source"), style="segmented",
                          format_func=ui.labels("digits_training.data.", SOURCES), disabled=busy)
    if source == "upload":
        upload_data(data_column)
    state.widget("train_size", t("digits_training.images"), help=t("digits_training.images_help"), disabled=busy)
with model_column:
    st.subheader(t("digits_training.model"))
    arch = state.widget("arch", t("digits_training.arch"), style="segmented",
                        format_func=ui.labels("digits_training.arch.", PAGE_ARCHITECTURES), disabled=busy)
    if arch == "custom":
        state.widget("conv_layers", t("digits_training.conv"), help=t("digits_training.conv_help"), disabled=busy)
        state.widget("filters", t("digits_training.filters"), style="segmented", disabled=busy)
        state.widget("kernel", t("digits_training.kernel"), style="segmented", disabled=busy)
        state.widget("dense", t("digits_training.dense"), disabled=busy)
        state.widget("dropout", t("digits_training.dropout"), help=t("digits_training.dropout_help"), disabled=busy)
with fit_column:
    st.subheader(t("digits_training.fit"))
    state.widget("epochs", t("digits_training.epochs"), disabled=busy)
    state.widget("batch_size", t("digits_training.batch"), style="segmented", disabled=busy)
    state.widget("optimizer", t("digits_training.optimizer"), style="segmented",
                 format_func=ui.labels("digits_training.optimizer.", keras_net.OPTIMIZERS), disabled=busy)
    state.widget("lr", t("digits_training.lr"), style="select_slider", help=t("digits_training.lr_help"), disabled=busy)
state.publish()
config = config_of(state.values())

with model_column:
    with st.expander(t("digits_training.layers", n=f"{keras_net.parameter_count(config):,}")):
        columns = (t("digits_training.layer"), t("digits_training.output"), t("digits_training.params"))
        st.dataframe([dict(zip(columns, row)) for row in keras_net.layer_rows(config)], hide_index=True,
                     width="stretch",
                     column_config={columns[2]: st.column_config.TextColumn(alignment="right")})  # counts line up

data, problem = training_data(source)
if data is not None and config.train_size > len(data.x_train):
    st.caption(t("digits_training.images_all", n=f"{len(data.x_train):,}"))
if problem:
    st.info(problem, icon="ℹ️")
if said := st.session_state.pop(PROBLEM_KEY, None):
    st.warning(t(said[0], **said[1]), icon="⏳")

if busy:
    # Outside the polled fragments: a button they redraw every half second can lose a click to the redraw.
    st.button(t("digits_training.stop") if snapshot.status == line.RUNNING else t("digits_training.cancel"),
              icon="⏹", on_click=stop, key="digits_training.stop", disabled=snapshot.stopping)
else:
    try:
        keras_net.check(config)
        ok = data is not None
    except keras_net.SettingError as error:
        label = t(SETTING_LABELS[error.key]) if error.key in SETTING_LABELS else plain(error.key)
        st.error(t("digits_training.bad_setting", key=label, value=plain(error.value)), icon="🚫")
        ok = False
    if ok and (images := jobs.quick(config, len(data.x_train))):
        st.caption(t("digits_training.quick", n=f"{images:,}"))
    st.button(t("digits_training.train"), icon="🏋️", type="primary", disabled=not ok, on_click=start,
              args=(config, data), key="digits_training.train")


drawn_as = snapshot.status if busy else None  # the status the page's button was drawn for


@ui.fragment(run_every=PROGRESS_SECONDS if busy else None)
def progress():
    """The progress bar (or the place in line), polled often and cheaply: what the student sees when pressing
    Stop is at most about this far behind the run (which then ends within a batch: jobs.Job.stop)."""
    if not busy or (snapshot := look(("progress",))) is None:
        return
    if snapshot.status != drawn_as:
        # Ended: the whole page again, with the results and without the timers. Or out of the line and training:
        # the whole page again too, for its button (outside these fragments) to say Stop, not Leave the line.
        st.rerun()
    if snapshot.status == line.QUEUED:
        st.progress(0.0, text=t("digits_training.queue.place", place=max(1, snapshot.place), running=snapshot.running,
                                waiting=snapshot.waiting))
    else:
        progress = jobs.Progress(**snapshot.state.get("progress", {}))
        text = t("digits_training.stopping") if snapshot.stopping else progress_text(progress)
        st.progress(progress.share, text=text)


@ui.fragment(run_every=POLL_SECONDS if busy else None)
def live():
    """The live curves; polls the visitor's job while it trains."""
    job = st.session_state.get(JOB_KEY)
    if job is None:
        st.info(t("digits_training.none_yet"), icon="🏋️")
        return
    kept = st.session_state.get(ENDED_KEY)
    if kept is not None and kept[0] == job["id"]:
        curves = kept[3].get("curves")
    elif (snapshot := look(("curves",))) is None or snapshot.status == line.QUEUED:
        # Nothing while waiting: ten tabs redrawing two empty charts every second kept the
        # browsers and the server so busy that a place went unrefreshed for 35 s (bench/bench_queue.py).
        return
    else:
        curves = snapshot.state.get("curves")
    curves, epochs = jobs.Curves(**curves) if curves else jobs.Curves(), job["config"].epochs
    loss, accuracy = curve_figures(curves, epochs)
    left, right = st.columns(2)
    with left:
        ui.plot(loss, "digits_training.chart.loss", empty=t("digits_training.chart.empty"),
                summary=summaries.curve(curves, "loss", epochs, ui.lang()))
    with right:
        ui.plot(accuracy, "digits_training.chart.accuracy", empty=t("digits_training.chart.empty"),
                summary=summaries.curve(curves, "accuracy", epochs, ui.lang()))


st.subheader(t("digits_training.watch"))
progress()
live()


def results(job: dict, status: str, error: str, result: dict) -> None:
    """What the finished run learned: accuracy, confusions, mistakes; and what to do with the model."""
    config, x_test, y_test = job["config"], job["data"].x_test, job["data"].y_test
    if status == line.DIVERGED:
        st.error(t("digits_training.diverged", lr=config.lr), icon="💥")
        return
    if status == line.FAILED:
        st.error(t("digits_training.worker_lost" if error == line.WORKER_LOST else "digits_training.failed"), icon="⚠️")
        return
    if status == line.DROPPED or "evaluation" not in result:
        st.info(t("digits_training.dropped"), icon="ℹ️")
        return
    evaluation, progress = result["evaluation"], result["progress"]
    st.subheader(t("digits_training.results"))
    if status == line.STOPPED:
        st.info(t("digits_training.stopped", asked=f"{result['stop_asked_at'] or 0:,}", seen=f"{progress['seen']:,}"),
                icon="⏹")
    a, b, c = st.columns(3)
    a.metric(t("digits_training.test_accuracy"), f"{evaluation.accuracy:.2%}",
             help=t("digits_training.test_help", n=f"{evaluation.n:,}"))
    b.metric(t("digits_training.mistakes"), f"{len(evaluation.mistakes):,}")
    c.metric(t("digits_training.time"), f"{progress['elapsed']:.0f} s")
    ui.class_run(job["id"], asdict(config), evaluation.accuracy, progress["elapsed"],  # in a class: the leaderboard
                 result["curves"])
    if evaluation.learned_nothing:
        st.warning(t("digits_training.learned_nothing", lr=config.lr), icon="🤷")
    confusion, gallery = st.columns([1, 1.2], gap="large")
    with confusion:
        st.markdown(f"**{t('digits_training.confusion')}**")
        heat = ui.figure([dict(type="heatmap", z=evaluation.confusion_without_diagonal().tolist(),
                               x=list(range(10)), y=list(range(10)), text=evaluation.confusion.tolist(),
                               texttemplate="%{text}", colorscale="Reds", showscale=False,
                               hovertemplate=t("digits_training.confusion.hover") + "<extra></extra>")],
                         height=420, xaxis=dict(title=dict(text=t("digits_training.guess")), dtick=1, side="top"),
                         yaxis=dict(title=dict(text=t("digits_training.truth")), dtick=1, autorange="reversed"))
        ui.plot(heat, "digits_training.chart.confusion",
                summary=summaries.confusion(evaluation.confusion, ui.lang(), "digits_training.confusion.summary."))
        st.caption(t("digits_training.confusion_help"))
    with gallery:
        st.markdown(f"**{t('digits_training.gallery')}**")
        st.caption(t("digits_training.gallery_help"))
        picked = evaluation.mistakes[:24]
        if len(picked):
            st.image([on_paper(x_test[i]) for i in picked],
                     caption=[t("digits_training.gallery.item", truth=int(y_test[i]),
                                guess=int(evaluation.guesses[i]), p=float(evaluation.confidence[i])) for i in picked],
                     alt=[t("alt.mistake", truth=int(y_test[i]), guess=int(evaluation.guesses[i])) for i in picked],
                     width=72)


def my_model_panel(finished: tuple | None) -> None:
    """Use, download or upload the visitor's own model. A trained one is read in numpy from its .keras bytes."""
    st.subheader(t("digits_training.mine"))
    mine = my_model(st.session_state)
    job_id, result = (finished[0], finished[3]) if finished else (None, {})
    if "model" in result and (mine is None or mine.get("job") != job_id):
        accuracy = result["evaluation"].accuracy
        mine = set_my_model(st.session_state, NumpyCNN.from_bytes(result["model"], "my_digits"),
                            t("digits_training.mine.trained", accuracy=accuracy), job=job_id, accuracy=accuracy,
                            bytes=result["model"])
    left, right = st.columns(2, gap="large")
    with left:
        if mine is None:
            st.caption(t("digits_training.mine.none"))
        else:
            st.markdown(t("digits_training.mine.now", name=mine["name"]))
            st.page_link("pages/digits.py", label=t("digits_training.mine.try"), icon="✍️")
            if mine.get("bytes") is None:
                mine["bytes"] = files.model_to_bytes(mine["model"])
            st.download_button(t("digits_training.mine.download"), mine["bytes"], file_name="my_digits.keras",
                               mime="application/octet-stream", icon="⬇️", key="digits_training.download")
    with right:
        file = ui.file_uploader(t("digits_training.mine.upload"), ["keras"], key="digits_training.keras",
                                help=t("digits_training.mine.upload_help", mb=files.MAX_MODEL_BYTES // 2**20),
                                max_mb=files.MAX_MODEL_BYTES // 2**20)
        if file is not None and (mine is None or mine.get("file") != file.file_id):
            try:
                model = files.model_from_bytes(file.getvalue())
                accuracy = files.evaluate_upload(model, load_sample().x_test, load_sample().y_test).accuracy
            except files.UploadError as error:
                st.error(refusal(error), icon="🚫")
                return
            name = t("digits_training.mine.uploaded", name=plain(file.name), accuracy=accuracy)
            set_my_model(st.session_state, model, name, file=file.file_id, accuracy=accuracy)
            st.rerun()


if finished is not None:
    results(job, *finished[1:])
my_model_panel(finished)
ui.code_panel(code.training(config, source, ui.lang()), "train_digits.py")
if line.backend().trains_here:
    background.prepare()  # TensorFlow ready by the time someone presses Train
