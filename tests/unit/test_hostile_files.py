"""Hostile files: each crafted file (tests/crafted.py) and the reason it is refused, through the functions the
page and the command line both use (``files.data_from_bytes``, ``files.model_from_bytes``, ``read_image``,
``read_labelled``). A new kind of bad file is one row.

Every refusal must come before the work: sizes are read from headers, so refusing a bomb costs no more
memory than the file itself (measured with tracemalloc, which sees numpy's and zipfile's allocations).
"""

from __future__ import annotations

import tracemalloc
import zipfile

import numpy as np
import pytest

from dlplay.digits import files
from dlplay.digits.preprocess import MAX_PIXELS, ImageError, preprocess, read_image
from dlplay.text.train import read_labelled
from tests import crafted

LINK = "[Session expired - log in again](https://evil.example/login) **bold** $x^2$"

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
]

KERAS = [
    ("300 MB config in 0.3 MB", lambda: crafted.keras_config_bomb(), "bomb"),
    ("a layer of 10 M units", lambda: crafted.keras_huge_layer(), "bomb"),
    ("200 members", lambda: crafted.zip_with({f"{i}": b"" for i in range(200)}), "bomb"),
    ("input 32 x 32 x 3", lambda: crafted.keras_model(input_shape=(32, 32, 3)), "input_shape"),
    ("5 outputs", lambda: crafted.keras_model(outputs=5), "output_shape"),
    ("NaN weights", lambda: crafted.keras_model(nan_weights=True), "not_finite"),
    ("crafted class name", lambda: crafted.keras_with_class_name(LINK), "unreadable"),
    ("a Lambda layer", lambda: crafted.keras_lambda(), "unreadable"),
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
