"""Hostile files: each crafted file (tests/crafted.py) and the reason it is refused, through the functions the
page and the command line both use (``files.data_from_bytes``, ``files.model_from_bytes``, ``read_image``,
``read_labelled``). A new kind of bad file is one row.

Every refusal must come before the work: sizes are read from headers, so refusing a bomb costs no more
memory than the file itself (measured with tracemalloc, which sees numpy's and zipfile's allocations).
"""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile

import numpy as np
import pytest

from dlplay.digits import files
from dlplay.digits.preprocess import MAX_PIXELS, ImageError, preprocess, read_image
from dlplay.text.train import read_labelled
from tests import crafted

LINK = "[Session expired - log in again](https://evil.example/login) **bold** $x^2$"

LABEL_TYPES = {"timedelta64": np.arange(20).astype("m8[s]"), "datetime64": np.arange(20).astype("M8[D]"),
               "complex": np.zeros(20, complex), "bool": np.ones(20, bool), "whole float": np.arange(20) % 10 * 1.0,
               "16-bit float": np.zeros(20, np.float16), "text": np.array(["1"] * 20), "void": np.zeros(20, "V8"),
               "structured": np.zeros(20, [(LINK, "<i4")])}
IMAGE_TYPES = {"int8": np.zeros((20, 28, 28), np.int8), "bool": np.zeros((20, 28, 28), bool),
               "void": np.zeros((20, 28, 28), "V1"), "structured": np.zeros((20, 28, 28), [("a", "u1")]),
               "timedelta64": np.zeros((20, 28, 28), "m8[s]")}

NPZ = [
    # (case, file, reason)
    ("1.4 M blank images in 1 MB", lambda: crafted.npz_bomb(), "too_big"),
    ("200,000 test images", lambda: crafted.npz_bomb(200_000, member="x_test"), "too_big"),
    ("header declares 1.4 M, holds 10", lambda: crafted.npz_lying_header(), "shape"),
    ("header declares 10, member holds more", lambda: crafted.npz_lying_header(images=5), "shape"),
    ("200,000 empty members", lambda: crafted.npz_many_members(), "too_big"),
    ("training labels 5 to 14", lambda: crafted.npz_with_labels(5, 14, split="train"), "labels"),
    ("test labels 10 to 19", lambda: crafted.npz_with_labels(10, 19, split="test"), "labels"),
    ("labels -1 to 8", lambda: crafted.npz_with_labels(-1, 8), "labels"),
    ("pickled object labels", lambda: crafted.npz_pickled(), "dtype"),
    ("a single .npy", lambda: crafted.npy_not_npz(), "not_npz"),
    ("plain text", lambda: b"hello, not a zip", "not_npz"),
    ("empty file", lambda: b"", "not_npz"),
    ("zip of junk members", lambda: crafted.zip_with({f"{k}.npy": b"junk" for k in ("x_train", "y_train",
                                                                                    "x_test", "y_test")}),
     "not_npz"),
    ("header of 100 kB", lambda: crafted.zip_with({"x_train.npy": b"\x93NUMPY\x01\x00" + b"\xff\xff" + b" " * 70000,
                                                   "y_train.npy": b"", "x_test.npy": b"", "y_test.npy": b""}),
     "not_npz"),
    ("only x_train", lambda: crafted.npz_bytes(x_train=np.zeros((3, 28, 28), np.uint8)), "keys"),
    ("32 x 32 images", lambda: crafted.npz_bytes(**crafted.mnist_like(x_train=np.zeros((20, 32, 32), np.uint8))),
     "shape"),
    ("no images", lambda: crafted.npz_bytes(**crafted.mnist_like(x_train=np.zeros((0, 28, 28), np.uint8),
                                                                  y_train=np.zeros(0, np.int64))), "shape"),
    ("more labels than images", lambda: crafted.npz_bytes(**crafted.mnist_like(y_test=np.zeros(21, np.int64))),
     "shape"),
    ("float images", lambda: crafted.npz_bytes(**crafted.mnist_like(x_test=np.zeros((20, 28, 28), np.float32))),
     "dtype"),
    ("16-bit images", lambda: crafted.npz_bytes(**crafted.mnist_like(x_test=np.zeros((20, 28, 28), ">u2"))), "dtype"),
    ("float labels", lambda: crafted.npz_bytes(**crafted.mnist_like(y_train=np.zeros(20, np.float64))), "dtype"),
    # Types numpy calls "integer" (timedelta64) or that look like labels: refused by their kind (issue 27).
    *[(f"{name} labels", lambda labels=labels: crafted.npz_bytes(**crafted.mnist_like(y_train=labels)), "dtype")
      for name, labels in LABEL_TYPES.items()],
    *[(f"{name} images", lambda images=images: crafted.npz_bytes(**crafted.mnist_like(x_train=images)), "dtype")
      for name, images in IMAGE_TYPES.items()],
]

KERAS = [
    ("300 MB config in 0.3 MB", lambda: crafted.keras_config_bomb(), "bomb"),
    ("a layer of 10 M units", lambda: crafted.keras_huge_layer(), "weights"),
    ("200 members", lambda: crafted.zip_with({f"{i}": b"" for i in range(200)}), "bomb"),
    ("input 32 x 32 x 3", lambda: crafted.keras_model(input_shape=(32, 32, 3)), "input_shape"),
    ("5 outputs", lambda: crafted.keras_model(outputs=5), "output_shape"),
    ("NaN weights", lambda: crafted.keras_model(nan_weights=True), "not_finite"),
    ("crafted class name", lambda: crafted.keras_with_class_name(LINK), "layer_kind"),
    ("a Lambda layer", lambda: crafted.keras_lambda(), "layer_kind"),
    ("an npz renamed", lambda: crafted.npz_bytes(**crafted.mnist_like()), "not_keras"),
    ("plain text", lambda: b"PK? no", "not_keras"),
    ("config not JSON", lambda: crafted.zip_with({"config.json": b"{nope", "metadata.json": b"{}"}), "unreadable"),
    ("config nested 100,000 deep", lambda: crafted.zip_with({"config.json": b"[" * 100_000 + b"]" * 100_000},
                                                            zipfile.ZIP_STORED), "unreadable"),
    ("config of 200 kB in 1 kB", lambda: crafted.zip_with({"config.json": b"[" * 100_000 + b"]" * 100_000}), "bomb"),
    ("config nested 500 deep", lambda: crafted.zip_with({"config.json": b'{"a":' * 500 + b"1" + b"}" * 500}),
     "unreadable"),
    ("21 MB", lambda: b"PK" + bytes(21 * 2**20), "too_big"),
]

# What running a model would cost, read from its config and weights file before Keras builds it (issue 27).
COSTLY = [
    ("UpSampling2D((400, 400)) in 16 kB", lambda: crafted.keras_activation_bomb("upsampling"), "activation"),
    ("ZeroPadding2D(5000)", lambda: crafted.keras_activation_bomb("padding"), "activation"),
    ("RepeatVector(200000) in 50 kB", lambda: crafted.keras_activation_bomb("repeat"), "activation"),
    ("20,000 filters of 1 x 1", lambda: crafted.keras_activation_bomb("filters"), "activation"),
    ("the upsampling in a functional model", lambda: crafted.keras_activation_bomb("functional"), "activation"),
    ("the upsampling in a nested Sequential", lambda: crafted.keras_activation_bomb("nested"), "activation"),
    ("six layers of 100 MB", lambda: crafted.keras_activation_bomb("many"), "activations"),
    ("600 layers", lambda: crafted.keras_deep(600), "layers"),
    ("65 layers", lambda: crafted.keras_deep(62), "layers"),
    ("Dense(4000) after a 28 x 28 x 64 convolution", lambda: crafted.keras_wide_after_convolution(), "weights"),
    ("weights file declares 1 GB", lambda: crafted.keras_lying_weights(), "weights_file"),
    ("weights file declares 1 MB more", lambda: crafted.keras_lying_weights(2**20), "weights_file"),
    ("optimizer state declares 1 GB", lambda: crafted.keras_lying_weights(where="optimizer/vars/0"), "weights_file"),
    ("weights linked to /etc/passwd", lambda: crafted.keras_weights_linked("external"), "weights_file"),
    ("weights soft-linked", lambda: crafted.keras_weights_linked("soft"), "weights_file"),
    ("weights of strings", lambda: crafted.keras_weights_of_strings(), "weights_file"),
    ("5,000 groups in the weights file", lambda: crafted.keras_weights_many_entries(), "weights_file"),
    ("a Dense layer from module os", lambda: crafted.keras_with_class_name("Dense", module="os"), "layer_kind"),
    ("a registered custom layer", lambda: crafted.keras_with_class_name("Dense", registered_name="my>Dense"),
     "layer_kind"),
    ("an Embedding layer", lambda: crafted.keras_with_class_name("Embedding"), "layer_kind"),
    ("a layer named x-@evil.example", lambda: crafted.keras_with_layer_name("x-@evil.example"), "name"),
    ("a layer named conv 1", lambda: crafted.keras_with_layer_name("conv 1"), "name"),
    ("a layer named naïve", lambda: crafted.keras_with_layer_name("naïve"), "name"),
    ("a layer named _hidden", lambda: crafted.keras_with_layer_name("_hidden"), "name"),
    ("UpSampling2D((10^300, 10^300))", lambda: crafted.keras_config_changed(
        crafted.keras_activation_bomb(), lambda c: c["config"]["layers"][1]["config"].update(size=[10**300] * 2)),
     "activation"),
    ("a Dense layer of 10^300 units", lambda: crafted.keras_config_changed(
        crafted.keras_model(), lambda c: c["config"]["layers"][-1]["config"].update(units=10**300)), "weights"),
    ("a call written as a number", lambda: crafted.keras_config_changed(
        crafted.keras_activation_bomb("functional"), lambda c: c["config"]["layers"][1].update(inbound_nodes=5)),
     "unreadable"),
    ("a call of a layer not in the model", lambda: crafted.keras_config_changed(
        crafted.keras_activation_bomb("functional"), lambda c: c["config"]["layers"][1]["inbound_nodes"][0]["args"][0]
        ["config"].update(keras_history=["elsewhere", 0, 0])), "unreadable"),
]

IMAGES = [
    ("20000 x 20000 PNG", lambda: crafted.huge_png(20_000, 20_000), "too large"),
    ("PNG header declaring 10^10 pixels", lambda: crafted.png_header_only(), "too large"),
    ("8001 x 8001 PNG", lambda: crafted.png_header_only(8_001, 8_001), "too large"),
    ("half a PNG", lambda: crafted.truncated_png(), "cannot be decoded"),
    ("text named .png", lambda: b"not an image at all", "not an image"),
]


SLOW_NPZ = {"1.4 M blank images in 1 MB", "200,000 empty members"}  # seconds each, to make and to refuse


@pytest.mark.parametrize("case, make, reason", [
    pytest.param(*row, id=row[0], marks=[pytest.mark.slow] if row[0] in SLOW_NPZ else []) for row in NPZ])
def test_a_hostile_npz_is_refused_with_its_reason(case, make, reason):
    with pytest.raises(files.UploadError) as raised:
        files.data_from_bytes(make())
    assert raised.value.reason == reason, raised.value


@pytest.mark.parametrize("case, make, reason", KERAS, ids=[row[0] for row in KERAS])
def test_a_hostile_keras_file_is_refused_with_its_reason(case, make, reason):
    with pytest.raises(files.UploadError) as raised:
        files.model_from_bytes(make())
    assert raised.value.reason == reason, raised.value


@pytest.mark.parametrize("case, make, reason", COSTLY, ids=[row[0] for row in COSTLY])
def test_a_model_that_would_cost_too_much_to_run_is_refused_quickly_before_keras_builds_it(case, make, reason):
    content = make()
    started = time.perf_counter()
    with pytest.raises(files.UploadError) as raised:
        files.model_from_bytes(content)
    assert raised.value.reason == reason, raised.value
    assert time.perf_counter() - started < 2, "refused from its config and headers, before anything runs"
    assert "\n" not in raised.value.detail and len(raised.value.detail) <= 260


@pytest.mark.parametrize("case, make, words", IMAGES, ids=[row[0] for row in IMAGES])
def test_a_hostile_image_is_refused_with_its_reason(tmp_path, case, make, words):
    path = tmp_path / "image.png"
    path.write_bytes(make())
    with pytest.raises(ImageError) as raised:
        read_image(path)
    assert words in str(raised.value) and "\n" not in str(raised.value)


def refusal_peak(read, content, error=files.UploadError) -> int:
    """Bytes Python and numpy held at most while ``read`` refused ``content``, above where they started."""
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        with pytest.raises(error):
            read(content)
        return tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("read, make", [
    pytest.param(files.data_from_bytes, crafted.npz_bomb, id="npz bomb", marks=pytest.mark.slow),  # 3 s to make
    pytest.param(files.data_from_bytes, crafted.npz_lying_header, id="npz lying header"),
    pytest.param(files.model_from_bytes, crafted.keras_config_bomb, id="keras config bomb"),
    pytest.param(files.model_from_bytes, crafted.keras_lying_weights, id="weights file declaring 1 GB"),
    pytest.param(files.model_from_bytes, crafted.keras_activation_bomb, id="activation bomb"),
    pytest.param(files.model_from_bytes, crafted.keras_deep, id="600 layers"),
])
def test_refusing_a_bomb_costs_little_memory(read, make):
    content = make()
    assert len(content) < 2 * 2**20
    assert refusal_peak(read, content) < 8 * 2**20


def test_refusing_a_huge_png_costs_little_memory(tmp_path):
    path = tmp_path / "huge.png"
    path.write_bytes(crafted.huge_png())
    assert refusal_peak(read_image, path, ImageError) < 2**20
    assert 20_000 * 20_000 > MAX_PIXELS > 50_000_000, "a 50 MP phone photo is read"


def test_a_crafted_class_name_comes_back_as_data_not_markup():
    with pytest.raises(files.UploadError) as raised:
        files.model_from_bytes(crafted.keras_with_class_name(LINK))
    # The name is in the detail as the file holds it (the page shows it with plain()), never pre-formatted.
    assert LINK in raised.value.detail and "\n" not in raised.value.detail
    assert len(raised.value.detail) <= 260


def test_the_largest_valid_upload_is_read():
    arrays = crafted.mnist_like(1000)
    data = files.data_from_bytes(crafted.npz_bytes(**arrays))
    np.testing.assert_array_equal(data.x_train, arrays["x_train"])
    assert data.y_test.dtype == np.uint8


def test_a_canvas_inked_to_its_edges_is_not_read_as_its_gaps():
    canvas = np.full((280, 280, 4), 255, np.uint8)  # white ink everywhere
    canvas[40:240, 135:145, :3] = 0  # a black gap shaped like a 1
    steps = preprocess(canvas, canvas=True)
    assert steps.reason == "blob" and not steps.dark_on_light
    assert preprocess(np.full((280, 280, 4), 255, np.uint8), canvas=True).reason == "blob"


@pytest.mark.parametrize("rows, words", [
    ([(7, "great"), (1, "good")], "expected 0 or 1"),
    ([(0, "bad"), (-1, "awful")], "expected 0 or 1"),
], ids=["label 7", "label -1"])
def test_a_text_file_with_labels_other_than_0_and_1_is_refused(tmp_path, rows, words):
    path = tmp_path / "data.tsv"
    path.write_bytes(crafted.labelled_tsv(rows))
    with pytest.raises(ValueError, match=words):
        read_labelled(path)


def saved(build) -> bytes:
    """A model built by ``build(keras, layers)`` as a ``.keras`` file's bytes."""
    import keras

    return crafted._saved(build(keras, keras.layers))


def branching(keras, layers):
    image = keras.Input((28, 28, 1))
    x = layers.Add()([layers.Conv2D(8, 3, padding="same")(image), layers.Conv2D(8, 5, padding="same")(image)])
    x = layers.MaxPooling2D()(layers.ReLU()(layers.BatchNormalization()(x)))
    x = layers.Concatenate()([x, layers.AveragePooling2D(2)(image)])
    return keras.Model(image, layers.Dense(10, activation="softmax")(layers.GlobalAveragePooling2D()(x)))


def shared(keras, layers):
    image, twice = keras.Input((28, 28, 1)), layers.Dense(28, activation="relu")
    x = twice(twice(layers.Reshape((28, 28))(image)))
    return keras.Model(image, layers.Dense(10, activation="softmax")(layers.Flatten()(x)))


def nested(keras, layers):
    inner = keras.Sequential([layers.Conv2D(4, 3), layers.Flatten()])
    return keras.Sequential([keras.Input((28, 28, 1)), inner, layers.Dense(10, "softmax")])


def sequential(made, input_shape=(28, 28, 1)):
    return lambda keras, layers: keras.Sequential([keras.Input(input_shape), *made(layers)])


def page_network(**settings):
    from dlplay.digits import keras_net

    return lambda keras, layers: keras_net.build_model(keras_net.Config(arch="custom", **settings))


# Models an upload may be, beside the ones dlplay makes: each is accepted, read, and shown inside.
ACCEPTED = [
    ("tutorial", page_network(), True),
    ("the page's deepest", page_network(conv_layers=3, filters=64, dense=256, dropout=0.5, dense_dropout=0.5), True),
    ("the page's widest", page_network(filters=64, dense=256), True),
    ("dense", sequential(lambda la: [la.Flatten(), la.Dense(128, activation="relu"), la.Dense(10, "softmax")]), False),
    ("dense on 28 x 28", sequential(lambda la: [la.Flatten(), la.Dense(16, activation="relu"), la.Dense(10, "softmax")],
                                    input_shape=(28, 28)), False),
    ("LSTM over the rows", sequential(lambda la: [la.LSTM(16), la.Dense(10, "softmax")], input_shape=(28, 28)), False),
    ("branches and batch norm", branching, True),
    ("a layer used twice", shared, False),
    ("separable, depthwise, transposed", sequential(lambda la: [
        la.SeparableConv2D(8, 3), la.DepthwiseConv2D(3), la.Conv2DTranspose(4, 3, strides=2), la.LayerNormalization(),
        la.PReLU(), la.GlobalMaxPooling2D(), la.Dense(10, "softmax")]), False),
    ("a nested Sequential", nested, True),
    ("a Softmax layer last", sequential(lambda la: [la.Flatten(), la.Dense(10), la.Softmax()]), False),
    ("float64", sequential(lambda la: [la.Flatten(), la.Dense(10, "softmax", dtype="float64")]), False),
]


@pytest.mark.parametrize("case, build, convolution", ACCEPTED, ids=[row[0] for row in ACCEPTED])
def test_an_accepted_model_is_counted_exactly_read_and_shown_inside(case, build, convolution):
    from dlplay.digits import sizes
    from dlplay.digits.data import load_sample
    from dlplay.digits.inside import look_inside

    content = saved(build)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        cost = sizes.model_cost(json.loads(archive.read("config.json")))
    model = files.model_from_bytes(content)
    assert cost.weights == model.count_params()
    x, y = load_sample().x_test[:200], load_sample().y_test[:200]
    assert files.evaluate_upload(model, x, y).n == 200
    seen = look_inside(model, x[0] / np.float32(255), 3)
    assert seen.problem == "" and seen.saliency.shape == (28, 28)
    assert (seen.filters is not None) == convolution and (bool(seen.maps) or not convolution)


def test_the_budgets_leave_room_for_every_network_dlplay_makes():
    """The page's largest networks and ours fit with room to spare: the budgets refuse bombs, not digit readers."""
    from dlplay.digits import keras_net, sizes

    for config in (keras_net.RECIPES["ours"], keras_net.Config(arch="custom", conv_layers=3, filters=64, dense=256),
                   keras_net.Config(arch="custom", filters=64, dense=256, kernel=5)):
        cost = sizes.model_cost(json.loads(keras_net.build_model(config).to_json()))
        assert max(size for *_, size in cost.outputs) * sizes.BATCH < sizes.MAX_ACTIVATION_BYTES / 1.5
        assert cost.total_bytes * sizes.BATCH < sizes.MAX_ACTIVATIONS_BYTES / 3
        assert cost.weights < sizes.MAX_WEIGHTS / 5 and cost.layers < sizes.MAX_LAYERS / 4


def test_the_deepest_model_accepted_is_read_in_seconds():
    from dlplay.digits.data import load_sample

    started = time.process_time()
    model = files.model_from_bytes(crafted.keras_deep(61))  # 64 layers with its input, flatten and digits
    files.evaluate_upload(model, load_sample().x_test, load_sample().y_test)
    assert time.process_time() - started < 20


def test_a_model_saved_after_training_keeps_its_optimizer_state_and_is_accepted():
    import keras

    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10, "softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(np.zeros((4, 28, 28, 1)), np.zeros(4), verbose=0)
    assert files.model_from_bytes(crafted._saved(model)).count_params() == 7850


def test_a_model_the_graph_cannot_run_is_refused_on_one_line_and_let_go(monkeypatch):
    from dlplay.digits import reading

    model = files.model_from_bytes(crafted.keras_model())
    reading.compiled(model)

    def fails(*_):
        raise ValueError("in user code:\n\n    File \"x.py\", line 1\n\n  \x1b[1m'x' is not a valid scope name\x1b[0m")

    monkeypatch.setattr(reading, "evaluate", fails)
    with pytest.raises(files.UploadError) as raised:
        files.evaluate_upload(model, np.zeros((2, 28, 28), np.uint8), np.zeros(2))
    assert (raised.value.reason, raised.value.detail) == ("cannot_run", "ValueError: 'x' is not a valid scope name")
    assert id(model) not in reading._compiled


def test_teaching_a_model_that_cannot_be_taught_ends_as_failed_with_why(monkeypatch):
    from dlplay.digits import finetune
    from dlplay.jobs import FAILED

    def fails(*_):
        raise ValueError("Unknown layer: cannot clone")

    monkeypatch.setattr(finetune, "fine_tune", fails)
    payload = {"model": crafted.keras_model(), "images": np.zeros((1, 28, 28), np.float32), "labels": np.ones(1)}
    result = finetune.teach(payload, type("Reporter", (), {"publish": lambda self, **_: None})())
    assert result == {"status": FAILED, "error": "ValueError: Unknown layer: cannot clone"}


def test_a_model_of_28_by_28_inputs_learns_when_taught():
    """Such an upload comes wrapped around a Reshape; Keras 3 does not make a wrapped model's layers trainable."""
    from dlplay.digits import finetune

    model = files.model_from_bytes(crafted.keras_model(input_shape=(28, 28)))
    taught, _ = finetune.fine_tune(model, np.random.default_rng(0).random((2, 28, 28)), [1, 2], copies=2,
                                   mnist_images=50, confused=10, refused=0, epochs=1)
    assert any(not np.array_equal(a, b) for a, b in zip(taught.get_weights(), model.get_weights(), strict=True))



@pytest.mark.parametrize("case, make, reason", [row for row in NPZ if row[2] == "dtype"],
                         ids=[row[0] for row in NPZ if row[2] == "dtype"])
def test_a_refused_type_is_said_from_safe_values_in_each_language(case, make, reason):
    """Issue 27: the message is built from dtype codes and our own names (never a file's field name), in the
    visitor's language; building it never raises (it raised TypeError for timedelta64 labels)."""
    from dlplay import i18n

    with pytest.raises(files.UploadError) as raised:
        files.data_from_bytes(make())
    key, facts = raised.value.said
    assert all(isinstance(value, (int, str)) and "evil" not in str(value) for value in facts.values())
    for lang in i18n.LANGUAGES:
        assert "{" not in i18n.text(lang, key, **facts)


def test_a_labelled_file_is_read_within_its_bounds(tmp_path, monkeypatch):
    """Issue 27: a 240 MB TSV grew the command line to 17 GB. Files are refused by their size before a byte is read,
    and by what they hold as it is read (a file in /proc says it holds 0 bytes)."""
    import io

    from dlplay.text import data

    big = tmp_path / "big.tsv"
    with big.open("wb") as file:
        file.write(b"label\tsentence\n1\tgood\n")
        file.truncate(data.MAX_BYTES + 1)
    with pytest.raises(ValueError, match="larger than 64 MB"):
        read_labelled(big)
    monkeypatch.setattr(data, "MAX_BYTES", 100)
    with pytest.raises(ValueError, match="larger than"):
        list(data._lines(io.StringIO("1\tgood\n" * 20)))
    monkeypatch.setattr(data, "MAX_BYTES", 64 * 2**20)
    monkeypatch.setattr(data, "MAX_ROWS", 3)
    rows = tmp_path / "rows.tsv"
    rows.write_bytes(crafted.labelled_tsv([(1, "good")] * 3))
    assert len(read_labelled(rows).texts) == 3
    rows.write_bytes(crafted.labelled_tsv([(1, "good")] * 4))
    with pytest.raises(ValueError, match="more than 3 rows"):
        read_labelled(rows)
