"""A page's settings in the URL: parsing, round trips, and nonsense reset with a report."""

import math

import pytest

from dlplay import url_state
from dlplay.url_state import Param

PARAMS = [
    Param("w", 0.5, low=-5, high=5, step=0.1),
    Param("n", 3, low=1, high=8, step=1, kind="int"),
    Param("f", "tanh", choices=("sigmoid", "tanh", "relu"), kind="choice"),
    Param("d", True, kind="bool"),
    Param("logits", [2.0, 1.0, 0.1], low=-50, high=50, kind="floats"),
    Param("text", "", high=20, kind="text"),
]
DEFAULTS = {p.name: p.default for p in PARAMS}


def test_defaults_make_an_empty_link():
    assert url_state.write(PARAMS, DEFAULTS) == {}
    assert url_state.read(PARAMS, {}) == (DEFAULTS, [])


@pytest.mark.parametrize("values", [
    {"w": -1.3, "n": 8, "f": "relu", "d": False, "logits": [0.0, -2.5], "text": "不好 at all"},
    {"w": 5.0, "n": 1, "f": "sigmoid", "d": True, "logits": [1e-3], "text": "a,b&c=d"},
])
def test_a_link_round_trips(values):
    query = url_state.write(PARAMS, values)
    assert all(isinstance(v, str) for v in query.values())
    read, problems = url_state.read(PARAMS, query)
    assert problems == []
    assert read == values


@pytest.mark.parametrize("key, raw", [
    ("w", "6"), ("w", "nan"), ("w", "inf"), ("w", "abc"), ("w", ""),
    ("n", "2.5"), ("n", "0"), ("f", "Tanh"), ("f", "softmax"), ("d", "yes"),
    ("logits", "1,,x"), ("logits", "1e400"), ("logits", ",".join(["1"] * 65)), ("logits", "99"),
    ("text", "x" * 21),
])
def test_nonsense_falls_back_to_the_default_and_is_reported(key, raw):
    good = ("d", "false") if key != "d" else ("f", "relu")
    values, problems = url_state.read(PARAMS, {key: raw, good[0]: good[1]})
    assert values[key] == DEFAULTS[key]
    assert problems == [(key, raw)]
    assert values[good[0]] == url_state.read(PARAMS, dict([good]))[0][good[0]] != DEFAULTS[good[0]]  # kept


def test_unknown_keys_are_reported_unless_another_part_of_the_app_reads_them():
    values, problems = url_state.read(PARAMS, {"lang": "zh", "zz": "1", "w": "1"}, ignore=("lang",))
    assert values["w"] == 1.0
    assert problems == [("zz", "1")]


def test_a_repeated_key_takes_its_last_value():
    assert url_state.read(PARAMS, {"n": ["2", "5"]})[0]["n"] == 5


def test_parse_floats_reads_chinese_commas_and_spaces():
    assert url_state.parse_floats("2，1 0.1") == [2.0, 1.0, 0.1]
    for bad in ("1,nan", "1,x", "inf"):
        with pytest.raises(ValueError):
            url_state.parse_floats(bad)


def test_format_value_is_short_and_exact():
    assert url_state.format_value(0.1) == "0.1"
    assert url_state.format_value(True) == "true"
    assert url_state.format_value([2.0, 1.0]) == "2,1"
    assert float(url_state.format_value(math.pi)) == pytest.approx(math.pi, rel=1e-5)


@pytest.mark.parametrize(("text", "safe"), [
    ("good \ud800 film", "good \ufffd film"),  # half of a character, as JSON may carry one
    ("\udfff\ud800", "\ufffd\ufffd"),
    ("a\ud83d\ude00b", "a\U0001f600b"),  # both halves, in order: the character they make
    ("这家酒店很干净 😀 ok", "这家酒店很干净 😀 ok"),
])
def test_text_is_made_fit_for_a_link(text, safe):
    assert url_state.link_safe(text) == safe
    safe.encode("utf-8")  # what a link is written in
