"""The registry of stable issue codes, one place for every code the library raises.

Each area of the library declares its codes in a private module of this package
(``_xml``, ``_vocab``, ``_rules``, ``_skos`` ...); :func:`registry` collects them.
Codes are dotted lower-case words (``xsd.pattern``) or ``rule.<RULE-ID>`` for
business rules. Tests check that every code raised is registered.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from lgstandards.report import Severity

#: The private modules that declare codes; each has a ``CODES`` tuple.
AREAS = ("_vocab", "_xml", "_rules", "_skos", "_rdf")
#: The areas whose codes are written out in their module. The ``_rules`` area collects
#: its codes from the rule files and registrations (loading them); no rule code is fatal.
DECLARED_AREAS = ("_vocab", "_xml", "_skos", "_rdf")

CODE_PATTERN = re.compile(r"^(?:[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*|rule\.[A-Z]+-R[0-9]{3})\Z")


@dataclass(frozen=True, slots=True)
class IssueCode:
    """A registered issue code with its default severity and one-line description.

    ``fatal``: the input cannot be parsed at all; a document with such an issue gets
    that one issue in its report, and nothing else.
    """

    code: str
    severity: Severity
    description: str
    description_cy: str | None = None
    fatal: bool = False


def _area_codes(area: str) -> tuple[IssueCode, ...]:
    """Return the codes one area module declares (none when the module is missing)."""
    try:
        module = importlib.import_module(f"{__name__}.{area}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{area}":
            return ()
        raise
    codes: tuple[IssueCode, ...] = module.CODES
    return codes


@cache
def registry() -> Mapping[str, IssueCode]:
    """Return every registered code, read-only, loading the area modules once."""
    found: dict[str, IssueCode] = {}
    for area in AREAS:
        for entry in _area_codes(area):
            if entry.code in found:
                raise ValueError(f"issue code {entry.code!r} is registered twice")
            found[entry.code] = entry
    return MappingProxyType(dict(sorted(found.items())))


@cache
def fatal_codes() -> frozenset[str]:
    """Return the codes marked fatal: input that cannot be parsed at all.

    Read from the declared areas only (:data:`DECLARED_AREAS`): cheap, and no rule
    code is fatal.
    """
    return frozenset(e.code for area in DECLARED_AREAS for e in _area_codes(area) if e.fatal)


def get(code: str) -> IssueCode:
    """Return the registered entry for ``code``; raises ``KeyError`` if unknown."""
    return registry()[code]


__all__ = [
    "AREAS",
    "CODE_PATTERN",
    "DECLARED_AREAS",
    "IssueCode",
    "fatal_codes",
    "get",
    "registry",
]
