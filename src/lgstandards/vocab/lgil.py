"""LGIL, the Local Government Interaction List: kinds of interaction (apply, pay, book ...).

Codes 0 to 17 and 20 to 34; 0 to 9 are the ten BVPI 157 interaction types. Parent
links are lgstandards' inference unless ``parent_inferred`` is False. The record type,
:class:`~lgstandards.vocab.concepts.Interaction`, is in :mod:`lgstandards.vocab.concepts`.
"""

from __future__ import annotations

from lgstandards.vocab._base import Vocabulary, concept_fields
from lgstandards.vocab.concepts import Interaction, _register
from lgstandards.vocab.source import ConceptRow, SchemeInfo


def _interaction(scheme: SchemeInfo, row: ConceptRow) -> Interaction:
    return Interaction(
        **concept_fields(scheme, row),  # type: ignore[arg-type]
        short_label=row.extra.get("short_label") or None,
        parent_inferred=row.extra.get("parent_inferred") == "true",
        bvpi157=row.extra.get("bvpi157") == "true",
    )


#: The LGIL vocabulary: ``lgil.lookup(8).label == "Providing information"``.
lgil: Vocabulary[Interaction] = _register(Vocabulary("lgil", _interaction))

LGILInteraction = Interaction

__all__ = ["Interaction", "LGILInteraction", "lgil"]
