from __future__ import annotations

from pathlib import Path

import pytest
from testsupport import EXTERNAL


@pytest.fixture(scope="session")
def external() -> Path:
    """The original external files the lists were imported from (skips when absent)."""
    if not EXTERNAL.is_dir():
        pytest.skip(f"external data not found at {EXTERNAL} (set LGSTANDARDS_SHARED)")
    return EXTERNAL
