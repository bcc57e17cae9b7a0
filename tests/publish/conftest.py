from __future__ import annotations

from pathlib import Path

import pytest
from publish_support import FIXTURES


@pytest.fixture
def defects() -> Path:
    return FIXTURES / "defects.ttl"


@pytest.fixture
def clean() -> Path:
    return FIXTURES / "clean.ttl"
