"""The XML binding's native reader: a model's element read in C, as JSON, where it was built.

``_xmlread.c`` (compiled by ``hatch_build.py`` into ``libxmlread.so.1`` beside this
module) walks an lxml element's libxml2 tree by the class's plan and writes, as JSON
text, the dict that :mod:`lgstandards.models._xml`'s Python reader gives: every value a
string, so pydantic-core's JSON parser gives back the same dict, which is then
validated as before (``validate_python``, the same checks and errors). An element the
plain case does not cover (any of ``_xml._read``'s errors, comments, wildcards, raw
content, namespaced attributes) is not read here: the caller reads it in Python.

It is an optimisation only (see :mod:`lgstandards._clib`): without the library, on
another Python implementation or another lxml object layout, :func:`read` always
gives None.
"""

from __future__ import annotations

import ctypes
import json
import threading
from collections.abc import Callable
from ctypes import string_at
from pathlib import Path
from typing import Any, NamedTuple

from pydantic_core import from_json

from lgstandards._clib import NO_ROOM, ElementLayout, Output, element_layout, load

#: The compiled reader's file, beside this module (see hatch_build.py).
READER_LIBRARY = Path(__file__).with_name("libxmlread.so.1")


class Shape(NamedTuple):
    """What the native reader reads of one class's element (its plan, as plain data)."""

    #: Each attribute: its name, JSON key, whether stripped, whether required.
    attrs: list[tuple[str, str, bool, bool]]
    #: Each child element, in order: its expanded name, JSON key, whether stripped,
    #: required, repeated, and the plan of its nested model (None for a value).
    elements: list[tuple[str, str, bool, bool, bool, Any]]
    #: Simple content: its JSON key and whether stripped; None for element content.
    text: tuple[str, bool] | None


#: Gives a plan's :class:`Shape`, or None where the native reader does not read it.
ShapeOf = Callable[[Any], "Shape | None"]


class _Field(ctypes.Structure):
    """``lgs_field`` of ``_xmlread.c``."""

    _fields_ = (
        ("ns", ctypes.c_char_p),
        ("local", ctypes.c_char_p),
        ("key", ctypes.c_char_p),
        ("key_size", ctypes.c_size_t),
        ("model", ctypes.c_int),
        ("repeated", ctypes.c_int),
        ("strip", ctypes.c_int),
        ("required", ctypes.c_int),
        ("plan", ctypes.c_void_p),
    )


class _Plan(ctypes.Structure):
    """``lgs_plan`` of ``_xmlread.c``."""

    _fields_ = (
        ("attrs", ctypes.POINTER(_Field)),
        ("nattrs", ctypes.c_size_t),
        ("elements", ctypes.POINTER(_Field)),
        ("nelements", ctypes.c_size_t),
        ("text", ctypes.POINTER(_Field)),
    )


class _Reader:
    """The loaded library, the lxml element layout and the tables made for plans."""

    def __init__(self, function: Any, layout: ElementLayout) -> None:
        self.function = function
        self.element_class = layout.element_class
        self.node_offset = layout.node_offset
        self.kept: list[Any] = []  # what the tables point to, kept alive
        self.lock = threading.Lock()
        self.output = Output()

    def table(self, plan: Any, shape_of: ShapeOf) -> int:
        """Return the address of ``plan``'s table, made once; 0 if it is not read here.

        The table is kept as ``plan.native``; ``shape_of`` gives what a plan reads.
        """
        with self.lock:
            found: int | None = plan.native
            if found is None:
                found = self._make(plan, shape_of)
        return found

    def _make(self, plan: Any, shape_of: ShapeOf) -> int:
        made: dict[int, _Plan] = {}
        shapes: list[tuple[Any, Shape]] = []

        def reachable(p: Any) -> bool:
            if id(p) in made:
                return True
            shape = shape_of(p)
            if shape is None:
                return False
            made[id(p)] = _Plan()
            shapes.append((p, shape))
            return all(reachable(child) for *_, child in shape.elements if child is not None)

        if not reachable(plan):
            plan.native = 0
            return 0
        for p, shape in shapes:
            table = made[id(p)]
            attrs = [
                _field(name, key, strip, required=required)
                for name, key, strip, required in shape.attrs
            ]
            elements = []
            for tag, key, strip, required, repeated, child in shape.elements:
                field = _field(tag, key, strip, required=required)
                field.repeated = repeated
                if child is not None:
                    field.model = 1
                    field.plan = ctypes.addressof(made[id(child)])
                elements.append(field)
            attr_array = (_Field * len(attrs))(*attrs)
            element_array = (_Field * len(elements))(*elements)
            table.attrs = attr_array
            table.nattrs = len(attrs)
            table.elements = element_array
            table.nelements = len(elements)
            if shape.text is not None:
                text = _field("", *shape.text, required=False)
                table.text = ctypes.pointer(text)
                self.kept.append(text)
            self.kept.extend((table, attr_array, element_array, attrs, elements))
        for p, _shape in shapes:
            p.native = ctypes.addressof(made[id(p)])
        return ctypes.addressof(made[id(plan)])


def _field(tag: str, key: str, strip: bool, *, required: bool) -> _Field:
    namespace, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    quoted = json.dumps(key).encode() + b":"
    field = _Field()
    field.ns = namespace.encode() if tag.startswith("{") else None
    field.local = local.encode()
    field.key = quoted
    field.key_size = len(quoted)
    field.strip = strip
    field.required = required
    return field


_READER: list[_Reader | None] = []


def reader() -> _Reader | None:
    """Return the native reader, loaded on first use; None where it cannot be."""
    if not _READER:
        size, address = ctypes.c_size_t, ctypes.c_void_p
        # the GIL held: no thread changes the tree meanwhile
        library = load(
            READER_LIBRARY,
            {"lgs_read_json": (ctypes.c_ssize_t, [size, size, address, address, size])},
            gil=True,
        )
        layout = element_layout()
        found = None
        if library is not None and layout is not None:
            found = _Reader(library.lgs_read_json, layout)
        _READER.append(found)
    return _READER[0]


def read(plan: Any, element: Any, shape_of: ShapeOf) -> dict[str, Any] | None:
    """Return what the Python reader gives for ``element`` by ``plan``, or None.

    ``plan`` is a class's reading plan (``_xml._ClassPlan``): its table is kept as its
    ``native`` attribute, made on first use from what ``shape_of`` gives.

    None: the native reader is not here, the element is not an lxml element, or it is
    not plain (see the module's docstring); the caller reads it in Python.
    """
    native = _READER[0] if _READER else reader()
    if native is None or element.__class__ is not native.element_class:
        return None
    table = plan.native
    if table is None:
        table = native.table(plan, shape_of)
    if not table:
        return None
    node_offset, function, output = native.node_offset, native.function, native.output
    # the usual case in one call: this thread's buffer holds the document's JSON
    buffer = getattr(output.local, "buffer", None)
    if (
        buffer is not None
        and (size := function(id(element), node_offset, table, buffer, len(buffer))) >= 0
    ):
        written = string_at(buffer, size)
    else:
        grown = None
        if buffer is None or size == NO_ROOM:  # this thread's first document, or a larger one
            grown = output.run(
                lambda buffer, capacity: function(id(element), node_offset, table, buffer, capacity)
            )
        if grown is None:
            return None
        written = grown
    try:
        return from_json(written)  # type: ignore[no-any-return]
    except ValueError:  # nested past the JSON parser's depth: read in Python
        return None
