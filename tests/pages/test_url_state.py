"""Every lesson keeps its settings in the link: a link round-trips, nonsense is reset with a notice."""

import pytest

from dlplay import i18n
from dlplay.plain import plain

from .conftest import assert_healthy, open_page

# One page a row: (page file, a link of non-default settings it must keep as they are).
LINKS = [
    ("pages/activations.py", {"w1": "2.5", "f": "tanh"}),
    ("pages/xor.py", {"model": "mlp", "hidden": "3", "activation": "relu"}),
    ("pages/digits.py", {"model": "tutorial"}),
    ("pages/digits_training.py", {"epochs": "3"}),
    ("pages/text.py", {"text": "not good at all", "cell": "gru"}),
]


def published(at) -> dict:
    return {key: at.query_params[key] for key in at.query_params if key != "lang"}


@pytest.mark.parametrize("page, link", LINKS, ids=[row[0].split("/")[1] for row in LINKS])
def test_a_link_round_trips(page, link):
    at = open_page(page, "en", **link)
    assert_healthy(at)
    assert not at.info or not at.info[0].value.startswith(i18n.text("en", "app.notice.ignored", items="")[:12])
    assert published(at) == link
    again = open_page(page, "en", **published(at))
    assert published(again) == link


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("page, link", LINKS, ids=[row[0].split("/")[1] for row in LINKS])
def test_nonsense_is_reset_with_a_notice_in_the_visitors_language(page, link, lang):
    key = list(link)[-1]  # a setting with a fixed set of values
    at = open_page(page, lang, **{key: "\u2603nonsense", "zz_unknown": "1"})
    assert_healthy(at)
    notice = at.info[0].value
    assert notice.startswith(i18n.text(lang, "app.notice.ignored", items=""))
    assert f"{plain(key)}=\u2603nonsense" in notice and plain("zz_unknown") + "=1" in notice
    # /text opens a link without a sentence on the example sentence of the visitor's language.
    assert published(at) == ({"text": i18n.text(lang, "text.example")} if page == "pages/text.py" else {})
