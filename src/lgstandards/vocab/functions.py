"""The esd Function list: 113 functions in two levels, each containing LGSL services.

The record type, :class:`~lgstandards.vocab.concepts.Function`, and the services each
function contains are in :mod:`lgstandards.vocab.concepts`.
"""

from __future__ import annotations

from lgstandards.vocab._base import Vocabulary, concept_fields
from lgstandards.vocab.concepts import Function, _register, functions_of_service
from lgstandards.vocab.source import ConceptRow, SchemeInfo


def _function(scheme: SchemeInfo, row: ConceptRow) -> Function:
    return Function(**concept_fields(scheme, row))  # type: ignore[arg-type]


#: The Function list vocabulary.
functions: Vocabulary[Function] = _register(Vocabulary("functions", _function))

__all__ = ["Function", "functions", "functions_of_service"]
