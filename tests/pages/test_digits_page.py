"""Lesson 3a page through AppTest: renders in both languages with an empty canvas; URL settings; code panel."""

import pytest

from dlplay import i18n

from .conftest import assert_healthy, open_page

PAGE = "pages/digits.py"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_an_empty_canvas_asks_for_a_digit(lang):
    at = open_page(PAGE, lang)
    assert_healthy(at)
    assert at.title[0].value == i18n.text(lang, "dig.title")
    metric = at.metric[0]
    assert metric.label == i18n.text(lang, "dig.prediction") and metric.value == "—"
    assert at.info[0].value == i18n.text(lang, "dig.empty")


def test_settings_come_from_the_link_and_nonsense_is_reported():
    at = open_page(PAGE, "en", model="tutorial", centre="false", crop="maybe", junk="<x>")
    assert_healthy(at)
    assert at.button_group(key="digits.model").value == "tutorial"
    assert at.toggle(key="digits.centre").value is False
    assert at.toggle(key="digits.crop").value is True
    assert "crop=maybe" in at.info[0].value and "junk=<x>" in at.info[0].value
    code = at.code[-1].value
    assert 'load_model("tutorial")' in code and "centre=False" in code and "keras.Input((28, 28, 1))" in code
