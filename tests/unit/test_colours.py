"""The one colour scale: orange low or negative, grey between, blue high or positive, on every page."""

from pathlib import Path

from dlplay import colours

ROOT = Path(__file__).resolve().parents[2]


def test_the_scale_runs_from_negative_through_grey_to_positive():
    assert colours.SCALE == [[0.0, colours.NEGATIVE], [0.5, colours.MIDDLE], [1.0, colours.POSITIVE]]
    assert colours.heatmap(0.5) == {"colorscale": colours.SCALE, "zmid": 0.5}


def test_no_page_picks_a_diverging_scale_of_its_own():
    """Red-blue scales (RdBu, and its reverse) gave blue three meanings on three pages (issue 15)."""
    offenders = [str(p.relative_to(ROOT)) for p in [*ROOT.glob("pages/*.py"), *ROOT.glob("dlplay/**/*.js")]
                 if "RdBu" in p.read_text(encoding="utf-8")]
    assert offenders == []
