"""The rule model of a Schematron file: its rules, checks and their texts.

Private to :mod:`lgstandards.artefacts.declarations`, which exports these names and
builds them the first time a reader asks for a file's rules
(:attr:`~lgstandards.artefacts.declarations.Declarations.rules`): validating a
document needs only a file's namespaces and diagnostics, so the classes below are
not made on that path (start-up).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lgstandards._records import Compared, written_out
from lgstandards.artefacts._schns import SCH_NS, severity_of
from lgstandards.report import Severity

_SCH = f"{{{SCH_NS}}}"
_SPACE = re.compile(r"\s+")

#: The kinds of part of a :class:`Text`.
TEXT, VALUE_OF, NAME = "text", "value-of", "name"

# The records below write out the methods ``dataclass`` would generate
# (:mod:`lgstandards._records`): generating them cost a process that builds a file's
# rule model (a large batch's run) 4 ms.


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
@written_out
class Text(Compared):
    """A message as written: literal text, ``sch:value-of`` selects and ``sch:name``.

    ``parts`` are ``(kind, value)`` pairs in order: ``("text", words)``,
    ``("value-of", select)`` or ``("name", path)``.
    """

    parts: tuple[tuple[str, str], ...]

    def __init__(self, parts: tuple[tuple[str, str], ...]) -> None:
        object.__setattr__(self, "parts", parts)

    @property
    def template(self) -> str:
        """The text with each ``value-of`` shown as ``{select}`` and ``name`` as ``{name}``."""
        return self.render(lambda select: "{" + select + "}", lambda path: "{name}")

    @property
    def description(self) -> str:
        """The text as a description of the rule: each value from the document is "..."."""
        return self.render(lambda select: "...", lambda path: "...")

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


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
@written_out
class Check(Compared):
    """One ``sch:assert`` (fires when its test is false) or ``sch:report`` (when true)."""

    id: str | None
    is_assert: bool
    test: str
    role: str | None
    message: Text
    diagnostics: tuple[str, ...]
    #: The first of its diagnostics in Welsh, if any.
    welsh: Text | None

    def __init__(
        self,
        id: str | None,
        is_assert: bool,
        test: str,
        role: str | None,
        message: Text,
        diagnostics: tuple[str, ...],
        welsh: Text | None,
    ) -> None:
        put = object.__setattr__
        put(self, "id", id)
        put(self, "is_assert", is_assert)
        put(self, "test", test)
        put(self, "role", role)
        put(self, "message", message)
        put(self, "diagnostics", diagnostics)
        put(self, "welsh", welsh)

    @property
    def severity(self) -> Severity:
        """The severity its role names."""
        return severity_of(self.role)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
@written_out
class Rule(Compared):
    """One ``sch:rule``: its context, its variables in order and its checks."""

    context: str
    lets: tuple[tuple[str, str], ...]
    checks: tuple[Check, ...]

    def __init__(
        self, context: str, lets: tuple[tuple[str, str], ...], checks: tuple[Check, ...]
    ) -> None:
        put = object.__setattr__
        put(self, "context", context)
        put(self, "lets", lets)
        put(self, "checks", checks)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
@written_out
class DeclaredRule(Compared):
    """A rule id as a ``.sch`` file declares it: severity, texts and where it applies."""

    id: str
    severity: Severity
    message_en: str
    message_cy: str | None
    context: str
    test: str
    source: str
    #: The messages as descriptions of the rule (see :attr:`Text.description`).
    description_en: str = ""
    description_cy: str | None = None

    def __init__(
        self,
        id: str,
        severity: Severity,
        message_en: str,
        message_cy: str | None,
        context: str,
        test: str,
        source: str,
        description_en: str = "",
        description_cy: str | None = None,
    ) -> None:
        put = object.__setattr__
        put(self, "id", id)
        put(self, "severity", severity)
        put(self, "message_en", message_en)
        put(self, "message_cy", message_cy)
        put(self, "context", context)
        put(self, "test", test)
        put(self, "source", source)
        put(self, "description_en", description_en)
        put(self, "description_cy", description_cy)

    @property
    def code(self) -> str:
        """The issue code, ``rule.<ID>``."""
        return f"rule.{self.id}"


def _lets(element: Any) -> tuple[tuple[str, str], ...]:
    return tuple((x.get("name", ""), x.get("value", "")) for x in element.iter(f"{_SCH}let"))


def rules_of(root: Any, welsh_diagnostics: Mapping[str, Any]) -> tuple[Rule, ...]:
    """Return the rules under a ``sch:schema`` element, in file order.

    ``welsh_diagnostics``: the Welsh ``sch:diagnostic`` elements by id; a check's
    Welsh text is the first of its diagnostics among them.
    """
    welsh = {key: _text(element) for key, element in welsh_diagnostics.items()}
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
    return tuple(rules)


__all__ = ["NAME", "TEXT", "VALUE_OF", "Check", "DeclaredRule", "Rule", "Text", "rules_of"]
