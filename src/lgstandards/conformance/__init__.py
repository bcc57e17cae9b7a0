"""The conformance kit: prove, in your own CI, that a product speaks the standards.

The kit is the bundled valid and invalid examples of every message type and
service catalogue, with the outcome each must give (``valid``, or its exact issue
codes), versioned with the schemas. Export it, let the product under test read
each case and write its own output for it at the case's name, then check::

    >>> from lgstandards import conformance
    >>> case = conformance.cases()[0]
    >>> case.name.count("/") >= 2, case.expected == "valid" or bool(case.codes)
    (True, True)

The ``exchanges`` family's cases are histories: messages checked in order against a
ledger (:func:`exchange_cases`). ``export(dir)`` writes the cases and ``kit.json``;
``check(dir)`` returns a :class:`ConformanceReport` (text, JSON, JUnit and HTML through
:func:`render`).
"""

from __future__ import annotations

from lgstandards.conformance.check import CaseResult, ConformanceReport, GroupSummary, check
from lgstandards.conformance.exchanges import ExchangeCase, exchange_cases
from lgstandards.conformance.formats import FORMATS, render, to_data
from lgstandards.conformance.kit import (
    Case,
    cases,
    check_schema_version,
    export,
    known_schema_versions,
    listing,
    schema_versions,
)

__all__ = [
    "FORMATS",
    "Case",
    "CaseResult",
    "ConformanceReport",
    "ExchangeCase",
    "GroupSummary",
    "cases",
    "check",
    "check_schema_version",
    "exchange_cases",
    "export",
    "known_schema_versions",
    "listing",
    "render",
    "schema_versions",
    "to_data",
]
