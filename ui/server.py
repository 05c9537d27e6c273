"""The server's start-up, and every patch of Streamlit's private code, each with why.

`tests/unit/test_server.py` fails when an upgrade of Streamlit moves what is patched here; `pyproject.toml`
bounds `streamlit` to the versions it passed with.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import logging
import re
import time
import urllib.parse

import streamlit as st

from dlplay import i18n
from ui.components import REFUSED
from ui.guard import ENTRY_KEY
from ui.language import LANG_KEY
from ui.state import DROPPED_KEY

log = logging.getLogger("dlplay")


def report_dropped_links() -> None:
    """Make a link Streamlit will not read leave a trace (`DROPPED_KEY`, and its language) for the page to report.

    Streamlit drops the whole query of a link over 1,000 keys or 512 KiB (`sanitize_query_string`, private:
    say so if it moves) and tells only its log. The server imports this module as it starts (app.py's
    st.App), so the first visitor's link is covered too.
    """
    from streamlit.runtime import app_session
    from streamlit.runtime.state import query_params

    def leaving_a_trace(query_string: str, sanitize) -> str:
        kept = sanitize(query_string)
        if kept or not query_string:
            return kept
        lang = re.search(rf"(?:^|&){LANG_KEY}=({'|'.join(i18n.LANGUAGES)})(?:&|$)", query_string)
        return urllib.parse.urlencode({DROPPED_KEY: "1", **({LANG_KEY: lang[1]} if lang else {})})

    for module in (app_session, query_params):
        sanitize = getattr(module, "sanitize_query_string", None)
        if sanitize is None:
            log.warning("Streamlit no longer has %s.sanitize_query_string; check report_dropped_links", module.__name__)
        elif not isinstance(sanitize, functools.partial):  # not patched yet
            module.sanitize_query_string = functools.partial(leaving_a_trace, sanitize=sanitize)


report_dropped_links()

# Characters of one component message: the pad's largest drawing (100 strokes, 10,000 points) is about 0.2 MB.
MAX_COMPONENT_MESSAGE = 2**20


def component_message(text: str, kinds: tuple[type, ...] = (dict,)):
    """A component's message (JSON text from a browser) parsed within bounds, never raising: {REFUSED: why} for
    one longer than MAX_COMPONENT_MESSAGE ("too_much"), or that is not JSON of one of `kinds` ("garbled": a bare
    word, broken JSON, JSON nested deeper than Python's parser recurses)."""
    if len(text) > MAX_COMPONENT_MESSAGE:
        return {REFUSED: "too_much"}
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return {REFUSED: "garbled"}
    return parsed if isinstance(parsed, kinds) else {REFUSED: "garbled"}


def guard_component_messages() -> None:
    """Read what our components' browsers send through `component_message`, in Streamlit's own parse.

    Streamlit parses a Components v2 message before any of our code runs: the state (`json_value`) in
    `unpack_widget_state_value` and the events (`json_trigger_value`) in `handle_deserialize`, both private.
    A bare word, broken JSON or JSON nested 100,000 deep raised there (JSONDecodeError, RecursionError): the page
    showed Streamlit's own error, and as the value stayed in the session every later run failed too, until a
    reload. Now such a state reads as {REFUSED: why}, which the component says in the visitor's language
    (ui.components.refused) until its next message replaces it, and such an event as none. (A component's state
    is always a JSON object; dlplay has no Components v1, whose value may be any JSON.) The server imports this
    module as it starts, so the first visitor is covered too.
    """
    from streamlit.components.v2.bidi_component import serialization
    from streamlit.runtime.agent import widget_writes
    from streamlit.runtime.state import common, session_state

    unpack = common.unpack_widget_state_value
    if getattr(unpack, "guarded", False):
        return

    def guarded_unpack(widget_state):
        if widget_state.WhichOneof("value") == "json_value":
            return component_message(widget_state.json_value)
        return unpack(widget_state)

    def guarded_events(text: str | None):  # a list of events, or one
        parsed = None if text is None else component_message(text, (list, dict))
        return None if isinstance(parsed, dict) and REFUSED in parsed else parsed

    guarded_unpack.guarded = True
    for module in (common, session_state, widget_writes):
        if not hasattr(module, "unpack_widget_state_value"):
            log.warning("Streamlit no longer has %s.unpack_widget_state_value; check guard_component_messages",
                        module.__name__)
        module.unpack_widget_state_value = guarded_unpack
    if not hasattr(serialization, "handle_deserialize"):
        log.warning("Streamlit no longer has handle_deserialize; check guard_component_messages")
    serialization.handle_deserialize = guarded_events


guard_component_messages()


def keep_keras_state() -> None:
    """Stop Streamlit from calling keras.backend.clear_session() after every script run.

    Streamlit does that so that a script that builds a model on each run does not
    pile up Keras state. Here models are loaded once per process and shared, and
    training jobs fit models in background threads while other visitors' scripts
    run: clear_session would reset Keras' global state under a model being built,
    and it holds the GIL after every stroke and every poll (docs/benchmarks.md). The
    same goes for the gc.collect(2) after each script, switched off in
    .streamlit/config.toml.
    """
    from streamlit.runtime.scriptrunner import script_runner

    if not hasattr(script_runner, "_clean_problem_modules"):  # a private function: say so if it moves
        log.warning("Streamlit no longer has script_runner._clean_problem_modules; check keep_keras_state")
    script_runner._clean_problem_modules = lambda: None


def page_setup() -> None:
    """Make sure this page runs inside app.py, with its language switch and navigation.

    Streamlit sees our folder named `pages/` and, until some visitor has run
    app.py (which calls st.navigation) in this process, runs a requested page
    file on its own, in its old multipage mode. The first visitor of a fresh
    server who opens /activations directly would get a page with no sidebar.
    So: switch that mode off and run again, through app.py. (`serving` switches it
    off as the server starts; this stays for a server started otherwise, and AppTest.)
    """
    if st.session_state.get(ENTRY_KEY):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


@contextlib.asynccontextmanager
async def serving(_app):
    """What the server does once, as it starts, before any visitor (app.py's st.App runs it).

    Streamlit sees our folder named `pages/` and, until app.py has called st.navigation once in this process,
    resolves a visitor's first run by the pages' file names, before any of our code runs: the first visitor
    of /class or /digits-training got Streamlit's English "Page not found" dialog over the page (the other
    lessons went through page_setup's rerun). Switch that old multipage mode off before anyone comes.

    And hand Python's lock between threads every 1 ms instead of 5: a class's writes take turns
    (classroom.Store), and each of their SQLite calls lets the lock go and waits to get it back from a
    busy thread (a training run, another page); at 5 ms a turn, 30 students' drawings queued for up to
    seconds behind one another while the server used under one core (bench/bench_classroom.py).

    And warm up (`_warm`): the first visitor of /digits then finds its modules and models read.
    """
    import sys

    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    sys.setswitchinterval(SWITCH_INTERVAL)
    import threading

    threading.Thread(target=_warm, name="dlplay-warm", daemon=True).start()
    yield None


SWITCH_INTERVAL = 0.001  # seconds (Python's default: 0.005)
# What the lessons import and read, none of it TensorFlow (tests/unit/test_structure.py checks; bench_cold_start.py
# looks for it in the server after /digits): imported as the server starts, the first visitor of /digits waits for
# none of it.
WARM = ("pandas", "plotly.graph_objects", "PIL.Image", "h5py", "dlplay.digits.reading", "dlplay.digits.pictures",
        "dlplay.digits.jobs", "dlplay.digits.finetune", "dlplay.digits.preprocess", "dlplay.digits.strokes",
        "dlplay.xor.numpy_net", "dlplay.activations", "dlplay.text.numpy_net")


WARM_AFTER = 3.0  # seconds: a visitor who comes as the server starts gets home first (bench: spawn → home < 3 s)


def _warm(after: float = WARM_AFTER) -> None:
    """Import the lessons' modules and read the shipped digit models once (the files then sit in the OS's cache),
    in a background thread soon after the server's start; a failure here only means a slower first page."""
    time.sleep(after)
    try:
        for name in WARM:
            importlib.import_module(name)
        from dlplay.digits import reading as digits

        for name in digits.MODELS:
            digits.load_shipped(name)
    except Exception:  # noqa: BLE001 - the page will import it again and report what is wrong
        log.exception("warming up failed")


def session_id() -> str:
    """This visitor's session, to tell whose a shared job is (logs only)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return getattr(get_script_run_ctx(), "session_id", "") or ""
