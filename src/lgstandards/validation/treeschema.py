"""Validate a parsed tree with libxml2's schema validator, each error naming its element.

lxml's ``XMLSchema.validate`` gives each error the node path libxml2 writes
(``xmlGetNodePath``), made as the error is logged: its cost grows with the siblings
before the node (1.5 ms an error in a batch of 100,000 records). Here the libxml2 that
lxml holds validates the same tree (``xmlSchemaValidateOneElement`` on its root, as
``xmlSchemaValidateDoc`` starts) with the same schema files, and each error keeps its
node, turned into lxml's element by lxml's public C API (``elementFactory``): the same
errors, in the same order, with the same lines, at a constant cost each.

Used only when every piece is as expected (CPython; lxml's element layout of its public
header ``lxml/etree.h``, checked on the element itself; the libxml2 functions exported
by lxml's module; schema files libxml2 reads alone: relative or ``file:`` locations,
no import without one); otherwise :func:`tree_errors` returns None and the caller
validates as before.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from pathlib import Path
from typing import Any, NamedTuple

from lgstandards._regex import LazyPattern

#: An ``xmlNode``'s ``type`` for an element (``XML_ELEMENT_NODE``).
_ELEMENT_NODE = 1
_POINTER = ctypes.sizeof(ctypes.c_void_p)


class TreeError(NamedTuple):
    """One error of a tree's validation, as lxml logs it, with the element it names.

    ``path`` is always None (the element is given); ``element`` is None for an error
    that names no node.
    """

    type_name: str
    message: str
    line: int
    path: str | None
    element: Any


class _XmlError(ctypes.Structure):
    """libxml2's ``xmlError`` (public ABI, ``xmlerror.h``)."""

    _fields_ = [
        ("domain", ctypes.c_int),
        ("code", ctypes.c_int),
        ("message", ctypes.c_char_p),
        ("level", ctypes.c_int),
        ("file", ctypes.c_char_p),
        ("line", ctypes.c_int),
        ("str1", ctypes.c_char_p),
        ("str2", ctypes.c_char_p),
        ("str3", ctypes.c_char_p),
        ("int1", ctypes.c_int),
        ("int2", ctypes.c_int),
        ("ctxt", ctypes.c_void_p),
        ("node", ctypes.c_void_p),
    ]


_HANDLER = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.POINTER(_XmlError))


class _Api:
    """The libxml2 functions and lxml C API entries used, found once."""

    def __init__(self) -> None:
        from lxml import etree

        lib = ctypes.CDLL(etree.__file__)  # releases the GIL while libxml2 runs
        void, text = ctypes.c_void_p, ctypes.c_char_p
        self.new_parser = _function(lib.xmlSchemaNewParserCtxt, void, [text])
        self.parser_errors = _function(
            lib.xmlSchemaSetParserStructuredErrors, None, [void, _HANDLER, void]
        )
        self.parse = _function(lib.xmlSchemaParse, void, [void])
        self.free_parser = _function(lib.xmlSchemaFreeParserCtxt, None, [void])
        self.new_context = _function(lib.xmlSchemaNewValidCtxt, void, [void])
        self.context_errors = _function(
            lib.xmlSchemaSetValidStructuredErrors, None, [void, _HANDLER, void]
        )
        self.validate = _function(lib.xmlSchemaValidateOneElement, ctypes.c_int, [void, void])
        self.free_context = _function(lib.xmlSchemaFreeValidCtxt, None, [void])
        capi = etree.__pyx_capi__  # type: ignore[attr-defined]
        name_of = ctypes.pythonapi.PyCapsule_GetName
        name_of.restype, name_of.argtypes = ctypes.c_char_p, [ctypes.py_object]
        pointer_of = ctypes.pythonapi.PyCapsule_GetPointer
        pointer_of.restype, pointer_of.argtypes = void, [ctypes.py_object, ctypes.c_char_p]

        def entry(name: str, prototype: Any) -> Any:
            capsule = capi[name]
            return prototype(pointer_of(capsule, name_of(capsule)))

        self.element = entry(
            "elementFactory", ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.py_object, void)
        )
        self.document = entry(
            "documentOrRaise", ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.py_object)
        )
        self.type_name = etree.ErrorTypes._getName  # type: ignore[attr-defined]
        self.relaxng_name = etree.RelaxNGErrorTypes._getName  # type: ignore[attr-defined]
        self.relaxng = etree.ErrorDomains.RELAXNGV
        head = object.__basicsize__
        # lxml/etree.h: struct LxmlElement {PyObject_HEAD; _doc; _c_node; _tag}
        self.layout = etree._Element.__basicsize__ == head + 3 * _POINTER
        self.doc_offset, self.node_offset = head, head + _POINTER
        self.schemas: dict[Path, int | None] = {}
        self.lock = threading.Lock()


def _function(function: Any, restype: Any, argtypes: list[Any]) -> Any:
    function.restype, function.argtypes = restype, argtypes
    return function


_API: list[_Api | None] = []


def _api() -> _Api | None:
    """Return the API, found on first use; None where it cannot be (the caller falls back)."""
    if not _API:
        found: _Api | None = None
        if sys.implementation.name == "cpython":
            try:
                found = _Api()
            except (AttributeError, KeyError, MemoryError, OSError, TypeError, ValueError):
                found = None
        _API.append(found if found is not None and found.layout else None)
    return _API[0]


#: A location with a scheme other than ``file:`` (read by a resolver libxml2 lacks).
_REMOTE = LazyPattern(rb"""schemaLocation\s*=\s*["']\s*(?!file:)[A-Za-z][\w+.\-]*:""")


def _readable_alone(path: Path) -> bool:
    """Tell whether libxml2 compiles ``path`` as lxml does, reading its files itself."""
    from lgstandards.artefacts.schemas import imports_without_location, schema_files

    try:
        files = schema_files(path)
        if imports_without_location(path):
            return False  # compiled through a wrapper schema
        return not any(_REMOTE().search(file.read_bytes()) for file in files)
    except Exception:
        return False


def _schema(api: _Api, path: Path) -> int | None:
    """Return libxml2's compiled schema of ``path`` (once per process, kept), or None."""
    with api.lock:
        if path in api.schemas:
            return api.schemas[path]
        compiled: int | None = None
        try:
            handler = _HANDLER(lambda _data, _error: None) if _readable_alone(path) else None
        except MemoryError:  # no executable memory for a callback (a hardened system)
            handler = None
        if handler is not None:
            parser = api.new_parser(str(path).encode(sys.getfilesystemencoding()))
            if parser:
                api.parser_errors(parser, handler, None)
                compiled = api.parse(parser) or None
                api.free_parser(parser)
        api.schemas[path] = compiled
        return compiled


def _node(api: _Api, element: Any, document: Any) -> int | None:
    """Return the ``xmlNode*`` of an lxml element, checked, or None."""
    address = id(element)
    if ctypes.c_void_p.from_address(address + api.doc_offset).value != id(document):
        return None  # not the layout of lxml/etree.h
    node = ctypes.c_void_p.from_address(address + api.node_offset).value
    if not node or api.element(document, node) is not element:
        return None
    return int(node)


def tree_errors(schema_file: Path, root: Any) -> list[TreeError] | None:
    """Validate the document of ``root`` (its root element) by ``schema_file``.

    Returns the errors as ``XMLSchema.validate`` logs them, in its order, each with its
    element; None when this cannot be done here (see the module's docstring): the caller
    then validates otherwise.
    """
    from lxml import etree

    api = _api()
    if api is None or not isinstance(root, etree._Element) or root.getparent() is not None:
        return None
    schema = _schema(api, schema_file)
    if schema is None:
        return None
    try:
        document = api.document(root)
        node = _node(api, root, document)
    except (TypeError, ValueError):  # not a document lxml's C API takes
        return None
    if node is None:
        return None
    found: list[tuple[int, int, int, bytes | None, int | None]] = []

    def receive(_data: Any, error: Any) -> None:
        entry = error.contents
        found.append((entry.domain, entry.code, entry.line, entry.message, entry.node))

    try:
        handler = _HANDLER(receive)
    except MemoryError:  # no executable memory for a callback (a hardened system)
        return None
    context = api.new_context(schema)
    if not context:
        return None
    try:
        api.context_errors(context, handler, None)
        outcome = api.validate(context, node)
    finally:
        api.free_context(context)
    if outcome < 0 or (outcome > 0 and not found):
        return None  # libxml2 failed, or an error was lost (a handler that raised)
    errors: list[TreeError] = []
    for domain, code, line, message, where in found:
        element = None
        if where:
            if ctypes.c_int.from_address(where + _POINTER).value != _ELEMENT_NODE:
                return None  # a node lxml would name by a path, not an element
            element = api.element(document, where)
        name = (api.relaxng_name if domain == api.relaxng else api.type_name)(code, "unknown")
        errors.append(TreeError(name, _message(message), line, None, element))
    return errors


def _message(raw: bytes | None) -> str:
    """Decode an error's text as lxml's ``_LogEntry.message`` does."""
    if not raw or raw == b"\n":
        return "unknown error"
    if raw.endswith(b"\n"):
        raw = raw[:-1]
    try:
        return raw.decode("utf8")
    except UnicodeDecodeError:
        return raw.decode("ascii", "backslashreplace")


__all__ = ["TreeError", "tree_errors"]
