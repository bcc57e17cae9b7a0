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

The errors are kept by the compiled sink (``_errsink.c``, built with the package where a
C compiler is at hand) as libxml2 reports them, without the GIL: the validation runs
in a helper thread while the calling thread runs the rules, and a Python handler
would wait for the GIL at each error (1,000 errors made a 100,000-record batch's check
40 % slower). Without the sink, a Python (ctypes) handler keeps them: the same errors.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from array import array
from pathlib import Path
from typing import Any, NamedTuple

from lgstandards._clib import POINTER, element_layout, load
from lgstandards._regex import LazyPattern

#: An ``xmlNode``'s ``type`` for an element (``XML_ELEMENT_NODE``).
_ELEMENT_NODE = 1


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

#: What the validation keeps of one error: domain, code, line, message, node address.
_Kept = tuple[int, int, int, bytes | None, int | None]


class _Sink:
    """The compiled error sink (``_errsink.c``): its functions, found once."""

    #: Each error's fields in the sink: domain, code, line, node, message offset, length.
    FIELDS = 6

    def __init__(self, lib: Any) -> None:
        self.new = lib.lgs_sink_new
        self.free = lib.lgs_sink_free
        self.count = lib.lgs_sink_count
        self.errors = lib.lgs_sink_errors
        self.text = lib.lgs_sink_text
        self.text_size = lib.lgs_sink_text_size
        self.lost = lib.lgs_sink_lost
        self.handler = ctypes.cast(lib.lgs_sink_receive, _HANDLER)

    def kept(self, sink: int) -> list[_Kept] | None:
        """Return the errors in ``sink``, in their order; None if some were lost."""
        if self.lost(sink):
            return None
        count = self.count(sink)
        if not count:
            return []
        fields = array("q", ctypes.string_at(self.errors(sink), count * self.FIELDS * 8))
        size = self.text_size(sink)
        text = ctypes.string_at(self.text(sink), size) if size else b""
        found: list[_Kept] = []
        for at in range(0, count * self.FIELDS, self.FIELDS):
            domain, code, line, node, offset, length = fields[at : at + self.FIELDS]
            message = text[offset : offset + length] if length >= 0 else None
            found.append((domain, code, line, message, node or None))
        return found


#: The compiled sink's file, beside this module (see hatch_build.py).
SINK_LIBRARY = Path(__file__).with_name("liberrsink.so.1")

_SINK: list[_Sink | None] = []


def sink() -> _Sink | None:
    """Return the compiled sink, loaded on first use; None where it was not built."""
    if not _SINK:
        void, size = ctypes.c_void_p, ctypes.c_size_t
        library = None
        if ctypes.sizeof(ctypes.c_longlong) == 8:
            library = load(
                SINK_LIBRARY,
                {
                    "lgs_sink_new": (void, []),
                    "lgs_sink_free": (None, [void]),
                    "lgs_sink_count": (size, [void]),
                    "lgs_sink_errors": (void, [void]),
                    "lgs_sink_text": (void, [void]),
                    "lgs_sink_text_size": (size, [void]),
                    "lgs_sink_lost": (ctypes.c_int, [void]),
                    "lgs_sink_receive": (None, [void, void]),
                },
                gil=False,
            )
        _SINK.append(None if library is None else _Sink(library))
    return _SINK[0]


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
        layout = element_layout()
        self.layout = layout is not None
        self.doc_offset = layout.doc_offset if layout is not None else 0
        self.node_offset = layout.node_offset if layout is not None else 0
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
    kept = _validated(api, schema, node)
    if kept is None:
        return None
    outcome, found = kept
    if outcome < 0 or (outcome > 0 and not found):
        return None  # libxml2 failed, or an error was lost (a handler that raised)
    errors: list[TreeError] = []
    for domain, code, line, message, where in found:
        element = None
        if where:
            if ctypes.c_int.from_address(where + POINTER).value != _ELEMENT_NODE:
                return None  # a node lxml would name by a path, not an element
            element = api.element(document, where)
        name = (api.relaxng_name if domain == api.relaxng else api.type_name)(code, "unknown")
        errors.append(TreeError(name, _message(message), line, None, element))
    return errors


def _validated(api: _Api, schema: int, node: int) -> tuple[int, list[_Kept]] | None:
    """Validate the element at ``node``: libxml2's outcome and the errors, or None.

    By the compiled sink where it was built (see :func:`sink`), else by a Python
    handler; None when neither can be had, or errors were lost.
    """
    compiled = sink()
    if compiled is not None:
        kept = compiled.new()
        if not kept:
            return None
        try:
            outcome = _run(api, schema, node, compiled.handler, kept)
            found = compiled.kept(kept)
        finally:
            compiled.free(kept)
        return None if outcome is None or found is None else (outcome, found)
    found = []

    def receive(_data: Any, error: Any) -> None:
        entry = error.contents
        found.append((entry.domain, entry.code, entry.line, entry.message, entry.node))

    try:
        handler = _HANDLER(receive)
    except MemoryError:  # no executable memory for a callback (a hardened system)
        return None
    outcome = _run(api, schema, node, handler, None)
    return None if outcome is None else (outcome, found)


def _run(api: _Api, schema: int, node: int, handler: Any, data: int | None) -> int | None:
    """Validate the element at ``node``, errors to ``handler`` (with ``data``); None: no context."""
    context = api.new_context(schema)
    if not context:
        return None
    try:
        api.context_errors(context, handler, data)
        outcome: int = api.validate(context, node)
    finally:
        api.free_context(context)
    return outcome


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
