"""``.. lgstandards-rules::``: the catalogue of business rules, Schematron and Python.

Rules are read from the Schematron files the catalogue names
(``sch:assert/@id``, ``@role``, the English text and the Welsh diagnostic), from
the Python rules registry (:func:`lgstandards.rules.python_rules`) and from the
stateful rules an exchange checks against its ledger
(:data:`lgstandards.exchange.STATEFUL_RULES`, texts from the issue-code registry). Each rule gets
the anchor ``rule-<id>`` (``rule-epay-r001``), grouped by family (``COM``, ``EPAY``
...). The optional argument limits the page to one family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from lgstandards.sphinxext._nodes import as_written, literal, note, para, table
from lgstandards.sphinxext.domain import LGStandardsDomain

#: Titles of the rule families, by id prefix.
FAMILIES = {
    "COM": "Common types",
    "EPAY": "e-Pay",
    "BEN": "e-Benefits",
    "TX": "Transactions",
    "VB": "Valuebill",
}


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """One rule as the catalogue shows it."""

    id: str
    severity: str
    message_en: str
    message_cy: str | None
    #: ``(kind, file or description, context, test)``: context and test for Schematron.
    checks: tuple[tuple[str, str, str, str], ...]

    @property
    def family(self) -> str:
        """The id prefix: ``EPAY`` for ``EPAY-R001``."""
        return self.id.split("-", 1)[0]


def rule_anchor(rule_id: str) -> str:
    """Return the anchor of a rule: ``rule-epay-r001``."""
    return nodes.make_id(f"rule-{rule_id}")


def collect_rules() -> list[RuleDoc]:
    """Return every rule of the Schematron files and the Python registry, by id."""
    from lgstandards.artefacts.catalogue import rule_files
    from lgstandards.artefacts.declarations import declared_rules
    from lgstandards.rules import python_rules

    found: dict[str, RuleDoc] = {}
    for path in rule_files():
        for rule in declared_rules(path):
            check = ("Schematron", path.name, rule.context, rule.test)
            previous = found.get(rule.id)
            checks = (*previous.checks, check) if previous else (check,)
            found[rule.id] = RuleDoc(
                rule.id, rule.severity.value, rule.message_en, rule.message_cy, checks
            )
    for coded in python_rules().values():
        where = ", ".join(coded.kinds)
        check = ("Python", f"{coded.description or coded.message_en} (documents: {where})", "", "")
        previous = found.get(coded.id)
        if previous is not None:
            found[coded.id] = RuleDoc(
                previous.id,
                previous.severity,
                previous.message_en,
                previous.message_cy or coded.message_cy,
                (*previous.checks, check),
            )
        else:
            found[coded.id] = RuleDoc(
                coded.id, coded.severity.value, coded.message_en, coded.message_cy, (check,)
            )
    _add_stateful(found)
    return [found[k] for k in sorted(found, key=_sort_key)]


def _add_stateful(found: dict[str, RuleDoc]) -> None:
    """Add the stateful rules (an id may also be a per-document rule: one entry each)."""
    from lgstandards.codes import registry
    from lgstandards.exchange.rules import STATEFUL_RULES

    for rule_id, (what, state) in STATEFUL_RULES.items():
        check = ("Stateful", f"{what}; checked by an exchange (state: {state})", "", "")
        previous = found.get(rule_id)
        if previous is not None:
            found[rule_id] = RuleDoc(
                previous.id,
                previous.severity,
                previous.message_en,
                previous.message_cy,
                (*previous.checks, check),
            )
            continue
        entry = registry()[f"rule.{rule_id}"]
        found[rule_id] = RuleDoc(
            rule_id, entry.severity.value, entry.description, entry.description_cy, (check,)
        )


def _sort_key(rule_id: str) -> tuple[str, int, str]:
    family, _, number = rule_id.partition("-R")
    return (family, int(number) if number.isdigit() else 0, rule_id)


class RulesDirective(SphinxDirective):
    """Render the business-rule catalogue (optionally one family: ``EPAY``)."""

    optional_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        """Build one table per family."""
        from lgstandards.artefacts.catalogue import rule_files

        for path in rule_files():
            self.env.note_dependency(str(path))
        wanted = self.arguments[0].strip().upper() if self.arguments else None
        rules = [r for r in collect_rules() if wanted is None or r.family == wanted]
        if not rules:
            return [note("No business rules are published yet.")]
        domain = self.env.get_domain("lgs")
        assert isinstance(domain, LGStandardsDomain)
        result: list[nodes.Node] = []
        order = list(FAMILIES)
        families = sorted(
            {r.family for r in rules},
            key=lambda f: (order.index(f) if f in order else len(order), f),
        )
        for family in families:
            title = f"{family}: {FAMILIES.get(family, family)} rules"
            section = nodes.section(ids=[nodes.make_id(f"rules-{family}")])
            section += nodes.title(title, title)
            rows: list[list[nodes.Node | str]] = []
            for rule in (r for r in rules if r.family == family):
                ident = rule_anchor(rule.id)
                domain.note_object("rule", rule.id, ident, rule.id)
                messages = nodes.container()
                messages += para(rule.message_en)
                if rule.message_cy:
                    welsh = para(nodes.emphasis("Cymraeg: ", "Cymraeg: "), rule.message_cy)
                    welsh["classes"].append("lgs-welsh")
                    messages += welsh
                checks = nodes.container()
                for kind, what, context, test in rule.checks:
                    if kind == "Schematron":
                        label = nodes.strong(kind, kind)
                        checks += para(label, f" ({what}): in ", literal(context))
                        checks += para("assert ", literal(test))
                    else:
                        checks += para(nodes.strong(kind, kind), f": {what}")
                rows.append([para(literal(rule.id), ids=[ident]), rule.severity, messages, checks])
            section += table(
                ["Rule", "Severity", "Message (English, Welsh)", "What it checks"],
                rows,
                widths=[11, 8, 41, 40],
                classes=["lgs-rules"],
            )
            result.append(section)
        if wanted is None:
            result.append(_elsewhere_section(domain))
        return as_written(result)


def _elsewhere_section(domain: LGStandardsDomain) -> nodes.section:
    """Return the section of rules with no code of their own: where each is enforced, or why not."""
    from lgstandards.rules.coverage import ENFORCED_ELSEWHERE, NOT_IMPLEMENTED

    title = "Rules enforced by other layers, and rules not checked"
    section = nodes.section(ids=["rules-elsewhere"])
    section += nodes.title(title, title)
    section += para(
        "These rules of the standard have no issue code of their own: a schema type, the "
        "vocabulary check or kind detection enforces them, and a finding carries that "
        "layer's code."
    )
    rows: list[list[nodes.Node | str]] = []
    for rule_id in sorted(ENFORCED_ELSEWHERE, key=_sort_key):
        entry = ENFORCED_ELSEWHERE[rule_id]
        ident = rule_anchor(rule_id)
        domain.note_object("rule", rule_id, ident, rule_id)
        codes = nodes.container()
        for code in entry.codes:
            codes += para(literal(code))
        what = nodes.container()
        what += para(entry.where)
        if entry.note:
            what += para(entry.note)
        rows.append([para(literal(rule_id), ids=[ident]), entry.layer, what, codes])
    for rule_id in sorted(NOT_IMPLEMENTED, key=_sort_key):
        ident = rule_anchor(rule_id)
        domain.note_object("rule", rule_id, ident, rule_id)
        rows.append(
            [para(literal(rule_id), ids=[ident]), "Not checked", para(NOT_IMPLEMENTED[rule_id]), ""]
        )
    section += table(
        ["Rule", "Enforced by", "Where (or why not)", "Issue codes"],
        rows,
        widths=[11, 14, 55, 20],
        classes=["lgs-rules"],
    )
    return section


__all__ = ["FAMILIES", "RuleDoc", "RulesDirective", "collect_rules", "rule_anchor"]
