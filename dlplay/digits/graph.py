"""A Keras model's layers as the inside view of /digits walks them, for any model an upload may be.

A Sequential model (a Sequential inside it opened in its place) is run layer by
layer; any other model (functional, with branches) gives every layer's output at
once through a model of many outputs. The saliency map needs the class scores
before the softmax: the last Dense layer's product before its activation, the
input of a last Softmax layer, or else the probabilities themselves. The callers
(``reading``) trace these functions once per model with ``tf.function``. And
``error_text``: what went wrong when a model ran, for a message.
"""

from __future__ import annotations

import re

from dlplay.plain import shorten


def chain(model) -> list | None:
    """The layers a Sequential model runs, in order, a Sequential inside it opened in its place; None for any
    other model."""
    if type(model).__name__ != "Sequential":
        return None
    layers = []
    for layer in model.layers:
        layers += chain(layer) or [layer]
    return layers


def shown_layers(model) -> list:
    """The layers whose outputs the inside view shows, in order: a Sequential's chain, a functional model's
    layers (its inputs apart)."""
    found = chain(model)
    return found if found is not None else [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _run(layers: list, x):
    for layer in layers:
        x = layer(x, training=False)
    return x


def layer_outputs(model):
    """A function of a batch of images giving the output of each of ``shown_layers(model)``, in order."""
    layers = chain(model)
    if layers is not None:
        def run(x):
            outputs = []
            for layer in layers:
                x = layer(x, training=False)
                outputs.append(x)
            return outputs

        return run
    import keras

    every = keras.Model(model.inputs, [layer.output for layer in shown_layers(model)])
    return lambda x: every(x, training=False)


def class_scores(model):
    """A function of a batch of images giving the class scores before the softmax (see the module's note)."""
    import keras
    import tensorflow as tf

    layers = chain(model)
    if layers is not None:
        last = layers[-1]

        def before_last(x):
            return _run(layers[:-1], x)
    else:
        last = model.layers[-1]
        if last.output is not model.outputs[0]:  # the model's output is not its last layer's: no scores to take
            return lambda x: model(x, training=False)
        body = keras.Model(model.inputs, last.input)

        def before_last(x):
            return body(x, training=False)
    kind = type(last).__name__
    if kind == "Dense":
        def scores(x):
            product = tf.matmul(tf.cast(before_last(x), last.kernel.dtype), last.kernel)
            return product + last.bias if last.use_bias else product

        return scores
    if kind == "Softmax" or (kind == "Activation" and getattr(last.activation, "__name__", "") == "softmax"):
        return before_last
    return lambda x: model(x, training=False)


def error_text(error: Exception) -> str:
    """What went wrong when a model ran, on one line: a TensorFlow error's last line (its own words come after a
    trace of the graph's code), without Keras' terminal colours."""
    lines = [line.strip() for line in re.sub(r"\x1b\[[0-9;]*m", "", str(error)).splitlines() if line.strip()]
    return f"{type(error).__name__}: {shorten(lines[-1] if lines else '', 200)}"
