"""The text models as Keras networks: what ``dlplay.text.train`` trains, and the shipped ones' Keras twins.

The page never runs them: ``dlplay.text.numpy_net`` reads the same weights in numpy.
Keras and TensorFlow are imported only when a network is built.
"""

from __future__ import annotations

import numpy as np

from dlplay.text.numpy_net import load_model
from dlplay.text.tokens import ngram_ids


def _running_max_layer():
    import keras

    class RunningMax(keras.layers.Layer):
        """Each unit's highest state so far, never below 0 (the state before the first token): over the whole
        sequence, padded steps masked. ``TextModel.readings`` takes it after every token."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, states, mask=None):
            if mask is not None:
                states = keras.ops.where(mask[..., None], states, 0.0)
            return keras.ops.maximum(keras.ops.max(states, axis=1), 0.0)

        def compute_mask(self, inputs, mask=None):
            return None

    return RunningMax


def build_model(cell: str, vocab_size: int, embedding_dim: int, units: int, dropout: float = 0.0,
                ngram_rows: dict[int, int] | None = None, word_dropout: float = 0.0, pool: str = "last"):
    """Embedding (masking padding), plus one per n-gram size -> unidirectional
    cell -> Dense(1, sigmoid). Inputs: token ids, then each size's n-gram rows.
    ``pool``: the Dense reads the last state ("last") or each unit's highest state so far ("max")."""
    import keras
    from keras import layers

    recurrent = {"simplernn": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}[cell]
    inputs = [keras.Input(shape=(None,), dtype="int32", name="tokens")]
    x = layers.Embedding(vocab_size, embedding_dim, mask_zero=True, name="embedding")(inputs[0])
    for n, rows in sorted((ngram_rows or {}).items()):
        inputs.append(keras.Input(shape=(None,), dtype="int32", name=f"ngrams_{n}"))
        # Add keeps a mask only if each input has one, and then their OR. Row 0
        # (an n-gram it does not know) is also every padding step's, so the OR
        # is the tokens' mask; row 0 is still looked up and learned.
        ngrams = layers.Embedding(rows, embedding_dim, mask_zero=True, name=f"embedding_{n}")(inputs[-1])
        x = layers.Add(name=f"add_{n}")([x, ngrams])
    if word_dropout:
        x = layers.Dropout(word_dropout, noise_shape=(None, None, 1))(x)
    x = layers.Dropout(dropout)(x)
    x = recurrent(units, name="rnn", return_sequences=pool == "max")(x)
    if pool == "max":
        x = _running_max_layer()(name="running_max")(x)
    x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(1, activation="sigmoid", name="dense")(x)
    return keras.Model(inputs, outputs, name=f"text_{cell}")


def keras_inputs(sequences: np.ndarray, keys: dict[int, np.ndarray], vocab_size: int) -> list[np.ndarray]:
    """What ``build_model``'s model takes for id sequences (B, T)."""
    sequences = np.atleast_2d(sequences)
    return [sequences, *(ngram_ids(sequences, keys[n], n, vocab_size) for n in sorted(keys))]


def keras_model(lang: str, cell: str | None = None):
    """A shipped model as a Keras model with the shipped weights."""
    shipped = load_model(lang, cell)
    rows = {n: len(shipped.weights[f"keys_{n}"]) + 1 for n in shipped.ngram_sizes}
    network = build_model(shipped.cell, len(shipped.vocabulary), shipped.weights["embedding"].shape[1],
                          shipped.units, ngram_rows=rows, pool=shipped.pool)
    set_weights(network, shipped.weights)
    return network


def embedding_layers(model) -> list:
    return [layer for layer in model.layers if layer.name.startswith("embedding")]


def get_weights(model) -> dict[str, np.ndarray]:
    rnn = model.get_layer("rnn").cell
    dense = model.get_layer("dense")
    pooled = any(layer.name == "running_max" for layer in model.layers)
    return {
        **({"running_max": np.ones(1, np.float32)} if pooled else {}),
        **{layer.name: layer.embeddings.numpy() for layer in embedding_layers(model)},
        "kernel": rnn.kernel.numpy(),
        "recurrent_kernel": rnn.recurrent_kernel.numpy(),
        "bias": rnn.bias.numpy(),
        "dense_kernel": dense.kernel.numpy(),
        "dense_bias": dense.bias.numpy(),
    }


def set_weights(model, weights: dict[str, np.ndarray]) -> None:
    rnn = model.get_layer("rnn").cell
    dense = model.get_layer("dense")
    for layer in embedding_layers(model):
        layer.embeddings.assign(weights[layer.name])
    rnn.kernel.assign(weights["kernel"])
    rnn.recurrent_kernel.assign(weights["recurrent_kernel"])
    rnn.bias.assign(weights["bias"])
    dense.kernel.assign(weights["dense_kernel"])
    dense.bias.assign(weights["dense_bias"])
