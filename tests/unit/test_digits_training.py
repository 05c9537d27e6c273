"""Lesson 3b, logic: settings, the network's shape, training jobs and their queue,
evaluation, model and data files, teaching a model, the code panel.

Needs no shared data: the MNIST sample ships in the package.
"""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time
import zipfile

import keras
import numpy as np
import pytest

from dlplay.digits import model as digits
from dlplay.digits import jobs as dt
from dlplay.digits.strokes import jitter, path, render, transform

SMALL = dict(train_size=2000, batch_size=64)


def run(job: dt.Job, queue: dt.TrainingQueue | None = None, timeout: float = 300) -> dt.Job:
    """Train `job` through a queue, looking at it as the page does, until it ends."""
    (queue or dt.TrainingQueue(slots=1)).submit(job)
    deadline = time.monotonic() + timeout
    while not job.finished.wait(0.25):
        job.seen()
        assert time.monotonic() < deadline, "the job did not finish"
    return job


# --- settings and shapes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("change, key", [
    (dict(epochs=0), "epochs"), (dict(epochs=10_000), "epochs"), (dict(lr=float("nan")), "lr"), (dict(lr=0.0), "lr"),
    (dict(lr=-1.0), "lr"), (dict(batch_size=0), "batch_size"), (dict(optimizer="magic"), "optimizer"),
    (dict(filters=7), "filters"), (dict(train_size=5), "train_size"), (dict(arch="resnet"), "arch"),
    (dict(arch="custom", conv_layers=3, kernel=5), "conv_layers"),  # 28 → 12 → 4 → 0 pixels
])
def test_settings_that_cannot_train_name_themselves(change, key):
    with pytest.raises(dt.SettingError) as raised:
        dt.check(dt.Config(**change))
    assert raised.value.key == key


@pytest.mark.parametrize("config", [
    dt.Config(),
    dt.Config(arch="custom", conv_layers=2, filters=16, kernel=5, dense=64, dropout=0.2),
    dt.Config(arch="custom", conv_layers=3, filters=8, dense=32),
])
def test_the_layer_table_worked_out_by_hand_matches_keras(config):
    model = dt.build_model(config)
    rows = dt.layer_table(config)
    assert [shape for _, shape, _ in rows] == [tuple(layer.output.shape[1:]) for layer in model.layers]
    assert [count for _, _, count in rows] == [layer.count_params() for layer in model.layers]
    assert dt.parameter_count(config) == model.count_params()


def test_the_tutorial_arch_is_the_tutorials_network_whatever_the_custom_settings():
    model = dt.build_model(dt.Config(arch="tutorial", conv_layers=3, filters=8, dense=16, dropout=0.5))
    assert [type(layer).__name__ for layer in model.layers] == ["Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"]
    assert model.count_params() == 693_962


# --- a training job --------------------------------------------------------------------------------------------


def test_a_job_trains_records_live_curves_and_evaluates():
    job = run(dt.Job(dt.Config(epochs=2, **SMALL), dt.sample_data()))
    assert job.status == dt.DONE, job.error
    curves, progress = job.curves, job.progress
    batches = 2 * np.ceil(2000 / 64)
    assert len(curves.loss) == len(curves.accuracy) == len(curves.train_at) == batches
    assert np.all(np.diff(curves.train_at) > 0) and curves.train_at[-1] == pytest.approx(2.0)
    assert {1.0, 2.0} <= set(curves.val_at) and np.all(np.diff(curves.val_at) > 0)  # at least each epoch's end
    assert curves.val_accuracy[-1] > 0.8 and np.isfinite(curves.val_loss).all()
    assert progress.seen == progress.total == 4000 and progress.per_second > 0
    # what the page shows agrees with the model it keeps
    e = job.evaluation
    assert e.n == 10_000 and e.confusion.sum() == 10_000
    assert np.trace(e.confusion) / e.n == pytest.approx(e.accuracy)
    assert len(e.mistakes) == e.n - np.trace(e.confusion)
    assert e.accuracy == pytest.approx(digits.accuracy(job.model, *dt.sample_data()[2:]), abs=1e-9)
    assert 0.85 < e.accuracy < 1
    conf = e.confidence[e.mistakes]
    assert np.all(np.diff(conf) <= 0), "most confident mistakes first"
    assert job.x_train is None, "the training images are let go once trained"


def test_stop_ends_the_run_and_keeps_a_usable_model():
    job = dt.Job(dt.Config(epochs=5, train_size=10_000, batch_size=32), dt.sample_data())
    queue = dt.TrainingQueue(slots=1)
    queue.submit(job)
    while len(job.snapshot()["curves"].loss) < 60:
        job.seen()
        time.sleep(0.1)
    queue.cancel(job)
    job.finished.wait(120)
    assert job.status == dt.STOPPED
    assert job.progress.seen < job.progress.total / 2
    assert job.evaluation.accuracy > 0.5  # 60+ batches in: a real, usable model
    assert digits.read_digit(job.model, render([np.array([[140, 40], [140, 240]])])).guess == 1


def test_a_huge_learning_rate_is_stopped_at_the_first_nan():
    job = run(dt.Job(dt.Config(optimizer="sgd", lr=100.0, arch="custom", dense=16, **SMALL), dt.sample_data()))
    if job.status == dt.DONE:  # saturated instead of NaN: it learned nothing, and the page says so
        assert job.evaluation.accuracy < 0.2
    else:
        assert job.status == dt.DIVERGED and job.model is None
        assert not np.isfinite(job.curves.loss[-1])


def test_nan_in_the_loss_stops_the_run(monkeypatch):
    """Weights so large that the first batch overflows: the loss is NaN and the run stops there."""
    def overflowing(config):
        return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                 keras.layers.Dense(10, "softmax", kernel_initializer=keras.initializers.Constant(1e38))])

    monkeypatch.setattr(dt, "build_model", overflowing)
    job = run(dt.Job(dt.Config(epochs=3, **SMALL), dt.sample_data()))
    assert job.status == dt.DIVERGED and job.model is None and job.evaluation is None
    assert len(job.curves.loss) == 1 and not np.isfinite(job.curves.loss[0])


# --- the queue -------------------------------------------------------------------------------------------------


class Waiting:
    """A stand-in job for the queue's own logic: it 'trains' until released."""

    def __init__(self):
        self.status, self.last_seen = dt.QUEUED, time.monotonic()
        self.started, self.finished, self.released = threading.Event(), threading.Event(), threading.Event()

    def seen(self):
        self.last_seen = time.monotonic()

    def stop(self):
        self.released.set()

    def run(self):
        self.status = dt.RUNNING
        self.started.set()
        self.released.wait(30)
        self.status = dt.DONE
        self.finished.set()


def test_two_train_at_once_the_rest_wait_in_line_first_come_first_served():
    queue = dt.TrainingQueue(slots=2)
    jobs = [Waiting() for _ in range(5)]
    for job in jobs:
        queue.submit(job)
    assert jobs[0].started.wait(5) and jobs[1].started.wait(5)
    assert [queue.place(job) for job in jobs] == [0, 0, 1, 2, 3]
    assert queue.counts() == (2, 3)
    queue.cancel(jobs[3])  # leaves the line
    assert jobs[3].status == dt.DROPPED and [queue.place(job) for job in (jobs[2], jobs[4])] == [1, 2]
    jobs[0].stop()
    assert jobs[2].started.wait(5) and not jobs[4].started.is_set()
    for job in jobs:
        job.stop()
    assert jobs[4].finished.wait(5)
    time.sleep(0.1)
    assert queue.counts() == (0, 0)


def test_a_visitor_who_left_frees_their_place():
    queue = dt.TrainingQueue(slots=1, abandon_after=0.5)
    running, gone, staying = Waiting(), Waiting(), Waiting()
    for job in (running, gone, staying):
        queue.submit(job)
    time.sleep(0.7)
    staying.seen()
    assert queue.place(staying) == 1 and gone.status == dt.DROPPED
    running.stop()
    assert staying.started.wait(5)
    staying.stop()


def test_the_line_is_bounded():
    queue = dt.TrainingQueue(slots=1, max_waiting=2)
    jobs = [Waiting() for _ in range(3)]
    for job in jobs:
        queue.submit(job)
    with pytest.raises(dt.QueueFull):
        queue.submit(Waiting())
    for job in jobs:
        job.stop()


def test_a_slot_for_work_in_the_callers_thread_waits_its_turn():
    queue = dt.TrainingQueue(slots=1)
    busy = Waiting()
    queue.submit(busy)
    threading.Timer(0.5, busy.stop).start()
    started = time.monotonic()
    with queue.slot(timeout=10):
        assert time.monotonic() - started >= 0.4
        assert queue.counts() == (1, 0)
    time.sleep(0.1)
    assert queue.counts() == (0, 0)


def test_a_running_job_whose_page_is_gone_stops_itself():
    job = dt.Job(dt.Config(epochs=5, train_size=10_000), dt.sample_data())
    dt.TrainingQueue(slots=1, abandon_after=1.0).submit(job)
    job.seen()
    assert job.finished.wait(120)  # nobody looks at it after the start: it stops within a second or so of training
    assert job.status == dt.STOPPED and job.progress.seen < job.progress.total


# --- files -----------------------------------------------------------------------------------------------------


def npz_bytes(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def mnist_like(n=20, **change):
    rng = np.random.default_rng(0)
    arrays = dict(x_train=rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), y_train=rng.integers(0, 10, n),
                  x_test=rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), y_test=rng.integers(0, 10, n))
    arrays.update(change)
    return arrays


def test_an_uploaded_npz_in_the_mnist_layout_is_read():
    x_train, y_train, x_test, y_test = dt.data_from_bytes(npz_bytes(**mnist_like()))
    assert x_train.shape == (20, 28, 28) and x_train.dtype == np.uint8 and y_test.dtype == np.uint8


@pytest.mark.parametrize("content, reason", [
    (b"hello, not a zip", "not_npz"),
    (npz_bytes(x_train=np.zeros((3, 28, 28), np.uint8)), "keys"),
    (npz_bytes(**mnist_like(x_train=np.zeros((20, 32, 32), np.uint8))), "shape"),
    (npz_bytes(**mnist_like(x_test=np.zeros((20, 28, 28), np.float32))), "dtype"),
    (npz_bytes(**mnist_like(y_train=np.full(20, 10))), "labels"),
    (npz_bytes(**mnist_like(y_train=np.full(20, -1))), "labels"),
    (npz_bytes(**mnist_like(y_train=np.zeros(20, np.float64))), "dtype"),
])
def test_a_bad_npz_says_what_is_wrong(content, reason):
    with pytest.raises(dt.UploadError) as raised:
        dt.data_from_bytes(content)
    assert raised.value.reason == reason


def test_an_npz_with_a_pickled_object_is_refused_without_unpickling():
    content = npz_bytes(**mnist_like(y_train=np.array([object()] * 20, dtype=object)))
    with pytest.raises(dt.UploadError) as raised:
        dt.data_from_bytes(content)
    assert raised.value.reason == "not_npz"


def test_too_big_files_are_refused_before_reading():
    with pytest.raises(dt.UploadError) as raised:
        dt.data_from_bytes(b"x" * 101, max_bytes=100)
    assert raised.value.reason == "too_big"
    with pytest.raises(dt.UploadError) as raised:
        dt.model_from_bytes(b"x" * 101, max_bytes=100)
    assert raised.value.reason == "too_big"


def test_a_model_goes_out_and_comes_back_the_same():
    model = digits.load_model("tutorial")
    back = dt.model_from_bytes(dt.model_to_bytes(model))
    x = dt.sample_data()[2][:200]
    np.testing.assert_allclose(digits.probabilities(back, x), digits.probabilities(model, x), atol=1e-6)


def saved(model) -> bytes:
    return dt.model_to_bytes(model)


def test_a_model_for_flat_28_by_28_inputs_is_accepted():
    flat = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10, "softmax")])
    back = dt.model_from_bytes(saved(flat))
    assert digits.probabilities(back, dt.sample_data()[2][:3]).shape == (3, 10)


@pytest.mark.parametrize("build, reason", [
    (lambda: keras.Sequential([keras.Input((32, 32, 1)), keras.layers.Flatten(), keras.layers.Dense(10)]), "input_shape"),
    (lambda: keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(5)]), "output_shape"),
    (lambda: keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Lambda(lambda x: x * 2),
                               keras.layers.Flatten(), keras.layers.Dense(10)]), "unreadable"),  # safe mode
])
def test_a_model_that_cannot_read_digits_says_why(build, reason):
    with pytest.raises(dt.UploadError) as raised:
        dt.model_from_bytes(saved(build()))
    assert raised.value.reason == reason


@pytest.mark.parametrize("content", [b"not a zip at all", npz_bytes(**mnist_like())])
def test_files_that_are_not_keras_models_are_refused(content):
    with pytest.raises(dt.UploadError) as raised:
        dt.model_from_bytes(content)
    assert raised.value.reason in ("not_keras", "unreadable")


def test_a_corrupt_keras_file_is_refused():
    content = bytearray(saved(digits.load_model("tutorial")))
    content[len(content) // 2: len(content) // 2 + 5000] = b"\0" * 5000
    with pytest.raises(dt.UploadError):
        dt.model_from_bytes(bytes(content))
    with zipfile.ZipFile(io.BytesIO(bytes(saved(digits.load_model("ours")))), "r") as archive:
        assert "config.json" in archive.namelist()


# --- teaching the model (issue: five corrected drawings, ≤ 0.5 points lost) -------------------------------------

# A "1" written with a long flag, as many people (and most of China) write it. The shipped
# tutorial model reads it as a 7: MNIST's American 1s are mostly a bare stroke.
FLAG_ONE = [path("15,40 60,3 60,97")]


def flag_ones(seed: int, n: int) -> np.ndarray:
    """n drawings of the flagged 1, as the canvas would give them, preprocessed as /digits does."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        paths = transform(jitter(FLAG_ONE, rng, 2.0), float(rng.uniform(150, 220)), (140, 140),
                          float(rng.uniform(-0.15, 0.15)), float(rng.uniform(-6, 6)))
        out.append(digits.preprocess(render(paths, float(rng.uniform(18, 24)))).image)
    return np.stack(out)


def test_teaching_five_corrected_drawings_fixes_them_without_forgetting_mnist():
    shipped = digits.load_model("tutorial")
    drawn = flag_ones(seed=1, n=5)
    assert np.all(np.argmax(digits.predict(shipped, drawn), axis=1) == 7), "the shipped model misreads them"
    before = shipped.get_weights()

    taught, result = dt.fine_tune(shipped, drawn, [1] * 5, seed=0)

    print(f"\nteaching 5 flagged 1s: MNIST test {result.accuracy_before:.4f} -> {result.accuracy_after:.4f} "
          f"in {result.seconds:.1f} s")
    assert list(result.before) == [7] * 5 and list(result.after) == [1] * 5
    assert np.all(np.argmax(digits.predict(taught, drawn), axis=1) == 1)
    assert result.accuracy_after >= result.accuracy_before - 0.005
    assert result.accuracy_after == pytest.approx(digits.accuracy(taught, *dt.sample_data()[2:]), abs=1e-9)
    fresh = flag_ones(seed=2, n=20)  # drawings it was not taught: it learned the style, not five pictures
    assert np.mean(np.argmax(digits.predict(taught, fresh), axis=1) == 1) >= 0.8
    for kept, now in zip(before, shipped.get_weights()):
        np.testing.assert_array_equal(kept, now)  # the shared model is untouched: only the visitor's copy learns
    assert not shipped.trainable and not taught.trainable


# --- the code panel --------------------------------------------------------------------------------------------


def test_the_code_panel_trains_as_it_stands(tmp_path):
    config = dt.Config(arch="custom", conv_layers=2, filters=8, dense=32, dropout=0.1, epochs=1, batch_size=64,
                       optimizer="rmsprop", lr=0.003, train_size=3000)
    script = tmp_path / "train_digits.py"
    script.write_text(dt.code(config, "sample"))
    done = subprocess.run([sys.executable, script.name], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    accuracy = float(done.stdout.strip().splitlines()[-1].split()[-1])
    assert 0.8 < accuracy <= 1
    assert (tmp_path / "my_digits.keras").is_file()
    model = dt.model_from_bytes((tmp_path / "my_digits.keras").read_bytes())
    assert [type(layer).__name__ for layer in model.layers] == [
        type(layer).__name__ for layer in dt.build_model(config).layers]


@pytest.mark.parametrize("source", dt.SOURCES)
def test_the_code_panel_names_its_data_and_settings(source):
    text = dt.code(dt.Config(epochs=3, batch_size=128, optimizer="sgd", lr=0.01, train_size=5000), source)
    compile(text, "train_digits.py", "exec")
    assert "epochs=3, batch_size=128" in text and "keras.optimizers.SGD(learning_rate=0.01)" in text
    assert "[:5000]" in text
    assert ("keras.datasets.mnist.load_data()" in text) == (source == "mnist")


def test_one_epoch_of_the_tutorials_network_on_the_shipped_sample_reads_97_percent():
    """The issue's bar: one epoch, the tutorial's network and optimizer (Adam 0.001, batch 32),
    all 60,000 shipped training images, as the page trains it; scored on the official test set."""
    job = run(dt.Job(dt.Config(epochs=1, train_size=60_000), dt.sample_data()), timeout=900)
    assert job.status == dt.DONE, job.error
    print(f"\none epoch on {job.progress.seen:,} images: {job.evaluation.accuracy:.4f} on the official "
          f"{job.evaluation.n:,} test images, {job.progress.elapsed:.1f} s of training "
          f"({job.progress.per_second:,.0f} images/s)")
    assert job.evaluation.accuracy >= 0.97


def test_without_internet_the_full_mnist_says_so_at_once(monkeypatch, tmp_path):
    monkeypatch.setattr(dt.Path, "home", lambda: tmp_path)  # nothing in Keras' cache
    monkeypatch.setattr(dt, "MNIST_HOST", "mnist.invalid")  # a name that never resolves
    dt.mnist_data.cache_clear()
    started = time.monotonic()
    with pytest.raises(dt.DataError):
        dt.mnist_data()
    assert time.monotonic() - started < 5


def test_a_job_that_fails_says_so_and_the_log_says_why(monkeypatch, caplog):
    def broken(config):
        raise RuntimeError("no such layer")

    monkeypatch.setattr(dt, "build_model", broken)
    job = run(dt.Job(dt.Config(**SMALL), dt.sample_data(), owner="session-1"))
    assert job.status == dt.FAILED and "no such layer" in job.error and job.model is None
    assert any("session-1" in record.getMessage() for record in caplog.records)


def test_once_unreachable_the_full_mnist_is_not_asked_for_again_for_a_minute(monkeypatch, tmp_path):
    calls = []

    def unreachable(*args, **kwargs):
        calls.append(args)
        raise OSError("network is down")

    monkeypatch.setattr(dt.Path, "home", lambda: tmp_path)
    monkeypatch.setattr(dt.socket, "create_connection", unreachable)
    monkeypatch.setattr(dt, "_offline_until", 0.0)
    dt.mnist_data.cache_clear()
    for _ in range(3):  # three reruns of the page
        with pytest.raises(dt.DataError):
            dt.mnist_data()
    assert len(calls) == 1
