"""The tutorial's own RNN example (§3.2), live and in Keras 3 form.

Two sentences, two labels, ``Embedding(1000, 32)`` -> ``SimpleRNN(32)`` ->
``Dense(1, sigmoid)``, ``maxlen=5``, 5 epochs, batch 2. The student edits the
sentences, trains again and watches the network memorise them and guess at
new ones. ``train_tutorial`` and ``code`` run the same steps, so the code
panel reproduces what the page shows.

The vocabulary is built as the tutorial's ``Tokenizer(num_words=1000)`` did
(``Tokenizer`` is gone from Keras 3): lower case, punctuation stripped, most
frequent word first with id 1, 0 is padding, unknown words are dropped.
``pad_sequences`` pads and cuts at the front, its default.

With 5 epochs of two sentences at batch 2 the model takes 5 Adam steps
(learning rate 0.001), so its outputs move only a little away from 0.5: they
land on the right side (accuracy 1.0) for every seed we tried (0-11), at about
0.55-0.62 and 0.37-0.45. More epochs push them towards 1 and 0 (0.80-0.89 and
0.12-0.20 after 20); the page lets the student add epochs to watch it memorise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

TUTORIAL_PAIRS = (("I love deep learning", 1), ("This is a great tutorial", 0))
NEW_SENTENCES = ("I love this tutorial", "deep learning is great")
VOCAB_SIZE = 1000
EMBEDDING_DIM = 32
UNITS = 32
MAXLEN = 5
EPOCHS = 5
BATCH_SIZE = 2
SEED = 1
_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def words_of(text: str) -> list[str]:
    """Keras's old Tokenizer: lower case, these punctuation marks to spaces."""
    return text.lower().translate({ord(c): " " for c in _FILTERS}).split()


def build_word_index(texts: Sequence[str], num_words: int = VOCAB_SIZE) -> dict[str, int]:
    """Most frequent word -> 1, ties in order of first appearance; only ids
    below ``num_words`` are kept, as ``Tokenizer(num_words)`` does."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in words_of(text):
            counts[word] = counts.get(word, 0) + 1
    words = sorted(counts, key=lambda w: -counts[w])[: num_words - 1]
    return {word: i + 1 for i, word in enumerate(words)}


def to_sequences(texts: Sequence[str], word_index: dict[str, int]) -> list[list[int]]:
    return [[word_index[w] for w in words_of(t) if w in word_index] for t in texts]


@dataclass(frozen=True)
class TutorialRun:
    model: object  # the trained keras.Model
    word_index: dict[str, int]
    data: np.ndarray  # (n, maxlen) padded training sequences
    history: dict[str, list[float]]  # per epoch: "loss", "accuracy" (as Keras logs them)
    train_probabilities: np.ndarray  # after training, on the training sentences
    train_accuracy: float  # of those, threshold 0.5
    new_sentences: tuple[str, ...]
    new_sequences: np.ndarray  # unknown words dropped, as the Tokenizer did
    new_probabilities: np.ndarray


def train_tutorial(
    pairs: Sequence[tuple[str, int]] = TUTORIAL_PAIRS,
    new_sentences: Sequence[str] = NEW_SENTENCES,
    epochs: int = EPOCHS,
    seed: int = SEED,
    batch_size: int = BATCH_SIZE,
    maxlen: int = MAXLEN,
) -> TutorialRun:
    """Train the tutorial's model on ``pairs`` (sentence, 0/1 label)."""
    import keras
    from keras import layers

    pairs = [(str(text), int(label)) for text, label in pairs]
    if not pairs:
        raise ValueError("give at least one labelled sentence")
    if any(label not in (0, 1) for _, label in pairs):
        raise ValueError("labels are 0 (negative) or 1 (positive)")
    texts = [text for text, _ in pairs]
    labels = np.array([label for _, label in pairs], dtype="float32")
    word_index = build_word_index(texts)
    data = keras.utils.pad_sequences(to_sequences(texts, word_index), maxlen=maxlen)

    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input(shape=(maxlen,)),
        layers.Embedding(input_dim=VOCAB_SIZE, output_dim=EMBEDDING_DIM),
        layers.SimpleRNN(UNITS),
        layers.Dense(1, activation="sigmoid"),
    ])
    # Up to ~10 tiny steps run faster eagerly than compiling a graph for them;
    # the numbers are the same either way (the code panel leaves this out).
    steps = epochs * -(-len(pairs) // batch_size)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"], run_eagerly=steps <= 10)
    history = model.fit(data, labels, epochs=epochs, batch_size=batch_size, verbose=0)

    train_probabilities = np.asarray(model(data, training=False)).reshape(-1)
    new_sentences = tuple(str(s) for s in new_sentences)
    new_sequences = keras.utils.pad_sequences(to_sequences(new_sentences, word_index), maxlen=maxlen)
    new_probabilities = (
        np.asarray(model(new_sequences, training=False)).reshape(-1) if new_sentences else np.zeros(0)
    )
    return TutorialRun(
        model=model,
        word_index=word_index,
        data=np.asarray(data),
        history={name: [float(v) for v in values] for name, values in history.history.items()},
        train_probabilities=train_probabilities,
        train_accuracy=float(np.mean((train_probabilities >= 0.5) == (labels == 1))),
        new_sentences=new_sentences,
        new_sequences=np.asarray(new_sequences),
        new_probabilities=new_probabilities,
    )


def code(
    pairs: Sequence[tuple[str, int]] = TUTORIAL_PAIRS,
    new_sentences: Sequence[str] = NEW_SENTENCES,
    epochs: int = EPOCHS,
    seed: int = SEED,
) -> str:
    """Runnable Keras 3 code that does what ``train_tutorial`` does."""
    texts = [str(text) for text, _ in pairs]
    labels = [int(label) for _, label in pairs]
    return f'''import keras
import numpy as np
from keras import layers

texts = {texts!r}
labels = np.array({labels!r})  # 1 = positive, 0 = negative

# Vocabulary, as the old Tokenizer(num_words=1000) built it: lower case,
# punctuation removed, the most frequent word gets id 1, 0 is padding.
FILTERS = {_FILTERS!r}


def words_of(text):
    return text.lower().translate({{ord(c): " " for c in FILTERS}}).split()


counts = {{}}
for text in texts:
    for word in words_of(text):
        counts[word] = counts.get(word, 0) + 1
word_index = {{w: i + 1 for i, w in enumerate(sorted(counts, key=lambda w: -counts[w])[:999])}}


def to_sequences(texts):
    return [[word_index[w] for w in words_of(t) if w in word_index] for t in texts]


data = keras.utils.pad_sequences(to_sequences(texts), maxlen={MAXLEN})

keras.utils.set_random_seed({int(seed)})
model = keras.Sequential([
    keras.Input(shape=({MAXLEN},)),
    layers.Embedding(input_dim={VOCAB_SIZE}, output_dim={EMBEDDING_DIM}),
    layers.SimpleRNN({UNITS}),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(data, labels, epochs={int(epochs)}, batch_size={BATCH_SIZE})

print(model(data).numpy().ravel())  # the training sentences
new = {[str(s) for s in new_sentences]!r}
if new:
    print(model(keras.utils.pad_sequences(to_sequences(new), maxlen={MAXLEN})).numpy().ravel())
'''
