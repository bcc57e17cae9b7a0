"""Start tags counted in C, where it was built (``_tagcount.c``; see hatch_build.py).

:func:`mark_starts` counts what :class:`~lgstandards.validation.starttags.StartTags`
counts in a text of plain tags (its ``<`` less its ``</``) a block at a time, with the
same marks, in one vectorised pass: a streamed batch's every piece is counted so. The
GIL is released meanwhile (the text is an immutable ``bytes``). Without the library
(see :mod:`lgstandards._clib`) it gives None and the caller counts in Python.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

from lgstandards._clib import load

#: The compiled counter's file, beside this module (see hatch_build.py).
TAGCOUNT_LIBRARY = Path(__file__).with_name("libtagcount.so.1")

_COUNTER: list[Any] = []


def _counter() -> Any:
    if not _COUNTER:
        size, address = ctypes.c_size_t, ctypes.c_void_p
        library = load(
            TAGCOUNT_LIBRARY,
            {
                "lgs_mark_starts": (
                    ctypes.c_ssize_t,
                    # text, length, position, count, block, marks, most, total
                    [ctypes.c_char_p, size, size, size, size, address, size, address],
                )
            },
            gil=False,  # it reads only the bytes it is given
        )
        _COUNTER.append(None if library is None else library.lgs_mark_starts)
    return _COUNTER[0]


def mark_starts(
    text: bytes, position: int, count: int, block: int, marks: list[tuple[int, int]]
) -> int | None:
    """Mark ``text``'s blocks from ``position`` and count its start tags; see the C.

    Appends (offset, start tags before it) for each block to ``marks`` and returns the
    start tags to the end (``count`` before ``position`` included), or None without
    the library (nothing appended).
    """
    counter = _counter()
    if counter is None or position < 0 or block <= 0:
        return None
    most = max(0, len(text) - position) // block + 2
    found = (ctypes.c_size_t * (2 * most))()
    total = ctypes.c_size_t()
    written = counter(text, len(text), position, count, block, found, most, ctypes.byref(total))
    if written < 0:  # pragma: no cover - `most` is enough for any text
        return None
    pairs = found[: 2 * written]
    marks.extend(zip(pairs[::2], pairs[1::2], strict=True))
    return int(total.value)
