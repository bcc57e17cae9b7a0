"""LGIL, the Local Government Interaction List: kinds of interaction (apply, pay, book ...).

Codes 0 to 17 and 20 to 34; 0 to 9 are the ten BVPI 157 interaction types. Parent
links are lgstandards' inference unless ``parent_inferred`` is False.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lgstandards.vocab._base import Concept, Vocabulary, concept_fields
from lgstandards.vocab.source import ConceptRow, SchemeInfo

if TYPE_CHECKING:
    from lgstandards.vocab.lgsl import Service


@dataclass(frozen=True, slots=True, repr=False)
class Interaction(Concept):
    """An LGIL interaction type."""

    short_label: str | None = None
    parent_inferred: bool = False
    bvpi157: bool = False

    @property
    def parent(self) -> Interaction | None:
        """The broader interaction, if any (see ``parent_inferred``)."""
        return None if self.broader_code is None else lgil.get(self.broader_code)

    @property
    def children(self) -> tuple[Interaction, ...]:
        """The narrower interactions, in code order."""
        return lgil.narrower(self.code)

    @property
    def services(self) -> tuple[Service, ...]:
        """The LGSL services offered with this interaction (from the transactions list)."""
        from lgstandards.vocab.transactions import transactions

        return tuple(t.service for t in transactions.for_interaction(self.code))


def _interaction(scheme: SchemeInfo, row: ConceptRow) -> Interaction:
    return Interaction(
        **concept_fields(scheme, row),  # type: ignore[arg-type]
        short_label=row.extra.get("short_label") or None,
        parent_inferred=row.extra.get("parent_inferred") == "true",
        bvpi157=row.extra.get("bvpi157") == "true",
    )


#: The LGIL vocabulary: ``lgil.lookup(8).label == "Providing information"``.
lgil: Vocabulary[Interaction] = Vocabulary("lgil", _interaction)

LGILInteraction = Interaction

__all__ = ["Interaction", "LGILInteraction", "lgil"]
