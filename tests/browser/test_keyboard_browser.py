"""Each lesson by keyboard alone, in headless Chromium: Tab to a control, Enter or Space to use it, and not one
pointer event on the page (counted by the page itself).

/text runs an example, /xor steps and plays, /class starts a class. After each action the focus is still on a
control a keyboard user can go on from, and it shows: its outline differs from the page's background; on a
sidebar link, a switch, a button and the live text box by 3:1 or more.
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


def keyboard_page(people, url: str):
    page = people.page(1280, 900)
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


def test_text_an_example_by_keyboard(people, served):
    page = keyboard_page(people, f"{served}/text?lang={LANG}")
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
    page.close()


def test_xor_step_and_play_by_keyboard(people, served):
    page = keyboard_page(people, f"{served}/xor?lang={LANG}&model=mlp")
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
    page.close()


def test_class_started_by_keyboard(people, served):
    page = keyboard_page(people, f"{served}/class?lang={LANG}")
    tab_to(page, t("classroom.start"))
    page.keyboard.press("Enter")
    page.get_by_text(t("classroom.here"), exact=True).wait_for()
    wait_for_app(page)
    assert len(metric_value(page, t("classroom.code"))) == 6
    assert page.evaluate(FOCUSED) is not None and page.evaluate(FOCUSED)[1] != "body"  # focus not lost
    assert_no_pointer(page)
    page.close()


@pytest.mark.parametrize("source", ["digits.sample.mnist", "digits.sample.hand"])
def test_digits_a_sample_read_by_keyboard(people, served, source):
    """A digit put on the pad without a pen: open "No pen?", choose 3, take a sample of it: the pad holds it, the
    page reads 3 and says so, and the focus is on the pad's Undo."""
    page = keyboard_page(people, f"{served}/digits?lang={LANG}")
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
    page.close()


# The focused control's focus indicator as [kind, its colour, the colours beside it] ([r, g, b, a], backgrounds
# blended down to the page's white): its outline, else Streamlit's ring (a box shadow), else its own background (a
# tint). A switch's input is hidden: its track shows the focus. Beside an outline drawn inside the control (a
# negative offset) are its own background and what is behind it; beside one drawn outside, what is behind it.
RING = """() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
  const kind = element.matches('[data-testid=stSidebarNavLink]') ? 'sidebar link'
    : element.getAttribute('role') === 'switch' ? 'switch'
    : element.closest('.live-input') ? 'live text box'
    : element.matches('[data-testid^=stBaseButton]') ? 'button' : null;
  if (!kind) return null;
  if (kind === 'switch') element = element.closest('label').querySelector(':scope > span + div');
  const rgba = text => { const [r, g, b, a = 1] = text.match(/rgba?\\([^)]*\\)/)[0].match(/[\\d.]+/g).map(Number);
                         return [r, g, b, a]; };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const blended = node => {
    const layers = [];
    for (let e = node; e; e = e.parentElement || e.getRootNode().host) {
      layers.push(rgba(getComputedStyle(e).backgroundColor));
    }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
  };
  const style = getComputedStyle(element);
  const outside = blended(element.parentElement || element.getRootNode().host), inside = blended(element);
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
  const ring = outlined ? over(rgba(style.outlineColor), outside)
    : style.boxShadow !== 'none' ? over(rgba(style.boxShadow), outside) : inside;
  return [kind, ring, parseFloat(style.outlineOffset) < 0 ? [inside, outside] : [outside]];
}"""
FOCUSED_KINDS = {"sidebar link", "switch", "button", "live text box"}


def contrast(one, other) -> float:
    """WCAG's contrast ratio of two colours [r, g, b, ...] (0 to 255)."""
    def luminance(colour):
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (v / 255 for v in colour[:3])]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_focus_shows_at_3_to_1(people, served):
    """Tab through /text: a sidebar link, the presentation switch, a button and the live text box each show their
    focus by a ring at least 3:1 against what is beside it (WCAG 1.4.11)."""
    page = keyboard_page(people, f"{served}/text?lang={LANG}")
    shown = {}
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        ring = page.evaluate(RING)
        if ring and ring[0] not in shown:
            kind, colour, beside = ring
            shown[kind] = round(min(contrast(colour, behind) for behind in beside), 2)
        if set(shown) == FOCUSED_KINDS:
            break
    page.close()
    assert set(shown) == FOCUSED_KINDS
    assert {kind: ratio for kind, ratio in shown.items() if ratio < 3} == {}
