"""Streaming's schema screen never clears a record that is invalid on its own.

While streaming, the parser does not validate: each chunk of records is validated at
once under a wrapper element (:mod:`lgstandards.validation.recordscreen`), and only the
records the errors name are validated again alone, for the issues reported. The
properties: (1) every record the record schema refuses alone is among the screen's
suspects, whatever the records hold (comments, instructions, CDATA, character and
entity references, missing, repeated, unknown or nested children, attributes,
whitespace); (2) a streamed batch of such records, cut into chunks of any size and read
in pieces of any size, gives the issues of whole-document mode, for the e-Pay batch
(records under the root) and the tests' batch kind (records under a container).
"""

from __future__ import annotations

import io
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from epay_batches import NS, records, write_batch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from tests_validate_support import batch_xml

from lgstandards.artefacts.kinds import spec_for_kind
from lgstandards.artefacts.schemas import chunk_schema, record_schema
from lgstandards.validation import stream, validate
from lgstandards.validation.recordscreen import RecordScreen

#: (what is replaced in a record, by what): each makes the record odd, most invalid.
CHANGES: list[tuple[str, str]] = [
    ("", ""),  # unchanged
    ("<epay:Fee>", "<!-- a comment --><epay:Fee>"),
    ("<epay:Fee>", "<?pi data?><epay:Fee>"),
    ("<epay:FundCode>PARK", "<epay:FundCode><![CDATA[PARK]]>"),
    ("<epay:FundCode>PARK", "<epay:FundCode>P&#x41;RK"),
    ("<epay:FundCode>PARK", "<epay:FundCode>PA<!-- x -->RK"),
    ("<epay:AccountReference>PCN", "<epay:AccountReference>PCN&amp;"),
    ("<epay:AccountReference>PCN", "<epay:AccountReference>PCN "),
    ("<epay:AccountReference>PCN", "<epay:AccountReference><![CDATA[PCN ]]>"),
    ("<epay:GrossAmount>", "<epay:GrossAmount>x"),
    ("<epay:Fee>0.20</epay:Fee>", ""),  # a child missing
    ("<epay:RecordType>", "<epay:RecordType>PAYMENT</epay:RecordType><epay:RecordType>"),
    ("<epay:Fee>", "<epay:Unknown/><epay:Fee>"),
    ("<epay:FundCode>", "<epay:FundCode><epay:Inner/>"),  # a grandchild
    ("<epay:PaymentRecord>", '<epay:PaymentRecord odd="1">'),
    ("<epay:PaymentRecord>", '<epay:PaymentRecord xmlns:x="urn:x" x:odd="1">'),
    ("><epay:", ">\n      <epay:"),  # whitespace between the children
    ("<epay:TransactionDate>2024-05-01", "<epay:TransactionDate>2024-02-30"),
    ("<epay:CapturedDate>", "<epay:CapturedDate> "),
    (
        "</epay:CapturedDate>",
        "</epay:CapturedDate><epay:CapturedDate>2024-05-02</epay:CapturedDate>",
    ),
]

_CHANGE = st.integers(0, len(CHANGES) - 1)


def _record(n: int, change: int) -> str:
    xml = list(records(n))[-1][0]
    old, new = CHANGES[change]
    return xml.replace(old, new, 1) if old else xml


def stream_report(data: bytes, chunk: int, piece: int | None = None, **options: Any) -> Any:
    """The streamed report of ``data``, in chunks of ``chunk`` records and pieces of ``piece``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "CHUNK", chunk)
        if piece is not None:
            patch.setattr(stream, "FEED_BYTES", piece)
        return validate(data, streaming=True, **options)


def epay_record_schemas() -> tuple[Any, Any]:
    """The e-Pay batch's record schema alone and its chunk schema (schema, wrapper tag)."""
    spec = spec_for_kind("epay.reconciliation-batch")
    assert spec is not None
    assert spec.schema_file is not None
    assert spec.record
    found = chunk_schema(spec.schema_file, spec.namespace, spec.record)
    assert found is not None
    return record_schema(spec.schema_file, spec.namespace, spec.record), found


def batch_parts(count: int) -> tuple[str, str]:
    """The text of an e-Pay batch of ``count`` records before its records and from its trailer."""
    buffer = io.BytesIO()
    write_batch(buffer, count)
    text = buffer.getvalue().decode()
    head, _, rest = text.partition("  <epay:PaymentRecord>")
    return head, rest[rest.index("  <epay:Trailer>") :]


def _batch(changes: list[int]) -> bytes:
    """An e-Pay batch whose n-th record has ``changes[n]`` (trailer totals as written)."""
    head, trailer = batch_parts(len(changes))
    body = "".join(_record(n, c) for n, c in enumerate(changes, 1))
    return (head + body + trailer).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CHANGE, min_size=1, max_size=12))
def test_every_record_invalid_alone_is_a_suspect(changes: list[int]) -> None:
    alone, found = epay_record_schemas()
    parser = etree.XMLParser(resolve_entities=False)
    root = etree.fromstring(_batch(changes), parser)
    batch_records = list(root.iterchildren(f"{{{NS}}}PaymentRecord"))
    invalid = [r for r in batch_records if not alone.validate(r)]
    screen = RecordScreen(found[0], found[1], dict(root.nsmap))
    suspects = screen.suspects(batch_records)
    assert set(invalid) <= set(suspects)
    assert suspects == [r for r in batch_records if r in set(suspects)]  # in order


#: The pool the screens of these tests validate in (one thread, as streaming's).
POOL = ThreadPoolExecutor(1, thread_name_prefix="test-screen")


def _chunk_schema_here() -> Any:
    found = epay_record_schemas()[1]
    return found[0]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CHANGE, min_size=1, max_size=12), min_size=1, max_size=4))
def test_a_screen_in_the_pools_thread_finds_the_same_suspects(chunks: list[list[int]]) -> None:
    """Chunks screened in the pool's thread (a copy each) give what screening here gives.

    One chunk after another on the same screen, its records moved on (unwrapped into a
    document of their own, as the chunk document takes them) while the copy is checked.
    """
    _, found = epay_record_schemas()
    here = RecordScreen(found[0], found[1], {"epay": NS})
    there = RecordScreen(
        found[0], found[1], {"epay": NS}, pool=POOL, schema_here=_chunk_schema_here
    )
    for changes in chunks:
        ours = list(etree.fromstring(_batch(changes)).iterchildren(f"{{{NS}}}PaymentRecord"))
        theirs = list(etree.fromstring(_batch(changes)).iterchildren(f"{{{NS}}}PaymentRecord"))
        home = etree.Element(f"{{{NS}}}ReconciliationBatch", nsmap={"epay": NS})
        answer = there.start(theirs, home=home)
        assert there.unwrap()  # the records move on while the copy is screened
        assert list(home) == theirs
        expected = here.suspects(ours)
        assert [theirs.index(r) for r in answer()] == [ours.index(r) for r in expected]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CHANGE, min_size=1, max_size=30), st.integers(1, 9))
def test_streaming_screens_alike_in_the_pools_thread_and_in_its_own(
    changes: list[int], chunk: int
) -> None:
    """The report is the same whether the chunks are screened in a second thread or not."""
    data = _batch(changes)
    with_pool = stream_report(data, chunk, 1024)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "helper_pool", lambda: None)
        alone = stream_report(data, chunk, 1024)
    assert _issues(with_pool) == _issues(alone)


def _issues(report: Any) -> list[Any]:
    return list(report.issues)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_CHANGE, min_size=1, max_size=30),
    st.integers(1, 9),
    st.sampled_from([256, 1024, 64 * 1024]),
)
def test_streamed_epay_batches_of_odd_records_equal_whole_documents(
    changes: list[int], chunk: int, piece: int
) -> None:
    data = _batch(changes)
    whole = validate(data, streaming=False)
    streamed = stream_report(data, chunk, piece)
    assert _issues(whole) == _issues(streamed)


@pytest.mark.parametrize("checks", [["xsd"], ["xsd", "vocab"], ["xsd", "rules"]])
def test_streamed_checks_without_rules_or_vocab_equal_whole_documents(checks: list[str]) -> None:
    data = _batch([i % len(CHANGES) for i in range(3 * len(CHANGES))])
    whole = validate(data, streaming=False, checks=checks)
    streamed = stream_report(data, 4, checks=checks)
    assert _issues(whole) == _issues(streamed)
    assert any(i.code.startswith("xsd.") for i in whole.issues)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 40), st.integers(1, 9), st.integers(0, 7), st.sampled_from([300, 4096]))
def test_streamed_test_batches_under_a_container_equal_whole_documents(
    count: int, bad_every: int, chunk: int, piece: int
) -> None:
    data = batch_xml(count, bad_every=bad_every)
    if chunk:  # odd layout inside the records: comments and a CDATA section
        data = data.replace(b"<tb:Postcode>", b"<!-- c --><tb:Postcode>", chunk)
        data = data.replace(b"<tb:Reference>REF", b"<tb:Reference><![CDATA[REF]]>", chunk)
    whole = validate(data, streaming=False)
    streamed = stream_report(data, max(chunk, 1), piece)
    assert _issues(whole) == _issues(streamed)


def test_the_screen_names_only_the_invalid_records() -> None:
    """Errors name their records: a chunk with one bad record re-checks that one alone."""
    _, found = epay_record_schemas()
    changes = [0] * 20
    changes[6] = 7  # a pattern error
    changes[13] = 9  # a type error
    root = etree.fromstring(_batch(changes))
    batch_records = list(root.iterchildren(f"{{{NS}}}PaymentRecord"))
    screen = RecordScreen(found[0], found[1], dict(root.nsmap))
    assert screen.suspects(batch_records) == [batch_records[6], batch_records[13]]
    assert screen.suspects(batch_records[:6]) == []


@pytest.mark.parametrize("chunk", [1, 3, 512])
def test_a_record_before_a_second_container_keeps_its_path(chunk: int) -> None:
    """Records are checked in the chunk document only where its paths are the tree's.

    (A second ``tb:Records`` makes the first ``tb:Records[1]``; the streamed numbering
    of the records after it is not whole-document mode's, a known limit.)
    """
    data = batch_xml(12, bad_every=4)
    first = data.index(b'    <tb:Record method="card"><tb:Reference>REF000007')
    data = data[:first] + b"  </tb:Records>\n  <tb:Records>\n" + data[first:]
    whole = validate(data, streaming=False)
    streamed = stream_report(data, chunk)
    path = "/tb:TestBatch/tb:Records[1]/tb:Record[4]/tb:Postcode"
    expected = [i for i in whole.issues if i.path == path]
    assert expected
    assert [i for i in streamed.issues if i.path == path] == expected


def test_a_stream_left_mid_chunk_waits_for_its_screen_before_it_returns() -> None:
    """Closing the issues of a stream while a chunk's copy is screened waits for the screen.

    The copy is then freed in the calling thread (lxml frees a document in the thread
    that drops it last), never in the helper's, and no task outlives the stream.
    """
    from lgstandards.validation import iter_issues, recordscreen

    if stream.helper_pool() is None:
        pytest.skip("one usable CPU: no helper thread")
    ended: list[bool] = []
    real = recordscreen._held_error_paths

    def slow(schema_here: Any, held: list[Any]) -> Any:
        time.sleep(0.3)  # still running when the caller leaves the stream
        try:
            return real(schema_here, held)
        finally:
            ended.append(True)

    # each record captured before its transaction date: a rule's issue in each chunk
    data = _batch([0] * 8).replace(b"<epay:CapturedDate>2024-05", b"<epay:CapturedDate>2024-04")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "CHUNK", 4)
        patch.setattr(recordscreen, "_held_error_paths", slow)
        issues = iter_issues(data, streaming=True)
        first = next(issues)  # a rule's issue, found while the chunk's copy is screened
        assert first.code == "rule.EPAY-R014"
        assert not ended
        issues.close()
        assert ended  # waited for


def _counting_flights(patch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the chunks screened after their rules, uncopied, and those landed."""
    counts = {"screened": 0, "landed": 0}
    run_then_screen, land = stream._run_then_screen, stream._land

    def counted_screen(batch: Any, records: list[Any]) -> Any:
        counts["screened"] += 1
        return run_then_screen(batch, records)

    def counted_land(batch: Any) -> Any:
        if batch.flight is not None:
            counts["landed"] += 1
        return land(batch)

    patch.setattr(stream, "_run_then_screen", counted_screen)
    patch.setattr(stream, "_land", counted_land)
    return counts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_CHANGE, min_size=6, max_size=40),
    st.integers(1, 6),
    st.sampled_from([256, 1024, 64 * 1024]),
)
def test_chunks_screened_uncopied_after_their_rules_report_as_whole_documents(
    changes: list[int], chunk: int, piece: int
) -> None:
    """With a helper thread, chunks are screened there after their rules, uncopied, while
    the next records are parsed; every one lands, and the report is the whole
    document's (lines and columns too: a chunk lands while its source lines are kept)."""
    if stream.helper_pool() is None:
        pytest.skip("one usable CPU: no helper thread")
    data = _batch(changes)
    whole = validate(data, streaming=False)
    with pytest.MonkeyPatch.context() as patch:
        counts = _counting_flights(patch)
        streamed = stream_report(data, chunk, piece)
    assert counts["landed"] == counts["screened"]
    assert _issues(whole) == _issues(streamed)


@pytest.mark.parametrize("changes", [[0] * 40, [i % 3 * 9 for i in range(40)]])
def test_a_plain_batchs_chunks_are_screened_uncopied(changes: list[int]) -> None:
    """Every chunk but the first (which holds a copy of the first record) and the last
    goes the uncopied way in a batch read in large pieces; errors change nothing there."""
    if stream.helper_pool() is None:
        pytest.skip("one usable CPU: no helper thread")
    data = _batch(changes)
    with pytest.MonkeyPatch.context() as patch:
        counts = _counting_flights(patch)
        streamed = stream_report(data, 4)
    assert counts["screened"] >= len(changes) // 4 - 2
    assert counts["landed"] == counts["screened"]
    assert _issues(streamed) == _issues(validate(data, streaming=False))


def test_a_stream_left_while_a_chunk_is_screened_uncopied_waits_for_the_screen() -> None:
    """Closing the issues while a chunk's records are screened in place (after its rules)
    waits for the screen: libxml2 is done with the chunk document before it is freed."""
    from lgstandards.validation import iter_issues, recordscreen

    if stream.helper_pool() is None:
        pytest.skip("one usable CPU: no helper thread")
    begun: list[bool] = []
    ended: list[bool] = []
    real = recordscreen._held_error_paths

    def slow(schema_here: Any, held: list[Any]) -> Any:
        begun.append(True)
        time.sleep(0.2)
        try:
            return real(schema_here, held)
        finally:
            ended.append(True)

    # the last record is invalid: checked alone at the end, while the chunk before it
    # is screened
    data = _batch([0] * 9 + [9])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream, "CHUNK", 4)
        patch.setattr(recordscreen, "_held_error_paths", slow)
        counts = _counting_flights(patch)
        issues = iter_issues(data, streaming=True)
        for _ in issues:
            if counts["screened"] > counts["landed"]:  # a chunk is screened meanwhile
                issues.close()
                # waited for: every screen begun (copies' too) ended, the chunk's among them
                assert len(begun) == len(ended) >= counts["screened"] + 1
                break
        else:
            pytest.fail("no issue came while a chunk was screened")


@pytest.mark.parametrize("piece", [1024, 2048, 4096])
def test_a_chunk_screened_meanwhile_lands_while_its_lines_are_kept(piece: int) -> None:
    """A chunk screened after its rules lands within FLIGHT_PIECES pieces of its start,
    even when no record follows for long (a large comment before the trailer): its
    suspects' issues keep their columns, as in whole-document mode."""
    changes = [0] * 5 + [9, 0, 9, 0] + [0]
    head, trailer = batch_parts(len(changes))
    body = "".join(_record(n, c) for n, c in enumerate(changes, 1))
    # past the lines kept: RECENT pieces, and at least MAX_LINE bytes before them
    filler = "  <!-- " + "filler " * ((12 * piece + 96 * 1024) // 7) + "-->\n"
    data = (head + body + filler + trailer).encode()
    whole = validate(data, streaming=False)
    assert any(i.column for i in whole.issues if i.code.startswith("xsd."))
    streamed = stream_report(data, 4, piece)
    assert _issues(whole) == _issues(streamed)
