"""Lesson 4 page through AppTest: both languages, hostile text, the tutorial's example trains to 1.0."""

import pytest

from dlplay import i18n
from dlplay.text import model as rnn

from .conftest import assert_healthy, open_page

PAGE = "pages/text.py"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_reads_the_example_sentence_in_each_language(lang):
    at = open_page(PAGE, lang)
    assert_healthy(at)
    assert at.title[0].value == i18n.text(lang, "text.title")
    sentiment = next(m for m in at.metric if m.label == i18n.text(lang, "text.sentiment"))
    expected = rnn.predict(i18n.text(lang, "text.example"))
    assert sentiment.value.startswith(i18n.text(lang, f"text.label.{expected.label}"))
    assert at.dataframe[0].value.shape[0] == len(expected.tokens)  # the tokens table


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
    reading = rnn.predict("not good", "en", "simplernn")
    assert at.metric[0].value.startswith(i18n.text("zh", f"text.label.{reading.label}"))
    assert at.query_params["cell"] == "simplernn"


def test_the_tutorials_example_trains_to_accuracy_one():
    at = open_page(PAGE, "en", text="fine", timeout=300)
    at.button(key="text.train").click().run(timeout=300)
    assert_healthy(at)
    accuracy = next(m for m in at.metric if m.label == i18n.text("en", "text.tutorial.accuracy"))
    assert accuracy.value == "100%"
    assert any(i.value == i18n.text("en", "text.tutorial.overfitting") for i in at.info)
