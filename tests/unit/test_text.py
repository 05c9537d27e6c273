"""Lesson 4 logic: tokens, shipped RNNs read per token, tutorial example, CLI.

Fast and without the shared data. The sentences here are our own.
"""

from __future__ import annotations

import contextlib
import io
import json
import time

import numpy as np
import pytest

from dlplay.text import model as text
from dlplay.text.model import OOV_ID, PAD_ID, Vocabulary, detect_language, pad, predict, tokenize

# Our own probe sentences: plain, negated, intensified, mixed (a "but").
PROBES_EN = [
    ("This movie is wonderful.", 1),
    ("A dull, boring film.", 0),
    ("The acting was great and the story was moving.", 1),
    ("It is a terrible waste of time.", 0),
    ("This film is not good.", 0),
    ("It isn't funny.", 0),
    ("It was not bad at all.", 1),
    ("Absolutely brilliant, one of the best films of the year.", 1),
    ("The worst movie I have ever seen.", 0),
    ("Very, very bad.", 0),
    ("An extremely funny and charming comedy.", 1),
    ("The plot is thin, but the actors are excellent and it is great fun.", 1),
    ("Beautiful pictures, but the story is painfully dull and far too long.", 0),
    ("I loved it.", 1),
]
PROBES_ZH = [
    ("房间很干净，服务很好。", 1),
    ("房间很脏，服务太差了。", 0),
    ("酒店不错，下次还会再来。", 1),
    ("不好，很失望。", 0),
    ("房间不干净。", 0),
    ("早餐非常好吃，位置也非常方便。", 1),
    ("环境非常差，再也不会来了。", 0),
    ("虽然房间有点小，但是服务很热情，总体很满意。", 1),
    ("虽然位置不错，但是房间又旧又吵，很失望。", 0),
    ("前台态度不好。", 0),
    ("性价比很高，推荐！", 1),
    ("wifi很慢，房间很吵。", 0),
]
# Floors for the best cells; the counts reached are printed (pytest -s).
PROBE_FLOOR = {"en": 11, "zh": 10}


def test_english_tokens_follow_the_sst2_treebank_style():
    assert tokenize("I don't like it, it's NOT good!!", "en") == [
        "i", "do", "n't", "like", "it", ",", "it", "'s", "not", "good", "!!"]
    assert tokenize("Can't, won't, well-made.", "en") == ["ca", "n't", ",", "wo", "n't", ",", "well-made", "."]
    assert tokenize("It\u2019s fine", "en") == ["it", "'s", "fine"]


def test_chinese_tokens_are_characters_and_latin_words():
    assert tokenize("房间很好", "zh") == ["房", "间", "很", "好"]
    # Full-width punctuation and letters are normalised (NFKC), Latin runs stay whole.
    assert tokenize("WiFi不错！😀", "zh") == ["wifi", "不", "错", "!", "😀"]


def test_language_is_chinese_when_any_han_character():
    assert detect_language("good hotel") == "en"
    assert detect_language("good 酒店") == "zh"
    assert detect_language("") == "en"
    assert detect_language("，。！") == "en"
    assert text.resolve_language("好", "en") == "en"
    with pytest.raises(ValueError):
        text.resolve_language("x", "fr")


def test_tokenize_stops_at_the_limit_fast():
    start = time.perf_counter()
    tokens = tokenize("word " * 20_000, "en", limit=61)
    assert len(tokens) == 61
    assert time.perf_counter() - start < 0.05


def test_vocabulary_ids_and_oov():
    vocabulary = Vocabulary.build([["b", "a", "b"], ["c", "b", "a"]], min_count=2, max_size=10)
    assert vocabulary.tokens == ("<pad>", "<oov>", "b", "a")
    assert vocabulary.ids(["a", "zzz", "b"]) == [3, OOV_ID, 2]
    with pytest.raises(ValueError):
        Vocabulary(("a", "b"))


def test_pad_is_pre_padding_and_post_truncation_like_keras():
    import keras

    for ids in ([], [5], [1, 2, 3], list(range(1, 12))):
        expected = keras.utils.pad_sequences([ids], maxlen=5, padding="pre", truncating="post")[0]
        np.testing.assert_array_equal(pad(ids, 5), expected)


@pytest.mark.parametrize("cell", text.CELLS)
def test_numpy_recurrence_matches_keras(cell):
    """The per-token readout is Keras's own computation, padding masked."""
    import keras

    from dlplay.text.train import build_model, get_weights

    keras.utils.set_random_seed(0)
    model = build_model(cell, vocab_size=20, embedding_dim=6, units=5)
    weights = get_weights(model)
    # Random weights are too tame to test the gates: scale them up.
    weights = {k: v * (3.0 if k != "embedding" else 1.0) for k, v in weights.items()}
    from dlplay.text.train import set_weights

    set_weights(model, weights)
    numpy_model = text.TextModel("en", cell, Vocabulary(("<pad>", "<oov>")), 8, weights, {})
    sequences = np.array([[0, 0, 0, 4, 7, 1, 9, 3], [0, 0, 0, 0, 0, 0, 0, 0], [2, 5, 5, 19, 8, 1, 1, 6]])
    expected = np.asarray(model(sequences, training=False)).reshape(-1)
    np.testing.assert_allclose(numpy_model.predict_sequences(sequences), expected, atol=1e-5)
    # Every prefix read by Keras equals the readout after that token.
    states = numpy_model.hidden_states(sequences[2:])[0]
    for t in range(1, 8):
        prefix = np.asarray(model(pad(sequences[2, :t], 8)[None], training=False)).reshape(-1)[0]
        assert numpy_model.read(states[t - 1]) == pytest.approx(prefix, abs=1e-5)


@pytest.mark.parametrize("lang", text.LANGS)
@pytest.mark.parametrize("cell", text.CELLS)
def test_shipped_models_read_every_token(lang, cell):
    sentence = "The story is not good, but the actors are great." if lang == "en" else "房间不大，但是很干净。"
    result = predict(sentence, lang=lang, cell=cell)
    model = text.load_model(lang, cell)
    n = len(result.tokens)
    assert n > 0 and result.cell == cell and result.lang == lang
    assert result.hidden_states.shape == (n, model.units)
    assert result.token_probabilities.shape == (n,)
    assert result.token_probabilities[-1] == pytest.approx(result.probability, abs=1e-6)
    assert result.label == ("positive" if result.probability >= 0.5 else "negative")
    assert result.sequence.shape == (model.maxlen,)
    np.testing.assert_array_equal(result.sequence[-n:], [t.id for t in result.tokens])
    assert (result.sequence[:-n] == PAD_ID).all()
    # The model on the padded sequence (all at once) agrees with the readout.
    assert model.predict_sequences(result.sequence[None])[0] == pytest.approx(result.probability, abs=1e-5)
    # The reading after token t is the prediction for the prefix up to t.
    prefix = " ".join(t.text for t in result.tokens[:3]) if lang == "en" else "".join(
        t.text for t in result.tokens[:3])
    assert predict(prefix, lang=lang, cell=cell).probability == pytest.approx(
        float(result.token_probabilities[2]), abs=1e-5)


def test_shipped_models_are_loaded_once_and_read_only():
    model = text.load_model("en", "lstm")
    assert text.load_model("en", "lstm") is model
    assert text.load_model("en") is text.load_model("en", text.best_cell("en"))
    with pytest.raises(ValueError):
        model.weights["kernel"][0, 0] = 1.0
    assert set(text.available_cells("en")) == set(text.CELLS)
    assert set(text.available_cells("zh")) == set(text.CELLS)


def test_shipped_keras_model_matches_numpy():
    model = text.keras_model("zh", "gru")
    result = predict("服务很好，房间也干净", cell="gru")
    expected = float(np.asarray(model(result.sequence[None], training=False)).reshape(-1)[0])
    assert result.probability == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize(
    ("sentence", "lang", "notes", "has_label"),
    [
        ("", "en", ("empty",), False),
        ("      ", "en", ("empty",), False),
        ("qzxv blorptic frangulated", "en", ("all_oov",), True),
        ("😀😀 🙃", "en", ("all_oov",), True),
        ("<script>alert('x')</script> <b>great</b> film", "en", (), True),
        ("这家hotel的wifi很好", "zh", ("mixed",), True),
    ],
)
def test_bad_inputs_get_a_clear_answer(sentence, lang, notes, has_label):
    result = predict(sentence)
    assert result.lang == lang
    assert set(notes) <= set(result.notes)
    assert (result.label is not None) == has_label
    if not has_label:
        assert result.probability is None and result.tokens == () and result.hidden_states.shape[0] == 0
        assert (result.sequence == PAD_ID).all()
    json.dumps(result.to_dict())


def test_punctuation_only_is_read_as_tokens():
    result = predict("?!... ,")
    assert result.label in ("positive", "negative") and len(result.tokens) >= 1


@pytest.mark.parametrize("sentence", ["good movie " * 50_000, "很好" * 50_000, "x" * 100_000])
def test_hundred_thousand_characters_are_cut_fast(sentence):
    start = time.perf_counter()
    result = predict(sentence)
    assert time.perf_counter() - start < 0.5
    assert len(result.tokens) <= text.MAXLEN[result.lang]
    assert result.truncated and "truncated" in result.notes


def test_unknown_cell_or_language_is_a_value_error():
    with pytest.raises(ValueError):
        predict("good", cell="transformer")
    with pytest.raises(ValueError):
        predict("good", lang="de")


def test_predict_is_fast_for_30_words():
    sentence = " ".join(["the film is not as good as its cast but still quite enjoyable"] * 3).split()[:30]
    sentence = " ".join(sentence)
    predict(sentence)
    times = []
    for _ in range(30):
        start = time.perf_counter()
        predict(sentence)
        times.append(time.perf_counter() - start)
    assert np.median(times) < 0.020


def _probe_score(probes, lang):
    cell = text.best_cell(lang)
    right = [predict(s, lang=lang, cell=cell).label == ("positive" if y else "negative") for s, y in probes]
    return sum(right), cell


@pytest.mark.parametrize("lang", text.LANGS)
def test_probe_sentences(lang):
    probes = PROBES_EN if lang == "en" else PROBES_ZH
    right, cell = _probe_score(probes, lang)
    print(f"\nprobes {lang} ({cell}): {right}/{len(probes)} right")
    assert right >= PROBE_FLOOR[lang]


def test_negation_flips_the_reading_along_the_sentence():
    good = predict("this film is good", lang="en")
    not_good = predict("this film is not good", lang="en")
    assert good.label == "positive" and not_good.label == "negative"
    assert not_good.token_probabilities[-1] < good.token_probabilities[-1]


def test_tutorial_example_memorises_its_two_sentences():
    from dlplay.text import tutorial as text_tutorial

    run = text_tutorial.train_tutorial()
    assert run.train_accuracy == 1.0
    assert len(run.history["accuracy"]) == text_tutorial.EPOCHS
    assert run.data.shape == (2, 5)
    assert run.new_probabilities.shape == (len(text_tutorial.NEW_SENTENCES),)
    assert run.word_index["i"] == 1


def test_tutorial_example_takes_edited_sentences():
    from dlplay.text import tutorial as text_tutorial

    pairs = [("so happy today!", 1), ("what a sad story", 0), ("happy happy ending", 1)]
    run = text_tutorial.train_tutorial(pairs, new_sentences=["totally unknown words", ""], epochs=30)
    assert run.train_accuracy == 1.0
    assert (run.new_sequences[0] == 0).all()  # the Tokenizer dropped unknown words
    with pytest.raises(ValueError):
        text_tutorial.train_tutorial([])
    with pytest.raises(ValueError):
        text_tutorial.train_tutorial([("x", 2)])


def test_tutorial_code_runs_and_prints_what_the_page_shows():
    from dlplay.text import tutorial as text_tutorial

    pairs = [("I love deep learning", 1), ("This is a great tutorial", 0), ("awful, just awful", 0)]
    source = text_tutorial.code(pairs, new_sentences=["I love it"])
    assert "preprocessing" not in source and "input_length" not in source and "keras.Input(" in source
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(source, "tutorial.py", "exec"), {"__name__": "__main__"})
    printed = [line for line in output.getvalue().splitlines() if line.startswith("[")]
    run = text_tutorial.train_tutorial(pairs, new_sentences=["I love it"])
    train_printed = np.array(printed[-2].strip("[]").split(), dtype=float)
    np.testing.assert_allclose(train_printed, run.train_probabilities, atol=1e-4)


def _cli(monkeypatch, capsys, argv):
    import dlplay.cli as cli

    monkeypatch.setattr(cli, "COMMANDS", ["text"])
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_predict_json(monkeypatch, capsys):
    code, out, _ = _cli(monkeypatch, capsys, ["text", "predict", "a truly great film", "酒店很差", "", "--json"])
    assert code == 0
    results = json.loads(out)
    assert [r["lang"] for r in results] == ["en", "zh", "en"]
    assert results[0]["label"] == "positive" and results[1]["label"] == "negative"
    assert results[2]["label"] is None and results[2]["tokens"] == []
    assert results[0]["tokens"][0] == {"text": "a", "id": results[0]["tokens"][0]["id"], "oov": False}
    assert results[0]["cell"] == text.best_cell("en")
    assert {"text", "lang", "label", "probability", "tokens"} <= set(results[0])


def test_cli_predict_cell_and_lang(monkeypatch, capsys):
    code, out, _ = _cli(monkeypatch, capsys, ["text", "predict", "好", "--lang", "en", "--cell", "simplernn", "--json"])
    assert code == 0
    (result,) = json.loads(out)
    assert result["lang"] == "en" and result["cell"] == "simplernn"


def test_cli_evaluate_tsv_and_csv(monkeypatch, capsys, tmp_path):
    tsv = tmp_path / "mine.tsv"
    tsv.write_text("label\tcontent\n1\ta great and moving film\n0\ta dull , boring mess\n", encoding="utf-8")
    code, out, _ = _cli(monkeypatch, capsys, ["text", "evaluate", "--data", str(tsv), "--lang", "en", "--json"])
    assert code == 0
    result = json.loads(out)
    assert result["n"] == 2 and 0.0 <= result["accuracy"] <= 1.0
    csv_path = tmp_path / "mine.csv"
    csv_path.write_text('label,review\n1,"房间很干净，服务很好"\n0,\n0,太差了\n', encoding="utf-8")
    code, out, err = _cli(monkeypatch, capsys, ["text", "evaluate", "--data", str(csv_path), "--lang", "zh", "--json"])
    assert code == 0
    result = json.loads(out)
    assert result["n"] == 2 and result["skipped_empty"] == 1
    assert "skipped 1" in err


def test_cli_bad_arguments_are_one_line(monkeypatch, capsys, tmp_path):
    code, _, err = _cli(monkeypatch, capsys, ["text", "evaluate", "--data", str(tmp_path / "no.tsv"), "--lang", "en"])
    assert code == 2 and err.count("\n") == 1 and "no such file" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n", encoding="utf-8")
    code, _, err = _cli(monkeypatch, capsys, ["text", "evaluate", "--data", str(bad), "--lang", "zh"])
    assert code == 2 and err.count("\n") == 1
    code, _, err = _cli(monkeypatch, capsys, ["text", "train", "--data", str(tmp_path / "none")])
    assert code == 2 and "no such folder" in err
