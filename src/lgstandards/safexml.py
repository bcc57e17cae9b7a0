"""The one safe parser for untrusted XML.

Every XML document the library reads (validation, ``Model.from_xml``) goes through
:func:`parse_xml` (whole documents) or :func:`iterparse_xml` (streaming): no DTD
processing, no entity expansion, no network, no XInclude, bounded size, depth and text
length. A document that breaks these rules raises :class:`XMLInputError` carrying a
stable issue code (``xml.dtd-forbidden`` ...), the source, and the line and column
where known; validators turn it into an issue.

The prolog (everything before the root element) is scanned *before* libxml2 sees the
document, so a DTD, an entity declaration or an external identifier is refused without
being read, let alone followed. The defaults of :class:`Limits` equal libxml2's own
safe limits, so the common case costs no Python walk of the tree; tighter limits are
checked in Python and looser ones switch libxml2 to its "huge" mode.
"""

from __future__ import annotations

import io
import os
import re
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO, TYPE_CHECKING, Any, Literal, Self

from lgstandards._records import Compared, written_out
from lgstandards._regex import LazyPattern
from lgstandards.exceptions import DocumentParseError

if TYPE_CHECKING:
    from lxml import etree

#: Anything a document can be read from.
Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]

#: libxml2's own limits without ``XML_PARSE_HUGE``.
LIBXML2_MAX_DEPTH = 256
LIBXML2_MAX_TEXT = 10_000_000

#: How much of a stream is read to find the end of the prolog.
PROLOG_WINDOW = 1024 * 1024

XINCLUDE_NS = "http://www.w3.org/2001/XInclude"
_XINCLUDE_BYTES = XINCLUDE_NS.encode()


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
@written_out
class Limits(Compared):
    """Bounds on untrusted XML; raise them explicitly for trusted large files.

    ``max_bytes`` applies to whole-document parsing (streaming reads any size),
    ``max_depth`` to element nesting and ``max_text`` to one text node or attribute
    value, in characters. ``max_issues`` caps the issues a report lists per document;
    the rest are counted in one final ``report.truncated`` issue.
    """

    max_bytes: int = 256 * 1024 * 1024
    max_depth: int = LIBXML2_MAX_DEPTH
    max_text: int = LIBXML2_MAX_TEXT
    max_issues: int = 1000

    # What dataclass would generate, written out (lgstandards._records).
    def __init__(
        self,
        max_bytes: int = 256 * 1024 * 1024,
        max_depth: int = LIBXML2_MAX_DEPTH,
        max_text: int = LIBXML2_MAX_TEXT,
        max_issues: int = 1000,
    ) -> None:
        put = object.__setattr__
        put(self, "max_bytes", max_bytes)
        put(self, "max_depth", max_depth)
        put(self, "max_text", max_text)
        put(self, "max_issues", max_issues)

    @property
    def huge(self) -> bool:
        """True when a limit is above libxml2's own, so its huge mode is needed."""
        return self.max_depth > LIBXML2_MAX_DEPTH or self.max_text > LIBXML2_MAX_TEXT

    @property
    def walk(self) -> bool:
        """True when a limit differs from libxml2's, so the tree is checked in Python."""
        return self.max_depth != LIBXML2_MAX_DEPTH or self.max_text != LIBXML2_MAX_TEXT


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


def source_name(source: object) -> str | None:
    """Return a display name for ``source`` (its path, or the file object's name)."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


#: Bytes read from a stream at a time by :func:`read_bytes`.
READ_BYTES = 1024 * 1024


def open_file(path: str | os.PathLike[str], *, name: str | None = None) -> IO[bytes]:
    """Open a regular file for reading; refuse anything else with ``io.unreadable``.

    A FIFO, device, socket or directory named as a path is refused without blocking
    (the file is opened non-blocking, checked, then read normally): ``/dev/zero`` would
    never end and a FIFO with no writer would never open. Give such input as a stream.
    """
    name = name or os.fspath(path)
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    flags = os.O_RDONLY | nonblocking | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise XMLInputError(
            "io.unreadable", f"cannot read file: {exc.strerror or exc}", source=name
        ) from exc
    except ValueError as exc:  # a NUL in the path, or a character the file system cannot name
        raise XMLInputError(
            "io.unreadable", f"cannot read file: no file can have this name ({exc})", source=name
        ) from exc
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise XMLInputError(
                "io.unreadable",
                "not a regular file (a directory, device, FIFO or socket); "
                "give such input as a stream",
                source=name,
            )
        if nonblocking:
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_bytes(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Read all of ``source`` as bytes, refusing more than ``limits.max_bytes``.

    The limit is checked while reading: at most ``max_bytes + 1`` bytes are read from a
    stream, and a path must name a regular file (see :func:`open_file`).
    """
    with Input.open(source, limits=limits) as document:
        return document.read_all(limits)


def read_at_most(
    stream: IO[bytes], count: int, *, name: str | None = None, block: int = READ_BYTES
) -> bytes:
    """Read ``stream`` to its end or to ``count`` bytes, whichever comes first.

    Read ``block`` bytes at a time (a regular file of known size: all at once). Short
    reads (pipes, sockets) are read on; a closed stream, one that gives anything but
    bytes, or None (non-blocking, no data), is refused with ``io.unreadable``.
    """
    parts: list[bytes] = []
    left = count
    while left > 0:
        try:
            chunk = stream.read(min(left, block))
        except OSError as exc:
            raise XMLInputError(
                "io.unreadable", f"cannot read input: {exc.strerror or exc}", source=name
            ) from exc
        except ValueError:
            if not getattr(stream, "closed", False):
                raise
            raise XMLInputError(
                "io.unreadable", "the input stream is closed", source=name
            ) from None
        if chunk is None:
            raise XMLInputError(
                "io.unreadable", "the input stream is non-blocking and has no data", source=name
            )
        if not isinstance(chunk, bytes | bytearray):
            what = "text" if isinstance(chunk, str) else type(chunk).__name__
            raise XMLInputError(
                "io.unreadable", f"the input stream gives {what}, not bytes", source=name
            )
        if not chunk:
            break
        parts.append(bytes(chunk))
        left -= len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _too_large(limits: Limits, name: str | None, size: int) -> XMLInputError:
    return XMLInputError(
        "xml.too-large",
        f"document is {size} bytes or more, over the limit of {limits.max_bytes}",
        source=name,
    )


#: The encoding named in the XML declaration of a ``str`` (group 2 is the name).
_TEXT_DECLARATION = LazyPattern(r"""\A(<\?xml\s[^>]*?\bencoding\s*=\s*["'])([^"']*)""")


def is_xml_text(source: object) -> bool:
    """Tell whether ``source`` is a ``str`` of XML text (not a path).

    It is when it starts with ``<`` after an optional byte-order mark and whitespace;
    no file name does.
    """
    return isinstance(source, str) and source.lstrip("\ufeff \t\r\n").startswith("<")


def xml_text_source(source: Source) -> Source:
    """Return ``source`` as the safe parser takes it: XML text becomes UTF-8 bytes.

    A ``str`` of XML text (see :func:`is_xml_text`) is encoded as UTF-8 without its
    byte-order mark and leading whitespace; the encoding its XML declaration names, if
    any, is replaced by UTF-8, since the text is already decoded. A string that cannot
    be encoded (a lone surrogate) raises :class:`XMLInputError` (``xml.encoding``). Any
    other source is returned as it is.
    """
    if not isinstance(source, str) or not is_xml_text(source):
        return source
    text = _TEXT_DECLARATION().sub(r"\1UTF-8", source.lstrip("\ufeff \t\r\n"), count=1)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise XMLInputError(
            "xml.encoding", f"the XML text cannot be encoded: {exc.reason}"
        ) from exc


class Input:
    """One document's source, opened once: its name, size and first bytes.

    :meth:`open` takes a path, bytes, XML text (a ``str`` starting with ``<``) or a
    binary stream, opens it and reads :attr:`head`, the first :data:`PROLOG_WINDOW`
    bytes and one more (fewer when ``limits.max_bytes`` is smaller), which the later
    reads replay: the prolog check, the syntax, the root element and the choice of
    mode all look at the same bytes, and the source is never opened twice. Opening
    never raises for the document's own problems: an input that cannot be read keeps
    its error (:attr:`error`), raised by the first use.
    """

    __slots__ = ("_data", "_owned", "_prolog", "_rest", "complete", "error", "head", "name", "size")

    def __init__(
        self,
        name: str | None,
        *,
        head: bytes = b"",
        complete: bool = False,
        size: int | None = None,
        data: bytes | None = None,
        rest: IO[bytes] | None = None,
        owned: bool = False,
        error: XMLInputError | None = None,
    ) -> None:
        #: The document's display name (its path or stream name; None for bytes and text).
        self.name = name
        #: The first bytes of the document (see the class docstring).
        self.head = head
        #: True when :attr:`head` is the whole document.
        self.complete = complete
        #: The size in bytes when known before reading (bytes, text, a path).
        self.size = size
        #: Why the document cannot be read, raised by its first use; None when it can.
        self.error = error
        self._data = data
        self._rest = rest
        self._owned = owned
        self._prolog: XMLInputError | bool = False  # False: not checked yet

    @classmethod
    def open(
        cls, source: Source, *, name: str | None = None, limits: Limits = DEFAULT_LIMITS
    ) -> Self:
        """Open ``source`` and read its head; never raises for the document's problems."""
        text = is_xml_text(source)
        name = name or (None if text else source_name(source))
        window = min(PROLOG_WINDOW + 1, max(limits.max_bytes, 0) + 1)
        try:
            if text or isinstance(source, bytes | bytearray | memoryview):
                data = bytes(xml_text_source(source))  # type: ignore[arg-type]
                head = data[:window]  # as much as a stream gives: the same prolog check
                return cls(name, head=head, complete=len(data) < window, size=len(data), data=data)
            if isinstance(source, str | os.PathLike):
                stream = open_file(source, name=name)
                try:
                    size = os.fstat(stream.fileno()).st_size
                    head = read_at_most(stream, window, name=name)
                except BaseException:
                    stream.close()
                    raise
                return cls(
                    name,
                    head=head,
                    complete=len(head) < window,
                    size=size,
                    rest=stream,
                    owned=True,
                )
            if not callable(getattr(source, "read", None)):
                raise TypeError(
                    "a source is a path, bytes, XML text or a binary stream, "
                    f"not {type(source).__name__}"
                )
            head = read_at_most(source, window, name=name)
            return cls(name, head=head, complete=len(head) < window, rest=source)
        except XMLInputError as exc:
            return cls(name, error=exc)
        except OSError as exc:  # pragma: no cover - fstat of an open regular file
            return cls(name, error=XMLInputError("io.unreadable", str(exc), source=name))

    @property
    def given_stream(self) -> bool:
        """True when the source is a stream the caller gave (it is never closed here)."""
        return self._rest is not None and not self._owned

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file this input opened (a stream given by the caller stays open)."""
        if self._owned and self._rest is not None:
            self._rest.close()

    def _raise_error(self) -> None:
        if self.error is not None:
            raise self.error

    def check_prolog(self) -> None:
        """Refuse a DTD, entities or non-XML before any parser sees the document.

        The one prolog check of both modes: :func:`check_prolog` on :attr:`head`, run
        once (its outcome is kept).
        """
        self._raise_error()
        if self._prolog is False:
            try:
                check_prolog(self.head, name=self.name, complete=self.complete)
            except XMLInputError as exc:
                self._prolog = exc
            else:
                self._prolog = True
        if isinstance(self._prolog, XMLInputError):
            raise self._prolog

    def read_all(self, limits: Limits = DEFAULT_LIMITS) -> bytes:
        """Return the whole document, refusing more than ``limits.max_bytes`` (read once).

        A size known beforehand is checked before anything more is read; at most
        ``max_bytes + 1`` bytes are read from a stream.
        """
        self._raise_error()
        if self.size is not None and self.size > limits.max_bytes:
            raise _too_large(limits, self.name, self.size)
        whole = None if self._data is not None or self.complete else self._whole_file(limits)
        if self._data is not None:
            data = self._data
        elif whole is not None:
            data = whole
        elif self.complete or self._rest is None:
            data = self.head
        else:
            more = read_at_most(self._rest, limits.max_bytes + 1 - len(self.head), name=self.name)
            data = self.head + more if more else self.head
        if len(data) > limits.max_bytes:
            raise _too_large(limits, self.name, len(data))
        return data

    def _whole_file(self, limits: Limits) -> bytes | None:
        """Read the whole of a file opened here again from its start, in one read; or None.

        Reading the rest after the head in blocks, then joining them and the head, made
        two more copies of the document (a 44 MB batch: 0.075 s against 0.023 s). The
        bytes read must start with :attr:`head` (the prolog checked): a file changed
        meanwhile gets the head and the rest, as reading on would have given.
        None for a stream given by the caller or a file that cannot be rewound.
        """
        if not self._owned or self._rest is None or self.size is None:
            return None
        try:
            self._rest.seek(0)
        except (OSError, ValueError):
            return None
        size = min(self.size, limits.max_bytes) + 1  # one more: a file grown meanwhile
        data = read_at_most(self._rest, size, name=self.name, block=size)
        if not data.startswith(self.head):
            data = self.head + data[len(self.head) :]
        if len(data) == size:  # grown: read on, up to the limit, as before
            more = read_at_most(self._rest, limits.max_bytes + 1 - len(data), name=self.name)
            data = data + more if more else data
        return data

    def stream(self, *, closes: bool = False) -> IO[bytes]:
        """Return the document as a binary stream: the head, then the rest (read once).

        ``closes``: closing the stream closes the file opened here (for a caller that
        does not keep this input); otherwise :meth:`close` does.
        """
        self._raise_error()
        if self._data is not None:
            return io.BytesIO(self._data)
        rest: IO[bytes] = self._rest if self._rest is not None else io.BytesIO()
        raw = _Prefixed(self.head, rest, owned=closes and self._owned)
        return io.BufferedReader(raw, buffer_size=PROLOG_WINDOW)

    def reread(self) -> IO[bytes] | None:
        """Return the document from its start again, without opening it again.

        For bytes, text and a path (the open file is rewound); None for a stream given
        by the caller, which may not be read twice.
        """
        if self._data is not None:
            return io.BytesIO(self._data)
        if not self._owned or self._rest is None:
            return None
        try:
            self._rest.seek(0)
        except (OSError, ValueError):
            return None
        return io.BufferedReader(_Prefixed(b"", self._rest), buffer_size=PROLOG_WINDOW)


# --- prolog scan -------------------------------------------------------------------

#: The first bytes of a document and the encoding they mean (XML 1.0, Appendix F):
#: (bytes, codec to scan with, length of the byte-order mark). A codec of None is UCS-4
#: in an unusual byte order (2143 or 3412), which no parser here reads: refused.
_SIGNATURES: tuple[tuple[bytes, str | None, int], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\x00\x00\xff\xfe", None, 4),
    (b"\xfe\xff\x00\x00", None, 4),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\xef\xbb\xbf", "latin-1", 3),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00\x00<\x00", None, 0),
    (b"\x00<\x00\x00", None, 0),
    (b"\x00<", "utf-16-be", 0),
    (b"<\x00", "utf-16-le", 0),
    (b"\x4c\x6f\xa7\x94", "cp037", 0),  # "<?xm" in EBCDIC
)
#: Every signature's bytes: one ``startswith`` tells most documents (none of them) apart.
_SIGNATURE_BYTES = tuple(signature for signature, _codec, _length in _SIGNATURES)


def _signature(head: bytes) -> tuple[str | None, int] | None:
    """Return (codec, byte-order mark length) of the signature ``head`` starts with, or None."""
    if head.startswith(_SIGNATURE_BYTES):
        for signature, found, length in _SIGNATURES:
            if head.startswith(signature):
                return found, length
    return None


#: Encoding names the XML specification uses that Python spells differently.
_CODEC_ALIASES = {
    "ucs-2": "utf-16",
    "ucs2": "utf-16",
    "iso-10646-ucs-2": "utf-16",
    "ucs-4": "utf-32",
    "ucs4": "utf-32",
    "iso-10646-ucs-4": "utf-32",
}

_EXTERNAL_ID = LazyPattern(r"\b(?:SYSTEM|PUBLIC)\b")
#: An XML declaration's encoding, in a decoded head.
_DECLARATION = LazyPattern(r"""<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["'][^>]*?\?>""")


def _decode(data: bytes, codec: str, *, final: bool) -> str:
    """Decode ``data`` (possibly cut short) with ``codec``, replacing bad bytes."""
    import codecs

    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    return str(decoder.decode(data, final=final))


def _python_codec(declared: str, name: str | None) -> str:
    """Return the Python codec for a declared encoding; refuse one Python cannot read."""
    import codecs

    codec = _CODEC_ALIASES.get(declared.lower(), declared)
    try:
        info = codecs.lookup(codec)
    except LookupError as exc:
        raise XMLInputError(
            "xml.encoding", f"the encoding {declared!r} is not supported", source=name
        ) from exc
    # Codecs that are not text encodings (base64, hex, zlib, rot13 ...) are refused as
    # bytes.decode refuses them (b"".decode does not: it returns "" before looking).
    if not getattr(info, "_is_text_encoding", True):
        raise XMLInputError(
            "xml.encoding", f"the encoding {declared!r} is not supported", source=name
        )
    return info.name


def document_codec(head: bytes) -> tuple[str, int] | None:
    """Return (Python codec, byte-order mark length) the parser reads a document with.

    ``head`` is the start of the document. None when the encoding is not known here
    (or is refused by :func:`check_prolog`).
    """
    codec: str | None = "utf-8"
    skip = 0
    signature = _signature(head)
    if signature is not None:
        codec, skip = signature
    if codec is None:
        return None
    if codec in ("latin-1", "cp037"):  # single-byte: the declaration decides
        declared = _DECLARATION().match(head[skip : skip + 4096].decode(codec))
        if declared is not None:
            try:
                codec = _python_codec(declared.group(1), None)
            except XMLInputError:
                return None
        elif codec == "latin-1":
            codec = "utf-8"
    return codec, skip


def document_text(data: bytes) -> str | None:
    """Decode a whole document with the encoding the parser reads it with, or None."""
    found = document_codec(data)
    if found is None:
        return None
    codec, skip = found
    return data[skip:].decode(codec, errors="replace")


def _head_texts(head: bytes, *, complete: bool, name: str | None) -> tuple[list[str], bool]:
    """Decode the start of a document as the parser will; returns (views, wide encoding).

    The encoding comes from the byte-order mark or the first bytes (XML 1.0, Appendix
    F), then, for single-byte families, from the XML declaration. Where the declared
    encoding is not a superset of ASCII (UTF-7, EBCDIC code pages ...), the head is
    decoded both ways and every view is scanned: a declaration hidden from one view
    is seen in the other.
    """
    codec: str | None = "latin-1"
    skip = 0
    signature = _signature(head)
    if signature is not None:
        codec, skip = signature
    if codec is None:
        raise XMLInputError(
            "xml.encoding",
            "UCS-4 in an unusual byte order (2143 or 3412) is not supported",
            source=name,
        )
    body = head[skip:]
    if codec.startswith("utf-"):
        return [_decode(body, codec, final=complete)], True
    base = body.decode(codec)
    declared = _DECLARATION().match(base[:4096])
    if declared is None or _ASCII_ENCODINGS().fullmatch(declared.group(1).encode()):
        return [base], False
    python_codec = _python_codec(declared.group(1), name)
    if python_codec == codec:
        return [base], False
    end = declared.end()
    try:
        view = base[:end] + _decode(body[end:], python_codec, final=complete)
    except UnicodeError as exc:  # "UTF-16" or "UTF-32" with no byte-order mark
        raise XMLInputError(
            "xml.encoding",
            f"the document declares the encoding {declared.group(1)!r}, "
            f"which its bytes cannot be read in: {exc}",
            source=name,
        ) from None
    return [view, base], python_codec.startswith(("utf-16", "utf-32"))


#: The XML declaration's encoding name, if it has one.
_DECLARED_ENCODING = LazyPattern(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
#: Encodings in which every ASCII character is its own single byte, and nothing else is.
_ASCII_ENCODINGS = LazyPattern(
    rb"(?:utf-?8|us-ascii|ascii|iso[-_]?8859-[0-9]+|latin-?1|windows-125[0-8]|cp125[0-8])",
    re.IGNORECASE,
)


def ascii_compatible(data: bytes) -> bool:
    """Tell whether the ASCII characters of a document are plain bytes in ``data``.

    True for UTF-8 (with or without its byte-order mark), US-ASCII, ISO 8859 and
    Windows code pages: then a scan of the raw bytes for ASCII text (digits, names)
    sees what the parser sees, apart from character references and CDATA sections.
    False for UTF-16/32, EBCDIC and any other declared encoding.
    """
    return ascii_encoding(data) is not None


def ascii_encoding(data: bytes) -> str | None:
    """Return the encoding to decode ``data`` with, if it is ASCII-compatible, else None.

    See :func:`ascii_compatible`; ``utf-8`` when the document declares no encoding.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.startswith((b"<", b" ", b"\t", b"\r", b"\n")) or b"\x00" in data[:4]:
        return None
    if data.startswith(_USUAL_DECLARATION):  # names UTF-8: no pattern compiled for it
        return "UTF-8"
    declared = _DECLARED_ENCODING().match(data.lstrip(b" \t\r\n")[:200])
    if declared is None:
        return "utf-8"
    name = declared.group(1)
    if _ASCII_ENCODINGS().fullmatch(name) is None:
        return None
    return "ascii" if name.lower() in (b"us-ascii", b"ascii") else name.decode("ascii")


#: The prolog of most documents, which needs no scan: at most an XML declaration that
#: names UTF-8 or no encoding, white space, then the root's start tag. Whatever else
#: (a byte-order mark, another encoding, a comment, a processing instruction, a DTD) is
#: scanned in full.
_PLAIN_PROLOG = LazyPattern(
    rb"(?:<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:\"1\.[0-9]\"|'1\.[0-9]')"
    rb"(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:\"(?i:utf-8)\"|'(?i:utf-8)'))?"
    rb"(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:\"(?:yes|no)\"|'(?:yes|no)'))?"
    rb"[ \t\r\n]*\?>)?[ \t\r\n]*<[A-Za-z_]"
)


#: The XML declaration ``to_xml`` and lxml write, and what may follow it in a plain prolog.
_USUAL_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
#: The usual declaration, a line feed and the root start tag's ``<`` (one test, no slice).
_USUAL_START = _USUAL_DECLARATION + b"\n<"
_AFTER_USUAL_START = len(_USUAL_START)


def plain_prolog(head: bytes) -> bool:
    """Tell whether ``head`` starts with a prolog that :func:`check_prolog` accepts unscanned.

    True only for what the full scan accepts too (tests check both on the same input):
    the first bytes fix the encoding as UTF-8, there is no DTD, comment or processing
    instruction, and no NUL byte in the first 4096 bytes. The usual declaration is
    matched as bytes first (half the time of the general pattern).
    """
    if head.startswith(_USUAL_START):  # to_xml's: the root's start tag on the next line
        first = head[_AFTER_USUAL_START : _AFTER_USUAL_START + 1]
        plain = first.isalpha() or first == b"_"
    elif head.startswith(_USUAL_DECLARATION):  # then white space and the root's start tag
        after = len(_USUAL_DECLARATION)
        rest = head[after : after + 256].lstrip(b" \t\r\n")  # more space: the full scan
        plain = rest[:1] == b"<" and (rest[1:2].isalpha() or rest[1:2] == b"_")
    else:
        plain = _PLAIN_PROLOG().match(head) is not None
    return plain and not _has_nul(head, 4096)


def _has_nul(data: bytes, within: int) -> bool:
    """Tell whether the first ``within`` bytes of ``data`` hold a NUL byte.

    A whole document that short is searched for the byte as an int (one ``memchr``,
    a fraction of the cost of ``find`` with a bytes argument and bounds).
    """
    if len(data) <= within:
        return 0 in data
    return data.find(b"\x00", 0, within) >= 0


def check_prolog(head: bytes, *, name: str | None = None, complete: bool = True) -> bool:
    """Refuse binary or non-XML input, DTDs and entity declarations before parsing.

    ``head`` is the whole document (``complete``) or its first bytes; only the
    prolog, up to the root start tag, is looked at. Returns True when the prolog is
    plain (:func:`plain_prolog`: it holds no document type declaration).
    """
    if plain_prolog(head):
        return True
    scan_prolog(head, name=name, complete=complete)
    return False


def scan_prolog(head: bytes, *, name: str | None = None, complete: bool = True) -> None:
    """Check a prolog as :func:`check_prolog` does, always by the full scan."""
    if not head[:4096].strip() and not head.strip():
        raise XMLInputError("xml.empty", "the document is empty", source=name)
    if complete and len(head) > PROLOG_WINDOW:
        complete = False  # decided within the window; a longer prolog is refused below
    texts, wide = _head_texts(head[:PROLOG_WINDOW], complete=complete, name=name)
    if not wide and b"\x00" in head[:4096]:
        raise XMLInputError(
            "xml.binary", "the input is binary data (it holds NUL bytes), not XML", source=name
        )
    for text in texts:
        _scan_prolog(text, complete=complete, name=name)


def _scan_prolog(text: str, *, complete: bool, name: str | None) -> None:
    """Walk a decoded prolog to the root start tag, refusing DTDs and non-XML."""
    position = 1 if text.startswith("\ufeff") else 0
    length = len(text)
    while True:
        while position < length and text[position] in " \t\r\n":
            position += 1
        if position >= length:
            if complete:
                raise XMLInputError(
                    "xml.truncated", "the document ends before its root element", source=name
                )
            raise XMLInputError(
                "xml.too-large",
                f"the prolog (before the root element) is longer than {PROLOG_WINDOW} bytes",
                source=name,
            )
        if text.startswith("<?", position):
            end, skip = text.find("?>", position), 2
        elif text.startswith("<!--", position):
            end, skip = text.find("-->", position + 4), 3
        elif text[position : position + 9].upper() == "<!DOCTYPE":
            _refuse_doctype(text, position, name)
            end = -1  # pragma: no cover - _refuse_doctype always raises
        elif text.startswith("<", position):
            return
        else:
            line = text.count("\n", 0, position) + 1
            raise XMLInputError(
                "xml.not-xml",
                "the input is not XML (it does not start with '<')",
                source=name,
                line=line,
            )
        if end < 0:
            position = length
            continue
        position = end + skip


def _refuse_doctype(text: str, position: int, name: str | None) -> None:
    line = text.count("\n", 0, position) + 1
    rest = text[position:]
    bracket = rest.find("[")
    close = rest.find(">")
    declaration = rest[: close if close >= 0 and (bracket < 0 or close < bracket) else bracket]
    entities = rest.find("<!ENTITY") >= 0
    if entities:
        external = any(
            _EXTERNAL_ID().search(decl.split(">", 1)[0]) for decl in rest.split("<!ENTITY")[1:]
        )
        if external:
            raise XMLInputError(
                "xml.external-entity-forbidden",
                "external entity declarations are not allowed; nothing was fetched",
                source=name,
                line=line,
            )
        raise XMLInputError(
            "xml.entity-forbidden",
            "entity declarations are not allowed (entities are never expanded)",
            source=name,
            line=line,
        )
    if _EXTERNAL_ID().search(declaration):
        raise XMLInputError(
            "xml.external-dtd-forbidden",
            "a document type declaration names an external DTD; it is not allowed "
            "and was not fetched",
            source=name,
            line=line,
        )
    raise XMLInputError(
        "xml.dtd-forbidden",
        "document type declarations (DTDs) are not allowed",
        source=name,
        line=line,
    )


# --- parsing -----------------------------------------------------------------------


def make_parser(
    limits: Limits = DEFAULT_LIMITS,
    *,
    schema: etree.XMLSchema | None = None,
    target: Any = None,
    keep_blanks: bool = True,
) -> etree.XMLParser:
    """Return an lxml parser configured for untrusted input.

    ``schema`` validates while parsing; ``target`` receives the parser's events
    instead of a tree being built (lxml's parser-target interface). Without
    ``keep_blanks``, white space between tags is left out of the tree where libxml2
    judges it ignorable (``remove_blank_text``; see :func:`blanks_ignorable`).
    """
    from lxml import etree

    parser: Any = etree.XMLParser(  # with a target, lxml's stubs type it another class
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=limits.huge,
        remove_comments=False,
        collect_ids=False,
        schema=schema,
        target=target,
        remove_blank_text=not keep_blanks,
    )
    parser.resolvers.add(_no_fetch())
    made: etree.XMLParser = parser
    return made


_THREAD = threading.local()

#: ``lxml.etree`` once a document was parsed (see :func:`_lxml`).
_ETREE: Any = None


def _lxml() -> Any:
    """Return ``lxml.etree``, imported on first use (the CLI starts without lxml).

    An import statement inside a function costs each call a lookup of the module and
    its attribute; the parsers that run once per small document take this global.
    """
    global _ETREE
    if _ETREE is None:
        from lxml import etree

        _ETREE = etree
    return _ETREE


def shared_parser(limits: Limits = DEFAULT_LIMITS, *, keep_blanks: bool = True) -> etree.XMLParser:
    """Return this thread's parser made by :func:`make_parser` for ``limits`` (made once).

    Making a parser and its first use cost more than parsing a small document, so whole
    documents share one per thread (an lxml parser is not for two threads at once),
    per mode (``limits.huge``) and per ``keep_blanks``. Callers must not change it
    (add a resolver, feed it).
    """
    huge = False if limits is DEFAULT_LIMITS else limits.huge  # no property call: the usual
    key = huge if keep_blanks else huge + 2
    try:  # the usual case, in one step: made already on this thread
        found: etree.XMLParser = _THREAD.parsers[key]
    except AttributeError:
        _THREAD.parsers = {}
    except KeyError:
        pass
    else:
        return found
    parser = _THREAD.parsers[key] = make_parser(limits, keep_blanks=keep_blanks)
    return parser


def blanks_ignorable(data: bytes) -> bool:
    """Tell whether a parser may leave white space between tags out of ``data``'s tree.

    Left out (libxml2's ``remove_blank_text``), white space changes no string value
    of an element whose content is text only, nor any text beside other text; it can
    change the value of an element holding a comment, CDATA section or processing
    instruction beside white space (``<a> <!--c--> </a>``), and of one whose white
    space holds a carriage return (libxml2 drops the part before it: a space, CR and
    LF as a value gives LF). So only for documents with none of these, for readers to
    which white space between elements means nothing (element content, no mixed
    content: the XML binding's models). Searched as single bytes (``memchr``): no
    ``!``, no carriage return and no ``?`` after the XML declaration; a document
    holding any is read the usual way.
    """
    if 33 in data or 13 in data:  # "!", "\r"
        return False
    start = data.find(b"?>", 0, 256) + 2 if data.startswith(b"<?") else 0
    return data.find(b"?", start) < 0


def feed_encoding(head: bytes) -> str | None:
    """Return the encoding a feed parser must be told for a document starting ``head``.

    UTF-32, with or without a byte-order mark (XML 1.0, Appendix F), is found by
    libxml2's whole-document parser, but not by its push parser (2.12 to 2.14 refuse
    it): the feed parser is told, so that both modes read it alike. None for every
    other document (the parser finds its encoding itself).
    """
    found = document_codec(head)
    if found is not None and found[0].startswith("utf-32"):
        return "UTF-32LE" if found[0].endswith("le") else "UTF-32BE"
    return None


def pull_parser(
    limits: Limits = DEFAULT_LIMITS,
    *,
    events: tuple[Literal["start", "end"], ...] = ("end",),
    head: bytes | None = None,
    **extra: Any,
) -> etree.XMLPullParser:
    """Return an lxml pull (feed) parser configured for untrusted input.

    ``head``: the document's first bytes (see :func:`feed_encoding`); ``extra`` is
    passed on (``tag``, ``schema``).
    """
    from lxml import etree

    options = parser_options(limits)
    if head is not None and "encoding" not in extra:
        extra["encoding"] = feed_encoding(head)
    parser = etree.XMLPullParser(events=events, **options, **extra)
    parser.resolvers.add(_no_fetch())
    return parser


def parser_options(limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Return the safe keyword arguments for ``lxml.etree.iterparse``.

    Add the resolver of :func:`make_parser` (``parser.resolvers``) where you can:
    ``collect_ids=False`` makes libxml2 read an external DTD subset, which only a
    document that passed :func:`check_prolog` is sure not to have.
    """
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": limits.huge,
        "collect_ids": False,
    }


_NO_FETCH: list[Any] = []


def _no_fetch() -> Any:
    """Return the lxml resolver that answers every external load with nothing.

    A DTD or entity a document names is never opened or fetched, whatever the parser's
    options: the prolog scan refuses such documents first, and this is the second wall.
    """
    if not _NO_FETCH:
        from lxml import etree

        class NoFetch(etree.Resolver):
            def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
                return self.resolve_string("", context)

        _NO_FETCH.append(NoFetch())
    return _NO_FETCH[0]


def check_doctype(tree: Any, *, name: str | None) -> None:
    """Refuse a parsed document that has a document type declaration.

    The prolog scan refuses these before parsing; this is the check after it, the
    same in whole-document and streaming mode.
    """
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XMLInputError(
            "xml.dtd-forbidden", "document type declarations (DTDs) are not allowed", source=name
        )


_POSITION = LazyPattern(r",? line \d+, column \d+\s*$")

#: libxml2 error domains of the schema validator (the rest are the parser's).
SCHEMA_DOMAINS = frozenset({"SCHEMASV", "SCHEMASP"})


def syntax_error(exc: Exception, *, name: str | None, truncated: bool = False) -> XMLInputError:
    """Turn an lxml ``XMLSyntaxError`` (or log entry) into an :class:`XMLInputError`.

    ``truncated`` comes from the parser's state (the input ended with elements still
    open, see :class:`EndWatch`), never from the wording or order of libxml2's errors,
    which change between libxml2 releases.
    """
    msg = _POSITION().sub("", str(getattr(exc, "msg", None) or exc))
    code_number = getattr(exc, "code", 0)
    position = getattr(exc, "position", None) or (None, None)
    line, column = position
    lowered = msg.lower()
    code = "xml.not-well-formed"
    if "excessive depth" in lowered:
        code = "xml.too-deep"
    elif "too long" in lowered or "buffer size limit" in lowered:
        code = "xml.text-too-long"
    elif "encoding" in lowered or code_number in (31, 32, 81):
        code = "xml.encoding"
    elif code_number == 4 or "document is empty" in lowered:
        code = "xml.not-xml"
    elif truncated:
        code = "xml.truncated"
    elif "entity" in lowered and "not defined" in lowered:
        code = "xml.entity-forbidden"
    messages = {
        "xml.too-deep": "elements are nested too deeply",
        "xml.text-too-long": "a text node or attribute value is too long",
        "xml.encoding": f"the bytes do not match the document's encoding: {msg}",
        "xml.not-xml": "the input is not XML",
        "xml.truncated": f"the document is truncated (elements are still open): {msg}",
        "xml.entity-forbidden": f"entity references are not allowed: {msg}",
    }
    return XMLInputError(
        code,
        messages.get(code, msg),
        source=name,
        line=line if line else None,
        column=column if line else None,
    )


class LogEntryError(Exception):
    """An lxml log entry shaped like an ``XMLSyntaxError`` for :func:`syntax_error`."""

    def __init__(self, entry: Any) -> None:
        super().__init__(entry.message)
        self.msg = entry.message
        self.code = entry.type
        self.position = (entry.line, entry.column)


def first_parser_error(log: Any, start: int = 0) -> Any:
    """Return the first parser (not schema validator) entry of a feed parser's own log.

    Entries before index ``start`` are skipped; None when there is none.
    """
    if len(log) <= start:
        return None
    for entry in islice(log, start, None):
        if entry.domain_name not in SCHEMA_DOMAINS:
            return entry
    return None


class EndWatch:
    """Tell, for an lxml feed parser, whether its input ended with elements still open.

    libxml2 releases differ at the end of a cut-short input: some raise at once, newer
    ones (2.14) first close every open element and emit their end events. A document is
    truncated when the parser met no error while its bytes were fed (it did not stop
    early) and the root's end event had not come by the time the input ended.
    """

    __slots__ = ("closing", "root_ended", "stopped")

    def __init__(self) -> None:
        self.root_ended = False
        self.closing = False
        self.stopped = False

    def seen(self, element: Any) -> bool:
        """Note one end event; True when ``element`` is the root."""
        if element.getparent() is None:
            if not self.closing:
                self.root_ended = True
            return True
        return False

    def close(self, parser: Any) -> None:
        """Note that the input has ended (call just before ``parser.close()``)."""
        self.closing = True
        self.stopped = first_parser_error(parser.feed_error_log) is not None

    @property
    def truncated(self) -> bool:
        """True when the input ended while elements were open (and no error came first)."""
        return self.closing and not self.stopped and not self.root_ended


def diagnose(
    data: bytes, *, limits: Limits = DEFAULT_LIMITS, name: str | None = None
) -> XMLInputError:
    """Find why ``data`` is not well-formed, from a feed parser's state and its own log."""
    from lxml import etree

    parser = pull_parser(limits, head=data[:16])
    watch = EndWatch()
    try:
        parser.feed(data)
        _drain(parser, watch)
        watch.close(parser)
        parser.close()
    except etree.XMLSyntaxError as exc:
        _drain(parser, watch)
        entry = first_parser_error(parser.feed_error_log)
        source: Exception = LogEntryError(entry) if entry is not None else exc
        return syntax_error(source, name=name, truncated=watch.truncated)
    return XMLInputError(  # pragma: no cover - only called after a failed parse
        "xml.not-well-formed", "the document is not well-formed", source=name
    )


def _drain(parser: Any, watch: EndWatch) -> None:
    """Read a pull parser's pending end events, dropping finished elements as it goes."""
    for _, element in parser.read_events():
        if not watch.seen(element):
            element.clear(keep_tail=False)
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]


def parse_xml(
    source: Source, *, limits: Limits = DEFAULT_LIMITS, name: str | None = None
) -> etree._ElementTree:
    """Parse untrusted XML safely; raises :class:`XMLInputError` with an issue code.

    ``source``: a path, bytes, XML text (a ``str`` starting with ``<``) or a binary stream.
    """
    if isinstance(source, bytes):  # already in memory: the same checks, without an Input
        return parse_root(source, limits=limits, name=name).getroottree()
    with Input.open(source, name=name, limits=limits) as document:
        data = document.read_all(limits)
        document.check_prolog()
        return parse_checked(data, limits=limits, name=document.name)


def parse_bytes(
    data: bytes, *, limits: Limits = DEFAULT_LIMITS, name: str | None = None
) -> etree._ElementTree:
    """Parse a document already read into memory (same checks as :func:`parse_xml`)."""
    return parse_root(data, limits=limits, name=name).getroottree()


def parse_root(
    data: bytes,
    *,
    limits: Limits = DEFAULT_LIMITS,
    name: str | None = None,
    keep_blanks: bool | None = True,
) -> etree._Element:
    """Return the root element of :func:`parse_bytes`'s tree (one step fewer for binders).

    Without ``keep_blanks``, white space between tags may be left out of the tree (see
    :func:`make_parser`; a reader checks :func:`blanks_ignorable` first); None leaves
    it out where :func:`blanks_ignorable` says it may.

    This runs once per small message that is read, so the prolog and blank checks of
    the usual message (``to_xml``'s prolog, at most :data:`SMALL_MESSAGE` bytes, the
    default limits) are made here in one function, each a single byte search, with the
    same outcome as the general path (:func:`plain_prolog`, :func:`blanks_ignorable`;
    tests compare the two).
    """
    if (
        limits is DEFAULT_LIMITS
        and data.startswith(_USUAL_START)
        and len(data) <= SMALL_MESSAGE
        and data[_AFTER_USUAL_START : _AFTER_USUAL_START + 1].isalpha()
        and 0 not in data
    ):
        if keep_blanks is None:  # blanks_ignorable, after the usual declaration
            keep_blanks = 33 in data or 13 in data or data.find(b"?", _AFTER_USUAL_START) >= 0
        return _parse_root(data, limits, name, True, keep_blanks)
    if keep_blanks is None:
        keep_blanks = not blanks_ignorable(data)
    if limits is DEFAULT_LIMITS and len(data) <= limits.max_bytes and plain_prolog(data):
        return _parse_root(data, limits, name, True, keep_blanks)
    if len(data) > limits.max_bytes:
        raise _too_large(limits, name, len(data))
    plain = check_prolog(data, name=name)
    return _parse_root(data, limits, name, plain, keep_blanks)


#: The most bytes of a message whose prolog and blanks :func:`parse_root` checks in one
#: function: a NUL byte is searched in the whole of it (the general path searches 4096).
SMALL_MESSAGE = 4096


def parse_checked(
    data: bytes, *, limits: Limits = DEFAULT_LIMITS, name: str | None = None
) -> etree._ElementTree:
    """Parse a whole document whose prolog passed :meth:`Input.check_prolog`.

    The checks after parsing are the same as :func:`parse_bytes`'s: no document type
    declaration, no XInclude, the depth and text limits; no external file is ever read
    (the parser's resolver answers every load with nothing).
    """
    return _parse_root(data, limits, name, False, True).getroottree()


def _parse_root(
    data: bytes, limits: Limits, name: str | None, plain: bool, keep_blanks: bool
) -> etree._Element:
    """Parse ``data`` (its prolog checked) and check the tree; ``plain``: a plain prolog.

    The checks after parsing: no document type declaration (a plain prolog goes
    straight from the XML declaration to the root start tag, so none is looked for), no
    XInclude, and the depth and text limits when they are not libxml2's own (the
    default limits cost no walk of the tree).
    """
    lxml = _ETREE or _lxml()
    try:
        root: etree._Element = lxml.fromstring(data, shared_parser(limits, keep_blanks=keep_blanks))
    except lxml.XMLSyntaxError as exc:
        raise diagnose(data, limits=limits, name=name) from exc
    if not plain:
        check_doctype(root.getroottree(), name=name)
    # The XInclude namespace may be spelled with references, or in UTF-16 or UTF-32 (a
    # NUL byte in the first four; a plain prolog has none in its first 4096 bytes).
    # ("X" or "&" as ints first: one memchr each, and most documents skip the call.)
    if ((88 in data or 38 in data) and may_hold_xinclude(data)) or (
        not plain and data.find(b"\x00", 0, 4) >= 0
    ):
        check_xinclude(root, name=name)
    if limits is DEFAULT_LIMITS:
        return root
    if limits.walk:
        check_shape(root, limits, name)
    return root


#: A namespace declaration (``xmlns="..."`` or ``xmlns:p="..."``) with a value no parser
#: questions: an absolute URI of plain characters (no reference, no space, no ``%``).
_PLAIN_DECLARATION = LazyPattern(
    rb"""xmlns(?::(?!xml)[A-Za-z_][\w.\-]*)?\s*=\s*(["'])"""
    rb"""[A-Za-z][A-Za-z0-9+.\-]*:[A-Za-z0-9\-._~:/?#\[\]@!$()*+,;=]+\1"""
)


def plain_namespaces(data: bytes) -> bool:
    """Tell whether every namespace declaration in ASCII-compatible ``data`` is plain.

    A validating parser keeps namespace errors (a namespace name that is not a URI) out
    of its log; a document whose declarations are all plain (see the pattern) has none.
    """
    count = data.count(b"xmlns")
    if not count:
        return True
    if b"www.w3.org/XML/1998/namespace" in data or b"www.w3.org/2000/xmlns" in data:
        return False  # the reserved names, which no prefix may be declared for
    return len(_PLAIN_DECLARATION().findall(data)) == count


def parse_screened(
    data: bytes,
    schema: etree.XMLSchema,
    *,
    limits: Limits = DEFAULT_LIMITS,
    name: str | None = None,
) -> tuple[etree._ElementTree, list[Any] | None]:
    """Parse a document as :func:`parse_checked` does, and screen it with ``schema``.

    Returns the tree and the screen's errors: ``[]`` when the document is valid, else
    the schema errors (with neither node nor line); None when the screen's answer
    cannot be trusted (the caller validates the tree itself). The input errors raised
    are :func:`parse_checked`'s. ``schema`` must declare no wildcard (an element with
    an undeclared prefix is then invalid, never hidden).

    The screen is a second, validating pass of libxml2's parser that builds no tree:
    its errors cost the same wherever they are (validating the tree would give each
    a node path, whose cost grows with the siblings before the node), and the tree is
    the plain parser's whether the document is valid or not (a validating parser
    keeps no tree of an invalid document).
    """
    tree = parse_checked(data, limits=limits, name=name)
    return tree, screen_bytes(data, schema, limits=limits)


def screen_bytes(
    data: bytes, schema: etree.XMLSchema, *, limits: Limits = DEFAULT_LIMITS
) -> list[Any] | None:
    """Screen a document that :func:`parse_checked` took with ``schema``.

    The screen of :func:`parse_screened` (which see), for a document parsed already:
    ``[]`` when it is valid, its schema errors, or None when they cannot be trusted.
    """
    from lxml import etree

    if not ascii_compatible(data) or not plain_namespaces(data):
        return None
    parser = _validating_parser(schema, limits)
    try:
        etree.fromstring(data, parser)
    except etree.XMLSyntaxError:  # pragma: no cover - the plain parser took it
        return None
    entries = parser.error_log
    if any(e.level_name != "WARNING" for e in entries if e.domain_name not in SCHEMA_DOMAINS):
        return None  # logged by the parser, not the schema: not trusted
    return [e for e in entries if e.domain_name in SCHEMA_DOMAINS]


class _NoTree:
    """A parser target that takes no event: the parser then builds nothing."""

    def close(self) -> None:
        """End the parse (nothing to return)."""


def _validating_parser(schema: etree.XMLSchema, limits: Limits) -> Any:
    """Return this thread's screening parser for ``schema``: :func:`make_parser`'s options.

    It validates by ``schema`` and builds no tree (see :class:`_NoTree`); a document
    invalid by the schema raises nothing, its errors are in the parser's log.
    """
    parsers: dict[tuple[int, bool], tuple[Any, Any]] | None = getattr(_THREAD, "validating", None)
    if parsers is None:
        parsers = _THREAD.validating = {}
    key = (id(schema), limits.huge)
    known = parsers.get(key)
    if known is not None and known[0] is schema:
        return known[1]
    parser = make_parser(limits, schema=schema, target=_NoTree())
    if len(parsers) >= 16:
        parsers.clear()
    parsers[key] = (schema, parser)
    return parser


def has_character_references(data: bytes) -> bool:
    """Tell whether ``data`` holds ``&#``: a character reference may spell any character."""
    return 38 in data and b"&#" in data  # "&" as an int first: one memchr, many times faster


def found_across(test: Callable[[bytes], bool], tail: bytes, data: bytes, overlap: int) -> bool:
    """Tell whether ``test`` holds for ``tail + data``, without joining them.

    ``test`` looks for byte strings of at most ``overlap + 1`` bytes; ``tail``: the
    last ``overlap`` bytes before ``data`` (fewer at the start). One found in ``data``
    or across the join (in ``tail`` and ``data``'s first ``overlap`` bytes) is in the
    whole: a large piece is not copied to look across its start.
    """
    return test(data) or test(tail + data[:overlap])


def tail_after(tail: bytes, data: bytes, size: int) -> bytes:
    """Return the last ``size`` bytes of ``tail + data``, joining only ``data``'s last ``size``.

    The ``tail`` of :func:`found_across` for the piece after ``data`` (``size`` > 0).
    """
    return (tail + data[-size:])[-size:]


def may_hold_xinclude(data: bytes) -> bool:
    """Tell whether ASCII-compatible bytes may hold XInclude: its namespace or a reference."""
    # "X" as an int first (one memchr): most documents have none, and skip the long search.
    return (88 in data and _XINCLUDE_BYTES in data) or has_character_references(data)


def check_xinclude(element: etree._Element, *, name: str | None) -> None:
    """Refuse an element (or descendant) in the XInclude namespace; never processes it."""
    found = element.xpath(f"descendant-or-self::*[namespace-uri()='{XINCLUDE_NS}'][1]")
    if isinstance(found, list) and found:
        first = found[0]
        raise XMLInputError(
            "xml.xinclude-forbidden",
            "XInclude is not allowed in documents; nothing was included",
            source=name,
            line=getattr(first, "sourceline", None),
        )


def check_shape(root: etree._Element, limits: Limits, name: str | None, *, depth: int = 1) -> None:
    """Refuse trees deeper than ``limits.max_depth`` or with over-long text.

    ``depth`` is the depth of ``root`` in its document (1 for the document root).
    """
    stack = [(root, depth)]
    while stack:
        element, depth = stack.pop()
        if depth > limits.max_depth:
            raise XMLInputError(
                "xml.too-deep",
                f"elements are nested deeper than {limits.max_depth} levels",
                source=name,
                line=element.sourceline,
            )
        check_text(element, limits, name)
        stack.extend((child, depth + 1) for child in element)


def check_text(element: etree._Element, limits: Limits, name: str | None) -> None:
    """Refuse one element whose text, tail or attribute values exceed ``limits.max_text``."""
    values = [element.text, element.tail, *element.attrib.values()]
    for text in values:
        if text is not None and len(text) > limits.max_text:
            raise XMLInputError(
                "xml.text-too-long",
                f"a text node or attribute value is longer than {limits.max_text} characters",
                source=name,
                line=element.sourceline,
            )


# --- streaming ---------------------------------------------------------------------


class _Prefixed(io.RawIOBase):
    """A binary stream that replays ``head`` before the rest of ``stream``."""

    def __init__(self, head: bytes, stream: IO[bytes], *, owned: bool = False) -> None:
        super().__init__()
        self._head = head
        self._stream = stream
        self._owned = owned

    def close(self) -> None:
        """Close this stream, and the one it wraps when it opened it."""
        if self._owned and not self.closed:
            self._stream.close()
        super().close()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        if self._head:
            count = min(len(view), len(self._head))
            view[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        chunk = self._stream.read(len(view))
        view[: len(chunk)] = chunk
        return len(chunk)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            data = self._head + self._stream.read()
            self._head = b""
            return data
        out = bytearray(size)
        count = self.readinto(out)
        return bytes(out[:count])


def count_newlines(data: bytes) -> int:
    """Return how many line feeds ``data`` holds.

    ``bytes.count`` of one byte compares byte by byte; removing the line feeds finds
    them with ``memchr`` and is several times faster on XML, where lines are long.
    """
    return len(data) - len(data.replace(b"\n", b""))


def open_checked(source: Source, *, name: str | None = None) -> tuple[IO[bytes], bool]:
    """Open ``source`` as a binary stream whose prolog was checked; (stream, must close).

    The stream replays the head :class:`Input` read; closing it closes a file opened
    here.
    """
    document = Input.open(source, name=name)
    try:
        document.check_prolog()
    except XMLInputError:
        document.close()
        raise
    return document.stream(closes=True), not document.given_stream


#: Bytes fed to a streaming parser at a time.
FEED_BYTES = 256 * 1024


def _peek(stream: IO[bytes]) -> bytes | None:
    """Return a stream's first bytes without consuming them, when it can say."""
    peek = getattr(stream, "peek", None)
    if peek is None:
        return None
    try:
        found = peek(16)
    except (OSError, ValueError):
        return None
    return found if isinstance(found, bytes) else None


def iterparse_xml(
    stream: IO[bytes],
    *,
    tag: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    name: str | None = None,
) -> Iterator[Any]:
    """Yield the elements of a stream opened by :func:`open_checked` as they end, safely.

    Only elements named ``tag`` are yielded when it is given. Syntax errors are raised
    as :class:`XMLInputError`, truncation being judged from the parser's state (see
    :class:`EndWatch`). Text length and depth bounds are libxml2's when ``limits`` are
    the defaults.
    """
    from lxml import etree

    parser = pull_parser(limits, head=_peek(stream))
    watch = EndWatch()
    xinclude = f"{{{XINCLUDE_NS}}}"
    checked = False
    try:
        while True:
            chunk = stream.read(FEED_BYTES)
            if chunk:
                parser.feed(chunk)
            else:
                watch.close(parser)
                parser.close()
            for _, element in parser.read_events():
                if not checked:
                    check_doctype(element.getroottree(), name=name)
                    checked = True
                element_tag = element.tag
                if isinstance(element_tag, str) and element_tag.startswith(xinclude):
                    raise XMLInputError(
                        "xml.xinclude-forbidden",
                        "XInclude is not allowed in documents; nothing was included",
                        source=name,
                        line=element.sourceline,
                    )
                watch.seen(element)
                if tag is None or element_tag == tag:
                    yield element
            if not chunk:
                return
    except etree.XMLSyntaxError as exc:
        entry = first_parser_error(parser.feed_error_log)
        source: Exception = LogEntryError(entry) if entry is not None else exc
        raise syntax_error(source, name=name, truncated=watch.truncated) from exc


__all__ = [
    "DEFAULT_LIMITS",
    "LIBXML2_MAX_DEPTH",
    "LIBXML2_MAX_TEXT",
    "EndWatch",
    "Input",
    "Limits",
    "LogEntryError",
    "Source",
    "XMLInputError",
    "ascii_compatible",
    "ascii_encoding",
    "blanks_ignorable",
    "check_doctype",
    "check_prolog",
    "check_shape",
    "check_text",
    "check_xinclude",
    "count_newlines",
    "diagnose",
    "document_codec",
    "document_text",
    "feed_encoding",
    "first_parser_error",
    "has_character_references",
    "is_xml_text",
    "iterparse_xml",
    "make_parser",
    "may_hold_xinclude",
    "open_checked",
    "open_file",
    "parse_bytes",
    "parse_checked",
    "parse_root",
    "parse_screened",
    "parse_xml",
    "parser_options",
    "plain_namespaces",
    "plain_prolog",
    "pull_parser",
    "read_at_most",
    "read_bytes",
    "scan_prolog",
    "screen_bytes",
    "shared_parser",
    "source_name",
    "syntax_error",
    "xml_text_source",
]
