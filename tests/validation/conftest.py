"""Fixtures for the validation engine: a small batch kind of the tests' own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests_validate_support import BATCH, MESSAGE, register_test_aggregates

from lgstandards.artefacts.kinds import register, unregister


@pytest.fixture(autouse=True)
def test_kinds() -> Iterator[None]:
    """Register the test kinds (and the batch totals aggregate) for every test here."""
    from lgstandards.validation import aggregates

    register(BATCH)
    register(MESSAGE)
    before = dict(aggregates._FACTORIES)
    register_test_aggregates()
    yield
    aggregates._FACTORIES.clear()
    aggregates._FACTORIES.update(before)
    unregister(BATCH.kind)
    unregister(MESSAGE.kind)
