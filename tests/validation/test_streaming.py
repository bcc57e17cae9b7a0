"""Streaming gives the same issues as whole-document mode, in bounded memory."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from epay_batches import write_batch
from tests_validate_support import FIXTURES, TEST_PROFILE, batch_xml

from lgstandards.artefacts.kinds import KindSpec
from lgstandards.safexml import Limits
from lgstandards.validation import iter_issues, validate
from lgstandards.validation.core import Options
from lgstandards.validation.input import Document


def _both(source: bytes | Path, **kwargs: object) -> tuple[list[object], list[object]]:
    whole = validate(source, streaming=False, **kwargs)  # type: ignore[arg-type]
    streamed = validate(source, streaming=True, **kwargs)  # type: ignore[arg-type]
    return whole.issues, streamed.issues  # type: ignore[return-value]


@pytest.mark.parametrize("name", ["batch-valid.xml", "batch-invalid.xml"])
def test_fixture_batches_equal(name: str) -> None:
    whole, streamed = _both(FIXTURES / name)
    assert whole == streamed


@pytest.mark.parametrize(("records", "bad_every"), [(1, 0), (2, 1), (3, 2), (700, 0), (1500, 7)])
def test_generated_test_batches_equal(records: int, bad_every: int) -> None:
    whole, streamed = _both(batch_xml(records, bad_every=bad_every))
    assert whole == streamed
    if bad_every:
        assert whole


def test_wrong_trailer_total_is_found_in_both_modes() -> None:
    whole, streamed = _both(batch_xml(1200, total="1.00"))
    assert whole == streamed
    assert [i.code for i in whole] == ["rule.TST-R004"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("records", "bad_every", "wrong"), [(5, 0, False), (1100, 9, True)])
def test_epay_reconciliation_batches_equal(records: int, bad_every: int, wrong: bool) -> None:
    buffer = io.BytesIO()
    write_batch(buffer, records, bad_every=bad_every, wrong_totals=wrong)
    whole, streamed = _both(buffer.getvalue())
    assert whole == streamed
    codes = {i.code for i in whole}  # type: ignore[attr-defined]
    if wrong:
        assert {"rule.COM-R008", "rule.COM-R010", "xsd.pattern"} <= codes
    else:
        assert codes == set()


def test_ebenefits_bulk_claims_example_equal() -> None:
    from lgstandards._resources import examples_root

    path = examples_root() / "ebenefits" / "valid" / "bulk-claims.xml"
    if not path.is_file():
        pytest.skip("no bulk claims example")
    whole, streamed = _both(path)
    assert whole == streamed


def test_streaming_from_a_file_object_and_iter_issues(tmp_path: Path) -> None:
    path = tmp_path / "batch.xml"
    path.write_bytes(batch_xml(50, bad_every=10))
    expected = validate(path, streaming=False)
    with path.open("rb") as handle:
        streamed = validate(handle, streaming=True)
    assert [i.code for i in streamed] == expected.codes()
    assert sorted(i.code for i in iter_issues(path, streaming=True)) == sorted(expected.codes())


def test_auto_streams_large_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "batch.xml"
    path.write_bytes(batch_xml(20))
    chosen: list[str | None] = []
    real = Document.stream_spec

    def spy(document: Document, options: Options) -> KindSpec | None:
        spec = real(document, options)
        chosen.append(spec.kind if spec is not None else None)
        return spec

    monkeypatch.setattr(Document, "stream_spec", spy)
    small = dataclasses.replace(TEST_PROFILE, stream_threshold=100)
    assert validate(path, profile=small).ok
    assert validate(path).ok  # the default threshold: the whole-document limit
    assert chosen == ["test.batch", None]


@pytest.mark.parametrize("limit_delta", [-1, 0, 1, 1000])
def test_auto_streams_only_what_whole_document_mode_would_refuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit_delta: int
) -> None:
    """With no threshold of its own, a batch is validated whole while it fits the limit."""
    path = tmp_path / "batch.xml"
    data = batch_xml(20)
    path.write_bytes(data)
    chosen: list[str | None] = []
    real = Document.stream_spec

    def spy(document: Document, options: Options) -> KindSpec | None:
        spec = real(document, options)
        chosen.append(spec.kind if spec is not None else None)
        return spec

    monkeypatch.setattr(Document, "stream_spec", spy)
    limits = Limits(max_bytes=len(data) + limit_delta)
    report = validate(path, limits=limits, profile=TEST_PROFILE)
    assert report.ok, report.codes()
    assert chosen == (["test.batch"] if limit_delta < 0 else [None])


def test_streaming_a_non_batch_falls_back_to_whole_document() -> None:
    doc = batch_xml(1).replace(b"TestBatch", b"TestMessage")
    assert validate(doc, streaming=True).codes() == validate(doc, streaming=False).codes()


def test_truncated_batch_while_streaming() -> None:
    data = batch_xml(100)[:-200]
    report = validate(data, streaming=True)
    assert report.codes()[-1] == "xml.truncated"
    assert not report.ok


MEMORY_CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from peak_memory import peak_kb
from pathlib import Path
from epay_batches import batch_file
from lgstandards.validation import validate
path = batch_file(Path(sys.argv[2]), int(sys.argv[3]))
before = peak_kb()
report = validate(path, streaming=True, checks=["xsd", "vocab"])
after = peak_kb()
print(json.dumps({"ok": report.ok, "before_kb": before, "after_kb": after}))
"""


@pytest.mark.slow
def test_streaming_memory_does_not_grow_with_the_batch(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    peaks = []
    for records in (20_000, 200_000):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                MEMORY_CHILD,
                str(Path(__file__).parent),
                str(tmp_path / f"b{records}.xml"),
                str(records),
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        data = json.loads(result.stdout)
        assert data["ok"]
        peaks.append(data["after_kb"])
    assert peaks[1] < 200 * 1024
    assert peaks[1] < peaks[0] + 30 * 1024  # ten times the records, about the same memory


@pytest.mark.parametrize(
    "namespace",
    [
        'xmlns:xi="http://www.w3.org/2001/XInclude"',
        'xmlns:xi="http://www.w3.org/2001/&#88;Include"',  # spelled with a reference
    ],
)
def test_xinclude_deep_in_a_streamed_batch_is_refused(namespace: str) -> None:
    buffer = io.BytesIO()
    write_batch(buffer, 3000)  # over a megabyte: the XInclude comes chunks after the start
    data = buffer.getvalue()
    cut = data.index(b"<epay:PaymentRecord>", len(data) // 2)
    include = f'<xi:include {namespace} href="/etc/passwd" parse="text"/>'.encode()
    data = data[:cut] + include + data[cut:]
    for streaming in (True, False):
        report = validate(data, streaming=streaming)
        assert report.codes() == ["xml.xinclude-forbidden"], streaming
