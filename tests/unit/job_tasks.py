"""Task functions for the tests of the training line (dlplay.jobs): quick, without TensorFlow, and importable by a
`dlplay worker` started from the checkout."""

from __future__ import annotations

import time

from dlplay.jobs import STOPPED


def started(payload: dict, reporter) -> dict:
    """Says when it started, published and returned: the order in which the line ran its tasks."""
    at = time.time()
    reporter.publish(started=at)
    return {"started": at, "name": payload["name"]}


def until_stopped(payload: dict, reporter) -> dict:
    """Runs until Stop is asked, publishing how many times it looked."""
    looks = 0
    while not reporter.stop_asked():
        looks += 1
        reporter.publish(looks=looks)
        time.sleep(0.01)
    return {"status": STOPPED, "looks": looks}


def failing(payload: dict, reporter) -> dict:
    raise RuntimeError("no such layer")
