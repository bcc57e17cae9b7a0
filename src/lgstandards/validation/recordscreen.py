"""Validate a run of batch records with one schema call: streaming's XSD screen.

Streaming parses without a validating parser (libxml2's validation while parsing costs
more than validating the tree afterwards) and checks each chunk of records at once: the
records are moved under a wrapper element whose schema accepts any number of them
(:func:`lgstandards.artefacts.schemas.chunk_schema`), validated together, and only the
records the errors name (or, when unsure, all of them) are validated again on their own
with the record schema, whose issues are the ones reported. A record is valid alone
exactly when it is valid under the wrapper: the wrapper's only content is the records,
each checked against the same declaration, and the schemas shipped use no ``xs:IDREF``
(whose target another record could supply); a schema that does gets no screen (every
record is re-checked).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from copy import deepcopy
from typing import TYPE_CHECKING, Any

from lgstandards._threads import begin

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from lxml import etree

#: The record step of a libxml2 error path under the wrapper: ``/w:Wrapper/p:Record[n]``.
_RECORD_STEP = re.compile(r"/[^/]+/[^/\[\]]+(?:\[([1-9][0-9]*)\])?(?:/.*)?")


class RecordScreen:
    """Screen chunks of records with one validation each (see the module's docstring).

    With a ``pool`` (one thread), :meth:`start` validates a copy of each chunk there
    while the caller goes on with the chunk (its business rules): libxml2 validates
    without holding the GIL, so the two run at once on two CPUs. ``schema_here`` gives
    the schema to validate with in the calling thread (an lxml validator keeps its
    errors on itself: one per thread).
    """

    def __init__(
        self,
        schema: etree.XMLSchema,
        tag: str,
        nsmap: dict[str | None, str],
        *,
        pool: Executor | None = None,
        schema_here: Callable[[], etree.XMLSchema] | None = None,
    ) -> None:
        from lxml import etree

        self.schema = schema
        self.tag = tag
        #: The wrapper, declaring the prefixes in scope at the records (for QName values).
        self.wrapper = etree.Element(tag, nsmap=nsmap)
        self.pool = pool if schema_here is not None else None
        self.schema_here = schema_here

    def suspects(self, records: list[Any], home: Any = None) -> list[Any]:
        """Return the records of ``records`` that may be invalid alone, in order.

        The records are moved under the wrapper (out of their tree); the caller moves
        them on (those still there at the next call are dropped from it). ``home``: an
        element of the document the records move to next, in scope of the namespaces
        in scope at the records: the wrapper is its last child meanwhile (until
        :meth:`release`), so that the records change document once (a move within one
        document costs a third of one between two).
        """
        return _suspects(records, _error_paths(self.schema, self._wrap(records, home)))

    def start(
        self, records: list[Any], home: Any = None, *, in_place: bool = False
    ) -> Callable[[], list[Any]]:
        """Begin :meth:`suspects`; return what gives them (waiting for the pool if need be).

        With a pool, the wrapper is copied (a document of its own, which nothing else
        touches meanwhile) and the copy validated in the pool's thread: the records may
        then move on (:meth:`unwrap`) and be read while it runs. ``in_place``: the
        wrapper itself is validated there, uncopied, the pool's thread starting without
        this one waiting for it. Until the answer is taken, the caller must then leave
        the document of ``home`` alone (libxml2 walks it, and lxml links the records to
        a stand-in root for the time: their parent is not theirs), and keep ``records``;
        afterwards :meth:`unwrap` puts the records back in place.
        """
        wrapper = self._wrap(records, home)
        if self.pool is None or self.schema_here is None:
            found = _error_paths(self.schema, wrapper)
            return lambda: _suspects(records, found)
        if in_place:
            held = [wrapper]
            waiting = begin(self.pool, _held_error_paths, self.schema_here, held, wait=False)
            return lambda: _suspects(records, waiting())
        # The copy is held here only (the pool's thread gets the list) until the answer:
        # it is freed in this thread, which owns the names libxml2 shares with it.
        copy = [deepcopy(wrapper)]
        pending = begin(self.pool, _held_error_paths, self.schema_here, copy)

        def answer() -> list[Any]:
            paths = pending()
            copy.clear()
            return _suspects(records, paths)

        return answer

    def _wrap(self, records: list[Any], home: Any) -> Any:
        """Move ``records`` under the wrapper (in ``home``, if given); return the wrapper."""
        wrapper = self.wrapper
        if len(wrapper):
            del wrapper[:]
        if home is not None and wrapper.getparent() is not home:
            home.append(wrapper)
        if wrapper.tag != self.tag:  # renamed by unwrap: named again where in scope
            wrapper.tag = self.tag
        wrapper.extend(records)
        return wrapper

    def release(self) -> None:
        """Take the wrapper out of the document :meth:`suspects` put it in (if any)."""
        parent = self.wrapper.getparent()
        if parent is not None:
            parent.remove(self.wrapper)

    def unwrap(self) -> bool:
        """Put the wrapper's records in its place in ``home`` (in order) and take it out.

        The records stay where they are (no walk of their subtrees): the wrapper, renamed
        to a name no document holds, is stripped from its parent. False (nothing done)
        when the wrapper has no parent (:meth:`suspects` was given no ``home``).
        """
        from lxml import etree

        wrapper = self.wrapper
        parent = wrapper.getparent()
        if parent is None:
            return False
        wrapper.tag = _UNWRAPPED  # no namespace: the wrapper declares none
        etree.strip_tags(parent, _UNWRAPPED)
        return True


def _error_paths(schema: etree.XMLSchema, wrapper: Any) -> list[str] | None:
    """Validate ``wrapper``: None if valid, else the paths of the errors."""
    if schema.validate(wrapper):
        return None
    return [entry.path or "" for entry in schema.error_log]


def _held_error_paths(
    schema_here: Callable[[], etree.XMLSchema], held: list[Any]
) -> list[str] | None:
    """:func:`_error_paths` of the wrapper (or its copy) in ``held``, with this thread's schema."""
    return _error_paths(schema_here(), held[0])


def _suspects(records: list[Any], paths: list[str] | None) -> list[Any]:
    """Return the records the errors at ``paths`` (under the wrapper) may be in, in order."""
    if paths is None:
        return []
    found: set[int] = set()
    for path in paths:
        match = _RECORD_STEP.fullmatch(path)
        if match is None:
            return list(records)  # the wrapper itself, or a path of another form
        index = match.group(1)
        if index is None and len(records) != 1:
            return list(records)
        found.add(int(index or 1) - 1)
    if any(i >= len(records) for i in found):
        return list(records)
    return [records[i] for i in sorted(found)]


#: The wrapper's name while it is stripped (a random name: no document can hold it).
_UNWRAPPED = f"lgs-unwrapped-{os.urandom(16).hex()}"


__all__ = ["RecordScreen"]
