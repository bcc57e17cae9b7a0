"""Exact source lines of elements, past libxml2's 65,535-line limit.

libxml2 keeps an element's line in 16 bits: from line 65,535 on, ``sourceline`` is a
guess (the line of the element's first text, or of a sibling). The n-th element of a
document in document order is the n-th start tag of its source text, so the line of
an element is found from its *ordinal* (its position in document order) by counting
start tags in the text: :class:`StartTags` counts them chunk by chunk (comments, CDATA
sections and processing instructions skipped) and finds the line of the n-th in the
chunks it still has. Whole-document mode gets ordinals from the tree
(:class:`TreeOrdinals`); streaming mode counts them as records pass.

Lines count line feeds, as libxml2 does (a lone carriage return is no line break).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import count, islice
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from lgstandards._regex import LazyPattern
from lgstandards.validation.paths import split_path, step_parts

if TYPE_CHECKING:
    from lxml import etree

    from lgstandards.report import Issue

#: Lines below this are exact in libxml2's trees (the 16-bit field holds them).
EXACT_BELOW = 65535

_TEXT, _COMMENT, _CDATA, _PI = range(4)

#: Markup that opens with ``<``: comment, CDATA section, instruction, end tag, other
#: declaration, or (the empty alternative) a start tag.
_OPENER_BYTES = LazyPattern(rb"<(!--|!\[CDATA\[|\?|/|!|)")
_OPENER_TEXT = LazyPattern(r"<(!--|!\[CDATA\[|\?|/|!|)")
#: A start tag's ``<`` where no comment, CDATA section or instruction follows: any ``<``
#: but an end tag's (a ``<`` that ends the text may be the start of an end tag).
_START_BYTES = LazyPattern(rb"<(?=[^/])")
_START_TEXT = LazyPattern(r"<(?=[^/])")
#: A whole start tag: ``>`` ends it, except inside a quoted attribute value.
_TAG_BYTES = LazyPattern(rb"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
_TAG_TEXT = LazyPattern(r"""<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""")
_MODES = {"!--": _COMMENT, "![CDATA[": _CDATA, "?": _PI}
_CLOSERS = {_COMMENT: "-->", _CDATA: "]]>", _PI: "?>"}
#: Characters skipped at a time, counting plain tags, when one start tag is looked for.
_SKIP_BLOCK = 2048
#: Characters between two marks of a chunk (see :class:`_Chunk`), where a start tag is
#: looked for in one pass.
_MARK_BLOCK = 8 * 1024
#: Bytes from which a text's plain tags are counted by the C library, where it was
#: built (:mod:`._tagcount`: 7 times the speed of Python's two counts); a smaller text,
#: a one-file run's, loads no ``ctypes``.
NATIVE_FROM = 16 * 1024
#: Openers that a chunk may cut short (their text is carried into the next chunk).
_PREFIXES = ("<!--", "<![CDATA[")
#: Characters of a chunk whose line feeds are counted together (see
#: :meth:`StartTags._newlines_before`), and the chunks whose counts are kept.
_LINE_BLOCK = 8 * 1024
_BLOCK_LINES_KEPT = 64


class _Chunk(NamedTuple):
    """A chunk of the text and the scanner's state where it begins."""

    before: int  # start tags before this chunk
    line: int  # line of the chunk's first character
    mode: int
    carry: Any  # text carried from the previous chunk (bytes or str)
    text: Any  # the chunk (bytes or str), or None: read it from the backing text
    start: int  # offset of the chunk in the whole text
    stop: int  # offset of its end
    after: int  # start tags up to the end of this chunk
    #: (offset in carry + text, start tags before it) at the start of each block of
    #: :data:`_MARK_BLOCK` characters from where only start and end tags follow
    marks: tuple[tuple[int, int], ...] = ()


class StartTags:
    """Count the start tags and lines of a text fed in chunks; locate the n-th start tag.

    ``text_type`` is ``bytes`` (an ASCII-compatible encoding) or ``str`` (decoded).
    Chunks are kept until :meth:`release` lets them go (the head, the chunks before
    the first :meth:`mark_head`, are always kept).
    """

    def __init__(self, text_type: type = bytes) -> None:
        # compiled when first scanned with (most runs never scan)
        self._opener: LazyPattern[Any] = _OPENER_TEXT if text_type is str else _OPENER_BYTES
        self._tag: LazyPattern[Any] = _TAG_TEXT if text_type is str else _TAG_BYTES
        self._start: LazyPattern[Any] = _START_TEXT if text_type is str else _START_BYTES
        self._empty: Any = text_type()
        self._lt: Any = "<" if text_type is str else b"<"
        self._nl: Any = "\n" if text_type is str else b"\n"
        self._markup: Any = ("<!", "<?") if text_type is str else (b"<!", b"<?")
        self._end_tag: Any = "</" if text_type is str else b"</"
        self._closers = {
            mode: (closer if text_type is str else closer.encode())
            for mode, closer in _CLOSERS.items()
        }
        self._prefixes = tuple(p if text_type is str else p.encode() for p in _PREFIXES)
        self.count = 0  # start tags so far
        self.line = 1  # line of the next character
        self.offset = 0  # length of the text so far
        self._mode = _TEXT
        self._carry: Any = self._empty
        self._chunks: list[_Chunk] = []
        self._head = -1  # chunks [0, _head] are kept to the end (-1: none)
        self._backing: Any = None
        #: per chunk (by its offset), the line feeds before each block of its text
        self._block_lines: dict[int, list[int]] = {}

    @classmethod
    def of_text(cls, text: bytes | str, *, block: int = 8 * 1024) -> StartTags:
        """Scan a whole text held in memory (its chunks are read from it when needed)."""
        scanner = cls(type(text))
        scanner._backing = text
        for start in range(0, len(text), block):
            scanner.feed(text[start : start + block], keep=False)
        return scanner

    # -- feeding ---------------------------------------------------------------------

    def feed(self, text: Any, *, keep: bool = True, newlines: int | None = None) -> None:
        """Take the next chunk of the text (``keep``: hold on to it for :meth:`line_of`).

        ``newlines``: the line feeds of ``text``, when the caller counted them already.
        """
        if not text:
            return
        before, line, mode, carry = self.count, self.line, self._mode, self._carry
        marks: list[tuple[int, int]] = []
        found, self._mode, self._carry, _ = self._walk(carry + text, mode, None, marks)
        self.count += found
        self.line += self._newlines(text) if newlines is None else newlines
        start, self.offset = self.offset, self.offset + len(text)
        chunk = _Chunk(
            before,
            line,
            mode,
            carry,
            text if keep else None,
            start,
            self.offset,
            self.count,
            tuple(marks),
        )
        self._chunks.append(chunk)

    def mark_head(self) -> None:
        """Keep the chunks fed so far to the end (the document's head)."""
        self._head = len(self._chunks) - 1

    def release(self, ordinal: int) -> None:
        """Forget chunks (after the head) whose start tags all come before ``ordinal``.

        The last chunk is always kept.
        """
        first = self._head + 1
        last = first
        while last < len(self._chunks) - 1 and self._chunks[last].after < ordinal:
            last += 1
        if last > first:
            del self._chunks[first:last]

    # -- locating --------------------------------------------------------------------

    def line_of(self, ordinal: int) -> int | None:
        """Return the line of the ``ordinal``-th start tag (1-based), if its chunk is kept.

        The line is the one the start tag ends on, as libxml2 gives it below 65,535 (the
        same line for a start tag written on one line).
        """
        if ordinal < 1 or ordinal > self.count:
            return None
        index = self._find(ordinal)
        if index is None:
            return None
        chunk = self._chunks[index]
        text = self._text(index)
        if text is None:
            return None
        combined = chunk.carry + text  # (the text itself when nothing is carried)
        offset = self._marked(combined, chunk.marks, ordinal - chunk.before)
        if offset is None:
            _, _, _, offset = self._walk(combined, chunk.mode, ordinal - chunk.before)
        if offset is None:  # pragma: no cover - the counts said it is in this chunk
            return None
        carried = len(chunk.carry)
        if offset < carried:  # the tag began at the end of the chunk before
            line = chunk.line - int(chunk.carry[offset:].count(self._nl))
        else:
            line = chunk.line + self._newlines_before(chunk, text, offset - carried)
        end = self._tag().match(combined, offset)  # (no copy of the chunk's rest)
        if end is not None:
            return line + int(combined.count(self._nl, offset, end.end()))
        tag = combined[offset:]
        following = index + 1
        while True:  # the line breaks inside the start tag, which runs into later chunks
            chunks = self._chunks
            more = None
            if following < len(chunks) and chunks[following].start == chunks[following - 1].stop:
                more = self._text(following)
            if more is None:
                return line + int(tag.count(self._nl))  # the rest is gone: a best guess
            tag += more
            following += 1
            found = self._tag().match(tag)
            if found is not None:
                return line + int(tag.count(self._nl, 0, found.end()))

    def _newlines_before(self, chunk: _Chunk, text: Any, offset: int) -> int:
        """Count the line feeds of ``text`` (``chunk``'s) before ``offset``.

        From the chunk's line counts at every :data:`_LINE_BLOCK` characters, counted
        as far as its questions reach: each question then counts within one block, not
        from the chunk's start (a chunk is a quarter of a megabyte when streaming), and
        a chunk asked once, early on, is not counted to its end.
        """
        counts = self._block_lines.get(chunk.start)
        if counts is None:
            if len(self._block_lines) >= _BLOCK_LINES_KEPT:
                self._block_lines.clear()
            counts = self._block_lines[chunk.start] = [0]
        # at most the last block (partial or whole) of the text
        block = min(offset // _LINE_BLOCK, max(0, len(text) - 1) // _LINE_BLOCK)
        while len(counts) <= block:
            start = (len(counts) - 1) * _LINE_BLOCK
            counts.append(counts[-1] + self._newlines(text[start : start + _LINE_BLOCK]))
        start = block * _LINE_BLOCK
        return counts[block] + self._newlines(text[start:offset])

    def _marked(self, text: Any, marks: tuple[tuple[int, int], ...], want: int) -> int | None:
        """Return the offset of the ``want``-th start tag of ``text`` from its marks, or None.

        From the last mark before it only start and end tags follow: the start tag is
        found there in one regular-expression pass over at most a block.
        """
        if not marks or marks[0][1] >= want:
            return None
        from bisect import bisect_left

        index = bisect_left(marks, want, key=_before) - 1  # the last mark before it
        position, before = marks[index]
        starts = self._start().finditer(text, position)
        found = next(islice(starts, want - before - 1, None), None)
        return None if found is None else found.start()

    def _newlines(self, text: Any) -> int:
        """Count the line feeds of ``text`` (bytes: at ``memchr`` speed)."""
        if isinstance(text, bytes):
            from lgstandards.safexml import count_newlines

            return count_newlines(text)
        return int(text.count(self._nl))

    def _text(self, index: int) -> Any:
        """Return the text of chunk ``index`` (from the backing text if not kept), or None."""
        chunk = self._chunks[index]
        if chunk.text is not None:
            return chunk.text
        if self._backing is None:
            return None
        return self._backing[chunk.start : chunk.stop]

    def _find(self, ordinal: int) -> int | None:
        chunks = self._chunks
        low, high = 0, len(chunks) - 1
        while low <= high:  # the chunk with before < ordinal <= after
            middle = (low + high) // 2
            chunk = chunks[middle]
            if chunk.after < ordinal:
                low = middle + 1
            elif chunk.before >= ordinal:
                high = middle - 1
            else:
                return middle
        return None

    # -- scanning --------------------------------------------------------------------

    def _skip_blocks(self, text: Any, position: int, count: int, want: int) -> tuple[int, int]:
        """Skip blocks of plain tags before the ``want``-th start tag: (position, count).

        Only start and end tags follow ``position`` (no comment, CDATA section or
        instruction), so a block's start tags are its ``<`` less its ``</``; a block
        never ends between the two characters of ``</``.
        """
        lt, end_tag, length = self._lt, self._end_tag, len(text)
        while True:
            stop = position + _SKIP_BLOCK
            if stop >= length:
                return position, count
            if text[stop - 1 : stop] == lt:
                stop += 1
            found = text.count(lt, position, stop) - text.count(end_tag, position, stop)
            if count + found >= want:
                return position, count
            position, count = stop, count + found

    def _mark_blocks(
        self, text: Any, position: int, count: int, marks: list[tuple[int, int]]
    ) -> tuple[int, int]:
        """Count the plain tags from ``position`` a block at a time, marking each block.

        Returns (position, count) at the last block, which is left to the caller. A
        block never ends between the two characters of ``</``.
        """
        lt, end_tag, length = self._lt, self._end_tag, len(text)
        while True:
            marks.append((position, count))
            stop = position + _MARK_BLOCK
            if stop >= length:
                return position, count
            while text[stop - 1 : stop] == lt:  # (one ``<`` in a well-formed text)
                stop += 1
            count += text.count(lt, position, stop) - text.count(end_tag, position, stop)
            position = stop

    def _walk(
        self, text: Any, mode: int, want: int | None, marks: list[tuple[int, int]] | None = None
    ) -> tuple[int, int, Any, int | None]:
        """Scan ``text`` from ``mode``: (start tags, final mode, carry, offset of the wanted).

        ``want`` is the 1-based number of the start tag whose offset is wanted. Where only
        start and end tags follow, ``marks`` gets a mark at each block (see :class:`_Chunk`).
        """
        position = 0
        count = 0
        length = len(text)
        opener = self._opener()
        # where the next "<!" and "<?" are (-2: not looked for yet, -1: none from here)
        nexts = [-2, -2]
        while position < length:
            if mode != _TEXT:
                closer = self._closers[mode]
                end = text.find(closer, position)
                if end < 0:
                    keep = len(closer) - 1
                    return count, mode, text[max(position, length - keep) :], None
                position, mode = end + len(closer), _TEXT
                continue
            for index, marker in enumerate(self._markup):
                if nexts[index] != -1 and nexts[index] < position:
                    nexts[index] = _find_pair(text, marker, position)
            if want is not None and nexts[0] == nexts[1] == -1:
                # only start and end tags from here: skip whole blocks at C speed, then
                # find the wanted start tag among the rest in one regular-expression pass
                position, count = self._skip_blocks(text, position, count, want)
                starts = self._start().finditer(text, position)
                found = next(islice(starts, want - count - 1, None), None)
                if found is None:  # not in this text: count what there is
                    count += text.count(self._lt, position) - text.count(self._end_tag, position)
                    if text.endswith(self._lt):
                        return count - 1, _TEXT, self._lt, None
                    return count, _TEXT, self._empty, None
                return want, _TEXT, self._empty, found.start()
            if want is None and nexts[0] == nexts[1] == -1:
                # only start and end tags from here: count them at C speed
                counted = (
                    _marked_in_c(text, position, count, marks)
                    if marks is not None and length >= NATIVE_FROM and isinstance(text, bytes)
                    else None
                )
                if counted is not None:
                    count = counted
                else:
                    if marks is not None:
                        position, count = self._mark_blocks(text, position, count, marks)
                    count += text.count(self._lt, position) - text.count(self._end_tag, position)
                if text.endswith(self._lt):  # "<" then "/" may be cut apart
                    return count - 1, _TEXT, self._lt, None
                return count, _TEXT, self._empty, None
            found = opener.search(text, position)
            if found is None:
                return count, _TEXT, self._empty, None
            start = found.start()
            rest = text[start : start + 9]
            if length - start < 9 and any(p.startswith(rest) and p != rest for p in self._prefixes):
                return count, _TEXT, text[start:], None  # an opener cut short
            kind = found.group(1)
            if not kind:
                if start + 1 >= length:
                    return count, _TEXT, text[start:], None
                count += 1
                if want is not None and count == want:
                    return count, _TEXT, self._empty, start
                position = found.end()
                continue
            name = kind if isinstance(kind, str) else kind.decode("ascii")
            mode = _MODES.get(name, _TEXT)
            position = found.end()
        return count, mode, self._empty, None


#: Second characters of a pair not preceded by ``<`` after which the pair is looked for
#: whole (a text dense in them).
_PAIR_MISSES = 16


def _marked_in_c(
    text: bytes, position: int, count: int, marks: list[tuple[int, int]]
) -> int | None:
    """:meth:`StartTags._mark_blocks` and the count after it in C; None without the library."""
    from lgstandards.validation._tagcount import mark_starts

    return mark_starts(text, position, count, _MARK_BLOCK, marks)


def _find_pair(text: Any, pair: Any, position: int) -> int:
    """Return ``text.find(pair, position)`` for a two-character ``pair`` such as ``<!``.

    Its second character is rare in XML and found at ``memchr`` speed (one that is not
    preceded by ``<`` is skipped); a two-character search compares every character.
    """
    first, second = pair[:1], pair[1:]
    found = position  # the pair begins at or after ``found - 1 + 1``
    for _ in range(_PAIR_MISSES):
        found = text.find(second, found + 1)
        if found < 0:
            return -1
        if text[found - 1 : found] == first:
            return int(found) - 1
    return int(text.find(pair, found))


def exact_line(element: etree._Element) -> int | None:
    """Return the line of ``element``'s start tag when its text proves it, else None.

    When an element's first child is text on one line, libxml2 gives that text's line
    (exact at any size): the text starts right after the start tag's ``>``, on the line
    the start tag ends on. No source text is scanned.
    """
    text = element.text
    if not text or "\n" in text:
        return None
    line = element.sourceline
    return line if line else None


def ordinal_in(element: etree._Element, root: etree._Element) -> int | None:
    """Return the 1-based position of ``element`` among the elements of ``root``'s subtree."""
    from lxml import etree

    for number, candidate in enumerate(root.iter(etree.Element), 1):
        if candidate is element:
            return number
    return None


def subtree_size(element: etree._Element) -> int:
    """Return the number of elements in ``element``'s subtree (itself included)."""
    from lxml import etree

    return len(list(element.iter(etree.Element)))


class TreeOrdinals:
    """Ordinals of the elements of an unchanging tree, counted once per parent asked about."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        #: parent -> ({child: index}, [elements before child i in the parent's subtree])
        self._parents: dict[etree._Element, tuple[dict[etree._Element, int], list[int]]] = {}

    def ordinal(self, element: etree._Element) -> int | None:
        """Return the 1-based position of ``element`` in document order."""
        chain = [element, *element.iterancestors()]
        if chain[-1] is not self.root:
            return None
        total = 1
        for parent, child in zip(reversed(chain), reversed(chain[:-1]), strict=False):
            index, before = self._children(parent)
            position = index.get(child)
            if position is None:
                return None
            total += 1 + before[position]
        return total

    def _children(self, parent: etree._Element) -> tuple[dict[etree._Element, int], list[int]]:
        from lxml import etree

        known = self._parents.get(parent)
        if known is None:
            index: dict[etree._Element, int] = {}
            before: list[int] = []
            total = 0
            element = etree.Element
            for position, child in enumerate(parent.iterchildren(element)):
                index[child] = position
                before.append(total)
                total += len(list(child.iter(element)))
            known = self._parents[parent] = (index, before)
        return known


_prefix = attrgetter("prefix")
_before = itemgetter(1)
_match_start = re.Match.start


#: Start tags of one name between two whose lines :class:`TagLines` counts once. An
#: issue's line is counted on from the last such tag before it: for a name found once
#: per record, 8 records on average (3.5 KB of an e-Pay batch), where 256 made it 56 KB.
CHECKPOINT = 16


class TagLines:
    """Lines of a whole document's elements, from the start tags of their qualified names.

    In a text in an ASCII-compatible encoding, every element named ``prefix:local`` has
    a ``<prefix:local`` start tag; the same bytes elsewhere (a comment, a CDATA section,
    an instruction, or the name bound to another namespace) are more occurrences than
    elements. So when there are exactly as many occurrences as elements with that tag
    and prefix, the k-th element in document order has the k-th occurrence. Each name is
    indexed once, when first asked about (one tag-filtered walk of the tree, one search
    of the text): an element's line then costs the same whatever the document's size.
    :meth:`line_of` returns None where this cannot tell (the caller then counts
    ordinals, :class:`TreeOrdinals`).
    """

    def __init__(self, root: etree._Element, data: bytes) -> None:
        from lgstandards.safexml import ascii_encoding

        self.root = root
        self.data = data
        self.usable = ascii_encoding(data) is not None
        #: (tag, prefix) -> ({element: index}, [offset of each start tag], [line of every
        #: CHECKPOINT-th], counted when first needed)
        self._names: dict[
            tuple[str, str | None],
            tuple[dict[etree._Element, int], list[int], list[int]] | None,
        ] = {}

    def line_of(self, element: etree._Element) -> int | None:
        """Return the line ``element``'s start tag ends on, or None (not known this way)."""
        tag = element.tag
        if not self.usable or not isinstance(tag, str):
            return None
        key = (tag, element.prefix)
        if key not in self._names:
            self._names[key] = self._index(tag, element.prefix)
        known = self._names[key]
        if known is None:
            return None
        index, offsets, checkpoints = known
        position = index.get(element)
        if position is None:
            return None
        data = self.data
        if not checkpoints:  # the lines of every CHECKPOINT-th tag: one pass over the text
            line, previous = 1, 0
            for offset in offsets[::CHECKPOINT]:
                line += data.count(b"\n", previous, offset)
                checkpoints.append(line)
                previous = offset
        block = position // CHECKPOINT
        offset = offsets[position]
        line = checkpoints[block] + data.count(b"\n", offsets[block * CHECKPOINT], offset)
        end = _TAG_BYTES().match(data, offset)
        return line + (data.count(b"\n", offset, end.end()) if end is not None else 0)

    def _index(
        self, tag: str, prefix: str | None
    ) -> tuple[dict[etree._Element, int], list[int], list[int]] | None:
        local = tag.rpartition("}")[2]
        qname = f"{prefix}:{local}" if prefix else local
        if not qname.isascii():
            return None
        # each step at C speed: no Python step per element or start tag
        elements = list(self.root.iter(tag))
        if set(map(_prefix, elements)) != {prefix}:  # another prefix bound to the namespace
            elements = [e for e in elements if e.prefix == prefix]
        pattern = re.compile(b"<" + re.escape(qname.encode("ascii")) + rb"(?=[\s/>])")
        offsets = list(map(_match_start, pattern.finditer(self.data)))
        if len(offsets) != len(elements):
            return None
        return dict(zip(elements, count())), offsets, []


class PathResolver:
    """Find the element an issue path names (the paths of :class:`.paths.PathMaker`)."""

    def __init__(
        self,
        root: etree._Element,
        prefixes: dict[str, str],
        *,
        record_tag: str | None = None,
        records: Callable[[int], etree._Element | None] | None = None,
        stable: bool = True,
    ) -> None:
        self.root = root
        self.namespaces = {prefix: uri for uri, prefix in prefixes.items() if prefix}
        self.record_tag = record_tag
        self.records = records
        #: The tree does not change: same-name siblings are listed once per parent.
        self.stable = stable
        self._groups: dict[tuple[etree._Element, str], list[etree._Element]] = {}

    def element(self, path: str | None) -> etree._Element | None:
        """Return the element of ``path`` (an attribute path gives its element), or None."""
        if not path or not path.startswith("/"):
            return None
        current: etree._Element | None = None
        records = self.records  # a record-named element inside a record is not a record
        for step in split_path(path):
            if step.startswith("@"):
                break
            name, position = step_parts(step)
            tag = self._clark(name)
            if current is None:
                if not self._matches(self.root, tag):
                    return None
                current = self.root
                continue
            if tag == self.record_tag and records is not None:
                current, records = records(position), None
            else:
                group = self._group(current, tag)
                current = group[position - 1] if 0 < position <= len(group) else None
            if current is None:
                return None
        return current

    def _clark(self, name: str) -> str:
        if name.startswith("Q{"):  # an element in a namespace without a prefix
            return name[1:]
        prefix, _, local = name.rpartition(":")
        if prefix:
            uri = self.namespaces.get(prefix)
            return f"{{{uri}}}{local}" if uri is not None else name
        return local

    @staticmethod
    def _matches(element: etree._Element, tag: str) -> bool:
        return bool(element.tag == tag)

    def _group(self, parent: etree._Element, tag: str) -> list[etree._Element]:
        key = (parent, tag)
        group = self._groups.get(key)
        if group is None:  # a bare name: no namespace (see paths.PathMaker.name)
            group = list(parent.iterchildren(tag))
            if self.stable:
                self._groups[key] = group
        return group


def relocate(
    issues: Iterator[Issue],
    *,
    element_of: Callable[[Issue], etree._Element | None],
    line_of: Callable[[etree._Element], int | None],
    column_of: Callable[[etree._Element, int], int | None] | None = None,
    unlisted: Callable[[Issue], bool] | None = None,
) -> Iterator[Issue]:
    """Give each issue that names an element the exact line of that element's start tag.

    Where libxml2's line is below 65,535 and so is the element's, libxml2's is kept (an
    error in an element's text is on the text's line). An XSD issue's column is found
    again on the new line (``column_of``). An issue that ``unlisted`` says the report
    will not list is passed on as it is (its line changes nothing).
    """
    for issue in issues:
        if not issue.path or (unlisted is not None and unlisted(issue)):
            yield issue
            continue
        element = element_of(issue)
        line = None
        if element is not None:
            line = exact_line(element)
            if line is None:
                line = line_of(element)
        if element is None or line is None or line == issue.line:
            yield issue
            continue
        if issue.line is not None and max(issue.line, line) < EXACT_BELOW:
            yield issue  # libxml2's own line, exact (it may be a text's line inside)
            continue
        column = None
        if column_of is not None and issue.code.startswith("xsd."):
            column = column_of(element, line)
        yield replace(issue, line=line, column=column)


def document_scanner(data: bytes) -> StartTags | None:
    """Return a :class:`StartTags` of a whole document, or None if it cannot be decoded."""
    from lgstandards.safexml import ascii_encoding, document_text

    if ascii_encoding(data) is not None:
        return StartTags.of_text(data)
    text = document_text(data)
    return StartTags.of_text(text) if text is not None else None


__all__ = [
    "EXACT_BELOW",
    "PathResolver",
    "StartTags",
    "TagLines",
    "TreeOrdinals",
    "document_scanner",
    "exact_line",
    "ordinal_in",
    "relocate",
    "subtree_size",
]
