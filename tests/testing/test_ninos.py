"""Generated National Insurance numbers follow the one definition in ``models.common``."""

from __future__ import annotations

from hypothesis import given

from lgstandards.models.common import (
    ADMINISTRATIVE_NINO_PREFIXES,
    NINumber,
    is_valid_nino,
)
from lgstandards.testing.ebenefits import ninos


@given(ninos())
def test_drawn_ninos_pass_the_rules_and_are_not_administrative(nino: str) -> None:
    assert is_valid_nino(nino)
    assert nino[:2] not in ADMINISTRATIVE_NINO_PREFIXES
    assert not NINumber(nino).is_administrative
