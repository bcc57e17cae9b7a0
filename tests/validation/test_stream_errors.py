"""Errors found while streaming equal the whole document's, wherever they fall.

Broken records anywhere (the first, the last, at a chunk's edges, several errors in
one record), elements between records, a trailer over many lines, and lines past
libxml2's 65,535 (blank lines before the records): the issues, in order, with their
codes, English and Welsh messages, lines, columns and paths, are the same streamed (at
any chunk size and piece size) as validated whole.
"""

from __future__ import annotations

import re

import pytest
from epay_batches import records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from validation.test_stream_record_screen import CHANGES, batch_parts, stream_report

from lgstandards.validation import validate

#: What may sit between two records: nothing, a comment, blank lines, an element the
#: schema refuses (after which libxml2 checks nothing more of the sequence: the records
#: after it are validated on their own, whole or streamed).
BETWEEN = ["", "<!-- between -->\n", "\n\n", "  <epay:Note>x</epay:Note>\n"]


def _record(n: int, changes: list[int]) -> str:
    xml = list(records(n))[-1][0]
    for change in changes:
        old, new = CHANGES[change]
        xml = xml.replace(old, new, 1) if old else xml
    return xml


def _batch(plan: list[tuple[list[int], int]], *, padding: int, trailer_lines: int) -> bytes:
    """A batch whose n-th record has the changes ``plan[n][0]`` and what ``plan[n][1]`` says
    after it; ``padding`` blank lines before the records, the trailer over
    ``trailer_lines`` more lines."""
    head, trailer = batch_parts(len(plan))
    body = "".join(
        _record(n, changes) + BETWEEN[after] for n, (changes, after) in enumerate(plan, 1)
    )
    trailer = trailer.replace("><epay:", ">" + "\n" * trailer_lines + "<epay:", 3)
    return (head + "\n" * padding + body + trailer).encode()


_PLAN = st.lists(
    st.tuples(
        st.lists(st.integers(0, len(CHANGES) - 1), max_size=3),  # several errors a record
        st.sampled_from([0, 0, 0, 0, 1, 2, 3]),
    ),
    min_size=1,
    max_size=24,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=_PLAN,
    chunk=st.integers(1, 9),
    piece=st.sampled_from([256, 1024, 64 * 1024]),
    padding=st.sampled_from([0, 70_000]),
    trailer_lines=st.sampled_from([0, 3, 2_000]),
)
def test_streamed_errors_equal_the_whole_documents(
    plan: list[tuple[list[int], int]], chunk: int, piece: int, padding: int, trailer_lines: int
) -> None:
    data = _batch(plan, padding=padding, trailer_lines=trailer_lines)
    whole = validate(data, streaming=False)
    streamed = stream_report(data, chunk, piece)
    assert [i.to_dict() for i in streamed] == [i.to_dict() for i in whole]
    assert list(streamed) == list(whole)


def test_errors_past_line_65535_at_chunk_edges_keep_lines_and_columns() -> None:
    """Broken first, last and chunk-edge records past line 65,535: exact lines, columns."""
    plan = [([0], 0) for _ in range(20)]
    for n in (0, 3, 4, 7, 8, 19):  # chunks of 4: their first and last records
        plan[n] = ([7, 17], 2 if n == 8 else 0)  # a pattern and a date: two errors
    data = _batch(plan, padding=70_000, trailer_lines=5)
    whole = validate(data, streaming=False)
    streamed = stream_report(data, 4, 1024)
    assert list(streamed) == list(whole)
    located = [i for i in whole if i.line is not None and i.line > 65535]
    assert len(located) >= 12
    assert any(i.column is not None for i in located)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    notes=st.lists(st.booleans(), min_size=2, max_size=12),
    chunk=st.integers(1, 5),
    piece=st.sampled_from([256, 1024]),
    padding=st.sampled_from([0, 70_000]),
)
def test_an_element_between_records_keeps_its_column(
    notes: list[bool], chunk: int, piece: int, padding: int
) -> None:
    """An element out of place between records is reported with the skeleton, at the end,
    when its source line is long gone: its line is kept for the column."""
    plan = [([0], 3 if note else 0) for note in notes]
    data = _batch(plan, padding=padding, trailer_lines=0)
    whole = validate(data, streaming=False)
    streamed = stream_report(data, chunk, piece)
    assert list(streamed) == list(whole)
    if any(notes[:-1]):
        assert any(i.code == "xsd.unexpected-element" and i.column for i in whole)


@pytest.mark.parametrize("piece", [256, 1024])
@pytest.mark.parametrize("chunk", [1, 3])
@pytest.mark.parametrize("change", [0, 9, 12, 14, 15])
@pytest.mark.parametrize("count", [2, 3, 5])
def test_small_pieces_keep_the_lines_of_elements_before_a_long_trailer(
    count: int, change: int, chunk: int, piece: int
) -> None:
    """An element after the last record, then a trailer over more pieces than the
    streamed lines keep: the lines kept reach back at least MAX_LINE bytes (a line that
    can have columns), whatever the piece size, so the columns equal the whole
    document's."""
    plan = [([], 0)] * (count - 1) + [([14, change], 3)]
    data = _batch(plan, padding=0, trailer_lines=2_000)
    whole = validate(data, streaming=False)
    streamed = stream_report(data, chunk, piece)
    assert [i.to_dict() for i in streamed] == [i.to_dict() for i in whole]


#: What ends a record: its own line, or the next record on the same line (a document
#: written without line breaks between records, or with some).
_ENDS = ["\n", "", " ", "\n  "]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=_PLAN,
    ends=st.lists(st.sampled_from(_ENDS), min_size=24, max_size=24),
    chunk=st.integers(1, 5),
    piece=st.sampled_from([64, 256, 1024, 64 * 1024]),
)
def test_records_sharing_lines_keep_columns_however_the_pieces_fall(
    plan: list[tuple[list[int], int]], ends: list[str], chunk: int, piece: int
) -> None:
    """Records on one line, each checked while the bytes of its line are still arriving
    (the first record at once, a chunk while the next record is parsed): the lines are
    read on to their ends, so every issue has the column the whole document gives."""
    data = _batch(plan, padding=0, trailer_lines=0)
    records_at = data.split(b"</epay:PaymentRecord>\n")
    text = b"".join(
        part + b"</epay:PaymentRecord>" + ends[n % len(ends)].encode()
        for n, part in enumerate(records_at[:-1])
    )
    data = text + records_at[-1]
    whole = validate(data, streaming=False)
    streamed = stream_report(data, chunk, piece)
    assert [i.to_dict() for i in streamed] == [i.to_dict() for i in whole]


@pytest.mark.parametrize("piece", [256, 4096])
def test_a_minified_batch_longer_than_max_line_has_no_columns_either_way(piece: int) -> None:
    """All records on one line of more than MAX_LINE bytes: the line is read ahead only
    as far as MAX_LINE, and neither way gives columns."""
    plan = [([7] if n % 50 == 0 else [], 0) for n in range(300)]
    data = _batch(plan, padding=0, trailer_lines=0).replace(
        b"</epay:PaymentRecord>\n  <", b"</epay:PaymentRecord><"
    )
    whole = validate(data, streaming=False)
    streamed = stream_report(data, 3, piece)
    assert [i.to_dict() for i in streamed] == [i.to_dict() for i in whole]
    assert sum(i.code.startswith("xsd.") for i in whole) >= 6
    assert all(i.column is None for i in whole if i.line == 5)


@pytest.mark.parametrize("chunk", [1, 4])
def test_records_after_an_element_out_of_place_are_checked_both_ways(chunk: int) -> None:
    """libxml2 checks nothing of a sequence after an element it did not expect: the
    broken records after it are still reported, whole as streamed, each once."""
    plan = [([], 0), ([], 3), ([9], 0), ([], 3), ([17], 0), ([15, 12], 0)]
    data = _batch(plan, padding=0, trailer_lines=0)
    whole = validate(data, streaming=False)
    streamed = stream_report(data, chunk, 1024)
    assert [i.to_dict() for i in streamed] == [i.to_dict() for i in whole]
    found = {(i.code, i.path) for i in whole}
    records = "/epay:ReconciliationBatch/epay:PaymentRecord"
    assert ("xsd.type", f"{records}[3]/epay:GrossAmount") in found
    assert ("xsd.type", f"{records}[5]/epay:TransactionDate") in found
    assert ("xsd.unexpected-attribute", f"{records}[6]") in found
    assert ("xsd.unexpected-element", f"{records}[6]/epay:Unknown") in found
    assert len(found) == len(whole)


@pytest.mark.parametrize("chunk", [1, 4])
def test_records_in_a_second_container_are_checked_both_ways(chunk: int) -> None:
    """A second record container, which the schema does not expect: libxml2 skips it,
    its broken records are still reported (whole: numbered within their container),
    at the same lines and columns as streamed."""
    from tests_validate_support import TEST_PROFILE, batch_xml

    text = batch_xml(6, bad_every=2).decode()
    data = text.replace(
        '    <tb:Record method="card"><tb:Reference>REF000004',
        '  </tb:Records>\n  <tb:Records>\n    <tb:Record method="card"><tb:Reference>REF000004',
    ).encode()
    whole = validate(data, streaming=False, profile=TEST_PROFILE)
    streamed = stream_report(data, chunk, 256, profile=TEST_PROFILE)
    second = "/tb:TestBatch/tb:Records[2]/tb:Record"
    assert {(i.code, i.path) for i in whole if i.code == "xsd.pattern"} == {
        ("xsd.pattern", "/tb:TestBatch/tb:Records[1]/tb:Record[2]/tb:Postcode"),
        ("xsd.pattern", f"{second}[1]/tb:Postcode"),
        ("xsd.pattern", f"{second}[3]/tb:Postcode"),
    }
    assert [(i.code, i.line, i.column) for i in streamed] == [
        (i.code, i.line, i.column) for i in whole
    ]


@pytest.mark.parametrize("chunk", [1, 3])
@pytest.mark.parametrize("where", ["before the batch header", "after the trailer"])
def test_a_record_out_of_place_is_reported_both_ways(where: str, chunk: int) -> None:
    """A record where the schema expects none (the first or last record, which streaming
    keeps in the tree for the skeleton's check): its parent's error is reported streamed
    as whole, besides the errors of its own content."""
    text = _batch([([9], 0)] + [([], 0)] * 3 + [([17], 0)], padding=0, trailer_lines=0).decode()
    records = re.findall(r"  <epay:PaymentRecord[ >].*?</epay:PaymentRecord>\n", text)
    moved = records[0] if where.startswith("before") else records[-1]
    text = text.replace(moved, "", 1)
    if where.startswith("before"):
        text = text.replace("  <epay:BatchHeader>", moved + "  <epay:BatchHeader>")
    else:
        text = text.replace("</epay:ReconciliationBatch>", moved + "</epay:ReconciliationBatch>")
    data = text.encode()
    whole = validate(data, streaming=False)
    streamed = stream_report(data, chunk, 1024)
    assert [i.to_dict() for i in streamed] == [i.to_dict() for i in whole]
    assert "xsd.unexpected-element" in {i.code for i in whole}
    assert "xsd.type" in {i.code for i in whole}  # the moved record's own error


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=st.lists(
        st.tuples(st.lists(st.sampled_from([0, 9, 12, 15, 17]), max_size=2), st.just(0)),
        min_size=3,
        max_size=9,
    ),
    moved=st.integers(1, 8),
    where=st.sampled_from(["after the trailer", "before the batch header", "around a note"]),
    checks=st.sampled_from([None, ("xsd",), ("xsd", "vocab"), ("rules",)]),
    chunk=st.integers(1, 4),
    piece=st.sampled_from([256, 65536]),
)
def test_records_out_of_place_are_reported_as_whole(
    plan: list[tuple[list[int], int]],
    moved: int,
    where: str,
    checks: tuple[str, ...] | None,
    chunk: int,
    piece: int,
) -> None:
    """Several records where the schema expects none (after the trailer, before the batch
    header, around an element out of place): the first out of place is reported, at its
    path and line, and every record's own errors, streamed as whole."""
    text = _batch(plan, padding=0, trailer_lines=0).decode()
    records = re.findall(r"  <epay:PaymentRecord[ >].*?</epay:PaymentRecord>\n", text)
    taken = records[-min(moved, len(records) - 1) :]
    if where.startswith("before"):
        taken = records[: len(taken)]
    for record in taken:
        text = text.replace(record, "", 1)
    end = "</epay:ReconciliationBatch>"
    if where.startswith("after"):
        text = text.replace(end, "".join(taken) + end)
    elif where.startswith("before"):
        text = text.replace("  <epay:BatchHeader>", "".join(taken) + "  <epay:BatchHeader>")
    else:
        note = "  <epay:Note>x</epay:Note>\n"
        text = text.replace(end, "".join(taken) + note + taken[0] + end)
    data = text.encode()
    options = {"checks": list(checks)} if checks else {}
    whole = validate(data, streaming=False, **options)
    streamed = stream_report(data, chunk, piece, **options)
    assert [i.to_dict() for i in streamed] == [i.to_dict() for i in whole]
    if checks is None or "xsd" in checks:
        assert "xsd.unexpected-element" in {i.code for i in whole}
