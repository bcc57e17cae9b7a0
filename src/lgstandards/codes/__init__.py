"""The registry of stable issue codes, one place for every code the library raises.

Each area of the library declares its codes in a private module of this package
(``_xml``, ``_vocab``, ``_rules``, ``_skos`` ...); :func:`registry` collects them.
Codes are dotted lower-case words (``xsd.pattern``) or ``rule.<RULE-ID>`` for
business rules. Tests check that every code raised is registered. An area may also
extend the description of a code another area registers (``EXTENDS``: code -> English
and Welsh text appended), as the stateful rules do for ids that are also per-document.
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
AREAS = ("_vocab", "_xml", "_rules", "_skos", "_rdf", "_exchange")

CODE_PATTERN = re.compile(r"^(?:[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*|rule\.[A-Z]+-R[0-9]{3})\Z")


@dataclass(frozen=True, slots=True)
class IssueCode:
    """A registered issue code with its default severity and one-line description."""

    code: str
    severity: Severity
    description: str
    description_cy: str | None = None


@cache
def registry() -> Mapping[str, IssueCode]:
    """Return every registered code, read-only, loading the area modules once."""
    found: dict[str, IssueCode] = {}
    extends: list[tuple[str, tuple[str, str]]] = []
    for area in AREAS:
        try:
            module = importlib.import_module(f"{__name__}.{area}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{area}":
                continue
            raise
        for entry in module.CODES:
            if entry.code in found:
                raise ValueError(f"issue code {entry.code!r} is registered twice")
            found[entry.code] = entry
        extends.extend(getattr(module, "EXTENDS", {}).items())
    for code, (english, welsh) in extends:
        base = found[code]  # an extension of an unregistered code is a KeyError
        welsh_text = f"{base.description_cy} {welsh}" if base.description_cy else welsh
        found[code] = IssueCode(code, base.severity, f"{base.description} {english}", welsh_text)
    return MappingProxyType(dict(sorted(found.items())))


def get(code: str) -> IssueCode:
    """Return the registered entry for ``code``; raises ``KeyError`` if unknown."""
    return registry()[code]


__all__ = ["AREAS", "CODE_PATTERN", "IssueCode", "get", "registry"]
