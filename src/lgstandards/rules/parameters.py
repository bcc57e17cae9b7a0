"""Dated parameters of the business rules: values in force from a date, marked *verify*.

Regulatory and scheme values (a penalty charge's discount period, a Bacs field
length, a benefit's capital limit ...) change over time and are taken from notes that
still have to be checked against the legislation or the scheme's rules, so they are
never literals in a rule. Each family keeps them in a JSON file beside its schema
(``schemas/<family>/parameters-v*.json``)::

    {"parameters": {"<name>": {"rule": "EPAY-R018", "unit": "days",
                               "values": [{"effective_from": "2008-03-31", "value": 14,
                                           "verify": true, "note": "..."}]}}}

A rule asks for the value in force on the document's date (:func:`value_on`); a
validation profile may give a deployment's own values for any parameter
(``Profile(parameters={"<name>": [{"effective_from": ..., "value": ...}]})``), which
replace the file's list for that parameter.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from functools import cache
from types import MappingProxyType
from typing import Any

from lgstandards._resources import schemas_root

#: A parameter's dated values, as the file and a profile give them.
DatedValues = Sequence[Mapping[str, Any]]


@cache
def parameters_file(relative: str) -> Mapping[str, Any]:
    """Return the ``parameters`` mapping of a parameters file under ``schemas/`` (read once)."""
    path = schemas_root() / relative
    data = json.loads(path.read_text(encoding="utf-8"))
    return MappingProxyType(data["parameters"])


def in_force(values: DatedValues, on: dt.date) -> Any:
    """Return the value of ``values`` in force on ``on`` (the latest not after it), or None."""
    found = None
    latest: dt.date | None = None
    for entry in values:
        start = dt.date.fromisoformat(str(entry["effective_from"]))
        if start <= on and (latest is None or start >= latest):
            found, latest = entry["value"], start
    return found


def value_on(
    relative: str,
    name: str,
    on: dt.date,
    overrides: Mapping[str, DatedValues] | None = None,
) -> Any:
    """Return parameter ``name`` of file ``relative`` in force on ``on``, or None.

    ``overrides`` (a profile's ``parameters``) replace the file's values of a parameter.
    """
    if overrides and name in overrides:
        return in_force(overrides[name], on)
    return in_force(parameters_file(relative)[name]["values"], on)


__all__ = ["DatedValues", "in_force", "parameters_file", "value_on"]
