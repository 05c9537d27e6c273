"""The shape of the code: logic never touches the UI, lessons stay apart, nothing imports in a circle, no
module grows past 400 lines, and each browser component keeps its files in its own folder under ui/components/."""

import ast
import re
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


LAYERS = ("dlplay", "ui", "pages")  # the logic, the UI layer, the pages that draw
MODULES = {module_name(p): p for layer in LAYERS for p in (ROOT / layer).rglob("*.py")}
LOGIC = {name: path for name, path in MODULES.items() if name.split(".")[0] == "dlplay"}
COMPONENTS = ROOT / "ui" / "components"


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
    return parts[1] if parts[0] == "dlplay" and len(parts) > 1 and parts[1] in LESSONS else None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_every_lesson_has_its_package():
    assert {lesson_of(m) for m in LOGIC} - {None} == set(LESSONS)


def test_no_import_cycle_in_dlplay_ui_or_pages():
    assert find_cycle(graph()) is None


def test_lessons_never_import_each_other():
    crossings = [(a, b) for a, targets in graph().items() for b in targets
                 if lesson_of(a) and lesson_of(b) and lesson_of(a) != lesson_of(b)]
    assert crossings == []


def test_shared_modules_never_import_a_lesson():
    offenders = [(a, b) for a, targets in graph().items() for b in targets
                 if a.split(".")[0] == "dlplay" and a.split(".")[1] in SHARED and lesson_of(b)]
    assert offenders == []


def test_no_module_under_dlplay_imports_streamlit_or_the_ui():
    offenders = [(name, m) for name, path in LOGIC.items() for m in imports_of(path)
                 if m.split(".")[0] in ("streamlit", "ui", "pages")]
    assert offenders == []


def test_the_ui_layer_never_imports_a_page():
    offenders = [(a, b) for a, targets in graph().items() for b in targets
                 if a.split(".")[0] == "ui" and b.split(".")[0] == "pages"]
    assert offenders == []


def test_modules_stay_small():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    assert len(sizes) > 60 and {"ui.state", "pages.digits", "dlplay.digits.jobs"} <= set(sizes)
    assert {name: n for name, n in sizes.items() if n > MAX_LINES and name not in LONG_MODULES} == {}


def test_browser_components_keep_their_files_in_their_own_folder():
    """A component is one folder under ui/components/: its <name>.js, its <name>.css and the Python that mounts it.
    No script or stylesheet of ours lives anywhere else."""
    outside = [str(p.relative_to(ROOT)) for layer in (*LAYERS, "tests", "bench") for suffix in ("*.js", "*.css")
               for p in (ROOT / layer).rglob(suffix) if COMPONENTS not in p.parents]
    assert outside == []
    folders = [p for p in COMPONENTS.iterdir() if p.is_dir() and p.name != "__pycache__"]
    assert {p.name for p in folders} >= {"drawing_pad", "live_text_input", "xor_view"}
    incomplete = [p.name for p in folders
                  if not {f"{p.name}.js", f"{p.name}.css", "__init__.py"} <= {f.name for f in p.iterdir()}]
    assert incomplete == []


def test_tests_never_import_another_test_module():
    offenders = []
    for path in (ROOT / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and "test_" in node.module.split(".")[-1]:
                offenders.append(f"{path.relative_to(ROOT)}: {node.module}")
    assert offenders == []


def _tensorflow_loaded_after(*lines: str) -> str:
    """Run `lines` in a fresh interpreter, as a cold server would, and say which TensorFlow/Keras modules got
    imported."""
    script = "import sys\n" + "".join(f"{line}\n" for line in lines) + (
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.slow
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


@pytest.mark.slow
def test_the_servers_warm_up_reads_the_models_without_tensorflow():
    """ui.server._warm runs as the server starts (app.py's st.App): everything it loads, and never TensorFlow."""
    assert _tensorflow_loaded_after(
        "from ui import server",
        "server._warm(after=0)",
        "assert all(n in sys.modules for n in server.WARM), [n for n in server.WARM if n not in sys.modules]",
    ) == "[]"


def test_ci_runs_the_readmes_test_command_word_for_word():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(python3 -m venv \.venv && [^\n]*)\n```", readme)
    assert len(commands) == 2 and "ruff check" in commands[1] and commands[1].endswith("pytest")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_the_wheel_names_every_package_of_the_app_and_its_logic():
    """pyproject.toml lists the packages (the app travels as dlplay._app): a new one left out of the list would
    be missing from an installed dlplay only (tests/browser/test_wheel_browser.py serves the wheel)."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {module_name(p.parent / "__init__.py") for p in PACKAGE.rglob("__init__.py")}
    found |= {"dlplay._app." + module_name(p.parent / "__init__.py") for p in (ROOT / "ui").rglob("__init__.py")}
    assert listed == found | {"dlplay._app", "dlplay._app.pages"}
