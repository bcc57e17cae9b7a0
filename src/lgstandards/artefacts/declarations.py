"""What a Schematron file declares, read once per process with the safe parser.

Each ``.sch`` file (ISO Schematron, XPath 1.0) declares namespace prefixes,
variables (``sch:let``) and rules: a context, its own variables and checks
(``sch:assert`` / ``sch:report``), each with a rule id, a role (the severity), an
English text and a Welsh diagnostic (``xml:lang="cy"``). :func:`declarations` reads
all of it; the issue-code registry, the documentation, the streaming aggregates and
the rule runner (which compiles :attr:`Declarations.document`) read it from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from lgstandards.exceptions import SchemaNotFoundError
from lgstandards.report import Severity
from lgstandards.safexml import XMLInputError, parse_xml

if TYPE_CHECKING:
    from lxml import etree

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SCH = f"{{{SCH_NS}}}"
_SPACE = re.compile(r"\s+")

#: The kinds of part of a :class:`Text`.
TEXT, VALUE_OF, NAME = "text", "value-of", "name"


def severity_of(role: str | None) -> Severity:
    """Return the severity a ``role`` names (``error`` when absent or not a severity)."""
    try:
        return Severity((role or "error").lower())
    except ValueError:
        return Severity.ERROR


@dataclass(frozen=True, slots=True)
class Text:
    """A message as written: literal text, ``sch:value-of`` selects and ``sch:name``.

    ``parts`` are ``(kind, value)`` pairs in order: ``("text", words)``,
    ``("value-of", select)`` or ``("name", path)``.
    """

    parts: tuple[tuple[str, str], ...]

    @property
    def template(self) -> str:
        """The text with each ``value-of`` shown as ``{select}`` and ``name`` as ``{name}``."""
        return self.render(lambda select: "{" + select + "}", lambda path: "{name}")

    @property
    def selects(self) -> tuple[str, ...]:
        """The XPath of every ``value-of``, in order."""
        return tuple(value for kind, value in self.parts if kind == VALUE_OF)

    def render(self, value_of: Callable[[str], str], name: Callable[[str], str]) -> str:
        """Return the text with ``value-of`` and ``name`` replaced, spaces collapsed."""
        pieces = []
        for kind, value in self.parts:
            if kind == VALUE_OF:
                pieces.append(value_of(value))
            elif kind == NAME:
                pieces.append(name(value))
            else:
                pieces.append(value)
        return _SPACE.sub(" ", "".join(pieces)).strip()


def _parts(element: Any) -> list[tuple[str, str]]:
    parts = [(TEXT, element.text or "")]
    for child in element:
        if child.tag == f"{_SCH}value-of":
            parts.append((VALUE_OF, child.get("select") or ""))
        elif child.tag == f"{_SCH}name":
            parts.append((NAME, child.get("path") or ""))
        elif isinstance(child.tag, str):
            parts.extend(_parts(child))
        parts.append((TEXT, child.tail or ""))
    return parts


def _text(element: Any) -> Text:
    # Whitespace-only text between elements is not in the XSLT the skeleton writes
    # (XSLT strips such text from a stylesheet), so it is not in the message either.
    return Text(tuple(p for p in _parts(element) if p[0] != TEXT or p[1].strip()))


@dataclass(frozen=True, slots=True)
class Check:
    """One ``sch:assert`` (fires when its test is false) or ``sch:report`` (when true)."""

    id: str | None
    is_assert: bool
    test: str
    role: str | None
    message: Text
    diagnostics: tuple[str, ...]
    #: The first of its diagnostics in Welsh, if any.
    welsh: Text | None

    @property
    def severity(self) -> Severity:
        """The severity its role names."""
        return severity_of(self.role)


@dataclass(frozen=True, slots=True)
class Rule:
    """One ``sch:rule``: its context, its variables in order and its checks."""

    context: str
    lets: tuple[tuple[str, str], ...]
    checks: tuple[Check, ...]


@dataclass(frozen=True, slots=True)
class DeclaredRule:
    """A rule id as a ``.sch`` file declares it: severity, texts and where it applies."""

    id: str
    severity: Severity
    message_en: str
    message_cy: str | None
    context: str
    test: str
    source: str

    @property
    def code(self) -> str:
        """The issue code, ``rule.<ID>``."""
        return f"rule.{self.id}"


@dataclass(frozen=True)
class Declarations:
    """Everything one Schematron file declares."""

    path: Path
    #: Prefix -> namespace URI, from the ``sch:ns`` elements.
    namespaces: Mapping[str, str]
    #: Namespace URI -> prefix (the last ``sch:ns`` wins when two name one URI).
    prefixes: Mapping[str, str]
    #: The schema-level variables (``sch:let`` outside the rules), in order.
    lets: tuple[tuple[str, str], ...]
    rules: tuple[Rule, ...]
    #: The ids of the Welsh diagnostics.
    welsh_diagnostics: frozenset[str]
    #: The parsed file (for compiling the rules); shared, never to be modified.
    document: Any = field(repr=False, compare=False)

    @cached_property
    def declared_rules(self) -> tuple[DeclaredRule, ...]:
        """Every check with an id, as :class:`DeclaredRule`, in file order."""
        return tuple(
            DeclaredRule(
                id=check.id or "",
                severity=check.severity,
                message_en=check.message.template,
                message_cy=check.welsh.template if check.welsh is not None else None,
                context=rule.context,
                test=check.test,
                source=self.path.name,
            )
            for rule in self.rules
            for check in rule.checks
            if check.id
        )


def _parse(path: Path) -> etree._ElementTree:
    if not path.is_file():
        raise SchemaNotFoundError(f"Schematron file {path} is missing; reinstall lgstandards")
    try:
        tree = parse_xml(path)
    except XMLInputError as exc:
        raise SchemaNotFoundError(f"Schematron file {path} cannot be read: {exc}") from exc
    if tree.getroot().tag != f"{_SCH}schema":
        raise SchemaNotFoundError(f"{path} is not an ISO Schematron schema")
    return tree


def _lets(element: Any) -> tuple[tuple[str, str], ...]:
    return tuple((x.get("name", ""), x.get("value", "")) for x in element.iter(f"{_SCH}let"))


@cache
def declarations(path: Path) -> Declarations:
    """Read a Schematron file once per process (cached by path)."""
    document = _parse(path)
    root = document.getroot()
    pairs = [(ns.get("prefix", ""), ns.get("uri", "")) for ns in root.iterchildren(f"{_SCH}ns")]
    diagnostics = {d.get("id"): d for d in root.iter(f"{_SCH}diagnostic")}
    welsh = {
        key: _text(d) for key, d in diagnostics.items() if d.get(XML_LANG, "").startswith("cy")
    }
    rules = []
    for rule in root.iter(f"{_SCH}rule"):
        checks = []
        for check in rule:
            if check.tag not in (f"{_SCH}assert", f"{_SCH}report"):
                continue
            names = tuple((check.get("diagnostics") or "").split())
            checks.append(
                Check(
                    id=check.get("id") or None,
                    is_assert=check.tag == f"{_SCH}assert",
                    test=check.get("test", ""),
                    role=check.get("role"),
                    message=_text(check),
                    diagnostics=names,
                    welsh=next((welsh[n] for n in names if n in welsh), None),
                )
            )
        rules.append(Rule(rule.get("context", ""), _lets(rule), tuple(checks)))
    top_lets = tuple(
        (x.get("name", ""), x.get("value", "")) for x in root.iterchildren(f"{_SCH}let")
    )
    return Declarations(
        path=path,
        namespaces=MappingProxyType(dict(pairs)),
        prefixes=MappingProxyType({uri: prefix for prefix, uri in pairs}),
        lets=top_lets,
        rules=tuple(rules),
        welsh_diagnostics=frozenset(str(key) for key in welsh),
        document=document,
    )


def declared_rules(path: Path) -> tuple[DeclaredRule, ...]:
    """Return every ``assert``/``report`` with an ``id`` in a Schematron file."""
    return declarations(path).declared_rules


__all__ = [
    "NAME",
    "SCH_NS",
    "SVRL_NS",
    "TEXT",
    "VALUE_OF",
    "XML_LANG",
    "Check",
    "Declarations",
    "DeclaredRule",
    "Rule",
    "Text",
    "declarations",
    "declared_rules",
    "severity_of",
]
