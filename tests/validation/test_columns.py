"""Schema errors carry the column of the element's start tag, in both validation modes."""

from __future__ import annotations

import io

from epay_batches import write_batch
from hypothesis import given, settings
from hypothesis import strategies as st

from lgstandards.validation import validate
from lgstandards.validation.columns import DocumentLines, StreamLines, tag_column

NS = 'xmlns:epay="urn:lgstandards:epay:1"'


def _xsd_issues(data: bytes, *, streaming: bool) -> list[tuple[str, int | None, int | None]]:
    report = validate(data, streaming=streaming)
    return [(i.code, i.line, i.column) for i in report if i.code.startswith("xsd.")]


def _at(data: bytes, line: int, column: int) -> str:
    text = data.decode("utf-8").split("\n")[line - 1]
    return text[column - 1 :]


def test_column_points_at_the_start_tag_in_characters() -> None:
    buffer = io.BytesIO()
    write_batch(buffer, 6, bad_every=2)  # records 2 and 6: a reference breaking its pattern
    data = buffer.getvalue()
    issues = _xsd_issues(data, streaming=False)
    assert issues, "the batch has a schema error"
    for code, line, column in issues:
        assert line is not None, code
        assert column is not None, code
        assert _at(data, line, column).startswith("<epay:AccountReference>")


def test_non_ascii_text_before_the_element_counts_as_characters() -> None:
    data = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<epay:PaymentRequest {NS} SchemaVersion="1.0">'
        "<epay:Narrative>Caerdydd â ŵ ŷ</epay:Narrative>"
        "<epay:Bogus/></epay:PaymentRequest>\n"
    ).encode()
    issues = _xsd_issues(data, streaming=False)
    located = [(line, column) for _, line, column in issues if column is not None]
    assert located
    for line, column in located:
        assert _at(data, line, column).startswith("<epay:")


def test_repeated_or_long_lines_give_no_column() -> None:
    assert tag_column(b"<a><b/><b/></a>", "b", "utf-8") is None
    assert tag_column(b"<a><b/></a>", "b", "utf-8") == 4
    assert tag_column(b"<a><!-- <b/> --><b/></a>", "b", "utf-8") is None
    assert tag_column(b"text --> <b/>", "b", "utf-8") is None
    assert tag_column(b"<bc/><b/>", "b", "utf-8") == 6
    assert tag_column(b"<b/>" + b" " * 70_000, "b", "utf-8") is None


def test_minified_batch_equal_in_both_modes() -> None:
    buffer = io.BytesIO()
    write_batch(buffer, 300, bad_every=7)
    data = buffer.getvalue().replace(b"\n", b"")
    data = data.replace(b"?>", b"?>\n", 1)
    whole = validate(data, streaming=False).issues
    assert whole == validate(data, streaming=True).issues
    assert all(i.column is None for i in whole if i.code.startswith("xsd."))


def test_large_batch_columns_equal_in_both_modes() -> None:
    buffer = io.BytesIO()
    write_batch(buffer, 6000, bad_every=997, wrong_totals=True)  # several 256 KB chunks
    data = buffer.getvalue()
    whole = validate(data, streaming=False).issues
    streamed = validate(data, streaming=True).issues
    assert whole == streamed
    columns = [i.column for i in whole if i.code.startswith("xsd.")]
    assert columns
    assert all(c is not None for c in columns)


@settings(max_examples=60, deadline=None)
@given(
    lines=st.lists(st.text(alphabet="ab <>/\u00e9", max_size=30), min_size=1, max_size=60),
    size=st.integers(min_value=1, max_value=64),
    body=st.integers(min_value=0, max_value=10),
    trailing_newline=st.booleans(),
)
def test_stream_lines_are_the_documents_lines_or_none(
    lines: list[str], size: int, body: int, trailing_newline: bool
) -> None:
    data = "\n".join(lines).encode() + (b"\n" if trailing_newline else b"")
    whole = DocumentLines(data)
    stream = StreamLines()
    for index, start in enumerate(range(0, len(data), size)):
        stream.feed(data[start : start + size])
        if index == body:
            stream.body_begins()
        for number in range(1, len(lines) + 2):
            found = stream.line(number)
            assert found is None or found == whole.line(number)
    stream.feed(b"")
    for number in range(1, len(lines) + 2):
        found = stream.line(number)
        assert found is None or found == whole.line(number)
    if data:
        assert stream.line(1) == whole.line(1)  # the head is kept to the end of its line


def _split_line(data: bytes, number: int, *, ends_document: bool) -> bytes | None:
    """The reference: line ``number`` of ``data`` by splitting it (the last, unended, only
    when ``data`` ends the document)."""
    lines = data.split(b"\n")
    if number < 1 or number > len(lines):
        return None
    if number == len(lines) and not ends_document:
        return None
    return lines[number - 1]


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.sampled_from([b"\n", b"a", b"bb", b"\n\n", b"xyz\n", b"\r\n"]), max_size=80),
    block=st.integers(min_value=1, max_value=9),
    numbers=st.lists(st.integers(min_value=0, max_value=90), max_size=12),
    ends_document=st.booleans(),
)
def test_document_lines_are_the_lines_split_in_any_order(
    pieces: list[bytes], block: int, numbers: list[int], ends_document: bool
) -> None:
    """Lines found a block of line feeds at a time, asked for in any order, at any block size."""
    from unittest import mock

    from lgstandards.validation import columns

    data = b"".join(pieces)
    with mock.patch.object(columns, "LINE_BLOCK", block):
        lines = DocumentLines(data, ends_document=ends_document)
        for number in [*numbers, *range(1, data.count(b"\n") + 3)]:
            assert lines.line(number) == _split_line(data, number, ends_document=ends_document)
