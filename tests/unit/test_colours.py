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


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two colours "#rrggbb"."""
    def luminance(colour):
        linear = [(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
                  for c in (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_class_confusions_counts_read_on_every_cell_and_the_marks_on_the_page():
    cells = [colour for _, colour in colours.MISTAKES] + [colours.RIGHT_CELL]
    assert min(contrast(colours.CELL_TEXT, cell) for cell in cells) >= 4.5  # WCAG AA for text
    assert min(contrast(mark, "#ffffff") for mark in (colours.RIGHT, colours.WRONG)) >= 3  # a frame on the page


def test_every_line_bar_and_mark_shows_at_3_to_1_on_the_page():
    """WCAG 1.4.11: a chart's lines, bars and points are read against the white page at 3:1 at least (Playground's
    orange was 2.3:1, Streamlit's default light blue 1.8:1)."""
    drawn = [colours.NEGATIVE, colours.POSITIVE, colours.LINE, colours.SECOND_LINE, colours.BAR, colours.MUTED,
             *colours.SERIES]
    assert {colour: round(contrast(colour, "#ffffff"), 2) for colour in drawn if contrast(colour, "#ffffff") < 3} == {}
