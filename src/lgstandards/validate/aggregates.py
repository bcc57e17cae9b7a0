"""Batch totals computed incrementally while streaming (trailer counts and sums).

Rules that compare a batch's trailer with *all* its records (record counts, money
totals) cannot run on a chunk of records. For streaming, each such rule has an
:class:`Aggregate` here that sees every record once and reports at the end with the
same code, message and location as the rule gives in whole-document mode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


__all__ = ["Aggregate", "aggregates_for", "register_aggregate"]
