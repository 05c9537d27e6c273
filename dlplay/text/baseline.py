"""N-gram models: the yardstick the shipped RNNs must beat, and their guide.

Trained on exactly the training part the RNNs learn from and scored on the
same test parts, in the same ``dlplay text train`` run. Chinese: character
1-3-grams of the raw text; English: word 1-2-grams. scikit-learn's defaults
otherwise, which is what "a plain TF-IDF logistic regression" means to most
readers and what anyone can rerun in three lines; scikit-learn is a
development tool only (``pip install -e ".[train]"``), the app never needs it.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import numpy as np

from dlplay.text.data import Splits

FEATURES = {"en": {"analyzer": "word", "ngram_range": (1, 2)}, "zh": {"analyzer": "char", "ngram_range": (1, 3)}}


def tfidf_logistic_regression(splits: Splits, lang: str) -> dict:
    """Accuracy on the validation part and each test part, with what was fitted."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    start = time.time()
    vectorizer = TfidfVectorizer(**FEATURES[lang])
    features = vectorizer.fit_transform(splits.train.texts)
    classifier = LogisticRegression(max_iter=2000)  # the default 100 iterations stop before it converges
    classifier.fit(features, splits.train.labels)
    parts = {"validation": splits.validation, **splits.tests}
    scores = {name: round(float(classifier.score(vectorizer.transform(part.texts), part.labels)), 4)
              for name, part in parts.items()}
    return {
        "model": f"TfidfVectorizer({', '.join(f'{k}={v!r}' for k, v in FEATURES[lang].items())}) + "
                 "LogisticRegression(max_iter=2000), scikit-learn defaults otherwise",
        "features": features.shape[1],
        "n_train": features.shape[0],
        "accuracy": scores,
        "seconds": round(time.time() - start, 1),
    }


GUIDE_FEATURES = {"en": {"analyzer": "word", "ngram_range": (1, 3)}, "zh": {"analyzer": "char", "ngram_range": (1, 4)}}
RATIO_FEATURES = {"en": {"analyzer": "word", "ngram_range": (1, 3)}, "zh": {"analyzer": "char", "ngram_range": (1, 3)}}
TEACHER_FOLDS = 5


def _guide(texts: list[str], labels: np.ndarray, lang: str):
    """Two stronger n-gram models, averaged: TF-IDF (sublinear) logistic
    regression, and logistic regression on binary n-grams scaled by their
    log-count ratio (Wang and Manning's NB-LR). Returns P(positive) of new texts."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    tfidf = TfidfVectorizer(sublinear_tf=True, **GUIDE_FEATURES[lang])
    first = LogisticRegression(max_iter=3000, C=8).fit(tfidf.fit_transform(texts), labels)
    counts = CountVectorizer(binary=True, **RATIO_FEATURES[lang])
    present = counts.fit_transform(texts)
    positive = np.asarray(present[labels == 1].sum(axis=0)).ravel() + 1.0
    negative = np.asarray(present[labels == 0].sum(axis=0)).ravel() + 1.0
    ratio = np.log(positive / positive.sum()) - np.log(negative / negative.sum())
    second = LogisticRegression(max_iter=3000, C=1).fit(present.multiply(ratio).tocsr(), labels)

    def probabilities(new_texts: list[str]) -> np.ndarray:
        return (first.predict_proba(tfidf.transform(new_texts))[:, 1]
                + second.predict_proba(counts.transform(new_texts).multiply(ratio).tocsr())[:, 1]) / 2

    return probabilities


def guide_probabilities(splits: Splits, lang: str, seed: int = 0, cache: Path | None = None) -> np.ndarray:
    """P(positive) of each training text from a guide that never saw it
    (5 folds), the soft half of the RNNs' targets (``distill``): where a
    label says "negative" of a sentence that only praises, as the sentences
    cut from whole reviews often do, the guide's doubt softens the target.
    ``cache``: a folder to keep them in, by a hash of the data (a few minutes of CPU)."""
    texts = splits.train.texts
    labels = np.asarray(splits.train.labels)

    def out_of_fold() -> np.ndarray:
        folds = np.arange(len(texts)) % TEACHER_FOLDS
        np.random.default_rng(seed).shuffle(folds)
        out = np.zeros(len(texts))
        for fold in range(TEACHER_FOLDS):
            held = np.flatnonzero(folds == fold)
            kept = np.flatnonzero(folds != fold)
            probabilities = _guide([texts[i] for i in kept], labels[kept], lang)
            out[held] = probabilities([texts[i] for i in held])
        return out

    return _cached(cache, [lang, seed, TEACHER_FOLDS, texts, labels.tolist()], out_of_fold)


def _cached(cache: Path | None, key: list, compute) -> np.ndarray:
    """``compute()``, kept in the folder ``cache`` (if any) under a hash of ``key``, the data it depends on."""
    digest = hashlib.md5(json.dumps(key).encode()).hexdigest()
    path = None if cache is None else Path(cache) / f"dlplay-text-guide-{digest}.npy"
    if path is not None and path.is_file():
        return np.load(path)
    out = compute()
    if path is not None:
        np.save(path, out)
    return out


def guide_on(splits: Splits, lang: str, texts: list[str], cache: Path | None = None) -> np.ndarray:
    """P(positive) of new ``texts`` (pieces of training texts) from the guide fitted on the whole training part."""
    labels = np.asarray(splits.train.labels)
    return _cached(cache, [lang, "on", splits.train.texts, labels.tolist(), texts],
                   lambda: _guide(splits.train.texts, labels, lang)(texts))
