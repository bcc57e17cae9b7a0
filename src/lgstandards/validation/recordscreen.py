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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml import etree

#: The record step of a libxml2 error path under the wrapper: ``/w:Wrapper/p:Record[n]``.
_RECORD_STEP = re.compile(r"/[^/]+/[^/\[\]]+(?:\[([1-9][0-9]*)\])?(?:/.*)?")


class RecordScreen:
    """Screen chunks of records with one validation each (see the module's docstring)."""

    def __init__(self, schema: etree.XMLSchema, tag: str, nsmap: dict[str | None, str]) -> None:
        from lxml import etree

        self.schema = schema
        self.tag = tag
        #: The wrapper, declaring the prefixes in scope at the records (for QName values).
        self.wrapper = etree.Element(tag, nsmap=nsmap)

    def suspects(self, records: list[Any], home: Any = None) -> list[Any]:
        """Return the records of ``records`` that may be invalid alone, in order.

        The records are moved under the wrapper (out of their tree); the caller moves
        them on (those still there at the next call are dropped from it). ``home``: an
        element of the document the records move to next, in scope of the namespaces
        in scope at the records: the wrapper is its last child meanwhile (until
        :meth:`release`), so that the records change document once (a move within one
        document costs a third of one between two).
        """
        wrapper = self.wrapper
        if len(wrapper):
            del wrapper[:]
        if home is not None and wrapper.getparent() is not home:
            home.append(wrapper)
        if wrapper.tag != self.tag:  # renamed by unwrap: named again where in scope
            wrapper.tag = self.tag
        wrapper.extend(records)
        if self.schema.validate(wrapper):
            return []
        found: set[int] = set()
        for entry in self.schema.error_log:
            match = _RECORD_STEP.fullmatch(entry.path or "")
            if match is None:
                return list(records)  # the wrapper itself, or a path of another form
            index = match.group(1)
            if index is None and len(records) != 1:
                return list(records)
            found.add(int(index or 1) - 1)
        if any(i >= len(records) for i in found):
            return list(records)
        return [records[i] for i in sorted(found)]

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


#: The wrapper's name while it is stripped (a random name: no document can hold it).
_UNWRAPPED = f"lgs-unwrapped-{os.urandom(16).hex()}"


__all__ = ["RecordScreen"]
