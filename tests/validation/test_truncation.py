"""Truncation is judged from the parser's state, the same in every mode and libxml2 release.

A document cut short anywhere after its root start tag began is ``xml.truncated``, and
nothing else: not the schema errors libxml2 may report first, not a syntax error whose
wording changed between releases. Errors met *before* the input ended stay what they are.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from tests_validate_support import TEST_PROFILE, batch_xml
from testsupport.streams import Trickle

from lgstandards.safexml import XMLInputError, iterparse_xml, open_checked, parse_bytes
from lgstandards.validation import validate

EXAMPLES = Path(__file__).parents[2] / "examples"
BATCH = batch_xml(40)
REAL = (EXAMPLES / "epay" / "valid" / "reconciliation-batch.xml").read_bytes()


def _root_closed_at(data: bytes) -> int:
    """Return the offset just after the root's end tag (the document is complete from there)."""
    return len(data.rstrip())


def _cuts(data: bytes) -> st.SearchStrategy[int]:
    start = data.index(b"<", data.index(b"?>") + 2)  # the root start tag begins here
    return st.integers(min_value=start + 1, max_value=_root_closed_at(data) - 1)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_cut_of_a_batch_is_truncated_in_both_modes(data: st.DataObject) -> None:
    cut = data.draw(_cuts(BATCH))
    prefix = BATCH[:cut]
    whole = validate(prefix, streaming=False, kind="test.batch")
    streamed = validate(prefix, streaming=True, kind="test.batch")
    assert whole.codes() == ["xml.truncated"], (cut, whole.issues)
    assert streamed.codes() == ["xml.truncated"], (cut, streamed.issues)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_cut_of_a_real_example_is_truncated(data: st.DataObject) -> None:
    cut = data.draw(_cuts(REAL))
    prefix = REAL[:cut]
    assert validate(prefix, streaming=False).codes() == ["xml.truncated"]
    assert validate(prefix, streaming=True).codes() == ["xml.truncated"]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_streaming_reader_and_the_parser_agree_on_cuts(data: st.DataObject) -> None:
    cut = data.draw(_cuts(BATCH))
    prefix = BATCH[:cut]
    with pytest.raises(XMLInputError) as whole:
        parse_bytes(prefix)
    stream, _ = open_checked(prefix)
    with pytest.raises(XMLInputError) as streamed:
        for _ in iterparse_xml(stream):
            pass
    assert whole.value.code == streamed.value.code == "xml.truncated"


@pytest.mark.parametrize(
    ("document", "code"),
    [
        # The parser stops at an error in the middle: that error is the finding, even
        # though the root element never closes afterwards.
        (b"<r>&secret;</r>", "xml.entity-forbidden"),
        (b"<r><a>1</a><b></c></r>", "xml.not-well-formed"),
        (b"<r xmlns:x='u'><y:a/></r>", "xml.not-well-formed"),
        (b"<r><a>1</a></r><extra/>", "xml.not-well-formed"),
        # ... and an input that simply stops is truncated wherever it stops.
        (b"<r><a>1</a><b>", "xml.truncated"),
        (b"<r><a>1</a><b>&amp", "xml.truncated"),
        (b"<r><![CDATA[x", "xml.truncated"),
        (b"<r x='1", "xml.truncated"),
        (b"<r><!-- a comment", "xml.truncated"),
        (b"<r><b>\xc3", "xml.truncated"),
    ],
)
def test_errors_before_the_end_are_not_truncation(document: bytes, code: str) -> None:
    assert validate(document, streaming=False).codes() == [code]
    stream, _ = open_checked(document)
    with pytest.raises(XMLInputError) as streamed:
        for _ in iterparse_xml(stream):
            pass
    assert streamed.value.code == code


def test_a_truncated_batch_with_schema_errors_is_truncated_not_invalid() -> None:
    # Records broken for the schema come first; the cut comes last.
    data = batch_xml(200, bad_every=7)[:-300]
    assert validate(data, streaming=True, kind="test.batch").codes() == ["xml.truncated"]
    assert validate(data, streaming=False, kind="test.batch").codes() == ["xml.truncated"]


def test_a_truncated_stream_read_in_small_pieces() -> None:
    for cut in (len(BATCH) - 30, len(BATCH) // 2, 300):
        stream = io.BufferedReader(Trickle(BATCH[:cut], 97))
        report = validate(stream, streaming=True, kind="test.batch")
        assert report.codes() == ["xml.truncated"], cut


def test_the_global_error_log_is_never_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("use_global_python_log swaps the log of every thread")

    monkeypatch.setattr(etree, "use_global_python_log", refuse)
    assert validate(batch_xml(30, bad_every=5), streaming=True, kind="test.batch").codes()
    assert validate(BATCH[:-40], streaming=True, kind="test.batch").codes() == ["xml.truncated"]


def test_threads_streaming_at_once_get_their_own_findings() -> None:
    documents = {
        "valid": batch_xml(300),
        "invalid": batch_xml(300, bad_every=3),
        "truncated": batch_xml(300)[:-500],
    }
    expected = {
        k: validate(v, streaming=True, kind="test.batch").issues for k, v in documents.items()
    }
    results: dict[str, list[object]] = {}

    def work(key: str) -> None:
        for _ in range(3):
            results.setdefault(key, []).append(  # a new thread: its own default profile
                validate(
                    documents[key], streaming=True, kind="test.batch", profile=TEST_PROFILE
                ).issues
            )

    threads = [threading.Thread(target=work, args=(k,)) for k in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for key, runs in results.items():
        assert all(run == expected[key] for run in runs), key
    assert expected["valid"] == []
    assert [i.code for i in expected["truncated"]] == ["xml.truncated"]
