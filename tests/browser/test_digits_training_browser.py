"""§3.1 (/digits-training) in headless Chromium: the curves move while a run trains, Stop keeps a usable
model, and a visitor's model is theirs alone (two browser contexts); on a tablet the settings are a finger's size."""

import re

import pytest

from dlplay import i18n

from .helpers import home_first, metric_value, stroke, wait_for_app, wait_until_still

pytestmark = pytest.mark.slow

PROGRESS = "document.querySelector('[data-testid=stProgress]')"
POINTS = "(document.querySelector('.js-plotly-plot') || {data: [{x: []}]}).data[0].x.length"


def live_state(page) -> tuple[str, int]:
    return page.evaluate(f"[({PROGRESS} || {{}}).innerText || '', {POINTS}]")


def train(page, lang):
    page.get_by_role("button", name=i18n.text(lang, "digits_training.train"), exact=True).click()


def wait_for_results(page, lang, timeout=180_000):
    label = i18n.text(lang, "digits_training.test_accuracy")
    page.wait_for_function(
        "label => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => m.innerText.includes(label))",
        arg=label, timeout=timeout)
    wait_for_app(page)
    return float(metric_value(page, label).rstrip("%"))


def draw_a_one(page):
    box = page.locator("canvas").last.bounding_box()
    x, y = box["x"], box["y"]
    stroke(page, [(x + 140, y + 40), (x + 140, y + 140), (x + 140, y + 240)])


def reading(page) -> str:
    """What the page says about the drawing: the Prediction metric's value, then how sure
    the model is (the caption under it, or the warning when it is unsure)."""
    page.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=stMetricValue]'); "
        "return v && v.innerText.trim() !== '—' }",
        timeout=60_000)
    wait_for_app(page)
    return page.evaluate("""() => {
        const value = document.querySelector('[data-testid=stMetricValue]').innerText.trim();
        const notes = [...document.querySelectorAll('[data-testid=stCaptionContainer], [data-testid=stAlert]')]
            .map(e => e.innerText).filter(t => t.includes('%'));
        return value + ' | ' + (notes[0] || '');
    }""")


def test_the_curves_move_while_it_trains_and_stop_keeps_the_model(page, app_url):
    lang = "en"
    page.goto(app_url)  # a fresh server's first visitor at /digits-training gets "Page not found" (reported)
    wait_for_app(page)
    page.goto(f"{app_url}/digits-training?lang={lang}&train_size=20000&epochs=2&batch_size=32")
    wait_for_app(page)
    train(page, lang)
    page.wait_for_function(f"{PROGRESS} && {PROGRESS}.innerText.includes('Epoch 1/2') && {POINTS} >= 5",
                           timeout=180_000)
    first_text, first_points = live_state(page)
    assert re.search(r"Epoch 1/2 · [\d,]+/40,000 images · [\d,]+ images/s", first_text), first_text
    page.wait_for_function(
        f"([text, n]) => {PROGRESS} && {PROGRESS}.innerText !== text && {POINTS} > n",
        arg=[first_text, first_points], timeout=30_000)
    later_text, later_points = live_state(page)
    seen = lambda text: int(re.search(r"([\d,]+)/40,000", text).group(1).replace(",", ""))  # noqa: E731
    assert seen(later_text) > seen(first_text) and later_points > first_points
    assert seen(later_text) < 40_000, "the run had not ended: these updates came live"

    shown_at_click = seen(live_state(page)[0])
    # In the page, not Streamlit's own "Stop" beside "Running…", which comes and goes with each poll.
    page.locator("[data-testid=stMain]").get_by_role("button", name=i18n.text(lang, "digits_training.stop"),
                                                     exact=True).click()
    accuracy = wait_for_results(page, lang)
    stopped = page.get_by_text(re.compile(r"You pressed Stop when it had gone through")).inner_text()
    asked, ended = (int(n.replace(",", ""))
                    for n in re.search(r"through ([\d,]+) images.* at ([\d,]+)", stopped).groups())
    # Stop ends the run within one batch of the click reaching it (batch size 32): the batch under way, no more.
    assert asked <= ended <= asked + 2 * 32 and ended < 40_000
    assert shown_at_click <= asked  # the bar never showed more than the run had done
    assert accuracy > 50, "the model kept at Stop reads digits"
    assert page.get_by_text(i18n.text(lang, "digits_training.mine.download")).is_visible()

    # In-app: the session carries the model.
    page.get_by_role("link", name=i18n.text(lang, "digits_training.mine.try")).click()
    wait_for_app(page)
    assert page.get_by_text(re.compile(r"Use my model \(trained here")).is_visible()
    draw_a_one(page)
    said = reading(page)  # the model kept at Stop reads the drawing: a digit (or "?") and how sure it is
    assert re.fullmatch(r"([0-9]|\?) \| .*\d+%.*", said, re.DOTALL), said


def test_a_visitors_model_is_theirs_alone(people, app_url):
    lang = "zh"
    a, b = people.page(), people.page()
    # A trains a deliberately weak model (1,000 images, a tiny learning rate), so its answers differ.
    a.goto(f"{app_url}/digits-training?lang={lang}&train_size=1000&lr=0.0001")
    wait_for_app(a)
    train(a, lang)
    wait_for_results(a, lang)
    a.get_by_role("link", name=i18n.text(lang, "digits_training.mine.try")).click()
    wait_for_app(a)
    toggle = a.get_by_text(re.compile("使用我的模型"))
    assert toggle.is_visible()

    b.goto(f"{app_url}/digits?lang={lang}")
    wait_for_app(b)
    assert b.get_by_text(re.compile("使用我的模型")).count() == 0, "B does not see A's model"
    draw_a_one(b)
    b_reads = reading(b)
    assert b_reads.startswith("1 | "), b_reads  # the shipped model's answer

    draw_a_one(a)
    a_reads = reading(a)
    assert a_reads != b_reads, "A's own model answers, not the shipped one"
    toggle.click()  # A switches back to the shipped model: the same answer as B's
    wait_for_app(a)
    assert reading(a) == b_reads

    b.goto(f"{app_url}/digits-training?lang={lang}")
    wait_for_app(b)
    assert b.get_by_text(i18n.text(lang, "digits_training.mine.none")).is_visible()


def test_bad_uploads_get_a_clear_message_and_nothing_breaks(page, app_url, tmp_path):
    lang = "en"
    page.goto(f"{app_url}/digits-training?lang={lang}&data=upload")
    wait_for_app(page)
    assert page.get_by_text(i18n.text(lang, "digits_training.data.upload_first")).is_visible()
    not_npz = tmp_path / "digits.npz"
    not_npz.write_text("<script>alert('hi')</script> this is not a numpy file 😀")
    not_keras = tmp_path / "model.keras"
    not_keras.write_bytes(b"\x00\x01 not a zip")
    inputs = page.locator("[data-testid=stFileUploader] input[type=file]")
    inputs.nth(1).wait_for(state="attached")  # .all() does not wait: both uploaders must be there first
    data_input, model_input = inputs.all()
    data_input.set_input_files(str(not_npz))
    page.get_by_text(i18n.text(lang, "digits_training.npz.not_npz")).wait_for()
    model_input.set_input_files(str(not_keras))
    page.get_by_text(i18n.text(lang, "digits_training.upload.not_keras")).wait_for()
    wait_for_app(page)
    assert page.get_by_role("button", name=i18n.text(lang, "digits_training.train"), exact=True).is_disabled()
    assert page.locator("[data-testid=stException]").count() == 0


TABLET = dict(viewport={"width": 820, "height": 1180}, is_mobile=True, has_touch=True, device_scale_factor=2)
# The settings' columns, every slider's track (the line its knob runs along), and for each row of choice buttons:
# on how many rows they sit, how many lines a label takes, and whether one sticks out of its column.
SETTINGS = """() => {
  const settings = document.querySelector('[data-testid=stMain] [data-testid=stSlider]')
    .closest('[data-testid=stHorizontalBlock]');
  const lines = e => Math.round(e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight));
  return {
    columns: [...settings.children].map(c => c.getBoundingClientRect().width),
    tracks: [...settings.querySelectorAll('[data-testid=stSlider] [role=group] > div > div:first-child')]
      .map(t => t.getBoundingClientRect().width),
    groups: [...settings.querySelectorAll('[data-testid=stButtonGroup]')].map(g => {
      const buttons = [...g.querySelectorAll('button')];
      const right = g.closest('[data-testid=stColumn]').getBoundingClientRect().right;
      return {tops: [...new Set(buttons.map(b => Math.round(b.getBoundingClientRect().top)))].length,
              lines: Math.max(...buttons.map(b => lines(b.querySelector('p') || b))),
              out: buttons.some(b => b.getBoundingClientRect().right > right + 1)};
    }),
  };
}"""


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_on_a_tablet_the_settings_are_long_sliders_and_buttons_in_a_row(people, served, lang):
    """820 x 1180, the sidebar open: the settings' columns go one under another rather than three of 120 px, each
    slider is long enough for a finger, and each row of buttons stays one row of one-line labels."""
    tablet = home_first(people.page(**TABLET), served)
    tablet.goto(f"{served}/digits-training?lang={lang}&arch=custom")
    wait_for_app(tablet)
    wait_until_still(tablet)
    shown = tablet.evaluate(SETTINGS)
    assert len(shown["columns"]) == 3 and min(shown["columns"]) >= 250, shown
    assert len(shown["tracks"]) == 6 and min(shown["tracks"]) >= 250, shown  # images, blocks, units, dropout, ...
    assert len(shown["groups"]) == 6, shown  # data, network, filters, kernel, batch size, optimizer
    assert all(group == {"tops": 1, "lines": 1, "out": False} for group in shown["groups"]), shown

