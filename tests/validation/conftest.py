"""Fixtures for the validation engine: a small batch kind of the tests' own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests_validate_support import TEST_PROFILE

from lgstandards.validation.profile import using_profile


@pytest.fixture(autouse=True)
def test_kinds() -> Iterator[None]:
    """Validate with the test kinds (a profile of their own) in every test here."""
    with using_profile(TEST_PROFILE):
        yield
