"""The shape of the code: logic never touches the UI, lessons stay apart, nothing imports in a circle."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dlplay"
LESSONS = ("activations", "xor", "digits", "text")
SHARED = ("settings", "i18n", "locales")  # used by every lesson; never import one
MAX_LINES = 400
LONG_MODULES = {
    # Data, not logic: one catalogue per language holds every text of every page.
    "dlplay.locales.en", "dlplay.locales.zh",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """Every module of ours that `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return found


def graph() -> dict[str, set[str]]:
    return {name: {m for m in imports_of(path) if m in MODULES and m != name} for name, path in MODULES.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def lesson_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LESSONS else None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_every_lesson_has_its_package():
    assert {lesson_of(m) for m in MODULES} - {None} == set(LESSONS)


def test_no_import_cycle_in_dlplay():
    assert find_cycle(graph()) is None


def test_lessons_never_import_each_other():
    crossings = [(a, b) for a, targets in graph().items() for b in targets
                 if lesson_of(a) and lesson_of(b) and lesson_of(a) != lesson_of(b)]
    assert crossings == []


def test_shared_modules_never_import_a_lesson():
    offenders = [(a, b) for a, targets in graph().items() for b in targets
                 if a.split(".")[1] in SHARED and lesson_of(b)]
    assert offenders == []


def test_no_module_under_dlplay_imports_streamlit():
    offenders = [name for name, path in MODULES.items()
                 if any(m.split(".")[0] == "streamlit" for m in imports_of(path))]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_small(name):
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert name in LONG_MODULES or lines <= MAX_LINES, f"{name}: {lines} lines"


def test_tests_never_import_another_test_module():
    offenders = []
    for path in (ROOT / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and "test_" in node.module.split(".")[-1]:
                offenders.append(f"{path.relative_to(ROOT)}: {node.module}")
    assert offenders == []


def _tensorflow_loaded_after(*lines: str) -> str:
    """Run `lines` in a fresh interpreter, as a cold server would, and say which TensorFlow/Keras modules got imported."""
    script = "import sys\n" + "".join(f"{line}\n" for line in lines) + (
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("page", ["pages/activations.py", "pages/digits.py"])
def test_pages_that_only_read_do_not_load_tensorflow(page):
    """Seconds of import a teacher would wait for: /digits reads drawings with the shipped CNNs in numpy."""
    assert _tensorflow_loaded_after(
        "from streamlit.testing.v1 import AppTest",
        "at = AppTest.from_file('app.py', default_timeout=60)",
        f"at.switch_page({page!r})",
        "at.run()",
        "assert not at.exception, at.exception",
    ) == "[]"


def test_the_servers_warm_up_reads_the_models_without_tensorflow():
    """ui.server._warm runs as the server starts (app.py's st.App): everything it loads, and never TensorFlow."""
    assert _tensorflow_loaded_after(
        "from ui import server",
        "server._warm(after=0)",
        "assert all(n in sys.modules for n in server.WARM), [n for n in server.WARM if n not in sys.modules]",
    ) == "[]"
