"""A batch's record column read in C, where it was built (``_columns.c``; see hatch_build.py).

:func:`read_columns` gives what :class:`lgstandards.rules.screens.Records` reads of
columns in Python (one value a record, and the texts of the elements of that name
outside records) with one walk of the tree in C for them all and no element objects,
for columns of the plain shape: a record holds at most one such child, of text content only; no
record is in another. Otherwise, or without the library (see :mod:`lgstandards._clib`),
it gives None and the caller reads the column in Python.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any, NamedTuple

from lgstandards._clib import ElementLayout, Output, element_layout, load

#: The compiled reader's file, beside this module (see hatch_build.py).
COLUMNS_LIBRARY = Path(__file__).with_name("libcolumns.so.1")
#: The most columns one walk reads (``LGS_MOST_COLUMNS`` of ``_columns.c``).
MOST_COLUMNS = 32


class Column(NamedTuple):
    """A column as :class:`~lgstandards.rules.screens.Records` keeps it."""

    #: Each record's value (its child's text, "" if empty), None for a record without one.
    values: list[str | None]
    #: The texts of the elements of that name outside records, in document order.
    outside: list[str]


class _Reader:
    def __init__(self, function: Any, layout: ElementLayout) -> None:
        self.function = function
        self.element_class = layout.element_class
        self.node_offset = layout.node_offset
        self.output = Output()


_READER: list[_Reader | None] = []


def _reader() -> _Reader | None:
    if not _READER:
        size, text, address = ctypes.c_size_t, ctypes.c_char_p, ctypes.c_void_p
        library = load(
            COLUMNS_LIBRARY,
            {
                "lgs_columns": (
                    ctypes.c_ssize_t,
                    # element, node offset, record namespace and name, k, namespaces,
                    # names, outside, buffer, capacity, present, most, counts
                    [
                        size,
                        size,
                        text,
                        text,
                        size,
                        address,
                        address,
                        ctypes.c_int,
                        address,
                        size,
                        address,
                        size,
                        address,
                    ],
                )
            },
            gil=True,  # no thread changes the tree meanwhile
        )
        layout = element_layout()
        found: _Reader | None = None
        if library is not None and layout is not None:
            found = _Reader(library.lgs_columns, layout)
        _READER.append(found)
    return _READER[0]


def _name(tag: str) -> tuple[bytes | None, bytes]:
    """Split a Clark name into its namespace (None for none) and local name, as C strings."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace.encode(), local.encode()
    return None, tag.encode()


def _texts(written: bytes) -> list[str]:
    """Return the texts the reader wrote, each followed by a NUL byte (no XML text holds one)."""
    return written[:-1].decode("utf-8").split("\x00") if written else []


def read_columns(root: Any, records: int, record_tag: str, tags: list[str]) -> list[Column] | None:
    """Read the ``tags`` columns of the ``records`` records (``record_tag``) under ``root``.

    One walk of the tree for them all, ``root`` included (as ``root.iter`` walks). None
    where a column is not of the plain shape (see the module's docstring), the count
    of records differs, or the library is not here.
    """
    native = _READER[0] if _READER else _reader()
    if native is None or root.__class__ is not native.element_class or not tags:
        return None
    k = len(tags)
    if k > MOST_COLUMNS:
        return None
    record_ns, record_local = _name(record_tag)
    names = [_name(tag) for tag in tags]
    nss = (ctypes.c_char_p * k)(*(ns for ns, _ in names))
    locals_ = (ctypes.c_char_p * k)(*(local for _, local in names))
    # k marks a record, for one record more than expected: C gives up at the next
    present = ctypes.create_string_buffer((records + 1) * k)
    counts = (ctypes.c_size_t * (1 + 2 * k))()
    function, address, offset = native.function, id(root), native.node_offset

    def written(outside: int) -> bytes | None:
        return native.output.run(
            lambda buffer, capacity: function(
                address,
                offset,
                record_ns,
                record_local,
                k,
                nss,
                locals_,
                outside,
                buffer,
                capacity,
                present,
                records + 1,
                counts,
            )
        )

    rows = written(-1)
    if rows is None or counts[0] != records:
        return None
    texts = _texts(rows)
    marks = present.raw[: records * k]
    columns = []
    for j in range(k):
        values: list[str | None] = texts[j::k]  # type: ignore[assignment]
        if counts[1 + 2 * j] < records:  # records without one: "" written, no mark
            mine = marks[j::k]
            at = mine.find(0)
            while at >= 0:
                values[at] = None
                at = mine.find(0, at + 1)
        outside = _texts(written(j) or b"") if counts[2 + 2 * j] else []
        columns.append(Column(values, outside))
    return columns
