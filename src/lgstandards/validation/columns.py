"""Columns for schema errors: the start tag of an element, found in its source line.

libxml2 reports a schema error with a line but no column. The column of the element's
start tag is recovered from the document's bytes when that is unambiguous: the line is
at most :data:`MAX_LINE` bytes in an ASCII-compatible encoding, holds no comment, CDATA
section, processing instruction or declaration, and exactly one start tag with the
element's qualified name. Otherwise the issue has no column; its path still locates the
element. Whole-document and streaming validation apply the same test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any, Protocol

from lgstandards.validation.starttags import (
    EXACT_BELOW,
    PathResolver,
    StartTags,
    TagLines,
    TreeOrdinals,
    document_scanner,
    relocate,
)

if TYPE_CHECKING:
    from lxml import etree

    from lgstandards.report import Issue

#: Lines longer than this (minified documents) get no columns.
MAX_LINE = 64 * 1024

#: Bytes whose line feeds :class:`DocumentLines` counts at a time.
LINE_BLOCK = 8 * 1024


class SourceLines(Protocol):
    """Gives the bytes of a document's lines (1-based), where it still has them."""

    #: The encoding to decode a line with (None: columns cannot be recovered).
    encoding: str | None

    def line(self, number: int) -> bytes | None:
        """Return the bytes of line ``number`` (without its end), or None."""
        ...


class DocumentLines:
    """The lines of a document (or of a part of it) held in memory, indexed as asked for.

    ``ends_document``: whether ``data`` runs to the end of the document (else its last,
    unterminated line is incomplete and not given).
    """

    def __init__(self, data: bytes, *, ends_document: bool = True) -> None:
        from lgstandards.safexml import ascii_encoding

        self.data = data
        self.encoding = ascii_encoding(data)
        self.ends_document = ends_document
        #: line feeds in ``data[: i * LINE_BLOCK]`` for each i counted so far
        self._marks = [0]

    def line(self, number: int) -> bytes | None:
        """Return the bytes of line ``number`` (without its end), or None."""
        start = self._start(number)
        if start is None:
            return None
        data = self.data
        end = data.find(b"\n", start)
        if end < 0:  # the last line, which no line feed ends
            return data[start:] if self.ends_document else None
        return data[start:end]

    def _start(self, number: int) -> int | None:
        """Return the offset where line ``number`` begins, or None (no such line)."""
        return _line_start(self.data, self._marks, number)


class StreamLines:
    """The lines of a document being streamed that are still at hand, for columns.

    Keeps every chunk fed before the body (:meth:`body_begins`: the root's start and
    the header, to the end of its last line) and the last :data:`RECENT` chunks, which
    hold the records being validated and, at the end, the trailer.
    """

    #: Chunks kept after the header (streaming lands a chunk screened meanwhile before
    #: the fourth piece after its first is read: ``validation.stream.FLIGHT_PIECES``).
    RECENT = 5

    def __init__(self) -> None:
        self.encoding: str | None = None
        #: The start tags of the document, for exact lines (see
        #: :mod:`lgstandards.validation.starttags`);
        #: None when its encoding cannot be scanned.
        self.tags: StartTags | None = None
        self._decoder: Any = None
        self._skip = 0
        #: (index, first line, starts a line, bytes) of the kept chunks, in order.
        self._chunks: list[tuple[int, int, bool, bytes]] = []
        self._head = -1  # index of the last head chunk (-1: the head is still growing)
        self._head_line_open = 0  # bytes the head still takes to finish its last line
        self._count = 0
        self._next_line = 1
        self._at_line_start = True
        self._ended = False
        #: chunk index -> line feeds before each :data:`LINE_BLOCK` of it (see :meth:`line`)
        self._marks: dict[int, list[int]] = {}
        #: Reads the document's next piece and feeds it here, ahead of the parser;
        #: False when its end was read already (set by the reader of the document).
        self.read_ahead: Callable[[], bool] | None = None

    def feed(self, chunk: bytes) -> None:
        """Take the next chunk of the document (empty: the document has ended)."""
        from lgstandards.safexml import ascii_encoding, count_newlines

        if not chunk:
            self._ended = True
            if self._decoder is not None and self.tags is not None:
                self.tags.feed(self._decoder.decode(b"", final=True))
            return
        if self._count == 0:
            self.encoding = ascii_encoding(chunk)
            self._start_tags(chunk)
        feeds = count_newlines(chunk)
        if self.tags is not None:
            if self._decoder is None:  # the same bytes: their line feeds counted once
                self.tags.feed(chunk, newlines=feeds)
            else:
                self.tags.feed(self._decode(chunk))
        self._chunks.append((self._count, self._next_line, self._at_line_start, chunk))
        if self._head >= 0 and self._head_line_open > 0:
            # the head's last line goes on: keep it whole (up to MAX_LINE, beyond which
            # a line gets no columns anyway)
            self._head = self._count
            self._head_line_open = 0 if feeds else self._head_line_open - len(chunk)
        self._count += 1
        self._next_line += feeds
        self._at_line_start = chunk.endswith(b"\n")
        if self._head >= 0:
            self._chunks = [c for c in self._chunks if c[0] <= self._head] + self._recent()
            if self._marks:
                kept = {c[0] for c in self._chunks}
                self._marks = {i: m for i, m in self._marks.items() if i in kept}

    def _recent(self) -> list[tuple[int, int, bool, bytes]]:
        """Return the chunks after the head to keep.

        The last :attr:`RECENT`, and before them as many as make :data:`MAX_LINE` bytes,
        so that a line that can have columns and begins before the newest ``RECENT - 1``
        is still whole, however small the chunks.
        """
        rest = [c for c in self._chunks if c[0] > self._head]
        start = max(len(rest) - self.RECENT, 0)
        before = sum(len(c[3]) for c in rest[start : start + 1])
        while start > 0 and before < MAX_LINE:
            start -= 1
            before += len(rest[start][3])
        return rest[start:]

    def _start_tags(self, head: bytes) -> None:
        import codecs

        from lgstandards.safexml import document_codec

        if self.encoding is not None:
            self.tags = StartTags(bytes)
            return
        found = document_codec(head)
        if found is not None:
            codec, skip = found
            self._decoder = codecs.getincrementaldecoder(codec)(errors="replace")
            self._skip = skip  # the byte-order mark is no text
            self.tags = StartTags(str)

    def _decode(self, chunk: bytes) -> str:
        if self._skip:
            chunk, self._skip = chunk[self._skip :], 0
        return str(self._decoder.decode(chunk))

    def body_begins(self) -> None:
        """Mark the first record parsed: the chunks so far are the head, kept to the end."""
        if self.tags is not None:
            self.tags.mark_head()
        if self._head < 0:
            self._head = self._count - 1
            self._head_line_open = 0 if self._at_line_start else MAX_LINE + 1

    def whole(self) -> bytes | None:
        """Return the whole document, if every chunk of it is still kept, else None."""
        if not self._ended or [c[0] for c in self._chunks] != list(range(self._count)):
            return None
        return b"".join(c[3] for c in self._chunks)

    def line(self, number: int) -> bytes | None:
        """Return the bytes of line ``number`` if the kept chunks hold all of it.

        The line is looked for in the kept chunk where it begins (each chunk knows its
        first line), its line feeds found at C speed from the chunk's start: the cost
        is that of one chunk at most, however many are kept. A line that runs on past
        the newest chunk is read on to its end by :attr:`read_ahead`, when set (an issue
        located while its line is still being parsed gets the column the whole document
        gives), as far as :data:`MAX_LINE` bytes, beyond which a line has no columns.
        """
        while True:
            found, unfinished = self._line(number)
            if found is not None or not unfinished or self.read_ahead is None:
                return found
            if not self.read_ahead():
                return None

    def _line(self, number: int) -> tuple[bytes | None, bool]:
        """Return the line (or None) and whether it runs on past the newest chunk.

        (It does only while its bytes so far are at most :data:`MAX_LINE`.)
        """
        chunks = self._chunks
        at = -1  # the kept chunk where the line begins, if kept
        for position, (_, first, starts_line, _) in enumerate(chunks):
            if first < number or (first == number and starts_line):
                at = position
            else:
                break
        if at < 0:
            return None, False
        index, first, _, data = chunks[at]
        start = 0 if first == number else self._after(index, data, number - first)
        if start is None:  # the line begins in a later chunk, not kept
            return None, False
        parts: list[bytes] = []
        size = 0
        while True:
            end = data.find(b"\n", start)
            if end >= 0:
                parts.append(data[start:end])
                return b"".join(parts), False
            parts.append(data[start:])
            size += len(data) - start
            at, start = at + 1, 0
            if at == len(chunks) or chunks[at][0] != index + 1:  # no more consecutive chunks
                newest = index == self._count - 1
                if self._ended and newest:
                    return b"".join(parts), False
                return None, newest and not self._ended and size <= MAX_LINE
            index, _, _, data = chunks[at]

    def _after(self, index: int, data: bytes, feeds: int) -> int | None:
        """Return the offset after the ``feeds``-th line feed of kept chunk ``index``, or None.

        The chunk's blocks of line feeds are counted once, as far as asked for (see
        :func:`_line_start`): the lines of a chunk's issues cost one count of the chunk,
        not one each.
        """
        marks = self._marks.get(index)
        if marks is None:
            marks = self._marks[index] = [0]
        return _line_start(data, marks, feeds + 1)


def _line_start(data: bytes, marks: list[int], number: int) -> int | None:
    """Return the offset where line ``number`` of ``data`` begins, or None (no such line).

    ``marks``: the line feeds in ``data[: i * LINE_BLOCK]`` for each i counted so far,
    extended here. Line feeds are counted a block at a time (at C speed), as far as
    asked for; the line is then found in its block: the cost does not grow with the
    line's number.
    """
    from bisect import bisect_left  # per line asked for, not at start-up

    from lgstandards.safexml import count_newlines

    if number <= 1:
        return 0 if number == 1 else None
    want = number - 1  # the line feeds before the line
    while marks[-1] < want:
        begin = (len(marks) - 1) * LINE_BLOCK
        if begin >= len(data):
            return None
        # memchr's speed: ``bytes.count`` of one byte compares byte by byte
        marks.append(marks[-1] + count_newlines(data[begin : begin + LINE_BLOCK]))
    block = bisect_left(marks, want) - 1  # the block holding the wanted line feed
    return _after_line_feeds(data, want - marks[block], block * LINE_BLOCK)


#: Bytes whose line feeds :func:`_after_line_feeds` counts at a time, at first.
_FEED_BLOCK = 16 * 1024

#: Line feeds :func:`_after_line_feeds` finds one by one rather than by counting blocks.
_FEW_FEEDS = 32


def _after_line_feeds(data: bytes, feeds: int, position: int = 0) -> int | None:
    """Return the offset just after the ``feeds``-th line feed of ``data`` from ``position``.

    None when there are fewer. Blocks of line feeds are counted at C speed, in place
    (halved near the one wanted), the last few found one by one: no Python step per
    line, and a few steps when few line feeds are wanted (a line in a known block).
    """
    size = _FEED_BLOCK
    while feeds > 0:
        if size > 256 and feeds > _FEW_FEEDS:
            stop = position + size
            found = data.count(b"\n", position, stop)
            if found >= feeds:
                size //= 2
            elif stop >= len(data):
                return None
            else:
                position, feeds = stop, feeds - found
            continue
        position = data.find(b"\n", position) + 1
        if position == 0:  # fewer line feeds than wanted
            return None
        feeds -= 1
    return position


@lru_cache(maxsize=256)
def _start_tag(qname: str) -> re.Pattern[bytes]:
    return re.compile(b"<" + re.escape(qname.encode()) + rb"(?=[\s/>])")


def tag_column(line: bytes, qname: str, encoding: str) -> int | None:
    """Return the 1-based column of the only ``<qname`` start tag in ``line``, or None."""
    if len(line) > MAX_LINE or b"<!" in line or b"<?" in line:
        return None
    if b"-->" in line or b"]]>" in line or b"?>" in line:
        return None  # the end of a comment, CDATA section or instruction begun above
    found = _start_tag(qname).finditer(line)
    first = next(found, None)
    if first is None or next(found, None) is not None:
        return None
    try:
        return len(line[: first.start()].decode(encoding)) + 1
    except (UnicodeDecodeError, LookupError):
        return None


def element_column(
    element: Any, lines: SourceLines | None, line_number: int | None = None
) -> int | None:
    """Return the column of ``element``'s start tag on its source line, or None.

    ``line_number`` is the element's line when known better than its ``sourceline``.
    """
    if line_number is None:
        line_number = getattr(element, "sourceline", None)
    if lines is None or lines.encoding is None or not line_number:
        return None
    tag = element.tag
    if not isinstance(tag, str):
        return None
    local = tag.rpartition("}")[2]
    prefix = element.prefix
    line = lines.line(line_number)
    if line is None:
        return None
    return tag_column(line, f"{prefix}:{local}" if prefix else local, lines.encoding)


#: Bytes :func:`_lines_at_least` counts the line feeds of at a time.
_COUNT_BLOCK = 1024 * 1024


def _lines_at_least(data: bytes, lines: int) -> bool:
    """Tell whether ``data`` holds at least ``lines`` lines (``lines - 1`` line feeds).

    Counted at ``memchr``'s speed a block at a time, only as far as needed.
    """
    from lgstandards.safexml import count_newlines

    wanted = lines - 1
    for begin in range(0, len(data), _COUNT_BLOCK):
        wanted -= count_newlines(data[begin : begin + _COUNT_BLOCK])
        if wanted <= 0:
            return True
    return wanted <= 0


def whole_document(
    issues: Iterator[Issue],
    tree: etree._ElementTree,
    data: bytes,
    *,
    prefixes: Mapping[str, str] | None = None,
    unlisted: Callable[[Issue], bool] | None = None,
    made: Mapping[str, etree._Element] | None = None,
) -> Iterator[Issue]:
    """Give the issues of a parsed document exact lines (see the module's text).

    Nothing is done for documents of fewer than :data:`EXACT_BELOW` lines, nor for a
    document without issues (its lines are not counted). ``prefixes``: the namespace
    prefixes of the issues' paths (default: the catalogue's); ``unlisted``: tells the
    issues the report will not list, passed on as they are. ``made``: paths made with
    ``prefixes`` (every step with a prefix) and their elements: such a path's element
    is taken from there, not found again from the root (which lists the siblings of
    each step once: all the records of a batch).
    """
    issues = iter(issues)
    first = next(issues, None)
    if first is None:
        return
    issues = chain((first,), issues)
    if not _lines_at_least(data, EXACT_BELOW):  # an upper bound in UTF-16/32
        yield from issues
        return
    from lgstandards.artefacts.kinds import prefixes as catalogue_prefixes

    root = tree.getroot()
    scanner: list[StartTags | None] = []
    ordinals = TreeOrdinals(root)
    by_name = TagLines(root, data)
    namespaces = dict(catalogue_prefixes() if prefixes is None else prefixes)
    resolver = PathResolver(root, namespaces)
    lines = DocumentLines(data)
    known: Mapping[str, etree._Element] = {}
    named = [prefix for prefix in namespaces.values() if prefix]
    if made and len(set(named)) == len(named):  # each prefix names one namespace
        known = made

    def element_of(issue: Issue) -> etree._Element | None:
        path = issue.path
        if path:
            found = known.get(path.partition("/@")[0])
            if found is not None and found.getroottree().getroot() is root:
                return found  # what resolving its path finds (each step is prefixed)
        return resolver.element(path)

    def line_of(element: etree._Element) -> int | None:
        found_line = by_name.line_of(element)
        if found_line is not None:
            return found_line
        if not scanner:
            scanner.append(document_scanner(data))
        found = scanner[0]
        ordinal = ordinals.ordinal(element) if found is not None else None
        return found.line_of(ordinal) if found is not None and ordinal is not None else None

    def column_of(element: etree._Element, line: int) -> int | None:
        return element_column(element, lines, line)

    yield from relocate(
        issues,
        element_of=element_of,
        line_of=line_of,
        column_of=column_of,
        unlisted=unlisted,
    )


__all__ = [
    "MAX_LINE",
    "DocumentLines",
    "SourceLines",
    "StreamLines",
    "element_column",
    "tag_column",
    "whole_document",
]
