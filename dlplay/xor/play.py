"""Play mode on /xor: the server trains ahead and sends a run of frames; the browser shows them by its own clock.

A frame is the network after `speed` more epochs. Redrawing the page's charts on the server for every
frame gave 1.45 frames a second in Chromium (bench/bench_xor_play.py): each frame was a script run, and
five Plotly charts laid out again. Here the server wakes every TICK_SECONDS, trains as far as the
next LEAD_SECONDS of frames need, and sends their numbers (a few kB); the page's view
(ui/components/xor_view/) draws them at FRAMES_PER_SECOND, pausing at once where it is, and tells the server the
frame it paused on (`rewind`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dlplay.xor.numpy_net import Run

FRAMES_PER_SECOND = 15
TICK_SECONDS = 0.5  # how often the server sends the next frames while playing
# Frames sent ahead of what is due on screen: a tick that comes late (a server busy with a training run
# answered ticks up to ~2 s late, bench_xor_play.py) does not stall the picture.
LEAD_SECONDS = 2.0
# While playing, one frame in this many carries its charts' summaries (dlplay/xor/summaries.py), so that they follow
# the picture once a second: a text that changed 15 times a second would be read by no one, and would treble a tick.
SUMMARY_EVERY = FRAMES_PER_SECOND


@dataclass(frozen=True)
class Clock:
    """When play started (time.monotonic()), at which epoch, and how many epochs a frame trains."""

    started: float
    epoch: int
    speed: int


@dataclass(frozen=True)
class Plan:
    train_to: int  # the epoch the run must reach for the frames sent now
    epochs: list[int]  # the epoch of each frame to send, oldest first
    finished: bool  # the last frame is due on screen: play stops


def plan(clock: Clock, now: float, end: int, fps: float = FRAMES_PER_SECOND, lead: float = LEAD_SECONDS,
         behind: float = TICK_SECONDS) -> Plan:
    """What a tick at `now` sends: frame k (k = 1, 2, ...) is the run at epoch clock.epoch + k·speed, due on screen
    k/fps seconds after Play. Sent: the frames due from `behind` seconds ago (for a browser a little late) to
    `lead` seconds ahead; none past `end`, and `end` itself as the last frame when it is not on the beat."""
    elapsed = max(0.0, now - clock.started)
    due, ahead = math.floor(elapsed * fps), math.floor((elapsed + lead) * fps)
    train_to = min(clock.epoch + ahead * clock.speed, end)
    first = max(1, due - math.floor(behind * fps))
    epochs = [e for e in (clock.epoch + k * clock.speed for k in range(first, ahead + 1)) if e <= train_to]
    if train_to == end > clock.epoch and (not epochs or epochs[-1] != end):
        epochs.append(end)
    return Plan(train_to, epochs, finished=clock.epoch + due * clock.speed >= end)


def summarised(clock: Clock, epoch: int, every: int = SUMMARY_EVERY) -> bool:
    """Whether the frame of `epoch` carries its charts' summaries while playing: frame k after Play, k = 0, every,
    2·every, ...; each summary names its own epoch."""
    return (epoch - clock.epoch) // clock.speed % every == 0


def resume(clock: Clock, now: float, epoch: int, fps: float = FRAMES_PER_SECOND, lead: float = LEAD_SECONDS) -> Clock:
    """The clock, started again from `epoch` (where the run is) if the run has fallen more than another `lead` behind
    what a tick would send: the visitor was on another page, or the server was held up for seconds. Play then goes
    on from there rather than training through the missed seconds at once and jumping ahead."""
    wanted = clock.epoch + math.floor((max(0.0, now - clock.started) + lead) * fps) * clock.speed
    return Clock(now, epoch, clock.speed) if wanted - epoch > 2 * lead * fps * clock.speed else clock


def rewind(run: Run, epoch: int) -> Run:
    """Take `run` back to an epoch it has passed (the frame a visitor paused on), from its own history.

    A divergence it had met is forgotten: it lies ahead again, and stepping on finds it again.
    """
    if 0 <= epoch < run.epoch:
        run.epoch, run.diverged = epoch, None
        run.params[:] = run.history[epoch]
    return run
