"""Presentation mode on a classroom projector (1280 × 720, `?present=1`): on every page the main control and the
whole of the main chart (legend and axis labels included) are on the first screen, in both languages, so that the
teacher never scrolls while the class watches.

Boxes are read where the page opens, without scrolling. The drawing pad and the /xor view draw in their own shadow
roots, which Playwright's CSS locators enter.
"""

from __future__ import annotations

import pytest

from dlplay import i18n

from .helpers import device_page, stroke, wait_for_app, wait_for_charts, wait_until_still

pytestmark = pytest.mark.slow

WIDTH, FOLD = 1280, 720
PLOT = ".js-plotly-plot"
MAIN_BLOCK = "[data-testid=stMainBlockContainer] "  # the page itself, not the (folded) sidebar
# page: (its main controls, its main charts), as CSS selectors of the page's first visible match (every match of
# a page link); each must be whole on the first screen.
MAIN = {
    "": ([MAIN_BLOCK + "[data-testid=stPageLink]"], []),  # the way into each lesson
    # The neuron's five sliders (the fifth is the last) and its activation function, beside its chart.
    "activations": ([MAIN_BLOCK + "[data-testid=stSlider] >> nth=4", MAIN_BLOCK + "[data-testid=stSelectbox]"],
                    [PLOT]),
    "xor": ([MAIN_BLOCK + "[data-testid=stButton] button", "button.play"],
            ["figure.boundary", "figure.network", "figure.loss"]),
    "digits": (["canvas", "button.undo", "button.clear"], [MAIN_BLOCK + "[data-testid=stMetric]"]),
    # Train, and the note where the curves will be (a run's curves: test_the_curves_of_a_run_...).
    "digits-training": ([MAIN_BLOCK + "[data-testid=stButton] button"], [MAIN_BLOCK + "[data-testid=stAlert]"]),
    "text": ([".live-input input", MAIN_BLOCK + "[data-testid=stMetric]"], [PLOT]),
    "class": ([MAIN_BLOCK + "[data-testid=stButton] button"], []),
}


@pytest.fixture(scope="module")
def projector(browser, app_url):
    with device_page(browser, app_url, viewport={"width": WIDTH, "height": FOLD}) as page:
        yield page


def present(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    # The components and charts lay themselves out after the script has run: until they are drawn and stay put.
    wait_for_charts(page)
    wait_until_still(page)


def off_screen(page, selectors: list[str]) -> list[str]:
    """The elements of `selectors` (the first of each, or every page link) not whole on the first screen."""
    missing = []
    for selector in selectors:
        found = page.locator(selector).filter(visible=True)
        found.first.wait_for(state="visible")
        elements = found.all() if selector.endswith("stPageLink]") else [found.first]
        for element in elements:
            box = element.bounding_box()
            if not (box and box["y"] >= 0 and box["x"] >= 0 and box["y"] + box["height"] <= FOLD
                    and box["x"] + box["width"] <= WIDTH):
                missing.append(f"{selector}: {box and {k: round(v) for k, v in box.items()}}")
    return missing


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("path", list(MAIN), ids=[path or "home" for path in MAIN])
def test_the_main_control_and_chart_are_above_the_fold(projector, app_url, path, lang):
    present(projector, f"{app_url}/{path}?lang={lang}&present=1")
    assert projector.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop") == 0
    controls, charts = MAIN[path]
    assert off_screen(projector, controls + charts) == []


def test_the_reading_of_a_drawing_stays_on_the_first_screen(projector, app_url):
    """/digits after a stroke: the Prediction and its probability bars stay beside the canvas."""
    present(projector, f"{app_url}/digits?lang=zh&present=1")
    box = projector.locator("canvas").first.bounding_box()
    x, y, side = box["x"], box["y"], box["width"]
    stroke(projector, [(x + side * 0.5, y + side * (0.15 + 0.07 * i)) for i in range(11)])  # a 1
    projector.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetricValue]')].some(v => v.innerText.trim() !== '—')")
    wait_for_app(projector)
    bars = "[data-testid=stMarkdownContainer]:has(div[style*='transition'])"
    assert off_screen(projector, [MAIN_BLOCK + "[data-testid=stMetric]", bars]) == []


def test_the_curves_of_a_run_are_on_the_first_screen(projector, app_url):
    """/digits-training: the curves of a small run (the sample's 1,000 images, one epoch), read once it has ended
    (the results then come below them)."""
    present(projector, f"{app_url}/digits-training?lang=en&present=1&train_size=1000")
    projector.get_by_role("button", name=i18n.text("en", "digits_training.train"), exact=True).click()
    projector.get_by_text(i18n.text("en", "digits_training.test_accuracy"), exact=True).wait_for(timeout=180_000)
    wait_for_app(projector)
    # Both charts drawn (a chart has two or three .main-svg layers, so their count alone says too little).
    projector.wait_for_function(f"[...document.querySelectorAll('{PLOT}')].filter(p => p.querySelector('.main-svg'))"
                                ".length >= 2", timeout=120_000)
    wait_until_still(projector)
    assert off_screen(projector, [f"{PLOT} >> nth=0", f"{PLOT} >> nth=1"]) == []


def test_the_title_row_answers_under_the_see_through_header(projector, app_url):
    """The title row sits under Streamlit's header (transparent in presentation mode): a click on the top of the
    folded introduction beside the title opens it, and the header's own button still opens the sidebar."""
    present(projector, f"{app_url}/xor?lang=en&present=1")
    header = projector.locator("[data-testid=stHeader]").bounding_box()
    summary = projector.locator(MAIN_BLOCK + "[data-testid=stExpander] summary").first
    box = summary.bounding_box()
    assert box["y"] + 4 < header["y"] + header["height"]  # the point clicked is inside the header's box
    projector.mouse.click(box["x"] + box["width"] / 2, box["y"] + 4)
    projector.wait_for_function("() => document.querySelector('[data-testid=stMainBlockContainer] "
                                "[data-testid=stExpander] details').open")
    projector.locator("[data-testid=stExpandSidebarButton]").click()
    projector.wait_for_function("() => document.querySelector('[data-testid=stSidebar]')"
                                ".getBoundingClientRect().left >= 0")
