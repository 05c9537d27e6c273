"""Lesson 2 in headless Chromium: step, play, pause, reset, and the ledger follows, in both languages."""

from urllib.parse import parse_qs, urlparse

import pytest

from dlplay import i18n
from dlplay.xor import ledger, network as xor, state

from .helpers import click, metric_value, wait_for_app


def epoch(page, lang) -> int:
    return int(metric_value(page, i18n.text(lang, "xor.epoch")).replace(",", ""))


def loss_after(epochs: int) -> str:
    """The loss the page shows after `epochs` epochs of the MLP's defaults."""
    run = xor.step(xor.new_run(state.MLP_DEFAULTS), epochs)
    return ledger.readings(ledger.ledger(run), epochs)["loss"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_step_play_pause_reset(page, app_url, lang):
    page.goto(f"{app_url}/xor?lang={lang}&model=mlp")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == i18n.text(lang, "xor.title")
    assert epoch(page, lang) == 0
    assert metric_value(page, i18n.text(lang, "xor.loss_now")) == loss_after(0) == "0.2672"
    before = page.locator(".katex-html").all_inner_texts()

    click(page, "+1")
    page.wait_for_function("([label]) => [...document.querySelectorAll('[data-testid=stMetric]')]"
                           ".some(m => m.innerText.includes(label) && /\\n1$/.test(m.innerText.trim()))",
                           arg=[i18n.text(lang, "xor.epoch")])
    wait_for_app(page)
    assert epoch(page, lang) == 1
    assert metric_value(page, i18n.text(lang, "xor.loss_now")) == loss_after(1)
    assert page.locator(".katex-html").all_inner_texts() != before  # the ledger's numbers moved

    click(page, i18n.text(lang, "xor.play"))
    page.wait_for_timeout(2500)
    playing_at = epoch(page, lang)
    assert playing_at > 1
    click(page, i18n.text(lang, "xor.pause"))
    page.wait_for_selector("[data-testid='stButton'] button:has-text('%s')" % i18n.text(lang, "xor.play"))
    wait_for_app(page)
    paused_at = epoch(page, lang)
    page.wait_for_timeout(1500)
    assert epoch(page, lang) == paused_at

    click(page, i18n.text(lang, "xor.reset"))
    page.wait_for_timeout(500)
    wait_for_app(page)
    assert epoch(page, lang) == 0
    assert metric_value(page, i18n.text(lang, "xor.loss_now")) == "0.2672"
    assert parse_qs(urlparse(page.url).query) == {"lang": [lang], "model": ["mlp"]}
