from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from testsupport import VOCABULARIES
from testsupport.publish import FIXTURES


@pytest.fixture
def defects() -> Path:
    return FIXTURES / "defects.ttl"


@pytest.fixture
def clean() -> Path:
    return FIXTURES / "clean.ttl"


@pytest.fixture(scope="session")
def built() -> Callable[[str], dict[str, bytes]]:
    """Fresh in-memory builds of the shipped lists, each built once per session."""
    from lgstandards.publish.skos import build_list

    cache: dict[str, dict[str, bytes]] = {}

    def get(list_id: str) -> dict[str, bytes]:
        if list_id not in cache:
            cache[list_id] = build_list(list_id, VOCABULARIES)
        return cache[list_id]

    return get
