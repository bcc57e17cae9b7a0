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
