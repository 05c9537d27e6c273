"""A student's side of a class through AppTest: on /digits, where the student draws, a poll waits behind one
button on the badge's line (a toast says it came) instead of pushing the pad down; elsewhere it shows in place."""

import pytest

from dlplay import i18n

from .conftest import assert_healthy, open_page


def joined(page: str, code: str, lang: str):
    at = open_page(page, lang, **{"class": code})
    at.text_input(key="_class.nickname").input("Ada").run()
    at.button(key="_class.join").click().run()
    assert_healthy(at)
    return at


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_poll_on_the_drawing_page_waits_behind_a_button_and_a_toast_says_it_came(class_store, lang):
    invitation = class_store.start_class()
    drawing, reading = joined("pages/digits.py", invitation.code, lang), joined("pages/activations.py",
                                                                                   invitation.code, lang)
    class_store.ask(invitation.code, invitation.teacher_key, "?", ["a", "b"], preset="confuse7")
    drawing.run()
    assert_healthy(drawing)
    assert [t.value for t in drawing.toast] == [i18n.text(lang, "classroom.poll.toast")]
    assert [p.proto.popover.label for p in drawing.get("popover")] == [i18n.text(lang, "classroom.poll.open")]
    answer = next(b for b in drawing.button_group if b.key.startswith("_class.poll."))
    answer.set_value(0).run()
    assert_healthy(drawing)
    assert class_store.poll(invitation.code).counts == [1, 0]
    drawing.run()
    assert not drawing.toast  # said once

    reading.run()
    assert not reading.toast and not reading.get("popover")  # in place, on a page with nothing to draw
    assert any(b.key.startswith("_class.poll.") for b in reading.button_group)
