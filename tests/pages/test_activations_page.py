"""Lesson 1 page, through AppTest: renders in both languages, reads and writes its URL, survives nonsense."""

import pytest

from dlplay.activations import functions as act
from dlplay import i18n

from .conftest import assert_healthy, open_page

PAGE = "pages/activations.py"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_home_and_lesson_render_in_each_language(lang):
    home = open_page(None, lang)
    assert_healthy(home)
    assert home.title[0].value == i18n.text(lang, "home.title")
    at = open_page(PAGE, lang)
    assert_healthy(at)
    assert at.title[0].value == i18n.text(lang, "activations.title")
    headers = [h.value for h in at.header]
    assert i18n.text(lang, "activations.neuron.header") in headers and i18n.text(lang, "activations.chain.header") in headers
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[i18n.text(lang, "activations.neuron.y")] == f"{act.neuron(1.0, 0.5, 1.0, -1.0, 0.0, 'sigmoid')[1]:.4f}"


def test_the_tutorials_output_is_on_the_page():
    at = open_page(PAGE)
    assert act.tutorial_example() in [c.value for c in at.code]


def test_settings_in_the_link_set_the_widgets_and_the_readouts():
    at = open_page(PAGE, "zh", w1="2.5", b="-1", f="tanh", x="0.5", logits="1,2,3", temperature="2")
    assert_healthy(at)
    assert at.slider(key="activations.w1").value == 2.5
    assert at.selectbox(key="activations.f").value == "tanh"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[i18n.text("zh", "activations.functions.fx")] == f"{float(act.tanh(0.5)):.4f}"
    z, _ = act.neuron(1.0, 0.5, 2.5, -1.0, -1.0, "sigmoid")
    assert metrics[i18n.text("zh", "activations.neuron.z")] == f"{z:.3f}"
    assert not at.info  # everything understood
    assert at.query_params["w1"] == "2.5" and at.query_params["f"] == "tanh"


def test_moving_a_widget_writes_the_link():
    at = open_page(PAGE)
    at.slider(key="activations.x").set_value(-2.0).run()
    at.selectbox(key="activations.f").set_value("relu").run()
    assert at.query_params["x"] == "-2" and at.query_params["f"] == "relu"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["f(x)"] == "0.0000" and metrics["f′(x)"] == "0.0000"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_nonsense_in_the_link_falls_back_with_a_notice(lang):
    at = open_page(PAGE, lang, w1="abc", depth="1e9", f="<script>", logits="1,,zz", zzz="1", temperature="nan")
    assert_healthy(at)
    notice = at.info[0].value
    assert notice.startswith(i18n.text(lang, "app.notice.ignored", items="")[:8])
    for key in ("w1=abc", "depth=1e9", "f=<script>", "zzz=1", "temperature=nan"):
        assert key in notice
    assert at.slider(key="activations.w1").value == 1.0
    assert at.selectbox(key="activations.f").value == "sigmoid"
    assert "zzz" not in at.query_params and "w1" not in at.query_params


def test_typed_logits_that_are_not_numbers_get_a_message_in_the_visitors_language():
    at = open_page(PAGE, "zh")
    at.text_input(key="activations.logits").input("1, 2, 三").run()
    assert_healthy(at)
    assert at.warning[0].value == i18n.text("zh", "activations.softmax.bad_logits", value="1, 2, 三")
    at.text_input(key="activations.logits").input("<b>" * 5000).run()
    assert_healthy(at)


def test_the_code_panel_holds_the_current_settings():
    at = open_page(PAGE, w1="3", f="elu")
    code = at.code[-1].value
    assert "x1, x2, w1, w2, b = 1, 0.5, 3, -1, 0" in code
    assert "def elu(" in code and "def elu_derivative(" in code
