"""The running app's HTTP responses gzip-compressed (ui/compression.py): Streamlit's own scripts, which it serves
plain, reach a browser that accepts gzip compressed and whole, and stay a year in its cache; a lesson opens over
them in Chromium, its websocket connected."""

import gzip
import re
import urllib.request

import pytest

from dlplay import i18n

from .helpers import wait_for_app

pytestmark = pytest.mark.slow


def fetch(url: str, **headers) -> tuple[dict, bytes]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_streamlits_scripts_go_out_gzipped_whole_and_cached_for_a_year(app_url):
    headers, page = fetch(app_url + "/", **{"Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") == "gzip"
    script = re.search(r'src="\./(static/js/index\.[\w-]+\.js)"', gzip.decompress(page).decode())[1]

    gzipped, compressed = fetch(f"{app_url}/{script}", **{"Accept-Encoding": "gzip, deflate"})
    plain, body = fetch(f"{app_url}/{script}")
    assert gzipped.get("content-encoding") == "gzip" and "content-encoding" not in plain
    assert gzip.decompress(compressed) == body and len(compressed) < len(body) / 2
    for headers in (gzipped, plain):
        assert headers["cache-control"].replace(" ", "").split(",") == ["public", "immutable", "max-age=31536000"]


@pytest.fixture
def page(fresh_page):
    """What these tests see is what the server sends, not what a profile kept."""
    return fresh_page


def test_a_lesson_opens_over_compressed_scripts(page, app_url):
    encodings = {}
    page.on("response", lambda r: encodings.update({r.url: r.headers.get("content-encoding")})
            if "/static/js/" in r.url else None)
    page.goto(f"{app_url}/digits?lang=en")
    wait_for_app(page)  # the websocket connected, the script run
    assert page.locator("[data-testid='stMainBlockContainer'] h1").first.inner_text() == i18n.text("en", "digits.title")
    assert encodings and set(encodings.values()) == {"gzip"}, encodings


def test_the_code_highlighter_is_fetched_only_by_who_opens_the_code(page, app_url):
    """st.code's highlighter is Streamlit's second-biggest script (0.5 MB gzipped): the code panels are drawn only
    once opened (ui.lazy_expander), so a student who never opens one never fetches it. Opening one fetches it and
    shows the program."""
    fetched = []
    page.on("response", lambda r: fetched.append(r.url) if "/static/js/" in r.url else None)
    page.goto(f"{app_url}/activations?lang=en")
    wait_for_app(page)
    page.locator("[data-testid=stPlotlyChart]").first.wait_for()  # the page drawn, its charts' script fetched
    highlighter = [url for url in fetched if "StreamlitSyntaxHighlighter" in url]
    assert any("PlotlyChart" in url for url in fetched) and not highlighter, highlighter
    page.get_by_text(i18n.text("en", "code.title")).click()
    page.locator("[data-testid=stCode]").filter(has_text="def sigmoid(").first.wait_for()
    assert any("StreamlitSyntaxHighlighter" in url for url in fetched)
