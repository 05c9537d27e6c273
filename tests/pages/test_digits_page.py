"""§3.1 page through AppTest: renders in both languages with an empty canvas; reads a drawing as the canvas
sends it, and says clearly when what arrives is no drawing; URL settings; code panel."""

import pytest

from dlplay import i18n

from .conftest import assert_healthy, ignored_notice, open_expanders, open_page

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
    code = open_expanders(at).code[-1].value
    assert 'load_model("tutorial")' in code and "centre=False" in code and "keras.Input((28, 28, 1))" in code


def test_teaching_the_model_makes_a_copy_of_its_own_for_this_visitor(monkeypatch):
    """Five kept corrections (the canvas is a custom component, so they are put in the session as
    the Keep button would): Teach fine-tunes a copy, which becomes this visitor's model.

    The fine-tuning itself (these five flagged 1s, read as 7 before and as 1 after, MNIST kept) is tested in
    tests/unit/test_digits_training.py::test_teaching_five_corrected_drawings_fixes_them_without_forgetting_mnist;
    here a stand-in does it, and the page is checked to hand it the model in use and the kept drawings."""
    import keras
    import numpy as np

    from dlplay.digits import finetune
    from dlplay.digits import reading as digits
    from dlplay.digits.strokes import flag_ones

    calls = []

    def fine_tune(model, images, labels):
        calls.append((model, images, labels))
        twin = digits.keras_model(model)  # as fine_tune does: the shipped model's Keras twin is copied
        copy = keras.models.clone_model(twin)
        copy.set_weights(twin.get_weights())
        return copy, finetune.FineTuning(before=np.full(5, 7), after=np.full(5, 1), accuracy_before=0.9853,
                                      accuracy_after=0.9851, seconds=0.1)

    monkeypatch.setattr(finetune, "fine_tune", fine_tune)
    drawn = flag_ones(seed=1, n=5)
    at = open_page(PAGE, "en", model="tutorial")
    at.session_state["digits.corrections"] = [(image, 1) for image in drawn]
    at.run()
    assert_healthy(at)
    at.button(key="digits.teach_go").click().run()
    assert_healthy(at)
    ((model, images, labels),) = calls
    # The model in use went to the training line as its .keras file: the same weights, read back in Keras.
    for sent, shipped in zip(model.get_weights(), digits.load_model("tutorial").get_weights()):
        np.testing.assert_array_equal(sent, shipped)
    np.testing.assert_array_equal(np.stack(images), drawn)
    assert list(labels) == [1] * 5
    mine = at.session_state["digits.mine"]
    result, images, labels = at.session_state["digits.taught"]
    assert list(result.before) == [7] * 5 and list(result.after) == [1] * 5
    assert at.session_state["digits.corrections"] == []
    assert at.toggle(key="digits.use_mine").value is True
    assert mine["model"] is not digits.load_model("tutorial")
    metric = next(m for m in at.metric if m.label == "MNIST test accuracy after teaching")
    assert metric.value == f"{result.accuracy_after:.2%}"
    assert mine["name"] == f"taught 5 drawings, {result.accuracy_after:.1%} on the test set"


def canvas_sends(*paths, live=False) -> dict:
    """The canvas's value as the browser sends it (ui/components/drawing_pad/drawing_pad.js): points to a tenth
    of a pixel."""
    return {"drawing": {"strokes": [[round(float(v), 1) for v in path.ravel()] for path in paths], "live": live}}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_drawing_is_read_with_its_bars_and_the_steps_that_made_its_input(lang):
    from dlplay.digits.strokes import HANDS, transform

    at = open_page(PAGE, lang)
    at.session_state["digits.canvas"] = canvas_sends(*transform(HANDS[3][0], 200, (140, 140)))
    at.run()
    assert_healthy(at)
    metric = at.metric[0]
    assert metric.label == i18n.text(lang, "digits.prediction") and metric.value == "3"
    bars = next(m.value for m in at.markdown if i18n.text(lang, "digits.probability") in m.value)
    assert bars.count("<b") == 11 and "#d62728" in bars  # ten digits and ours' "not a digit", the guess in red
    assert [h.value for h in at.subheader] == [i18n.text(lang, "digits.steps.header")]
    assert len(at.warning) == len(at.info) == 0


# Which values are no drawing, and why ("garbled", "too_much"), is tested where they are parsed:
# tests/unit/test_digits_canvas.py (every kind of garbled value, too many strokes or points). Here: one of each
# reason, to check the page says so in each language and reads nothing.
HOSTILE = {"garbled": {"strokes": [[float("nan"), 1]]}, "too_much": {"strokes": [[1, 2]] * 101}}


def test_what_arrives_that_is_no_drawing_gets_a_clear_message():
    for lang in i18n.LANGUAGES:
        at = open_page(PAGE, lang)
        for reason, value in HOSTILE.items():
            at.session_state["digits.canvas"] = {"drawing": value}
            at.run()
            assert_healthy(at)
            assert at.metric[0].value == "—", (lang, reason)
            assert [w.value for w in at.warning] == [i18n.text(lang, f"digits.drawing.{reason}")], (lang, reason)
            assert not at.subheader, (lang, reason)  # nothing read, nothing explained


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_letter_is_not_a_digit_and_the_page_says_how_sure(lang):
    import numpy as np

    from dlplay.digits.nondigits import a
    from dlplay.digits.strokes import transform

    at = open_page(PAGE, lang)
    at.session_state["digits.canvas"] = canvas_sends(*transform(a(np.random.default_rng(0)), 200, (140, 140)))
    at.run()
    assert_healthy(at)
    assert at.metric[0].value == i18n.text(lang, "digits.not_digit")
    reading = at.session_state["digits.reading"]
    assert reading.reason == "not_digit" and reading.not_digit >= 0.8
    assert i18n.text(lang, "digits.reason.not_digit", p=reading.not_digit, guess=reading.guess) in \
        [c.value for c in at.caption]
    bars = next(m.value for m in at.markdown if i18n.text(lang, "digits.probability") in m.value)
    assert bars.count("<b") == 11 and "✗" in bars  # the ten digits and "not a digit", which won (red)
    assert "#d62728;transition:height 0.12s\"></div><b style=\"font-weight:400\">✗" in bars


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_tutorials_model_says_why_it_reads_a_flagged_one_as_seven(lang):
    why = i18n.text(lang, "digits.model.tutorial_ones")
    assert why in [c.value for c in open_page(PAGE, lang, model="tutorial").caption]
    assert why not in [c.value for c in open_page(PAGE, lang).caption]


def test_a_long_layer_name_is_cut_in_the_alt_text_of_its_feature_maps():
    """An uploaded model's layer may have any name: a screen reader hears its first 40 characters, as text."""
    import dataclasses

    from dlplay.digits.mine import set_my_model
    from dlplay.digits.numpy_net import NumpyCNN
    from dlplay.digits.reading import load_shipped
    from dlplay.digits.strokes import HANDS, transform

    shipped = load_shipped("ours")
    long = "conv_" + "very_long_name_" * 8 + "\n**end**"
    layers = [dataclasses.replace(layer, name=long) if layer.kind == "Conv2D" else layer for layer in shipped.layers]
    at = open_page(PAGE, "en", inside="true")
    set_my_model(at.session_state, NumpyCNN("long", layers), "long names")
    at.session_state["digits.canvas"] = canvas_sends(*transform(HANDS[3][0], 200, (140, 140)))
    at.run()
    assert_healthy(at)
    alts = [image.alt for element in at.get("image") for image in element.proto.imgs]
    named = [alt for alt in alts if long[:40] in alt]
    assert len(named) == sum(layer.kind == "Conv2D" for layer in layers), alts
    assert all(f"{long[:40]}… " in alt for alt in named), named
    assert not any("end" in alt or "\n" in alt for alt in alts), alts
