"""The /digits drawing surface in headless Chromium, as students use it: mouse, finger, phone and tablet.

- A stroke may start on any pixel of the canvas, corners and edges included, with the mouse pressed there
  at once (no hover first) or with a finger, and it is drawn and read.
- On a phone and a tablet, digits drawn by touch are read right; the canvas is square and on screen; the page
  neither scrolls nor zooms under the finger; the Prediction is in view beside or under the canvas.
- The reading follows a stroke while the pen is still down.
"""

from __future__ import annotations

import pytest

from dlplay import i18n
from dlplay.digits.strokes import CANVAS, HANDS, transform

from .helpers import device_stroke, metric_value, wait_for_app, wait_for_prediction, wait_until_still

pytestmark = pytest.mark.slow

LANG = "en"
PREDICTION = i18n.text(LANG, "digits.prediction")

# Where strokes start, as fractions of the canvas side: the four corners, the middle of each edge, and the top
# band on the right, where the old canvas component's hidden toolbar swallowed them.
STARTS = {
    "top left": (0.005, 0.005), "top right": (0.995, 0.005), "bottom left": (0.005, 0.995),
    "bottom right": (0.995, 0.995), "top": (0.5, 0.005), "left": (0.005, 0.5), "right": (0.995, 0.5),
    "bottom": (0.5, 0.995), "top band": (0.8, 0.04),
}
# How far the page has scrolled (Streamlit scrolls its main block, not the window) and zoomed.
VIEW = """() => ({window: window.scrollY, main: document.querySelector('[data-testid=stMain]').scrollTop,
                  zoom: window.visualViewport.scale})"""


def canvas_box(page) -> dict:
    return page.locator("canvas").first.bounding_box()


def ink_at(page, u: float, v: float) -> int:
    """The canvas's brightness (0-255) at the fractions (u, v) of its side: what the student sees drawn there."""
    return page.evaluate("""([u, v]) => {
        const c = [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]
          .map(host => host.shadowRoot?.querySelector('canvas')).find(Boolean);
        const x = Math.min(c.width - 1, Math.floor(u * c.width)), y = Math.min(c.height - 1, Math.floor(v * c.height));
        return c.getContext('2d').getImageData(x, y, 1, 1).data[0]; }""", [u, v])


def clear(page) -> None:
    page.get_by_role("button", name=i18n.text(LANG, "digits.pad.clear")).click()
    wait_for_prediction(page, LANG, "—")
    wait_for_app(page)


def digit(label: int, box: dict) -> list[list[tuple[float, float]]]:
    """The strokes of one hand-drawn `label` (dlplay/digits/strokes.py), in page pixels on the canvas `box`."""
    scale = box["width"] / CANVAS
    return [[(box["x"] + x * scale, box["y"] + y * scale) for x, y in path]
            for path in transform(HANDS[label][0], 200, (CANVAS / 2, CANVAS / 2))]


def on_screen(box: dict, viewport: dict) -> bool:
    return (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= viewport["width"]
            and box["y"] + box["height"] <= viewport["height"])


@pytest.fixture
def touch_page(people, request):
    """A page on a touch screen: (width, height) from the test's parameter, as a phone or tablet reports itself."""
    width, height = request.param
    return people.page(width, height, timeout=30_000, is_mobile=True, has_touch=True, device_scale_factor=2)


@pytest.fixture
def desktop_touch_page(people):
    """A laptop with a touch screen: the mouse and a finger on the same canvas."""
    return people.page(timeout=30_000, has_touch=True)


@pytest.mark.parametrize("device", ["mouse", "touch"])
def test_a_stroke_may_start_anywhere_on_the_canvas(desktop_touch_page, app_url, device):
    page = desktop_touch_page
    page.goto(f"{app_url}/digits?lang={LANG}")
    wait_for_app(page)
    box, cdp = canvas_box(page), page.context.new_cdp_session(page)
    missed = []
    for where, (u, v) in STARTS.items():
        # From the start point two thirds of the way to the middle, pressed down right there.
        path = [(box["x"] + box["width"] * (u + (0.5 - u) * k / 12),
                 box["y"] + box["height"] * (v + (0.5 - v) * k / 12))
                for k in range(9)]
        device_stroke(page, path, device, cdp=cdp)
        page.wait_for_function("([label]) => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => "
                               "m.innerText.includes(label) && !m.innerText.includes('—'))", arg=[PREDICTION])
        if ink_at(page, u, v) < 200:
            missed.append(where)
        clear(page)
    assert missed == []


@pytest.mark.parametrize("touch_page", [(390, 844), (820, 1180)], ids=["phone", "tablet"], indirect=True)
def test_digits_drawn_by_touch_on_a_phone_and_a_tablet(touch_page, app_url):
    page = touch_page
    viewport = page.viewport_size
    page.goto(f"{app_url}/digits?lang={LANG}")
    wait_for_app(page)
    box = canvas_box(page)
    assert abs(box["width"] - box["height"]) <= 1 and box["width"] >= 260, box
    assert on_screen(box, viewport), (box, viewport)
    metric = page.locator("[data-testid=stMetric]").filter(has=page.get_by_text(PREDICTION, exact=True))
    assert on_screen(metric.bounding_box(), viewport), "the Prediction is not in view beside or under the canvas"
    view = page.evaluate(VIEW)
    assert view["zoom"] == 1
    page.evaluate("""() => { window.scrolls = 0; document.querySelector('[data-testid=stMain]')
        .addEventListener('scroll', () => window.scrolls++); """
                  "window.addEventListener('scroll', () => window.scrolls++); }")
    cdp = page.context.new_cdp_session(page)
    read = {}
    for label in range(10):
        for path in digit(label, box):
            device_stroke(page, path, "touch", pause_ms=8, cdp=cdp)
        wait_for_app(page)
        read[label] = metric_value(page, PREDICTION)
        assert page.evaluate(VIEW) == view and page.evaluate("window.scrolls") == 0, f"the page moved drawing {label}"
        assert on_screen(metric.bounding_box(), viewport)
        clear(page)
    right = [label for label, shown in read.items() if shown == str(label)]
    assert len(right) >= 9, read
    assert canvas_box(page) == box


@pytest.mark.parametrize("touch_page", [(360, 740)], ids=["small phone"], indirect=True)
def test_the_canvas_is_square_on_screen_and_as_large_as_fits_at_every_width(touch_page, app_url):
    page = touch_page
    page.goto(f"{app_url}/digits?lang={LANG}")
    wait_for_app(page)
    for width, height in [(360, 740), (390, 844), (412, 915), (600, 960), (820, 1180), (1024, 768), (1440, 900)]:
        page.set_viewport_size({"width": width, "height": height})
        wait_until_still(page, "canvas")  # the pad refits on the resize: until its canvas keeps one box
        box = canvas_box(page)
        assert abs(box["width"] - box["height"]) <= 1, (width, box)
        assert on_screen(box, {"width": width, "height": height}), (width, box)
        assert box["width"] >= (260 if width < 640 else 240), (width, box)


def test_the_reading_follows_a_held_stroke_before_the_pen_lifts(page, app_url):
    """A 6 drawn in one two-second stroke: it starts as a "1" and the reading says so while the pen is down,
    then turns to 6, all before the pen lifts (strokes.HANDS[6][1] reads 1 for its first half, then 6)."""
    page.goto(f"{app_url}/digits?lang={LANG}")
    wait_for_app(page)
    page.evaluate("""() => { window.readings = []; window.lifted = false;
        window.addEventListener('pointerup', () => { window.lifted = true; }, true);
        new MutationObserver(() => { const value = document.querySelector('[data-testid=stMetricValue]');
            if (value && !window.lifted) window.readings.push(value.innerText.trim()); })
        .observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    box = canvas_box(page)
    scale = box["width"] / CANVAS
    (path,) = transform(HANDS[6][1], 200, (CANVAS / 2, CANVAS / 2))
    points = [(box["x"] + x * scale, box["y"] + y * scale) for x, y in path]
    started = page.evaluate("performance.now()")
    device_stroke(page, points, "mouse", pause_ms=2000 / len(points))
    assert page.evaluate("performance.now()") - started >= 2000
    seen = page.evaluate("window.readings")
    readings = [r for k, r in enumerate(seen) if k == 0 or r != seen[k - 1]]
    assert "1" in readings and "6" in readings[readings.index("1"):], readings
    assert wait_for_prediction(page, LANG, "6").startswith("6")
