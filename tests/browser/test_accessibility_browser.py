"""axe-core (WCAG 2.1 A and AA rules) on every page, in both languages, as Chromium shows it: no critical and no
serious violation of ours.

axe-core comes from PyPI's axe-playwright-python, which ships axe.min.js as the npm registry publishes it. The
sidebar's page navigation is Streamlit's own (its `list`/`listitem` structure) and is left out.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import wait_for_app, wait_for_charts, wait_until_still

pytestmark = pytest.mark.slow

PAGES = ["", "activations", "xor", "digits", "digits-training", "text", "class"]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}
STREAMLITS_OWN = {"exclude": [["[data-testid=stSidebarNav]"]]}


def violations(page) -> list[str]:
    """The critical and serious violations on `page` as it stands, one line each: rule, impact, where, what."""
    found = Axe().run(page, context=STREAMLITS_OWN, options=WCAG_AA).response["violations"]
    return [f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary'][:160]!r}"
            for v in found if v["impact"] in ("critical", "serious") for node in v["nodes"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_violation_on_any_page(browser, served, path, lang):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{served}/{path}?lang={lang}")
        wait_for_app(page)
        wait_for_charts(page)
        wait_until_still(page)  # a re-run's elements are drawn faded until it ends: axe would read them so
        assert violations(page) == []
    finally:
        context.close()


def test_the_check_finds_a_violation(browser, served):
    """The same check on a page given an image without a text alternative and grey text on white: both found."""
    page = browser.new_page()
    try:
        page.goto(f"{served}/?lang=en")
        wait_for_app(page)
        page.evaluate("""() => {
            const main = document.querySelector('[data-testid=stMainBlockContainer]');
            main.insertAdjacentHTML('afterbegin', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                + '<p style="color: #aaaaaa; background: #ffffff">pale text</p>');
        }""")
        found = " ".join(violations(page))
        assert "image-alt (critical)" in found and "color-contrast (serious)" in found
    finally:
        page.close()
