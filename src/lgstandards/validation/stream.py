"""Streaming validation of batch files (reconciliation batches, bulk claims) in constant memory.

The document is parsed with ``lxml.etree.iterparse`` (same safe settings as the
whole-document parser), reporting only the batch's record elements. Its codes are
cross-checked with the vocabulary as each record arrives; records are then gathered in
"chunks" of up to :data:`CHUNK` (fewer when their bytes span :data:`CHUNK_PIECES`
pieces). The parser does not validate: each chunk's records are validated with one
schema call (:mod:`.recordscreen`), and those the errors name are validated again on
their own against the per-record schema, which gives the issues. The chunk's records
are moved into a small "chunk" document (the root, copies of the elements before the
records) on which the business rules run; the chunk is then dropped. With a helper
thread, the schema call on a chunk runs there after its rules, while the next records
are parsed, and the chunk is dropped before the next one runs.
The first and last records stay in the tree so that the remaining "skeleton" (root,
header, trailer) is checked at the end against the full schema and the rules, with the
errors inside kept records left out (they were reported per record). Batch totals are
computed incrementally by :mod:`.aggregates`.

The issues equal whole-document mode's for the shipped kinds; rules that compare a
record with records of *other* chunks (uniqueness across the batch) only see their own
chunk, which is documented for each such rule.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from copy import deepcopy
from dataclasses import dataclass, field
from itertools import accumulate, chain, islice, repeat
from operator import add as _plus
from operator import is_, methodcaller
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from lgstandards._threads import helper_pool
from lgstandards.artefacts.kinds import KindSpec
from lgstandards.artefacts.schemas import code_fields, record_schema, schema_for
from lgstandards.report import Issue
from lgstandards.safexml import (
    DEFAULT_LIMITS,
    FEED_BYTES,
    EndWatch,
    Limits,
    LogEntryError,
    XMLInputError,
    ascii_compatible,
    check_doctype,
    check_shape,
    first_parser_error,
    pull_parser,
    syntax_error,
    tail_after,
)
from lgstandards.validation import layers
from lgstandards.validation.columns import StreamLines, element_column, whole_document
from lgstandards.validation.core import CheckTree, Options, State, input_issue, is_within
from lgstandards.validation.paths import PathMaker
from lgstandards.validation.starttags import (
    EXACT_BELOW,
    PathResolver,
    StartTags,
    exact_line,
    ordinal_in,
    relocate,
    subtree_size,
)
from lgstandards.validation.xsd import validate_element

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from lxml import etree

    from lgstandards.validation.input import Document

_parent = methodcaller("getparent")
_previous = methodcaller("getprevious")
_NONE_FAILED: frozenset[str] = frozenset()

#: Records per chunk document on which the business rules run.
CHUNK = 512

#: Pieces (:data:`FEED_BYTES`) read since a chunk's first record after which it is run
#: anyway, while the source lines of its records are still kept for the columns (see
#: :attr:`StreamLines.RECENT <lgstandards.validation.columns.StreamLines.RECENT>`).
CHUNK_PIECES = 2

#: Pieces read since a screened chunk began (see :func:`_land`) after which it lands
#: anyway: one more than :data:`CHUNK_PIECES`, so that the next piece is parsed while
#: the chunk is screened (``StreamLines.RECENT`` keeps one piece more for it).
FLIGHT_PIECES = CHUNK_PIECES + 1


@dataclass
class _Batch:
    """The state of one streamed document."""

    spec: KindSpec
    options: Options
    name: str | None
    paths: PathMaker
    root: Any = None
    count: int = 0
    first: Any = None
    previous: Any = None
    chunk: list[Any] = field(default_factory=list)
    as_of: Any = None
    fields: dict[str, str] = field(default_factory=dict)
    aggregates: list[Any] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    dropped: int = 0
    #: Records have had more than one parent (the drop must then look at each child).
    mixed_parents: bool = False
    #: The namespace declarations read so far (see :func:`_declared_within`).
    declarations: Any = None
    #: The schema-location hints read so far (see :func:`_hinted`), and the root's own.
    hints: Any = None
    own_hints: int = 0
    #: The source lines still at hand (for columns).
    lines: _PinnedLines | None = None
    #: Lists whose version notice was given (once per document).
    noticed: set[str] = field(default_factory=set)
    #: Exact lines for the issues (see :class:`_Locator`).
    locator: Any = None
    #: The chunk document's root and records' container (see :func:`_chunk_document`).
    shell: tuple[Any, Any] | None = None
    #: (parent, tag) of the elements between records kept in the tree, one of each.
    kept_between: set[tuple[Any, str]] = field(default_factory=set)
    #: (parent, tag) -> position of the last element between records with that name.
    between_positions: dict[tuple[Any, str], int] = field(default_factory=dict)
    #: (rule code, its stream screen) of the Python rules that have one: fed the bytes.
    screens: list[tuple[str, Any]] = field(default_factory=list)
    #: The per-record schema (None: no schema check).
    record_xsd: Any = None
    #: Checks each chunk's records with one validation (see :mod:`.recordscreen`); None:
    #: the parser validates and each record is checked as it arrives.
    record_screen: Any = None
    #: Codes issues of records whose schema check waits for their chunk (see _held).
    held: dict[Any, list[Issue]] = field(default_factory=dict)
    #: Copies of the first and last records in a chunk (checked in the tree instead).
    copies: set[Any] = field(default_factory=set)
    #: Records besides the first and last that stay in the tree for the skeleton's check
    #: (see :func:`_pin`); a copy of each goes to the rules with its chunk.
    pinned: list[Any] = field(default_factory=list)
    #: The source's pieces read when the chunk got its first element.
    chunk_since: int = 0
    #: The record source (its count of pieces read bounds a chunk's bytes).
    source: Any = None
    #: The piece at which the newest record (``previous``) arrived.
    previous_piece: int = 0
    #: Records checked against the schema before their chunk (see :func:`_on_piece`).
    done: set[Any] = field(default_factory=set)
    #: Issues found between two records (see :func:`_on_piece`), yielded next.
    early: list[Issue] = field(default_factory=list)
    #: Records not yet given to the aggregates that take them by chunk (``records``).
    arrived: list[Any] = field(default_factory=list)
    #: The elements of ``chunk`` that are not records (between records), in order.
    others: list[Any] = field(default_factory=list)
    #: The chunk whose rules ran and whose records are screened meanwhile (see _land).
    flight: _Flight | None = None


class _Flight(NamedTuple):
    """A chunk screened in the pool's thread, uncopied, while the next records are read.

    Its rules ran; its records wait, wrapped in the chunk document, for the screen's
    answer (:func:`_land`). Until then nothing here touches that document.
    """

    records: list[Any]
    answer: Callable[[], list[Any]]
    #: The source's pieces read when the chunk began (its lines are kept for so long).
    since: int
    #: Its records' ordinals, noted as they left the locator's reach (see _Passed).
    passed: _Passed | None


class _Passed(NamedTuple):
    """The ordinals of a chunk's records passed over in the locator's run, compactly.

    Kept, not counted into the locator's maps, until the chunk lands: only a chunk
    with suspects needs them, and then only its suspects' (:meth:`_Locator.landing`).
    """

    #: The records passed over, each right after the one before.
    records: list[Any]
    #: The first one's ordinal and its index among the records.
    ordinal: int
    number: int
    #: Each one's size (its elements).
    sizes: list[int]
    #: The chunk's records counted before (the first, if it was), forgotten as it lands.
    counted: list[Any]


def iter_stream(
    document: Document,
    spec: KindSpec,
    options: Options,
    *,
    state: State | None = None,
    check_tree: CheckTree,
) -> Iterator[Issue]:
    """Validate a batch document of kind ``spec`` (one with a record element) by streaming.

    ``document`` is read once, from its start; ``check_tree`` runs the whole-document
    checks when the batch has no record (it is then small).
    """
    name = document.name
    try:
        document.check_prolog()
        stream = document.stream()
    except XMLInputError as exc:
        yield input_issue(exc, name)
        return
    pool = helper_pool()
    opened: list[_Batch] = []
    try:
        yield from _iter_open(
            document,
            stream,
            spec,
            options,
            state=state,
            check_tree=check_tree,
            pool=pool,
            opened=opened,
        )
    except XMLInputError as exc:
        yield input_issue(exc, name)
    finally:
        for batch in opened:  # left early (closed, or an error): no screen outlives it
            _ground(batch)
        stream.close()


def _schema_here(spec: KindSpec) -> Callable[[], etree.XMLSchema]:
    """Return what gives the calling thread its chunk schema for ``spec`` (made once there)."""
    from lgstandards.artefacts.schemas import chunk_schema

    def here() -> etree.XMLSchema:
        found = chunk_schema(spec.schema_file, spec.namespace, spec.record)
        assert found is not None  # (as in the thread that made the screen)
        return found[0]

    return here


def _iter_open(
    document: Document,
    stream: IO[bytes],
    spec: KindSpec,
    options: Options,
    *,
    state: State | None,
    check_tree: CheckTree,
    pool: Executor | None = None,
    opened: list[_Batch] | None = None,
) -> Iterator[Issue]:
    name = document.name
    limits: Limits = options.limits or DEFAULT_LIMITS
    if state is not None:
        state.kind = spec.kind
    paths = PathMaker(options.profile.prefixes, spec.record_tag, stable=False)
    batch = _Batch(spec, options, name, paths)
    if opened is not None:
        opened.append(batch)
    if "vocab" in options.checks and spec.schema_file is not None:
        batch.fields = code_fields(spec.schema_file)
    from lgstandards.validation.aggregates import aggregates_for

    batch.aggregates = aggregates_for(spec) if "rules" in options.checks else []
    if "rules" in options.checks and spec.python_rules:
        from lgstandards.rules import rules_for

        batch.screens = [
            (r.code, r.stream_screen()) for r in rules_for(spec.kind) if r.stream_screen
        ]
    record_xsd = None
    if "xsd" in options.checks and spec.schema_file is not None and spec.record:
        try:
            record_xsd = record_schema(spec.schema_file, spec.namespace, spec.record)
        except Exception as exc:
            yield layers.failure("XSD", exc, source=name)
            return
    full_xsd = None
    if record_xsd is not None:
        try:
            full_xsd = schema_for(spec)
        except Exception as exc:
            yield layers.failure("XSD", exc, source=name)
            return
    batch.record_xsd = record_xsd
    screen_schema = None
    if record_xsd is not None and spec.schema_file is not None and spec.record:
        from lgstandards.artefacts.schemas import chunk_schema

        screen_schema = chunk_schema(spec.schema_file, spec.namespace, spec.record)
    # schema-location hints (xsi:schemaLocation, xsi:noNamespaceSchemaLocation), and
    # namespace declarations (see _declared_within)
    batch.hints = _Occurrences(b"chemaLocation", ord("h"), document.head)
    batch.declarations = _Occurrences(b"xmlns", ord("x"), document.head)
    found = document.root
    actual_root = None
    if found is not None:
        actual_root = f"{{{found[0]}}}{found[1]}" if found[0] else found[1]
    source = _RecordSource(
        stream,
        spec,
        full_xsd if screen_schema is None else None,  # else: each chunk is screened
        limits,
        name,
        reread=document.reread,
        root_tag=actual_root,
        head=document.head[:16],
        watchers=[batch.hints, batch.declarations, *(s for _, s in batch.screens)],
    )
    batch.lines = _PinnedLines(source.lines)
    batch.source = source
    source.on_piece = lambda: _on_piece(batch)
    batch.locator = _Locator(batch, source.lines)
    locator = batch.locator
    record_tag = spec.record_tag
    walk = limits.walk
    record_index = batch.paths.record_index
    rules = "rules" in options.checks
    parent_seen: Any = None  # the parent of the last record, known not to be a record
    # aggregates that see each record as it arrives, and those given them by chunk
    each_record = [
        a.record
        for a in batch.aggregates
        if not hasattr(a, "records") and getattr(a, "reads_records", True)
    ]
    arrived = batch.arrived if any(hasattr(a, "records") for a in batch.aggregates) else None
    # Records that need nothing of their own (see _plain_run) are taken a run at a time.
    runs = not walk and not batch.fields
    for elements, parents, suspects in source.batches():
        position, total = 0, len(elements)
        while position < total:
            if (
                runs
                and suspects is None
                and not _hinted(batch)
                and parent_seen is not None
                and batch.previous is not None
                and not batch.early
                and (rules or batch.record_screen is not None)
            ):
                length = _plain_run(elements, parents, position, parent_seen, batch.previous)
                if length:
                    run = elements[position : position + length]
                    position += length
                    yield from _take_run(batch, run, each_record, arrived)
                    continue
            record, parent = elements[position], parents[position]
            suspect = suspects[position] if suspects is not None else False
            position += 1
            if parent is not parent_seen:
                if _nested_record(record, record_tag):
                    continue
                batch.mixed_parents = parent_seen is not None
                parent_seen = parent
            if batch.root is None:
                yield from _begin(batch, record)
                if screen_schema is not None:
                    from lgstandards.validation.recordscreen import RecordScreen

                    nsmap = parent.nsmap if parent is not None else {}
                    batch.record_screen = RecordScreen(
                        screen_schema[0],
                        screen_schema[1],
                        nsmap,
                        pool=pool,
                        schema_here=_schema_here(spec),
                    )
            previous = batch.previous
            prior = record.getprevious()
            between = None
            if previous is not None and prior is not previous:
                between = _siblings_between(previous, record)
            batch.count += 1
            record_index[record] = batch.count
            locator.record_seen(record, batch.count, previous, prior)
            if walk:
                check_shape(record, limits, name, depth=_depth(record))
            if _hinted(batch):
                yield from layers.all_schema_locations(record, source=name)
            # With a screen, records are checked with their chunk (the first one now).
            deferred = batch.record_screen is not None and batch.count > 1
            failed: set[str] | frozenset[str] = _NONE_FAILED
            if record_xsd is not None and not deferred and (suspect or batch.record_screen):
                failed = set()
                for issue in locator.relocate(
                    validate_element(
                        record_xsd,
                        record,
                        context=record,
                        paths=batch.paths,
                        source=name,
                        lines=source.lines,
                    )
                ):
                    failed.add(issue.path or "")
                    yield issue
            if batch.fields:
                found = locator.relocate(_vocab_issues(batch, record))
                if deferred:
                    held = list(found)
                    if held:
                        batch.held[record] = held
                else:
                    yield from (i for i in found if i.path not in failed)
            for add in each_record:
                add(record)
            if arrived is not None:
                arrived.append(record)
            if _advance(batch, record, rules):
                yield from _run_chunk(batch)
            batch.previous_piece = source.pieces
            if batch.early:
                yield from batch.early
                batch.early.clear()
            if between:
                yield from _between_records(batch, between, record, rules)
    if batch.root is None:
        # No records: the parsed document is small; check it as a whole.
        if source.root is not None:
            tree = source.root.getroottree()
            whole = source.lines.whole()
            found_issues = check_tree(tree, batch.options, name=name, hint=whole)
            if whole is None:
                yield from found_issues
            else:
                prefixes = options.profile.prefixes
                yield from whole_document(found_issues, tree, whole, prefixes=prefixes)
        return
    yield from _finish(batch)


class _RecordSource:
    """Yield (record, its parent, suspect) while parsing, validating the whole document as it goes.

    libxml2 validates during the parse; a record is *suspect* (validated again on its
    own, for exact locations) only when errors were reported while its bytes were parsed.
    """

    def __init__(
        self,
        stream: IO[bytes],
        spec: KindSpec,
        schema: Any,
        limits: Limits,
        name: str | None,
        *,
        reread: Callable[[], IO[bytes] | None] | None = None,
        root_tag: str | None = None,
        head: bytes | None = None,
        watchers: list[Any] | None = None,
    ) -> None:
        self.root_tag = root_tag or spec.root_tag
        #: Fed every piece of the document as it is read (the rules' stream screens).
        self.watchers = watchers or []
        #: The document's first bytes, for the encoding the feed parser is told.
        self.head = head
        self.reread = reread
        self.complete = False
        self.stream = stream
        self.spec = spec
        self.schema = schema
        self.limits = limits
        self.name = name
        self.root: Any = None
        #: The source lines still at hand, for the columns of schema errors.
        self.lines = StreamLines()
        self.lines.read_ahead = self._read_ahead
        #: Pieces read ahead of the parser (their lines fed), in order.
        self._ahead: deque[bytes] = deque()
        #: The piece being taken whose lines are not fed yet (see :meth:`_read_ahead`).
        self._unfed: bytes | None = None
        self._read_all = False  # the document's end was read
        #: Pieces of the document read so far.
        self.pieces = 0
        #: Called when a piece has been read, before anything is fed it.
        self.on_piece: Callable[[], None] | None = None

    def __iter__(self) -> Iterator[tuple[Any, Any, bool]]:
        for elements, parents, suspects in self.batches():
            yield from zip(elements, parents, suspects or repeat(False), strict=False)

    def batches(self) -> Iterator[tuple[list[Any], list[Any], list[bool] | None]]:
        """Yield (elements, their parents, suspects) as :meth:`__iter__` would give them.

        A piece whose elements need no check here (the document's start, the root's
        end, XInclude, a validating parser's errors) comes as one batch, its elements
        in document order and none suspect (``suspects`` None); the others come one
        element at a time, as before.
        """
        from lxml import etree

        from lgstandards.safexml import XINCLUDE_NS, found_across, may_hold_xinclude

        parser = pull_parser(
            self.limits,
            tag=[self.spec.record_tag or "", self.root_tag, f"{{{XINCLUDE_NS}}}*"],
            schema=self.schema,
            head=self.head,
        )
        checked = False
        watch = EndWatch()
        carry = False
        lines = self.lines
        # Until the bytes show the XInclude namespace or a character reference (which
        # could spell it), no event can be an XInclude element: tags need no check.
        maybe_xinclude = False
        tail = b""
        # A validating parser keeps namespace errors out of its log (an undeclared prefix,
        # a namespace name that is not a URI): a second parser, building nothing, sees them.
        names = (
            pull_parser(self.limits, events=(), head=self.head, target=_NoTree())
            if self.schema is not None
            else None
        )
        while True:
            if self._ahead:  # its lines were fed when it was read
                chunk = self._ahead.popleft()
            else:
                chunk = self._unfed = self._read()
            self.pieces += 1
            if self.on_piece is not None:
                self.on_piece()
            if self._unfed is not None:
                self._unfed = None
                lines.feed(chunk)
            for watcher in self.watchers:
                watcher.feed(chunk)
            if not maybe_xinclude:
                maybe_xinclude = found_across(may_hold_xinclude, tail, chunk, len(XINCLUDE_NS))
                tail = tail_after(tail, chunk, len(XINCLUDE_NS))
            before = len(parser.feed_error_log)  # the parser's own log
            try:
                if chunk:
                    parser.feed(chunk)
                else:
                    watch.close(parser)
                    self.root = parser.close()
            except etree.XMLSyntaxError as exc:
                entry = first_parser_error(parser.feed_error_log)
                if chunk or entry is not None:
                    raise self._syntax(exc, entry, truncated=watch.truncated) from exc
                # Otherwise the document is only invalid: its events are read below, and
                # a root element never closed is reported as truncated after them.
            else:
                entry = first_parser_error(parser.feed_error_log, before) if chunk else None
                if entry is not None:  # the parser met an error and stopped: no more events
                    raise self._syntax(LogEntryError(entry), entry, truncated=False)
            if names is not None and chunk:
                _check_names(names, chunk, name=self.name)
            dirty = self.schema is not None and len(parser.feed_error_log) > before
            elements = [element for _, element in parser.read_events()]
            if checked and not maybe_xinclude and not (dirty or carry) and self.root is not None:
                parents = list(map(_parent, elements))
                if None not in parents:  # no root's end: every element is a record's
                    if elements:
                        yield elements, parents, None
                    elements = []
            for element in elements:
                if not checked:
                    check_doctype(element.getroottree(), name=self.name)
                    checked = True
                parent = element.getparent()
                if parent is None and watch.seen(element):  # the root's end
                    self.complete = watch.root_ended
                    self.root = element
                    continue
                if maybe_xinclude and str(element.tag).startswith(f"{{{XINCLUDE_NS}}}"):
                    raise XMLInputError(
                        "xml.xinclude-forbidden",
                        "XInclude is not allowed in documents; nothing was included",
                        source=self.name,
                        line=element.sourceline,
                    )
                if self.root is None:
                    self.root = element.getroottree().getroot()
                    lines.body_begins()
                yield [element], [parent], [dirty or carry]
                carry = False
            if dirty:
                carry = True
            if not chunk:
                if not self.complete:
                    raise XMLInputError(
                        "xml.truncated",
                        "the document is truncated: the root element is never closed",
                        source=self.name,
                    )
                if names is not None:
                    _check_names(names, b"", name=self.name)
                return

    def _read_ahead(self) -> bool:
        """Feed the lines of the next piece, reading it ahead of the parser if need be.

        The piece being taken comes first, if its lines are not fed yet. False when
        every piece's lines were fed (the document's end was read).
        """
        if self._unfed is not None:
            piece, self._unfed = self._unfed, None
        elif self._read_all:
            return False
        else:
            piece = self._read()
            self._ahead.append(piece)
        self.lines.feed(piece)
        return True

    def _read(self) -> bytes:
        piece = self.stream.read(FEED_BYTES)
        self._read_all = not piece
        return piece

    def _syntax(self, exc: Exception, entry: Any, *, truncated: bool) -> XMLInputError:
        from lgstandards.safexml import iterparse_xml

        again = self.reread() if entry is None and self.schema is not None and self.reread else None
        if again is not None:
            # libxml2's validating parser hides the syntax error: find it without the schema
            # (reading the document again from its start, never opening it again).
            try:
                for _ in iterparse_xml(again, tag="-", limits=self.limits, name=self.name):
                    pass
            except XMLInputError as found:
                return found
        if entry is None:  # the validating parser gave only a validity message
            if truncated:
                return XMLInputError(
                    "xml.truncated",
                    "the document is truncated: the root element is never closed",
                    source=self.name,
                )
            return XMLInputError(
                "xml.not-well-formed",
                "the document is not well-formed (found while streaming)",
                source=self.name,
            )
        return syntax_error(LogEntryError(entry), name=self.name, truncated=truncated)


class _Occurrences:
    """Count a byte string in the document's pieces as they are read (across their joins).

    ``rare``: one of its bytes, absent from most pieces: a piece without it is passed
    over at ``memchr``'s speed. A document whose encoding hides ASCII (UTF-16, say)
    counts as holding any number.
    """

    def __init__(self, needle: bytes, rare: int, head: bytes) -> None:
        self.needle = needle
        self.rare = rare
        self.count = 0 if ascii_compatible(head) else 1 << 62
        self._tail = b""

    def feed(self, piece: bytes) -> None:
        """Count the needle in the next piece (and across its start)."""
        needle, overlap = self.needle, len(self.needle) - 1
        if self.rare in piece:
            self.count += piece.count(needle)
        self.count += (self._tail + piece[:overlap]).count(needle)
        self._tail = tail_after(self._tail, piece, overlap)


class _NoTree:
    """A parser target that builds nothing: its parser only checks the document's syntax."""

    def close(self) -> None:
        """Return nothing at the end of the document."""


def _check_names(parser: Any, chunk: bytes, *, name: str | None) -> None:
    """Feed ``chunk`` (the end when empty) to the syntax-only parser; raise what it finds.

    Called after the validating parser took the same bytes without an error, so what
    this one logs is an error the other kept to itself (``xml.not-well-formed``).
    """
    from lxml import etree

    before = len(parser.feed_error_log)
    try:
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()
    except etree.XMLSyntaxError:
        pass  # its entry is in the log
    entry = first_parser_error(parser.feed_error_log, before)
    if entry is not None:
        raise syntax_error(LogEntryError(entry), name=name)


#: Distinct (parent, name) of elements between records kept in the tree, one each.
KEPT_BETWEEN = 64


def _siblings_between(previous: etree._Element, record: etree._Element) -> list[Any] | None:
    """Return the nodes between two records of one parent, in document order (else None)."""
    found: list[Any] = []
    node = record.getprevious()
    while node is not None and node is not previous:
        found.append(node)
        node = node.getprevious()
    if node is None:  # the records have different parents
        return None
    found.reverse()
    return found


def _between_records(
    batch: _Batch, nodes: list[Any], record: etree._Element, rules: bool
) -> Iterator[Issue]:
    """Check what sits between two records, then drop it: memory stays flat.

    Comments and processing instructions are dropped. Of the elements, the first of each
    name stays in the tree (the skeleton's schema check reports it, as whole-document
    mode does: libxml2 reports the first element out of place in a sequence); the others
    are checked now (schema locations, shape, codes; the rules with the next chunk of
    records) and dropped, their paths keeping their positions among same-name siblings.
    """
    parent = record.getparent()
    if parent is None:  # pragma: no cover - a record always has a parent here
        return
    name = batch.name
    limits: Limits = batch.options.limits or DEFAULT_LIMITS
    known = batch.locator.known(record)
    ordinal = known[0] if known is not None else None
    places: list[tuple[etree._Element, int | None]] = []
    for node in reversed(nodes):  # ordinals count back from the record
        if isinstance(node.tag, str):
            size = subtree_size(node)
            ordinal = None if ordinal is None else ordinal - size
            places.append((node, ordinal))
    places.reverse()
    for node in nodes:
        if not isinstance(node.tag, str):
            parent.remove(node)
    kept = False
    for element, place in places:
        tag = str(element.tag)
        key = (parent, tag)
        last = batch.between_positions.get(key)
        position = batch.paths.live_position(parent, element, tag) if last is None else last + 1
        batch.between_positions[key] = position
        if key not in batch.kept_between and len(batch.kept_between) < KEPT_BETWEEN:
            batch.kept_between.add(key)
            line = batch.locator.keep_lines(element, place)  # its start tags will be gone
            if batch.lines is not None:  # checked with the skeleton, when its line is gone
                batch.lines.pin(element.sourceline, exact_line(element), line)
            kept = True
            continue
        batch.paths.positions[element] = position
        batch.locator.element_seen(element, place)
        if limits.walk:
            check_shape(element, limits, name, depth=_depth(element))
        for inner in element.iter():
            yield from layers.schema_locations(inner, source=name)
        if batch.fields:
            yield from batch.locator.relocate(_vocab_issues(batch, element))
        if rules:
            batch.chunk.append(element)  # checked and moved out with the next chunk
            if element.tag != batch.spec.record_tag:
                batch.others.append(element)
        else:
            batch.paths.note_dropped(parent, element, tag)
            batch.locator.record_gone(element, keep=record)
            batch.paths.positions.pop(element, None)
            parent.remove(element)
    if kept:
        yield from _pin(batch, record, rules)


def _pin(batch: _Batch, record: etree._Element, rules: bool) -> Iterator[Issue]:
    """Keep ``record``, the record right after an element kept in the tree, in the tree.

    Where that element may stand (a trailer), the record after it is the first one out
    of place, which libxml2 reports on the whole document: the skeleton's check then
    finds it too. The record is checked against the record schema now, in the tree; a
    copy goes to the rules with its chunk, as the first record's does.
    """
    if record is batch.first or record in batch.pinned:
        return
    batch.pinned.append(record)
    if batch.record_screen is not None and record not in batch.done:
        batch.done.add(record)
        yield from _check_record(batch, record)
    if rules:
        _queue_copy(batch, record, batch.paths.record_index[record])


def _queue_copy(batch: _Batch, record: etree._Element, index: int) -> None:
    """Queue a copy of ``record`` (the ``index``-th) for the rules; it stays in the tree.

    The copy is numbered as the record, and left out of the chunk's schema check (the
    record is checked in the tree).
    """
    copy = deepcopy(record)
    batch.paths.record_index[copy] = index
    batch.copies.add(copy)
    _chunk_append(batch, copy)


def _chunk_append(batch: _Batch, element: etree._Element) -> None:
    """Add ``element`` to the chunk, noting the pieces read when the chunk began."""
    if not batch.chunk:
        batch.chunk_since = batch.source.pieces if batch.source is not None else 0
    batch.chunk.append(element)


def _depth(element: etree._Element) -> int:
    depth = 1
    parent = element.getparent()
    while parent is not None:
        depth += 1
        parent = parent.getparent()
    return depth


def _nested_record(record: etree._Element, tag: str | None) -> bool:
    parent = record.getparent()
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _begin(batch: _Batch, record: etree._Element) -> Iterator[Issue]:
    """First record: the root and header are parsed; check them and date the batch."""
    root = record.getroottree().getroot()
    batch.root = root
    batch.own_hints = sum(1 for name in layers.LOCATIONS if root.get(name) is not None)
    yield from layers.schema_locations(root, source=batch.name)
    yield from layers.version_issues(root, batch.spec, source=batch.name, paths=batch.paths)
    before: list[etree._Element] = []
    for element in root.iter():
        if element is record:
            break
        before.append(element)
    batch.as_of = batch.options.as_of or layers.find_date(before)
    for aggregate in batch.aggregates:
        aggregate.begin(root)


def _advance(batch: _Batch, record: etree._Element, rules: bool) -> bool:
    """Queue the previous record for the rules and drop it from the tree.

    Returns True when the queue is full (the caller then runs it, :func:`_run_chunk`).
    """
    previous = batch.previous
    batch.previous = record
    if batch.count == 1:
        batch.first = record
        if rules:
            _queue_copy(batch, record, 1)
        return False
    if previous is not None and previous is not batch.first and previous not in batch.pinned:
        if rules or batch.record_screen is not None:
            _chunk_append(batch, previous)  # moved into the chunk document later
        else:
            batch.locator.record_gone(previous, keep=record)
            del batch.paths.record_index[previous]
            batch.dropped += 1
            if batch.dropped >= DROP_EVERY:
                _drop_between(batch, record)
    return len(batch.chunk) >= CHUNK


def _plain_run(
    elements: list[Any], parents: list[Any], start: int, parent: Any, previous: Any
) -> int:
    """Count the records from ``elements[start]`` that need nothing of their own.

    Each is a child of ``parent`` (the last records' parent) right after the record
    before it (the first right after ``previous``): no comment, instruction or other
    element between them. Counted at C speed; :func:`_take_run` takes them.
    """
    same = list(map(is_, islice(parents, start, None), repeat(parent)))
    priors = map(_previous, islice(elements, start, None))
    chained = list(map(is_, priors, chain((previous,), islice(elements, start, None))))
    length = len(same)
    for flags in (same, chained):
        if False in flags:
            length = min(length, flags.index(False))
    return length


def _take_run(
    batch: _Batch,
    records: list[Any],
    each_record: list[Callable[[Any], None]],
    arrived: list[Any] | None,
) -> Iterator[Issue]:
    """Take a run of plain records (see :func:`_plain_run`) as the record loop would.

    Each record is counted, noted, given to the aggregates and queued for its chunk,
    the chunk run when full, as one by one (records need no schema check on arrival:
    the screen checks them with their chunk, or none is asked for), a chunk's worth
    at a time.
    """
    index = batch.paths.record_index
    pieces = batch.source.pieces if batch.source is not None else 0
    start, total = 0, len(records)
    while start < total:
        previous = batch.previous
        queues_previous = (
            previous is not None and previous is not batch.first and previous not in batch.pinned
        )
        # the arrivals that fill the chunk (elements between records may overfill it)
        room = max(CHUNK - len(batch.chunk), 1 if queues_previous else 0)
        segment = records[start : start + (room if queues_previous else room + 1)]
        start += len(segment)
        count = batch.count
        batch.count = count + len(segment)
        index.update(zip(segment, range(count + 1, batch.count + 1), strict=True))
        batch.locator.records_seen(segment, count + 1, previous)
        if each_record:
            for record in segment:
                for add in each_record:
                    add(record)
        if arrived is not None:
            arrived.extend(segment)
        chunk = batch.chunk
        if queues_previous or len(segment) > 1:
            if not chunk:
                batch.chunk_since = pieces
            if queues_previous:
                chunk.append(previous)
            chunk.extend(islice(segment, len(segment) - 1))
        batch.previous = segment[-1]
        if len(chunk) >= CHUNK:
            yield from _run_chunk(batch)
        batch.previous_piece = pieces


#: Records dropped from the tree at a time (one slice deletion in C).
DROP_EVERY = 1024


def _drop_between(batch: _Batch, record: etree._Element) -> None:
    """Delete the records between the first one and ``record`` (already validated)."""
    parent = record.getparent()
    first = batch.first
    if parent is None or first is None or first.getparent() is not parent:
        batch.dropped = 0
        return
    dropped, batch.dropped = batch.dropped, 0
    start, end = parent.index(first) + 1, parent.index(record)
    tag = batch.spec.record_tag
    if not batch.pinned and (
        (end - start == dropped and not batch.mixed_parents)
        or all(child.tag == tag for child in parent[start:end])
    ):
        # all records since the last drop are children of ``parent``: as many children
        # as records are those records
        del parent[start:end]
    else:  # something else sits between records: keep it for the skeleton checks
        pinned = batch.pinned
        for child in parent[start:end]:
            if child.tag == tag and child not in pinned:
                parent.remove(child)


def _chunk_document(
    batch: _Batch, records: list[etree._Element], *, placed: bool = False
) -> etree._Element:
    """Move the records into the chunk document: root + header copies + their ancestors.

    The document is built once (at the first chunk) and reused: a large header is
    copied once, not once per chunk. ``placed``: the records are its container's last
    children already, in order.
    """
    from lxml import etree

    if batch.shell is None:
        first = batch.first
        ancestors: list[etree._Element] = []
        parent = first.getparent()
        while parent is not None:
            ancestors.append(parent)
            parent = parent.getparent()
        ancestors.reverse()
        copies: list[etree._Element] = []
        for i, original in enumerate(ancestors):
            shell = etree.Element(original.tag, dict(original.attrib), nsmap=original.nsmap)
            # libxml2 keeps lines in 16 bits: 65,535 means "look at the children"
            shell.sourceline = min(original.sourceline or 0, 65535)  # type: ignore[misc]
            if copies:
                copies[-1].append(shell)
            copies.append(shell)
            stop = ancestors[i + 1] if i + 1 < len(ancestors) else first
            for child in original:
                if child is stop:
                    break
                if isinstance(child.tag, str) and child.tag != batch.spec.record_tag:
                    shell.append(deepcopy(child))
        batch.shell = (copies[0], copies[-1])
    root, container = batch.shell
    if not placed:
        container.extend(records)
    return root


def _on_piece(batch: _Batch) -> None:
    """Before a piece is fed: check what would otherwise wait past its source lines.

    The lines of the last pieces only are kept (for the columns): a chunk that has
    waited :data:`CHUNK_PIECES` pieces is run, and the newest record, which joins a
    chunk only when the next record arrives (never, for the last), is checked alone.
    """
    if batch.root is None:
        return
    if batch.lines is not None:
        batch.lines.settle()
    pieces = batch.source.pieces
    if batch.flight is not None and pieces - batch.flight.since >= FLIGHT_PIECES:
        batch.early.extend(_land(batch))
    if batch.chunk and pieces - batch.chunk_since >= CHUNK_PIECES:
        batch.early.extend(_run_chunk(batch))
    newest = _unchecked_newest(batch)
    if newest is not None and pieces - batch.previous_piece >= CHUNK_PIECES:
        batch.done.add(newest)
        batch.early.extend(_check_record(batch, newest))


def _unchecked_newest(batch: _Batch) -> Any:
    """Return the newest record when the screen still owes it a check alone, else None."""
    newest = batch.previous
    if (
        batch.record_screen is None
        or newest is None
        or newest is batch.first
        or newest in batch.done
    ):
        return None
    return newest


def _check_record(batch: _Batch, record: etree._Element) -> Iterator[Issue]:
    """Check one record against the record schema, then give its held code issues."""
    failed: set[str] = set()
    for issue in batch.locator.relocate(
        validate_element(
            batch.record_xsd,
            record,
            context=record,
            paths=batch.paths,
            source=batch.name,
            lines=batch.lines,
        )
    ):
        failed.add(issue.path or "")
        yield issue
    yield from (i for i in batch.held.pop(record, ()) if i.path not in failed)


def _run_chunk(batch: _Batch) -> Iterator[Issue]:
    yield from _land(batch)  # the chunk before, screened meanwhile: the document is free
    records, batch.chunk = batch.chunk, []
    others, batch.others = batch.others, []  # the chunk's elements that are not records
    if not records:
        return
    record_tag = batch.spec.record_tag
    for element in others:
        parent = element.getparent()
        if parent is not None:  # leaves the tree now
            batch.paths.note_dropped(parent, element, str(element.tag))
    screened: Callable[[], list[Any]] | None = None  # gives the suspects of ``checked``
    checked: list[Any] = []
    placed = False  # the chunk's elements are in the chunk document already, in order
    if batch.record_screen is not None:
        done = batch.done
        kept = batch.copies | done if done else batch.copies
        checked = [r for r in records if r.tag == record_tag] if others else records
        if not kept.isdisjoint(checked):
            checked = [r for r in checked if r not in kept]
        elif checked is records:
            checked = list(records)
        if done:
            done.difference_update(records)
        home = batch.first.getparent() if batch.first is not None else None
        if (
            batch.mixed_parents
            or _declared_within(batch)
            or not all(map(is_, map(_parent, checked), repeat(home)))
            or (home is not None and _shell_path(batch) != batch.paths.path(home))
        ):
            for record in checked:  # checked where they are: their paths are the tree's
                yield from _check_record(batch, record)
            checked = []
        elif checked and _screened_later(batch, checked, records):
            yield from _run_then_screen(batch, records)
            return
        elif checked:
            # moved out of the tree, under a wrapper in the chunk document; screened (in
            # the pool's thread, if any) while the rules run
            shell = batch.shell[1] if batch.shell is not None else None
            screened = batch.record_screen.start(checked, home=shell)
            if shell is not None and checked == records:  # (the same elements: by identity)
                placed = batch.record_screen.unwrap()  # the chunk's elements, where they go
    document, container = _in_chunk_document(batch, records, others, placed=placed)
    try:
        if "rules" in batch.options.checks:
            yield from _chunk_rules(batch, records, document, container, others)
        if screened is not None:
            pending, screened = screened, None
            yield from _screened_issues(batch, pending(), checked)
    finally:
        if screened is not None:  # the stream was left (closed, or an error) mid-chunk
            _wait_quietly(screened)
    batch.locator.records_gone(records, keep=batch.previous)
    _drop_chunk(batch, records, container)


def _in_chunk_document(
    batch: _Batch, records: list[Any], others: list[Any], *, placed: bool = False
) -> tuple[etree._Element, Any]:
    """Move a chunk into the chunk document; return that and the records' container.

    See :func:`_chunk_document`. The container's flatness is counted by the locator
    when it is asked for.
    """
    document = _chunk_document(batch, records, placed=placed)
    if batch.record_screen is not None:
        batch.record_screen.release()  # empty now: the records are in the chunk document
    container = records[0].getparent()
    if container is not None and batch.locator.tags is not None:
        record_tag = batch.spec.record_tag
        # counted when an ordinal is asked for, or when the records leave
        batch.locator.flat_then(
            lambda: _flat_records(container, records, record_tag, others=bool(others))
        )
    return document, container


def _screened_issues(batch: _Batch, suspects: list[Any], records: list[Any]) -> Iterator[Issue]:
    """Check a screen's suspects, then give the issues held for the screened ``records``.

    The suspects are checked in the chunk document, at the paths of the tree.
    """
    for record in suspects:
        yield from _check_record(batch, record)
    if batch.held:
        for record in records:
            yield from batch.held.pop(record, ())


def _drop_chunk(batch: _Batch, records: list[Any], container: Any) -> None:
    """Forget a chunk's elements (their ordinals gone already) and take them out of its document."""
    index, positions = batch.paths.record_index, batch.paths.positions
    deque(map(index.pop, records, repeat(None)), maxlen=0)  # at C speed
    if positions:
        deque(map(positions.pop, records, repeat(None)), maxlen=0)
    if container is not None:
        count = len(records)
        if len(container) >= count and container[-count] is records[0]:
            # The chunk's elements were appended to it, in order. Their objects go
            # first: lxml then frees each subtree as it is deleted, where it would move
            # a subtree an object still holds to a document of its own, to be freed when
            # the object goes (a walk of every node more).
            records.clear()
            del container[-count:]
        else:
            for record in records:
                container.remove(record)


def _screened_later(batch: _Batch, checked: list[Any], records: list[Any]) -> bool:
    """Tell whether a chunk's records can be screened after its rules, uncopied (_land).

    So when the chunk is records only, all checked with the screen, which has a pool's
    thread, and the chunk document is built (see :func:`_run_then_screen`).
    """
    screen = batch.record_screen
    return (
        screen is not None
        and screen.pool is not None
        and batch.shell is not None
        and checked == records  # (the same elements: by identity)
    )


def _run_then_screen(batch: _Batch, records: list[Any]) -> Iterator[Issue]:
    """Run a chunk's rules, then screen its records in the pool's thread as reading goes on.

    The screen of a copy, while the rules run, costs the copy and its freeing (an eighth
    of the stream's time); here the records themselves are screened once the rules are
    done, while the next records are parsed, and the chunk lands (:func:`_land`) before
    the next one runs, or once its source lines would go (:func:`_on_piece`).
    """
    screen = batch.record_screen
    since = batch.chunk_since
    document, container = _in_chunk_document(batch, records, [])
    if "rules" in batch.options.checks:
        yield from _chunk_rules(batch, records, document, container, [])
    # The records' ordinals are noted now, while they are at hand: from here until the
    # chunk lands, their parent is the screen's (see RecordScreen.start).
    passed = batch.locator.chunk_leaving(records)
    answer = screen.start(records, home=container, in_place=True)
    batch.flight = _Flight(records, answer, since, passed)


def _land(batch: _Batch) -> Iterator[Issue]:
    """Take the answer of the chunk screened meanwhile (waiting if need be), and end it.

    The records the screen suspects are checked where they are, under the screen's
    wrapper, at the paths of the tree (the wrapper left out of them), and the issues held
    for its records given.
    """
    flight, batch.flight = batch.flight, None
    if flight is None:
        return
    suspects = flight.answer()
    screen = batch.record_screen
    held = bool(batch.held) and any(map(batch.held.__contains__, flight.records))
    if suspects or held:
        # (their issues located by ordinals: their records' from the sizes passed)
        with batch.paths.leaving_out(screen.wrapper), batch.locator.landing(flight.passed):
            yield from _screened_issues(batch, suspects, flight.records)
    # the records leave from the wrapper (no walk to unwrap it)
    batch.locator.chunk_left(flight.records, flight.passed)
    if flight.passed is not None:
        flight.passed.records.clear()  # (see _drop_chunk)
    _drop_chunk(batch, flight.records, screen.wrapper)
    screen.release()


def _ground(batch: _Batch) -> None:
    """Wait for the screen of a chunk nobody will land (the stream was left), quietly.

    libxml2 must be done with the chunk document before it can be freed, here.
    """
    flight, batch.flight = batch.flight, None
    if flight is not None:
        _wait_quietly(flight.answer)


def _wait_quietly(screened: Callable[[], list[Any]]) -> None:
    """Wait, quietly, for a chunk's screen nobody will read (the stream is left).

    What it checks (a copy, or the chunk document itself) is then freed in this thread,
    once libxml2 is done with it: the helper thread would otherwise drop the last
    reference to a copy, and lxml free it there. What it found, or raised, no longer
    matters.
    """
    with suppress(Exception):
        screened()


def _declared_within(batch: _Batch) -> bool:
    """Tell whether namespaces may be declared below the root (on records, say).

    A record moved to another document loses a declaration of its own that the new
    place has with another prefix (lxml), and with it the prefix its start tag has in
    the source, which the columns look for: such records are checked in the tree.
    """
    declarations = batch.declarations
    return declarations is not None and declarations.count > len(batch.root.nsmap)


def _hinted(batch: _Batch) -> bool:
    """Tell whether schema-location hints may be below the root (records are searched)."""
    hints = batch.hints
    return hints is not None and hints.count > batch.own_hints


def _shell_path(batch: _Batch) -> str:
    """Return the path of the chunk document's records' container (built if need be)."""
    if batch.shell is None:
        _chunk_document(batch, [])
    assert batch.shell is not None
    return batch.paths.path(batch.shell[1])


def _give_arrived(batch: _Batch) -> None:
    """Give the records arrived since the last call to the aggregates taking them in bulk."""
    if batch.arrived:
        arrived = list(batch.arrived)
        batch.arrived.clear()  # the same list: the record loop holds it
        for aggregate in batch.aggregates:
            add = getattr(aggregate, "records", None)
            if add is not None:
                add(arrived)


def _flat_records(
    container: etree._Element, records: list[Any], record_tag: Any, *, others: bool = True
) -> Any:
    """Return ``container`` if its records have element children only, none with children.

    (A record's size is then 1 + ``len(record)``; ``len`` counts comments and
    instructions too.) None otherwise. A count in libxml2 for the chunk, and a walk
    finding no comment or instruction (else a second count). ``others``: whether
    ``records`` holds elements that are not records.
    """
    tag = str(record_tag)
    namespaces = None
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        tag, namespaces = f"r:{local}", {"r": namespace}
    deep = container.xpath(f"count({tag}/*/*)", namespaces=namespaces)
    if deep != 0:
        return None
    from lxml import etree

    # none of the other nodes ``len`` counts (a walk in C, making no object): the
    # records' children are elements only
    if next(container.iter(etree.Comment, etree.ProcessingInstruction, etree.Entity), None) is None:
        return container
    children = container.xpath(f"count({tag}/*)", namespaces=namespaces)
    held = sum(map(len, (r for r in records if r.tag == record_tag) if others else records))
    return container if children == held else None


def _chunk_rules(
    batch: _Batch,
    records: list[Any],
    document: etree._Element,
    container: Any,
    others: list[Any],
) -> Iterator[Issue]:
    """Run the business rules on a chunk document (the batch totals are only added up).

    The totals and the rules share the chunk's records and the columns they both read
    (:func:`~lgstandards.rules.screens.sharing`): each is read once.
    """
    from lgstandards.rules.screens import sharing

    _give_arrived(batch)
    marker = _record_marker(batch)
    exclude = _aggregate_codes(batch)
    skipped = {code for code, screen in batch.screens if not screen.possible(document)}
    if skipped:  # the rules that cannot find anything in this chunk (its bytes were read)
        exclude = exclude | skipped
    with sharing(document):
        if container is not None:
            for aggregate in batch.aggregates:
                counted = getattr(aggregate, "chunk", None)  # one of before may lack it
                if counted is not None:
                    counted(container)
        found = list(
            layers.rule_issues(
                batch.spec,
                document,
                source=batch.name,
                paths=batch.paths,
                exclude=exclude,
                profile=batch.options.profile,
            )
        )
    outside = tuple(map(batch.paths.path, others))  # moved in with the records
    yield from batch.locator.relocate(
        i for i in found if i.path and (marker in i.path or _under(i.path, outside))
    )


def _under(path: str, elements: tuple[str, ...]) -> bool:
    """Tell whether ``path`` is one of ``elements``' paths or inside one."""
    return any(path == e or path.startswith((e + "/", e + "[")) for e in elements)


def _aggregate_codes(batch: _Batch) -> frozenset[str]:
    return frozenset(code for a in batch.aggregates for code in a.codes)


def _finish(batch: _Batch) -> Iterator[Issue]:
    """Run the last chunk, then check the skeleton (root, header, kept records, trailer)."""
    yield from batch.early
    batch.early.clear()
    last = batch.previous
    unchecked = _unchecked_newest(batch)
    if unchecked is not None:
        yield from _check_record(batch, unchecked)  # it stays in the tree: checked there
    if (
        last is not None
        and last is not batch.first
        and last not in batch.pinned  # (its copy is with the rules already)
        and "rules" in batch.options.checks
    ):
        _queue_copy(batch, last, batch.count)
    yield from _run_chunk(batch)
    yield from _land(batch)
    kept = [r for r in dict.fromkeys((batch.first, *batch.pinned, last)) if r is not None]
    batch.locator.finish(kept)
    yield from batch.locator.relocate(_skeleton(batch, kept))


def _skeleton(batch: _Batch, kept: list[etree._Element]) -> Iterator[Issue]:
    """Check what is left of the tree: root, header, the kept records, trailer."""
    root = batch.root
    tree = root.getroottree()
    name = batch.name
    limits: Limits = batch.options.limits or DEFAULT_LIMITS
    if limits.walk:
        for child in root:
            if child not in kept:
                check_shape(child, limits, name, depth=2)
    inside = {element for record in kept for element in record.iter()}  # checked on arrival
    for element in root.iter():
        if element is not root and element not in inside:
            yield from layers.schema_locations(element, source=name)
    marker = _record_marker(batch)
    if "xsd" in batch.options.checks:
        schema = schema_for(batch.spec)
        for issue in validate_element(
            schema, tree, context=root, paths=batch.paths, source=name, skip=kept, lines=batch.lines
        ):
            batch.failed.add(issue.path or "")
            yield issue
    if "rules" in batch.options.checks:
        exclude = _aggregate_codes(batch)
        for issue in layers.rule_issues(
            batch.spec,
            tree,
            source=name,
            paths=batch.paths,
            exclude=exclude,
            profile=batch.options.profile,
        ):
            if not (issue.path and marker in issue.path):
                yield issue
        _give_arrived(batch)
        for aggregate in batch.aggregates:
            try:
                totals = list(aggregate.finish(root, paths=batch.paths, source=name))
            except Exception as exc:
                yield layers.failure("batch totals", exc, source=name)
            else:
                yield from totals
    if batch.fields:
        for child in root:
            found: Iterator[Issue]
            if child not in kept and not _contains_any(child, kept):
                found = _vocab_issues(batch, child)
            elif child not in kept:
                found = _vocab_outside(batch, child, kept)
            else:
                continue
            yield from (i for i in found if i.path not in batch.failed)


class _PinnedLines:
    """The source lines at hand (:class:`StreamLines`), and those of the elements pinned.

    An element kept in the tree between records is checked with the skeleton, at the
    end, when its source lines are gone: its lines are kept (pinned) when it is seen,
    or, while a line is not yet whole, before each piece is read.
    """

    def __init__(self, lines: StreamLines) -> None:
        self.lines = lines
        self.pinned: dict[int, bytes] = {}
        self._waiting: set[int] = set()

    @property
    def encoding(self) -> str | None:
        """The encoding the lines are decoded with (None: no columns)."""
        return self.lines.encoding

    @encoding.setter
    def encoding(self, value: str | None) -> None:
        self.lines.encoding = value

    def pin(self, *numbers: int | None) -> None:
        """Keep lines ``numbers`` (None and 65,535, libxml2's "past it", are skipped)."""
        for number in numbers:
            if number and number != EXACT_BELOW and len(self.pinned) < 4 * KEPT_BETWEEN:
                self._waiting.add(number)
        self.settle()

    def settle(self) -> None:
        """Keep the lines waiting that are now whole (call before a piece is read)."""
        for number in list(self._waiting):
            found = self.lines.line(number)
            if found is not None:
                self.pinned[number] = found
                self._waiting.discard(number)

    def line(self, number: int) -> bytes | None:
        """Return the bytes of line ``number`` if pinned or at hand."""
        found = self.pinned.get(number)
        return found if found is not None else self.lines.line(number)


class _Locator:
    """Exact lines for a streamed batch's issues, past libxml2's 65,535 (see starttags).

    An element's ordinal (its position in document order) is its record's ordinal plus
    its position in the record; a record's ordinal follows from the record before it
    (its ordinal and size, and the elements between them). Elements before the first
    record are counted from the root, those after the last from the document's end.
    """

    def __init__(self, batch: _Batch, lines: StreamLines) -> None:
        self.batch = batch
        self.lines = lines
        #: record -> (ordinal, number of elements in it), for the records at hand.
        self.records: dict[etree._Element, tuple[int, int]] = {}
        self.by_index: dict[int, etree._Element] = {}
        self._within: dict[etree._Element, dict[etree._Element, int]] = {}
        #: Ordinals of the skeleton's elements (set by :meth:`finish`).
        self._skeleton: dict[etree._Element, int] = {}
        #: Lines of the elements kept in the tree between records (see :meth:`keep_lines`).
        self._kept_lines: dict[etree._Element, int] = {}
        self._resolver: PathResolver | None = None
        self._gone = 0
        #: Records seen in a run (each right after the one before, which is known or in
        #: the run) whose ordinals are counted only when asked for (:meth:`settle`).
        self._run: list[etree._Element] = []
        self._run_index = 0  # the first one's index among the records
        self._run_ordinal = 0  # the first one's ordinal
        #: Gives the ``flat`` of :meth:`settle` for the records of the chunk running now
        #: (see :meth:`flat_then`), or None; what it gave, until the chunk leaves.
        self._flat_of: Callable[[], Any] | None = None
        self._flat_found: Any = None
        #: The records of a landing chunk passed over uncounted (see :meth:`landing`).
        self._landing: _Passed | None = None

    def flat_then(self, flat_of: Callable[[], Any]) -> None:
        """Give what :meth:`settle` takes as ``flat`` while a chunk runs, when it is needed.

        Its records' ordinals are counted when one is asked for; else they are only
        passed over when they leave (:meth:`records_gone`), which ends the chunk.
        """
        self._flat_of = flat_of
        self._flat_found = None

    def _flat(self) -> Any:
        """Return the running chunk's flat container (see :meth:`flat_then`), counted once."""
        flat_of, self._flat_of = self._flat_of, None
        if flat_of is not None:
            self._flat_found = flat_of()
        return self._flat_found

    def _chunk_gone(self) -> None:
        """Forget the running chunk's container: its records leave (or left) it."""
        self._flat_of = self._flat_found = None

    def settle(self, flat: Any = None) -> None:
        """Count the ordinals of the records of the run (see :meth:`record_seen`).

        ``flat``: a container whose record children are known to have no grandchildren
        (a record's size is then 1 + its children); by default, the running chunk's
        (:meth:`flat_then`).
        """
        self._count(len(self._run), flat)

    def _count(self, number: int, flat: Any = None) -> None:
        """Count the ordinals of the run's first ``number`` records; the run goes past them."""
        if number <= 0:
            return
        run = self._run
        counted, self._run = (run, []) if number >= len(run) else (run[:number], run[number:])
        sizes = _sizes(counted, self._flat() if flat is None else flat)
        ordinals = list(accumulate(sizes, initial=self._run_ordinal))
        self.records.update(zip(counted, zip(ordinals, sizes, strict=False), strict=True))
        first = self._run_index
        self.by_index.update(zip(range(first, first + len(counted)), counted, strict=True))
        self._run_index = first + len(counted)
        self._run_ordinal = ordinals[-1]

    def _place(self, record: Any, records: list[Any], first: int) -> int | None:
        """Return ``record``'s place in ``records`` (the first is record ``first``), or None."""
        index = self.batch.paths.record_index.get(record)
        place = None if index is None else index - first
        if place is None or _nth(records, place) is not record:
            return None
        return place

    def _counted_to(self, record: Any) -> None:
        """Count the run up to ``record`` (the whole run when ``record`` is None or not in it).

        An issue's record is counted alone with those before it in the run: the records
        read since, still in the tree, are not walked, and the rest of its chunk can
        still leave compactly (:meth:`chunk_leaving`).
        """
        place = self._place(record, self._run, self._run_index)
        self._count(len(self._run) if place is None else place + 1)

    def _record_at(self, index: int) -> etree._Element | None:
        """Return the record at ``index`` (1-based) if at hand, counting nothing for it."""
        found: etree._Element | None = self.by_index.get(index)
        landing = self._landing
        if found is None and landing is not None:
            found = _nth(landing.records, index - landing.number)
        if found is None:
            found = _nth(self._run, index - self._run_index)
        if found is None:
            self.settle()
            found = self.by_index.get(index)
        return found

    def known(self, element: etree._Element) -> tuple[int, int] | None:
        """Return (ordinal, size) of a record or element at hand, or None."""
        found = self.records.get(element)
        if found is None:
            found = self._landed(element)
        if found is None:
            self._counted_to(element)
            found = self.records.get(element)
        return found

    @contextmanager
    def landing(self, passed: _Passed | None) -> Iterator[None]:
        """Locate the records of a landing chunk, ``passed`` over, without counting them all.

        A suspect's ordinal is summed from the sizes ``passed`` holds (see
        :meth:`chunk_leaving`); the chunk then leaves compactly (:meth:`chunk_left`).
        """
        self._landing = passed
        try:
            yield
        finally:
            self._landing = None

    def _landed(self, record: Any) -> tuple[int, int] | None:
        """Return (ordinal, size) of a record of the landing chunk, or None."""
        landing = self._landing
        place = None if landing is None else self._place(record, landing.records, landing.number)
        if landing is None or place is None:
            return None
        return landing.ordinal + sum(islice(landing.sizes, place)), landing.sizes[place]

    @property
    def tags(self) -> StartTags | None:
        """The document's start tags (None until the first chunk, or when not scannable)."""
        return self.lines.tags

    def record_seen(
        self, record: etree._Element, index: int, previous: Any, prior: Any = None
    ) -> None:
        """Note a record as it arrives (``previous``: the record before it, still in the tree).

        ``prior``: the node right before ``record`` (its ``getprevious()``).
        """
        if self.lines.tags is None:
            return
        run = self._run
        if prior is None:
            prior = record.getprevious()
        if prior is not None and prior is previous:
            if run and run[-1] is prior:
                run.append(record)
                return
            known = self.records.get(prior)
            if known is not None and not run:
                self._run = [record]
                self._run_index = index
                self._run_ordinal = known[0] + known[1]
                return
        self.settle()
        known = self.records.get(previous) if previous is not None else None
        if known is None:
            ordinal = ordinal_in(record, record.getroottree().getroot())
        elif record.getprevious() is previous:  # the common case: nothing between them
            ordinal = known[0] + known[1]
        else:
            between = _elements_between(previous, record)
            ordinal = None if between is None else known[0] + known[1] + between
        if ordinal is not None:
            self.records[record] = (ordinal, subtree_size(record))
            self.by_index[index] = record

    def records_seen(self, records: list[etree._Element], index: int, previous: Any) -> None:
        """Note a run of records: each right after the one before, the first after ``previous``.

        As :meth:`record_seen` for each in turn (``index``: the first one's).
        """
        if self.lines.tags is None:
            return
        self.record_seen(records[0], index, previous, previous)
        run = self._run
        if run and run[-1] is records[0]:
            run.extend(islice(records, 1, None))
            return
        for offset in range(1, len(records)):
            before = records[offset - 1]
            self.record_seen(records[offset], index + offset, before, before)

    def element_seen(self, element: etree._Element, ordinal: int | None) -> None:
        """Note an element between records, at ``ordinal`` (None: not known)."""
        self.settle()
        if self.tags is not None and ordinal is not None:
            self.records[element] = (ordinal, subtree_size(element))

    def record_gone(self, record: etree._Element, *, keep: Any) -> None:
        """Forget a record leaving the tree; ``keep``: the oldest record still needed.

        Call it while the record still has its index in the path maker.
        """
        if self.tags is None:
            return
        self.settle()
        self.records.pop(record, None)
        self._within.pop(record, None)
        index = self.batch.paths.record_index.get(record)
        if index is not None and self.by_index.get(index) is record:
            del self.by_index[index]
        self._gone += 1
        known = self.records.get(keep) if keep is not None else None
        if known is not None and self._gone % 64 == 0:
            self.tags.release(known[0])

    def records_gone(self, elements: list[etree._Element], *, keep: Any) -> None:
        """Forget the elements of a chunk leaving the tree (see :meth:`record_gone`)."""
        if self.tags is None:
            return
        before = self._gone
        self._gone += len(elements)
        ordinal = self._pass_over(elements, keep)
        if ordinal is None:
            self.settle()
            self._forget(elements)
            known = self.records.get(keep) if keep is not None else None
            ordinal = None if known is None else known[0]
        self._chunk_gone()
        if ordinal is not None and self._gone // 64 != before // 64:
            self.tags.release(ordinal)

    def chunk_leaving(self, records: list[etree._Element]) -> _Passed | None:
        """Note the ordinals of a chunk's records about to leave reach; see :meth:`chunk_left`.

        Where they are the first records of the run (the usual), the run moves past them
        (their sizes counted now, at C speed) and their ordinals are returned compactly;
        else they are counted into the maps (:meth:`settle`) and None is returned.
        """
        if self.tags is None or not records:
            return None
        lead = self._lead(records)
        passing = records[lead:]
        ordinal, number = self._run_ordinal, self._run_index
        sizes = self._run_past(passing) if passing else None
        if sizes is None:
            self.settle()
        self._chunk_gone()
        return None if sizes is None else _Passed(passing, ordinal, number, sizes, records[:lead])

    def chunk_left(self, records: list[etree._Element], passed: _Passed | None) -> None:
        """Forget the records of a chunk leaving the tree, noted by :meth:`chunk_leaving`.

        As :meth:`records_gone`, with the oldest record still needed right after them.
        ``passed``: what :meth:`chunk_leaving` gave, unless counted back since (None).
        """
        if self.tags is None or not records:
            return
        before = self._gone
        self._gone += len(records)
        if passed is not None:
            end: int | None = passed.ordinal + sum(passed.sizes)
            self._forget(passed.counted)
            if self._within:  # a landing suspect's (see _landed)
                deque(map(self._within.pop, passed.records, repeat(None)), maxlen=0)
        else:
            known = self.records.get(records[-1])
            end = None if known is None else known[0] + known[1]
            self._forget(records)
        if end is not None and self._gone // 64 != before // 64:
            self.tags.release(end)

    def _forget(self, elements: list[etree._Element]) -> None:
        """Drop the counted ordinals of ``elements`` (records and elements between them)."""
        within, by_index = self._within, self.by_index
        deque(map(self.records.pop, elements, repeat(None)), maxlen=0)  # at C speed
        if within:
            deque(map(within.pop, elements, repeat(None)), maxlen=0)
        indexes: list[Any] = list(map(self.batch.paths.record_index.get, elements))
        held = list(map(by_index.get, indexes))
        if all(map(is_, held, elements)):  # the usual: each record's index is its own
            deque(map(by_index.pop, indexes, repeat(None)), maxlen=0)
        else:
            for index, element, found in zip(indexes, elements, held, strict=True):
                if index is not None and found is element:
                    del by_index[index]

    def _pass_over(self, elements: list[etree._Element], keep: Any) -> int | None:
        """Let records whose ordinals were never asked for leave without counting each.

        When ``elements`` are a record already counted (the newest of the chunk before)
        or none, then the first records of the run (:meth:`record_seen`), ``keep`` next
        there: the counted one is forgotten, the run moves past the others (their sizes
        summed), as :meth:`records_gone` would leave them after counting and forgetting
        each. Returns ``keep``'s ordinal then, else None (nothing done).
        """
        lead = self._lead(elements)
        count = len(elements) - lead
        if count >= len(self._run) or self._run[count] is not keep:
            return None
        if self._run_past(elements[lead:]) is None:
            return None
        if lead:
            self._forget(elements[:lead])
        return self._run_ordinal

    def _lead(self, elements: list[etree._Element]) -> int:
        """Return how many of ``elements``, from the first, are counted already.

        The newest record of the chunk before, and those an issue had counted (see
        :meth:`_counted_to`).
        """
        records = self.records
        if not elements or elements[0] not in records:
            return 0
        if len(elements) == 1 or elements[1] not in records:  # the usual: the newest only
            return 1
        counted = list(map(records.__contains__, elements))  # at C speed
        return counted.index(False) if False in counted else len(counted)

    def _run_past(self, passing: list[etree._Element]) -> list[int] | None:
        """Move the run past ``passing`` if they are its first records; return their sizes.

        None (nothing done) when they are not. Their sizes are counted at C speed.
        """
        run = self._run
        count = len(passing)
        if count > len(run) or not all(map(is_, run, passing)):
            return None
        sizes = _sizes(passing, self._flat())
        self._run_ordinal += sum(sizes)
        self._run_index += count
        self._run = run[count:]
        return sizes

    def finish(self, kept: list[etree._Element]) -> None:
        """Count the ordinals of the elements outside the records (the input has ended)."""
        self.settle()
        if self.tags is None or self.batch.root is None or not kept:
            return
        from lxml import etree

        root = self.batch.root
        first, last = kept[0], kept[-1]
        for number, element in enumerate(root.iter(etree.Element), 1):
            if element is first:
                break
            self._skeleton[element] = number
        after = _elements_after(last)
        total = self.tags.count
        for number, element in enumerate(after, total - len(after) + 1):
            self._skeleton[element] = number

    def ordinal(self, element: etree._Element) -> int | None:
        """Return the ordinal of an element of a record at hand or of the skeleton."""
        counted, ordinal, record = self._counted_ordinal(element)
        if not counted:  # its record may be in the run, not counted yet (else: all of it)
            self._counted_to(record)
            counted, ordinal, _ = self._counted_ordinal(element)
        return ordinal if counted else self._skeleton.get(element)

    def _counted_ordinal(self, element: etree._Element) -> tuple[bool, int | None, Any]:
        """Find ``element``'s ordinal from the nearest counted element it is in (or is).

        Returns (True, the ordinal or None, None) when there is one, with no record on
        the way that the run may hold uncounted; else (False, None, that record or None).
        """
        record_tag = self.batch.spec.record_tag
        node: etree._Element | None = element
        while node is not None:
            known = self.records.get(node)
            if known is None and self._landing is not None:
                known = self._landed(node)
            if known is not None:
                within = self._within.get(node)
                if within is None:
                    within = self._within[node] = _positions(node)
                position = within.get(element)
                return True, None if position is None else known[0] + position, None
            if self._run and node.tag == record_tag:
                return False, None, node  # perhaps in the run: counted once settled
            node = node.getparent()
        return False, None, None

    def keep_lines(self, element: etree._Element, ordinal: int | None) -> int | None:
        """Note the lines of an element kept between records (at ``ordinal``) and within it.

        They are checked with the skeleton, when their start tags are gone. Returns the
        element's line, if known.
        """
        from lxml import etree

        if self.tags is None or ordinal is None:
            return None
        for number, inner in enumerate(element.iter(etree.Element), ordinal):
            line = self.tags.line_of(number)
            if line is not None:
                self._kept_lines[inner] = line
        return self._kept_lines.get(element)

    def line_of(self, element: etree._Element) -> int | None:
        """Return the exact line of an element's start tag, or None."""
        kept = self._kept_lines.get(element)
        if kept is not None:
            return kept
        ordinal = self.ordinal(element)
        return None if ordinal is None or self.tags is None else self.tags.line_of(ordinal)

    def relocate(self, issues: Iterator[Issue]) -> Iterator[Issue]:
        """Give ``issues`` the exact lines of their elements (once past line 65,535)."""
        if self.tags is None or self.tags.line < EXACT_BELOW or self.batch.root is None:
            yield from issues
            return
        if self._resolver is None:
            self._resolver = PathResolver(
                self.batch.root,
                dict(self.batch.paths.prefixes),
                record_tag=self.batch.spec.record_tag,
                records=self._record_at,
                stable=False,
            )
        resolver = self._resolver
        lines = self.batch.lines

        def column_of(element: etree._Element, line: int) -> int | None:
            return element_column(element, lines, line)

        yield from relocate(
            issues,
            element_of=lambda issue: resolver.element(issue.path),
            line_of=self.line_of,
            column_of=column_of,
        )


def _nth(items: list[Any], place: int) -> Any:
    """Return ``items[place]``, or None when ``place`` is outside the list (never from its end)."""
    return items[place] if 0 <= place < len(items) else None


def _sizes(records: list[etree._Element], flat: Any) -> list[int]:
    """Return the subtree size of each record (``flat``: see :meth:`_Locator.settle`)."""
    if flat is None:
        return [subtree_size(r) for r in records]
    # 1 + children for those in ``flat`` (at C speed), the others counted
    sizes = list(map(_plus, map(len, records), repeat(1)))
    inside = list(map(is_, map(_parent, records), repeat(flat)))
    position = -1
    for _ in range(inside.count(False)):  # the newest record, still in the tree
        position = inside.index(False, position + 1)
        sizes[position] = subtree_size(records[position])
    return sizes


def _positions(record: etree._Element) -> dict[etree._Element, int]:
    """Return each element of a record's subtree and its 0-based position in it."""
    from lxml import etree

    return {element: number for number, element in enumerate(record.iter(etree.Element))}


def _elements_between(first: etree._Element, second: etree._Element) -> int | None:
    """Count the elements after ``first``'s subtree and before ``second`` (document order)."""
    chain = [second, *second.iterancestors()]
    on_path = set(chain)
    count = 0
    node: etree._Element | None = first
    while node is not None:
        for sibling in node.itersiblings():
            if not isinstance(sibling.tag, str):
                continue
            if sibling is second:
                return count
            if sibling in on_path:  # an ancestor of ``second``: go down towards it
                return count + _elements_down(sibling, chain)
            count += subtree_size(sibling)
        node = node.getparent()
    return None


def _elements_down(ancestor: etree._Element, chain: list[etree._Element]) -> int:
    """Count ``ancestor`` and the elements inside it before the target (``chain``'s first)."""
    from lxml import etree

    count = 0
    level = chain.index(ancestor)
    node = ancestor
    while level > 0:
        count += 1  # node's own start tag
        following = chain[level - 1]
        for child in node.iterchildren(etree.Element):
            if child is following:
                break
            count += subtree_size(child)
        node, level = following, level - 1
    return count


def _elements_after(element: etree._Element) -> list[etree._Element]:
    """Return the elements after ``element``'s subtree to the end, in document order."""
    from lxml import etree

    found: list[etree._Element] = []
    node: etree._Element | None = element
    while node is not None:
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str):
                found.extend(sibling.iter(etree.Element))
        node = node.getparent()
    return found


def _contains_any(element: etree._Element, kept: list[etree._Element]) -> bool:
    return any(k is not element and is_within(k, element) for k in kept)


def _vocab_issues(batch: _Batch, element: etree._Element) -> Iterator[Issue]:
    """Cross-check the codes in ``element`` (a record, or an element outside the records)."""
    return layers.vocab_issues(
        element,
        batch.fields,
        as_of=batch.as_of,
        source=batch.name,
        paths=batch.paths,
        noticed=batch.noticed,
    )


def _record_marker(batch: _Batch) -> str:
    """Return the start of a record's step in a path (``epay:PaymentRecord[``)."""
    return f"{batch.paths.name(batch.spec.record_tag or '')}["


def _vocab_outside(
    batch: _Batch, element: etree._Element, kept: list[etree._Element]
) -> Iterator[Issue]:
    """Cross-check codes in ``element`` but not inside the kept records."""
    marker = _record_marker(batch)
    for issue in _vocab_issues(batch, element):
        if not (issue.path and marker in issue.path):
            yield issue


__all__ = ["CHUNK", "iter_stream"]
