"""§1 page, through AppTest: renders in both languages, reads and writes its URL, survives nonsense."""

import base64
import json

import numpy as np
import pytest

from dlplay import i18n
from dlplay.activations import functions as act
from dlplay.activations import summaries
from dlplay.activations.code import TUTORIAL_CODE, code
from dlplay.activations.state import DEFAULTS
from dlplay.plain import plain

from .conftest import assert_healthy, chart_summary, ignored_notice, open_expanders, open_page, summary_under

PAGE = "pages/activations.py"
SECTIONS = ("neuron", "functions", "tutorial", "softmax", "chain")


def chart(at, key: str) -> dict:
    """The plotly figure drawn under `key`, as the browser receives it."""
    return next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}"))


def numbers(array) -> np.ndarray:
    """An array of a plotly figure: a list, or numpy's bytes in base64 as plotly sends them."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
    return np.asarray(array, dtype=float)


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_home_and_lesson_render_in_each_language(lang):
    home = open_page(None, lang)
    assert_healthy(home)
    assert home.title[0].value == i18n.text(lang, "home.title")
    at = open_page(PAGE, lang)
    assert_healthy(at)
    assert at.title[0].value == i18n.text(lang, "activations.title")
    assert [h.value for h in at.header] == [i18n.text(lang, f"activations.{s}.header") for s in SECTIONS]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics[i18n.text(lang, "activations.neuron.y")]
            == f"{act.neuron(1.0, 0.5, 1.0, -1.0, 0.0, 'sigmoid')[1]:.4f}")
    assert dict(at.query_params) == {"lang": lang}  # defaults stay out of the link


def test_the_tutorials_code_and_what_it_prints_are_on_the_page_once_opened():
    at = open_page(PAGE)
    assert not at.code  # no st.code, so the browser fetches no highlighter, until the visitor asks
    assert [c.value for c in open_expanders(at, "activations.tutorial").code] == [TUTORIAL_CODE, act.tutorial_example()]
    assert len(open_expanders(at).code) == 3  # and the code panel's program below them


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
    assert dict(at.query_params) == {"lang": "zh", "w1": "2.5", "b": "-1", "f": "tanh", "x": "0.5",
                                     "logits": "1,2,3", "temperature": "2"}
    probabilities = act.softmax([1.0, 2.0, 3.0], 2.0)
    np.testing.assert_allclose(numbers(chart(at, "softmax")["data"][0]["y"]), probabilities)
    assert i18n.text("zh", "activations.softmax.sum", total=1.0, best=2, p=float(probabilities[2])) in captions(at)


def test_moving_a_widget_writes_the_link():
    at = open_page(PAGE)
    at.slider(key="activations.x").set_value(-2.0).run()
    at.selectbox(key="activations.f").set_value("relu").run()
    assert dict(at.query_params) == {"lang": "en", "x": "-2", "f": "relu"}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[i18n.text("en", "activations.functions.fx")] == "0.0000"
    assert metrics[i18n.text("en", "activations.functions.dfx")] == "0.0000"


def test_the_neuron_plane_draws_the_line_where_z_is_zero():
    at = open_page(PAGE, w1="1.5", w2="0", b="1")
    boundary = chart(at, "neuron_plane")["data"][1]
    assert boundary["name"] == i18n.text("en", "activations.neuron.boundary")
    np.testing.assert_allclose(numbers(boundary["x"]), [-2 / 3, -2 / 3])  # upright at x1 = -b / w1
    np.testing.assert_allclose(numbers(boundary["y"]), [-3, 3])
    flat = open_page(PAGE, w1="0", w2="0", b="1")
    names = [trace.get("name") for trace in chart(flat, "neuron_plane")["data"]]
    assert names == [None, i18n.text("en", "activations.neuron.point")]  # z = b everywhere: no line


@pytest.mark.parametrize("f, note, shaded", [
    ("relu", "activations.functions.dead_note", ["activations.functions.dead"]),
    ("sigmoid", "activations.functions.flat_note", ["activations.functions.flat"] * 2),
    ("leaky_relu", "activations.functions.none_flat", []),
])
def test_flat_and_dead_regions_are_shaded_and_explained(f, note, shaded):
    at = open_page(PAGE, "zh", f=f)
    assert i18n.text("zh", note) in captions(at)
    annotations = chart(at, "activation_function")["layout"].get("annotations", [])
    assert [a["text"] for a in annotations] == [i18n.text("zh", key) for key in shaded]


def test_a_dead_relu_chain_is_said_to_pass_no_gradient():
    assert i18n.text("en", "activations.chain.zero") not in captions(open_page(PAGE))
    at = open_page(PAGE, chain_x="-0.5", depth="5")
    assert i18n.text("en", "activations.chain.zero") in captions(at)
    traces = {trace["name"]: trace for trace in chart(at, "vanishing_gradients")["data"]}
    assert list(numbers(traces["ReLU"]["x"])) == [1, 2, 3, 4, 5]
    assert np.isnan(numbers(traces["ReLU"]["y"])).all()  # no point on a log axis for a gradient of 0
    np.testing.assert_allclose(numbers(traces["Sigmoid"]["y"]), act.chain_gradients("sigmoid", 5, -0.5, 1.0))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_nonsense_in_the_link_falls_back_with_a_notice(lang):
    at = open_page(PAGE, lang, w1="abc", depth="1e9", f="<script>", logits="1,,zz", zzz="1", temperature="nan")
    assert_healthy(at)
    assert at.info[0].value == ignored_notice(lang, w1="abc", depth="1e9", f="<script>", logits="1,,zz", zzz="1",
                                              temperature="nan")
    assert at.slider(key="activations.w1").value == 1.0
    assert at.selectbox(key="activations.f").value == "sigmoid"
    assert dict(at.query_params) == {"lang": lang}


def test_typed_logits_that_are_not_numbers_get_a_message_in_the_visitors_language():
    at = open_page(PAGE, "zh")
    at.text_input(key="activations.logits").input("1, 2, 三").run()
    assert_healthy(at)
    assert at.warning[0].value == i18n.text("zh", "activations.softmax.bad_logits", value=plain("1, 2, 三"))
    np.testing.assert_allclose(numbers(chart(at, "softmax")["data"][0]["y"]), act.softmax(DEFAULTS["logits"]))
    at.text_input(key="activations.logits").input("<b>" * 5000).run()
    assert_healthy(at)
    assert at.warning[0].value == i18n.text("zh", "activations.softmax.bad_logits", value=plain("<b>" * 5000))


def test_the_code_panel_holds_the_current_settings():
    at = open_page(PAGE, w1="3", f="elu")
    source = open_expanders(at).code[-1].value
    assert source == code({**DEFAULTS, "w1": 3.0, "f": "elu"}).rstrip("\n")  # st.code drops the last newline
    assert "x1, x2, w1, w2, b = 1, 0.5, 3, -1, 0" in source
    assert "def elu(" in source and "def elu_derivative(" in source


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_chart_has_its_numbers_in_a_sentence_under_it(lang):
    at = open_page(PAGE, lang)
    plane = numbers(chart(at, "neuron_plane")["data"][0]["z"])
    said = summary_under(at, "neuron_plane")
    z, y = act.neuron(1.0, 0.5, 1.0, -1.0, 0.0, "sigmoid")
    assert said == chart_summary(summaries.plane(plane, 1.0, -1.0, 0.0, 1.0, 0.5, z, y, lang))
    assert "x₁ − x₂ \\= 0" in said and "z \\> 0" in said  # the defaults' line, and the input (1, 0.5) above it
    bars = numbers(chart(at, "softmax")["data"][0]["y"])
    said = summary_under(at, "softmax")
    shown = [said.index(plain(f"{p:.1%}")) for p in bars]
    assert shown == sorted(shown)  # highest first: the default logits 2, 1, 0.1 are in that order
    x, f, df = act.curve("sigmoid")
    assert summary_under(at, "activation_function") == chart_summary(
        summaries.function(x, f, df, 1.0, *act.value_and_derivative("sigmoid", 1.0), lang))
    chains = act.compare_chains(("sigmoid", "tanh", "relu"), 10, 0.5, 1.0)
    assert summary_under(at, "vanishing_gradients") == chart_summary(summaries.chain(chains, lang))


def test_a_summary_follows_its_settings():
    at = open_page(PAGE)
    before = {key: summary_under(at, key) for key in ("neuron_plane", "activation_function", "softmax")}
    at.slider(key="activations.w2").set_value(2.0).run()
    at.toggle(key="activations.derivative").set_value(False).run()
    at.slider(key="activations.temperature").set_value(5.0).run()
    assert "x₁ \\+ 2x₂ \\= 0" in summary_under(at, "neuron_plane") != before["neuron_plane"]
    said = summary_under(at, "activation_function")
    assert said != before["activation_function"] and "f′" not in said and "0\\.7311" in said
    p = act.softmax([2.0, 1.0, 0.1], 5.0)
    assert summary_under(at, "softmax") == chart_summary(
        i18n.text("en", "activations.softmax.summary", bars=", ".join(f"class {i} {p[i]:.1%}" for i in range(3))))
    flat = open_page(PAGE, "zh", w1="0", w2="0", b="1")
    assert summary_under(flat, "neuron_plane") == chart_summary(
        i18n.text("zh", "activations.neuron.plane.summary.flat", y=float(act.sigmoid(1.0))))
