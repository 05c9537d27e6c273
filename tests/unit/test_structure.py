"""The logic never touches the UI, and the lesson-1 path never loads TensorFlow."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_under_dlplay_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "dlplay").rglob("*.py") if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_the_activations_page_does_not_load_tensorflow():
    # Run the page in a fresh interpreter, as a cold server would, and look at what got imported.
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=60)\n"
        "at.switch_page('pages/activations.py')\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"
