"""§3.2 page through AppTest: both languages, hostile text, the link's settings, the live text box,
the tutorial's example trains to 1.0."""

import json
import re
import time

import pytest

from dlplay import i18n
from dlplay.plain import plain
from dlplay.text import numpy_net as text_model
from dlplay.text import reading as text_reading
from dlplay.text import summaries

from .conftest import assert_healthy, chart_summary, open_page, summary_under

PAGE = "pages/text.py"


def sentiment_metric(at, lang):
    return next(m for m in at.metric if m.label == i18n.text(lang, "text.sentiment"))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_reads_the_example_sentence_in_each_language(lang):
    at = open_page(PAGE, lang)
    assert_healthy(at)
    assert at.title[0].value == i18n.text(lang, "text.title")
    example = i18n.text(lang, "text.example")
    expected = text_model.predict(example)
    assert sentiment_metric(at, lang).value == text_reading.verdict(expected, lang)
    assert at.dataframe[0].value.shape[0] == len(expected.tokens)  # the tokens table
    assert at.query_params["text"] == example  # the seeded example is in the link


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize(("sentence", "cell", "figures"), [
    ("The film was not good.", "gru", ["sst2_dev"]),
    ("早餐难吃，品种太少", "simplernn", ["chnsenticorp_test", "reviews_test"]),
])
def test_the_page_says_what_the_model_learned_from_and_how_well_it_reads(lang, sentence, cell, figures):
    """The reading's own model: its data, and its accuracy on each held-out part as models.json records it."""
    at = open_page(PAGE, lang, text=sentence, cell=cell)
    assert_healthy(at)
    reading = text_model.predict(sentence, "auto", cell)
    accuracy = text_model.held_out_accuracy(reading.lang, cell)
    assert sorted(accuracy) == sorted(figures)
    said = [c.value for c in at.caption
            if c.value.startswith(i18n.text(lang, f"text.learned_from.{reading.lang}")[:24])]
    assert said == [i18n.text(lang, f"text.learned_from.{reading.lang}", **accuracy)]
    assert all(f"{accuracy[name]:.0%}" in said[0] for name in figures)


@pytest.mark.parametrize("sentence", ["", "   ", "!!! ???", "😀😀😀", "<script>alert(1)</script><b>bold</b>",
                                      "这个 hotel 很 nice", "good " * 3000])
def test_hostile_text_gets_an_answer_not_a_traceback(sentence):
    at = open_page(PAGE, "en", text=sentence)
    assert_healthy(at)
    assert at.metric[0].label == "Sentiment"
    assert not any("<script>" in m.value for m in at.markdown)  # shown as text only


def test_the_link_sets_language_and_cell():
    at = open_page(PAGE, "zh", text="not good", text_lang="en", cell="simplernn")
    assert_healthy(at)
    reading = text_model.predict("not good", "en", "simplernn")
    assert at.metric[0].value == text_reading.verdict(reading, "zh")
    assert {key: at.query_params[key] for key in ("lang", "text", "text_lang", "cell")} == {
        "lang": "zh", "text": "not good", "text_lang": "en", "cell": "simplernn"}


def test_a_link_it_does_not_understand_is_reset_with_a_notice():
    at = open_page(PAGE, "en", text="not good", cell="transformer")
    assert_healthy(at)
    assert at.metric[0].value == text_reading.verdict(text_model.predict("not good"), "en")
    assert "cell" not in at.query_params
    assert any("cell=transformer" in i.value for i in at.info)


def trained(at):
    """Train pressed, then the page run again as its poll would, until the run's result is shown."""
    at.button(key="text.train").click().run(timeout=300)
    assert_healthy(at)
    assert "text.tutorial_job" in at.session_state  # in the training line, not in the visitor's thread
    deadline = time.monotonic() + 300
    while "text.tutorial_job" in at.session_state:
        assert time.monotonic() < deadline, "the run did not end"
        time.sleep(0.25)
        at.run(timeout=300)
    assert_healthy(at)
    return at


@pytest.mark.slow
def test_the_tutorials_example_trains_to_accuracy_one():
    at = trained(open_page(PAGE, "en", text="fine", timeout=300))
    accuracy = next(m for m in at.metric if m.label == i18n.text("en", "text.tutorial.accuracy"))
    assert accuracy.value == "100%"
    assert any(i.value == i18n.text("en", "text.tutorial.overfitting") for i in at.info)
    assert summary_under(at, "text.chart.tutorial").endswith("accuracy 100\\%\\.")  # the curves' end, in words


@pytest.mark.slow
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_table_of_5000_sentences_is_capped_with_a_message_and_trained_in_the_line(lang, monkeypatch):
    from dlplay.text import tutorial

    rows = 5000  # as a client that speaks Streamlit's protocol can send the table
    monkeypatch.setattr(tutorial, "TUTORIAL_PAIRS", tuple((f"sentence {k}", k % 2) for k in range(rows)))
    at = open_page(PAGE, lang, text="fine", timeout=300)
    assert [w.value for w in at.warning if w.icon == "✂️"] == [
        i18n.text(lang, "text.tutorial.line.too_many", n=rows, limit=tutorial.MAX_PAIRS)]
    run = trained(at).session_state["text.tutorial_run"]
    assert len(run.train_sentences) == tutorial.MAX_PAIRS and run.model is None


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_live_box_holds_the_links_sentence_in_the_visitors_language(lang):
    at = open_page(PAGE, lang, text="not good")
    box = at.get("bidi_component")[0]
    assert box.proto.component_name == "dlplay.live_text_input"
    data = json.loads(box.proto.json)
    assert data["value"] == "not good" and data["label"] == i18n.text(lang, "text.input")
    assert data["max_chars"] == 5000 and data["too_long"] == i18n.text(lang, "app.notice.cut", n=5000)
    assert 100 <= data["pause_ms"] <= 200  # a pause in typing, not every keystroke


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_each_example_is_a_button_that_reads_it(lang):
    """The "Try:" examples are buttons (a keyboard reaches them): one pressed is the sentence read, and the link's."""
    at = open_page(PAGE, lang)
    examples = [b for b in at.button if b.key.startswith("text.example.")]
    assert [b.label for b in examples] == re.findall(r"“([^”]*)”", i18n.text(lang, "text.examples"))
    examples[0].click().run()
    assert_healthy(at)
    sentence = examples[0].label
    assert at.query_params["text"] == sentence
    assert sentiment_metric(at, lang).value == text_reading.verdict(text_model.predict(sentence), lang)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_each_chart_has_its_numbers_in_a_sentence_under_it(lang):
    sentence = "The film was not good."
    at = open_page(PAGE, lang, text=sentence, cell="gru")
    reading = text_model.predict(sentence, "auto", "gru")
    words = [token.text for token in reading.tokens]
    p = reading.token_probabilities
    said = summary_under(at, "text.chart.memory")
    assert said == chart_summary(summaries.memory(words, p, lang))
    assert plain(f"“{words[-1]}”") in said and plain(f"{p[-1]:.2f}") in said  # the last token, and where it ends
    assert summary_under(at, "text.chart.hidden") == chart_summary(summaries.hidden(words, reading.hidden_states, lang))
    by_cell = text_model.predict_each_cell(sentence, reading)
    said = summary_under(at, "text.chart.compare")
    assert said == chart_summary(summaries.compare(words, {c: r.token_probabilities for c, r in by_cell.items()}, lang))
    assert all(plain(f"{i18n.text(lang, f'text.cell.{c}')} {r.probability:.2f}") in said for c, r in by_cell.items())


def test_a_summary_follows_the_sentence_and_the_cell():
    at = open_page(PAGE, "en", text="not good", cell="gru")
    before = summary_under(at, "text.chart.memory")
    at.session_state["text.cell"] = "simplernn"  # as the segmented control sets it
    at.run()
    reading = text_model.predict("not good", "auto", "simplernn")
    after = summary_under(at, "text.chart.memory")
    assert after != before
    assert after == chart_summary(summaries.memory(["not", "good"], reading.token_probabilities, "en"))
