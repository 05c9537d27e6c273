"""§3.1, the shipped CNNs run in numpy (dlplay/digits/numpy_net.py), checked against Keras and
TensorFlow's own gradients (tf.GradientTape), and a drawing read without TensorFlow."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from dlplay.digits import graph
from dlplay.digits import reading as digits
from dlplay.digits.data import load_sample
from dlplay.digits.numpy_net import NumpyCNN
from dlplay.digits.strokes import HANDS, draw_digit, render

ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = 1e-5  # float32 sums in another order: the two agree to about 1e-6


@pytest.fixture(scope="module")
def pairs():
    """(numpy model, Keras model) for each shipped model."""
    return {name: (digits.load_shipped(name), digits.load_model(name)) for name in digits.MODELS}


def inputs() -> np.ndarray:
    """What the page shows a model: 1,000 MNIST test digits, hand-drawn digits through the page's
    preprocessing, scribbles, a blank and a full field; (n, 28, 28, 1) float32."""
    mnist = load_sample().x_test[:1000].astype(np.float32) / 255
    drawn = [digits.read_digit(digits.load_shipped("ours"), draw_digit(label, hand)).preprocessed.image
             for label, hands in HANDS.items() for hand in range(len(hands))]
    rng = np.random.default_rng(0)
    scribbles = [np.clip(rng.normal(0.3, 0.4, (28, 28)), 0, 1) for _ in range(20)]
    extremes = [np.zeros((28, 28)), np.ones((28, 28))]
    return np.concatenate([mnist, np.asarray(drawn + scribbles + extremes, np.float32)])[..., None]


@pytest.mark.parametrize("name", digits.MODELS)
def test_the_weights_are_the_keras_files_weights(pairs, name):
    mine, keras_model = pairs[name]
    with_weights = [layer for layer in keras_model.layers if layer.weights]
    assert [layer.name for layer in mine.layers] == [layer.name for layer in keras_model.layers]
    assert [layer.kind for layer in mine.layers] == [type(layer).__name__ for layer in keras_model.layers]
    assert len(with_weights) == sum(layer.kernel is not None for layer in mine.layers)
    for layer in with_weights:
        ours = next(m for m in mine.layers if m.name == layer.name)
        np.testing.assert_array_equal(ours.kernel, layer.kernel.numpy())
        np.testing.assert_array_equal(ours.bias, layer.bias.numpy())
        assert ours.activation == layer.activation.__name__


@pytest.mark.parametrize("name", digits.MODELS)
def test_probabilities_match_keras(pairs, name):
    mine, keras_model = pairs[name]
    x = inputs()
    ours = np.concatenate([mine.forward(x[start: start + 100]) for start in range(0, len(x), 100)])
    theirs = np.asarray(keras_model(x, training=False))
    difference = np.abs(ours - theirs).max(axis=1)
    print(f"\n{name}: {len(x)} images, largest |difference| {difference.max():.2e}")
    assert ours.shape == (len(x), 11 if name == "ours" else 10) and difference.max() <= TOLERANCE
    assert np.array_equal(ours.argmax(axis=1), theirs.argmax(axis=1))
    # One image at a time, as the page reads a drawing, is the same.
    np.testing.assert_allclose(digits.predict(mine, x[5, :, :, 0]), theirs[5], atol=TOLERANCE)


@pytest.mark.parametrize("name", digits.MODELS)
def test_every_layer_matches_keras(pairs, name):
    mine, keras_model = pairs[name]
    image = inputs()[3, :, :, 0]
    ours, theirs = digits.layer_outputs(mine, image), digits.layer_outputs(keras_model, image)
    assert [(n, kind, out.shape) for n, kind, out in ours] == [(n, kind, out.shape) for n, kind, out in theirs]
    for (layer, _, a), (_, _, b) in zip(ours, theirs):
        np.testing.assert_allclose(a, b, atol=TOLERANCE * max(1.0, float(np.abs(b).max())), err_msg=layer)
    np.testing.assert_array_equal(digits.first_layer_filters(mine), digits.first_layer_filters(keras_model))
    assert [n for n, _ in digits.feature_maps(mine, image)] == [n for n, _ in digits.feature_maps(keras_model, image)]
    assert digits.active_units(digits.dense_activations(mine, image)[0][1]) == \
        digits.active_units(digits.dense_activations(keras_model, image)[0][1])


@pytest.mark.parametrize("name", digits.MODELS)
def test_the_saliency_gradient_is_tensorflows(pairs, name):
    """The class score's gradient by hand against tf.GradientTape on the Keras model, for every class."""
    import tensorflow as tf

    mine, keras_model = pairs[name]
    x = inputs()[[0, 7, 1005, 1040]]
    for label in range(10):
        theirs = digits._score_gradient(graph.class_scores(keras_model), tf.constant(x), label).numpy()  # Keras
        ours = mine.logit_gradient(x, label)
        np.testing.assert_allclose(ours, theirs, atol=TOLERANCE * float(np.abs(theirs).max()))
    image = x[1, :, :, 0]
    np.testing.assert_allclose(digits.saliency(mine, image), digits.saliency(keras_model, image), atol=1e-5)


def test_drawings_read_the_same_in_numpy_and_keras(pairs):
    mine, keras_model = pairs["ours"]
    for label, hands in HANDS.items():
        for hand in range(len(hands)):
            canvas = draw_digit(label, hand)
            a, b = digits.read_digit(mine, canvas), digits.read_digit(keras_model, canvas)
            assert (a.label, a.guess, a.reason) == (b.label, b.guess, b.reason)
            assert a.confidence == pytest.approx(b.confidence, abs=TOLERANCE)
    dot = digits.read_digit(mine, render([np.array([[100.0, 100.0]])], width=20))
    assert dot.label is None and dot.reason == "blob"


def test_shipped_models_are_loaded_once_and_read_only():
    model = digits.load_shipped("ours")
    assert digits.load_shipped("ours") is model and model.path == digits.model_path("ours")
    assert not model.first_kernel().flags.writeable
    with pytest.raises(ValueError, match="unknown model"):
        digits.load_shipped("../../etc/passwd")


def test_teaching_starts_from_the_keras_twin_of_a_shipped_model():
    keras_model = digits.keras_model(digits.load_shipped("tutorial"))
    assert keras_model is digits.load_model("tutorial")
    assert digits.keras_model(keras_model) is keras_model


def write_keras(path: Path, layers: list[dict], weights: dict[str, np.ndarray]) -> Path:
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        for key, array in weights.items():
            h5[key] = array
    config = {"class_name": "Sequential", "config": {"name": "odd", "layers": layers}}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", buffer.getvalue())
    return path


def test_a_file_it_cannot_run_is_refused(tmp_path):
    (tmp_path / "x.keras").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a Keras model file"):
        NumpyCNN.load(tmp_path / "x.keras")
    conv = {"class_name": "Conv2D", "config": {"name": "c", "padding": "same", "strides": [1, 1],
                                               "dilation_rate": [1, 1], "activation": "relu"}}
    weights = {"layers/conv2d/vars/0": np.zeros((3, 3, 1, 2), np.float32),
               "layers/conv2d/vars/1": np.zeros(2, np.float32)}
    with pytest.raises(ValueError, match="'valid'"):
        NumpyCNN.load(write_keras(tmp_path / "same.keras", [conv], weights))
    lstm = {"class_name": "LSTM", "config": {"name": "rnn"}}
    with pytest.raises(ValueError, match="LSTM is not run in numpy"):
        NumpyCNN.load(write_keras(tmp_path / "lstm.keras", [lstm], {}))
    valid = dict(conv, config=dict(conv["config"], padding="valid"))
    with pytest.raises(ValueError, match="has no weights"):
        NumpyCNN.load(write_keras(tmp_path / "bare.keras", [valid], {"layers/dense/vars/0": np.zeros(1)}))


@pytest.mark.slow
def test_reading_a_drawing_needs_no_tensorflow():
    """In a fresh interpreter, as on a cold server: a drawing read, the inside of the network and MNIST
    digits of its class shown, without importing TensorFlow or Keras nor decompressing the 60,000
    training images (the /digits page itself: tests/unit/test_structure.py)."""
    script = (
        "import sys\n"
        "from dlplay.digits import reading as digits\n"
        "from dlplay.digits.data import examples_of, load_sample\n"
        "from dlplay.digits.strokes import draw_digit\n"
        "assert examples_of(3, n=6).shape == (6, 28, 28) and load_sample.cache_info().currsize == 0\n"
        "model = digits.load_shipped('ours')\n"
        "reading = digits.read_digit(model, draw_digit(3, 0))\n"
        "image = reading.preprocessed.image\n"
        "digits.feature_maps(model, image), digits.dense_activations(model, image), digits.saliency(model, image)\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')]\n"
        "assert reading.label == 3 and not loaded, (reading.label, loaded[:5])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
