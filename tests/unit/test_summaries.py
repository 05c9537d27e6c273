"""The text beside every chart (issue 26): each summary names the numbers its chart plots, picked from the very
arrays the page draws, in both languages. Equations as text, /activations, /text, /digits-training and the
teacher's screen here; /xor's frames in test_xor_summaries.py."""

import numpy as np
import pytest

from dlplay import equations, i18n
from dlplay.activations import functions as act
from dlplay.activations import summaries as activations
from dlplay.classroom import board
from dlplay.classroom.rows import RunRow
from dlplay.digits import summaries as digits
from dlplay.digits.jobs import Curves
from dlplay.text import summaries as text

LANGS = i18n.LANGUAGES


def test_numbers_and_lines_are_written_as_a_reader_says_them():
    assert equations.number(-1.5) == "−1.5"
    assert equations.number(2.4696e-16) == "2.47×10⁻¹⁶"
    assert equations.number(12346.0, 4) == "1.235×10⁴"
    assert equations.line(2, -1.5, 0.5) == "2x₁ − 1.5x₂ + 0.5 = 0"
    assert equations.line(-1, 1, 0) == "−x₁ + x₂ = 0"  # weights of 1 unwritten, a bias of 0 left out
    assert equations.line(0, 3, -1) == "3x₂ − 1 = 0"
    assert equations.line(0, 0, 2) is None  # z = b everywhere: no line


@pytest.mark.parametrize("lang", LANGS)
def test_the_neuron_plane_names_its_range_its_line_and_the_inputs_side(lang):
    w1, w2, b, x1, x2 = 1.0, -2.0, 0.5, 1.0, 1.0
    _, _, plane = act.neuron_surface(w1, w2, b, "sigmoid")
    z, y = act.neuron(x1, x2, w1, w2, b, "sigmoid")
    said = activations.plane(plane, w1, w2, b, x1, x2, z, y, lang)
    assert f"{plane.min():.4g}" in said and f"{plane.max():.4g}" in said
    assert "x₁ − 2x₂ + 0.5 = 0" in said and "z < 0" in said and f"{y:.4f}" in said
    flat = activations.plane(np.full((3, 3), 0.62), 0.0, 0.0, 0.5, x1, x2, 0.5, 0.62, lang)
    assert flat == i18n.text(lang, "activations.neuron.plane.summary.flat", y=0.62)


def test_a_point_is_on_one_side_of_the_line_or_on_it():
    assert [activations.side(z) for z in (0.3, -0.3, 0.0)] == ["z > 0", "z < 0", "z = 0"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_function_chart_names_its_range_and_where_the_derivative_peaks(lang):
    x, f, df = act.curve("sigmoid")
    fx, dfx = act.value_and_derivative("sigmoid", 1.0)
    without = activations.function(x, f, None, 1.0, fx, dfx, lang)
    assert "0.002473" in without and "0.9975" in without and "0.7311" in without and "0.1966" not in without
    said = activations.function(x, f, df, 1.0, fx, dfx, lang)
    assert said == i18n.text(lang, "activations.functions.summary.peak_at", start=-6.0, end=6.0, low=f.min(),
                             high=f.max(), x=1.0, fx=fx, dfx=dfx, peak=0.25, at=0.0)
    x, f, df = act.curve("relu")  # f′ = 1 all along x > 0
    assert activations.peak(x, df) == pytest.approx((1.0, 0.05, 6.0))
    assert "0.05" in activations.function(x, f, df, 1.0, 1.0, 1.0, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_softmax_bars_are_named_highest_first(lang):
    p = act.softmax([0.1, 2.0, 1.0])
    assert activations.ranked(p) == ([(1, p[1]), (2, p[2]), (0, p[0])], 0, 0.0)
    said = activations.softmax(p, lang)
    assert said.index(f"{p[1]:.1%}") < said.index(f"{p[2]:.1%}") < said.index(f"{p[0]:.1%}")
    many = act.softmax(np.arange(7.0))
    assert activations.ranked(many)[1:] == (3, pytest.approx(many[2]))
    said = activations.softmax(many, lang)
    assert f"{many[2]:.1%}" in said and f"{many[1]:.1%}" not in said  # the rest counted, the highest of them named


@pytest.mark.parametrize("lang", LANGS)
def test_the_gradient_chains_fall_by_a_factor_a_layer_or_die(lang):
    chains = act.compare_chains(["sigmoid", "tanh", "relu"], 10, -0.5, 1.0)
    factor, died = activations.per_layer(chains.sizes["sigmoid"])
    assert died is None and factor ** 10 == pytest.approx(chains.after_last_layer["sigmoid"])
    assert activations.per_layer(chains.sizes["relu"]) == (0.0, 1)  # a negative input: no gradient from layer 1
    said = activations.chain(chains, lang)
    assert f"×{factor:.3g}" in said
    assert i18n.text(lang, "activations.chain.summary.died", name="ReLU", layer=1) in said


@pytest.mark.parametrize("lang", LANGS)
def test_the_memory_chart_names_its_end_highest_and_lowest(lang):
    tokens, p = ["not", "good", "at", "all"], [0.4, 0.9, 0.2, 0.3]
    assert text.extremes(p) == (1, 2)
    assert text.memory(tokens, p, lang) == i18n.text(
        lang, "text.memory.summary", last_token="all", last=0.3, high=0.9, high_token="good", low=0.2, low_token="at")
    assert "0.70" in text.memory(["great"], [0.7], lang)
    assert "…" in text.memory(["x" * 50], [0.7], lang)  # a visitor's long token, shortened


@pytest.mark.parametrize("lang", LANGS)
def test_the_hidden_state_chart_names_the_token_that_moved_it_most(lang):
    h = np.array([[0.1, 0.0], [0.2, -0.1], [0.9, -0.8], [0.8, -0.7]])
    assert text.biggest_change(h) == 2
    said = text.hidden(["a", "b", "c", "d"], h, lang)
    assert "“c”" in said and "-0.80" in said and "+0.90" in said


@pytest.mark.parametrize("lang", LANGS)
def test_the_three_cells_chart_names_their_ends_and_their_widest_gap(lang):
    readings = {"simplernn": [0.5, 0.6, 0.7], "lstm": [0.5, 0.1, 0.8], "gru": [0.5, 0.4, 0.75]}
    assert text.widest_gap(list(readings.values())) == (1, 0.1, 0.6)
    said = text.compare(["the", "not", "film"], readings, lang)
    assert "“not”" in said and "SimpleRNN 0.70" in said and "LSTM 0.80" in said and "GRU 0.75" in said


@pytest.mark.parametrize("lang", LANGS)
def test_the_tutorials_curves_name_the_loss_before_and_after(lang):
    history = {"loss": [0.693, 0.5, 0.214], "accuracy": [0.5, 1.0, 1.0]}
    assert text.tutorial(history, lang) == i18n.text(lang, "text.tutorial.summary", epochs=3, first=0.693,
                                                     loss=0.214, accuracy=1.0)


@pytest.mark.parametrize("lang", LANGS)
def test_the_training_curves_name_where_they_are_now(lang):
    assert digits.curve(Curves(), "loss", 3, lang) is None  # the chart says it has nothing yet
    early = Curves(train_at=[0.1, 0.2], loss=[2.3, 1.9], accuracy=[0.1, 0.3])
    assert digits.curve(early, "loss", 3, lang) == i18n.text(lang, "digits_training.chart.loss.summary.train",
                                                             at=0.2, epochs=3, train=1.9)
    curves = Curves(train_at=[0.5, 1.0, 1.5], loss=[0.9, 0.4, 0.3], accuracy=[0.7, 0.88, 0.91],
                    val_at=[0.5, 1.0, 1.4], val_loss=[0.5, 0.25, 0.31], val_accuracy=[0.8, 0.92, 0.9])
    assert digits.lowest(curves.val_at, curves.val_loss) == (0.25, 1.0)
    said = digits.curve(curves, "loss", 3, lang)
    assert said == i18n.text(lang, "digits_training.chart.loss.summary", at=1.5, epochs=3, train=0.3, val=0.31,
                             lowest=0.25, lowest_at=1.0)
    assert "91.0%" in digits.curve(curves, "accuracy", 3, lang) and "90.0%" in digits.curve(curves, "accuracy", 3, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_a_confusion_matrix_names_its_most_confused_pair(lang):
    counts = np.diag([10] * 10)
    assert digits.most_confused(counts) is None
    assert digits.confusion(counts, lang, "classroom.confusion.summary.") == \
        i18n.text(lang, "classroom.confusion.summary.none", total=100)
    counts[6, 0] = 1
    assert digits.confusion(counts, lang, "classroom.confusion.summary.") == \
        i18n.text(lang, "classroom.confusion.summary.once", right=100, total=101, truth=6, guess="0")
    counts[4, 9], counts[7, 1], counts[3, 5] = 12, 3, 12  # a tie: the first in reading order
    assert digits.most_confused(counts) == (3, 5, 12)
    refused = np.hstack([counts, np.zeros((10, 1), int)])
    refused[2, 10] = 40  # a model's "not a digit" column
    said = digits.confusion(refused, lang, "digits_training.confusion.summary.")
    assert said == i18n.text(lang, "digits_training.confusion.summary.pair", right=100, total=168, truth=2, guess="✗",
                             n=40)


@pytest.mark.parametrize("lang", LANGS)
def test_a_class_runs_curves_name_where_they_end(lang):
    def run(curves):
        return RunRow(1, 1, "Ada", {}, 0.9, 12.0, curves, 0.0)

    assert board.curves_summary(run({}), lang) is None
    said = board.curves_summary(run({"train_at": [0.5, 1.0], "accuracy": [0.8, 0.95], "loss": [0.6, 0.21],
                                     "val_at": [1.0], "val_accuracy": [0.93]}), lang)
    assert said.startswith(i18n.text(lang, "classroom.curves.summary", at=1.0, values="")[:6])
    assert all(part in said for part in ("95.0%", "93.0%", "0.210"))
