"""Mutated documents of every kind: issues from every entry point, in every mode, never exceptions.

Each valid example (XML messages of every standard, RDF catalogues in every syntax) is
cut, flipped, given hostile fragments and extreme values; ``validate``, ``iter_issues``
and ``is_valid`` take it as bytes, XML text, a stream and a file, whole and streamed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hostile_support import (
    EXTREME_VALUES,
    SEEDS,
    VALID,
    XML_SEEDS,
    assert_kept_promise,
    mutated,
    value_spots,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lgstandards

MODES = (None, True, False)
_SETTINGS = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])


def _every_way(data: bytes, streaming: bool | None) -> None:
    report = lgstandards.validate(data, streaming=streaming)
    assert_kept_promise(report.issues)
    assert_kept_promise(lgstandards.iter_issues(io.BytesIO(data), streaming=streaming))
    assert lgstandards.is_valid(data, streaming=streaming) is report.ok


@_SETTINGS
@given(data=mutated(SEEDS), streaming=st.sampled_from(MODES))
def test_mutated_documents_give_issues(data: bytes, streaming: bool | None) -> None:
    _every_way(data, streaming)


@_SETTINGS
@given(data=mutated(XML_SEEDS, steps=1), streaming=st.sampled_from(MODES))
def test_one_change_to_a_message_gives_issues(data: bytes, streaming: bool | None) -> None:
    _every_way(data, streaming)


@pytest.mark.parametrize("path", VALID, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_each_example_cut_anywhere_gives_issues(path: Path) -> None:
    data = path.read_bytes()
    positions = sorted({*range(0, len(data), max(1, len(data) // 12)), len(data) - 1})
    for position in positions:
        cut = data[:position]
        for streaming in (None, True):
            report = lgstandards.validate(cut, streaming=streaming)
            assert_kept_promise(report.issues)
            if path.suffix == ".xml" and cut.strip() and len(cut) < len(data.rstrip()):
                assert not report.ok, (position, report.codes())  # the root is never closed


@settings(max_examples=150)
@given(st.data())
def test_extreme_values_anywhere_in_a_message(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(XML_SEEDS))
    spots = value_spots(seed)
    start, end = data.draw(st.sampled_from(spots))
    document = seed[:start] + data.draw(st.sampled_from(EXTREME_VALUES)) + seed[end:]
    for streaming in (False, True):
        assert_kept_promise(lgstandards.validate(document, streaming=streaming).issues)
