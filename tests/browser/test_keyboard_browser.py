"""Each lesson by keyboard alone, in headless Chromium: Tab to a control, Enter or Space to use it, and not one
pointer event on the page (counted by the page itself).

/text runs an example, /xor steps and plays, /class starts a class. After each action the focus is still on a
control a keyboard user can go on from, and it shows: its outline differs from the page's background.
"""

from __future__ import annotations

import pytest

from dlplay import i18n
from dlplay.xor import ledger, state
from dlplay.xor import numpy_net as xor

from .helpers import metric_value, wait_for_app, wait_for_prediction

pytestmark = pytest.mark.slow

LANG = "en"
MOST_TABS = 120  # more stops than any page has before its last control

# The focused element, through open shadow roots (our components draw in them), as [text, tag, role].
FOCUSED = """() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
  if (!element) return null;
  return [(element.innerText || element.value || element.getAttribute('aria-label') || '').trim(),
          element.tagName.toLowerCase(), element.getAttribute('role') || ''];
}"""
# Whether the focused element's outline (or box shadow, Streamlit's focus ring) is drawn.
FOCUS_SHOWN = """() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
  const style = getComputedStyle(element);
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1) || style.boxShadow !== 'none';
}"""
COUNT_POINTERS = """() => {
  window.dlplayPointers = 0;
  for (const kind of ['pointerdown', 'mousedown', 'touchstart', 'click'])
    window.addEventListener(kind, e => { if (e.isTrusted && (e.pointerType || kind !== 'click' || e.detail > 0))
      window.dlplayPointers++; }, true);
}"""


def t(key, **values):
    return i18n.text(LANG, key, **values)


def keyboard_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    wait_for_app(page)
    page.evaluate(COUNT_POINTERS)
    return page


def says(focused, text: str) -> bool:
    """Whether the focused element is a control one of whose lines is `text` (its icon, its label, its chevron's
    icon name are lines of their own)."""
    return bool(focused) and focused[1] in ("a", "button", "input", "summary", "textarea") and (
        text in [line.strip() for line in focused[0].split("\n")])


def tab_to(page, text: str) -> None:
    """Press Tab until the focused control says `text`."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if says(page.evaluate(FOCUSED), text):
            return
    raise AssertionError(f"no control saying {text!r} within {MOST_TABS} tabs")


def announced(page) -> str:
    """What the page's polite live region (ui.announce) holds: what a screen reader said last."""
    return page.evaluate("() => document.getElementById('dlplay-announce')?.textContent")


def assert_no_pointer(page) -> None:
    assert page.evaluate("window.dlplayPointers") == 0


def test_text_an_example_by_keyboard(browser, served):
    page = keyboard_page(browser, f"{served}/text?lang={LANG}")
    example = "not bad at all"
    tab_to(page, example)
    assert page.evaluate(FOCUS_SHOWN)
    page.keyboard.press("Enter")
    page.wait_for_function("text => new URLSearchParams(location.search).get('text') === text", arg=example)
    wait_for_app(page)
    assert page.locator(".live-input input").input_value() == example  # the box shows what is read
    said = metric_value(page, t("text.sentiment"))
    assert announced(page) == f"{t('text.sentiment')}: {said}"  # and a screen reader hears it
    assert says(page.evaluate(FOCUSED), example)  # the focus stays on the button pressed
    assert_no_pointer(page)
    page.context.close()


def test_xor_step_and_play_by_keyboard(browser, served):
    page = keyboard_page(browser, f"{served}/xor?lang={LANG}&model=mlp")
    tab_to(page, "+1")
    page.keyboard.press("Enter")
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]"
                           ".some(h => h.shadowRoot?.querySelector('.xor-view')?.dataset.epoch === '1')")
    wait_for_app(page)
    run = xor.step(xor.new_run(state.MLP_DEFAULTS), 1)
    loss = ledger.readings(ledger.ledger(run), 1)["loss"]
    assert announced(page) == f"{t('xor.epoch')} 1: {t('xor.loss_now')} {loss}"  # what a screen reader hears
    tab_to(page, t("xor.play"))
    assert page.evaluate(FOCUS_SHOWN)
    page.keyboard.press("Space")
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stBidiComponentIsolated]')]"
                           ".some(h => Number(h.shadowRoot?.querySelector('.xor-view')?.dataset.epoch) > 1)")
    assert says(page.evaluate(FOCUSED), t("xor.pause"))  # the same button, now Pause, still has the focus
    page.keyboard.press("Space")
    assert_no_pointer(page)
    page.context.close()


def test_class_started_by_keyboard(browser, served):
    page = keyboard_page(browser, f"{served}/class?lang={LANG}")
    tab_to(page, t("classroom.start"))
    page.keyboard.press("Enter")
    page.get_by_text(t("classroom.here"), exact=True).wait_for()
    wait_for_app(page)
    assert len(metric_value(page, t("classroom.code"))) == 6
    assert page.evaluate(FOCUSED) is not None and page.evaluate(FOCUSED)[1] != "body"  # focus not lost
    assert_no_pointer(page)
    page.context.close()


@pytest.mark.parametrize("source", ["digits.sample.mnist", "digits.sample.hand"])
def test_digits_a_sample_read_by_keyboard(browser, served, source):
    """A digit put on the pad without a pen: open "No pen?", choose 3, take a sample of it: the pad holds it, the
    page reads 3 and says so, and the focus is on the pad's Undo."""
    page = keyboard_page(browser, f"{served}/digits?lang={LANG}")
    tab_to(page, t("digits.sample.open"))
    page.keyboard.press("Enter")
    page.get_by_role("button", name=t(source)).wait_for()  # the panel draws its content once opened
    wait_for_app(page)
    tab_to(page, "0")  # the choices are one stop of Tab; the arrows move between them
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert says(page.evaluate(FOCUSED), "3")
    page.keyboard.press("Enter")
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stButtonGroup] button')]"
                           ".some(b => b.innerText.trim() === '3' && b.getAttribute('aria-checked') === 'true')")
    wait_for_app(page)
    tab_to(page, t(source))
    page.keyboard.press("Enter")
    assert wait_for_prediction(page, LANG, "3").strip() == "3"
    wait_for_app(page)
    assert announced(page).startswith(f"{t('digits.prediction')}: 3.")
    assert says(page.evaluate(FOCUSED), t("digits.pad.undo"))
    assert_no_pointer(page)
    page.context.close()
