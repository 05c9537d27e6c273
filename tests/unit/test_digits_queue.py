"""The training line leaves the cores to the pages: training runs in the background, TensorFlow loads before
it is needed; and what a run sends back, its model's .keras file, reads in numpy as in Keras."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from dlplay.digits import background, jobs
from dlplay.digits.data import load_sample
from dlplay.digits.keras_net import Config

linux_only = pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="thread priorities are read from /proc")


def threads() -> list[tuple[int, str]]:
    """(id, name) of this process's threads; one may end while they are read."""
    found = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/comm") as comm:
                found.append((int(task), comm.read()))
        except FileNotFoundError:
            pass
    return found


def nice_of(thread_id: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, thread_id)


@pytest.mark.slow  # trains a model
@linux_only
def test_a_training_thread_and_tensorflows_threads_run_in_the_background():
    seen: dict[str, int] = {}

    class Watched(jobs.Job):
        def _train(self):
            super()._train()
            seen["trainer"] = nice_of(threading.get_native_id())

    job = Watched(Config(epochs=1, train_size=500, batch_size=100), load_sample())
    jobs.TrainingQueue(slots=1).submit(job)
    assert job.finished.wait(300) and job.status == jobs.DONE, job.error
    assert seen["trainer"] == background.BACKGROUND_NICE
    tensorflow = [thread for thread, name in threads() if name.startswith("tf_")]
    nices = []
    for thread in tensorflow:
        try:
            nices.append(nice_of(thread))
        except ProcessLookupError:  # ended since it was listed
            pass
    assert nices and min(nices) >= background.BACKGROUND_NICE, nices
    assert nice_of(threading.get_native_id()) == 0, "the caller's own thread keeps its priority"


@pytest.mark.slow  # starts a process that loads TensorFlow
def test_tensorflow_is_loaded_in_the_background_before_anyone_trains():
    script = ("import sys, time; from dlplay.digits import background\n"
              "assert 'tensorflow' not in sys.modules\n"
              "thread = background.prepare(); assert background.prepare() is thread  # once per process\n"
              "thread.join(300); assert not thread.is_alive()\n"
              "assert 'tensorflow' in sys.modules and 'keras' in sys.modules; print('ok')")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=360)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]


@pytest.mark.parametrize("config", [
    Config(),
    Config(arch="custom", conv_layers=1, filters=8, kernel=5, dense=8),
    Config(arch="custom", conv_layers=2, filters=16, kernel=5, dense=64, dropout=0.2),
    Config(arch="custom", conv_layers=3, filters=64, kernel=3, dense=512, dropout=0.8),
    Config(arch="custom", conv_layers=2, convs_per_block=2, dense_dropout=0.4, dropout=0.3),
])
def test_every_network_the_page_trains_comes_back_as_a_file_numpy_reads_as_keras_does(config):
    """A run on a school's worker sends its model back as .keras bytes, and web processes read it in numpy."""
    import keras
    import numpy as np

    from dlplay.digits import files
    from dlplay.digits.keras_net import build_model
    from dlplay.digits.numpy_net import NumpyCNN

    keras.utils.set_random_seed(0)
    model = build_model(config)  # freshly initialised: every layer's weights differ from zero
    content = files.model_to_bytes(model)
    reader = NumpyCNN.from_bytes(content)
    assert reader.content == content
    assert [layer.name for layer in reader.layers] == [layer.name for layer in model.layers]
    x = load_sample().x_test[:64].reshape(-1, 28, 28, 1) / np.float32(255)
    np.testing.assert_allclose(reader.forward(x), np.asarray(model(x, training=False)), atol=1e-5)
