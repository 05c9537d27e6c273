"""The code panels of §3.1: each page as a script that runs as it stands and prints what the page shows."""

from __future__ import annotations

from dlplay import i18n
from dlplay.digits.data import SAMPLE_PATH, load_sample
from dlplay.digits.jobs import VALIDATION_SIZE
from dlplay.digits.keras_net import Config, Layer, layers
from dlplay.digits.reading import MODELS

COMMENTS = "code.digits."  # the catalogue keys of the scripts' comments: {c[name]} in the templates


def _comments(lang: str) -> dict:
    return {key.removeprefix(COMMENTS): i18n.text(lang, key)
            for key in i18n.CATALOGUES["en"] if key.startswith(COMMENTS)}


READING = '''\
"""{c[reading_doc]}

    python digits.py            # {c[reading_seven]}
    python digits.py my.png     # {c[reading_file]}
"""

import sys

import keras
import numpy as np
from keras import layers

from dlplay.digits.reading import load_model, predict
from dlplay.digits.preprocess import preprocess, read_image
from dlplay.digits.strokes import draw_digit


def tutorial_model():
    """{c[tutorial_model]}"""
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


# {c[trained]} (`dlplay digits train --arch tutorial`):
#   (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
#   model = tutorial_model()
#   model.fit(x_train.reshape(-1, 28, 28, 1) / 255.0, keras.utils.to_categorical(y_train),
#             epochs=5, batch_size=32, validation_data=(x_test.reshape(-1, 28, 28, 1) / 255.0,
#                                                      keras.utils.to_categorical(y_test)))
tutorial_model().summary()

# {c[steps]}
image = read_image(sys.argv[1]) if len(sys.argv) > 1 else draw_digit(7)
steps = preprocess(image, crop_box={crop}, fit={fit}, centre={centre})
model = load_model("{model}")
probabilities = predict(model, steps.image)  # {c[predict]}
guess = int(np.argmax(probabilities))
print("prediction:", "not a digit" if guess == 10 else guess)
print("probabilities:", np.round(probabilities, 3))
'''


def reading(model: str = "ours", crop: bool = True, fit: bool = True, centre: bool = True, lang: str = "en") -> str:
    """The /digits page as a runnable script, with its model and preprocessing switches filled in."""
    return READING.format(model=model if model in MODELS else "ours", crop=bool(crop), fit=bool(fit),
                          centre=bool(centre), c=_comments(lang))


_DATA_CODE = {
    "sample": '''\
# {sample}
with np.load("{path}") as data:
    x_train, y_train = data["x_train"][:{n}], data["y_train"][:{n}]
    x_test, y_test = data["x_test"], data["y_test"]''',
    "upload": '''\
with np.load("my_digits.npz") as data:  # {c[your_file]}
    x_train, y_train = data["x_train"][:{n}], data["y_train"][:{n}]
    x_test, y_test = data["x_test"], data["y_test"]''',
}

TRAINING = '''\
"""{c[training_doc]}"""

import keras
import numpy as np
from keras import layers

{data}
x_train = x_train.reshape(-1, 28, 28, 1) / 255.0
x_test = x_test.reshape(-1, 28, 28, 1) / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

model = keras.Sequential([
    keras.Input((28, 28, 1)),  # {c[keras_input]}
{layers}
])
model.compile(optimizer=keras.optimizers.{optimizer}(learning_rate={lr!r}),
              loss="categorical_crossentropy", metrics=["accuracy"])
model.summary()
model.fit(x_train, y_train, epochs={epochs}, batch_size={batch_size},
          validation_data=(x_test[:{val}], y_test[:{val}]))
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {{accuracy:.4f}}")
model.save("my_digits.keras")  # {c[open_it]}
'''

_OPTIMIZER_NAMES = {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop"}


def training(config: Config, source: str = "sample", lang: str = "en") -> str:
    """The /digits-training run as a runnable ``model.fit`` script for ``config`` on ``source``
    ("sample" or "upload"). The page's runs neither augment nor decay the learning rate."""
    c, comments = config.shape(), _comments(lang)
    sample = i18n.text(lang, COMMENTS + "sample", n_all=len(load_sample().y_train))
    data = _DATA_CODE.get(source, _DATA_CODE["sample"]).format(path=SAMPLE_PATH, n=c.train_size, sample=sample,
                                                               c=comments)
    return TRAINING.format(data=data, layers="\n".join(_keras_line(layer) for layer in layers(c)),
                           optimizer=_OPTIMIZER_NAMES[c.optimizer], lr=c.lr, epochs=c.epochs,
                           batch_size=c.batch_size, val=VALIDATION_SIZE, c=comments)


def _keras_line(layer: Layer) -> str:
    """One layer as the script writes it (in the tutorial's form: kernel_size=, pool_size=)."""
    if layer.kind == "Conv2D":
        return (f"    layers.Conv2D({int(layer.size)}, kernel_size=({layer.kernel}, {layer.kernel}), "
                f"activation=\"{layer.activation}\"),")
    if layer.kind == "MaxPooling2D":
        return f"    layers.MaxPooling2D(pool_size=({int(layer.size)}, {int(layer.size)})),"
    if layer.kind == "Dropout":
        return f"    layers.Dropout({layer.size!r}),"
    if layer.kind == "Dense":
        return f"    layers.Dense({int(layer.size)}, activation=\"{layer.activation}\"),"
    return f"    layers.{layer.kind}(),"
