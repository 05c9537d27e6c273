"""The shipped RNNs, run in numpy: the page's reading of a sentence, token by token.

Numpy only: a model is run from its weights, one step of the recurrence per
token, so the page gets the hidden state after every token and the sentiment
the model reads from each prefix at no extra cost and without TensorFlow.
Training lives in ``dlplay.text.train`` (the Keras networks in ``dlplay.text.keras_net``), tokens and padding in
``dlplay.text.tokens``.

The Embedding masks the padding (``mask_zero=True``), so padded steps leave
the state untouched. Hence running the cell over the real tokens alone, as
done here, is exactly what Keras computes on the pre-padded sequence, and
``Dense(h_t)`` is the model's reading of the prefix up to token ``t``.

A model may also read n-grams: the vector a step reads is then its token's
plus that of the pair (previous token, this token) and of the triple ending
there, each when it is one of the frequent ones the model learned (before
the first token comes padding). Still one step per token and nothing from
the right of it, so the reading after token ``t`` is the prefix's; "不好"
means more than "不" and "好" apart. The three cells of a language share
these vectors (``{lang}_embedding.npz``): side by side on the page they read
the same inputs, only their memory differs. Embeddings ship as int8 with one
scale per row (``quantize``); the reported scores are those of the shipped
weights.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dlplay.text.tokens import (
    LANGS,
    OOV_ID,
    PAD_ID,
    Vocabulary,
    encode,
    is_han,
    ngram_ids,
    pad,
    resolve_language,
    scan_length,
    tokenize,
)

ASSETS = Path(__file__).resolve().parent / "assets"
CELLS = ("simplernn", "lstm", "gru")
LABELS = ("negative", "positive")
THRESHOLD = 0.5  # P(positive) from which a text is read as positive
# Within this of THRESHOLD the page says "unsure": on held-out sentences the shipped models' answers
# in 0.4-0.6 were right about as often as a coin toss (SST-2 dev 55 %, ChnSentiCorp test 35 %), outside it 86-90 %.
UNSURE_BAND = 0.1
MAXLEN = {"en": 60, "zh": 256}
# What the Dense layer reads after token t: the state h_t ("last"), or each unit's highest state so far,
# max(0, h_1..h_t) ("max": a model whose weights hold ``running_max``). Either is the prefix's reading.
POOLS = ("last", "max")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


@dataclass(frozen=True)
class TextModel:
    """One shipped model: Embedding -> cell -> Dense(1, sigmoid), as arrays.

    ``weights`` are Keras's own: ``kernel`` W (E, k*units), ``recurrent_kernel``
    U (units, k*units) and ``bias`` b with the gates in Keras order:

    - SimpleRNN: h_t = tanh(x_t W + h_{t-1} U + b)
    - LSTM (i, f, c, o): i, f, o = sigmoid(x_t W + h_{t-1} U + b) of their
      slots, g = tanh(same, c slot), c_t = f c_{t-1} + i g, h_t = o tanh(c_t)
    - GRU (z, r, h; Keras's ``reset_after``, b is (2, 3*units), input and
      recurrent bias): z, r = sigmoid(x_t W + b_0 + h_{t-1} U + b_1) of their
      slots, candidate = tanh(x_t W_h + b_0h + r * (h_{t-1} U_h + b_1h)),
      h_t = z h_{t-1} + (1 - z) candidate
    """

    lang: str
    cell: str
    vocabulary: Vocabulary
    maxlen: int
    weights: dict[str, np.ndarray]
    info: dict

    @classmethod
    def from_weights(cls, lang: str, cell: str, vocabulary: Vocabulary, weights: dict,
                     info: dict | None = None) -> TextModel:
        """A model from Keras's weights (any float dtype; quantized embeddings
        are expanded), computed in float32."""
        return cls(lang, cell, vocabulary, MAXLEN[lang], dequantize(weights), info or {})

    @property
    def units(self) -> int:
        return self.weights["recurrent_kernel"].shape[0]

    @property
    def pool(self) -> str:
        return "max" if "running_max" in self.weights else "last"

    @property
    def ngram_sizes(self) -> tuple[int, ...]:
        return tuple(sorted(int(name.split("_")[1]) for name in self.weights if name.startswith("keys_")))

    def ngram_ids(self, sequences: np.ndarray) -> dict[int, np.ndarray]:
        """Row of ``embedding_{n}`` for each step and n (0: an n-gram it does not know)."""
        return {n: ngram_ids(sequences, self.weights[f"keys_{n}"], n, len(self.vocabulary)) for n in self.ngram_sizes}

    def inputs(self, sequences: np.ndarray) -> np.ndarray:
        """The vector each step reads, (B, T, E)."""
        inputs = self.weights["embedding"][sequences]
        for n, ids in self.ngram_ids(sequences).items():
            inputs = inputs + self.weights[f"embedding_{n}"][ids]
        return inputs

    def hidden_states(self, sequences: np.ndarray) -> np.ndarray:
        """States after every step, (B, T, units), for id sequences (B, T).

        Steps whose id is padding keep the previous state (Keras masking).
        """
        sequences = np.atleast_2d(np.asarray(sequences, dtype=np.int64))
        w = self.weights
        inputs = self.inputs(sequences)
        input_bias = w["bias"] if self.cell != "gru" else w["bias"][0]
        batch, steps = sequences.shape
        # One sentence: project each step's input on its own. A single
        # (steps, E) @ (E, k*units) product is big enough for BLAS to go
        # multi-threaded, which costs milliseconds on a busy machine.
        projected = None if batch == 1 else inputs @ w["kernel"] + input_bias
        mask = sequences != PAD_ID
        units = self.units
        h = np.zeros((batch, units), dtype=np.float32)
        c = np.zeros((batch, units), dtype=np.float32)
        states = np.zeros((batch, steps, units), dtype=np.float32)
        U = w["recurrent_kernel"]
        for t in range(steps):
            x = inputs[:, t] @ w["kernel"] + input_bias if projected is None else projected[:, t]
            if self.cell == "simplernn":
                h_new = np.tanh(x + h @ U)
            elif self.cell == "lstm":
                z = x + h @ U
                gates = _sigmoid(z)  # i, f, o used; the c slot is recomputed with tanh
                i, f, o = gates[:, :units], gates[:, units : 2 * units], gates[:, 3 * units :]
                g = np.tanh(z[:, 2 * units : 3 * units])
                c_new = f * c + i * g
                h_new = o * np.tanh(c_new)
                c = np.where(mask[:, t, None], c_new, c)
            else:
                inner = h @ U + w["bias"][1]
                update = _sigmoid(x[:, :units] + inner[:, :units])
                reset = _sigmoid(x[:, units : 2 * units] + inner[:, units : 2 * units])
                candidate = np.tanh(x[:, 2 * units :] + reset * inner[:, 2 * units :])
                h_new = update * h + (1.0 - update) * candidate
            h = np.where(mask[:, t, None], h_new, h)
            states[:, t] = h
        return states

    def read(self, states: np.ndarray) -> np.ndarray:
        """Probability of positive from what the Dense layer reads (..., units)."""
        logits = states @ self.weights["dense_kernel"][:, 0] + self.weights["dense_bias"][0]
        return _sigmoid(logits)

    def readings(self, states: np.ndarray) -> np.ndarray:
        """Probability of positive after every step, from the states of ``hidden_states`` (..., T, units)."""
        if self.pool == "max":
            states = np.maximum.accumulate(np.maximum(states, 0.0), axis=-2)
        return self.read(states)

    def predict_sequences(self, sequences: np.ndarray, batch_size: int = 256) -> np.ndarray:
        """Probability of positive for pre-padded id sequences (B, T)."""
        sequences = np.atleast_2d(sequences)
        out = [np.zeros(0, dtype=np.float32)]
        for start in range(0, len(sequences), batch_size):
            chunk = sequences[start : start + batch_size]
            # Columns that are padding in every row change nothing: skip them.
            used = np.flatnonzero((chunk != PAD_ID).any(axis=0))
            first = used[0] if len(used) else chunk.shape[1] - 1
            out.append(self.readings(self.hidden_states(chunk[:, first:]))[:, -1])
        return np.concatenate(out)


def quantize(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Embeddings as int8 with a float32 scale per row (``{name}_scale``), the rest as it is."""
    out = {}
    for name, array in weights.items():
        if name.startswith("embedding"):
            scale = np.abs(array).max(axis=1).astype(np.float32) / 127.0
            scale[scale == 0] = 1.0
            out[name] = np.round(array / scale[:, None]).astype(np.int8)
            out[f"{name}_scale"] = scale
        else:
            out[name] = array
    return out


def dequantize(weights: dict) -> dict[str, np.ndarray]:
    """float32 arrays (n-gram ``keys_{n}`` stay int64) from saved or Keras weights."""
    out = {}
    for name, array in weights.items():
        if name.endswith("_scale"):
            continue
        if name.startswith("keys_"):
            out[name] = np.asarray(array, dtype=np.int64)
        elif f"{name}_scale" in weights:
            out[name] = np.asarray(array, dtype=np.float32) * np.asarray(weights[f"{name}_scale"], np.float32)[:, None]
        else:
            out[name] = np.asarray(array, dtype=np.float32)
    return out


@functools.cache
def model_infos() -> dict:
    """``models.json``: per model its settings, data, split and accuracies."""
    return json.loads((ASSETS / "models.json").read_text(encoding="utf-8"))


def best_cell(lang: str) -> str:
    """The cell with the best held-out validation accuracy (not dev/test)."""
    return model_infos()["best"][lang]


def held_out_accuracy(lang: str, cell: str) -> dict[str, float]:
    """Accuracy on each test part the model never saw (``sst2_dev``; ``chnsenticorp_test``, ``reviews_test``)."""
    return {name: test["accuracy"] for name, test in model_infos()["models"][f"{lang}_{cell}"]["tests"].items()}


@functools.cache
def load_vocabulary(lang: str) -> Vocabulary:
    return Vocabulary.load(ASSETS / f"vocab_{lang}.json")


def load_model(lang: str, cell: str | None = None) -> TextModel:
    """A shipped model (``cell=None``: the language's best), read once per
    process; its arrays are read-only."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: use en or zh")
    cell = cell or best_cell(lang)
    if cell not in CELLS:
        raise ValueError(f"unknown cell {cell!r}: use one of {', '.join(CELLS)}")
    return _load_model(lang, cell)


@functools.cache
def _load_model(lang: str, cell: str) -> TextModel:
    saved = {}
    for path in (ASSETS / f"{lang}_embedding.npz", ASSETS / f"{lang}_{cell}.npz"):
        if path.is_file():  # a model that shares no embedding holds its own
            with np.load(path) as data:
                saved.update({name: data[name] for name in data.files})
    weights = dequantize(saved)
    for array in weights.values():
        array.flags.writeable = False
    info = model_infos()["models"][f"{lang}_{cell}"]
    return TextModel(lang, cell, load_vocabulary(lang), MAXLEN[lang], weights, info)


@dataclass(frozen=True)
class Token:
    text: str
    id: int
    oov: bool


@dataclass(frozen=True)
class TextPrediction:
    """What one model reads from one text.

    ``label`` and ``probability`` are ``None`` when the text has no token at
    all (``notes`` holds ``"empty"``). Otherwise ``probability`` is that of
    "positive" and equals ``token_probabilities[-1]``.
    """

    lang: str
    cell: str
    label: str | None
    probability: float | None
    tokens: tuple[Token, ...]
    sequence: np.ndarray  # (maxlen,) int32, pre-padded ids the model sees
    hidden_states: np.ndarray  # (len(tokens), units) float32, state after each token
    token_probabilities: np.ndarray  # (len(tokens),) reading of each prefix
    truncated: bool  # the text goes on beyond the maxlen tokens read
    notes: tuple[str, ...]  # "empty", "all_oov", "truncated", "mixed" (zh with Latin words)

    @property
    def confidence(self) -> float | None:
        """How sure the model is of its label: P(positive) or P(negative)."""
        if self.probability is None:
            return None
        return self.probability if self.label == "positive" else 1.0 - self.probability

    @property
    def caveats(self) -> tuple[str, ...]:
        """The notes to show beside a label ("empty" is said instead of a label)."""
        return tuple(note for note in self.notes if note != "empty")

    def sequence_text(self) -> str:
        """The padded sequence as numpy prints it, wrapped for the page."""
        return np.array2string(self.sequence, max_line_width=110, threshold=400)

    def to_dict(self) -> dict:
        return {
            "lang": self.lang,
            "cell": self.cell,
            "label": self.label,
            "probability": self.probability,
            "tokens": [{"text": t.text, "id": t.id, "oov": t.oov} for t in self.tokens],
            "token_probabilities": [round(float(p), 6) for p in self.token_probabilities],
            "truncated": self.truncated,
            "notes": list(self.notes),
        }


def label_of(probability: float) -> str:
    """"positive" from P(positive) = THRESHOLD up, else "negative"."""
    return LABELS[int(probability >= THRESHOLD)]


def predict(text: str, lang: str = "auto", cell: str | None = None) -> TextPrediction:
    """Sentiment of ``text`` and the model's reading after every token.

    ``lang``: "auto" (any Han character -> "zh"), "en" or "zh"; ``cell``:
    "simplernn", "lstm", "gru" or ``None`` for the language's best.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    lang = resolve_language(text, lang)
    model = load_model(lang, cell)
    words = tokenize(text, lang, limit=model.maxlen + 1)
    truncated = len(words) > model.maxlen or bool(text[scan_length(model.maxlen + 1) :].strip())
    words = words[: model.maxlen]
    ids = model.vocabulary.ids(words)
    tokens = tuple(Token(word, i, i == OOV_ID) for word, i in zip(words, ids))
    states = model.hidden_states(np.asarray([ids], dtype=np.int64).reshape(1, -1))[0]
    probabilities = model.readings(states) if len(ids) else np.zeros(0, dtype=np.float32)
    notes = []
    if not tokens:
        notes.append("empty")
    elif all(token.oov for token in tokens):
        notes.append("all_oov")
    if truncated:
        notes.append("truncated")
    if lang == "zh" and any(not is_han(t.text) and t.text[0].isalpha() for t in tokens):
        notes.append("mixed")
    probability = float(probabilities[-1]) if tokens else None
    label = None if probability is None else label_of(probability)
    return TextPrediction(
        lang=lang,
        cell=model.cell,
        label=label,
        probability=probability,
        tokens=tokens,
        sequence=pad(ids, model.maxlen),
        hidden_states=states,
        token_probabilities=probabilities.astype(np.float32),
        truncated=truncated,
        notes=tuple(notes),
    )


def predict_batch(texts: Sequence[str], lang: str, cell: str | None = None) -> np.ndarray:
    """Probability of positive for many texts of one language (evaluation), encoded a slice at a time:
    a million texts never stand as one (n, maxlen) matrix beside their lists of ids."""
    model = load_model(lang, cell)
    out = [np.zeros(0, dtype=np.float32)]
    for start in range(0, len(texts), 4096):
        part = texts[start : start + 4096]
        out.append(model.predict_sequences(np.stack([pad(encode(t, model.vocabulary, lang, model.maxlen),
                                                         model.maxlen) for t in part])))
    return np.concatenate(out)


def predict_each_cell(text: str, reading: TextPrediction) -> dict[str, TextPrediction]:
    """The same text read by every cell of ``reading``'s language (``reading`` itself is reused)."""
    return {cell: reading if cell == reading.cell else predict(text, reading.lang, cell) for cell in CELLS}


def accuracy_of(probabilities: np.ndarray, labels: Sequence[int]) -> float:
    """Share of texts whose label (1 positive, 0 negative) the probabilities get right."""
    return float(np.mean((np.asarray(probabilities) >= THRESHOLD) == (np.asarray(labels) == 1)))


def accuracy(texts: Sequence[str], labels: Sequence[int], lang: str, cell: str | None = None) -> float:
    return accuracy_of(predict_batch(texts, lang, cell), labels)


def unsure(probability: float) -> bool:
    """Whether P(positive) lies within UNSURE_BAND of THRESHOLD (0.4 < p < 0.6): the label there is a coin toss."""
    return THRESHOLD - UNSURE_BAND < probability < THRESHOLD + UNSURE_BAND
