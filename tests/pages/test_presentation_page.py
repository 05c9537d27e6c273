"""Presentation mode (for a projector) travels in the link like every setting; charts are made for touch and
speak the visitor's language."""

import json

import pytest

from dlplay import i18n

from .conftest import assert_healthy, open_page

PAGES = ["pages/activations.py", "pages/xor.py", "pages/digits.py", "pages/digits_training.py", "pages/text.py"]


def switch(at):
    return next(toggle for toggle in at.toggle if toggle.key == "present_switch")


def charts(at) -> list[tuple[dict, dict]]:
    """(figure, config) of every plotly chart on the page, as sent to the browser."""
    return [(json.loads(chart.proto.spec), json.loads(chart.proto.config)) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("page", PAGES, ids=[p.split("/")[1][:-3] for p in PAGES])
def test_a_presenting_link_folds_the_intro_and_keeps_the_pages_own_settings(page):
    at = open_page(page, "zh", present="1")
    assert_healthy(at)
    assert switch(at).value is True
    assert at.query_params["present"] == "1"
    assert at.expander[0].label == i18n.text("zh", "app.intro")  # the page's introduction, folded
    assert not [info for info in at.info if info.value.startswith(i18n.text("zh", "app.notice.ignored", items="")[:8])]


def test_without_the_link_nothing_is_folded_but_the_intro_for_a_phone():
    """The page's introduction is shown; its folded copy is the one a phone shows (ui.page_intro, by CSS). The
    sections' introductions are not folded."""
    at = open_page("pages/activations.py", "en")
    assert switch(at).value is False and "present" not in at.query_params
    intro = i18n.text("en", "activations.intro")
    assert at.markdown[0].value == intro
    folded = [expander for expander in at.expander if expander.label == i18n.text("en", "app.intro")]
    assert len(folded) == 1 and folded[0].markdown[0].value == intro
    assert i18n.text("en", "app.more") not in [expander.label for expander in at.expander]


def test_the_switch_writes_the_link_and_the_page_settings_stay():
    at = open_page("pages/activations.py", "en", w1="2.5")
    switch(at).set_value(True).run()
    assert at.query_params["present"] == "1" and at.query_params["w1"] == "2.5"
    assert at.expander[0].label == i18n.text("en", "app.intro")
    switch(at).set_value(False).run()
    assert "present" not in at.query_params and at.query_params["w1"] == "2.5"


def test_presented_charts_have_larger_labels_and_fit_the_projector():
    for figure, _ in charts(open_page("pages/activations.py", "en", present="1")):
        layout = figure["layout"]
        assert layout["font"]["size"] >= 18 and layout["xaxis"]["tickfont"]["size"] >= 16
        assert layout["height"] <= 380


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_charts_never_trap_a_finger_and_speak_the_visitors_language(lang):
    shown = charts(open_page("pages/activations.py", lang))
    assert len(shown) == 4
    for figure, config in shown:
        layout = figure["layout"]
        assert layout["dragmode"] is False and layout["xaxis"]["fixedrange"] and layout["yaxis"]["fixedrange"]
        assert config["displayModeBar"] is False and config["doubleClick"] is False
    if lang == "zh":
        dictionary = config["locales"][config["locale"]]["dictionary"]
        assert dictionary["Double-click to zoom back out"] == i18n.text("zh", "app.plotly.zoom_back")
    else:
        assert "locale" not in config
