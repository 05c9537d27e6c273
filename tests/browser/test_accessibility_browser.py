"""axe-core (WCAG 2.1 A and AA rules) on every page, in both languages, as Chromium shows it: no critical and no
serious violation of ours.

axe-core comes from PyPI's axe-playwright-python, which ships axe.min.js as the npm registry publishes it. The
sidebar's page navigation is Streamlit's own (its `list`/`listitem` structure) and is left out.

Every page, and /digits after a drawing, is checked in test_language_browser.py, in the visit its language check
makes (axe.checked, on the page as it opens): each page load costs seconds of Chromium's CPU.
"""

from __future__ import annotations

import pytest

from dlplay import i18n

from .axe import checked, violations
from .helpers import class_server_in, metric_value, wait_for_app

pytestmark = pytest.mark.slow

def test_no_serious_violation_on_the_teachers_screen_with_a_class(browser, tmp_path):
    """The teacher's screen with students, their drawings on the wall, a wrong one, and the QR code."""
    import numpy as np

    from dlplay.classroom import schema
    from dlplay.classroom.limits import RateLimiter
    from dlplay.classroom.store import Store

    with class_server_in(tmp_path) as url:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
        page = context.new_page()
        page.set_default_timeout(60_000)
        store = Store(schema.database_url(), limiter=RateLimiter({}))
        try:
            page.goto(f"{url}/class?lang=en")
            wait_for_app(page)
            page.get_by_role("button", name=i18n.text("en", "classroom.start")).click()
            page.get_by_text(i18n.text("en", "classroom.here"), exact=True).wait_for()
            assert checked(page) == []  # the large invitation, its QR code
            code = metric_value(page, i18n.text("en", "classroom.code"))
            image = np.zeros((28, 28), np.uint8)
            image[5:23, 13:16] = 255
            for name, right in (("Ada", True), ("Bo", False)):
                student = store.join(code, f"seat-{name}", name)
                drawing = store.add_drawing(code, student.id, image, 1 if right else 7, 0.9, [0.1] * 10, "ours")
                store.mark_drawing(code, student.id, drawing, right, None if right else 1)
            page.locator(".st-key-classroom_wall [data-testid=stImage] img").nth(1).wait_for(timeout=15_000)
            assert checked(page) == []
        finally:
            store.close()
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
