"""§2 page through AppTest: both models, both languages, the controls, and nonsense in the link."""

import contextlib
import dataclasses
import io
import json
import re

import numpy as np
import pytest

from dlplay import i18n
from dlplay.equations import line as line_of
from dlplay.xor import charts, code, ledger, state, summaries
from dlplay.xor import numpy_net as xor

from .conftest import assert_healthy, ignored_notice, open_page

PAGE = "pages/xor.py"
# The loss at epoch 0 of each model's defaults: the tutorial's neuron from np.random.seed(42), the MLP's from seed 0.
FIRST_LOSS = {"tutorial": "0.5261", "mlp": "0.2672"}


def view(at) -> dict:
    """What the page gave its live view (ui/components/xor_view/) in its last run."""
    (element,) = [e for e in at.get("bidi_component") if e.key == "xor.view"]
    return json.loads(element.proto.json)


def metric(at, lang, key):
    """A read-out as the view shows it, for the frame on screen, in the visitor's language."""
    data = view(at)
    assert data["labels"]["epoch"] == i18n.text(lang, "xor.epoch")
    (frame,) = data["frames"]  # paused: the one on screen
    if key == "xor.solved":
        return i18n.text(lang, "xor.yes" if frame["solved"] else "xor.no")
    return frame["readings"][{"xor.epoch": "epoch", "xor.loss_now": "loss", "xor.predictions": "predictions"}[key]]


def button(at, key):
    return next(b for b in at.button if b.key == key)


def equations(lang, run):
    """The ledger's equations for input [0,1], the one the page follows first, as st.latex holds them."""
    return [f"$$\n{line}\n$$" for line in ledger.equations(ledger.ledger(run), 1, i18n.text(lang, "xor.ledger.forward"),
                                                             i18n.text(lang, "xor.ledger.backward"))]


def gradients_table(at, lang):
    """The ledger's table of gradients: parameter -> (value now, value after the step)."""
    table = at.dataframe[1].value
    names = table[i18n.text(lang, "xor.ledger.parameter")]
    return dict(zip(names, zip(table[i18n.text(lang, "xor.ledger.value")], table[i18n.text(lang, "xor.ledger.next")])))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("model", xor.MODELS)
def test_renders_each_model_in_each_language(lang, model):
    at = open_page(PAGE, lang, model=model)
    assert_healthy(at)
    assert at.title[0].value == i18n.text(lang, "xor.title")
    assert metric(at, lang, "xor.epoch") == "0"
    assert metric(at, lang, "xor.loss_now") == FIRST_LOSS[model]
    run = xor.new_run(state.defaults(model))
    assert [line.value for line in at.latex] == equations(lang, run)
    table = gradients_table(at, lang)
    assert list(table) == xor.parameter_names(run.settings)
    assert [now for now, _ in table.values()] == run.params.tolist()


def test_steps_move_the_epoch_and_change_the_ledger():
    at = open_page(PAGE, "en", model="mlp")
    button(at, "xor.step10").click().run()
    assert_healthy(at)
    run = xor.step(xor.new_run(state.MLP_DEFAULTS), 10)
    assert metric(at, "en", "xor.epoch") == "10"
    assert [line.value for line in at.latex] == equations("en", run)
    assert metric(at, "en", "xor.loss_now") == ledger.readings(ledger.ledger(run), 10)["loss"]
    after = xor.step(run.copy(), 1).params
    assert [later for _, later in gradients_table(at, "en").values()] == pytest.approx(after.tolist(), rel=1e-12)
    button(at, "xor.step1").click().run()
    assert metric(at, "en", "xor.epoch") == "11"
    assert [now for now, _ in gradients_table(at, "en").values()] == after.tolist()
    button(at, "xor.reset").click().run()
    assert metric(at, "en", "xor.epoch") == "0"
    assert metric(at, "en", "xor.loss_now") == FIRST_LOSS["mlp"]


def test_the_tutorial_run_prints_what_the_tutorials_code_prints():
    at = open_page(PAGE, "zh")
    button(at, "xor.run_to").click().run()
    assert_healthy(at)
    assert metric(at, "zh", "xor.epoch") == "10,000"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code.code(state.TUTORIAL_DEFAULTS), {})
    shown = [c.value for c in at.code if c.value.startswith("训练后的权重")]
    assert len(shown) == 1 and printed.getvalue().startswith(shown[0] + "\nweights:")
    assert "e-16" in shown[0]  # the weights the tutorial ends with, about 2.47e-16
    assert metric(at, "zh", "xor.predictions") == "0.50 0.50 0.50 0.50"
    assert metric(at, "zh", "xor.loss_now") == "0.5"


def test_the_mlp_solves_xor_with_the_page_defaults():
    at = open_page(PAGE, "en", model="mlp")
    button(at, "xor.run_to").click().run()
    assert metric(at, "en", "xor.solved") == i18n.text("en", "xor.yes")
    assert metric(at, "en", "xor.epoch") == "5,000"
    assert metric(at, "en", "xor.loss_now") == "0.000236"
    assert metric(at, "en", "xor.predictions") == "0.01 0.98 0.98 0.02"


def test_switching_model_takes_that_models_defaults():
    at = open_page(PAGE, "en")
    at.button_group(key="xor.model").set_value("mlp").run()
    assert_healthy(at)
    assert at.number_input(key="xor.lr").value == state.MLP_DEFAULTS.lr
    assert at.number_input(key="xor.epochs").value == state.MLP_DEFAULTS.epochs
    assert at.query_params["model"] == "mlp"
    assert metric(at, "en", "xor.loss_now") == FIRST_LOSS["mlp"]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_nonsense_in_the_link_falls_back_with_a_notice(lang):
    at = open_page(PAGE, lang, model="mlp", hidden="0", epochs="-5", seed="abc", lr="1e9", activation="<b>x</b>")
    assert_healthy(at)
    assert at.info[0].value == ignored_notice(lang, hidden="0", epochs="-5", seed="abc", lr="1e9",
                                              activation="<b>x</b>")
    assert at.slider(key="xor.hidden").value == state.MLP_DEFAULTS.hidden
    assert at.number_input(key="xor.lr").value == state.MLP_DEFAULTS.lr
    assert at.selectbox(key="xor.activation").value == state.MLP_DEFAULTS.activation
    assert metric(at, lang, "xor.loss_now") == FIRST_LOSS["mlp"]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_huge_learning_rate_is_explained_not_crashed(lang):
    # With a sigmoid output every gradient is bounded, so a huge lr never overflows here: it saturates the
    # output neuron and learning freezes. The page says so (and would stop at a non-finite number if one came).
    at = open_page(PAGE, lang, model="mlp", lr="100")
    button(at, "xor.run_to").click().run()
    assert_healthy(at)
    assert metric(at, lang, "xor.loss_now") == "0.5"
    assert metric(at, lang, "xor.predictions") == "0.00 0.00 0.00 0.00"
    assert at.warning[0].value == i18n.text(lang, "xor.saturated", lr=100.0)
    at = open_page(PAGE, lang, model="mlp", lr="1000", activation="relu", loss="bce")
    button(at, "xor.run_to").click().run()
    assert_healthy(at)
    settings = dataclasses.replace(state.MLP_DEFAULTS, lr=1000.0, activation="relu", loss="bce")
    assert np.isfinite(xor.train(settings).params).all()
    assert metric(at, lang, "xor.epoch") == "5,000"
    assert metric(at, lang, "xor.loss_now") == "220.7"
    assert metric(at, lang, "xor.predictions") == "1.00 1.00 1.00 1.00"
    assert at.warning[0].value == i18n.text(lang, "xor.saturated", lr=1000.0)
    assert not at.error


def summary(at, chart: str) -> str | None:
    """The text the view writes under `chart` for the frame on screen: the frame's numbers put into the sentence of
    its kind, as xor_view.js does (tests/browser/test_xor_browser.py sees the view do it)."""
    data = view(at)
    (frame,) = data["frames"]
    numbers = frame["summary"].get(chart)
    if numbers is None:
        return None
    labels = data["labels"]
    template = labels.get(f"{chart}_summary_{numbers.get('kind')}") or labels[f"{chart}_summary"]
    values = {**frame["readings"], **numbers}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group()), template)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_charts_say_their_numbers_for_the_step_shown(lang):
    at = open_page(PAGE, lang)  # the tutorial's one neuron: its boundary is one line
    run = xor.new_run(state.TUTORIAL_DEFAULTS)
    (weights, bias), = xor.layers(run.settings, run.params)
    line = line_of(weights[0, 0], weights[1, 0], bias[0])
    low, high = summaries.output_range(run.settings, run.params, charts.GRID)
    boundary = summary(at, "boundary")
    assert boundary == i18n.text(lang, "xor.chart.boundary.summary.line").format(
        epoch="0", low=f"{low:.2f}", high=f"{high:.2f}", line=line, right=str(summaries.right_side(run.predictions[0])))
    assert summary(at, "hidden") is None  # one neuron: no hidden neurons' chart
    button(at, "xor.step10").click().run()
    xor.step(run, 10)
    (weights, bias), = xor.layers(run.settings, run.params)
    assert line_of(weights[0, 0], weights[1, 0], bias[0]) in summary(at, "boundary") != boundary
    assert summary(at, "loss") == i18n.text(lang, "xor.chart.loss.summary").format(
        epoch="10", loss=ledger.readings(ledger.ledger(run), 10)["loss"], start=FIRST_LOSS["tutorial"])


def test_the_mlps_charts_say_their_hidden_neurons_lines():
    at = open_page(PAGE, "zh", model="mlp")
    button(at, "xor.run_to").click().run()
    run = xor.train(state.MLP_DEFAULTS)
    (w1, b1), _ = xor.layers(run.settings, run.params)
    hidden = summary(at, "hidden")
    assert all(f"h{j + 1}: {line_of(w1[0, j], w1[1, j], b1[j])}" in hidden for j in range(4))
    assert summary(at, "boundary") == i18n.text("zh", "xor.chart.boundary.summary.curve").format(
        epoch="5,000", low="0.00", high="0.99", right="4")
