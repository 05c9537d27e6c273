"""§2 in headless Chromium: step, play, pause, reset, and the ledger follows, in both languages; the view
draws the network numpy trains, and pausing keeps the frame on screen."""

import json
from urllib.parse import parse_qs, urlparse

import pytest

from dlplay import i18n
from dlplay.xor import ledger, state
from dlplay.xor import numpy_net as xor

from .helpers import click, wait_for_app

pytestmark = pytest.mark.slow

VIEW = ".xor-view"  # the live view (ui/components/xor_view/); Playwright's CSS reaches into its shadow root


def reading(page, name: str) -> str:
    return page.locator(f"{VIEW} dd[data-reading={name}]").inner_text()


def epoch(page) -> int:
    return int(reading(page, "epoch").replace(",", ""))


def wait_for_epoch(page, n: int) -> None:
    page.wait_for_function("n => [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]"
                           ".some(h => h.shadowRoot && h.shadowRoot.querySelector('.xor-view')?.dataset.epoch == n)",
                           arg=n)


def loss_after(epochs: int) -> str:
    """The loss the page shows after `epochs` epochs of the MLP's defaults."""
    run = xor.step(xor.new_run(state.MLP_DEFAULTS), epochs)
    return ledger.readings(ledger.ledger(run), epochs)["loss"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_step_play_pause_reset(page, app_url, lang):
    page.goto(f"{app_url}/xor?lang={lang}&model=mlp")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == i18n.text(lang, "xor.title")
    wait_for_epoch(page, 0)
    assert reading(page, "loss") == loss_after(0) == "0.2672"
    assert page.locator(f"{VIEW} .loss .empty").inner_text() == i18n.text(lang, "xor.chart.empty_loss")
    before = page.locator(".katex-html").all_inner_texts()

    click(page, "+1")
    wait_for_epoch(page, 1)
    wait_for_app(page)
    assert reading(page, "loss") == loss_after(1)
    assert page.locator(f"{VIEW} .loss canvas").is_visible()  # a curve from epoch 0 to 1 now, not the sentence
    assert page.locator(".katex-html").all_inner_texts() != before  # the ledger's numbers moved

    play = page.locator(f"{VIEW} button.play")
    assert play.inner_text() == i18n.text(lang, "xor.play")
    play.click()
    assert play.inner_text() == i18n.text(lang, "xor.pause")  # at once, before the server has heard of it
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]"
                           ".some(h => h.shadowRoot"
                           " && Number(h.shadowRoot.querySelector('.xor-view')?.dataset.epoch) > 1)")
    assert epoch(page) > 1
    play.click()
    assert play.inner_text() == i18n.text(lang, "xor.play")
    paused_at = epoch(page)
    page.wait_for_selector(f"{VIEW}[data-server-playing=false]")
    wait_for_app(page)
    # Bounded on purpose: the check is that the frame stays put, and a late frame that never comes gives no event to
    # await; the view would show one within a second (it plays at 15 frames a second).
    page.wait_for_timeout(1000)
    assert epoch(page) == paused_at  # the frame on screen when Pause was pressed, and the run went back to it
    assert reading(page, "loss") == loss_after(paused_at)
    sample = page.locator("[data-testid='stButtonGroup']").filter(has_text="[0,1]")
    assert sample.is_visible()  # the ledger is back, for that epoch

    click(page, i18n.text(lang, "xor.reset"))
    wait_for_epoch(page, 0)
    wait_for_app(page)
    assert reading(page, "loss") == "0.2672"
    assert parse_qs(urlparse(page.url).query) == {"lang": [lang], "model": ["mlp"]}


def test_the_view_runs_the_network_numpy_trained(page, app_url):
    """The view draws the output over the input square from the frame's parameters (view.js): at the four
    XOR points it gives what numpy's forward pass gives."""
    page.goto(f"{app_url}/xor?lang=en&model=mlp&hidden=3&activation=relu&seed=7")
    wait_for_app(page)
    click(page, "+100")
    wait_for_epoch(page, 100)
    settings = xor.Config(model="mlp", hidden=3, activation="relu", lr=0.5, epochs=5000, seed=7, init="xavier")
    expected = xor.step(xor.new_run(settings), 100).predictions[100]
    corners = json.loads(page.locator(VIEW).get_attribute("data-corners"))
    assert corners == pytest.approx(expected.tolist(), abs=1e-3)  # the view's parameters have 4 digits
    assert reading(page, "predictions") == " ".join(f"{p:.2f}" for p in expected)
