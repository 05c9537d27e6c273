"""Hostile input in headless Chromium: what a visitor's or a file's text becomes on screen.

A link, a typed value, an uploaded file's name and a crafted model file must
show as the characters they are: no link, no bold, no formula, and short. The
rest of the hostile table runs through AppTest (tests/pages/test_hostile_pages.py).
"""

from urllib.parse import urlencode

import pytest

from dlplay import i18n
from dlplay.plain import shorten
from tests import crafted

from .helpers import wait_for_app

pytestmark = pytest.mark.slow

LINK = "[Session expired - log in again](https://evil.example/login)"
MARKUP = f"{LINK} **bold** $x^2$ :red[red]"
ALERTS = "[data-testid=stAlert]"


def rendered(page, selector: str, opening: str) -> dict:
    """The element under `selector` whose text starts with `opening`: its text, and the markup inside it."""
    return page.evaluate("""([selector, opening]) => {
        const found = [...document.querySelectorAll(selector)].find(e => e.innerText.trim().replace(/^\\S+\\s+/, '')
            .startsWith(opening) || e.innerText.trim().startsWith(opening));
        if (!found) return null;
        return {text: found.innerText.replaceAll('\u2060', ''), links: found.querySelectorAll('a').length,
                bold: found.querySelectorAll('strong, b').length, formulas: found.querySelectorAll('.katex').length,
                coloured: found.querySelectorAll('[class*=color], span[style*=color]').length};
    }""", [selector, opening])


def wait_for_text(page, selector: str, opening: str, timeout: float = 60_000) -> dict:
    page.wait_for_function("([selector, opening]) => [...document.querySelectorAll(selector)]"
                           ".some(e => e.innerText.includes(opening))", arg=[selector, opening], timeout=timeout)
    wait_for_app(page)
    return rendered(page, selector, opening)


def assert_plain(shown: dict) -> None:
    assert shown is not None
    assert (shown["links"], shown["bold"], shown["formulas"], shown["coloured"]) == (0, 0, 0, 0), shown


def test_the_notice_shows_a_links_keys_as_plain_short_text(page, app_url):
    # 40 kB, not the 100 kB of the page table: the HTTP server refuses a request line that long.
    query = urlencode({LINK: "1", "**bold**": "x", "$x^2$": "y", ":red[red] :smile:": "1", "k" * 40_000: "1"})
    page.goto(f"{app_url}/activations?lang=zh&{query}")
    notice = wait_for_text(page, ALERTS, i18n.text("zh", "app.notice.ignored", items="")[:12])
    assert_plain(notice)
    assert "[Session expired - log in again](https:…=1" in notice["text"] and "$x^2$=y" in notice["text"]
    assert "**bold**=x" in notice["text"] and ":smile:" in notice["text"]
    assert len(notice["text"]) < 1000


@pytest.mark.parametrize(("path", "key"), [
    ("xor?lang=en&_www.evil.example%2Flogin=1", "_www.evil.example/login"),
    ("activations?lang=en&k=support.team.%40evil.example", "k=support.team.@evil.example"),
    ("activations?lang=en&-%40evil.example=x%20-%40evil.example.keras", "-@evil.example=x -@evil.example.keras"),
])
def test_streamlits_own_gfm_makes_no_link_of_an_address_like_key(page, app_url, path, key):
    """Issue 27's bypasses, in the renderer itself (react-markdown with remark-gfm)."""
    page.goto(f"{app_url}/{path}")
    notice = wait_for_text(page, ALERTS, i18n.text("en", "app.notice.ignored", items="")[:20])
    assert key in notice["text"]
    assert_plain(notice)


def test_typed_logits_are_echoed_as_typed(page, app_url):
    page.goto(f"{app_url}/activations?lang=en")
    wait_for_app(page)
    box = page.locator("[data-testid=stTextInput] input").filter(has_not=page.locator("[disabled]")).last
    box.fill(MARKUP)
    box.press("Enter")
    warning = wait_for_text(page, ALERTS, "“[Session expired")
    assert_plain(warning)
    assert warning["text"].strip().startswith(f"“{shorten(MARKUP)}”")


def test_a_link_with_too_many_settings_says_so_in_the_visitors_language(page, app_url):
    # The first visitor of a fresh server is not covered (ui.server.report_dropped_links).
    page.goto(f"{app_url}/?lang=en")
    wait_for_app(page)
    page.goto(f"{app_url}/xor?lang=zh&" + "&".join(f"k{i}=1" for i in range(1001)))
    notice = wait_for_text(page, ALERTS, i18n.text("zh", "app.notice.dropped")[:10])
    assert notice["text"].strip().endswith(i18n.text("zh", "app.notice.dropped"))


def test_a_long_paste_into_text_keeps_its_first_5000_characters_and_says_so(page, app_url):
    page.goto(f"{app_url}/text?lang=zh")
    wait_for_app(page)
    box = page.locator(".live-input input")
    box.fill("好" * 6000)
    box.press("Enter")
    wait_for_text(page, ALERTS, i18n.text("zh", "app.notice.cut", n=5000))
    assert page.evaluate("new URLSearchParams(location.search).get('text').length") == 5000


def test_a_setting_that_cannot_train_is_refused_and_the_page_stays(page, app_url):
    page.goto(f"{app_url}/digits-training?lang=en&arch=custom&conv_layers=3&kernel=5")
    error = wait_for_text(page, ALERTS, i18n.text("en", "digits_training.bad_setting").split("{")[0])
    assert error["text"].strip().endswith(i18n.text("en", "digits_training.bad_setting").format(
        key=i18n.text("en", "digits_training.conv"), value=3))
    assert page.get_by_role("button", name=i18n.text("en", "digits_training.train"), exact=True).is_disabled()
    assert page.get_by_text(i18n.text("en", "digits_training.none_yet")).is_visible()
    assert page.get_by_text(i18n.text("en", "code.title")).is_visible()


def uploaders(page):
    inputs = page.locator("[data-testid=stFileUploader] input[type=file]")
    inputs.nth(1).wait_for(state="attached")  # .all() does not wait: both uploaders must be there first
    return inputs.all()


def test_an_uploaded_files_name_shows_as_plain_text(page, app_url):
    page.goto(f"{app_url}/digits-training?lang=en&data=upload")
    wait_for_app(page)
    data_input, _ = uploaders(page)
    data_input.set_input_files(files=[{"name": f"{MARKUP}.npz", "mimeType": "application/octet-stream",
                                       "buffer": crafted.npz_bytes(**crafted.mnist_like(20))}])
    caption = wait_for_text(page, "[data-testid=stCaptionContainer]", "[Session expired")
    assert_plain(caption)
    assert caption["text"].startswith(f"{shorten(MARKUP + '.npz')}: 20 training and 20 test images")


def upload_model(page, app_url, name: str, content: bytes) -> None:
    page.goto(f"{app_url}/digits-training?lang=en&data=upload")
    wait_for_app(page)
    _, model_input = uploaders(page)
    model_input.set_input_files(files=[{"name": name, "mimeType": "application/octet-stream", "buffer": content}])


def test_a_model_whose_config_names_a_crafted_class_is_refused_in_plain_text(page, app_url):
    upload_model(page, app_url, "model.keras", crafted.keras_with_class_name(MARKUP))
    error = wait_for_text(page, ALERTS, i18n.text("en", "digits_training.upload.layer_kind").split("(")[0],
                          timeout=120_000)
    assert_plain(error)
    assert "keras.layers.[Session expired - log in again](https://evil.example/login) **bold** $x^2$" in error["text"]
    assert len(error["text"]) < 1000


def test_a_model_under_a_crafted_file_name_keeps_that_name_as_plain_text(page, app_url):
    upload_model(page, app_url, f"{MARKUP}.keras", crafted.keras_model())
    mine = wait_for_text(page, "[data-testid=stMarkdownContainer]", "Your model: ", timeout=120_000)
    assert f"uploaded from {shorten(MARKUP + '.keras')}, " in mine["text"]
    assert_plain({**mine, "bold": mine["bold"] - 1})  # the one bold is the page's own "Your model: **…**"


@pytest.mark.parametrize(("make", "reason"), [
    (lambda: crafted.keras_activation_bomb("upsampling"), "activation"),
    (lambda: crafted.keras_lying_weights(), "weights_file"),
    (lambda: crafted.keras_with_layer_name("x-@evil.example"), "name"),
], ids=["activation bomb", "lying weights file", "layer name"])
def test_an_uploaded_model_too_costly_to_run_is_refused_at_once_and_the_page_stays(page, app_url, make, reason):
    upload_model(page, app_url, "model.keras", make())
    opening = i18n.text("en", f"digits_training.upload.{reason}").split("(")[0]
    error = wait_for_text(page, ALERTS, opening, timeout=60_000)
    assert_plain(error)  # the layer's name "x-@evil.example" included: no link
    assert len(error["text"]) < 1000
    assert page.get_by_text(i18n.text("en", "digits_training.mine.none")).is_visible()  # no model taken




# Component messages that are no message (issue 27), put on the websocket in place of what a component sent, as a
# client that speaks Streamlit's protocol could send them: the component says so, and its next message is read.
DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def page(fresh_page):
    """A context of its own for each hostile visit, as a stranger's: in a full run on a profile kept from earlier
    tests (helpers.People), a pad's garbled message once went unanswered for a minute, unexplained."""
    return fresh_page


def replacing(page, holding: str) -> dict:
    """Once armed (`replace["text"] = ...`), the next component message holding `holding` reaches the server as
    that text instead; `replace["n"]` counts the messages replaced. Set before the page is opened."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    replace = {"text": None, "n": 0}

    def route(socket):
        server = socket.connect_to_server()

        def to_server(message):
            if isinstance(message, bytes) and replace["text"] is not None:
                back = BackMsg()
                back.ParseFromString(message)
                for widget in back.rerun_script.widget_states.widgets:
                    if widget.WhichOneof("value") == "json_value" and holding in widget.json_value:
                        widget.json_value, replace["text"] = replace["text"], None
                        replace["n"] += 1
                        message = back.SerializeToString()
            server.send(message)

        socket.on_message(to_server)

    page.route_web_socket("**/_stcore/stream", route)
    return replace


def wait_for_notice(page, text: str) -> None:
    page.wait_for_function("text => [...document.querySelectorAll('[data-testid=stAlert]')]"
                           ".some(e => e.innerText.includes(text))", arg=text, timeout=60_000)
    assert page.locator("[data-testid=stException]").count() == 0


@pytest.mark.parametrize(("text", "why"), [("hello", "garbled"), (DEEP, "garbled")],
                         ids=["a bare word", "JSON nested 100,000 deep"])
def test_a_pad_message_that_is_no_message_is_said_and_the_pad_goes_on(page, served, text, why):
    from .helpers import stroke, wait_for_prediction

    replace = replacing(page, '"live":false')  # the message as the pen lifts: the last of a stroke
    page.goto(f"{served}/digits?lang=zh&model=tutorial")
    wait_for_app(page)
    box = page.locator("canvas").first.bounding_box()
    one = [(box["x"] + box["width"] * 0.5, box["y"] + box["width"] * v) for v in (0.15, 0.5, 0.85)]
    replace["text"] = text
    stroke(page, one)
    wait_for_notice(page, i18n.text("zh", f"digits.drawing.{why}"))
    assert replace["n"] == 1
    stroke(page, one)  # the same stroke again: the pad sends both, and they are read
    assert wait_for_prediction(page, "zh", "1").startswith("1")
    assert page.get_by_text(i18n.text("zh", f"digits.drawing.{why}")).count() == 0


@pytest.mark.parametrize(("text", "why"), [(DEEP, "garbled"), ('{"value": "' + "x" * 12 * 2**20 + '"}', "too_much")],
                         ids=["JSON nested 100,000 deep", "12 MB"])
def test_a_live_box_message_that_is_no_message_is_said_and_the_box_goes_on(page, served, text, why):
    from dlplay.text import numpy_net as text_model
    from dlplay.text import reading as text_reading

    from .helpers import metric_value

    replace = replacing(page, '"value"')
    page.goto(f"{served}/text?lang=en")
    wait_for_app(page)
    box = page.get_by_label(i18n.text("en", "text.input"))
    replace["text"] = text
    box.fill("a good film")
    box.press("Enter")
    wait_for_notice(page, i18n.text("en", f"app.live_text.{why}"))
    assert replace["n"] == 1
    box.fill("the film was not good at all")
    box.press("Enter")
    verdict = text_reading.verdict(text_model.predict("the film was not good at all"), "en")
    page.get_by_text(i18n.text("en", f"app.live_text.{why}")).wait_for(state="detached", timeout=60_000)
    wait_for_app(page)
    assert metric_value(page, i18n.text("en", "text.sentiment")) == verdict
