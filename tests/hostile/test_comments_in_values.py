"""A comment or processing instruction inside a value: the value is its whole string value.

XPath, XSD and Schematron read ``<Class>LGS-EP<!-- -->AY-PAYREQ</Class>`` as
``LGS-EPAY-PAYREQ``; lxml's ``.text`` stops at the comment. Code that read ``.text`` saw
another value: the envelope took its Class for a foreign one and never validated the
body (a body with a card number or a wrong total passed), the exchange ledger read a
bank statement's or a payout's amount short, and the test gateway echoed a short class
and keys. Each value of each example is split by a comment (and, where no signature or
IRmark covers it, a processing instruction, which Canonical XML keeps): the outcome must
not change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hostile_support import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lgstandards
from lgstandards.conformance.kit import exchange_options
from lgstandards.exchange import Exchange

COMMENT, PI = b"<!-- c -->", b"<?note x?>"
_COMMENTED = re.compile(rb"<!--.*?-->", re.S)
_TEXT = re.compile(rb">([^<>]{2,200})</")
DOCUMENTS = sorted(p for p in EXAMPLES.glob("**/*.xml"))
ENVELOPES = sorted(EXAMPLES.glob("govtalk/*/*.xml"))
HISTORIES = sorted(p for p in (EXAMPLES / "exchanges").iterdir() if p.is_dir())


def _spots(data: bytes) -> list[tuple[int, int]]:
    """Return the text values of ``data`` outside comments."""
    hidden = [m.span() for m in _COMMENTED.finditer(data)]
    return [
        m.span(1) for m in _TEXT.finditer(data) if not any(a <= m.start(1) < b for a, b in hidden)
    ]


def _split(data: bytes, start: int, end: int, at: int, what: bytes = COMMENT) -> bytes:
    """Put ``what`` inside the value ``data[start:end]``, between two characters."""
    cut = start + max(1, min(at, end - start - 1))
    while cut > start and data[cut] & 0xC0 == 0x80:  # not inside a character's UTF-8 bytes
        cut -= 1
    return data[:cut] + what + data[cut:]


def _split_all(data: bytes, what: bytes = COMMENT) -> bytes:
    for start, end in reversed(_spots(data)):
        data = _split(data, start, end, (end - start) // 2, what)
    return data


def _codes(data: bytes, streaming: bool | None = None) -> list[str]:
    return lgstandards.validate(data, streaming=streaming).codes()


@pytest.mark.parametrize("path", ENVELOPES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_comment_inside_the_class_does_not_hide_the_body(path: Path) -> None:
    data = path.read_bytes()
    found = re.search(rb"<gt:Class>([^<]+)</gt:Class>", data)
    assert found is not None
    start, end = found.span(1)
    expected = _codes(data)
    signed = b"IRmark" in data or b"xmldsig" in data  # Canonical XML keeps a PI
    for at in range(1, end - start):
        for what in (COMMENT,) if signed else (COMMENT, PI):
            document = _split(data, start, end, at, what)
            assert _codes(document) == expected, (at, what)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_comment_inside_any_value_changes_nothing(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(DOCUMENTS))
    document = path.read_bytes()
    spots = _spots(document)
    start, end = data.draw(st.sampled_from(spots))
    signed = b"IRmark" in document or b"xmldsig" in document  # Canonical XML keeps a PI
    what = COMMENT if signed else data.draw(st.sampled_from([COMMENT, PI]))
    at = data.draw(st.integers(1, max(1, end - start - 1)))
    changed = _split(document, start, end, at, what)
    for streaming in (False, True):
        assert _codes(changed, streaming) == _codes(document, streaming), (path.name, start)


def _history(folder: Path, change: bool) -> list[list[str]]:
    options = exchange_options(folder)
    profile = folder / options["profile"] if "profile" in options else None
    found = []
    with Exchange(sender=options.get("sender"), profile=profile) as exchange:
        for path in sorted(folder.glob("*.xml")):
            data = path.read_bytes()
            report = exchange.check(_split_all(data) if change else data, name=path.name)
            found.append(report.codes())
    return found


@pytest.mark.parametrize("folder", HISTORIES, ids=lambda p: p.name)
def test_a_history_with_comments_in_every_value_has_the_same_findings(folder: Path) -> None:
    assert _history(folder, change=True) == _history(folder, change=False)


def test_the_test_gateway_reads_and_echoes_whole_values() -> None:
    from lgstandards.service.gateway import message, read_details

    data = (EXAMPLES / "exchanges" / "govtalk-submission-protocol" / "01-submit.xml").read_bytes()
    plain, split = read_details(data), read_details(_split_all(data))
    assert plain is not None
    assert split is not None
    assert (plain.message_class, plain.qualifier, plain.function, plain.transaction_id) == (
        split.message_class,
        split.qualifier,
        split.function,
        split.transaction_id,
    )
    assert (plain.correlation_id, plain.sender_id) == (split.correlation_id, split.sender_id)
    assert (
        message(split, "acknowledgement", None).split(b"GatewayTimestamp")[0]
        == message(plain, "acknowledgement", None).split(b"GatewayTimestamp")[0]
    )
