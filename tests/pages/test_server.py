"""ui/server.py: the server's start-up, and the private parts of Streamlit it patches, still where it patches them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What ui/server.py patches or sets: (module, name, where Streamlit itself uses it by that name).
PATCHED = [
    ("streamlit.runtime.state.query_params", "sanitize_query_string", "streamlit.runtime.state.query_params"),
    ("streamlit.runtime.app_session", "sanitize_query_string", "streamlit.runtime.app_session"),
    ("streamlit.runtime.scriptrunner.script_runner", "_clean_problem_modules",
     "streamlit.runtime.scriptrunner.script_runner"),
    ("streamlit.runtime.pages_manager", "PagesManager.uses_pages_directory",
     "streamlit.runtime.scriptrunner.script_runner"),
    ("streamlit.runtime.state.common", "unpack_widget_state_value", "streamlit.runtime.state.session_state"),
    ("streamlit.runtime.agent.widget_writes", "unpack_widget_state_value", "streamlit.runtime.agent.widget_writes"),
    ("streamlit.components.v2.bidi_component.serialization", "handle_deserialize",
     "streamlit.components.v2.bidi_component.serialization"),
]

SCRIPT = """
import importlib, inspect, sys, types

def names_used(module):
    found, todo = set(), [f.__code__ for _, f in inspect.getmembers(module, inspect.isfunction)]
    for _, cls in inspect.getmembers(module, inspect.isclass):
        todo += [f.__code__ for _, f in inspect.getmembers(cls, inspect.isfunction)]
    while todo:
        code = todo.pop()
        found.update(code.co_names)
        todo += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return found

missing = []
for module, name, user in PATCHED:
    target = importlib.import_module(module)
    for part in name.split("."):
        if not hasattr(target, part):
            missing.append(f"{module}.{name} is gone")
            break
        target = getattr(target, part)
    if name.split(".")[-1] not in names_used(importlib.import_module(user)):
        missing.append(f"{user} no longer uses {name}")
print(missing)
"""


@pytest.mark.slow
def test_what_the_server_patches_is_still_where_streamlit_uses_it():
    """Fails when an upgrade of Streamlit moves, renames or stops using what ui/server.py patches: then read
    each patch's reason there, mend it, and move pyproject.toml's bound on streamlit."""
    run = subprocess.run([sys.executable, "-c", f"PATCHED = {PATCHED!r}\n" + SCRIPT], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[]"


@pytest.mark.slow
def test_the_patch_check_sees_a_name_streamlit_does_not_have():
    patched = [("streamlit.runtime.app_session", "no_such_name", "streamlit.runtime.app_session")]
    run = subprocess.run([sys.executable, "-c", f"PATCHED = {patched!r}\n" + SCRIPT],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "no_such_name is gone" in run.stdout


def test_the_server_starts_with_the_old_pages_mode_off_and_short_thread_turns(monkeypatch):
    """ui.server.serving, run by app.py's st.App as the server starts (tests/browser/test_first_visit_browser.py shows
    the first visitor it is for)."""
    import asyncio
    import concurrent.futures
    import sys

    from streamlit.runtime.pages_manager import PagesManager

    from ui import server

    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    before = sys.getswitchinterval()

    async def start() -> tuple:
        async with server.serving(None):
            return PagesManager.uses_pages_directory, sys.getswitchinterval()

    try:
        # In a thread of its own: after the browser tests, this thread may already hold a running event loop.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            started = pool.submit(asyncio.run, start()).result()
        assert started == (False, server.SWITCH_INTERVAL) and server.SWITCH_INTERVAL < 0.005
    finally:
        sys.setswitchinterval(before)


# What a browser (or a client that speaks Streamlit's protocol) may send as a component's message, issue 27.
DEEP = "[" * 100_000 + "]" * 100_000
HOSTILE_MESSAGES = {
    "a bare word": ("hello", "garbled"),
    "broken JSON": ('{"drawing": {"strokes": [1,', "garbled"),
    "JSON nested 100,000 deep": (DEEP, "garbled"),
    "nested deep inside an object": ('{"drawing": ' + DEEP + "}", "garbled"),
    "a JSON string, not an object": ('"hello"', "garbled"),
    "an integer of 5,000 digits": ('{"n": ' + "9" * 5000 + "}", "garbled"),
    "12 MB": ('{"value": "' + "x" * 12 * 2**20 + '"}', "too_much"),
}


@pytest.mark.parametrize("text, why", HOSTILE_MESSAGES.values(), ids=HOSTILE_MESSAGES.keys())
def test_a_component_message_that_is_no_message_is_refused_in_streamlits_own_parse(text, why):
    """ui.server.guard_component_messages: Streamlit's parse of a component's state and events, as the server
    runs it, never raises; the state says why (ui.components.refused), an event is none."""
    from streamlit.components.v2.bidi_component import serialization
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from streamlit.runtime.state import session_state

    import ui  # noqa: F401 - the server imports it as it starts
    from ui.components import refused

    state = WidgetState(id="pad", json_value=text)
    assert refused(session_state.unpack_widget_state_value(state)) == why
    assert serialization.deserialize_trigger_list(text) is None


def test_a_components_good_message_is_read_as_it_was_sent():
    from streamlit.components.v2.bidi_component import serialization
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    from streamlit.runtime.state import session_state

    import ui  # noqa: F401
    from ui.components import refused

    drawing = {"drawing": {"strokes": [[1.5, 2.0, 3, 4]], "live": True, "n": 3}}
    read = session_state.unpack_widget_state_value(WidgetState(id="pad", json_value=json.dumps(drawing)))
    assert read == drawing and refused(read) is None
    events = [{"event": "step", "value": {"epochs": 1}}]
    assert serialization.deserialize_trigger_list(json.dumps(events)) == events
    assert serialization.deserialize_trigger_list(json.dumps(events[0])) == events
    assert session_state.unpack_widget_state_value(WidgetState(id="x", string_value="hello")) == "hello"
