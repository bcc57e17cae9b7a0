"""Streaming validation of batch files (reconciliation batches, bulk claims) in constant memory.

The document is parsed with ``lxml.etree.iterparse`` (same safe settings as the
whole-document parser), reporting only the batch's record elements. Each record is
validated on its own against a per-record schema and the vocabulary, then moved into a
small "chunk" document (the root, copies of the elements before the records, and up
to :data:`CHUNK` records) on which the business rules run; the chunk is then dropped.
The first and last records stay in the tree so that the remaining "skeleton" (root,
header, trailer) is checked at the end against the full schema and the rules, with the
errors inside kept records left out (they were reported per record). Batch totals are
computed incrementally by :mod:`.aggregates`.

The issues equal whole-document mode's for the shipped kinds; rules that compare a
record with records of *other* chunks (uniqueness across the batch) only see their own
chunk, which is documented for each such rule.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from lgstandards.report import Issue
from lgstandards.safexml import (
    DEFAULT_LIMITS,
    FEED_BYTES,
    EndWatch,
    Limits,
    LogEntryError,
    Source,
    XMLInputError,
    check_doctype,
    check_shape,
    first_parser_error,
    open_checked,
    pull_parser,
    source_name,
    syntax_error,
)
from lgstandards.validate import layers
from lgstandards.validate.columns import StreamLines
from lgstandards.validate.kinds import KindSpec, prefixes, spec_for_kind, spec_for_root
from lgstandards.validate.paths import PathMaker
from lgstandards.validate.schemas import code_fields, record_schema, schema_for
from lgstandards.validate.xsd import validate_element

if TYPE_CHECKING:
    from lxml import etree

    from lgstandards.validate.engine import Options, State

#: Records per chunk document on which the business rules run.
CHUNK = 512


def peek_root(source: Source) -> tuple[str, str] | None:
    """Return (namespace, local name) of the root element, reading only the start."""
    try:
        stream, owned = open_checked(source)
    except XMLInputError:
        return None
    try:
        head = stream.read(64 * 1024)
    finally:
        if owned:
            stream.close()
        elif hasattr(source, "seek"):
            try:
                source.seek(0)
            except (OSError, ValueError):
                return None
    return root_of(head)


def root_of(head: bytes) -> tuple[str, str] | None:
    """Return (namespace, local name) of the root start tag found in ``head``."""
    from lxml import etree

    parser = pull_parser(events=("start",))
    try:
        parser.feed(head)
        for _, element in parser.read_events():
            tag = element.tag
            if isinstance(tag, str):
                if tag.startswith("{"):
                    namespace, _, local = tag[1:].partition("}")
                    return namespace, local
                return "", tag
    except etree.XMLSyntaxError:
        return None
    return None


def streamable(source: Source, options: Options) -> bool:
    """Tell whether ``source`` is a batch kind with a record element (streaming possible)."""
    if isinstance(source, str | os.PathLike):
        found = peek_root(source)
        if found is None:
            return False
        spec = spec_for_kind(options.kind) if options.kind else spec_for_root(*found)
    elif isinstance(source, bytes | bytearray | memoryview):
        found = root_of(bytes(source[: 64 * 1024]))
        if found is None:
            return False
        spec = spec_for_kind(options.kind) if options.kind else spec_for_root(*found)
    else:
        spec = spec_for_kind(options.kind) if options.kind else None
        if spec is None:
            return True  # decided on the first element of the stream
    return spec is not None and spec.record is not None


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
    #: The source lines still at hand (for columns).
    lines: StreamLines | None = None
    #: Lists whose version notice was given (once per document).
    noticed: set[str] = field(default_factory=set)


def iter_stream(
    source: Source, options: Options, *, name: str | None = None, state: State | None = None
) -> Iterator[Issue]:
    """Validate a batch document in streaming mode, yielding issues as they are found."""
    from lgstandards.validate.engine import input_issue

    name = name or source_name(source)
    try:
        stream, owned = open_checked(source, name=name)
    except XMLInputError as exc:
        yield input_issue(exc, name)
        return
    try:
        reopen = None
        if isinstance(source, str | os.PathLike | bytes | bytearray | memoryview):

            def reopen() -> tuple[IO[bytes], bool]:
                return open_checked(source, name=name)

        yield from _iter_open(stream, options, name=name, state=state, reopen=reopen)
    except XMLInputError as exc:
        yield input_issue(exc, name)
    finally:
        if owned:
            stream.close()


def _iter_open(
    stream: IO[bytes],
    options: Options,
    *,
    name: str | None,
    state: State | None,
    reopen: Callable[[], tuple[IO[bytes], bool]] | None = None,
) -> Iterator[Issue]:
    from lgstandards.validate.engine import check_tree, detect, unknown_kind

    head = stream.peek(64 * 1024) if hasattr(stream, "peek") else b""
    found = root_of(head[: 64 * 1024]) if head else None
    spec: KindSpec | None
    if options.kind:
        spec = spec_for_kind(options.kind)
    elif found is not None:
        spec = spec_for_root(*found)
    else:
        spec = None
    limits: Limits = options.limits or DEFAULT_LIMITS
    if spec is None or spec.record_tag is None:
        # Not a batch: parse the whole document (bounded by max_bytes) and check it.
        from lgstandards.safexml import parse_bytes

        data = stream.read(limits.max_bytes + 1)
        tree = parse_bytes(data, limits=limits, name=name)
        root = tree.getroot()
        if spec is None and detect(root, options) is None:
            yield unknown_kind(root, source=name)
            return
        yield from check_tree(tree, options, name=name, state=state, hint=data)
        return
    if state is not None:
        state.kind = spec.kind
    paths = PathMaker(prefixes(), spec.record_tag, stable=False)
    batch = _Batch(spec, options, name, paths)
    if "vocab" in options.checks and spec.schema_file is not None:
        batch.fields = code_fields(spec.schema_file)
    from lgstandards.validate.aggregates import aggregates_for

    batch.aggregates = aggregates_for(spec) if "rules" in options.checks else []
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
    actual_root = None
    if found is not None:
        actual_root = f"{{{found[0]}}}{found[1]}" if found[0] else found[1]
    source = _RecordSource(
        stream, spec, full_xsd, limits, name, reopen=reopen, root_tag=actual_root
    )
    batch.lines = source.lines
    record_tag = spec.record_tag
    walk = limits.walk
    record_index = batch.paths.record_index
    rules = "rules" in options.checks
    parent_seen: Any = None  # the parent of the last record, known not to be a record
    for record, suspect in source:
        parent = record.getparent()
        if parent is not parent_seen:
            if _nested_record(record, record_tag):
                continue
            batch.mixed_parents = parent_seen is not None
            parent_seen = parent
        if batch.root is None:
            yield from _begin(batch, record)
        batch.count += 1
        record_index[record] = batch.count
        if walk:
            check_shape(record, limits, name, depth=_depth(record))
        failed: set[str] = set()
        if record_xsd is not None and suspect:
            for issue in validate_element(
                record_xsd,
                record,
                context=record,
                paths=batch.paths,
                source=name,
                lines=source.lines,
            ):
                failed.add(issue.path or "")
                yield issue
        if batch.fields:
            for issue in layers.vocab_issues(
                record,
                batch.fields,
                as_of=batch.as_of,
                source=name,
                paths=batch.paths,
                noticed=batch.noticed,
            ):
                if issue.path not in failed:
                    yield issue
        for aggregate in batch.aggregates:
            aggregate.record(record)
        if _advance(batch, record, rules):
            yield from _run_chunk(batch)
    if batch.root is None:
        # No records: the parsed document is small; check it as a whole.
        from lgstandards.validate.engine import check_tree

        if source.root is not None:
            yield from check_tree(
                source.root.getroottree(), batch.options, name=name, hint=source.lines.whole()
            )
        return
    yield from _finish(batch)


class _RecordSource:
    """Yield (record, suspect) while parsing, validating the whole document as it goes.

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
        reopen: Callable[[], tuple[IO[bytes], bool]] | None = None,
        root_tag: str | None = None,
    ) -> None:
        self.root_tag = root_tag or spec.root_tag
        self.reopen = reopen
        self.complete = False
        self.stream = stream
        self.spec = spec
        self.schema = schema
        self.limits = limits
        self.name = name
        self.root: Any = None
        #: The source lines still at hand, for the columns of schema errors.
        self.lines = StreamLines()

    def __iter__(self) -> Iterator[tuple[Any, bool]]:
        from lxml import etree

        from lgstandards.safexml import XINCLUDE_NS, may_hold_xinclude

        parser = pull_parser(
            self.limits,
            tag=[self.spec.record_tag or "", self.root_tag, f"{{{XINCLUDE_NS}}}*"],
            schema=self.schema,
        )
        checked = False
        watch = EndWatch()
        carry = False
        lines = self.lines
        # Until the bytes show the XInclude namespace or a character reference (which
        # could spell it), no event can be an XInclude element: tags need no check.
        maybe_xinclude = False
        tail = b""
        while True:
            chunk = self.stream.read(FEED_BYTES)
            lines.feed(chunk)
            if not maybe_xinclude:
                window = tail + chunk
                maybe_xinclude = may_hold_xinclude(window)
                tail = window[-len(XINCLUDE_NS) :]
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
            dirty = self.schema is not None and len(parser.feed_error_log) > before
            for _, element in parser.read_events():
                if not checked:
                    check_doctype(element.getroottree(), name=self.name)
                    checked = True
                if watch.seen(element):
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
                yield element, dirty or carry
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
                return

    def _syntax(self, exc: Exception, entry: Any, *, truncated: bool) -> XMLInputError:
        from lgstandards.safexml import iterparse_xml

        if entry is None and self.schema is not None and self.reopen is not None:
            # libxml2's validating parser hides the syntax error: find it without the schema.
            stream, owned = self.reopen()
            try:
                for _ in iterparse_xml(stream, tag="-", limits=self.limits, name=self.name):
                    pass
            except XMLInputError as found:
                return found
            finally:
                if owned:
                    stream.close()
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
            copy = deepcopy(record)
            batch.paths.record_index[copy] = 1
            batch.chunk.append(copy)
        return False
    if previous is not None and previous is not batch.first:
        if rules:
            batch.chunk.append(previous)  # moved into the chunk document later
        else:
            del batch.paths.record_index[previous]
            batch.dropped += 1
            if batch.dropped >= DROP_EVERY:
                _drop_between(batch, record)
    return len(batch.chunk) >= CHUNK


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
    if (end - start == dropped and not batch.mixed_parents) or all(
        child.tag == tag for child in parent[start:end]
    ):
        # all records since the last drop are children of ``parent``: as many children
        # as records are those records
        del parent[start:end]
    else:  # something else sits between records: keep it for the skeleton checks
        for child in parent[start:end]:
            if child.tag == tag:
                parent.remove(child)


def _chunk_document(batch: _Batch, records: list[etree._Element]) -> etree._Element:
    """Build root + header copies + the records' ancestors, then move the records in."""
    from lxml import etree

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
        shell.sourceline = original.sourceline  # type: ignore[misc]
        if copies:
            copies[-1].append(shell)
        copies.append(shell)
        stop = ancestors[i + 1] if i + 1 < len(ancestors) else first
        for child in original:
            if child is stop:
                break
            if isinstance(child.tag, str) and child.tag != batch.spec.record_tag:
                shell.append(deepcopy(child))
    container = copies[-1]
    for record in records:
        container.append(record)
    return copies[0]


def _run_chunk(batch: _Batch) -> Iterator[Issue]:
    records, batch.chunk = batch.chunk, []
    if not records:
        return
    document = _chunk_document(batch, records)
    marker = f"{batch.paths.name(batch.spec.record_tag or '')}["
    exclude = _aggregate_codes(batch)
    for issue in layers.rule_issues(
        batch.spec, document, source=batch.name, paths=batch.paths, exclude=exclude
    ):
        if issue.path and marker in issue.path:
            yield issue
    for record in records:
        batch.paths.record_index.pop(record, None)
    document.clear()


def _aggregate_codes(batch: _Batch) -> frozenset[str]:
    return frozenset(code for a in batch.aggregates for code in a.codes)


def _finish(batch: _Batch) -> Iterator[Issue]:
    """Run the last chunk, then check the skeleton (root, header, kept records, trailer)."""
    last = batch.previous
    if last is not None and last is not batch.first and "rules" in batch.options.checks:
        copy = deepcopy(last)
        batch.paths.record_index[copy] = batch.count
        batch.chunk.append(copy)
    yield from _run_chunk(batch)
    root = batch.root
    tree = root.getroottree()
    name = batch.name
    kept = [r for r in (batch.first, last) if r is not None]
    limits: Limits = batch.options.limits or DEFAULT_LIMITS
    if limits.walk:
        for child in root:
            if child not in kept:
                check_shape(child, limits, name, depth=2)
    for element in root.iter():
        if element is not root and element not in kept:
            yield from layers.schema_locations(element, source=name)
    marker = f"{batch.paths.name(batch.spec.record_tag or '')}["
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
            batch.spec, tree, source=name, paths=batch.paths, exclude=exclude
        ):
            if not (issue.path and marker in issue.path):
                yield issue
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
                found = layers.vocab_issues(
                    child,
                    batch.fields,
                    as_of=batch.as_of,
                    source=name,
                    paths=batch.paths,
                    noticed=batch.noticed,
                )
            elif child not in kept:
                found = _vocab_outside(batch, child, kept)
            else:
                continue
            yield from (i for i in found if i.path not in batch.failed)


def _contains_any(element: etree._Element, kept: list[etree._Element]) -> bool:
    return any(k is not element and _is_ancestor(element, k) for k in kept)


def _is_ancestor(ancestor: etree._Element, element: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def _vocab_outside(
    batch: _Batch, element: etree._Element, kept: list[etree._Element]
) -> Iterator[Issue]:
    """Cross-check codes in ``element`` but not inside the kept records."""
    for issue in layers.vocab_issues(
        element,
        batch.fields,
        as_of=batch.as_of,
        source=batch.name,
        paths=batch.paths,
        noticed=batch.noticed,
    ):
        marker = f"{batch.paths.name(batch.spec.record_tag or '')}["
        if not (issue.path and marker in issue.path):
            yield issue


__all__ = ["CHUNK", "iter_stream", "peek_root", "root_of", "streamable"]
