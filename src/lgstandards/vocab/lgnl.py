"""LGNL v4.00, the Local Government Navigation List (discontinued by esd in January 2019).

118 headings in two levels; each of 829 services sits under one heading. The record
type, :class:`~lgstandards.vocab.concepts.NavigationHeading`, and the services under
each heading are in :mod:`lgstandards.vocab.concepts`.
"""

from __future__ import annotations

from lgstandards.vocab._base import Vocabulary, concept_fields
from lgstandards.vocab.concepts import NavigationHeading, _register, headings_of_service
from lgstandards.vocab.source import ConceptRow, SchemeInfo


def _heading(scheme: SchemeInfo, row: ConceptRow) -> NavigationHeading:
    published = scheme.published_concept_uri
    return NavigationHeading(
        **concept_fields(scheme, row),  # type: ignore[arg-type]
        published_uri=published.format(code=row.code) if published else None,
    )


#: The LGNL vocabulary (historical; ``lgnl.scheme.status == "discontinued"``).
lgnl: Vocabulary[NavigationHeading] = _register(Vocabulary("lgnl", _heading))

__all__ = ["NavigationHeading", "headings_of_service", "lgnl"]
