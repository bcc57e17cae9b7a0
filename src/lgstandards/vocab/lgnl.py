"""LGNL v4.00, the Local Government Navigation List (discontinued by esd in January 2019).

118 headings in two levels; each of 829 services sits under one heading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lgstandards.vocab._base import Concept, Vocabulary, concept_fields
from lgstandards.vocab._mappings import containment
from lgstandards.vocab.source import ConceptRow, SchemeInfo

if TYPE_CHECKING:
    from lgstandards.vocab.lgsl import Service


@dataclass(frozen=True, slots=True, repr=False)
class NavigationHeading(Concept):
    """An LGNL navigation heading (for example 50 Council tax and benefits)."""

    published_uri: str | None = None

    @property
    def parent(self) -> NavigationHeading | None:
        """The broader heading, or None at the top level."""
        return None if self.broader_code is None else lgnl.get(self.broader_code)

    @property
    def children(self) -> tuple[NavigationHeading, ...]:
        """The narrower headings."""
        return lgnl.narrower(self.code)

    @property
    def services(self) -> tuple[Service, ...]:
        """The LGSL services under this heading (codes not in LGSL are skipped)."""
        from lgstandards.vocab.lgsl import lgsl

        found = (lgsl.get(c) for c in containment("lgnl")[0].get(self.code, ()))
        return tuple(s for s in found if s is not None)


def headings_of_service(code: int) -> tuple[NavigationHeading, ...]:
    """Return the LGNL headings that contain the LGSL service ``code``."""
    return tuple(lgnl.lookup(c) for c in containment("lgnl")[1].get(code, ()))


def _heading(scheme: SchemeInfo, row: ConceptRow) -> NavigationHeading:
    published = scheme.published_concept_uri
    return NavigationHeading(
        **concept_fields(scheme, row),  # type: ignore[arg-type]
        published_uri=published.format(code=row.code) if published else None,
    )


#: The LGNL vocabulary (historical; ``lgnl.scheme.status == "discontinued"``).
lgnl: Vocabulary[NavigationHeading] = Vocabulary("lgnl", _heading)

__all__ = ["NavigationHeading", "headings_of_service", "lgnl"]
