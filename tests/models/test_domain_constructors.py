"""Domain types normalise and check their value when built directly in Python."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgstandards.models.common import NINumber, Postcode, is_valid_nino, is_valid_postcode


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("aa9a9aa", "AA9A 9AA"), (" sw1a  1aa ", "SW1A 1AA"), ("AA9A 9AA", "AA9A 9AA")],
)
def test_postcode_constructor_normalises(raw: str, expected: str) -> None:
    assert Postcode(raw) == expected
    assert isinstance(Postcode(raw), Postcode)


@pytest.mark.parametrize("bad", ["", "nope", "AA9A 9CA", "12345"])
def test_postcode_constructor_refuses_non_postcodes(bad: str) -> None:
    with pytest.raises(ValueError, match="not a UK postcode"):
        Postcode(bad)


def test_nino_constructor_normalises_and_refuses() -> None:
    assert NINumber("ab 12 34 56 c") == "AB123456C"
    with pytest.raises(ValueError, match="National Insurance"):
        NINumber("BG123456C")  # never issued


@given(st.text(max_size=12))
def test_constructors_agree_with_the_checks(text: str) -> None:
    for cls, check in ((Postcode, is_valid_postcode), (NINumber, is_valid_nino)):
        try:
            value = cls(text)
        except ValueError:
            continue
        assert check(value)
        assert cls(value) == value  # idempotent
