"""LGSL, the Local Government Service List: every council service with a stable code.

The list shipped is the esd-toolkit Services list (``list/services``), March 2015:
1,519 services. Item URIs are ``http://id.esd.org.uk/service/{code}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lgstandards.vocab._base import Concept, Vocabulary, concept_fields
from lgstandards.vocab.source import ConceptRow, SchemeInfo

if TYPE_CHECKING:
    from lgstandards.vocab.functions import Function
    from lgstandards.vocab.lgil import Interaction
    from lgstandards.vocab.lgnl import NavigationHeading
    from lgstandards.vocab.tiers import Tier
    from lgstandards.vocab.transactions import ServiceInteraction

#: GOV.UK creates services with codes "not specified by esd" from this number up.
UNOFFICIAL_FROM = 100000


@dataclass(frozen=True, slots=True, repr=False)
class Service(Concept):
    """An LGSL service, with its relations to the other lists as properties."""

    @property
    def unofficial(self) -> bool:
        """True for GOV.UK's own codes (100000 and above), not published by esd."""
        return self.code >= UNOFFICIAL_FROM

    @property
    def replacement(self) -> Service | None:
        """The service that replaces this deprecated one, if any."""
        return None if self.replaced_by is None else lgsl.get(self.replaced_by)

    @property
    def functions(self) -> tuple[Function, ...]:
        """The functions (esd Function list) that contain this service."""
        from lgstandards.vocab.functions import functions_of_service

        return functions_of_service(self.code)

    @property
    def headings(self) -> tuple[NavigationHeading, ...]:
        """The LGNL navigation headings this service sits under (LGNL is discontinued)."""
        from lgstandards.vocab.lgnl import headings_of_service

        return headings_of_service(self.code)

    @property
    def tiers(self) -> frozenset[Tier]:
        """The council tiers that provide this service, from GOV.UK's list (may be empty)."""
        from lgstandards.vocab.tiers import tiers_of_service

        return tiers_of_service(self.code)

    @property
    def transactions(self) -> tuple[ServiceInteraction, ...]:
        """The real service x interaction pairs published for this service."""
        from lgstandards.vocab.transactions import transactions

        return transactions.for_service(self.code)

    @property
    def interactions(self) -> tuple[Interaction, ...]:
        """The LGIL interactions offered for this service (from its transactions)."""
        return tuple(t.interaction for t in self.transactions)


def _service(scheme: SchemeInfo, row: ConceptRow) -> Service:
    return Service(**concept_fields(scheme, row))  # type: ignore[arg-type]


#: The LGSL vocabulary: ``lgsl.get(57)``, ``lgsl.lookup(57)``, ``lgsl.search("council tax")``.
lgsl: Vocabulary[Service] = Vocabulary("lgsl", _service)

#: Backwards-friendly alias: the record type of LGSL.
LGSLService = Service

__all__ = ["UNOFFICIAL_FROM", "LGSLService", "Service", "lgsl"]
