"""The URL settings of §3.1's two pages, /digits and /digits-training.

/digits-training's URL keys are ``Config``'s field names, so its settings are a
``Config`` as they stand (``config``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields

from dlplay.digits.keras_net import FILTERS, OPTIMIZERS, Config
from dlplay.digits.reading import MODELS
from dlplay.url_state import Param

READING_PARAMS = [
    Param("model", "ours", choices=MODELS, kind="choice"),
    Param("crop", True, kind="bool"),
    Param("fit", True, kind="bool"),
    Param("centre", True, kind="bool"),
    Param("inside", False, kind="bool"),
]

SOURCES = ("sample", "upload")  # the shipped MNIST, or the visitor's own npz
PAGE_ARCHITECTURES = ("tutorial", "custom")  # the page trains these; "ours" is trained on the command line
BATCH_SIZES = (16, 32, 64, 128, 256)
LEARNING_RATES = ("0.00001", "0.0001", "0.0003", "0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10", "100")
PAGE_MAX_EPOCHS = 20  # on the page: an epoch of all 60,000 images takes about a minute on a laptop
TRAINING_PARAMS = [
    Param("data", "sample", choices=SOURCES, kind="choice"),
    Param("train_size", 10_000, low=1000, high=60_000, step=1000, kind="int"),
    Param("arch", "tutorial", choices=PAGE_ARCHITECTURES, kind="choice"),
    Param("conv_layers", 1, low=1, high=3, step=1, kind="int"),
    Param("filters", "32", choices=tuple(map(str, FILTERS)), kind="choice"),
    Param("kernel", "3", choices=("3", "5"), kind="choice"),
    Param("dense", 128, low=16, high=256, step=16, kind="int"),
    Param("dropout", 0.0, low=0.0, high=0.5, step=0.1, kind="float"),
    Param("epochs", 1, low=1, high=PAGE_MAX_EPOCHS, step=1, kind="int"),
    Param("batch_size", "32", choices=tuple(map(str, BATCH_SIZES)), kind="choice"),
    Param("optimizer", "adam", choices=OPTIMIZERS, kind="choice"),
    Param("lr", "0.001", choices=LEARNING_RATES, kind="choice"),
]
def config(values: Mapping) -> Config:
    """The run the page's settings describe. Choices arrive as text ("32", "0.001"); a
    slider's float is rounded to what its steps can reach."""
    kinds = {f.name: type(f.default) for f in fields(Config)}
    typed = {key: kinds[key](value) for key, value in values.items() if key in kinds}
    return Config(**{key: round(value, 6) if isinstance(value, float) else value for key, value in typed.items()})
