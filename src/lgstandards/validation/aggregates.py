"""Batch totals computed incrementally while streaming (trailer counts and sums).

Rules that compare a batch's trailer with *all* its records (record counts, money
totals) cannot run on a chunk of records. For streaming, each such rule has an
:class:`Aggregate` here that sees every record once and reports at the end with the
same code, message and location as the rule gives in whole-document mode.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import repeat
from operator import is_, methodcaller
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from lgstandards._xmlvalues import decimal_or_none, string_value
from lgstandards.artefacts.declarations import Rule, Text, declarations, declared_rules
from lgstandards.artefacts.kinds import KindSpec
from lgstandards.report import Issue
from lgstandards.validation.paths import PathMaker

if TYPE_CHECKING:
    from lxml import etree


_parent = methodcaller("getparent")


class Aggregate(Protocol):
    """An incremental batch-level rule."""

    #: The rule codes (``rule.COM-R008`` ...) this aggregate replaces while streaming.
    codes: frozenset[str]

    def begin(self, root: etree._Element) -> None:
        """See the root and the elements before the first record."""

    def record(self, record: etree._Element) -> None:
        """See one record (complete, before it is dropped).

        An aggregate may instead have ``records(records)``, given the records arrived
        since the last call, in order, before each :meth:`chunk` and before
        :meth:`finish` (one call per chunk); and ``reads_records = False`` when it needs
        neither.
        """

    def chunk(self, container: etree._Element) -> None:
        """See the parent of a chunk of records (each record is in one chunk, once)."""

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
    """Return fresh aggregates for one streamed document of kind ``spec``.

    Schematron rules that count or sum over the records are found automatically;
    Python rules over all records need a registered factory.
    """
    found: list[Any] = [factory(spec) for factory in _FACTORIES.get(spec.kind, [])]
    if spec.rules_file is not None and spec.rules_file.is_file() and spec.record:
        totals = SchematronTotals(spec)
        if totals.rules:
            found.append(totals)
    return found


class TrailerTotals:
    """Compare a trailer's record count and money total with the records, incrementally.

    ``count_rule`` / ``total_rule`` are ids (``COM-R008`` ...) of registered rules whose
    message takes no parameter (Schematron rules); the registry gives the messages, the
    kind's ``.sch`` file the severity (see :func:`_rule_issue`). The issue is located at
    the trailer element, like the rule's context in whole-document mode.
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

    def chunk(self, container: etree._Element) -> None:
        """Nothing: each record is seen by :meth:`record`."""

    def record(self, record: etree._Element) -> None:
        """Count the record and add its amount."""
        self.count += 1
        if self.amount_element is not None:
            for amount in record.iter(self.amount_element):
                value = decimal_or_none(string_value(amount))
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
            stated = decimal_or_none(string_value(found)) if found is not None else None
            if stated is not None and actual is not None and stated == actual:
                continue
            yield _rule_issue(self.spec, rule_id, trailer, paths=paths, source=source)


def _rule_issue(
    spec: KindSpec, rule_id: str, element: etree._Element, *, paths: PathMaker, source: str | None
) -> Issue:
    """Make the issue a rule gives at ``element``: its registered code and texts.

    The severity is the one the kind's own ``.sch`` file gives the rule, when it
    declares it (a rule's severity may differ between profiles: ``cfg``).
    """
    from lgstandards.codes import issue

    severity = None
    if spec.rules_file is not None and spec.rules_file.is_file():
        severity = next(
            (d.severity for d in declared_rules(spec.rules_file) if d.id == rule_id), None
        )
    return issue(f"rule.{rule_id}", element=element, paths=paths, source=source, severity=severity)


# --- Schematron rules over all records ----------------------------------------------

#: ``count($v)``, ``count($v[p])``, ``sum($v/path)``, ``sum($v[p]/path)``; a predicate may
#: hold one level of nested predicates (``$v[epay:RecordType[. = 'PAYMENT']]``).
_AGGREGATE = re.compile(
    r"(count|sum)\(\s*\$(\w+)\s*(\[(?:[^\[\]]|\[[^\[\]]*\])*\])?\s*((?:/[^()\[\]]+)?)\s*\)"
)


@dataclass(frozen=True, slots=True)
class _BatchRule:
    rule: Rule
    #: The variable bound to the batch's records.
    variable: str


def _record_variable(
    value: str, namespace: str, record: str, namespaces: Mapping[str, str]
) -> bool:
    last = value.strip().rpartition("/")[2]
    prefix, _, local = last.rpartition(":")
    return bool(local == record and namespaces.get(prefix) == namespace)


def _batch_rules(rules_file: Path, namespace: str, record: str) -> list[_BatchRule]:
    """Find Schematron rules outside the records whose variables hold all the records."""
    declared = declarations(rules_file)
    found: list[_BatchRule] = []
    for rule in declared.rules:
        variables = [
            name
            for name, value in rule.lets
            if _record_variable(value, namespace, record, declared.namespaces)
        ]
        if variables:
            checks = tuple(c for c in rule.checks if c.id)
            found.append(_BatchRule(replace(rule, checks=checks), variables[0]))
    return found


#: What makes a predicate depend on the record's position among others.
_POSITIONAL = re.compile(r"position\(|last\(|\[\s*[0-9$(]")


def _chunkable(predicate: str) -> bool:
    """Tell whether ``count($v[predicate])`` can be counted over a chunk of records at once.

    Not when the predicate depends on position (``[1]``, ``position()``, ``last()``, a
    variable or expression as a number): per record it is evaluated alone.
    """
    return not _POSITIONAL.search(predicate)


#: A predicate on a record's child value: ``[p:Name[. = 'value']]``.
_CHILD_VALUE = re.compile(
    r"\[\s*([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)\s*\[\s*\.\s*=\s*"
    r"(?:'([^']*)'|\"([^\"]*)\")\s*\]\s*\]"
)


def _by_child_value(
    predicate: str, namespaces: Mapping[str, str]
) -> tuple[str | None, str | None] | None:
    """Read a count's predicate as (child's Clark tag, value); (None, None) for none.

    None when the predicate is anything else (it is then evaluated as XPath). A record
    matches ``[p:Name[. = 'v']]`` when one of its ``p:Name`` children has the string
    value ``v``; :meth:`SchematronTotals.chunk` counts those from the children's texts
    (:func:`lgstandards.rules.screens.child_values`) when each record has at most one
    such child holding text only.
    """
    if not predicate.strip():
        return None, None
    match = _CHILD_VALUE.fullmatch(predicate.strip())
    if match is None or match.group(1) not in namespaces:
        return None
    value = match.group(3) if match.group(3) is not None else match.group(4)
    return f"{{{namespaces[match.group(1)]}}}{match.group(2)}", value


def _own_prefix(namespaces: Mapping[str, str]) -> str:
    """Return a namespace prefix that ``namespaces`` does not bind."""
    prefix, number = "lgs-record", 0
    while prefix in namespaces:
        number += 1
        prefix = f"lgs-record{number}"
    return prefix


def _literal(value: float) -> str:
    """Write a float as an XPath 1.0 expression (no exponent; NaN and infinities too)."""
    if math.isnan(value):
        return "number('NaN')"
    if math.isinf(value):
        return "(1 div 0)" if value > 0 else "(-1 div 0)"
    if value == int(value):
        return f"({int(value)})"
    return f"({format(Decimal(repr(value)), 'f')})"


class SchematronTotals:
    """Evaluate Schematron rules that count or sum over all records, while streaming.

    A rule qualifies when a ``sch:let`` binds a variable to the batch's records
    (``../epay:PaymentRecord``) and its tests use only ``count($v)``, ``count($v[p])``,
    ``sum($v/path)`` or ``sum($v[p]/path)`` of it. Each such term is accumulated per
    record; at the end the term is replaced by its value and the rule is evaluated on
    the skeleton, giving the same message (``value-of`` included) as the full document.
    """

    def __init__(self, spec: KindSpec) -> None:
        from lxml import etree

        self.spec = spec
        self.rules: list[_BatchRule] = []
        self.namespaces: dict[str, str] = {}
        self.terms: dict[str, Any] = {}
        #: Terms that count records: evaluated once per chunk on the records' parent
        #: (integers, so the sum of the chunks' counts is exact).
        self.counts: dict[str, Any] = {}
        self.values: dict[str, float] = {}
        #: Counts whose predicate is a child's value (``[epay:RecordType[. = 'PAYMENT']]``)
        #: or none: (the child's Clark tag, the value), (None, None) for every record.
        self.by_value: dict[str, tuple[str | None, str | None]] = {}
        self.record_tag = f"{{{spec.namespace}}}{spec.record}"
        if spec.rules_file is None or spec.record is None:
            rules: list[_BatchRule] = []
        else:
            rules = _batch_rules(spec.rules_file, spec.namespace, spec.record)
            self.namespaces = dict(declarations(spec.rules_file).namespaces)
        # Records are counted by a name test with a prefix of our own: libxml2 compares
        # names, not strings made for each child as local-name() = ... would.
        prefix = _own_prefix(self.namespaces)
        counted = {**self.namespaces, prefix: spec.namespace}
        for batch_rule in rules:
            checks = batch_rule.rule.checks
            texts = [c.test for c in checks] + [
                select
                for c in checks
                for text in (c.message, c.welsh)
                if text is not None
                for select in text.selects
            ]
            leftover = [_AGGREGATE.sub("0", t) for t in texts]
            if any(f"${batch_rule.variable}" in t for t in leftover):
                continue  # uses the records in a way that cannot be accumulated
            self.rules.append(batch_rule)
            for text in texts:
                for match in _AGGREGATE.finditer(text):
                    if match.group(2) != batch_rule.variable:
                        continue
                    func, _, predicate, path = match.groups()
                    if func == "count" and not path and _chunkable(predicate or ""):
                        # counted over a chunk of records
                        expression = f"count({prefix}:{spec.record}{predicate or ''})"
                        self.counts[match.group(0)] = etree.XPath(expression, namespaces=counted)
                        by_value = _by_child_value(predicate or "", self.namespaces)
                        if by_value is not None:
                            self.by_value[match.group(0)] = by_value
                    else:
                        expression = f"{func}(self::*{predicate or ''}{path or ''})"
                        self.terms[match.group(0)] = etree.XPath(
                            expression, namespaces=self.namespaces
                        )
                    self.values[match.group(0)] = 0.0
        self.codes = frozenset(f"rule.{c.id}" for r in self.rules for c in r.rule.checks)

    def begin(self, root: etree._Element) -> None:
        """Nothing to see before the records."""

    @property
    def reads_records(self) -> bool:
        """Tell whether :meth:`record` is needed (a term is a sum or a positional count)."""
        return bool(self.terms)

    def record(self, record: etree._Element) -> None:
        """Add one record's contribution to every term but the counts (see :meth:`chunk`)."""
        for key, xpath in self.terms.items():
            value = xpath(record)
            self.values[key] += float(value) if isinstance(value, float | int) else 0.0

    def chunk(self, container: etree._Element) -> None:
        """Add the counts of the records among ``container``'s children (a chunk of them).

        Every record is a child of one chunk's container once (the other children are
        not records: copies of the header, elements between records).
        """
        from lgstandards.rules.screens import ODD, child_values

        records: list[Any] | None = None
        columns: dict[str, list[Any]] = {}
        for key, xpath in self.counts.items():
            counted: float | int | None = None
            fast = self.by_value.get(key)
            if fast is not None:  # counted from the records' values
                tag, wanted = fast
                if records is None:
                    records = list(container.iterchildren(self.record_tag))
                if tag is None:
                    counted = len(records)
                else:
                    if tag not in columns:
                        columns[tag] = child_values(
                            container, records, tag, record_tag=self.record_tag
                        )
                    if ODD not in columns[tag]:  # else: a child with child nodes, or two
                        counted = columns[tag].count(wanted)
            if counted is None:
                value = xpath(container)
                counted = value if isinstance(value, float | int) else 0
            self.values[key] += float(counted)

    def _substitute(self, text: str) -> str:
        def number(match: re.Match[str]) -> str:
            value = self.values.get(match.group(0))
            if value is None:
                return match.group(0)
            return _literal(value)

        return _AGGREGATE.sub(number, text)

    def _render(self, text: Text, context: etree._Element, variables: dict[str, Any]) -> str:
        def value_of(select: str) -> str:
            found = context.xpath(
                f"string({self._substitute(select)})", namespaces=self.namespaces, **variables
            )
            return str(found)

        return text.render(value_of, lambda path: str(context.xpath("name()")))

    def finish(
        self, root: etree._Element, *, paths: PathMaker, source: str | None
    ) -> Iterator[Issue]:
        """Evaluate the rules on the skeleton with the accumulated terms."""
        for batch_rule in self.rules:
            rule = batch_rule.rule
            contexts = root.getroottree().xpath(
                f"//{rule.context.strip()}", namespaces=self.namespaces
            )
            for context in contexts if isinstance(contexts, list) else []:
                variables: dict[str, Any] = {}
                for name, value in rule.lets:
                    if name != batch_rule.variable:
                        variables[name] = context.xpath(
                            self._substitute(value), namespaces=self.namespaces, **variables
                        )
                for check in rule.checks:
                    test = self._substitute(check.test)
                    result = bool(
                        context.xpath(f"boolean({test})", namespaces=self.namespaces, **variables)
                    )
                    if result == check.is_assert:
                        continue
                    welsh = check.welsh
                    yield Issue(
                        f"rule.{check.id}",
                        check.severity,
                        self._render(check.message, context, variables),
                        self._render(welsh, context, variables) if welsh is not None else None,
                        source=source,
                        line=context.sourceline,
                        path=paths.path(context),
                    )


__all__ = [
    "Aggregate",
    "SchematronTotals",
    "TrailerTotals",
    "aggregates_for",
    "register_aggregate",
]


class EpayTrailerTotals:
    """COM-R010 while streaming: trailer money totals, overall and per fund.

    Keeps the sums of ``lgstandards.rules.epay.trailer_totals_match`` (whole-document
    mode) as records go by and compares them with the same ``trailer_findings``; a test
    proves both give the same issues.
    """

    codes = frozenset({"rule.COM-R010"})
    _E = "{urn:lgstandards:epay:1}"

    def __init__(self, spec: KindSpec) -> None:
        from lgstandards.rules.epay import RecordSums

        self.spec = spec
        self.sums = RecordSums()
        #: The records seen since the last chunk (they are in the next one).
        self.pending: list[etree._Element] = []

    def begin(self, root: etree._Element) -> None:
        """Nothing to see before the records."""

    def record(self, record: etree._Element) -> None:
        """Keep the record for its chunk (:meth:`chunk` adds the chunk's records at once)."""
        self.pending.append(record)

    def records(self, records: list[etree._Element]) -> None:
        """Keep the records arrived since the last call (as :meth:`record` one by one)."""
        self.pending.extend(records)

    def chunk(self, container: etree._Element) -> None:
        """Add the gross and net amounts of the chunk's records, and count them per fund.

        The chunk holds the records seen since the last one, but for the newest (it waits
        for the next chunk) and the first of the batch (it stays in the tree, and is
        added now, alone, before the chunk's: sums are added in document order).
        """
        pending, self.pending = self.pending, []
        if all(map(is_, map(_parent, pending), repeat(container))):  # the usual, at C speed
            if pending:
                self.sums.add(container, pending)
            return
        group: list[etree._Element] = []
        for record in pending:
            if record.getparent() is container:
                group.append(record)
            elif group:
                self.pending.append(record)
            else:
                self.sums.add(record, [record])
        if group:
            self.sums.add(container, group)

    def finish(
        self, root: etree._Element, *, paths: PathMaker, source: str | None
    ) -> Iterator[Issue]:
        """Compare the trailer with the sums and yield COM-R010's issues."""
        from lgstandards.codes import issue
        from lgstandards.rules.epay import trailer_findings

        trailer = root.find(f"{self._E}Trailer")
        if trailer is None:
            return
        records, self.pending = self.pending, []
        for record in records:  # the records after the last chunk's
            self.sums.add(record, [record])
        sums = self.sums
        findings = trailer_findings(
            trailer, gross=sums.gross, net=sums.net, counts=sums.counts, totals=sums.totals
        )
        for element, values in findings:
            yield issue("rule.COM-R010", values, element=element, paths=paths, source=source)


register_aggregate("epay.reconciliation-batch", EpayTrailerTotals)
