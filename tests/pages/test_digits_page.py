"""Lesson 3a page through AppTest: renders in both languages with an empty canvas; URL settings; code panel."""

import pytest

from dlplay import i18n

from .conftest import assert_healthy, ignored_notice, open_page

PAGE = "pages/digits.py"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_an_empty_canvas_asks_for_a_digit(lang):
    at = open_page(PAGE, lang)
    assert_healthy(at)
    assert at.title[0].value == i18n.text(lang, "digits.title")
    metric = at.metric[0]
    assert metric.label == i18n.text(lang, "digits.prediction") and metric.value == "—"
    assert at.info[0].value == i18n.text(lang, "digits.empty")


def test_settings_come_from_the_link_and_nonsense_is_reported():
    at = open_page(PAGE, "en", model="tutorial", centre="false", crop="maybe", junk="<x>")
    assert_healthy(at)
    assert at.button_group(key="digits.model").value == "tutorial"
    assert at.toggle(key="digits.centre").value is False
    assert at.toggle(key="digits.crop").value is True
    assert at.info[0].value == ignored_notice("en", crop="maybe", junk="<x>")
    code = at.code[-1].value
    assert 'load_model("tutorial")' in code and "centre=False" in code and "keras.Input((28, 28, 1))" in code


def test_teaching_the_model_makes_a_copy_of_its_own_for_this_visitor():
    """Five kept corrections (the canvas is a custom component, so they are put in the session as
    the Keep button would): Teach fine-tunes a copy, which becomes this visitor's model."""
    from dlplay.digits import model as digits
    from dlplay.digits.strokes import flag_ones

    at = open_page(PAGE, "en", model="tutorial")
    at.session_state["digits.corrections"] = [(image, 1) for image in flag_ones(seed=1, n=5)]
    at.run()
    assert_healthy(at)
    at.button(key="digits.teach_go").click().run()
    assert_healthy(at)
    mine = at.session_state["digits.mine"]
    result, images, labels = at.session_state["digits.taught"]
    assert list(result.before) == [7] * 5 and list(result.after) == [1] * 5
    assert at.session_state["digits.corrections"] == []
    assert at.toggle(key="digits.use_mine").value is True
    assert mine["model"] is not digits.load_model("tutorial")
    metric = next(m for m in at.metric if m.label == "MNIST test accuracy after teaching")
    assert metric.value == f"{result.accuracy_after:.2%}"
    assert mine["name"] == f"taught 5 drawings, {result.accuracy_after:.1%} on the test set"
