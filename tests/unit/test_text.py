"""§3.2 logic: tokens, shipped RNNs read per token, the page's URL settings, CLI.

Fast and without the shared data. The sentences here are our own.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from dlplay import i18n, url_state
from dlplay.text import numpy_net as text_model
from dlplay.text import state as text_state
from dlplay.text import tokens as text_tokens
from dlplay.text.numpy_net import TextModel, predict
from dlplay.text.reading import verdict
from dlplay.text.tokens import (
    OOV_ID,
    PAD_ID,
    Vocabulary,
    chart_labels,
    detect_language,
    frequent_ngrams,
    ngram_ids,
    ngram_keys,
    pad,
    tokenize,
)

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
    assert text_tokens.resolve_language("好", "en") == "en"
    with pytest.raises(ValueError):
        text_tokens.resolve_language("x", "fr")


def test_tokenize_stops_at_the_limit():
    assert tokenize("word " * 20_000, "en", limit=61) == ["word"] * 61


def test_chart_labels_are_numbered_and_never_markup():
    assert chart_labels(["<b>bold</b>", "a&b", "good", "good"]) == [
        "1. &lt;b&gt;bold&lt;/b&gt;", "2. a&amp;b", "3. good", "4. good"]
    assert chart_labels([]) == []


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


@pytest.mark.parametrize("pool", text_model.POOLS)
@pytest.mark.parametrize("ngrams", [False, True])
@pytest.mark.parametrize("cell", text_model.CELLS)
def test_numpy_recurrence_matches_keras(cell, ngrams, pool):
    """The per-token readout is Keras's own computation, padding masked, n-grams or not, last state or running max."""
    import keras

    from dlplay.text.keras_net import build_model, get_weights, keras_inputs, set_weights

    keras.utils.set_random_seed(0)
    sequences = np.array([[0, 0, 0, 4, 7, 1, 9, 3], [0, 0, 0, 0, 0, 0, 0, 0], [2, 5, 5, 19, 8, 1, 1, 6]])
    vocabulary = Vocabulary(("<pad>", "<oov>", *(f"w{i}" for i in range(18))))
    # Some n-grams of these texts are known, the rest are not; padding's (key 0) never is.
    keys = {n: np.unique(ngram_keys(sequences, n, 20)[sequences > 0])[::2] for n in (2, 3)} if ngrams else {}
    model = build_model(cell, vocab_size=20, embedding_dim=6, units=5,
                        ngram_rows={n: len(k) + 1 for n, k in keys.items()}, pool=pool)
    weights = get_weights(model)
    # Random weights are too tame to test the gates: scale them up.
    weights = {k: v * (1.0 if k.startswith("embedding") else 3.0) for k, v in weights.items()}
    set_weights(model, weights)
    numpy_model = TextModel("en", cell, vocabulary, 8, {**weights, **{f"keys_{n}": k for n, k in keys.items()}}, {})
    assert numpy_model.ngram_sizes == tuple(sorted(keys))
    assert numpy_model.pool == pool
    expected = np.asarray(model(keras_inputs(sequences, keys, 20), training=False)).reshape(-1)
    np.testing.assert_allclose(numpy_model.predict_sequences(sequences), expected, atol=1e-5)
    # Every prefix read by Keras equals the readout after that token.
    states = numpy_model.hidden_states(sequences[2:])[0]
    for t in range(1, 8):
        prefix = pad(sequences[2, :t], 8)[None]
        expected = np.asarray(model(keras_inputs(prefix, keys, 20), training=False)).reshape(-1)[0]
        assert numpy_model.readings(states)[t - 1] == pytest.approx(expected, abs=1e-5)


def test_ngram_keys_look_back_over_padding():
    sequences = np.array([[0, 0, 3, 4, 5]])
    assert ngram_keys(sequences, 2, 10).tolist() == [[0, 0, 3, 34, 45]]
    assert ngram_keys(sequences, 3, 10).tolist() == [[0, 0, 3, 34, 345]]
    # Pre-padding changes nothing: the same text unpadded has the same n-grams.
    assert ngram_keys(np.array([[3, 4, 5]]), 3, 10).tolist() == [[3, 34, 345]]
    known = np.array([34, 345])
    assert ngram_ids(np.array([[3, 4, 5]]), known, 3, 10).tolist() == [[0, 1, 2]]
    assert ngram_ids(np.array([[3, 4, 5]]), np.zeros(0, np.int64), 2, 10).tolist() == [[0, 0, 0]]
    assert frequent_ngrams([[3, 4], [3, 4, 5], [7]], 2, 10, min_count=2, max_size=5).tolist() == [3, 34]
    assert frequent_ngrams([[3, 4], [3, 4, 5], [7]], 2, 10, min_count=1, max_size=2).tolist() == [3, 34]


def test_quantized_embeddings_stay_within_half_a_step():
    rng = np.random.default_rng(0)
    weights = {"embedding": rng.normal(size=(50, 8)).astype(np.float32), "embedding_2": np.zeros((3, 8), np.float32),
               "kernel": rng.normal(size=(8, 4)).astype(np.float32), "keys_2": np.array([5, 9], np.int64)}
    saved = text_model.quantize(weights)
    assert saved["embedding"].dtype == np.int8 and saved["kernel"].dtype == np.float32
    restored = text_model.dequantize(saved)
    assert set(restored) == set(weights) and restored["keys_2"].dtype == np.int64
    step = np.abs(weights["embedding"]).max(axis=1, keepdims=True) / 127
    assert (np.abs(restored["embedding"] - weights["embedding"]) <= step / 2 + 1e-7).all()
    np.testing.assert_array_equal(restored["embedding_2"], 0)
    np.testing.assert_array_equal(restored["kernel"], weights["kernel"])


@pytest.mark.parametrize("lang", text_tokens.LANGS)
@pytest.mark.parametrize("cell", text_model.CELLS)
def test_shipped_models_read_every_token(lang, cell):
    sentence = "The story is not good, but the actors are great." if lang == "en" else "房间不大，但是很干净。"
    result = predict(sentence, lang=lang, cell=cell)
    model = text_model.load_model(lang, cell)
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
    model = text_model.load_model("en", "lstm")
    assert text_model.load_model("en", "lstm") is model
    assert text_model.load_model("en") is text_model.load_model("en", text_model.best_cell("en"))
    with pytest.raises(ValueError):
        model.weights["kernel"][0, 0] = 1.0
    assert all((text_model.ASSETS / f"{lang}_{cell}.npz").is_file()
               and f"{lang}_{cell}" in text_model.model_infos()["models"]
               for lang in ("en", "zh") for cell in text_model.CELLS)


def test_a_model_from_keras_weights_computes_in_float32():
    weights = {name: array.astype(np.float16) for name, array in text_model.load_model("en", "gru").weights.items()}
    model = TextModel.from_weights("en", "gru", text_model.load_vocabulary("en"), weights)
    assert model.maxlen == text_model.MAXLEN["en"] and model.info == {}
    assert {array.dtype for array in model.weights.values()} == {np.dtype(np.float32)}


@pytest.mark.parametrize("lang", text_tokens.LANGS)
def test_shipped_keras_model_matches_numpy(lang):
    from dlplay.text.keras_net import keras_inputs, keras_model

    cell = text_model.best_cell(lang)
    shipped = text_model.load_model(lang, cell)
    model = keras_model(lang, cell)
    result = predict("服务很好，房间也干净" if lang == "zh" else "not a bad film at all", lang=lang, cell=cell)
    keys = {n: shipped.weights[f"keys_{n}"] for n in shipped.ngram_sizes}
    inputs = keras_inputs(result.sequence[None], keys, len(shipped.vocabulary))
    expected = float(np.asarray(model(inputs, training=False)).reshape(-1)[0])
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
    as_json = result.to_dict()
    assert json.loads(json.dumps(as_json)) == as_json
    assert as_json["label"] == result.label and as_json["notes"] == list(result.notes)
    assert [token["text"] for token in as_json["tokens"]] == [token.text for token in result.tokens]


def test_punctuation_only_is_read_as_tokens():
    result = predict("?!... ,")
    assert [(token.text, token.oov) for token in result.tokens] == [("?!...", True), (",", False)]
    # Punctuation alone says little either way: a reading, and a hesitant one.
    assert result.label in ("positive", "negative") and 0.2 < result.probability < 0.8
    assert result.probability == pytest.approx(float(text_model.predict_batch(["?!... ,"], "en")[0]), abs=1e-6)


@pytest.mark.parametrize(("sentence", "tokens_read"), [
    ("good movie " * 50_000, 60),  # English reads its first 60 words
    ("很好" * 50_000, 256),  # Chinese its first 256 characters
    ("x" * 100_000, 1),  # one word, cut where scanning stops
])
def test_hundred_thousand_characters_are_cut(sentence, tokens_read):
    result = predict(sentence)
    assert len(result.tokens) == tokens_read
    assert result.truncated and "truncated" in result.notes


def test_unknown_cell_or_language_is_a_value_error():
    with pytest.raises(ValueError):
        predict("good", cell="transformer")
    with pytest.raises(ValueError):
        predict("good", lang="de")


def test_the_label_is_positive_from_one_half_up():
    assert text_model.label_of(0.5) == "positive" and text_model.label_of(0.4999) == "negative"
    assert text_model.accuracy_of(np.array([0.2, 0.5, 0.9, 0.49]), [0, 1, 0, 0]) == 0.75


def test_verdict_says_the_label_and_how_sure():
    reading = predict("this film is good", lang="en")
    negative = dataclasses.replace(reading, label="negative", probability=0.08)
    positive = dataclasses.replace(reading, label="positive", probability=0.923)
    assert negative.confidence == pytest.approx(0.92) and positive.confidence == pytest.approx(0.923)
    assert verdict(negative, "en") == "negative · 92%"
    assert verdict(positive, "en") == "positive · 92%"
    assert verdict(negative, "zh") == i18n.text("zh", "text.label.negative") + " · 92%"
    assert predict("").confidence is None


@pytest.mark.parametrize("p, said", [(0.504, "unsure · P(positive) 50%"), (0.41, "unsure · P(positive) 41%"),
                                     (0.5999, "unsure · P(positive) 60%"), (0.6, "positive · 60%"),
                                     (0.4, "negative · 60%"), (0.39, "negative · 61%")])
def test_verdict_is_unsure_within_the_band_around_one_half(p, said):
    reading = dataclasses.replace(predict("this film is good", lang="en"), label=text_model.label_of(p), probability=p)
    assert verdict(reading, "en") == said
    assert text_model.unsure(p) == said.startswith("unsure")
    assert verdict(reading, "zh").startswith("拿不准") == said.startswith("unsure")


def test_caveats_are_the_notes_beside_a_label():
    assert predict("").notes == ("empty",) and predict("").caveats == ()
    assert predict("这家hotel的wifi很好").caveats == ("mixed",)
    assert predict("qzxv blorptic " * 40).caveats == ("all_oov", "truncated")


def test_the_padded_sequence_is_shown_whole():
    reading = predict("房间很干净", lang="zh")
    shown = reading.sequence_text()
    assert "..." not in shown and max(len(line) for line in shown.splitlines()) <= 110
    assert [int(n) for n in shown.strip("[]").split()] == reading.sequence.tolist()
    assert len(reading.sequence) == text_model.MAXLEN["zh"]


def test_every_cell_reads_the_sentence_once():
    reading = predict("not bad at all", lang="en", cell="gru")
    by_cell = text_model.predict_each_cell("not bad at all", reading)
    assert list(by_cell) == list(text_model.CELLS) and by_cell["gru"] is reading
    for cell, other in by_cell.items():
        assert other.cell == cell and other.lang == "en"
        assert other.probability == predict("not bad at all", "en", cell).probability


def test_link_settings_start_from_the_example():
    assert text_state.read({}, example="An example.") == (
        {"text": "An example.", "text_lang": "auto", "cell": "best"}, [])
    # A link that names a sentence keeps it, even an empty one.
    assert text_state.read({"text": "", "cell": "lstm"}, example="An example.")[0] == {
        "text": "", "text_lang": "auto", "cell": "lstm"}


def test_link_settings_round_trip_and_bad_values_reset():
    values = {"text": "not good, 不好", "text_lang": "zh", "cell": "gru"}
    query = url_state.write(text_state.PARAMS, values)
    assert query == values
    assert text_state.read(query, example="unused") == (values, [])
    bad = {"text": "x" * 5001, "text_lang": "fr", "cell": "transformer", "zoom": "2"}
    values, problems = text_state.read(bad, example="unused")
    assert values == {"text": "", "text_lang": "auto", "cell": "best"}
    assert problems == list(bad.items())
    assert text_state.cell_of("best") is None and text_state.cell_of("gru") == "gru"


def _probe_score(probes, lang):
    cell = text_model.best_cell(lang)
    right = [predict(s, lang=lang, cell=cell).label == ("positive" if y else "negative") for s, y in probes]
    return sum(right), cell


@pytest.mark.parametrize("lang", text_tokens.LANGS)
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
    assert results[0]["cell"] == text_model.best_cell("en")
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
    # Two plain sentences, both read right by the English model.
    assert result == {"accuracy": 1.0, "n": 2, "skipped_empty": 0, "lang": "en", "cell": text_model.best_cell("en"),
                      "data": str(tsv), "split": "all"}
    csv_path = tmp_path / "mine.csv"
    csv_path.write_text('label,review\n1,"房间很干净，服务很好"\n0,\n0,太差了\n', encoding="utf-8")
    code, out, err = _cli(monkeypatch, capsys, ["text", "evaluate", "--data", str(csv_path), "--lang", "zh", "--json"])
    assert code == 0
    result = json.loads(out)
    assert result["n"] == 2 and result["skipped_empty"] == 1 and result["accuracy"] == 1.0
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


def test_clauses_are_short_pieces_labelled_as_their_text():
    from dlplay.text.data import LabelledTexts, clauses

    data = LabelledTexts(["早餐难吃，品种太少。房间还可以", "房间还可以！服务好", "一句话"], [0, 1, 1])
    found = clauses(data, limit=100)
    pieces = dict(zip(found.texts, found.labels))
    assert pieces == {"早餐难吃": 0, "品种太少": 0, "早餐难吃，品种太少": 0, "品种太少，房间还可以": 0,
                      "房间还可以，服务好": 1, "服务好": 1}  # "房间还可以" is in texts of both labels: left out
    assert clauses(data, limit=2).texts == found.texts[:2]  # the same fixed order, cut


@pytest.mark.slow
def test_training_can_keep_a_moving_average_of_the_weights():
    """``--set average=m``: the weights scored and kept are m * average + (1 - m) * the weights after each batch.

    One epoch of two batches, the same seed each run: momentum 0 keeps the second batch's weights, momentum 1 the
    first's, so momentum 0.5 must keep their mean."""
    from dlplay.text.train import Encoded, fit, settings_of

    vocabulary = Vocabulary(("<pad>", "<oov>", *(f"w{i}" for i in range(10))))
    train = [[2, 3, 4], [5, 6, 7], [8, 9, 10], [11, 2, 5]]  # one length: both batches run one traced step, not two
    scored = {"validation": (np.array([pad(s, 4) for s in train]), np.array([1, 0, 1, 0]))}
    encoded = Encoded(vocabulary, {}, train, np.array([1, 0, 1, 0], "float32"), np.ones(4, "float32"), scored)

    def kept(momentum):
        settings = {**settings_of("en", {"epochs": 1, "batch_size": 2, "embedding_dim": 4, "units": 3}),
                    "average": momentum}
        weights, _ = fit("en", "gru", encoded, settings, seed=1, log=lambda *_: None)
        return weights

    last, first, mean = kept(0.0), kept(1.0), kept(0.5)
    assert not np.allclose(last["kernel"], first["kernel"])
    for name in ("embedding", "kernel", "recurrent_kernel", "bias", "dense_kernel", "dense_bias"):
        np.testing.assert_allclose(mean[name], (last[name] + first[name]) / 2, atol=1e-6)
