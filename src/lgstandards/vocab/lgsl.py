"""LGSL, the Local Government Service List: every council service with a stable code.

The list shipped is the esd-toolkit Services list (``list/services``), March 2015:
1,519 services. Item URIs are ``http://id.esd.org.uk/service/{code}``. The record
type, :class:`~lgstandards.vocab.concepts.Service`, and its relations to the other
lists are in :mod:`lgstandards.vocab.concepts`.
"""

from __future__ import annotations

from lgstandards.vocab._base import Vocabulary, concept_fields
from lgstandards.vocab.concepts import UNOFFICIAL_FROM, Service, _register
from lgstandards.vocab.source import ConceptRow, SchemeInfo


def _service(scheme: SchemeInfo, row: ConceptRow) -> Service:
    return Service(**concept_fields(scheme, row))  # type: ignore[arg-type]


#: The LGSL vocabulary: ``lgsl.get(57)``, ``lgsl.lookup(57)``, ``lgsl.search("council tax")``.
lgsl: Vocabulary[Service] = _register(Vocabulary("lgsl", _service))

#: Backwards-friendly alias: the record type of LGSL.
LGSLService = Service

__all__ = ["UNOFFICIAL_FROM", "LGSLService", "Service", "lgsl"]
