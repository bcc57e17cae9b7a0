"""The esd Function list: 113 functions in two levels, each containing LGSL services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lgstandards.vocab._base import Concept, Vocabulary, concept_fields
from lgstandards.vocab._mappings import containment
from lgstandards.vocab.source import ConceptRow, SchemeInfo

if TYPE_CHECKING:
    from lgstandards.vocab.lgsl import Service


@dataclass(frozen=True, slots=True, repr=False)
class Function(Concept):
    """A council function (for example 66 Housing)."""

    @property
    def parent(self) -> Function | None:
        """The broader function, or None at the top level."""
        return None if self.broader_code is None else functions.get(self.broader_code)

    @property
    def children(self) -> tuple[Function, ...]:
        """The narrower functions."""
        return functions.narrower(self.code)

    @property
    def services(self) -> tuple[Service, ...]:
        """The LGSL services this function contains (codes not in LGSL are skipped)."""
        from lgstandards.vocab.lgsl import lgsl

        found = (lgsl.get(c) for c in containment("functions")[0].get(self.code, ()))
        return tuple(s for s in found if s is not None)

    @property
    def service_codes(self) -> tuple[int, ...]:
        """The codes of the services this function contains, as published."""
        return containment("functions")[0].get(self.code, ())


def functions_of_service(code: int) -> tuple[Function, ...]:
    """Return the functions that contain the LGSL service ``code``."""
    return tuple(functions.lookup(c) for c in containment("functions")[1].get(code, ()))


def _function(scheme: SchemeInfo, row: ConceptRow) -> Function:
    return Function(**concept_fields(scheme, row))  # type: ignore[arg-type]


#: The Function list vocabulary.
functions: Vocabulary[Function] = Vocabulary("functions", _function)

__all__ = ["Function", "functions", "functions_of_service"]
