"""The package's compiled C libraries and the lxml element layout they read.

``hatch_build.py`` compiles each C file of the package into a plain shared library
beside it (no Python C API: loaded with ctypes) where a C compiler is at hand. Each
is an optimisation only: its user does the same work in Python when :func:`load`
gives None (no library, another platform's, or not CPython).

The libraries that read an lxml tree take the element object's address and find its
libxml2 node there, as lxml's public header ``lxml/etree.h`` lays the object out
(``struct LxmlElement {PyObject_HEAD; _doc; _c_node; _tag}``): :func:`element_layout`.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

#: The size of a pointer (the fields of lxml's element object are pointers).
POINTER = ctypes.sizeof(ctypes.c_void_p)


class ElementLayout(NamedTuple):
    """Where an lxml element object holds its document and its libxml2 node."""

    #: The exact class of the elements laid out so (``lxml.etree._Element``).
    element_class: type
    doc_offset: int
    node_offset: int


_LAYOUT: list[ElementLayout | None] = []


def element_layout() -> ElementLayout | None:
    """Return the layout of lxml's element objects; None where it is not ``lxml/etree.h``'s."""
    if not _LAYOUT:
        from lxml import etree

        head = object.__basicsize__
        plain = etree._Element.__basicsize__ == head + 3 * POINTER
        found = sys.implementation.name == "cpython" and plain
        _LAYOUT.append(ElementLayout(etree._Element, head, head + POINTER) if found else None)
    return _LAYOUT[0]


def load(path: Path, functions: dict[str, tuple[Any, list[Any]]], *, gil: bool) -> Any | None:
    """Load the library at ``path`` with ``functions`` typed (name: restype, argtypes).

    ``gil``: the GIL is held while they run (``PyDLL``: no other thread changes a tree
    they read), else released (``CDLL``). None when the library is missing, cannot be
    loaded here, or lacks a function (another build).
    """
    if sys.implementation.name != "cpython" or not path.is_file():
        return None
    try:
        library = (ctypes.PyDLL if gil else ctypes.CDLL)(str(path))
        for name, (restype, argtypes) in functions.items():
            function = getattr(library, name)
            function.restype, function.argtypes = restype, argtypes
    except (AttributeError, OSError):
        return None
    return library


#: What a library's reader gives for an input it leaves to Python, and for a full buffer.
NOT_PLAIN, NO_ROOM = -1, -2


class Output:
    """Output buffers for a library's reader: one a thread, grown until what it writes fits.

    A thread keeps its buffer for the next call while it is at most ``kept`` bytes (a
    larger one is made for the one call that needs it); nothing larger than ``most``
    is made (the reader then gives the input to Python).
    """

    def __init__(self, first: int = 1 << 16, kept: int = 1 << 20, most: int = 1 << 31) -> None:
        self.first, self.kept, self.most = first, kept, most
        self.local = threading.local()

    def _made(self, capacity: int) -> Any:
        made = ctypes.create_string_buffer(capacity)
        if capacity <= self.kept:
            self.local.buffer = made
        return made

    def run(self, call: Callable[[Any, int], int]) -> bytes | None:
        """Return what ``call(buffer, capacity)`` writes (it gives its size), or None.

        None when it gives :data:`NOT_PLAIN`, or :data:`NO_ROOM` at ``most`` bytes.
        """
        buffer = getattr(self.local, "buffer", None)
        if buffer is None:
            buffer = self._made(self.first)
        while True:
            size = call(buffer, len(buffer))
            if size >= 0:
                return ctypes.string_at(buffer, size)
            if size != NO_ROOM or len(buffer) >= self.most:
                return None
            buffer = self._made(len(buffer) * 2)
