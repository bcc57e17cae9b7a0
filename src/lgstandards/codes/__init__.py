"""The registry of stable issue codes, one place for every code the library raises.

Each area of the library declares its codes in a private module of this package
(``_xml``, ``_vocab``, ``_rules``, ``_skos`` ...); :func:`registry` collects them.
Codes are dotted lower-case words (``xsd.pattern``) or ``rule.<RULE-ID>`` for
business rules. Tests check that every code raised is registered.

:func:`issue` makes an :class:`~lgstandards.report.Issue` from a code: the severity
and both texts come from the registry (a code's message templates filled with the
parameters given), the path from a path maker (:class:`Paths`, the validator's
``PathMaker``), so no checker types a severity or formats a path of its own.
The stateful rules (checked by an exchange against its ledger, ``_exchange``) have
message templates of their own, ``stateful_template`` and ``stateful_template_cy``,
which ``issue(..., stateful=True)`` fills. An id that is also a per-document rule
(Schematron or Python) keeps one entry: the exchange's area extends it (``EXTENDS``:
code -> :class:`Extension`, text appended to the description and the stateful
templates).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from lgstandards._records import Compared, written_out
from lgstandards.report import Issue, Severity

#: The private modules that declare codes; each has a ``CODES`` tuple.
AREAS = ("_vocab", "_xml", "_rules", "_skos", "_rdf", "_exchange")
#: The areas whose codes are written out in their module. The ``_rules`` area collects
#: its codes from the rule files and registrations (loading them); no rule code is fatal.
DECLARED_AREAS = ("_vocab", "_xml", "_skos", "_rdf", "_exchange")
#: The areas that may declare fatal codes (input that cannot be parsed at all): the
#: parser's. Validating a document reads only these (start-up); a test checks that no
#: other area marks a code fatal.
FATAL_AREAS = ("_xml",)

CODE_PATTERN = re.compile(r"^(?:[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*|rule\.[A-Z]+-R[0-9]{3})\Z")


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
@written_out
class IssueCode(Compared):
    """A registered issue code with its default severity and one-line description.

    ``template`` and ``template_cy``: the message in English and Welsh, with
    ``{name}`` parameters (:meth:`str.format`), for codes whose messages the library
    writes from parameters (Python business rules); None when the message is the
    description (or is written elsewhere, as Schematron rules' are in the ``.sch``).
    ``fatal``: the input cannot be parsed at all; a document with such an issue gets
    that one issue in its report, and nothing else.
    ``stateful_template`` and ``stateful_template_cy``: the message of the rule's
    findings across messages (an exchange's, against its ledger), None when no
    exchange checks it. ``stateful``: the rule is checked only across messages, so no
    single document can break it.
    """

    code: str
    severity: Severity
    description: str
    description_cy: str | None = None
    template: str | None = None
    template_cy: str | None = None
    fatal: bool = False
    stateful: bool = False
    stateful_template: str | None = None
    stateful_template_cy: str | None = None

    # What dataclass would generate, written out (lgstandards._records).
    def __init__(
        self,
        code: str,
        severity: Severity,
        description: str,
        description_cy: str | None = None,
        template: str | None = None,
        template_cy: str | None = None,
        fatal: bool = False,
        stateful: bool = False,
        stateful_template: str | None = None,
        stateful_template_cy: str | None = None,
    ) -> None:
        put = object.__setattr__
        put(self, "code", code)
        put(self, "severity", severity)
        put(self, "description", description)
        put(self, "description_cy", description_cy)
        put(self, "template", template)
        put(self, "template_cy", template_cy)
        put(self, "fatal", fatal)
        put(self, "stateful", stateful)
        put(self, "stateful_template", stateful_template)
        put(self, "stateful_template_cy", stateful_template_cy)

    def templates(self, *, stateful: bool = False) -> tuple[str | None, str | None]:
        """Return the English and Welsh templates: the per-document or the stateful ones."""
        if stateful:
            return self.stateful_template, self.stateful_template_cy
        return self.template, self.template_cy

    def parameters(self, *, stateful: bool = False) -> frozenset[str]:
        """Return the names of the parameters the templates use (both languages)."""
        from string import Formatter  # only the registry's checks ask (start-up)

        return frozenset(
            name
            for text in self.templates(stateful=stateful)
            if text
            for _, name, _, _ in Formatter().parse(text)
            if name is not None
        )

    def texts(self, *, stateful: bool = False, **params: object) -> tuple[str, str | None]:
        """Return the message in English and Welsh, the templates filled with ``params``.

        ``stateful``: the templates of the rule's findings across messages (an
        exchange's). A code without templates gives its description (and then takes
        no parameter); a stateful finding of a code without stateful templates is a
        programming error (``TypeError``).
        """
        english, welsh = self.templates(stateful=stateful)
        if english is None:
            if stateful:
                raise TypeError(f"{self.code} has no stateful message template")
            if params:
                raise TypeError(f"{self.code} has no message template to take {sorted(params)}")
            return self.description, self.description_cy
        return english.format(**params), welsh.format(**params) if welsh is not None else None


class Extension(NamedTuple):
    """What one area adds to a code another area registers (``EXTENDS`` of an area).

    ``description`` and ``description_cy`` are appended to the code's descriptions;
    ``stateful_template`` and ``stateful_template_cy`` give the code its findings
    across messages (an exchange's), which the other area's entry lacks. (A named
    tuple: made in a tenth of a frozen dataclass's time, at every start-up.)
    """

    description: str
    description_cy: str
    stateful_template: str | None = None
    stateful_template_cy: str | None = None


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
def _area_extensions(area: str) -> Mapping[str, Extension]:
    """Return the descriptions an area extends (``EXTENDS``; none when it has none)."""
    try:
        module = importlib.import_module(f"{__name__}.{area}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{area}":
            return {}
        raise
    extends: Mapping[str, Extension] = getattr(module, "EXTENDS", {})
    return extends


@cache
def registry() -> Mapping[str, IssueCode]:
    """Return every registered code, read-only, loading the area modules once."""
    found: dict[str, IssueCode] = {}
    extends: list[tuple[str, Extension]] = []
    for area in AREAS:
        for entry in _area_codes(area):
            if entry.code in found:
                raise ValueError(f"issue code {entry.code!r} is registered twice")
            found[entry.code] = entry
        extends.extend(_area_extensions(area).items())
    for code, extension in extends:
        base = found[code]  # an extension of an unregistered code is a KeyError
        welsh = extension.description_cy
        if extension.stateful_template is not None and base.stateful_template is not None:
            raise ValueError(f"issue code {code!r} has stateful templates twice")
        found[code] = replace(
            base,
            description=f"{base.description} {extension.description}",
            description_cy=f"{base.description_cy} {welsh}" if base.description_cy else welsh,
            stateful_template=extension.stateful_template or base.stateful_template,
            stateful_template_cy=extension.stateful_template_cy or base.stateful_template_cy,
        )
    return MappingProxyType(dict(sorted(found.items())))


@cache
def fatal_codes() -> frozenset[str]:
    """Return the codes marked fatal: input that cannot be parsed at all.

    Read from the parser's areas only (:data:`FATAL_AREAS`), so that validating one
    document does not load every area's codes.
    """
    return frozenset(e.code for area in FATAL_AREAS for e in _area_codes(area) if e.fatal)


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
    stateful: bool = False,
    **more: object,
) -> Issue:
    """Return the issue ``code`` raises, severity and texts from the registry.

    ``params`` (and keyword arguments besides those named here) fill the code's
    message templates (see :meth:`IssueCode.texts`):
    ``issue("rule.EPAY-R004", {"value": ...})`` or ``issue("rule.EPAY-R004", value=...)``.
    ``element`` (an lxml element) gives the line, and with ``paths`` the path,
    unless ``line`` or ``path`` are given. ``severity`` replaces the registered one
    only for rules whose severity a profile sets (``cfg`` in the rule tables).
    ``stateful``: a finding across messages (an exchange's), with the code's stateful
    templates.
    """
    entry = get(code)
    english, welsh = entry.texts(stateful=stateful, **{**(params or {}), **more})
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
    "FATAL_AREAS",
    "Extension",
    "IssueCode",
    "Paths",
    "fatal_codes",
    "get",
    "issue",
    "registry",
]
