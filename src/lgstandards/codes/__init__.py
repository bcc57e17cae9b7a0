"""The registry of stable issue codes, one place for every code the library raises.

Each area of the library declares its codes in a private module of this package
(``_xml``, ``_vocab``, ``_rules``, ``_skos`` ...); :func:`registry` collects them.
Codes are dotted lower-case words (``xsd.pattern``) or ``rule.<RULE-ID>`` for
business rules. Tests check that every code raised is registered.

:func:`issue` makes an :class:`~lgstandards.report.Issue` from a code: the severity
and both texts come from the registry (a code's message templates filled with the
parameters given), the path from a path maker (:class:`Paths`, the validator's
``PathMaker``), so no checker types a severity or formats a path of its own.
An area may also extend the description of a code another area registers
(``EXTENDS``: code -> English and Welsh text appended), as the stateful rules do for
ids that are also per-document.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from string import Formatter
from types import MappingProxyType
from typing import Any, Protocol

from lgstandards.report import Issue, Severity

#: The private modules that declare codes; each has a ``CODES`` tuple.
AREAS = ("_vocab", "_xml", "_rules", "_skos", "_rdf", "_exchange")
#: The areas whose codes are written out in their module. The ``_rules`` area collects
#: its codes from the rule files and registrations (loading them); no rule code is fatal.
DECLARED_AREAS = ("_vocab", "_xml", "_skos", "_rdf", "_exchange")

CODE_PATTERN = re.compile(r"^(?:[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*|rule\.[A-Z]+-R[0-9]{3})\Z")


@dataclass(frozen=True, slots=True)
class IssueCode:
    """A registered issue code with its default severity and one-line description.

    ``template`` and ``template_cy``: the message in English and Welsh, with
    ``{name}`` parameters (:meth:`str.format`), for codes whose messages the library
    writes from parameters (Python business rules); None when the message is the
    description (or is written elsewhere, as Schematron rules' are in the ``.sch``).
    ``fatal``: the input cannot be parsed at all; a document with such an issue gets
    that one issue in its report, and nothing else.
    """

    code: str
    severity: Severity
    description: str
    description_cy: str | None = None
    template: str | None = None
    template_cy: str | None = None
    fatal: bool = False

    def parameters(self) -> frozenset[str]:
        """Return the names of the parameters the templates use (both languages)."""
        return frozenset(
            name
            for text in (self.template, self.template_cy)
            if text
            for _, name, _, _ in Formatter().parse(text)
            if name is not None
        )

    def texts(self, **params: object) -> tuple[str, str | None]:
        """Return the message in English and Welsh, the templates filled with ``params``.

        A code without templates gives its description (and then takes no parameter).
        """
        if self.template is None:
            if params:
                raise TypeError(f"{self.code} has no message template to take {sorted(params)}")
            return self.description, self.description_cy
        welsh = self.template_cy.format(**params) if self.template_cy is not None else None
        return self.template.format(**params), welsh


class Paths(Protocol):
    """What formats an element's path in an issue (the validator's ``PathMaker``)."""

    def path(self, element: Any) -> str:
        """Return the path of ``element`` from the document root."""
        ...


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
def _area_extensions(area: str) -> Mapping[str, tuple[str, str]]:
    """Return the descriptions an area extends (``EXTENDS``; none when it has none)."""
    try:
        module = importlib.import_module(f"{__name__}.{area}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{area}":
            return {}
        raise
    extends: Mapping[str, tuple[str, str]] = getattr(module, "EXTENDS", {})
    return extends


@cache
def registry() -> Mapping[str, IssueCode]:
    """Return every registered code, read-only, loading the area modules once."""
    found: dict[str, IssueCode] = {}
    extends: list[tuple[str, tuple[str, str]]] = []
    for area in AREAS:
        for entry in _area_codes(area):
            if entry.code in found:
                raise ValueError(f"issue code {entry.code!r} is registered twice")
            found[entry.code] = entry
        extends.extend(_area_extensions(area).items())
    for code, (english, welsh) in extends:
        base = found[code]  # an extension of an unregistered code is a KeyError
        welsh_text = f"{base.description_cy} {welsh}" if base.description_cy else welsh
        found[code] = replace(
            base, description=f"{base.description} {english}", description_cy=welsh_text
        )
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


def issue(
    code: str,
    params: Mapping[str, object] | None = None,
    /,
    *,
    element: Any = None,
    paths: Paths | None = None,
    source: str | None = None,
    line: int | None = None,
    column: int | None = None,
    path: str | None = None,
    detail: str | None = None,
    severity: Severity | None = None,
    **more: object,
) -> Issue:
    """Return the issue ``code`` raises, severity and texts from the registry.

    ``params`` (and keyword arguments besides those named here) fill the code's
    message templates (see :meth:`IssueCode.texts`):
    ``issue("rule.EPAY-R004", {"value": ...})`` or ``issue("rule.EPAY-R004", value=...)``.
    ``element`` (an lxml element) gives the line, and with ``paths`` the path,
    unless ``line`` or ``path`` are given. ``severity`` replaces the registered one
    only for rules whose severity a profile sets (``cfg`` in the rule tables).
    """
    entry = get(code)
    english, welsh = entry.texts(**{**(params or {}), **more})
    if element is not None:
        if line is None:
            line = element.sourceline
        if path is None and paths is not None:
            path = paths.path(element)
    return Issue(
        code,
        entry.severity if severity is None else severity,
        english,
        welsh,
        source=source,
        line=line,
        column=column,
        path=path,
        detail=detail,
    )


__all__ = [
    "AREAS",
    "CODE_PATTERN",
    "DECLARED_AREAS",
    "IssueCode",
    "Paths",
    "fatal_codes",
    "get",
    "issue",
    "registry",
]
