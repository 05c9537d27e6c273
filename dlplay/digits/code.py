"""The code panels of lesson 3: each page as a script that runs as it stands and prints what the page shows."""

from __future__ import annotations

from dlplay.digits.data import SAMPLE_PATH, load_sample
from dlplay.digits.jobs import VALIDATION_SIZE
from dlplay.digits.model import MODELS
from dlplay.digits.recipes import Config, Layer, layers

READING = '''\
"""What the /digits page does with a drawing, as a script.

    python digits.py            # reads a "7" drawn the way the canvas draws it
    python digits.py my.png     # or any image file: any size, either polarity
"""

import sys

import keras
import numpy as np
from keras import layers

from dlplay.digits.model import load_model, predict
from dlplay.digits.preprocess import preprocess, read_image
from dlplay.digits.strokes import draw_digit


def tutorial_model():
    """The tutorial's CNN (§3.1) in Keras 3 form: keras.Input first (input_shape= warns in Keras 3)."""
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


# Trained the tutorial's way, this made dlplay/digits/assets/tutorial.keras (`dlplay digits train --arch tutorial`):
#   (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
#   model = tutorial_model()
#   model.fit(x_train.reshape(-1, 28, 28, 1) / 255.0, keras.utils.to_categorical(y_train),
#             epochs=5, batch_size=32, validation_data=(x_test.reshape(-1, 28, 28, 1) / 255.0,
#                                                      keras.utils.to_categorical(y_test)))
tutorial_model().summary()

# The page's steps: crop to the ink, scale the longer side to 20 px, centre of mass to the middle of 28 x 28.
image = read_image(sys.argv[1]) if len(sys.argv) > 1 else draw_digit(7)
steps = preprocess(image, crop_box={crop}, fit={fit}, centre={centre})
model = load_model("{model}")
probabilities = predict(model, steps.image)  # calls the model directly: model.predict costs ~70 ms for one image
print("prediction:", int(np.argmax(probabilities)))
print("probabilities:", np.round(probabilities, 3))
'''


def reading(model: str = "ours", crop: bool = True, fit: bool = True, centre: bool = True) -> str:
    """The /digits page as a runnable script, with its model and preprocessing switches filled in."""
    return READING.format(model=model if model in MODELS else "ours", crop=bool(crop), fit=bool(fit), centre=bool(centre))


_DATA_CODE = {
    "sample": '''\
# The MNIST sample shipped with dlplay: the first {n_all:,} training images and the official 10,000 test images.
with np.load("{path}") as data:
    x_train, y_train = data["x_train"][:{n}], data["y_train"][:{n}]
    x_test, y_test = data["x_test"], data["y_test"]''',
    "upload": '''\
with np.load("my_digits.npz") as data:  # your file, in the keras.datasets.mnist layout
    x_train, y_train = data["x_train"][:{n}], data["y_train"][:{n}]
    x_test, y_test = data["x_test"], data["y_test"]''',
}

TRAINING = '''\
"""The /digits-training page's run as a script: the tutorial's §3.1 `model.fit`, with your settings."""

import keras
import numpy as np
from keras import layers

{data}
x_train = x_train.reshape(-1, 28, 28, 1) / 255.0
x_test = x_test.reshape(-1, 28, 28, 1) / 255.0
y_train = keras.utils.to_categorical(y_train, 10)
y_test = keras.utils.to_categorical(y_test, 10)

model = keras.Sequential([
    keras.Input((28, 28, 1)),  # Keras 3 form of the tutorial's input_shape=(28, 28, 1)
{layers}
])
model.compile(optimizer=keras.optimizers.{optimizer}(learning_rate={lr!r}),
              loss="categorical_crossentropy", metrics=["accuracy"])
model.summary()
model.fit(x_train, y_train, epochs={epochs}, batch_size={batch_size},
          validation_data=(x_test[:{val}], y_test[:{val}]))
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"test accuracy: {{accuracy:.4f}}")
model.save("my_digits.keras")  # open it on the page: "Upload a model"
'''

_OPTIMIZER_NAMES = {"adam": "Adam", "sgd": "SGD", "rmsprop": "RMSprop"}


def training(config: Config, source: str = "sample") -> str:
    """The /digits-training run as a runnable ``model.fit`` script for ``config`` on ``source``
    ("sample" or "upload"). The page's runs neither augment nor decay the learning rate."""
    c = config.shape()
    data = _DATA_CODE.get(source, _DATA_CODE["sample"]).format(path=SAMPLE_PATH, n=c.train_size,
                                                               n_all=len(load_sample().y_train))
    return TRAINING.format(data=data, layers="\n".join(_keras_line(layer) for layer in layers(c)),
                           optimizer=_OPTIMIZER_NAMES[c.optimizer], lr=c.lr, epochs=c.epochs,
                           batch_size=c.batch_size, val=VALIDATION_SIZE)


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
