"""What a Schematron file declares, read once per process with the safe parser.

Each ``.sch`` file (ISO Schematron, XPath 1.0) declares namespace prefixes,
variables (``sch:let``) and rules: a context, its own variables and checks
(``sch:assert`` / ``sch:report``), each with a rule id, a role (the severity), an
English text and a Welsh diagnostic (``xml:lang="cy"``). :func:`declarations` reads
all of it; the issue-code registry, the documentation, the streaming aggregates and
the rule runner (which compiles :attr:`Declarations.document`) read it from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from lgstandards.artefacts._schns import SCH_NS, SVRL_NS, XML_LANG, severity_of
from lgstandards.exceptions import SchemaNotFoundError
from lgstandards.safexml import XMLInputError, parse_xml

if TYPE_CHECKING:
    from lxml import etree

    from lgstandards.artefacts._schrules import (
        NAME,
        TEXT,
        VALUE_OF,
        Check,
        DeclaredRule,
        Rule,
        Text,
    )

_SCH = f"{{{SCH_NS}}}"

#: The rule model's names, defined in a private module imported on first use.
_RULE_MODEL = frozenset({"NAME", "TEXT", "VALUE_OF", "Check", "DeclaredRule", "Rule", "Text"})


def __getattr__(name: str) -> Any:
    """Import the rule model (:class:`Rule`, :class:`Check`, :class:`Text` ...) on first use."""
    if name in _RULE_MODEL:
        from lgstandards.artefacts import _schrules

        value = getattr(_schrules, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Declarations:
    """Everything one Schematron file declares.

    The namespaces and Welsh diagnostics are read at once; the rules (:attr:`rules`,
    :attr:`lets`, :attr:`declared_rules`) the first time they are asked for, since
    running the file's rules needs only the former.
    """

    def __init__(
        self,
        path: Path,
        namespaces: Mapping[str, str],
        prefixes: Mapping[str, str],
        welsh_diagnostics: frozenset[str],
        document: Any,
    ) -> None:
        #: The file read.
        self.path = path
        #: Prefix -> namespace URI, from the ``sch:ns`` elements.
        self.namespaces = namespaces
        #: Namespace URI -> prefix (the last ``sch:ns`` wins when two name one URI).
        self.prefixes = prefixes
        #: The ids of the Welsh diagnostics.
        self.welsh_diagnostics = welsh_diagnostics
        #: The parsed file (for compiling the rules); shared, never to be modified.
        self.document = document

    def __repr__(self) -> str:
        return f"Declarations(path={self.path!r})"

    @cached_property
    def lets(self) -> tuple[tuple[str, str], ...]:
        """The schema-level variables (``sch:let`` outside the rules), in order."""
        return tuple(
            (x.get("name", ""), x.get("value", ""))
            for x in self.document.getroot().iterchildren(f"{_SCH}let")
        )

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        """The rules, in file order: context, variables and checks."""
        from lgstandards.artefacts._schrules import rules_of

        return rules_of(self.document.getroot(), _welsh(self.document.getroot()))

    @cached_property
    def declared_rules(self) -> tuple[DeclaredRule, ...]:
        """Every check with an id, as :class:`DeclaredRule`, in file order."""
        from lgstandards.artefacts._schrules import DeclaredRule

        return tuple(
            DeclaredRule(
                id=check.id or "",
                severity=check.severity,
                message_en=check.message.template,
                message_cy=check.welsh.template if check.welsh is not None else None,
                context=rule.context,
                test=check.test,
                source=self.path.name,
                description_en=check.message.description,
                description_cy=check.welsh.description if check.welsh is not None else None,
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


def _welsh(root: Any) -> dict[str, Any]:
    """Return the Welsh diagnostics (``xml:lang="cy"``) by id (the last of an id counts)."""
    diagnostics = {d.get("id"): d for d in root.iter(f"{_SCH}diagnostic")}
    return {k: d for k, d in diagnostics.items() if d.get(XML_LANG, "").startswith("cy")}


@cache
def declarations(path: Path) -> Declarations:
    """Read a Schematron file once per process (cached by path)."""
    document = _parse(path)
    root = document.getroot()
    pairs = [(ns.get("prefix", ""), ns.get("uri", "")) for ns in root.iterchildren(f"{_SCH}ns")]
    return Declarations(
        path=path,
        namespaces=MappingProxyType(dict(pairs)),
        prefixes=MappingProxyType({uri: prefix for prefix, uri in pairs}),
        welsh_diagnostics=frozenset(str(key) for key in _welsh(root)),
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
