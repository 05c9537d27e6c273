"""§3.1 (/digits-training) page through AppTest: renders in both languages, reads its settings from the link,
trains a small run to the end, and the model it made is this visitor's on /digits."""

import time

import numpy as np
import pytest

from dlplay import i18n
from dlplay.digits.data import load_sample
from dlplay.digits.keras_net import Config
from dlplay.digits.reading import Evaluation
from dlplay.plain import plain

from .conftest import assert_healthy, chart_summary, ignored_notice, open_expanders, open_page, summary_under

PAGE = "pages/digits_training.py"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_renders_and_invites_to_train(lang):
    at = open_page(PAGE, lang)
    assert_healthy(at)
    assert at.title[0].value == i18n.text(lang, "digits_training.title")
    assert at.button(key="digits_training.train").label == i18n.text(lang, "digits_training.train")
    assert i18n.text(lang, "digits_training.none_yet") in [info.value for info in at.info]
    code = open_expanders(at).code[-1].value
    assert "model.fit(x_train, y_train, epochs=1, batch_size=32" in code and "[:10000]" in code


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_run_too_quick_to_watch_is_called_so_before_train(lang):
    quick = i18n.text(lang, "digits_training.quick", n="2,000")
    assert quick in [caption.value for caption in open_page(PAGE, lang, train_size="1000", epochs="2").caption]
    assert not [c for c in open_page(PAGE, lang).caption if c.value.startswith(quick[:8])]  # 10,000 images: no


def test_settings_come_from_the_link_and_nonsense_is_reported():
    at = open_page(PAGE, "en", arch="custom", conv_layers="2", filters="16", epochs="0", lr="1e9", train_size="abc",
                   optimizer="sgd")
    assert_healthy(at)
    assert at.button_group(key="digits_training.arch").value == "custom"
    assert at.slider(key="digits_training.conv_layers").value == 2
    assert at.button_group(key="digits_training.optimizer").value == "sgd"
    assert at.info[0].value == ignored_notice("en", epochs="0", lr="1e9", train_size="abc")
    assert at.slider(key="digits_training.epochs").value == 1
    code = open_expanders(at).code[-1].value
    assert "layers.Conv2D(16," in code and "layers.Conv2D(32," in code and "keras.optimizers.SGD" in code


@pytest.mark.slow
def test_a_run_trains_to_the_end_and_becomes_this_visitors_model():
    at = open_page(PAGE, "zh", train_size="1000", batch_size="64")
    at.button(key="digits_training.train").click().run()
    assert_healthy(at)
    job = at.session_state["digits_training.job"]
    deadline = time.monotonic() + 300
    while "digits_training.ended" not in at.session_state:  # the page takes the result once the run has ended
        assert time.monotonic() < deadline, "the run did not end"
        time.sleep(0.5)
        at.run()  # as the page's poll would
    assert_healthy(at)
    job_id, status, _, result = at.session_state["digits_training.ended"]
    assert job_id == job["id"] and status == "done"
    labels = {metric.label: metric.value for metric in at.metric}
    accuracy = float(labels[i18n.text("zh", "digits_training.test_accuracy")].rstrip("%"))
    assert accuracy == pytest.approx(100 * result["evaluation"].accuracy, abs=0.01) and accuracy > 50
    mine = at.session_state["digits.mine"]
    assert mine["bytes"] == result["model"] and mine["job"] == job["id"]
    assert type(mine["model"]).__name__ == "NumpyCNN"  # read in numpy, as a school's web process must

    at.switch_page("pages/digits.py").run()
    assert_healthy(at)
    assert at.toggle(key="digits.use_mine").value is True


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_with_the_training_server_unreachable_train_says_so_and_the_page_goes_on(lang, monkeypatch):
    from dlplay import jobs
    from tests.redis_server import free_port

    monkeypatch.setenv(jobs.REDIS_URL, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    jobs.backend.cache_clear()
    try:
        at = open_page(PAGE, lang, train_size="1000")
        assert_healthy(at)
        at.button(key="digits_training.train").click().run()
        assert_healthy(at)
        assert i18n.text(lang, "digits_training.unavailable") in [warning.value for warning in at.warning]
        assert "digits_training.job" not in at.session_state
        assert at.button(key="digits_training.train").label == i18n.text(lang, "digits_training.train")
        assert "model.fit(" in open_expanders(at).code[-1].value  # the rest of the lesson is there
    finally:
        jobs.backend.cache_clear()


def test_the_app_stops_streamlit_clearing_keras_after_every_run():
    """ui.keep_keras_state replaces a private Streamlit function; this fails if Streamlit renames it."""
    from streamlit.runtime.scriptrunner import script_runner

    at = open_page(None, "en")
    assert_healthy(at)
    assert script_runner._clean_problem_modules.__name__ == "<lambda>"


def finished(at, curves: dict, confusion: np.ndarray):
    """The page after a run of 2 epochs ended with these curves and this confusion matrix (no training: the run's
    result as the training line hands it over, put where the page keeps it)."""
    n = int(confusion.sum())
    evaluation = Evaluation(float(np.trace(confusion)) / n, confusion, np.array([], int), np.zeros(n, int),
                            np.ones(n), n)
    at.session_state["digits_training.job"] = {"id": "run-1", "config": Config(epochs=2), "data": load_sample()}
    at.session_state["digits_training.ended"] = ("run-1", "done", "", {
        "curves": curves, "evaluation": evaluation, "progress": {"elapsed": 5.0, "seen": 2000}})
    return at.run()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_curves_and_the_confusions_have_their_numbers_under_them(lang):
    curves = {"train_at": [0.5, 1.0, 2.0], "loss": [0.9, 0.4, 0.2], "accuracy": [0.7, 0.88, 0.95],
              "val_at": [1.0, 2.0], "val_loss": [0.25, 0.3], "val_accuracy": [0.92, 0.93]}
    confusion = np.diag([100] * 10)
    confusion[4, 9] = 12
    at = finished(open_page(PAGE, lang), curves, confusion)
    assert_healthy(at)
    loss = summary_under(at, "digits_training.chart.loss")
    assert loss == chart_summary(i18n.text(lang, "digits_training.chart.loss.summary", at=2.0, epochs=2, train=0.2,
                                           val=0.3, lowest=0.25, lowest_at=1.0))
    assert summary_under(at, "digits_training.chart.accuracy") == chart_summary(i18n.text(
        lang, "digits_training.chart.accuracy.summary", at=2.0, epochs=2, train=0.95, val=0.93))
    assert summary_under(at, "digits_training.chart.confusion") == chart_summary(i18n.text(
        lang, "digits_training.confusion.summary.pair", right=1000, total=1012, truth=4, guess="9", n=12))

    confusion[7, 1] = 30  # another run, another most confused pair
    again = finished(at, {**curves, "loss": [0.9, 0.4, 0.15]}, confusion)
    assert plain(f"{0.15:.3f}") in summary_under(again, "digits_training.chart.loss")
    assert summary_under(again, "digits_training.chart.confusion") == chart_summary(i18n.text(
        lang, "digits_training.confusion.summary.pair", right=1000, total=1042, truth=7, guess="1", n=30))
