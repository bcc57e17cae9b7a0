"""Streaming's fast paths give the issues of the paths they replace, whatever the batch holds.

Two fast paths: (1) the records of a piece that need nothing of their own (children of
the last records' parent, each right after the one before) are taken a run at a time
(``stream._take_run``) instead of one loop turn each; (2) the record screen's wrapper
sits in the chunk document while it screens (``RecordScreen.suspects(..., home=...)``),
then is stripped there (``unwrap``), so that the records change document once and move
no more. Each is compared with the path it replaces (runs of none; the wrapper in its
own document, the records appended to the chunk document) on batches holding what must fall back
or break a run: comments, instructions, CDATA sections, character references, records
with another prefix, missing, repeated and empty elements, whitespace and elements out
of place between records, records cut across chunks and pieces, lines past 65,535.
"""

from __future__ import annotations

from typing import Any

import pytest
from epay_batches import NS, records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from tests_validate_support import batch_xml
from validation.test_stream_record_screen import (
    CHANGES,
    batch_parts,
    epay_record_schemas,
    stream_report,
)

from lgstandards.validation import stream
from lgstandards.validation.recordscreen import RecordScreen

#: What may sit between two records (each breaks a run, or is whitespace that does not).
BETWEEN = [
    "",
    "<!-- between -->",
    "<?between records?>",
    "\n\n   ",
    "<![CDATA[ ]]>",
    "&#32;",
    "  <epay:Note>x</epay:Note>\n",
    "<epay:PaymentRecord/>",  # an empty record
]

#: How a record is written: as generated, or with another prefix for its namespace.
PREFIXES = ["epay", "other"]


def _record(n: int, changes: list[int], prefix: str) -> str:
    xml = list(records(n))[-1][0]
    for change in changes:
        old, new = CHANGES[change]
        xml = xml.replace(old, new, 1) if old else xml
    if prefix != "epay":
        xml = xml.replace("epay:", f"{prefix}:").replace(
            f"<{prefix}:PaymentRecord", f'<{prefix}:PaymentRecord xmlns:{prefix}="{NS}"', 1
        )
    return xml


def _batch(plan: list[tuple[list[int], int, int]], *, padding: int) -> bytes:
    """A batch whose n-th record has ``plan[n]``: its changes, what follows it, its prefix."""
    head, trailer = batch_parts(len(plan))
    body = "".join(
        _record(n, changes, PREFIXES[prefix]) + BETWEEN[after]
        for n, (changes, after, prefix) in enumerate(plan, 1)
    )
    return (head + "\n" * padding + body + trailer).encode()


_PLAN = st.lists(
    st.tuples(
        st.lists(st.integers(0, len(CHANGES) - 1), max_size=2),
        st.sampled_from([0] * 8 + list(range(1, len(BETWEEN)))),
        st.sampled_from([0] * 6 + [1]),
    ),
    min_size=1,
    max_size=40,
)


def _replaced(data: bytes, chunk: int, piece: int, **options: Any) -> Any:
    """The streamed report by the paths replaced: no run, the wrapper in its own document."""
    screen = RecordScreen.suspects

    def alone(self: RecordScreen, batch_records: list[Any], home: Any = None) -> list[Any]:
        return screen(self, batch_records)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "_plain_run", lambda *_: 0)
        patch.setattr(RecordScreen, "suspects", alone)
        return stream_report(data, chunk, piece, **options)


def _same(fast: Any, replaced: Any) -> None:
    assert [i.to_dict() for i in fast] == [i.to_dict() for i in replaced]
    assert list(fast) == list(replaced)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=_PLAN,
    chunk=st.sampled_from([1, 2, 3, 5, 8, 512]),
    piece=st.sampled_from([256, 700, 4096, 64 * 1024]),
    padding=st.sampled_from([0, 0, 70_000]),
)
def test_streamed_runs_equal_records_one_by_one(
    plan: list[tuple[list[int], int, int]], chunk: int, piece: int, padding: int
) -> None:
    data = _batch(plan, padding=padding)
    _same(stream_report(data, chunk, piece), _replaced(data, chunk, piece))


@pytest.mark.parametrize("checks", [["xsd"], ["rules"], ["xsd", "vocab"], ["xsd", "rules"]])
def test_streamed_runs_equal_records_one_by_one_for_each_check(checks: list[str]) -> None:
    plan = [([i % len(CHANGES)] if i % 3 else [], i % len(BETWEEN), i % 5 == 4) for i in range(60)]
    data = _batch([(c, a, int(p)) for c, a, p in plan], padding=0)
    for chunk, piece in ((4, 512), (512, 64 * 1024)):
        fast = stream_report(data, chunk, piece, checks=checks)
        _same(fast, _replaced(data, chunk, piece, checks=checks))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(1, 60),
    bad_every=st.integers(0, 9),
    odd=st.integers(0, 7),
    chunk=st.sampled_from([1, 3, 7, 512]),
    piece=st.sampled_from([300, 4096]),
)
def test_streamed_runs_under_a_container_equal_records_one_by_one(
    count: int, bad_every: int, odd: int, chunk: int, piece: int
) -> None:
    data = batch_xml(count, bad_every=bad_every)
    if odd:  # comments, CDATA and instructions inside and between the records
        data = data.replace(b"<tb:Postcode>", b"<!-- c --><tb:Postcode>", odd)
        data = data.replace(b"<tb:Reference>REF", b"<tb:Reference><![CDATA[REF]]>", odd)
        data = data.replace(b"</tb:Record>\n", b"</tb:Record><?pi x?>\n", odd)
    _same(stream_report(data, chunk, piece), _replaced(data, chunk, piece))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, len(CHANGES) - 1), min_size=1, max_size=12))
def test_the_screen_in_the_chunk_document_names_the_same_suspects(changes: list[int]) -> None:
    """With a home in another document the wrapper screens as alone, then leaves it."""
    _, found = epay_record_schemas()
    head, trailer = batch_parts(len(changes))
    body = "".join(_record(n, [c], "epay") for n, c in enumerate(changes, 1))
    data = (head + body + trailer).encode()
    parser = etree.XMLParser(resolve_entities=False)
    alone = list(etree.fromstring(data, parser).iterchildren(f"{{{NS}}}PaymentRecord"))
    root = etree.fromstring(data, parser)
    placed = list(root.iterchildren(f"{{{NS}}}PaymentRecord"))
    home = etree.Element(root.tag, nsmap=root.nsmap)  # as the chunk document's shell
    by_itself = RecordScreen(found[0], found[1], dict(root.nsmap)).suspects(alone)
    expected = [alone.index(r) for r in by_itself]
    screen = RecordScreen(found[0], found[1], dict(root.nsmap))
    header = etree.SubElement(home, f"{{{NS}}}Header")
    for _ in range(2):  # the wrapper stripped, then named again for the next chunk
        suspects = screen.suspects(placed, home=home)
        assert [placed.index(r) for r in suspects] == expected
        assert screen.wrapper.getparent() is home
        assert screen.unwrap()  # the records in its place, in order
        assert screen.wrapper.getparent() is None
        assert list(home) == [header, *placed]
        assert all(r.prefix == "epay" for r in placed)
    suspects = screen.suspects(placed, home=home)
    home.extend(placed)  # or the records move on within the document
    screen.release()
    assert screen.wrapper.getparent() is None
    assert list(home) == [header, *placed]
    assert not screen.unwrap()  # no parent: nothing to strip
