"""Compression in the process: the page and Streamlit's scripts leave gzip-compressed when the browser accepts it.

Streamlit 1.67 gzips most responses itself, but serves "/" and /static/ (its JavaScript, CSS and fonts)
uncompressed on purpose and expects a proxy in front to compress and cache them; a teacher's laptop has none, and
each student's first visit to a lesson pulled megabytes of plain JavaScript through the room's access point
(docs/benchmarks.md, *Bytes transferred*). app.py's st.App puts `middleware()` around Streamlit's own.

Streamlit's reason holds on a laptop too: gzip for every request would spend CPU on every student's copy of the
same 8 MB, in 64 KiB slices on the event loop that carries every websocket. But a /static/ file is named by a hash
of its content and never changes, so each is compressed once, at gzip's best level in a worker thread, and served
from memory after that: thirty students at the bell cost one compression. Only files visitors asked for are kept
(all of Streamlit's would be 7 MB). Streamlit already sends them with `Cache-Control: public, immutable,
max-age=31536000`, so a second visit fetches none of them again.

Gzip only: browsers offer brotli and zstd over HTTPS and to localhost alone, and a class reaches the laptop at
http://<its address on the room's network>, where Chromium asks for "gzip, deflate". The websocket (not HTTP)
passes through untouched.
"""

from __future__ import annotations

import gzip

import anyio
import anyio.to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATIC = "/static/"  # Streamlit's hashed files (BASE_ROUTE_STATIC), behind the server's base URL if it has one
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")  # not fonts nor images
KEEP_AT_MOST = 32 * 2**20  # bytes: all of Streamlit's scripts and styles compressed are 7 MB; odd spellings of
# their paths (/static/js//x.js) beyond that are compressed for each request, not kept


def middleware() -> list[Middleware]:
    """What app.py gives st.App: the outermost layer, so it sees the responses Streamlit leaves plain."""
    return [Middleware(Compression)]


class Compression:
    """ASGI middleware: /static/ files gzip-compressed once each and kept; every other HTTP response through
    Starlette's GZipMiddleware (which leaves what Streamlit has already compressed as it is)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app)  # "/", which Streamlit leaves plain too: 8 KB, compressed for each request
        self.kept: dict[tuple[str, str], bytes] = {}  # (path, ETag) of an immutable file → its body compressed
        self.limiter: anyio.CapacityLimiter | None = None  # one compression at a time, off the event loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "gzip" not in Headers(scope=scope).get("accept-encoding", ""):
            await self.app(scope, receive, send)
        elif scope["method"] == "GET" and STATIC in scope["path"]:
            await self.app(scope, receive, StaticFile(self, scope["path"], send).send)
        else:
            await self.gzip(scope, receive, send)

    async def gzipped(self, body: bytes, key: tuple[str, str] | None) -> bytes:
        """`body` compressed, and kept under `key` (None: not kept)."""
        if key not in self.kept:
            self.limiter = self.limiter or anyio.CapacityLimiter(1)
            return await anyio.to_thread.run_sync(self._compress, body, key, limiter=self.limiter)
        return self.kept[key]

    def _compress(self, body: bytes, key: tuple[str, str] | None) -> bytes:
        if key in self.kept:  # another request compressed it while this one waited its turn
            return self.kept[key]
        compressed = gzip.compress(body, compresslevel=9, mtime=0)
        if key is not None and sum(map(len, self.kept.values())) + len(compressed) <= KEEP_AT_MOST:
            self.kept[key] = compressed
        return compressed


class StaticFile:
    """One response to a GET of /static/: a whole text file (200) goes out compressed, from memory if it is
    immutable (Streamlit's hashed names) and was asked for before; anything else (304, 206, a font) as it came."""

    def __init__(self, compression: Compression, path: str, send: Send) -> None:
        self.compression, self.path, self.downstream = compression, path, send
        self.start: Message | None = None  # held until the body is compressed; None: passing the response as it is
        self.key: tuple[str, str] | None = None  # what the compressed body is kept under
        self.body: list[bytes] = []
        self.sent = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = Headers(raw=message["headers"])
            if (message["status"] == 200 and "content-encoding" not in headers
                    and headers.get("content-type", "").startswith(COMPRESSIBLE)):
                self.start = message
                if "immutable" in headers.get("cache-control", "") and "etag" in headers:
                    self.key = (self.path, headers["etag"])
                if self.key in self.compression.kept:  # from memory; the file's own body is dropped
                    await self._send(self.compression.kept[self.key])
                return
        elif message["type"] == "http.response.body" and self.start is not None:
            if not self.sent:
                self.body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._send(await self.compression.gzipped(b"".join(self.body), self.key))
            return
        await self.downstream(message)

    async def _send(self, body: bytes) -> None:
        headers = MutableHeaders(raw=self.start["headers"])
        headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(body))
        headers.add_vary_header("Accept-Encoding")
        await self.downstream(self.start)
        await self.downstream({"type": "http.response.body", "body": body, "more_body": False})
        self.sent, self.body = True, []
