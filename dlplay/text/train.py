"""Training the shipped text models (``dlplay text train``) and reading the data.

English: SST-2 (GLUE) train, 5% of its phrases (md5 bucket 2 of 20) held
out for early stopping, scored on the dev set. Chinese: ChnSentiCorp hotel
reviews at character level, split by a hash of the review text
(``split_of``) so that the split is fixed without a file of indices and
duplicate reviews always fall on the same side: md5 of the stripped UTF-8
review mod 20, buckets 0-1 test (10%, 788 reviews), 2 validation (5%, early
stopping), 3-19 train. The one empty review is skipped. Dev and test are only
scored, never used to choose anything.

The shipped files (``dlplay/assets/text``) come from, with ``../shared/data``
the data folder:

    dlplay text train --data ../shared/data --lang en --cell all
    dlplay text train --data ../shared/data --lang zh --cell all

(seed 6, one TensorFlow thread, settings in ``SETTINGS``). Each run writes
``vocab_{lang}.json``, ``{lang}_{cell}.npz`` (weights only, embeddings in
float16) and its entry in ``models.json``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dlplay.plain import shorten
from dlplay.text.model import ASSETS, CELLS, MAXLEN, TextModel, accuracy_of, load_model
from dlplay.text.tokens import Vocabulary, pad, tokenize

SST2_TRAIN = "sst2/train.tsv"
SST2_DEV = "sst2/dev.tsv"
CHNSENTICORP = "chnsenticorp/ChnSentiCorp_htl_all.csv"

# Settings of the shipped models; reproducing them is `dlplay text train`.
# "epochs" is the most per cell (early stopping on the validation part may end
# sooner); English has fewer: SST-2 holds about ten times as many training texts.
SETTINGS = {
    "en": {"min_count": 2, "max_vocab": 12000, "embedding_dim": 64, "units": 64, "dropout": 0.4,
           "batch_size": 64, "epochs": {"simplernn": 5, "lstm": 8, "gru": 6}, "patience": 2, "learning_rate": 2e-3, "weight_decay": 1e-4},
    "zh": {"min_count": 2, "max_vocab": 4000, "embedding_dim": 64, "units": 64, "dropout": 0.4,
           "batch_size": 32, "epochs": {"simplernn": 16, "lstm": 16, "gru": 16}, "patience": 3, "learning_rate": 2e-3, "weight_decay": 1e-4},
}
SEED = 6


@dataclass(frozen=True)
class LabelledTexts:
    texts: list[str]
    labels: list[int]
    skipped: int  # rows with an empty text


def read_labelled(path: Path) -> LabelledTexts:
    """An SST-2 TSV (``label<TAB>sentence`` or ``label<TAB>content``) or a
    ChnSentiCorp CSV (``label,review``). Rows with an empty text are skipped
    and counted."""
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        first = handle.readline()
        if "\t" in first:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = first.rstrip("\r\n").split("\t")
        else:
            reader = csv.reader(handle)
            header = next(csv.reader([first]))
        header = [name.strip().lower() for name in header]
        if len(header) < 2 or header[0] != "label":
            raise ValueError(f"expected a header 'label' then the text column, got {shorten(repr(header), 80)}")
        texts, labels, skipped = [], [], 0
        for row in reader:
            if not row:
                continue
            text = row[1] if len(row) > 1 else ""
            if not text.strip():
                skipped += 1
                continue
            try:
                label = int(row[0])
            except ValueError as error:
                raise ValueError(f"bad label {shorten(row[0], 40)!r} in row {len(texts) + skipped + 1}") from error
            if label not in (0, 1):  # any other number would only be scored wrong, silently
                raise ValueError(f"label {label} in row {len(texts) + skipped + 1}; expected 0 or 1")
            texts.append(text)
            labels.append(label)
    return LabelledTexts(texts, labels, skipped)


def split_of(text: str, buckets: int = 20) -> str:
    """"test" (2 of 20 buckets, 10%), "validation" (1 of 20, 5%) or "train",
    from the md5 of the text: fixed, and the same text always on one side."""
    bucket = int(hashlib.md5(text.strip().encode("utf-8")).hexdigest(), 16) % buckets
    return "test" if bucket < 2 else "validation" if bucket == 2 else "train"


def chnsenticorp_split(data: LabelledTexts, part: str) -> LabelledTexts:
    keep = [i for i, text in enumerate(data.texts) if split_of(text) == part]
    return LabelledTexts([data.texts[i] for i in keep], [data.labels[i] for i in keep], data.skipped)


def load_splits(data_dir: Path, lang: str) -> dict[str, LabelledTexts]:
    """train / validation (early stopping) / test (the reported score)."""
    data_dir = Path(data_dir)
    if lang == "en":
        train = read_labelled(data_dir / SST2_TRAIN)
        # Hold out 5% of the training phrases by the hash of their text. SST-2
        # train holds each sentence with all its sub-phrases, so this part is
        # easier than dev (sentences never seen): good enough to stop on, not
        # an estimate.
        parts = {"train": ([], []), "validation": ([], [])}
        for text, label in zip(train.texts, train.labels):
            part = "validation" if split_of(text) == "validation" else "train"
            parts[part][0].append(text)
            parts[part][1].append(label)
        splits = {name: LabelledTexts(t, y, 0) for name, (t, y) in parts.items()}
        splits["test"] = read_labelled(data_dir / SST2_DEV)
        return splits
    data = read_labelled(data_dir / CHNSENTICORP)
    return {part: chnsenticorp_split(data, part) for part in ("train", "validation", "test")}


def build_model(cell: str, vocab_size: int, embedding_dim: int, units: int, dropout: float = 0.0):
    """Embedding (masking padding) -> unidirectional cell -> Dense(1, sigmoid)."""
    import keras
    from keras import layers

    recurrent = {"simplernn": layers.SimpleRNN, "lstm": layers.LSTM, "gru": layers.GRU}[cell]
    inputs = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(vocab_size, embedding_dim, mask_zero=True, name="embedding")(inputs)
    x = layers.Dropout(dropout)(x)
    x = recurrent(units, name="rnn")(x)
    x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(1, activation="sigmoid", name="dense")(x)
    return keras.Model(inputs, outputs, name=f"text_{cell}")


def keras_model(lang: str, cell: str | None = None):
    """A shipped model as a Keras model with the shipped weights."""
    shipped = load_model(lang, cell)
    network = build_model(shipped.cell, len(shipped.vocabulary), shipped.info["embedding_dim"], shipped.units)
    set_weights(network, shipped.weights)
    return network


def get_weights(model) -> dict[str, np.ndarray]:
    rnn = model.get_layer("rnn").cell
    dense = model.get_layer("dense")
    return {
        "embedding": model.get_layer("embedding").embeddings.numpy(),
        "kernel": rnn.kernel.numpy(),
        "recurrent_kernel": rnn.recurrent_kernel.numpy(),
        "bias": rnn.bias.numpy(),
        "dense_kernel": dense.kernel.numpy(),
        "dense_bias": dense.bias.numpy(),
    }


def set_weights(model, weights: dict[str, np.ndarray]) -> None:
    rnn = model.get_layer("rnn").cell
    dense = model.get_layer("dense")
    model.get_layer("embedding").embeddings.assign(weights["embedding"])
    rnn.kernel.assign(weights["kernel"])
    rnn.recurrent_kernel.assign(weights["recurrent_kernel"])
    rnn.bias.assign(weights["bias"])
    dense.kernel.assign(weights["dense_kernel"])
    dense.bias.assign(weights["dense_bias"])


def _batches(sequences: list[list[int]], labels: np.ndarray, batch_size: int, seed: int, shuffle: bool):
    """A tf.data pipeline of batches of similar length, each padded (pre) only
    to its own longest sequence: short phrases do not pay for long ones."""
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    lengths = np.array([len(s) for s in sequences])

    def generate():
        # Sort by length with random jitter, then shuffle the batch order.
        jitter = rng.random(len(sequences)) * 3 if shuffle else np.zeros(len(sequences))
        order = np.argsort(lengths + jitter, kind="stable")
        groups = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        if shuffle:
            rng.shuffle(groups)
        for group in groups:
            width = max(1, int(lengths[group].max()))
            yield np.stack([pad(sequences[i], width) for i in group]), labels[group].astype("float32")

    signature = (tf.TensorSpec((None, None), tf.int32), tf.TensorSpec((None,), tf.float32))
    return tf.data.Dataset.from_generator(generate, output_signature=signature)


def train(data_dir: Path, lang: str, cells=CELLS, out: Path = ASSETS, seed: int = SEED,
          epochs: int | None = None, log=print) -> dict:
    """Train the given cells for one language, write the vocabulary, weights
    (``{lang}_{cell}.npz``, no optimizer state) and ``models.json``."""
    import keras
    import tensorflow as tf

    settings = dict(SETTINGS[lang])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    splits = load_splits(data_dir, lang)
    maxlen = MAXLEN[lang]
    tokenized = {name: [tokenize(t, lang, limit=maxlen) for t in part.texts] for name, part in splits.items()}
    vocabulary = Vocabulary.build(tokenized["train"], settings["min_count"], settings["max_vocab"])
    vocabulary.save(out / f"vocab_{lang}.json")
    ids = {name: [vocabulary.ids(tokens) for tokens in lists] for name, lists in tokenized.items()}
    labels = {name: np.asarray(part.labels) for name, part in splits.items()}
    log(f"{lang}: vocabulary {len(vocabulary)}, "
        + ", ".join(f"{name} {len(part.texts)}" for name, part in splits.items()))

    results = {}
    for cell in cells:
        settings["epochs"] = epochs or SETTINGS[lang]["epochs"][cell]
        keras.utils.set_random_seed(seed)
        tf.config.experimental.enable_op_determinism()
        model = build_model(cell, len(vocabulary), settings["embedding_dim"], settings["units"], settings["dropout"])
        model.compile(
            optimizer=keras.optimizers.AdamW(settings["learning_rate"], weight_decay=settings["weight_decay"]),
            loss="binary_crossentropy",
            metrics=["accuracy"],
        )
        start = time.time()
        history = model.fit(
            _batches(ids["train"], labels["train"], settings["batch_size"], seed, shuffle=True),
            validation_data=_batches(ids["validation"], labels["validation"], 256, seed, shuffle=False),
            epochs=settings["epochs"],
            callbacks=[keras.callbacks.EarlyStopping(
                monitor="val_accuracy", patience=settings["patience"], restore_best_weights=True)],
            verbose=2,
        )
        seconds = time.time() - start
        weights = get_weights(model)
        # Embeddings are most of the bytes: half precision, the rest float32.
        weights["embedding"] = weights["embedding"].astype(np.float16)
        np.savez_compressed(out / f"{lang}_{cell}.npz", **weights)

        # Score what ships (float16 embeddings), with the numpy recurrence.
        shipped = TextModel.from_weights(lang, cell, vocabulary, weights)
        scores = {}
        for name in ("validation", "test"):
            sequences = np.stack([pad(s, maxlen) for s in ids[name]])
            scores[name] = accuracy_of(shipped.predict_sequences(sequences), labels[name])
        val_history = history.history["val_accuracy"]
        results[cell] = {
            "lang": lang,
            "cell": cell,
            **{k: settings[k] for k in ("embedding_dim", "units", "dropout", "batch_size", "learning_rate", "weight_decay")},
            "vocab_size": len(vocabulary),
            "maxlen": maxlen,
            "seed": seed,
            "max_epochs": settings["epochs"],
            "patience": settings["patience"],
            "epochs_run": len(val_history),
            "best_epoch": int(np.argmax(val_history)) + 1,
            "train_seconds": round(seconds, 1),
            "validation_accuracy": round(scores["validation"], 4),
            "test_accuracy": round(scores["test"], 4),
            "test_set": "SST-2 dev (872)" if lang == "en" else f"ChnSentiCorp md5 split, test ({len(ids['test'])})",
            "n_test": len(ids["test"]),
        }
        log(f"{lang} {cell}: validation {scores['validation']:.4f}, test {scores['test']:.4f}, {seconds:.0f} s")
        _update_models_json(out, lang, cell, results[cell])
    return results


def _update_models_json(out: Path, lang: str, cell: str, result: dict) -> None:
    import fcntl  # Unix only: training runs there; reading the data does not need it

    path = out / "models.json"
    # en and zh may train in two processes at once: one writer at a time.
    with (Path(tempfile.gettempdir()) / "dlplay-text-models.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _write_models_json(path, lang, cell, result)


def _write_models_json(path: Path, lang: str, cell: str, result: dict) -> None:
    infos = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"models": {}, "best": {}}
    infos["models"][f"{lang}_{cell}"] = result
    # The default cell: best on the held-out validation part, not on dev/test.
    candidates = {k: v for k, v in infos["models"].items() if v["lang"] == lang}
    best = max(candidates.values(), key=lambda v: (v["validation_accuracy"], v["test_accuracy"]))
    infos["best"][lang] = best["cell"]
    infos["models"] = dict(sorted(infos["models"].items()))
    path.write_text(json.dumps(infos, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
