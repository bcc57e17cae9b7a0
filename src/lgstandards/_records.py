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
from reprlib import recursive_repr
from typing import Any, TypeVar

_T = TypeVar("_T")


class _Factory:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


#: The default of a field with a ``default_factory`` in a written-out ``__init__`` (its
#: signature shows ``<factory>``, as a generated one does).
FACTORY: Any = _Factory()


#: Each record class's field names: those in its repr, compared, and hashed.
_NAMES: dict[type, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}


def _names(cls: type) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    known = _NAMES.get(cls)
    if known is None:
        from dataclasses import fields

        every = fields(cls)
        known = _NAMES[cls] = (
            tuple(f.name for f in every if f.repr),
            tuple(f.name for f in every if f.compare),
            tuple(f.name for f in every if (f.compare if f.hash is None else f.hash)),
        )
    return known


class Compared:
    """The repr, equality and hash of a frozen record, as a generated dataclass has them.

    Derived from the record's fields and their ``repr``, ``compare`` and ``hash`` flags
    (read once per class); only an instance of the very same class compares equal.
    """

    __slots__ = ()

    @recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _names(type(self))[0])
        return f"{self.__class__.__qualname__}({shown})"

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _names(type(self))[1])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._compared() == other._compared()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in _names(type(self))[2]))


def written_out(cls: type[_T]) -> type[_T]:
    """Mark a record's ``__init__`` as returning None, as a generated one is annotated.

    (Under postponed annotations the written-out one says ``'None'``.)
    """
    init: Callable[..., None] = cls.__init__
    init.__annotations__["return"] = None
    return cls


__all__ = ["FACTORY", "Compared", "written_out"]
