"""The text page's code panel: the tutorial's two-sentence example as runnable Keras 3 code.

It does what ``dlplay.text.tutorial.train_tutorial`` does, with the visitor's
sentences, epochs and seed filled in, and prints the outputs the page shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from dlplay import i18n
from dlplay.text.tutorial import (
    BATCH_SIZE,
    EMBEDDING_DIM,
    EPOCHS,
    FILTERS,
    MAXLEN,
    NEW_SENTENCES,
    SEED,
    TUTORIAL_PAIRS,
    UNITS,
    VOCAB_SIZE,
)

COMMENTS = "code.text."  # the catalogue keys of the script's comments


def code(
    pairs: Sequence[tuple[str, int]] = TUTORIAL_PAIRS,
    new_sentences: Sequence[str] = NEW_SENTENCES,
    epochs: int = EPOCHS,
    seed: int = SEED,
    lang: str = "en",
) -> str:
    """Runnable Keras 3 code that does what ``train_tutorial`` does; with no
    ``pairs`` (the visitor emptied the table), the tutorial's own two."""
    pairs = list(pairs) or list(TUTORIAL_PAIRS)
    texts = [str(text) for text, _ in pairs]
    labels = [int(label) for _, label in pairs]
    c = {key.removeprefix(COMMENTS): i18n.text(lang, key) for key in i18n.CATALOGUES["en"] if key.startswith(COMMENTS)}
    return f'''import keras
import numpy as np
from keras import layers

texts = {texts!r}
labels = np.array({labels!r})  # {c["labels"]}

# {c["vocabulary"]}
# {c["vocabulary_ids"]}
FILTERS = {FILTERS!r}


def words_of(text):
    return text.lower().translate({{ord(c): " " for c in FILTERS}}).split()


counts = {{}}
for text in texts:
    for word in words_of(text):
        counts[word] = counts.get(word, 0) + 1
word_index = {{w: i + 1 for i, w in enumerate(sorted(counts, key=lambda w: -counts[w])[:{VOCAB_SIZE - 1}])}}


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

print(model(data).numpy().ravel())  # {c["training"]}
new = {[str(s) for s in new_sentences]!r}
if new:
    print(model(keras.utils.pad_sequences(to_sequences(new), maxlen={MAXLEN})).numpy().ravel())
'''
