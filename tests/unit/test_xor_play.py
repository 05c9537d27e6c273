"""Play mode on /xor: which frames a tick sends, pausing back to the frame on screen, and what the view is given."""

import functools
import json

import numpy as np
import pytest

from dlplay import colours
from dlplay.xor import charts, ledger, play, state
from dlplay.xor import numpy_net as xor

MLP = state.MLP_DEFAULTS


def test_a_tick_sends_the_frames_due_from_half_a_second_ago_to_a_second_ahead():
    clock = play.Clock(started=100.0, epoch=40, speed=50)
    # 2 s after Play at 12 frames a second: frame 24 is due; 18..36 are sent (each 50 epochs on from epoch 40).
    plan = play.plan(clock, 102.0, end=100_000, fps=12, lead=1.0, behind=0.5)
    assert plan.epochs == [40 + 50 * k for k in range(18, 37)]
    assert plan.train_to == 40 + 50 * 36 and not plan.finished
    first = play.plan(clock, 100.0, end=100_000, fps=12, lead=1.0, behind=0.5)
    assert first.epochs == [40 + 50 * k for k in range(1, 13)]  # a second ahead, none before Play


def test_the_last_frame_is_the_end_and_play_finishes_when_it_is_due():
    clock = play.Clock(started=0.0, epoch=0, speed=200)
    plan = functools.partial(play.plan, fps=12, lead=1.0, behind=0.5)
    sent = plan(clock, 1.1, end=4950)  # frames 7..24 reach 4,800; 4,950 comes last, off the beat
    assert sent.epochs == [200 * k for k in range(7, 25)] + [4950] and sent.train_to == 4950
    assert not sent.finished and not plan(clock, 24.9 / 12, end=4950).finished
    assert plan(clock, 25 / 12, end=4950).finished  # frame 25, the end, is due on screen
    assert plan(clock, 25 / 12, end=4950).epochs == [200 * k for k in range(19, 25)] + [4950]


def test_play_goes_on_from_the_run_after_missed_seconds_rather_than_jumping():
    clock = play.Clock(started=10.0, epoch=0, speed=50)
    # Ticks on time: the run is where the last tick left it (a second's frames behind the next), the clock stays.
    assert play.resume(clock, 13.0, epoch=50 * 15 * 4, fps=15, lead=2.0) is clock
    # The visitor came back after a minute away: the clock starts again from the run's epoch.
    assert play.resume(clock, 70.0, epoch=3000, fps=15, lead=2.0) == play.Clock(70.0, 3000, 50)


def test_pausing_takes_the_run_back_to_the_frame_on_screen():
    run = xor.step(xor.new_run(MLP), 300)
    at_120 = run.history[120].copy()
    play.rewind(run, 120)
    assert run.epoch == 120 and np.array_equal(run.params, at_120)
    assert np.array_equal(run.params, xor.step(xor.new_run(MLP), 120).params)
    xor.step(run, 1)  # and it trains on from there, as if it had stopped at 120
    assert np.array_equal(run.params, xor.step(xor.new_run(MLP), 121).params)
    play.rewind(run, 500)  # an epoch it has not reached (or a browser's nonsense) changes nothing
    play.rewind(run, -3)
    assert run.epoch == 121


def test_a_divergence_ahead_of_the_paused_frame_is_met_again():
    run = xor.step(xor.new_run(MLP), 50)
    run.diverged = xor.Divergence(51, "loss", float("nan"))  # as if step 51 had broken
    play.rewind(run, 20)
    assert run.diverged is None and run.epoch == 20


def test_a_frame_is_the_run_at_that_epoch_with_the_pages_readings():
    run = xor.step(xor.new_run(MLP), 5000)
    frame = charts.frame(run, 5000)
    assert frame["epoch"] == 5000 and frame["solved"] is True
    assert frame["readings"] == ledger.readings(ledger.ledger(run), 5000)
    assert frame["readings"] == {"epoch": "5,000", "loss": "0.000236", "predictions": "0.01 0.98 0.98 0.02"}
    assert frame["params"] == pytest.approx(run.params.tolist(), rel=1e-3)
    assert charts.frame(run, 0)["readings"]["loss"] == "0.2672" and charts.frame(run, 0)["solved"] is False


def test_the_layout_names_each_weight_and_bias_by_its_place_in_the_parameters():
    names = xor.parameter_names(MLP)
    plan = charts.layout(MLP)
    assert [[n["name"] for n in column] for column in plan["nodes"]] == [["x₁", "x₂"], ["h1", "h2", "h3", "h4"], ["y"]]
    assert [names[n["bias"]] for n in plan["nodes"][1]] == ["b1[0]", "b1[1]", "b1[2]", "b1[3]"]
    assert names[plan["nodes"][2][0]["bias"]] == "b2[0]" and plan["nodes"][0][0]["bias"] is None
    assert {(tuple(e["source"]), tuple(e["target"])): names[e["param"]] for e in plan["edges"]} == {
        **{((0, i), (1, j)): f"W1[{i},{j}]" for i in range(2) for j in range(4)},
        **{((1, j), (2, 0)): f"W2[{j},0]" for j in range(4)}}
    tutorial = charts.layout(state.TUTORIAL_DEFAULTS)
    assert [[n["name"] for n in column] for column in tutorial["nodes"]] == [["x₁", "x₂"], ["y"]]
    assert [xor.parameter_names(state.TUTORIAL_DEFAULTS)[e["param"]] for e in tutorial["edges"]] == [
        "weights[0,0]", "weights[1,0]"]


def test_the_view_gets_history_only_when_paused_and_stays_small():
    run = xor.step(xor.new_run(MLP), 2000)
    labels = {"play": "▶"}
    paused = charts.view_data(run, 3, [charts.frame(run, 2000)], False, labels, fps=12, answered=2)
    assert paused["run"] == 3 and paused["answered"] == 2 and paused["can_play"] is True
    assert paused["colours"] == {"negative": colours.NEGATIVE, "middle": colours.MIDDLE, "positive": colours.POSITIVE,
                                 "series": colours.SERIES}
    assert paused["ranges"] == {"hidden": [-1.0, 0.0, 1.0], "output": [0.0, 0.5, 1.0]}
    assert paused["history"]["epochs"] == list(range(0, 2001, 10))
    assert len(paused["history"]["params"]) == len(xor.parameter_names(MLP))
    assert paused["history"]["params"][-1] == pytest.approx(run.params_history[::10, -1].tolist(), rel=1e-3)
    assert len(json.dumps(paused)) < 60_000
    clock = play.Clock(0.0, 0, 50)
    frames = [charts.frame(run, e, summary=play.summarised(clock, e))
              for e in play.plan(clock, 0.5, 100_000).epochs if e <= 2000]
    assert len(frames) == 37  # from Play to 2 s ahead of the frame due, at 15 a second
    # The charts' summaries once a second: frame 15 and 30 after Play (epochs 750 and 1,500).
    assert [f["epoch"] for f in frames if "summary" in f] == [750, 1500]
    playing = charts.view_data(run, 3, frames, True, labels, fps=12, answered=2)
    # A tick: ~12 kB, 0.3 kB a frame and 0.5 kB a frame's summaries.
    assert playing["history"] is None and len(json.dumps(playing)) < 13_000
    assert playing["colours"]["series"] is None  # the view keeps the series' colours of its paused data
    done = xor.step(xor.new_run(MLP), MLP.epochs)
    assert charts.view_data(done, 1, [], False, labels, 12, 0)["can_play"] is False


def test_the_view_runs_the_network_as_numpy_does():
    """The view's forward pass (view.js) follows `layout`; here the same walk in Python against network.forward."""
    run = xor.step(xor.new_run(MLP), 700)
    plan = charts.layout(MLP)
    points = np.array([[0.3, -0.2], [1.4, 0.9]])

    def walk(x):
        outputs = [list(x)]
        for c, column in enumerate(plan["nodes"][1:], start=1):
            f = np.tanh if c < len(plan["nodes"]) - 1 else xor.sigmoid
            outputs.append([f(run.params[node["bias"]] + sum(run.params[e["param"]] * outputs[c - 1][e["source"][1]]
                                                             for e in plan["edges"] if e["target"] == [c, row]))
                            for row, node in enumerate(column)])
        return outputs[-1][0]

    expected = xor.forward(MLP, run.params, points)[-1][1][:, 0]
    assert [walk(p) for p in points] == pytest.approx(expected.tolist(), rel=1e-12)
