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

import pytest

from dlplay import i18n
from dlplay.plain import plain

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
