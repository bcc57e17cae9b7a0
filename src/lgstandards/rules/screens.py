"""Quick screens of Schematron assertions made on every record of a batch.

A Schematron rule whose context is a batch's record (``epay:PaymentRecord``) is
evaluated once per record; in XSLT that is most of a large batch's rule time. A
*screen* here reads the values the rule looks at for all records at once (one
tag-filtered walk in libxml2 per child name) and returns the records that *may* fail:
those it cannot clear with certainty. :class:`~lgstandards.rules.schematron.CompiledRules`
then evaluates the rule's own test (its XPath, in libxml2 as the XSLT would) on those
records only, and renders its messages from the ``.sch`` file; the Schematron stays the
published statement of the rule, and a screen never decides a finding, it only clears
records that cannot give one. A screen that is unsure of the whole document (its
records are not where it expects them) returns None and the XSLT runs the rule as before.

:data:`SCREENS` maps (the Clark tag of the context element, the assertion id) to a screen.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import compress, repeat
from operator import attrgetter, is_, lt
from types import MappingProxyType
from typing import Any, Final

from lgstandards._regex import LazyPattern

_E = "{urn:lgstandards:epay:1}"
_RECORD = f"{_E}PaymentRecord"
#: The fewest records whose columns are read in C (a small document starts faster
#: without loading the library, and reads its few values as fast in Python).
NATIVE_FROM = 64
#: By root tag, the columns the last document's rules asked of its records, in order:
#: a document's first column is read with them (in C, one walk for them all), as the
#: chunks of a streamed batch (or the batches of one kind) ask for the same columns.
_LAST_ASKED: dict[str, list[str]] = {}

#: A value the screens cannot read as its text: the element has child nodes (a
#: comment, a processing instruction, an element, an unexpanded entity), or the record
#: has more than one such child (the rule reads the first in document order).
ODD: Final = object()


class Records:
    """One document's batch records and their children's values, read once per rule run.

    Made afresh for each run of a file's rules (:meth:`CompiledRules.checked
    <lgstandards.rules.schematron.CompiledRules.checked>`) and shared by its screens, so
    that two screens reading the same records or column walk the tree once. Holds the
    records' element objects only for the run (which also keeps them the same objects).
    """

    def __init__(self, root: Any, sparse: Mapping[str, list[Any]] | None = None) -> None:
        self.root = root
        self._records: list[Any] | None = None
        self._columns: dict[str, list[Any]] = {}
        #: The texts of each column's elements outside records (None: not known so).
        self._outside: dict[str, list[str] | None] = {}
        self._elements: dict[str, list[Any]] = {}
        self._sparse = sparse
        #: The columns asked of :meth:`column` so far (None: none yet).
        self._asked: list[str] | None = None

    def sparse(self, tag: str) -> list[Any]:
        """Return the elements with one of :data:`SPARSE_TAGS` (``tag``), in document order.

        Found by one tag-filtered walk for them all, unless given (``sparse``: by tag,
        from a walk the caller makes anyway, see
        :meth:`~lgstandards.rules.schematron.CompiledRules.checked`).
        """
        if self._sparse is None:
            found: dict[str, list[Any]] = {}
            for element in self.root.iter(*SPARSE_TAGS):
                found.setdefault(str(element.tag), []).append(element)
            self._sparse = found
        return self._sparse.get(tag, [])

    @property
    def all(self) -> list[Any]:
        """Every ``epay:PaymentRecord`` in the document, in document order."""
        if self._records is None:
            self._records = list(self.root.iter(_RECORD))
        return self._records

    def column(self, tag: str) -> list[Any]:
        """:func:`child_values` of :attr:`all` for ``tag``.

        Read in C where the column is plain (:func:`lgstandards.rules._columns.read_columns`:
        no element objects), the first with the columns the last document's rules asked
        for (:data:`_LAST_ASKED`), in one walk of the tree; else in Python. Only the
        texts are kept: the column's elements go as soon as they are read (those a rule
        asked for with :meth:`elements` are read from there), so that the next column's
        element objects reuse their memory while it is in the CPU's cache (keeping every
        column's elements to the end cost a valid 100,000-record batch 3 % more time).
        """
        found = self._columns.get(tag)
        if found is None:
            records = self.all
            asked = self._asked
            if asked is None:  # the first column: the last document's columns come along
                hinted = _LAST_ASKED.get(self.root.tag, ())
                asked = self._asked = []
                _LAST_ASKED[self.root.tag] = asked
                tags = [tag, *(t for t in hinted if t != tag)]
            else:
                tags = [tag]
            asked.append(tag)
            read = None
            if len(records) >= NATIVE_FROM:
                from lgstandards.rules import _columns  # ctypes: only for batches that pay

                read = _columns.read_columns(
                    self.root, len(records), _RECORD, tags[: _columns.MOST_COLUMNS]
                )
            if read is not None:
                for name, column in zip(tags, read, strict=False):
                    self._columns[name], self._outside[name] = column
                return self._columns[tag]
            elements, parents, texts, others = _read_column_outside(
                self.root, records, tag, self._elements.get(tag)
            )
            found = texts if texts is not None else _values_by_parent(records, elements, parents)
            self._columns[tag] = found
            self._outside[tag] = (
                None
                if others is None or any(map(len, others))
                else [text or "" for text in map(_TEXT, others)]
            )
        return found

    def texts(self, tag: str) -> set[str] | None:
        """Return the texts of every ``tag`` element in the document, or None.

        From the records' column (:meth:`column`, read once for every rule) and the few
        other such elements; None when one has child nodes (its text is not its value)
        or a record has two (then read the elements, :meth:`elements`). An empty
        element's text is "".
        """
        column = self.column(tag)
        outside = self._outside.get(tag)
        if outside is None or ODD in column:
            return None
        found: set[str] = set(column)
        found.discard(None)  # a record without one
        found.update(outside)
        return found

    def elements(self, tag: str) -> list[Any]:
        """Every element with the Clark tag ``tag`` in the document, in document order."""
        found = self._elements.get(tag)
        if found is None:
            found = self._elements[tag] = list(self.root.iter(tag))
        return found


#: The :class:`Records` the rules running now share (see :func:`sharing`).
_SHARED: ContextVar[Records | None] = ContextVar("lgstandards_shared_records", default=None)


@contextmanager
def sharing(root: Any) -> Iterator[Records]:
    """Let the rules run inside the block share one :class:`Records` of ``root``.

    The rules of one document read some of the same elements (the records, the fund
    codes): each is then read once (:func:`records_for`). The records and columns are
    held until the block ends, Python's cyclic collector paused meanwhile (see
    :class:`CollectionPaused`); the caller must not change the tree inside the block.
    A block inside another's for the same ``root`` shares the outer block's.
    """
    found = shared(root)
    if found is not None:
        yield found
        return
    records = Records(root)
    token = _SHARED.set(records)
    try:
        with CollectionPaused():
            yield records
    finally:
        _SHARED.reset(token)


def shared(root: Any) -> Records | None:
    """Return the :class:`Records` of ``root`` that the running rules share, or None."""
    found = _SHARED.get()
    return found if found is not None and found.root is root else None


def shared_records(records: Sequence[Any]) -> Records | None:
    """Return the shared :class:`Records` whose records are ``records``, or None.

    The same elements in the same order (alive, held by the caller), so that the
    columns read for ``records`` are those the running rules read (a streamed chunk's
    records, which its totals add up before its rules run).
    """
    found = _SHARED.get()
    if found is None or not records or found.all != records:
        return None
    return found


def records_for(root: Any, sparse: Mapping[str, list[Any]] | None = None) -> Records:
    """Return the shared :class:`Records` of ``root`` (see :func:`sharing`), or a new one.

    ``sparse``: as for :class:`Records` (given to a shared one that has none yet).
    """
    found = shared(root)
    if found is None:
        return Records(root, sparse)
    if sparse is not None and found._sparse is None:
        found._sparse = sparse
    return found


class CollectionPaused:
    """Pause Python's cyclic garbage collector while a batch's columns are read (``with``).

    Reading a column makes a proxy object for each of its elements; holding a hundred
    thousand of them (the records, a column) sets off collections that walk them all,
    some tenth of the reading's time, and finds no garbage (a proxy is freed as its last
    reference goes). Nothing is kept from collection: the collector runs again at the
    next allocations after the block, as it would have. A collector that was off stays
    off; blocks may nest or overlap across threads (a counter: the last one out resumes).
    """

    _lock = threading.Lock()
    _depth = 0
    _resume = False

    def __enter__(self) -> None:
        with CollectionPaused._lock:
            if CollectionPaused._depth == 0:
                CollectionPaused._resume = gc.isenabled()
                gc.disable()
            CollectionPaused._depth += 1

    def __exit__(self, *exc: object) -> None:
        with CollectionPaused._lock:
            CollectionPaused._depth -= 1
            if CollectionPaused._depth == 0 and CollectionPaused._resume:
                gc.enable()


#: A screen: the records of a document -> the context elements that may fail, in
#: document order (a superset of those that do), or None to leave the rule to the XSLT.
Screen = Callable[[Records], "list[Any] | None"]


def child_values(
    root: Any, records: Sequence[Any], tag: str, *, record_tag: str | None = None
) -> list[Any]:
    """Return, per record, the text of its ``tag`` child: None for none, :data:`ODD` if unsure.

    The text is the child's XPath string value when it has no child nodes (else
    :data:`ODD`, as for a record with two such children). ``records`` must be alive
    (held by the caller), so that ``getparent`` gives the same objects. One
    tag-filtered walk (libxml2); a column in which every record has one plain child
    costs no Python loop (:func:`plain_column`). ``record_tag``: the caller's word that
    ``records`` are the elements so named under ``root`` (all, or all its children so
    named), in document order: the column may then be read in C (see :meth:`Records.column`).
    """
    if record_tag is not None and len(records) >= NATIVE_FROM:
        from lgstandards.rules import _columns

        read = _columns.read_columns(root, len(records), record_tag, [tag])
        if read is not None:  # as many records so named under root: the same ones
            return read[0].values
    found, parents, texts = _read_column(root, records, tag)
    return texts if texts is not None else _values_by_parent(records, found, parents)


def plain_column(root: Any, records: Sequence[Any], tag: str) -> list[str] | None:
    """Return :func:`child_values` when every record has exactly one ``tag`` child, plain.

    Plain: with no child nodes, so that its text is its string value. None otherwise
    (a record with none, two, or one holding a comment or an element).
    """
    found, parents, texts = _read_column(root, records, tag)
    if texts is not None:
        return texts
    values = _values_by_parent(records, found, parents)  # e.g. ``records``: some of root's
    return None if None in values or ODD in values else values


def _read_column(
    root: Any, records: Sequence[Any], tag: str, elements: list[Any] | None = None
) -> tuple[list[Any], list[Any], list[Any] | None]:
    """Return the ``tag`` elements with a record parent, their parents, and the texts or None.

    The texts when every record has exactly one such child, with no child nodes: each
    step (parents, their identity, the children's counts, the texts) is then one call
    mapped over the column in C. None otherwise, for :func:`_values_by_parent`.
    ``elements``: every ``tag`` element under ``root``, when read already (not changed).
    """
    found, parents, texts, _ = _read_column_outside(root, records, tag, elements)
    return found, parents, texts


def _read_column_outside(
    root: Any, records: Sequence[Any], tag: str, elements: list[Any] | None = None
) -> tuple[list[Any], list[Any], list[Any] | None, list[Any] | None]:
    """:func:`_read_column`, and the ``tag`` elements whose parent is not a record.

    Those others in document order (a trailer's), or None when not told apart.
    """
    from lxml.etree import _Element  # loaded already: the document was parsed with it

    found = list(root.iter(tag)) if elements is None else elements
    count = len(records)
    if not found:
        return [], [], [] if not count else None, []
    parents = list(map(_Element.getparent, found))
    record_tag = records[0].tag if records else None
    outside: list[Any] | None = None
    if len(found) < count or not all(map(is_, parents, records)):
        members = set(records)  # leave out the elements outside records (a header's)
        keep = [parent in members for parent in parents]
        outside = [element for element, kept in zip(found, keep, strict=True) if not kept]
        found, parents = list(compress(found, keep)), list(compress(parents, keep))
    elif len(found) > count and not any(
        parent is not None and parent.tag == record_tag for parent in parents[count:]
    ):  # one in each record, then others outside records (a trailer's)
        outside = found[count:]
        found, parents = found[:count], parents[:count]
    elif len(found) == count:
        outside = []
    if len(found) == count and all(map(is_, parents, records)) and not any(map(len, found)):
        texts: list[Any] = list(map(_TEXT, found))
        if None in texts:  # an empty element: its string value is ""
            texts = [text or "" for text in texts]
        return found, parents, texts, outside
    return found, parents, None, outside


#: ``element.text``, as a function mapped over a column in C.
_TEXT: Final = attrgetter("text")


def _values_by_parent(records: Sequence[Any], found: list[Any], parents: list[Any]) -> list[Any]:
    """:func:`child_values` of any shape: each of ``found`` (its parent in ``parents``) in turn."""
    values: list[Any] = [None] * len(records)
    record_tag = records[0].tag if records else None
    if all(parent is None or parent.tag != record_tag for parent in parents):
        return values  # elsewhere only (a batch header's PeriodFrom)
    index = {record: position for position, record in enumerate(records)}
    for element, parent in zip(found, parents, strict=True):
        position = index.get(parent)
        if position is None:
            continue  # outside the records (a trailer's)
        values[position] = (
            ODD if values[position] is not None or len(element) else (element.text or "")
        )
    return values


#: An ``xs:date`` as written in a valid batch: its XPath ``number(translate(., '-', ''))``
#: is the integer ``YYYYMMDD``, exactly; two such dates compare as numbers as they
#: compare as strings.
_PLAIN_DATE = LazyPattern(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _first_of(columns: list[list[Any]]) -> list[Any]:
    """Merge columns of which a record has at most one value; two values: :data:`ODD`.

    (XPath takes the first of a union in document order, which the columns do not keep.)
    """
    present = [column for column in columns if column.count(None) < len(column)]
    if not present:
        return columns[0] if columns else []
    if len(present) == 1:
        return present[0]
    merged: list[Any] = []
    for values in zip(*present, strict=True):
        given = [v for v in values if v is not None]
        merged.append(None if not given else given[0] if len(given) == 1 else ODD)
    return merged


#: The children EPAY-R014 reads on a PaymentRecord, by role: the start (transaction date
#: or period start), the captured date, the settled date (or posting date, period end)
#: and the paid-out date.
_STARTS = (f"{_E}TransactionDate", f"{_E}Created", f"{_E}PeriodFrom")
_SETTLED = (f"{_E}SettledDate", f"{_E}PostingDate", f"{_E}PeriodTo")


def date_order_suspects(batch: Records) -> list[Any] | None:
    """EPAY-R014 on ``epay:PaymentRecord``: the records whose dates may be out of order.

    A record is cleared when every date it has is a plain ``YYYY-MM-DD`` and none is
    before the transaction date, nor the paid-out date before the captured or settled
    date (the assertion's test, in which such dates compare as their strings do); any
    other record (an odd or missing date, dates in the wrong order) is a suspect, for
    the assertion's own test to decide.
    """
    records = batch.all
    if not records:
        return []

    # The optional dates (and names a batch header also uses) are looked for in one walk;
    # a name none of whose elements is in a record is a column of None.
    optional = _OPTIONAL_DATES
    record_tag = records[0].tag
    in_records = {
        tag
        for tag in optional
        if any((p := e.getparent()) is not None and p.tag == record_tag for e in batch.sparse(tag))
    }
    absent = [None] * len(records)  # one list, known by identity: never scanned

    def column(tag: str) -> list[Any]:
        if tag in optional and tag not in in_records:
            return absent
        return batch.column(tag)

    def first_of(tags: Sequence[str]) -> list[Any]:
        present = [found for found in map(column, tags) if found is not absent]
        return _first_of(present) if present else absent

    start = first_of(_STARTS)
    captured = column(f"{_E}CapturedDate")
    settled = first_of(_SETTLED)
    paid = column(f"{_E}PaidOutDate")
    seen = set(start).union(*(found for found in (captured, settled, paid) if found is not absent))
    plain: set[Any] = {v for v in seen if isinstance(v, str) and _PLAIN_DATE().fullmatch(v)}
    count = len(records)
    if (
        (settled is absent or settled.count(None) == count)
        and (paid is absent or paid.count(None) == count)
        and captured.count(None) == 0
        and plain.issuperset(start)
        and plain.issuperset(captured)
    ):  # the usual batch: a transaction and a captured date each, both plain
        return list(compress(records, map(lt, captured, start)))
    plain.add(None)  # absent: the test does not read it (start: checked below)
    suspects = []
    for record, first, capture, settle, pay in zip(
        records, start, captured, settled, paid, strict=True
    ):
        if capture is None and settle is None and pay is None:
            continue  # the test holds whatever the start is
        if (
            first is None
            or not (first in plain and capture in plain and settle in plain and pay in plain)
            or (capture is not None and capture < first)
            or (
                settle is not None
                and (settle < first or (capture is not None and settle < capture))
            )
            or (
                pay is not None
                and (
                    pay < first
                    or (capture is not None and pay < capture)
                    or (settle is not None and pay < settle)
                )
            )
        ):
            suspects.append(record)
    return suspects


#: The optional dates EPAY-R014 reads on a record (a batch header also has some).
_OPTIONAL_DATES: Final = frozenset({*_STARTS[1:], *_SETTLED, f"{_E}PaidOutDate"})
#: The names the screens look for anywhere in a document, few as they are in a batch
#: (:meth:`Records.sparse`): the optional dates and the trailer.
SPARSE_TAGS: Final = frozenset({*_OPTIONAL_DATES, f"{_E}Trailer"})


#: The trailer's counts COM-R008 and COM-R009 compare, and the record type each counts
#: (None: every record).
_TRAILER_COUNTS = (
    ("RecordCount", None),
    ("PaymentCount", "PAYMENT"),
    ("RefundCount", "REFUND"),
    ("DisputeCount", "DISPUTE"),
)


def trailer_count_suspects(batch: Records) -> list[Any]:
    """COM-R008 and COM-R009 on a batch's trailer: the trailers whose counts may be wrong.

    The records (``../epay:PaymentRecord``) are counted, overall and per record type (a
    record's one ``RecordType`` child, its text; a record with two, or one with child
    nodes, makes its trailer a suspect); a trailer is cleared when each count it
    states, read as the assertions read it (XPath ``number()``), equals the count.
    """
    from collections import Counter

    suspects = []
    for trailer in batch.sparse(f"{_E}Trailer"):
        parent = trailer.getparent()
        if parent is None or parent.tag != f"{_E}ReconciliationBatch":
            continue
        from lxml.etree import _Element

        records = batch.all
        if all(map(is_, map(_Element.getparent, records), repeat(parent))):
            types = batch.column(f"{_E}RecordType")  # the usual batch: its records are all
        else:
            records = list(parent.iterchildren(f"{_E}PaymentRecord"))
            types = child_values(parent, records, f"{_E}RecordType")
        counted = Counter(types)
        if ODD in counted:
            suspects.append(trailer)
            continue
        for name, kind in _TRAILER_COUNTS:
            stated = trailer.xpath(
                f"number(*[local-name() = '{name}' and namespace-uri() = '{_E[1:-1]}'])"
            )
            if stated != (len(records) if kind is None else counted[kind]):
                suspects.append(trailer)
                break
    return suspects


#: (Clark tag of the context element, assertion id) -> its screen.
SCREENS: Mapping[tuple[str, str], Screen] = MappingProxyType(
    {
        (f"{_E}PaymentRecord", "EPAY-R014"): date_order_suspects,
        (f"{_E}Trailer", "COM-R008"): trailer_count_suspects,
        (f"{_E}Trailer", "COM-R009"): trailer_count_suspects,
    }
)


__all__ = [
    "ODD",
    "SCREENS",
    "SPARSE_TAGS",
    "CollectionPaused",
    "Records",
    "Screen",
    "child_values",
    "date_order_suspects",
    "plain_column",
    "records_for",
    "shared",
    "sharing",
    "trailer_count_suspects",
]
