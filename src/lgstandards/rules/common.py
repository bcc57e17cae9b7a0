"""Common business rules coded in Python (COM-R005, COM-R014, COM-R016, COM-R017).

They apply to every document kind: postcodes and National Insurance numbers are
recognised by element name wherever they appear, so a number in a family's own
element (``ben:...``) is checked as well as the common types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from lgstandards._xmlvalues import string_value
from lgstandards.models.identifiers import (
    ADMINISTRATIVE_NINO_PREFIXES,
    is_valid_nino,
    is_valid_postcode,
    normalise_nino,
    normalise_postcode,
)
from lgstandards.rules import Finding, python_rule

#: Element local names holding a postcode.
POSTCODE_ELEMENTS = frozenset({"Postcode", "PostCode"})
#: Element local names holding a National Insurance number.
NINO_ELEMENTS = frozenset({"NationalInsuranceNumber", "NINO", "Nino", "NINumber"})
GOVTALK_NS = "http://www.govtalk.gov.uk/CM/envelope"


def _elements(root: Any, names: frozenset[str]) -> Iterator[Any]:
    """Yield the elements (any namespace) whose local name is in ``names``, in document order."""
    # Tag-filtered iteration runs in libxml2's C loop, not element by element in Python.
    return iter(root.iter(*(f"{{*}}{name}" for name in sorted(names))))


@python_rule("COM-R014", kinds=["*"])
def postcodes_are_bs7666(root: Any) -> Iterator[Finding]:
    """Every non-empty postcode matches BS7666 v2 after normalisation."""
    for element in _elements(root, POSTCODE_ELEMENTS):
        text = string_value(element).strip()
        if text and not is_valid_postcode(normalise_postcode(text)):
            yield element, {"value": text}


@python_rule("COM-R016", kinds=["*"])
def nino_passes_hmrc_rules(root: Any) -> Iterator[Finding]:
    """NINO passes the HMRC rules: shape, excluded letters, unissued prefixes, suffix A-D."""
    for element in _elements(root, NINO_ELEMENTS):
        text = string_value(element).strip()
        if text and not is_valid_nino(normalise_nino(text)):
            yield element, {"value": text}


@python_rule("COM-R017", kinds=["*"])
def nino_not_administrative(root: Any) -> Iterator[Finding]:
    """NINO has an administrative or temporary prefix (a warning)."""
    for element in _elements(root, NINO_ELEMENTS):
        text = normalise_nino(string_value(element))
        if is_valid_nino(text) and text[:2] in ADMINISTRATIVE_NINO_PREFIXES:
            yield element, {"value": text}


@python_rule("COM-R005", kinds=["govtalk.envelope"])
def gateway_timestamp_utc(root: Any) -> Iterator[Finding]:
    """GatewayTimestamp is UTC and not in the future."""
    for element in root.iter(f"{{{GOVTALK_NS}}}GatewayTimestamp"):
        text = string_value(element).strip()
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            continue  # the schema reports the lexical error
        offset = moment.utcoffset()
        if offset is None or offset != dt.timedelta(0) or moment > dt.datetime.now(dt.UTC):
            yield element, {"value": text}


__all__ = [
    "NINO_ELEMENTS",
    "POSTCODE_ELEMENTS",
    "gateway_timestamp_utc",
    "nino_not_administrative",
    "nino_passes_hmrc_rules",
    "postcodes_are_bs7666",
]
