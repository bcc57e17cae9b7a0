"""Streaming's locator passes over a chunk's records whose ordinals nobody asked for.

When a chunk's records leave the tree and none of their ordinals was asked for, the
locator only moves its run past them (their sizes summed), where it counted and
forgot each before; a chunk screened after its rules (in the helper thread) has its
records' ordinals noted so, and counted back only when it lands with suspects. The
property: issues (lines and columns included) equal those of counting each, on
batches whose lines are relocated (the 65,535-line threshold lowered, so that small
batches take the paths of big ones), whatever the layout.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lgstandards.validation import starttags, stream, validate

sys.path.insert(0, str(Path(__file__).resolve().parent))

from epay_batches import write_batch

#: The lowered threshold: lines from here on are relocated (as past 65,535).
_LOW = 40


def _batch(count: int, bad_every: int, split: int, between: int) -> bytes:
    """A batch of ``count`` records; some over two lines (every ``split``-th; 1: each value
    on a line of its own), comments between some (every ``between``-th).
    """
    out = io.BytesIO()
    write_batch(out, count, bad_every=bad_every)
    lines = out.getvalue().split(b"\n")
    for number in range(2, len(lines) - 2):
        if split == 1:
            lines[number] = lines[number].replace(b"><", b">\n<")
        elif split and number % split == 0:
            lines[number] = lines[number].replace(b"><epay:FundCode>", b">\n<epay:FundCode>")
        if between and number % between == 0:
            lines[number] += b"<!-- between -->"
    return b"\n".join(lines)


def _issues(data: bytes) -> list[tuple[object, ...]]:
    report = validate(io.BytesIO(data), streaming=True)
    return [(i.code, i.severity, i.message, i.path, i.line, i.column) for i in report]


def _counting_each(self: stream._Locator, elements: list[object], keep: object) -> None:
    return None


def _settling(self: stream._Locator, records: list[object]) -> None:
    """A chunk screened after its rules: its records counted into the maps, each."""
    self.settle()


@example(count=1500, bad_every=1100, split=1, between=0)  # an ordinal one off shows
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(min_value=1100, max_value=2400),
    # clean chunks passed over, then issues whose lines count on them
    bad_every=st.sampled_from([0, 7, 1100, 1300, 1700, 2000]),
    split=st.sampled_from([0, 1, 3, 250]),
    between=st.sampled_from([0, 600, 997]),
)
def test_passing_over_records_gives_the_issues_of_counting_each(
    count: int, bad_every: int, split: int, between: int
) -> None:
    data = _batch(count, bad_every, split, between)
    with (
        mock.patch.object(stream, "EXACT_BELOW", _LOW),
        mock.patch.object(starttags, "EXACT_BELOW", _LOW),
    ):
        passed = _issues(data)
        with (
            mock.patch.object(stream._Locator, "_pass_over", _counting_each),
            mock.patch.object(stream._Locator, "chunk_leaving", _settling),
        ):
            counted = _issues(data)
    assert passed == counted


def test_suspects_of_chunks_screened_meanwhile_past_65535_lines_get_exact_lines() -> None:
    """Invalid records far past libxml2's 65,535 lines, in chunks screened after their
    rules (their ordinals noted compactly, counted back as they land): each issue has
    the line and column of whole-document mode."""
    data = _batch(6600, 211, 1, 0)  # a value a line: about 72,000 lines
    streamed = _issues(data)
    whole = validate(io.BytesIO(data), streaming=False)
    expected = [(i.code, i.severity, i.message, i.path, i.line, i.column) for i in whole]
    assert any(line and line > 65535 for *_, line, _column in expected)
    assert streamed == expected
