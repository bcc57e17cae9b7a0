from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from vocab_helpers import EXTERNAL, VOCABULARIES


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


@pytest.fixture(scope="session")
def external() -> Path:
    if not EXTERNAL.is_dir():
        pytest.skip(f"external data not found at {EXTERNAL}")
    return EXTERNAL
