"""One document to validate, opened once: its syntax, root element and mode.

:class:`Document` is the safe parser's :class:`~lgstandards.safexml.Input` (name,
size, first bytes, the one prolog check) plus what the router needs to know before
parsing: the syntax (XML or an RDF syntax, from the file name's extension or the
first bytes), the root element (from the first bytes) and whether to stream it.
Every engine reads the document through it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import PurePath
from types import MappingProxyType
from typing import TYPE_CHECKING, Self

from lgstandards._regex import LazyPattern
from lgstandards.artefacts.kinds import RDF_KIND, KindSpec
from lgstandards.safexml import DEFAULT_LIMITS, Input, Limits, Source, XMLInputError, is_xml_text
from lgstandards.validation.core import split_tag

if TYPE_CHECKING:
    from lgstandards.validation.core import Options

#: The syntax of an XML document (the others are RDF syntaxes, see :data:`RDF_EXTENSIONS`).
XML = "xml"

#: File extensions that mean RDF, and their syntax. A ``.json`` file is JSON-LD only
#: when its content says so (or the kind is forced to RDF).
RDF_EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {
        ".ttl": "turtle",
        ".turtle": "turtle",
        ".nt": "ntriples",
        ".jsonld": "json-ld",
        ".rdf": "rdf/xml",
        ".owl": "rdf/xml",
    }
)
JSON_EXTENSION = ".json"

#: File extensions picked up when walking a folder: XML and the RDF syntaxes.
DOCUMENT_EXTENSIONS = frozenset({".xml", *RDF_EXTENSIONS})

# Content sniffing for input with no name: a JSON-LD keyword as a key, or a Turtle directive.
_JSONLD_KEY = LazyPattern(
    rb'"@(?:context|id|type|graph|value|list|set|reverse|included|nest|vocab|base|language)"'
    rb"\s*:"
)
_TURTLE_DIRECTIVE = LazyPattern(
    rb"\A(?:\s++|\#[^\n]*+\n)*+(?:@prefix\s|@base\s|(?i:prefix)\s+[^\s<]*:\s*<|(?i:base)\s+<)"
)

#: Bytes of the head the content tests look at.
SNIFF_BYTES = 65536


def sniff(data: bytes) -> str:
    """Guess the RDF syntax of ``data`` from its first characters."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if text.startswith((b"<?xml", b"<rdf:", b"<!")):
        return "rdf/xml"
    if text.startswith((b"{", b"[")):
        return "json-ld"
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and all(
        line.startswith((b"<", b"_:", b"#")) and (line.endswith(b".") or line.startswith(b"#"))
        for line in lines[:-1] or lines
    ):
        return "ntriples"
    return "turtle"


def content_syntax(data: bytes) -> str | None:
    """Return the RDF syntax of input that is plainly RDF by its content, else None.

    For input with no telling name (standard input, bytes, a ``.json`` file): JSON with
    a JSON-LD keyword as a key in its first 64 KiB, or Turtle opening with a directive.
    """
    head = data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "json-ld" if _JSONLD_KEY().search(head) else None
    if head.startswith(b"<"):
        return None  # markup: no Turtle directive starts so (nor any compiled pattern)
    if _TURTLE_DIRECTIVE().match(head):
        return "turtle"
    return None


#: Bytes of the head looked at for the root element.
ROOT_BYTES = 64 * 1024


def root_of(head: bytes) -> tuple[str, str] | None:
    """Return (namespace, local name) of the root start tag in the first 64 KiB of ``head``.

    None when it is not found, or when those bytes are not well-formed as far as they
    go (such a document is not streamed: whole-document mode reports it).
    """
    from lxml import etree

    from lgstandards.safexml import pull_parser

    parser = pull_parser(events=("start",), head=head[:16])
    try:
        parser.feed(head[:ROOT_BYTES])
        for _, element in parser.read_events():
            if isinstance(element.tag, str):
                return split_tag(element.tag)
    except etree.XMLSyntaxError:
        return None
    return None


def _suffix(source: Source) -> str:
    """Return the extension (lower case) of a path, or of a stream's file name; else "".

    A stream named like a file (an open file, an upload named by its client) tells its
    syntax as the path would; a name such as ``<stdin>`` tells nothing.
    """
    if isinstance(source, os.PathLike) or (isinstance(source, str) and not is_xml_text(source)):
        return PurePath(os.fspath(source)).suffix.lower()
    name = getattr(source, "name", None)
    if isinstance(name, str) and not name.startswith("<"):
        return PurePath(name).suffix.lower()
    return ""


class Document(Input):
    """A document to validate, opened once (see the module's text).

    :attr:`syntax` is :data:`XML` or an RDF syntax (``turtle``, ``ntriples``,
    ``json-ld``, ``rdf/xml``).
    """

    __slots__ = ("_root", "syntax")

    syntax: str
    _root: tuple[str, str] | bool | None

    @classmethod
    def open(
        cls,
        source: Source,
        *,
        name: str | None = None,
        limits: Limits = DEFAULT_LIMITS,
        kind: str | None = None,
    ) -> Self:
        """Open ``source`` (never raises for its problems) and find its syntax.

        ``kind``: the kind the document is forced to, if any (RDF or not decides how
        a ``.json`` file or content with no telling name is read).
        """
        document = super().open(source, name=name, limits=limits)
        document._root = False  # not looked for yet
        document.syntax = document._find_syntax(_suffix(source), kind)
        return document

    def _find_syntax(self, suffix: str, kind: str | None) -> str:
        if suffix in RDF_EXTENSIONS:
            return RDF_EXTENSIONS[suffix]
        if suffix == JSON_EXTENSION:
            if kind == RDF_KIND or (kind is None and content_syntax(self.head) == "json-ld"):
                return "json-ld"
            return XML
        if kind == RDF_KIND:
            found = sniff(self.head)
            return "turtle" if found == "ntriples" else found  # N-Triples is Turtle
        if kind is None:
            return content_syntax(self.head) or XML
        return XML

    @property
    def root(self) -> tuple[str, str] | None:
        """(namespace, local name) of the root element, from the head (None: not found)."""
        if self._root is False:
            self._root = root_of(self.head) if self.error is None else None
        return self._root if isinstance(self._root, tuple) else None

    def stream_spec(self, options: Options) -> KindSpec | None:
        """Return the batch kind to stream this document as; None: whole-document mode.

        Streamed: an XML batch (a kind with a record element) when ``streaming`` is
        True, or None and the document is larger than the profile's threshold (by
        default the whole-document size limit: whole-document mode is the faster). A
        document whose prolog is refused is not streamed (whole-document mode reports it
        after its size check).
        """
        if options.streaming is False or self.syntax != XML or self.error is not None:
            return None
        threshold = options.profile.stream_threshold
        if threshold is None:  # stream only what whole-document mode would refuse
            threshold = options.limits.max_bytes
        if options.streaming is None and (self.size is None or self.size <= threshold):
            return None
        try:
            self.check_prolog()
        except XMLInputError:
            return None
        found = self.root
        if found is None:
            return None
        profile = options.profile
        if options.kind:
            spec = profile.spec_for_kind(options.kind)
        else:
            spec = profile.spec_for_root(*found)
        return spec if spec is not None and spec.record is not None else None


__all__ = [
    "DOCUMENT_EXTENSIONS",
    "JSON_EXTENSION",
    "RDF_EXTENSIONS",
    "XML",
    "Document",
    "content_syntax",
    "root_of",
    "sniff",
]
