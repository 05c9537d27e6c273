"""The tutorial's two-sentence example (§3.2): trained live, its table cleaned, its code panel runnable."""

from __future__ import annotations

import contextlib
import io
import math

import numpy as np
import pytest

from dlplay.text import code as text_code
from dlplay.text import tutorial as text_tutorial


@pytest.mark.slow
def test_tutorial_example_memorises_its_two_sentences():
    run = text_tutorial.train_tutorial()
    assert run.train_accuracy == 1.0
    assert len(run.history["accuracy"]) == text_tutorial.EPOCHS
    assert run.data.shape == (2, 5)
    assert run.new_probabilities.shape == (len(text_tutorial.NEW_SENTENCES),)
    assert run.word_index["i"] == 1
    outputs = run.outputs()
    assert [(o.sentence, o.seen) for o in outputs] == [
        ("I love deep learning", True), ("This is a great tutorial", True),
        ("I love this tutorial", False), ("deep learning is great", False)]
    assert [o.probability for o in outputs] == pytest.approx(
        [*run.train_probabilities.tolist(), *run.new_probabilities.tolist()])
    assert outputs[0].probability > 0.5 > outputs[1].probability  # memorised: label 1, then label 0


@pytest.mark.slow
def test_tutorial_example_takes_edited_sentences():
    pairs = [("so happy today!", 1), ("what a sad story", 0), ("happy happy ending", 1)]
    run = text_tutorial.train_tutorial(pairs, new_sentences=["totally unknown words", ""], epochs=30)
    assert run.train_accuracy == 1.0
    assert (run.new_sequences[0] == 0).all()  # the Tokenizer dropped unknown words
    with pytest.raises(ValueError):
        text_tutorial.train_tutorial([])
    with pytest.raises(ValueError):
        text_tutorial.train_tutorial([("x", 2)])


def test_the_edited_table_keeps_sentences_with_a_label():
    # As the page's data editor hands them over: added rows are empty, a label column with a gap holds floats.
    sentences = ["  I love it  ", "", None, "no label", "bad label", math.nan, "float label", "numpy label"]
    labels = [1, 0, 1, None, 2, 1, 0.0, np.int64(1)]
    assert text_tutorial.labelled_pairs(sentences, labels) == [("I love it", 1), ("float label", 0), ("numpy label", 1)]
    assert text_tutorial.labelled_pairs([], []) == []


def test_new_sentences_are_the_non_blank_lines():
    assert text_tutorial.sentences_of("  one \n\n two\n   \nthree") == ["one", "two", "three"]
    many = "\n".join(f"sentence {k}" for k in range(30))
    assert text_tutorial.sentences_of(many) == [f"sentence {k}" for k in range(text_tutorial.MAX_NEW_SENTENCES)]


def _printed_arrays(source: str) -> list[np.ndarray]:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(source, "rnn_tutorial.py", "exec"), {"__name__": "__main__"})
    return [np.array(line.strip("[]").split(), dtype=float)
            for line in output.getvalue().splitlines() if line.startswith("[")]


@pytest.mark.slow
def test_tutorial_code_runs_and_prints_what_the_page_shows():
    pairs = [("I love deep learning", 1), ("This is a great tutorial", 0), ("awful, just awful", 0)]
    source = text_code.code(pairs, new_sentences=["I love it"])
    assert "preprocessing" not in source and "input_length" not in source and "keras.Input(" in source
    *_, train_printed, new_printed = _printed_arrays(source)
    run = text_tutorial.train_tutorial(pairs, new_sentences=["I love it"])
    np.testing.assert_allclose(train_printed, run.train_probabilities, atol=1e-4)
    np.testing.assert_allclose(new_printed, run.new_probabilities, atol=1e-4)


def test_an_emptied_table_shows_the_tutorials_own_code():
    assert text_code.code([], ["I love it"], epochs=7, seed=3) == text_code.code(
        text_tutorial.TUTORIAL_PAIRS, ["I love it"], epochs=7, seed=3)
    assert "texts = ['I love deep learning', 'This is a great tutorial']" in text_code.code([])


def test_a_run_for_the_line_is_bounded_whatever_the_page_was_sent():
    pairs = [("x" * 10_000, k % 2) for k in range(5000)]
    payload = text_tutorial.tutorial_task(pairs, ["y" * 10_000] * 100, epochs=10**9, seed=-1).payload
    assert len(payload["pairs"]) == text_tutorial.MAX_PAIRS
    assert len(payload["pairs"][0][0]) == text_tutorial.MAX_SENTENCE
    assert len(payload["new_sentences"]) == text_tutorial.MAX_NEW_SENTENCES
    assert payload["epochs"] == text_tutorial.MAX_EPOCHS and 0 <= payload["seed"] < 2**32
    assert text_tutorial.tutorial_task(pairs, [], epochs=-5, seed=1).payload["epochs"] == 1
    assert text_tutorial.labelled_pairs(["z" * 10_000], [1]) == [("z" * text_tutorial.MAX_SENTENCE, 1)]


@pytest.mark.slow
def test_a_run_whose_page_stopped_looking_stops_within_a_batch():
    """The largest run the page allows, in a line whose visitors count as gone after 1 s without a look."""
    import time

    from dlplay.jobs import RUNNING, STOPPED
    from dlplay.jobs.local import LocalBackend, TrainingQueue

    backend = LocalBackend(TrainingQueue(slots=1, abandon_after=1.0))
    pairs = [(f"sentence number {k}", k % 2) for k in range(text_tutorial.MAX_PAIRS)]
    job_id = backend.submit(text_tutorial.tutorial_task(pairs, [], text_tutorial.MAX_EPOCHS, 1))
    deadline = time.monotonic() + 120
    while (snapshot := backend.snapshot(job_id, ("epoch",))).status != RUNNING or not snapshot.state.get("epoch"):
        assert time.monotonic() < deadline, "the run did not start"
        time.sleep(0.1)
    left = time.monotonic()  # the page is gone: nobody looks any more
    job = backend._jobs[job_id]
    assert job.finished.wait(60)
    assert job.status == STOPPED and time.monotonic() - left < 30
    assert backend.snapshot(job_id, ("epoch",)).state["epoch"] < text_tutorial.MAX_EPOCHS
