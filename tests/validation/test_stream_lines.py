"""Streaming's source lines: a line is found in the kept chunk it begins in, at C speed.

The reference is the way :class:`StreamLines` found lines before: the kept chunks joined
into runs of consecutive chunks, each indexed as a whole (:class:`DocumentLines`), the
first run that holds the whole line giving it.
"""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from lgstandards.validation import columns
from lgstandards.validation.columns import DocumentLines, StreamLines


def _joined_runs(stream: StreamLines, number: int) -> bytes | None:
    """Line ``number`` as the joined runs of kept chunks give it (the reference)."""
    runs: list[list[tuple[int, int, bool, bytes]]] = []
    for chunk in stream._chunks:
        if runs and runs[-1][-1][0] == chunk[0] - 1:
            runs[-1].append(chunk)
        else:
            runs.append([chunk])
    for run in runs:
        first, starts_line = run[0][1], run[0][2]
        if number < first or (number == first and not starts_line):
            continue
        ends = stream._ended and run[-1][0] == stream._count - 1
        lines = DocumentLines(b"".join(c[3] for c in run), ends_document=ends)
        found = lines.line(number - first + 1)
        if found is not None:
            return found
    return None


_PIECES = st.sampled_from([b"\n", b"a", b"<r>", b"\n\n", b"xyz\n", b"\r\n", b"b" * 40, b"\n" * 9])


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(_PIECES, max_size=120),
    size=st.integers(min_value=1, max_value=48),
    body=st.integers(min_value=0, max_value=12),
    recent=st.integers(min_value=1, max_value=4),
    block=st.sampled_from([1, 2, 7, 300, 16 * 1024]),
    marks=st.sampled_from([1, 2, 5, 64, 8 * 1024]),
)
def test_stream_lines_equal_the_joined_runs(
    pieces: list[bytes], size: int, body: int, recent: int, block: int, marks: int
) -> None:
    """Every line, asked for after every chunk and at the end, at any block size.

    (``marks``: the blocks whose line feeds a kept chunk counts once, for all its lines.)
    """
    data = b"".join(pieces)
    whole = DocumentLines(data)
    total = data.count(b"\n") + 2
    with (
        mock.patch.object(StreamLines, "RECENT", recent),
        mock.patch.object(columns, "_FEED_BLOCK", block),
        mock.patch.object(columns, "LINE_BLOCK", marks),
    ):
        stream = StreamLines()
        for index, start in enumerate(range(0, len(data), size)):
            stream.feed(data[start : start + size])
            if index == body:
                stream.body_begins()
            for number in range(total + 1):
                found = stream.line(number)
                assert found == _joined_runs(stream, number)
                assert found is None or found == whole.line(number)
        stream.feed(b"")
        for number in range(total + 1):
            found = stream.line(number)
            assert found == _joined_runs(stream, number)
            assert found is None or found == whole.line(number)


@settings(max_examples=100, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=0, max_value=700), min_size=1, max_size=400),
    wanted=st.lists(st.integers(min_value=0, max_value=420), max_size=20),
)
def test_line_feeds_are_found_whatever_the_density(lengths: list[int], wanted: list[int]) -> None:
    """The offset after the n-th line feed, lines short or long (blocks halved to hops)."""
    data = b"\n".join(b"x" * n for n in lengths)
    offsets = [i + 1 for i, byte in enumerate(data) if byte == 10]
    for feeds in wanted:
        expected = 0 if feeds == 0 else (offsets[feeds - 1] if feeds <= len(offsets) else None)
        assert columns._after_line_feeds(data, feeds) == expected


@settings(max_examples=200, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=0, max_value=700), min_size=1, max_size=300),
    start=st.integers(min_value=0, max_value=100_000),
    wanted=st.lists(st.integers(min_value=0, max_value=320), max_size=20),
)
def test_line_feeds_from_a_position_are_those_a_naive_search_finds(
    lengths: list[int], start: int, wanted: list[int]
) -> None:
    """From any offset, few or many line feeds wanted: the same as one find per line feed."""
    data = b"\n".join(b"x" * n for n in lengths)
    start = min(start, len(data))
    for feeds in wanted:
        expected: int | None = start
        for _ in range(feeds):
            found = data.find(b"\n", expected)
            expected = None if found < 0 else found + 1
            if expected is None:
                break
        assert columns._after_line_feeds(data, feeds, start) == expected


@settings(max_examples=200, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=300),
    lines=st.integers(min_value=0, max_value=320),
    block=st.integers(min_value=1, max_value=64),
)
def test_lines_at_least_agrees_with_counting_every_line_feed(
    lengths: list[int], lines: int, block: int
) -> None:
    """Counting blocks only as far as needed, any block size: the whole count's answer."""
    data = b"\n".join(b"x" * n for n in lengths)
    saved = columns._COUNT_BLOCK
    columns._COUNT_BLOCK = block
    try:
        assert columns._lines_at_least(data, lines) == (data.count(b"\n") >= lines - 1)
    finally:
        columns._COUNT_BLOCK = saved
