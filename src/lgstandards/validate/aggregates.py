"""Batch totals computed incrementally while streaming (trailer counts and sums).

Rules that compare a batch's trailer with *all* its records (record counts, money
totals) cannot run on a chunk of records. For streaming, each such rule has an
:class:`Aggregate` here that sees every record once and reports at the end with the
same code, message and location as the rule gives in whole-document mode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from lgstandards.report import Issue
from lgstandards.validate.kinds import KindSpec
from lgstandards.validate.paths import PathMaker

if TYPE_CHECKING:
    from lxml import etree


class Aggregate(Protocol):
    """An incremental batch-level rule."""

    #: The rule codes (``rule.COM-R008`` ...) this aggregate replaces while streaming.
    codes: frozenset[str]

    def begin(self, root: etree._Element) -> None:
        """See the root and the elements before the first record."""

    def record(self, record: etree._Element) -> None:
        """See one record (complete, before it is dropped)."""

    def finish(
        self, root: etree._Element, *, paths: PathMaker, source: str | None
    ) -> Iterator[Issue]:
        """See the skeleton (root, header, trailer) and yield the rule's issues."""
        ...


#: Factories of aggregates per kind.
_FACTORIES: dict[str, list[Callable[[KindSpec], Any]]] = {}


def register_aggregate(kind: str, factory: Callable[[KindSpec], Any]) -> None:
    """Register an aggregate factory for a batch kind."""
    _FACTORIES.setdefault(kind, []).append(factory)


def aggregates_for(spec: KindSpec) -> list[Any]:
    """Return fresh aggregates for one streamed document of kind ``spec``."""
    return [factory(spec) for factory in _FACTORIES.get(spec.kind, [])]




def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal((text or "").strip())
    except ArithmeticError:
        return None


class TrailerTotals:
    """Compare a trailer's record count and money total with the records, incrementally.

    ``count_rule`` / ``total_rule`` are rule ids (``COM-R008`` ...) whose Schematron or
    Python definitions give the severity and messages; the issue is located at the
    trailer element, like the rule's context in whole-document mode.
    """

    def __init__(
        self,
        spec: KindSpec,
        *,
        trailer: str,
        count_element: str | None,
        total_element: str | None,
        amount_element: str | None,
        count_rule: str | None = None,
        total_rule: str | None = None,
    ) -> None:
        self.spec = spec
        self.trailer = trailer
        self.count_element = count_element
        self.total_element = total_element
        self.amount_element = amount_element
        self.count_rule = count_rule
        self.total_rule = total_rule
        self.codes = frozenset(f"rule.{r}" for r in (count_rule, total_rule) if r)
        self.count = 0
        self.total = Decimal(0)
        self.bad_amount = False

    def begin(self, root: etree._Element) -> None:
        """Nothing to see before the records."""

    def record(self, record: etree._Element) -> None:
        """Count the record and add its amount."""
        self.count += 1
        if self.amount_element is not None:
            for amount in record.iter(self.amount_element):
                value = _decimal(amount.text)
                if value is None:
                    self.bad_amount = True
                else:
                    self.total += value

    def finish(
        self, root: etree._Element, *, paths: PathMaker, source: str | None
    ) -> Iterator[Issue]:
        """Compare with the trailer and yield the rules' issues."""
        trailer = next(root.iter(self.trailer), None)
        if trailer is None:
            return
        checks = (
            (self.count_rule, self.count_element, Decimal(self.count)),
            (self.total_rule, self.total_element, None if self.bad_amount else self.total),
        )
        for rule_id, element, actual in checks:
            if rule_id is None or element is None:
                continue
            found = trailer.find(element)
            stated = _decimal(found.text) if found is not None else None
            if stated is not None and actual is not None and stated == actual:
                continue
            yield _rule_issue(self.spec, rule_id, trailer, paths=paths, source=source)


def _rule_issue(
    spec: KindSpec, rule_id: str, element: etree._Element, *, paths: PathMaker, source: str | None
) -> Issue:
    """Build the issue a rule gives at ``element``, from its Schematron or Python definition."""
    from lgstandards.report import Severity

    severity, english, welsh = Severity.ERROR, rule_id, None
    found = False
    if spec.rules_file is not None and spec.rules_file.is_file():
        from lgstandards.rules.schematron import declared_rules

        for declared in declared_rules(spec.rules_file):
            if declared.id == rule_id:
                severity, english, welsh = declared.severity, declared.message_en, declared.message_cy
                found = True
                break
    if not found:
        from lgstandards.rules import python_rules

        rule = python_rules().get(rule_id)
        if rule is not None:
            severity, english, welsh = rule.severity, rule.message_en, rule.message_cy
    return Issue(
        f"rule.{rule_id}",
        severity,
        english,
        welsh,
        source=source,
        line=element.sourceline,
        path=paths.path(element),
    )


__all__ = ["Aggregate", "TrailerTotals", "aggregates_for", "register_aggregate"]
