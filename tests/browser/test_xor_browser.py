"""§2 in headless Chromium: step, play, pause, reset, and the ledger follows, in both languages; the view
draws the network numpy trains, and pausing keeps the frame on screen."""

import json
from urllib.parse import parse_qs, urlparse

import pytest

from dlplay import i18n
from dlplay.xor import charts, ledger, state
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


def summary_text(run, epoch: int, chart: str, lang: str) -> str:
    """The sentence under `chart` for the run's frame `epoch`: its numbers in the catalogue's sentence."""
    frame = charts.frame(run, epoch)
    numbers = frame["summary"][chart]
    key = {"boundary": f"xor.chart.boundary.summary.{numbers.get('kind')}"}.get(chart, f"xor.chart.{chart}.summary")
    return i18n.text(lang, key).format(**frame["readings"], **numbers)


def summary(page, chart: str) -> str:
    return page.locator(f"{VIEW} p[data-summary={chart}]").inner_text()


def test_the_charts_say_their_numbers_for_the_frame_shown(page, app_url):
    """Under each chart its numbers as text: for the frame on screen, paused; while playing, once a second."""
    page.goto(f"{app_url}/xor?lang=zh&model=mlp")
    wait_for_app(page)
    wait_for_epoch(page, 0)
    run = xor.new_run(state.MLP_DEFAULTS)
    assert summary(page, "boundary") == summary_text(run, 0, "boundary", "zh")
    assert summary(page, "hidden") == summary_text(run, 0, "hidden", "zh")
    assert not page.locator(f"{VIEW} p[data-summary=loss]").is_visible()  # no curve yet: the chart says so instead

    click(page, "+10")
    wait_for_epoch(page, 10)
    xor.step(run, 10)
    for chart in ("boundary", "hidden", "loss", "weights", "network"):
        assert summary(page, chart) == summary_text(run, 10, chart, "zh")

    before = summary(page, "boundary")
    play = page.locator(f"{VIEW} button.play")
    play.click()
    page.wait_for_function("before => [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]"
                           ".some(h => { const p = h.shadowRoot?.querySelector('.xor-view p[data-summary=boundary]');"
                           " return p && p.textContent && p.textContent !== before; })", arg=before)
    play.click()
    page.wait_for_selector(f"{VIEW}[data-server-playing=false]")
    wait_for_app(page)
    paused_at = epoch(page)
    xor.run_to(run, paused_at)
    assert summary(page, "loss") == summary_text(run, paused_at, "loss", "zh")
    assert summary(page, "boundary") == summary_text(run, paused_at, "boundary", "zh")
