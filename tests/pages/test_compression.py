"""ui/compression.py at the ASGI level, around Starlette's StaticFiles as Streamlit serves /static/ (64 KiB chunks,
an ETag, `immutable`): a script goes out gzip-compressed to a browser that accepts it, compressed once however many
ask, plain to one that does not; the websocket, partial and conditional answers and fonts pass as they came.
tests/browser/test_compression_browser.py checks the same against the running app."""

import asyncio
import concurrent.futures
import gzip
import random

import pytest
from starlette.datastructures import MutableHeaders
from starlette.staticfiles import StaticFiles

from ui import compression

SCRIPT = "/static/js/index.Ab12Cd34.js"
IMMUTABLE = "public, immutable, max-age=31536000"


@pytest.fixture
def app(tmp_path):
    """Compression around StaticFiles over a folder like Streamlit's static/ (a 300 KB script, a font)."""
    (tmp_path / "js").mkdir()
    (tmp_path / "media").mkdir()
    words = random.Random(0).choices(["const", "let", "return", "function", "=>", "{", "}", "x", "y", "0"], k=60_000)
    (tmp_path / "js" / "index.Ab12Cd34.js").write_text(" ".join(words))
    (tmp_path / "media" / "font.Ef56.woff2").write_bytes(random.Random(1).randbytes(20_000))
    files = StaticFiles(directory=tmp_path)
    websockets = []

    async def streamlit(scope, receive, send):
        if scope["type"] == "websocket":
            websockets.append(send)
            return

        async def immutable(message):
            if message["type"] == "http.response.start" and message["status"] == 200:
                MutableHeaders(raw=message["headers"])["Cache-Control"] = IMMUTABLE
            await send(message)

        await files({**scope, "root_path": "/static"}, receive, immutable)

    middleware = compression.Compression(streamlit)
    middleware.websockets = websockets
    middleware.file = (tmp_path / "js" / "index.Ab12Cd34.js").read_bytes()
    return middleware


def run(coroutine):
    """`coroutine` run to its end on an event loop of its own, in a thread: in a session that ran the browser tests
    first, Playwright's sync API keeps a loop running in this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def get(app, path: str, **headers) -> tuple[int, dict, bytes]:
    """A GET of `path` through `app`: its status, headers and body as the server would send them."""
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "query_string": b"",
             "headers": [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()]}
    sent, requested = [], []

    async def receive():  # the request, then nothing until the browser goes (a server's receive() waits)
        if not requested:
            requested.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    start, *bodies = sent
    return (start["status"], {k.decode(): v.decode() for k, v in start["headers"]},
            b"".join(m.get("body", b"") for m in bodies))


def test_a_script_goes_out_gzipped_to_a_browser_that_accepts_it_and_plain_otherwise(app):
    status, headers, body = run(get(app, SCRIPT, accept_encoding="gzip, deflate"))
    assert status == 200 and headers["content-encoding"] == "gzip" and headers["cache-control"] == IMMUTABLE
    assert gzip.decompress(body) == app.file and int(headers["content-length"]) == len(body) < len(app.file) / 2
    assert "accept-encoding" in headers["vary"].lower()
    status, headers, body = run(get(app, SCRIPT))
    assert status == 200 and "content-encoding" not in headers and body == app.file


def test_thirty_browsers_at_once_cost_one_compression(app, monkeypatch):
    calls, compress = [], gzip.compress
    monkeypatch.setattr(compression.gzip, "compress", lambda body, **kw: calls.append(1) or compress(body, **kw))

    async def class_arrives():
        return await asyncio.gather(*(get(app, SCRIPT, accept_encoding="gzip") for _ in range(30)))

    answers = run(class_arrives()) + [run(get(app, SCRIPT, accept_encoding="gzip"))]
    assert len(calls) == 1
    assert all(headers["content-encoding"] == "gzip" and gzip.decompress(body) == app.file
               for _, headers, body in answers)


@pytest.mark.parametrize("path, headers, status", [
    (SCRIPT, {"range": "bytes=0-99"}, 206),  # its Content-Range counts the file's bytes
    (SCRIPT, {"if_none_match": "*"}, 304),
    ("/static/media/font.Ef56.woff2", {}, 200),  # compressed already
], ids=["partial", "not modified", "font"])
def test_what_is_not_a_whole_text_file_passes_as_it_came(app, path, headers, status):
    got_status, got, _ = run(get(app, path, accept_encoding="gzip", **headers))
    assert got_status == status and "content-encoding" not in got


def test_the_websocket_passes_untouched(app):
    async def send(message):
        pass

    run(app({"type": "websocket", "path": "/_stcore/stream", "headers": [(b"accept-encoding", b"gzip")]},
                    None, send))
    assert app.websockets == [send]
