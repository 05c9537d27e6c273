"""Shared test fixtures.

``shared_data`` points at ``../shared/data`` beside the checkout (the data CI
has and a fresh clone does not); tests that use it skip when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("DLPLAY_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the shared data folder {SHARED_DATA} (absent on a fresh clone)")
    return SHARED_DATA
