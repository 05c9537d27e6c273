"""The tutorial's own RNN example (§3.2), live and in Keras 3 form.

Two sentences, two labels, ``Embedding(1000, 32)`` -> ``SimpleRNN(32)`` ->
``Dense(1, sigmoid)``, ``maxlen=5``, 5 epochs, batch 2. The student edits the
sentences, trains again and watches the network memorise them and guess at
new ones. ``train_tutorial`` and the code panel's script
(``dlplay.text.code``) run the same steps, so the code panel reproduces what
the page shows.

The vocabulary is built as the tutorial's ``Tokenizer(num_words=1000)`` did
(``Tokenizer`` is gone from Keras 3): lower case, punctuation stripped, most
frequent word first with id 1, 0 is padding, unknown words are dropped.
``pad_sequences`` pads and cuts at the front, its default.

With 5 epochs of two sentences at batch 2 the model takes 5 Adam steps
(learning rate 0.001), so its outputs move only a little away from 0.5, yet
to the right side of it. More epochs push them towards 1 and 0: the page lets
the student add epochs to watch it memorise.

The page trains it in the training line with the other lessons' runs (``tutorial_task``, run by ``train``),
never in the visitor's own thread: a run stops within a batch once its page stops looking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from dlplay.jobs import STOPPED, Reporter, Task

TUTORIAL_PAIRS = (("I love deep learning", 1), ("This is a great tutorial", 0))
NEW_SENTENCES = ("I love this tutorial", "deep learning is great")
VOCAB_SIZE = 1000
EMBEDDING_DIM = 32
UNITS = 32
MAXLEN = 5
EPOCHS = 5
BATCH_SIZE = 2
SEED = 1
MAX_NEW_SENTENCES = 20
# What one run trains on, whatever the page's table was sent: the tutorial has two rows and the page allows 200
# epochs, so a run takes at most MAX_PAIRS * MAX_EPOCHS / BATCH_SIZE = 5,000 steps (seconds, not minutes).
MAX_PAIRS = 50
MAX_EPOCHS = 200
MAX_SENTENCE = 200  # characters, as the table's column allows (a client can send more)
FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'


def words_of(text: str) -> list[str]:
    """Keras's old Tokenizer: lower case, these punctuation marks to spaces."""
    return text.lower().translate({ord(c): " " for c in FILTERS}).split()


def build_word_index(texts: Sequence[str], num_words: int = VOCAB_SIZE) -> dict[str, int]:
    """Most frequent word -> 1, ties in order of first appearance; only ids
    below ``num_words`` are kept, as ``Tokenizer(num_words)`` does."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in words_of(text):
            counts[word] = counts.get(word, 0) + 1
    words = sorted(counts, key=lambda w: -counts[w])[: num_words - 1]
    return {word: i + 1 for i, word in enumerate(words)}


def labelled_pairs(sentences: Sequence, labels: Sequence) -> list[tuple[str, int]]:
    """The rows of the page's sentence table that can be trained on: a
    sentence that is not blank, with a label 0 or 1 (an edited table also
    holds empty rows and missing labels; a column with a gap holds floats)."""
    return [(sentence.strip()[:MAX_SENTENCE], int(label)) for sentence, label in zip(sentences, labels)
            if isinstance(sentence, str) and sentence.strip() and label in (0, 1)]


def sentences_of(text: str, limit: int = MAX_NEW_SENTENCES) -> list[str]:
    """One sentence per non-blank line, stripped, at most ``limit``."""
    return [line.strip() for line in text.splitlines() if line.strip()][:limit]


def to_sequences(texts: Sequence[str], word_index: dict[str, int]) -> list[list[int]]:
    return [[word_index[w] for w in words_of(t) if w in word_index] for t in texts]


class Output(NamedTuple):
    """What the trained model says of one sentence."""

    sentence: str
    seen: bool  # one of the training sentences
    probability: float  # above 0.5: positive


@dataclass(frozen=True)
class TutorialRun:
    model: object  # the trained keras.Model
    word_index: dict[str, int]
    train_sentences: tuple[str, ...]
    data: np.ndarray  # (n, maxlen) padded training sequences
    history: dict[str, list[float]]  # per epoch: "loss", "accuracy" (as Keras logs them)
    train_probabilities: np.ndarray  # after training, on the training sentences
    train_accuracy: float  # of those, threshold 0.5
    new_sentences: tuple[str, ...]
    new_sequences: np.ndarray  # unknown words dropped, as the Tokenizer did
    new_probabilities: np.ndarray
    stopped: bool = False  # its page stopped looking before the last epoch

    def outputs(self) -> list[Output]:
        """The training sentences, then the new ones, each with the model's output."""
        return [Output(s, True, float(p)) for s, p in zip(self.train_sentences, self.train_probabilities)] + [
            Output(s, False, float(p)) for s, p in zip(self.new_sentences, self.new_probabilities)]


def train_tutorial(
    pairs: Sequence[tuple[str, int]] = TUTORIAL_PAIRS,
    new_sentences: Sequence[str] = NEW_SENTENCES,
    epochs: int = EPOCHS,
    seed: int = SEED,
    batch_size: int = BATCH_SIZE,
    maxlen: int = MAXLEN,
    stop_asked: Callable[[], bool] | None = None,
    on_epoch: Callable[[int], None] | None = None,
) -> TutorialRun:
    """Train the tutorial's model on ``pairs`` (sentence, 0/1 label). ``stop_asked`` is looked at after every
    batch (True ends the run there, ``stopped``); ``on_epoch`` hears each epoch's number as it ends."""
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
    watch = _Watch(stop_asked, on_epoch)
    history = model.fit(data, labels, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=[watch.callback()])

    train_probabilities = np.asarray(model(data, training=False)).reshape(-1)
    new_sentences = tuple(str(s) for s in new_sentences)
    new_sequences = keras.utils.pad_sequences(to_sequences(new_sentences, word_index), maxlen=maxlen)
    new_probabilities = (
        np.asarray(model(new_sequences, training=False)).reshape(-1) if new_sentences else np.zeros(0)
    )
    return TutorialRun(
        model=model,
        word_index=word_index,
        train_sentences=tuple(texts),
        data=np.asarray(data),
        history={name: [float(v) for v in values] for name, values in history.history.items()},
        train_probabilities=train_probabilities,
        train_accuracy=float(np.mean((train_probabilities >= 0.5) == (labels == 1))),
        new_sentences=new_sentences,
        new_sequences=np.asarray(new_sequences),
        new_probabilities=new_probabilities,
        stopped=watch.stopped,
    )


class _Watch:
    """A Keras callback's two jobs here: stop the fit when asked, tell each epoch's end."""

    def __init__(self, stop_asked, on_epoch):
        self.stop_asked, self.on_epoch, self.stopped = stop_asked, on_epoch, False

    def callback(self):
        import keras

        watch = self

        class Watching(keras.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                if watch.stop_asked is not None and watch.stop_asked():
                    watch.stopped = self.model.stop_training = True

            def on_epoch_end(self, epoch, logs=None):
                if watch.on_epoch is not None:
                    watch.on_epoch(epoch + 1)

        return Watching()


def tutorial_task(pairs: Sequence[tuple[str, int]], new_sentences: Sequence[str], epochs: int, seed: int,
                  lane: str = "", owner: str = "") -> Task:
    """The task of one run for the training line, within bounds whatever the page was sent: the first MAX_PAIRS
    pairs and MAX_NEW_SENTENCES new sentences (each cut to MAX_SENTENCE), 1 to MAX_EPOCHS epochs, a seed
    Keras takes."""
    payload = {"pairs": [(str(text)[:MAX_SENTENCE], int(label)) for text, label in list(pairs)[:MAX_PAIRS]],
               "new_sentences": [str(text)[:MAX_SENTENCE] for text in list(new_sentences)[:MAX_NEW_SENTENCES]],
               "epochs": min(max(int(epochs), 1), MAX_EPOCHS), "seed": int(seed) % 2**32}
    return Task("tutorial", f"{__name__}:train", payload, lane, owner)


def train(payload: dict, reporter: Reporter) -> dict:
    """The tutorial task, under either line: {"run": the TutorialRun without its Keras model (plain data for any
    web process)}, or the status "stopped" if its page left (no look for the line's abandon_after) first."""
    reporter.publish(epoch=0, epochs=payload["epochs"])
    run = train_tutorial(payload["pairs"], payload["new_sentences"], payload["epochs"], payload["seed"],
                         stop_asked=reporter.stop_asked,
                         on_epoch=lambda epoch: reporter.publish(epoch=epoch, epochs=payload["epochs"]))
    return {"status": STOPPED} if run.stopped else {"run": replace(run, model=None)}

