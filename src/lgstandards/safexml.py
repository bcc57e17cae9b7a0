"""The one safe parser for untrusted XML.

Every XML document the library reads (validation, ``Model.from_xml``) goes through
:func:`parse_xml`: no DTD processing, no entity expansion, no network, no XInclude,
bounded size, depth and text length. A document that breaks these rules raises
:class:`XMLInputError` carrying a stable issue code (``xml.dtd-forbidden`` ...), the
source, and the line and column where known; validators turn it into an issue.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from lgstandards.exceptions import DocumentParseError

if TYPE_CHECKING:
    from lxml import etree

#: Anything a document can be read from.
Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on untrusted XML; raise them explicitly for trusted large files."""

    max_bytes: int = 256 * 1024 * 1024
    max_depth: int = 256
    max_text: int = 10 * 1024 * 1024


DEFAULT_LIMITS = Limits()


class XMLInputError(DocumentParseError):
    """A document cannot be parsed safely; ``code`` is its stable issue code."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        where = source or "<input>"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message} ({code})")


def source_name(source: Source) -> str | None:
    """Return a display name for ``source`` (its path, or the file object's name)."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


def read_bytes(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Read all of ``source`` as bytes, refusing more than ``limits.max_bytes``."""
    name = source_name(source)
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise XMLInputError(
                    "xml.too-large",
                    f"document is {size} bytes, over the limit of {limits.max_bytes}",
                    source=name,
                )
            data = path.read_bytes()
        except OSError as exc:
            raise XMLInputError(
                "io.unreadable", f"cannot read file: {exc.strerror or exc}", source=name
            ) from exc
    else:
        data = source.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise XMLInputError(
            "xml.too-large",
            f"document is over the limit of {limits.max_bytes} bytes",
            source=name,
        )
    return data


_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY")


def _check_prolog(data: bytes, name: str | None) -> None:
    """Refuse DTDs and entity declarations before libxml2 sees them."""
    match = _DOCTYPE.search(data)
    if match is not None:
        line = data.count(b"\n", 0, match.start()) + 1
        code = "xml.entity-forbidden" if _ENTITY.search(data) else "xml.dtd-forbidden"
        raise XMLInputError(
            code,
            "document type declarations (DTDs) and entity declarations are not allowed",
            source=name,
            line=line,
        )


def make_parser() -> etree.XMLParser:
    """Return an lxml parser configured for untrusted input."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        collect_ids=False,
    )


def parse_xml(
    source: Source, *, limits: Limits = DEFAULT_LIMITS, name: str | None = None
) -> etree._ElementTree:
    """Parse untrusted XML safely; raises :class:`XMLInputError` with an issue code."""
    from lxml import etree

    name = name or source_name(source)
    data = read_bytes(source, limits=limits)
    if not data.strip():
        raise XMLInputError("xml.empty", "the document is empty", source=name)
    _check_prolog(data, name)
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser=make_parser()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise XMLInputError(
            "xml.not-well-formed", str(exc.msg), source=name, line=line, column=column
        ) from exc
    _check_shape(tree, limits, name)
    return tree


def _check_shape(tree: etree._ElementTree, limits: Limits, name: str | None) -> None:
    """Refuse trees that are too deep, have over-long text, or ask for XInclude."""
    root = tree.getroot()
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > limits.max_depth:
            raise XMLInputError(
                "xml.too-deep",
                f"elements are nested deeper than {limits.max_depth} levels",
                source=name,
                line=element.sourceline,
            )
        for text in (element.text, element.tail):
            if text is not None and len(text) > limits.max_text:
                raise XMLInputError(
                    "xml.text-too-long",
                    f"a text node is longer than {limits.max_text} characters",
                    source=name,
                    line=element.sourceline,
                )
        if isinstance(element.tag, str) and element.tag.startswith(
            "{http://www.w3.org/2001/XInclude}"
        ):
            raise XMLInputError(
                "xml.xinclude-forbidden",
                "XInclude is not allowed in documents",
                source=name,
                line=element.sourceline,
            )
        stack.extend((child, depth + 1) for child in element)


__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Source",
    "XMLInputError",
    "make_parser",
    "parse_xml",
    "read_bytes",
    "source_name",
]
