"""Lesson 2 page through AppTest: both models, both languages, the controls, and nonsense in the link."""

import numpy as np
import pytest

from dlplay import i18n
from dlplay.xor import network as xor

from .conftest import assert_healthy, open_page

PAGE = "pages/xor.py"


def metric(at, lang, key):
    return {m.label: m.value for m in at.metric}[i18n.text(lang, key)]


def button(at, key):
    return next(b for b in at.button if b.key == key)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("model", xor.MODELS)
def test_renders_each_model_in_each_language(lang, model):
    at = open_page(PAGE, lang, model=model)
    assert_healthy(at)
    assert at.title[0].value == i18n.text(lang, "xor.title")
    assert metric(at, lang, "xor.epoch") == "0"
    assert len(at.latex) > 3  # the ledger's equations


def test_steps_move_the_epoch_and_change_the_ledger():
    at = open_page(PAGE, "en", model="mlp")
    before = [l.value for l in at.latex]
    button(at, "xor.step10").click().run()
    assert_healthy(at)
    assert metric(at, "en", "xor.epoch") == "10"
    assert [l.value for l in at.latex] != before
    button(at, "xor.step1").click().run()
    assert metric(at, "en", "xor.epoch") == "11"
    button(at, "xor.reset").click().run()
    assert metric(at, "en", "xor.epoch") == "0"


def test_the_tutorial_run_prints_what_the_tutorials_code_prints():
    at = open_page(PAGE, "zh")
    button(at, "xor.run_to").click().run()
    assert_healthy(at)
    assert metric(at, "zh", "xor.epoch") == "10,000"
    run = xor.train(xor.TUTORIAL_DEFAULTS)
    weights, bias = run.params[:2].reshape(2, 1), run.params[2:]
    assert f"训练后的权重: {weights}\n训练后的偏置: {bias}" in [c.value for c in at.code]
    assert metric(at, "zh", "xor.predictions") == "0.50 0.50 0.50 0.50"


def test_the_mlp_solves_xor_with_the_page_defaults():
    at = open_page(PAGE, "en", model="mlp")
    button(at, "xor.run_to").click().run()
    assert metric(at, "en", "xor.solved") == i18n.text("en", "xor.yes")


def test_switching_model_takes_that_models_defaults():
    at = open_page(PAGE, "en")
    at.button_group(key="xor.model").set_value("mlp").run()
    assert_healthy(at)
    assert at.number_input(key="xor.lr").value == xor.MLP_DEFAULTS.lr
    assert at.query_params["model"] == "mlp"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_nonsense_in_the_link_falls_back_with_a_notice(lang):
    at = open_page(PAGE, lang, model="mlp", hidden="0", epochs="-5", seed="abc", lr="1e9", activation="<b>x</b>")
    assert_healthy(at)
    notice = at.info[0].value
    for item in ("hidden=0", "epochs=-5", "seed=abc", "lr=1e9", "activation=<b>x</b>"):
        assert item in notice
    assert at.slider(key="xor.hidden").value == xor.MLP_DEFAULTS.hidden


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_huge_learning_rate_is_explained_not_crashed(lang):
    # With a sigmoid output every gradient is bounded, so lr 100 never overflows here: it saturates the
    # output neuron and learning freezes. The page says so (and would stop at a non-finite number if one came).
    at = open_page(PAGE, lang, model="mlp", lr="100")
    button(at, "xor.run_to").click().run()
    assert_healthy(at)
    assert np.isfinite(float(metric(at, lang, "xor.loss_now")))
    assert at.warning[0].value == i18n.text(lang, "xor.saturated", lr=100.0)
    at = open_page(PAGE, lang, model="mlp", lr="1000", activation="relu", loss="bce")
    button(at, "xor.run_to").click().run()
    assert_healthy(at)
