"""Every page speaks the visitor's language all the way, as Chromium shows it.

On a 中文 page no run of Latin letters, on an English page no Han character, outside what is code, a name or a
unit: read from every text the page shows (widgets, captions, equations), the charts' SVG (titles, legends, axis
titles), the tables' cells, the title and placeholder texts, and the comments of the code panel (its code is the
same in both languages). Runs of one or two letters are symbols (x₁, w, b, L, P) and pass.

A visit of a page serves axe-core's check too (axe.checked), on the page as it opens,
before its expanders are opened for reading: a Streamlit page load costs seconds of Chromium's CPU.
"""

from __future__ import annotations

import contextlib
import io
import re
import tokenize

import pytest

from dlplay import i18n
from dlplay.digits import keras_net
from dlplay.text import tutorial

from .axe import checked
from .helpers import click, metric_value, stroke, wait_for_app, wait_for_charts

pytestmark = pytest.mark.slow

PAGES = ["", "activations", "xor", "digits", "digits-training", "text", "class"]
TITLES = {"": "page.home", "class": "classroom.page"}  # the catalogue keys of the pages' titles; lessons': page.<path>
# Names a page may show as they are in either language: models, layers, libraries, data sets, functions, units.
NAMES = {
    "dlplay", "numpy", "keras", "tensorflow", "python", "plotly", "streamlit", "mnist", "sst", "chnsenticorp",
    "snownlp", "cnn", "rnn", "lstm", "gru", "simplernn", "mlp", "xor", "relu", "gelu", "elu", "silu", "leaky",
    "sigmoid", "tanh", "softplus", "softmax", "logits", "adam", "sgd", "rmsprop", "glorot", "xavier", "dense", "conv",
    "maxpooling", "dropout", "flatten", "embedding", "oov", "npz", "png", "jpeg", "max", "exp", "log", "min",
    "mse", "bce", "fit", "logit", "swish", "zip",
    "error",  # the tutorial's own variable, in the equations of its backprop
    "true", "false",  # a table's tick boxes, as the grid's accessible copy reads them
    # as model.summary() prints them
    *(name.rstrip("0123456789") for name, _, _ in keras_net.layer_rows(keras_net.Config())),
}
# The box Streamlit draws for an uploader speaks English only; the page says the same beside it (ui.file_uploader).
STREAMLIT_OWN = ["[data-testid='stFileUploaderDropzoneInstructions']", "[data-testid='stFileUploaderDropzone'] button",
                 "[data-testid='stSkipToContent']"]  # a keyboard user's link, shown only when it has the focus
# What a page shows as it is in either language: a “quoted” sentence or label of its catalogue (an example to
# type, a button of Streamlit's), the tutorial's own sentences and its Chinese printout (glossed beside it), and
# the tutorial's title.
QUOTED = re.compile(r"“([^”]*)”")
AS_IT_IS = {lang: sorted({quoted for template in i18n.CATALOGUES[lang].values() for quoted in QUOTED.findall(template)}
                         | {sentence for sentence, _ in tutorial.TUTORIAL_PAIRS} | set(tutorial.NEW_SENTENCES)
                         | {"训练后的权重", "训练后的偏置", "深度学习技术"}, key=len, reverse=True)
            for lang in i18n.LANGUAGES}
LATIN_RUN = re.compile(r"[A-Za-z]{3,}")
HAN = re.compile(r"[\u3400-\u9fff]+")
CODE_LIKE = re.compile(r"[._/()=\[\]{}<>`@#|\\]|\w_\w")  # a token with these is an identifier, a path or a formula

# Text nodes the visitor sees, titles and placeholders, skipping code (checked apart), Streamlit's icon
# ligatures ("keyboard_arrow_down"), the language switch (each language under its own name) and Streamlit's own
# uploader box.
READ_PAGE = ("""(skipped) => {
  const skip = ['[data-testid=stCode]', 'code', '.katex-mathml', '[data-testid=stIconMaterial]',
                '.st-key-lang_switch', '[data-testid=stStatusWidget]', 'script', 'style', 'noscript', """
             """...skipped].join(',');
  const texts = [];
  // A document, or the shadow root of one of our components (the drawing pad, the live text box), whose
  // screen-reader labels are ours too (Streamlit's own, "Collapse sidebar", are English only).
  const read = (root, ours) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, element = node.parentElement;
      if (!node.textContent.trim() || !element || element.closest(skip)) continue;
      if (element.checkVisibility && !element.checkVisibility({visibilityProperty: true})) continue;
      texts.push(node.textContent.trim());
    }
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot) read(element.shadowRoot, true);
      if (element.closest(skip)) continue;
      const title = element.getAttribute('title'), placeholder = element.getAttribute('placeholder');
      const label = ours ? element.getAttribute('aria-label') : null;
      for (const said of [title, label]) if (said && said.trim()) texts.push(said.trim());
      if (placeholder && placeholder.trim() && !element.value) texts.push(placeholder.trim());  // shown while empty
    }
  };
  read(document.body, false);
  const code = [...document.querySelectorAll('[data-testid=stCode] code')]
    .map(block => ({python: /language-python/.test(block.className), text: block.innerText}));
  return {texts, code};
}""")
# The cells of every table: Streamlit draws them on a canvas, so they are read from its data grid's accessible copy.
READ_TABLES = ("() => [...document.querySelectorAll('[data-testid=stDataFrame] [role=gridcell], "
               """[data-testid=stDataFrame] [role=columnheader]')]
  .map(cell => cell.innerText.trim()).filter(Boolean)""")


def comments(source: str) -> list[str]:
    """The comments and docstrings of a Python script: what a reader reads in words."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source + "\n").readline):
        if token.type == tokenize.COMMENT:
            found.append(token.string.lstrip("#").strip())
        elif token.type == tokenize.STRING and token.string.startswith(('"""', "'''")):
            found.append(token.string.strip("\"'"))
    return found


def is_code(comment: str) -> bool:
    """A comment that is itself a line of Python (a step shown but not run), not a word that parses as a name."""
    if not re.search(r"[=(\[.]", comment):
        return False
    try:
        compile(comment.strip(), "<comment>", "exec")
    except SyntaxError:
        return False
    return True


def foreign_words(text: str, lang: str) -> list[str]:
    """The words in `text` that belong to the other language and are no name, code or unit."""
    for as_it_is in AS_IT_IS[lang]:
        text = text.replace(as_it_is, " ")
    text = re.sub(r"`[^`]*`", " ", text)  # `code` inside a sentence
    if lang == "en":
        return HAN.findall(text)
    words = []
    for token in text.split():
        if CODE_LIKE.search(token):
            continue
        words += [run for run in LATIN_RUN.findall(token) if run.lower() not in NAMES]
    return words


def open_everything(page) -> None:
    """Open every expander (the code panel among them), so their texts count too. One at a time: opening a lazy one
    (ui.lazy_expander) runs the page again, and what it redraws is clicked only once it is still."""
    # Not the phone's copy of the page's introduction (ui.page_intro), hidden on a wide screen.
    summaries = page.locator("[data-testid='stMain'] [data-testid='stExpander']:not(.st-key-page_intro_folded *)"
                             " summary")
    for index in range(summaries.count()):
        summary = summaries.nth(index)
        if summary.is_visible() and summary.evaluate("s => !s.closest('details').open"):
            summary.click()
            wait_for_app(page)
    # Each one open, done unfolding (Streamlit animates the height of the <details>, then clears it), and filled.
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stExpander]"
                           " details')].filter(d => d.checkVisibility()).every(d => d.open && !d.style.height"
                           " && !d.getAnimations().length"
                           " && d.querySelector('[data-testid=stExpanderDetails] [data-testid=stElementContainer]'))")


def read_page(page) -> dict:
    shown = page.evaluate(READ_PAGE, STREAMLIT_OWN)
    shown["tables"] = page.evaluate(READ_TABLES)
    return shown


def words_in_the_other_language(shown: dict, lang: str) -> dict[str, list[str]]:
    """{where: [foreign words]} for what a page shows."""
    found = {}
    for text in shown["texts"] + shown["tables"]:
        if words := foreign_words(text, lang):
            found[text[:80]] = words
    for block in shown["code"]:
        for comment in comments(block["text"]) if block["python"] else []:
            if not is_code(comment) and (words := foreign_words(comment, lang)):
                found["# " + comment[:78]] = words
    return found


def train_the_tutorial(page, lang) -> None:
    click(page, i18n.text(lang, "text.tutorial.train"))
    page.get_by_text(i18n.text(lang, "text.tutorial.accuracy")).wait_for(timeout=120_000)  # TensorFlow loads first


def step_ten(page, lang) -> None:
    click(page, i18n.text(lang, "xor.step", n=10))


# A page in use shows more than a page just opened: (its address with settings, what the visitor does there).
# /digits in use has a test of its own, shared with axe-core's check of it.
IN_USE = {
    "xor": ("xor?model=mlp", step_ten),
    "text": ("text", train_the_tutorial),
}
# A visitor's browser in their language on a laptop, for both checks: wider than the app's narrow layout (641 px,
# ui.presentation) and Streamlit's; axe-core measures the whole document, not just what the viewport shows.
LOCALES = {"zh": "zh-CN", "en": "en-US"}


@contextlib.contextmanager
def visit(people, url: str, lang: str):
    """`url` in `lang`, in a browser of a visitor of that language: yields the page, just asked for."""
    page = people.page(locale=LOCALES[lang])
    page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
    yield page


def read_with_everything_open(page) -> dict:
    open_everything(page)
    wait_for_charts(page)
    return {**read_page(page), "document": page.evaluate("[document.documentElement.lang, document.title]")}


def assert_in_the_visitors_language(shown: dict, lang: str) -> None:
    assert len(shown["texts"]) > 10  # the page was read at all
    found = words_in_the_other_language(shown, lang)
    assert not found, "\n".join(f"{where!r}: {words}" for where, words in found.items())


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_passes_axe_and_speaks_the_visitors_language(people, served, path, lang):
    """Both checks of every page in one visit: axe-core finds no critical or serious violation on the page as it
    opens (axe.checked: drawn, still, nothing stale); then, every expander open, it speaks
    the visitor's language, and its document says that language and the page's title."""
    with visit(people, f"{served}/{path}", lang) as page:
        assert checked(page) == []
        shown = read_with_everything_open(page)
    assert_in_the_visitors_language(shown, lang)
    # The document says its language (a screen reader picks its voice by it) and the page's own title.
    title = i18n.text(lang, TITLES.get(path, f"page.{path.replace('-', '_')}"))
    assert shown["document"] == [{"zh": "zh-CN", "en": "en"}[lang], f"{title} · dlplay"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", sorted(IN_USE))
def test_a_page_in_use_speaks_the_visitors_language(people, served, path, lang):
    address, action = IN_USE[path]
    with visit(people, f"{served}/{address}", lang) as page:
        wait_for_app(page)
        action(page, lang)
        wait_for_app(page)
        shown = read_with_everything_open(page)
    assert_in_the_visitors_language(shown, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_digits_after_a_drawing_passes_axe_and_speaks_the_visitors_language(people, served, lang):
    """/digits in use, both checks in one visit: every picture it draws once it has read a drawing (the steps,
    MNIST's examples, the inside of the network) has a text alternative, a screen reader hears the prediction and
    axe-core finds no critical or serious violation; then, every expander open, it speaks the visitor's language."""
    with visit(people, f"{served}/digits?inside=true", lang) as page:
        wait_for_app(page)
        box = page.locator("canvas").first.bounding_box()  # the pad's (Playwright's CSS reaches into its shadow root)
        x, y, side = box["x"], box["y"], box["width"]
        stroke(page, [(x + side / 2, y + side * (0.15 + 0.7 * k / 29)) for k in range(30)], pause_ms=16)  # a one
        page.locator("[data-testid=stImage] img").nth(8).wait_for()  # the steps, the examples, the filters...
        images = page.locator("[data-testid=stMain] img").evaluate_all("images => images.map(i => i.alt)")
        assert images and all(images), images
        said = page.evaluate("() => document.getElementById('dlplay-announce')?.textContent")
        predicted = metric_value(page, i18n.text(lang, "digits.prediction")).strip()
        assert said.startswith(f"{i18n.text(lang, 'digits.prediction')}: {predicted}"), said  # a screen reader hears it
        assert checked(page) == []
        shown = read_with_everything_open(page)
    assert_in_the_visitors_language(shown, lang)


def test_the_check_sees_a_word_left_in_the_other_language():
    assert foreign_words("训练后的权重 and loss 损失 x₁ keras.Input ReLU", "zh") == ["and", "loss"]
    assert foreign_words("The weights after training 训练后的权重; the loss 损失", "en") == ["损失"]
    assert comments('"""Doc."""\nx = 1  # a comment\nprint("# no comment")') == ["Doc.", "a comment"]
    assert is_code("model = tutorial_model()") and not is_code("Result") and not is_code("the model (all of it)")


def code_panels(lang: str):
    """Every code panel's script a page can show, in `lang` (no browser: the scripts come from dlplay)."""
    import dataclasses
    import itertools

    from dlplay.activations import code as activations_code
    from dlplay.activations.state import DEFAULTS
    from dlplay.activations.state import NAMES as ACTIVATION_NAMES
    from dlplay.digits import code as digits_code
    from dlplay.text import code as text_code
    from dlplay.xor import code as xor_code
    from dlplay.xor import numpy_net
    from dlplay.xor import state as xor_state

    for f in ACTIVATION_NAMES:
        yield activations_code.code({**DEFAULTS, "neuron_f": f, "f": f}, lang)
    yield xor_code.code(xor_state.TUTORIAL_DEFAULTS, lang)
    for activation, loss, init in itertools.product(numpy_net.ACTIVATIONS, numpy_net.LOSSES, numpy_net.INITS):
        yield xor_code.code(dataclasses.replace(xor_state.TUTORIAL_DEFAULTS, model="mlp", activation=activation,
                                                loss=loss, init=init), lang)
    yield digits_code.reading(lang=lang)
    for source, arch in itertools.product(("sample", "upload"), ("tutorial", "custom")):
        yield digits_code.training(keras_net.Config(arch=arch), source, lang)
    yield text_code.code(lang=lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_code_panel_comments_in_the_visitors_language(lang):
    for script in code_panels(lang):
        compile(script, "<code panel>", "exec")  # still runnable Python
        found = {comment: words for comment in comments(script)
                 if not is_code(comment) and (words := foreign_words(comment, lang))}
        assert not found, found
