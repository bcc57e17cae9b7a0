"""Public records whose dataclass methods are written out instead of compiled at import.

``dataclasses.dataclass`` makes each method it generates (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``) by compiling source text when the class is made: more than
the rest of a module costs to import, in every process that imports it. The public
records that every validation makes write those methods out in their class bodies (so
they come compiled from the bytecode cache) and are decorated with
``dataclass(init=False, repr=False, eq=False, ...)``. They stay dataclasses, frozen or
not as before (``fields``, ``asdict``, ``replace`` and subclassing as ever), with the
methods ``dataclass`` would have generated: ``tests/test_records.py`` checks each
against the dataclass its fields make.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

_T = TypeVar("_T")


class _Factory:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


#: The default of a field with a ``default_factory`` in a written-out ``__init__`` (its
#: signature shows ``<factory>``, as a generated one does).
FACTORY: Any = _Factory()


class Compared:
    """Equality and hash of a frozen record, by the fields its ``_compared()`` gives.

    As a generated ``__eq__``: only an instance of the very same class compares equal.
    """

    __slots__ = ()

    def _compared(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._compared() == other._compared()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._compared())


def written_out(cls: type[_T]) -> type[_T]:
    """Mark a record's ``__init__`` as returning None, as a generated one is annotated.

    (Under postponed annotations the written-out one says ``'None'``.)
    """
    init: Callable[..., None] = cls.__init__
    init.__annotations__["return"] = None
    return cls


__all__ = ["FACTORY", "Compared", "written_out"]
