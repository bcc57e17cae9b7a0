"""Postcodes and National Insurance numbers: their patterns and checks, without pydantic.

The one home of these rules of form: the pydantic types of
:mod:`lgstandards.models.common` (``Postcode``, ``NINumber``) and the business rules
(COM-R014, COM-R016, COM-R017 in :mod:`lgstandards.rules.common`) use them, and a
validation run imports only this module (no model machinery at start-up).
"""

from __future__ import annotations

import re

#: BS7666 v2 postcode; ``[ABD-HJLNP-UW-Z]`` is the XSD's ``[A-Z-[CIKMOV]]``.
POSTCODE_PATTERN = r"[A-Z]{1,2}[0-9R][0-9A-Z]? [0-9][ABD-HJLNP-UW-Z]{2}"
#: National Insurance number, HMRC rules (NIM39110), without spaces.
NINO_PATTERN = r"(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]"
#: Prefixes HMRC uses for administrative or temporary numbers (rule COM-R017, a warning).
ADMINISTRATIVE_NINO_PREFIXES = frozenset({"CR", "FY", "MW", "NC", "PP", "PY", "PZ"})

_POSTCODE = re.compile(f"^{POSTCODE_PATTERN}\\Z")
_NINO = re.compile(f"^{NINO_PATTERN}\\Z")


def normalise_postcode(value: str) -> str:
    """Upper-case, drop spaces, then put one space before the last three characters."""
    compact = "".join(value.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def normalise_nino(value: str) -> str:
    """Upper-case and remove every space."""
    return "".join(value.split()).upper()


def is_valid_postcode(value: str) -> bool:
    """Return True when ``value`` is a BS7666 v2 postcode as written (no normalising)."""
    return _POSTCODE.match(value) is not None


def is_valid_nino(value: str) -> bool:
    """Return True when ``value`` passes the HMRC NINO rules as written (no normalising)."""
    return _NINO.match(value) is not None


__all__ = [
    "ADMINISTRATIVE_NINO_PREFIXES",
    "NINO_PATTERN",
    "POSTCODE_PATTERN",
    "is_valid_nino",
    "is_valid_postcode",
    "normalise_nino",
    "normalise_postcode",
]
