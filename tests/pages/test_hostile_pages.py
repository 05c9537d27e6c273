"""Hostile input on every page, through AppTest: one row per input, each with the clean outcome a visitor must see.

A row names the page, what arrives (a link's settings, text typed into a box,
or both) and what must follow: the settings the "not understood" notice names,
a message (its catalogue key), the link the page writes back. Every row also
checks what holds for any input: no exception and no "something went wrong";
the page drawn to its end (its code panel); every notice, message and caption
short; the visitor's text never in any Markdown as it was typed when it holds
markup. A new page or parameter needs one line here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pytest

from dlplay import i18n
from dlplay.plain import plain
from tests import crafted

from .conftest import assert_healthy, open_expanders, open_page

A, X, D, T, TX = "pages/activations.py", "pages/xor.py", "pages/digits.py", "pages/digits_training.py", "pages/text.py"
LINK = "[Session expired - log in again](https://evil.example/login)"
MARKUP = ("**bold**", "$x^2$", LINK, "<img src=x onerror=alert(1)>", ":red[red] :smile:", "`code`")
HUGE_KEY = "k" * 100_000
LONGEST_MESSAGE = 1000  # characters of Markdown source in any notice, message or caption


@dataclass(frozen=True)
class Row:
    page: str
    query: dict = field(default_factory=dict)
    typed: tuple[str, str] | None = None  # (a text box's key, what the visitor types into it)
    ignored: tuple[str, ...] = ()  # the keys the "not understood" notice names
    message: str | None = None  # a catalogue key the page shows in a notice, message or caption
    kept: dict | None = None  # the link the page writes back (None: the page's defaults)
    lang: str = "en"

    def __str__(self) -> str:
        shown = {k[:12]: v[:12] if isinstance(v, str) else v for k, v in list(self.query.items())[:3]}
        return f"{self.page.split('/')[1][:-3]}-{shown}-{(self.typed or ('', ''))[1][:12]!r}"


ROWS = [
    # numbers: NaN, infinities, huge, empty, out of range, not whole, written oddly
    Row(A, {"x1": "nan"}, ignored=("x1",)),
    Row(A, {"x1": "inf", "x2": "-inf"}, ignored=("x1", "x2")),
    Row(A, {"w1": "1e308"}, ignored=("w1",), lang="zh"),
    Row(A, {"w1": "-1e309"}, ignored=("w1",)),
    Row(A, {"b": ""}, ignored=("b",)),
    Row(A, {"depth": "2.5"}, ignored=("depth",)),
    Row(A, {"depth": "1_0", "x1": "\uff11"}),  # Python's float() reads both: 10 and a full-width 1, the defaults
    Row(A, {"temperature": "0x10"}, ignored=("temperature",)),
    Row(A, {"depth": ["3", "4"]}, kept={"depth": "4"}),  # a repeated key: the last one counts
    Row(A, {"f": "<script>alert(1)</script>"}, ignored=("f",)),
    Row(A, {"f": "sigmoid\x00", "neuron_f": "relu\u202e"}, ignored=("f", "neuron_f")),
    Row(A, {"derivative": "1"}, ignored=("derivative",)),
    Row(A, {"logits": "1,2,x"}, ignored=("logits",)),
    Row(A, {"logits": ",".join(["1"] * 65)}, ignored=("logits",)),
    Row(A, {"logits": "nan,1"}, ignored=("logits",), lang="zh"),
    Row(A, {"logits": "1e3"}, ignored=("logits",)),
    # keys that carry someone else's words, links, formulas; very long, invisible, or too many
    Row(A, {LINK: "1"}, ignored=(LINK,)),
    Row(A, {"**bold**": "$x^2$"}, ignored=("**bold**",), lang="zh"),
    Row(X, {"$x^2$": LINK}, ignored=("$x^2$",)),
    Row(A, {HUGE_KEY: "1"}, ignored=(HUGE_KEY,)),
    Row(T, dict.fromkeys(MARKUP, "1"), ignored=MARKUP),
    Row(D, {"model": LINK, "crop": "$x^2$", "inside": "<b>true</b>"}, ignored=("model", "crop", "inside"), lang="zh"),
    Row(D, {"model": "k" * 100_000}, ignored=("model",)),
    Row(T, {"\u200b": "1", "\u202egnp.exe": "1"}, ignored=("\u200b", "\u202egnp.exe")),
    Row(A, {"line\nbreak": "a\r\nb\tc"}, ignored=("line\nbreak",)),
    Row(A, {f"k{i}": "1" for i in range(20)}, ignored=tuple(f"k{i}" for i in range(8))),
    Row(A, {f"k{i}": "1" for i in range(1001)}, message="app.notice.dropped"),
    Row(X, {f"k{i}": "1" for i in range(1001)}, message="app.notice.dropped", lang="zh"),
    Row(D, {"k": "x" * 600_000}, message="app.notice.dropped"),
    Row(A, lang="xx"),  # a language dlplay does not speak: the browser's
    # typed into the logits box
    Row(A, typed=("activations.logits", "**1**, [a](https://evil.example)"), message="activations.softmax.bad_logits"),
    Row(A, typed=("activations.logits", "$x^2$"), message="activations.softmax.bad_logits", lang="zh"),
    Row(A, typed=("activations.logits", "1, 2, " + "9" * 10_000), message="activations.softmax.bad_logits"),
    Row(A, typed=("activations.logits", "\x1b[31m1\u202e, 2"), message="activations.softmax.bad_logits"),
    Row(A, typed=("activations.logits", "1，2，3"), kept={"logits": "1,2,3"}),  # Chinese commas are commas
    # /xor
    Row(X, {"lr": "0"}, ignored=("lr",)),
    Row(X, {"lr": "1e400"}, ignored=("lr",)),
    Row(X, {"epochs": "-1", "seed": str(2**32)}, ignored=("epochs", "seed")),
    Row(X, {"epochs": "1e9"}, ignored=("epochs",), lang="zh"),
    Row(X, {"model": "MLP"}, ignored=("model",)),
    Row(X, {"model": "mlp", "hidden": "3.0", "activation": " relu "},
        kept={"model": "mlp", "hidden": "3", "activation": "relu"}),
    Row(X, {"model": "mlp", "hidden": "9", "loss": "**mse**"}, ignored=("hidden", "loss"), kept={"model": "mlp"}),
    # /digits
    Row(D, {"model": "../../etc/passwd"}, ignored=("model",)),
    Row(D, {"crop": "yes"}, ignored=("crop",), lang="zh"),
    Row(D, {"crop": "TRUE", "inside": ["true", "false"]}),
    # /digits-training
    Row(T, {"arch": "custom", "conv_layers": "3", "kernel": "5"}, message="digits_training.bad_setting",
        kept={"arch": "custom", "conv_layers": "3", "kernel": "5"}),
    Row(T, {"arch": "custom", "conv_layers": "3", "kernel": "5"}, message="digits_training.bad_setting",
        kept={"arch": "custom", "conv_layers": "3", "kernel": "5"}, lang="zh"),
    Row(T, {"train_size": "1e5"}, ignored=("train_size",)),
    Row(T, {"train_size": "nan", "dropout": "inf"}, ignored=("train_size", "dropout")),
    Row(T, {"lr": "1e9", "batch_size": "0"}, ignored=("lr", "batch_size"), lang="zh"),
    Row(T, {"epochs": "20.000001", "images": "abc"}, ignored=("epochs", "images")),
    Row(T, {"data": "mnist", "conv": "4"}, ignored=("conv",)),  # an old key, read as its new name, out of range
    # /text: the sentence may be anything up to 5,000 characters
    Row(TX, {"text": "<script>alert(1)</script> **b** $x$"}, kept={"text": "<script>alert(1)</script> **b** $x$"}),
    Row(TX, {"text": "\x1b[31m red \u202e\u200b"}, kept={"text": "\x1b[31m red \u202e\u200b"}),
    Row(TX, {"text": "x" * 5001}, ignored=("text",), kept={}),  # a link's sentence is refused whole: an empty box
    Row(TX, {"text_lang": "fr", "cell": "transformer"}, ignored=("text_lang", "cell"), lang="zh"),
    Row(TX, typed=("text.text", "good " * 1200), message="app.notice.cut", kept={"text": ("good " * 1200)[:5000]}),
    Row(TX, typed=("text.text", "好" * 6000), message="app.notice.cut", kept={"text": "好" * 5000}, lang="zh"),
    Row(TX, typed=("text.text", f"{LINK} $x^2$ **bold**"), kept={"text": f"{LINK} $x^2$ **bold**"}),
    Row(TX, typed=("text.new", "so bad\n" * 400), message="app.notice.cut", lang="zh"),  # the tutorial's sentences
    Row(TX, typed=("text.new", f"{LINK}\n$x^2$\n\n\n")),
]


def type_into(at, key: str, text: str) -> None:
    for kind in ("text_input", "text_area"):
        try:
            getattr(at, kind)(key=key).input(text).run()
            return
        except KeyError:
            continue
    at.session_state[key] = text  # dlplay's own text box (ui.live_text_input), which AppTest cannot see: what it stores
    at.run()


def hostile_strings(row: Row) -> list[str]:
    """What the visitor brought that holds markup: it must never stand in any Markdown as it was typed."""
    found = [*row.query, *(v for v in row.query.values() if isinstance(v, str))] + ([row.typed[1]] if row.typed else [])
    return [s for s in found if any(c in s for c in "[*$<`:\\")]


MESSAGES = ("caption", "info", "warning", "error", "success")


def markdown_sources(at) -> list[str]:
    return [e.value for kind in ("markdown", *MESSAGES) for e in getattr(at, kind)]


def messages(at) -> list[str]:
    return [e.value for kind in MESSAGES for e in getattr(at, kind)]


def default_link(page: str, lang: str) -> dict:
    # /text opens a link without a sentence on the example sentence of the visitor's language.
    return {"text": i18n.text(lang, "text.example")} if page == TX else {}


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_a_hostile_input_gets_a_clean_answer(row: Row):
    at = open_page(row.page, row.lang, **row.query)
    if row.typed:
        type_into(at, *row.typed)
    lang = row.lang if row.lang in i18n.LANGUAGES else "en"
    assert_healthy(at)
    assert at.expander[-1].label == i18n.text(lang, "code.title")  # drawn to the end, not reset
    assert all(len(text) <= LONGEST_MESSAGE for text in messages(at)), max(map(len, messages(at)))

    notice = i18n.text(lang, "app.notice.ignored", items="")
    notices = [info.value for info in at.info if info.value.startswith(notice)]
    if row.ignored:
        assert len(notices) == 1
        for key in row.ignored:
            assert f"{plain(key, 40)}=" in notices[0]
    else:
        assert notices == []
    if row.message:
        opening = i18n.text(lang, row.message).split("{")[0]
        assert any(text.startswith(opening) for text in messages(at)), (opening, messages(at))

    published = {key: at.query_params[key] for key in at.query_params if key != "lang"}
    assert published == (row.kept if row.kept is not None else default_link(row.page, lang))
    assert at.query_params["lang"] == lang

    for hostile in hostile_strings(row):
        assert not any(hostile in source for source in markdown_sources(at)), hostile[:80]


# A bare URL, "www." or e-mail address left whole in Markdown: GFM links it, escaped or not (it reads the text).
LINKABLE = re.compile(r"(?i)https?\\?:\\?/|www\\?\.|\w\\?@\w")


def test_a_bare_url_or_address_typed_by_a_visitor_is_not_left_for_gfm_to_link():
    at = open_page(A, "en")
    type_into(at, "activations.logits", "see https://evil.example or www.evil.example, mail a@evil.example")
    assert_healthy(at)
    [warning] = at.warning
    assert "evil" in warning.value and not LINKABLE.search(warning.value), warning.value


def test_the_table_covers_every_page_and_enough_inputs():
    assert {row.page for row in ROWS} == {A, X, D, T, TX}
    assert len(ROWS) >= 40


def test_a_setting_that_cannot_train_says_so_and_keeps_the_train_button_live_panel_and_code():
    """3 convolution blocks with a 5 × 5 kernel leave no image to pool: refused, with the page intact."""
    at = open_page(T, "zh", arch="custom", conv_layers="3", kernel="5")
    assert_healthy(at)
    train = at.button(key="digits_training.train")
    assert train.label == i18n.text("zh", "digits_training.train") and train.disabled
    assert i18n.text("zh", "digits_training.none_yet") in [info.value for info in at.info]
    assert "layers.Conv2D(128, kernel_size=(5, 5)" in open_expanders(at).code[-1].value  # the panel: the refused net
    [error] = at.error
    message = i18n.text("zh", "digits_training.bad_setting")  # its placeholder is named like text()'s own `key`
    assert error.value == message.format(key=i18n.text("zh", "digits_training.conv"), value=3)


# Round two (issue 27): text GFM still linked through the escapes, and text no link or QR code can carry.
MARKDOWN_FIELDS = {"body", "label", "caption", "help", "content", "options"}  # what Streamlit renders as Markdown


def markdown_texts(at) -> list[str]:
    """Every text of the page that Streamlit renders as Markdown: bodies, labels, captions, help, choices."""
    from google.protobuf.message import Message

    found = []

    def walk(message: Message) -> None:
        for field_, value in message.ListFields():
            values = value if field_.is_repeated else [value]
            if field_.message_type is not None:
                for item in values:
                    if isinstance(item, Message):
                        walk(item)
            elif field_.name in MARKDOWN_FIELDS:
                found.extend(v for v in values if isinstance(v, str))

    for node in at._tree:
        if isinstance(getattr(node, "proto", None), Message):
            walk(node.proto)
    return found


def assert_no_link_to_evil(at, expected: int = 1) -> None:
    """The page shows the visitor's "evil" text (at least `expected` times) and no renderer makes a link of it."""
    from tests.links import links_in

    shown = [text for text in markdown_texts(at) if "evil" in text]
    assert len(shown) >= expected, markdown_texts(at)
    assert [(text, links_in(text)) for text in shown if links_in(text)] == []


@pytest.mark.parametrize(("page", "query", "lang"), [
    (X, {"_www.evil.example/login": "1"}, "en"),  # /xor?_www.evil.example%2Flogin=1
    (A, {"k": "support.team.@evil.example"}, "en"),  # /activations?k=support.team.%40evil.example
    (A, {"k": "support.team.@evil.example"}, "zh"),
    (D, {"model": "-@evil.example", "(www.evil.example": "*x+@evil.example"}, "en"),
    (T, {"support.team-@evil.example": "1", "x_www.evil.example": "mailto:a.@evil.example"}, "zh"),
    (TX, {"cell": "_www.evil.example/login", "text_lang": "a_@evil.example"}, "en"),
], ids=str)
def test_a_links_address_like_keys_and_values_make_no_link_in_the_notice(page, query, lang):
    at = open_page(page, lang, **query)
    assert_healthy(at)
    [notice] = [info.value for info in at.info if info.value.startswith(i18n.text(lang, "app.notice.ignored",
                                                                                     items="")[:8])]
    assert all(f"{plain(key, 40)}=" in notice for key in query)
    assert_no_link_to_evil(at)


NICKNAME = "-@evil.example"


def test_a_nickname_like_an_address_makes_no_link_on_the_badge_or_the_projected_wall(class_store):
    invitation = class_store.start_class()
    at = open_page(A, "en", **{"class": invitation.code})
    at.text_input(key="_class.nickname").input(NICKNAME).run()
    at.button(key="_class.join").click().run()
    assert_healthy(at)
    assert_no_link_to_evil(at)  # the badge
    student = class_store.join(invitation.code, "seat-2", "support.team.@evil.example")
    class_store.add_drawing(invitation.code, student.id, np.zeros((28, 28), np.uint8), 3, 0.9, [0.1] * 10, "ours")
    wall = open_page("pages/classroom.py", "en", **{"class": invitation.code, "teacher": invitation.teacher_key,
                                                     "wall": "1"})
    assert_healthy(wall)
    assert_no_link_to_evil(wall)  # the drawing's caption on the wall


def test_a_poll_and_an_address_the_teacher_types_make_no_link(class_store):
    invitation = class_store.start_class()
    student = open_page(A, "zh", **{"class": invitation.code})
    student.text_input(key="_class.nickname").input(NICKNAME).run()
    student.button(key="_class.join").click().run()
    teacher = open_page("pages/classroom.py", "en", **{"class": invitation.code, "teacher": invitation.teacher_key})
    teacher.text_input(key="classroom.address").input("_www.evil.example/login").run()
    assert_healthy(teacher)
    assert any("evil" in w.value for w in teacher.warning)
    assert_no_link_to_evil(teacher)  # the address warning
    teacher.selectbox(key="classroom.poll_pick").set_value("own").run()
    teacher.text_input(key="classroom.poll_question").input("_www.evil.example/login or support.team.@evil.example?")
    teacher.text_area(key="classroom.poll_choices").input("-@evil.example\n(www.evil.example")
    teacher.button(key="classroom.ask").click().run()
    assert_healthy(teacher)
    assert_no_link_to_evil(teacher, expected=2)  # the address warning and the poll's question
    student.run()
    assert_healthy(student)
    assert_no_link_to_evil(student, expected=3)  # the badge, the question and its choices


def test_an_uploaded_files_name_like_an_address_makes_no_link():
    at = open_page(T, "en", data="upload")
    at.file_uploader(key="digits_training.npz").upload("_www.evil.example.npz",
                                                       crafted.npz_bytes(**crafted.mnist_like(20))).run()
    assert_healthy(at)
    assert any(c.value.startswith(plain("_www.evil.example.npz")) for c in at.caption)
    assert_no_link_to_evil(at)


@pytest.mark.slow
def test_a_model_files_name_like_an_address_makes_no_link_in_your_model_or_the_model_switch():
    at = open_page(T, "en")
    at.file_uploader(key="digits_training.keras").upload("x -@evil.example.keras", crafted.keras_model()).run()
    assert_healthy(at)
    assert_no_link_to_evil(at)  # "Your model: …"
    at.switch_page(D).run()
    assert_healthy(at)
    assert at.toggle(key="digits.use_mine").value is True
    assert_no_link_to_evil(at)  # the switch to "your model"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_half_a_character_from_the_live_box_is_replaced_in_the_link_and_said(lang):
    at = open_page(TX, lang)
    type_into(at, "text.text", "good \ud800 film")  # what a script's message can hold: JSON allows "\ud800"
    assert_healthy(at)
    assert at.query_params["text"] == "good \ufffd film"
    assert i18n.text(lang, "safe.replaced") in [info.value for info in at.info]
    at.run()
    assert_healthy(at)
    assert i18n.text(lang, "safe.replaced") not in [info.value for info in at.info]  # said once


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_address_too_long_for_a_qr_code_is_refused_with_a_message(class_store, lang):
    from dlplay.classroom import board

    invitation = class_store.start_class()
    at = open_page("pages/classroom.py", lang, **{"class": invitation.code, "teacher": invitation.teacher_key})
    found = at.session_state["classroom.address"]
    typed = "http://" + "a" * 5000 + ".example"
    at.text_input(key="classroom.address").input(typed).run()
    assert_healthy(at)
    assert [w.value for w in at.warning] == [i18n.text(lang, "safe.address_long", n=len(typed),
                                                       limit=board.MAX_ADDRESS)]
    assert any(c.value.startswith(found + "/digits?class=") for c in at.code)  # the link keeps the address found
    assert at.image  # and its QR code


def test_a_public_address_too_long_for_a_qr_code_is_said_instead_of_one(class_store, monkeypatch):
    monkeypatch.setenv("DLPLAY_PUBLIC_URL", "https://school.example/" + "d" * 300)
    invitation = class_store.start_class()
    at = open_page("pages/classroom.py", "zh", **{"class": invitation.code, "teacher": invitation.teacher_key})
    assert_healthy(at)
    assert i18n.text("zh", "safe.no_qr") in [w.value for w in at.warning]
    assert not at.image


# Uploaded models (issue 27): refused from what running them would cost, and once accepted, every step after
# (the evaluation, the inside of the network, teaching) answers with a message.
def uploaded(lang: str, name: str, content: bytes):
    at = open_page(T, lang)
    at.file_uploader(key="digits_training.keras").upload(name, content).run()
    assert_healthy(at)
    return at


def said(at, key: str, lang: str) -> list[str]:
    opening = i18n.text(lang, key).split("{")[0]
    return [text for text in messages(at) if text.startswith(opening)]


@pytest.mark.slow
@pytest.mark.parametrize(("make", "reason", "lang"), [
    (lambda: crafted.keras_activation_bomb("upsampling"), "activation", "en"),
    (lambda: crafted.keras_activation_bomb("repeat"), "activation", "zh"),
    (lambda: crafted.keras_activation_bomb("many"), "activations", "en"),
    (lambda: crafted.keras_deep(600), "layers", "zh"),
    (lambda: crafted.keras_lying_weights(), "weights_file", "en"),
    (lambda: crafted.keras_with_layer_name("x-@evil.example"), "name", "zh"),
], ids=["upsampling", "repeat", "many", "600 layers", "lying weights", "layer name"])
def test_an_uploaded_model_too_costly_to_run_is_refused_in_the_visitors_language(make, reason, lang):
    at = uploaded(lang, "model.keras", make())
    assert len(said(at, f"digits_training.upload.{reason}", lang)) == 1, messages(at)
    assert "digits.mine" not in at.session_state


@pytest.mark.slow
def test_an_upload_the_graph_cannot_run_is_refused_with_a_message(monkeypatch):
    from dlplay.digits import reading

    def fails(*_):
        raise ValueError("'x' is not a valid scope name")

    monkeypatch.setattr(reading, "evaluate", fails)
    at = uploaded("en", "model.keras", crafted.keras_model())
    assert said(at, "digits_training.upload.cannot_run", "en") == [
        i18n.text("en", "digits_training.upload.cannot_run", detail=plain("ValueError: 'x' is not a valid scope name",
                                                                          240))]
    assert "digits.mine" not in at.session_state


def drawn_three() -> dict:
    """A 3 as the pad sends it (ui/components/drawing_pad)."""
    from dlplay.digits.strokes import HANDS, transform

    paths = transform(HANDS[3][0], 200, (140, 140))
    return {"drawing": {"strokes": [[round(float(v), 1) for v in path.ravel()] for path in paths], "live": False}}


def inside_of_mine(lang: str, content: bytes):
    """/digits reading a drawn 3 with the visitor's uploaded model, "Inside the network" open."""
    at = uploaded(lang, "mine.keras", content)
    assert at.session_state["digits.mine"]
    at.switch_page(D)
    at.query_params["inside"] = "true"
    at.run()
    at.session_state["digits.canvas"] = drawn_three()
    at.run()
    assert_healthy(at)
    assert at.toggle(key="digits.use_mine").value is True
    return at


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_dense_network_uploaded_shows_its_inside_without_filters(lang):
    at = inside_of_mine(lang, crafted.keras_model(hidden=32))
    captions = [c.value for c in at.caption]
    assert i18n.text(lang, "digits.inside.no_filters") in captions
    assert any(c.startswith("hidden") and "32" in c for c in captions)  # the dense layer's activations
    assert any(c.startswith(i18n.text(lang, "digits.inside.saliency").split("{")[0]) for c in captions)
    assert at.expander[-1].label == i18n.text(lang, "code.title")  # drawn to the end


@pytest.mark.slow
def test_the_inside_of_a_model_that_cannot_be_shown_is_said_and_the_page_goes_on(monkeypatch):
    from dlplay.digits import reading

    def fails(*_):
        raise ValueError("no gradient")

    monkeypatch.setattr(reading, "saliency", fails)
    at = inside_of_mine("en", crafted.keras_model(hidden=8))
    assert [w.value for w in at.warning if w.value.startswith("The inside")] == [
        i18n.text("en", "digits.inside.cannot", detail=plain("ValueError: no gradient", 200))]
    assert at.expander[-1].label == i18n.text("en", "code.title")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_model_that_cannot_be_taught_says_why_and_keeps_the_drawings(monkeypatch, lang):
    from dlplay.digits import finetune

    def fails(*_):
        raise ValueError("cannot clone this model")

    monkeypatch.setattr(finetune, "fine_tune", fails)
    at = open_page(D, lang, model="tutorial")
    at.session_state["digits.corrections"] = [(np.zeros((28, 28), np.float32), 1)]
    at.run()
    at.button(key="digits.teach_go").click().run()
    assert_healthy(at)
    assert [w.value for w in at.warning] == [
        i18n.text(lang, "digits.teach.failed", detail=plain("ValueError: cannot clone this model", 200))]
    assert len(at.session_state["digits.corrections"]) == 1


# Data files (issue 27): every label and image type numpy could call "integer" or not, refused by its kind and
# said in the visitor's language from safe values (dtype codes, never a structured field's name).
NPZ_TYPES = {
    "timedelta64 labels": ("y_train", np.arange(20).astype("m8[s]"), "labels_type", "<m8[s]"),
    "datetime64 labels": ("y_train", np.arange(20).astype("M8[D]"), "labels_type", "<M8[D]"),
    "complex labels": ("y_test", np.zeros(20, complex), "labels_type", "<c16"),
    "bool labels": ("y_train", np.ones(20, bool), "labels_type", "|b1"),
    "float labels that look whole": ("y_train", np.arange(20) % 10 * 1.0, "labels_type", "<f8"),
    "structured labels named like a link": ("y_train", np.zeros(20, [(LINK, "<i4")]), "labels_type", "|V4"),
    "void images": ("x_train", np.zeros((20, 28, 28), "V1"), "images", "|V1"),
    "bool images": ("x_test", np.zeros((20, 28, 28), bool), "images", "|b1"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("key, array, case, code", NPZ_TYPES.values(), ids=NPZ_TYPES.keys())
def test_an_npz_of_the_wrong_type_is_refused_in_the_visitors_language(lang, key, array, case, code):
    at = open_page(T, lang, data="upload")
    at.file_uploader(key="digits_training.npz").upload("data.npz", crafted.npz_bytes(**crafted.mnist_like(
        **{key: array}))).run()
    assert_healthy(at)
    assert [e.value for e in at.error] == [i18n.text(lang, f"digits_training.npz.{case}", key=plain(key),
                                                     dtype=plain(code))]
    assert "evil.example" not in at.error[0].value


def test_big_endian_labels_and_images_are_read_as_their_numbers():
    from dlplay.digits import files

    arrays = crafted.mnist_like(20, y_train=(np.arange(20) % 10).astype(">i8"),
                                x_test=np.full((20, 28, 28), 7, ">u1"))
    data = files.data_from_bytes(crafted.npz_bytes(**arrays))
    assert data.y_train.tolist() == (np.arange(20) % 10).tolist() and int(data.x_test.max()) == 7


# Component messages that are no message (issue 27): Streamlit's parse of them is guarded
# (ui.server.guard_component_messages, tests/pages/test_server.py) and leaves the component's state saying why;
# the pad and the live box say so in the visitor's language, and their next message is read.
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("why", ["garbled", "too_much"])
def test_a_pad_message_that_was_no_message_is_said_and_the_next_drawing_is_read(lang, why):
    from ui.components import REFUSED

    at = open_page(D, lang, model="tutorial")
    at.session_state["digits.canvas"] = {REFUSED: why}
    at.run()
    assert_healthy(at)
    assert [w.value for w in at.warning] == [i18n.text(lang, f"digits.drawing.{why}")]
    at.session_state["digits.canvas"] = drawn_three()
    at.run()
    assert_healthy(at)
    assert not at.warning
    assert next(m for m in at.metric if m.label == i18n.text(lang, "digits.prediction")).value.startswith("3")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("why", ["garbled", "too_much"])
def test_a_live_box_message_that_was_no_message_is_said_and_the_text_stays(lang, why):
    from ui.components import REFUSED

    at = open_page(TX, lang, text="a good film")
    at.session_state["text.text.live"] = {REFUSED: why}
    at.run()
    assert_healthy(at)
    assert i18n.text(lang, f"app.live_text.{why}") in [w.value for w in at.warning]
    assert at.query_params["text"] == "a good film"
    at.session_state["text.text.live"] = {"value": "a bad film"}  # the box's next message, as it is stored
    type_into(at, "text.text", "a bad film")
    assert_healthy(at)
    assert i18n.text(lang, f"app.live_text.{why}") not in [w.value for w in at.warning]
    assert at.query_params["text"] == "a bad film"
