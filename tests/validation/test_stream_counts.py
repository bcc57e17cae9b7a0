"""Streamed trailer counts equal whole-document mode's, however the record types are written.

While streaming, COM-R008 and COM-R009 count the records of each chunk
(:class:`lgstandards.validation.aggregates.SchematronTotals`); a count whose predicate is
a child's value (``[epay:RecordType[. = 'PAYMENT']]``) is read from the records' texts,
and falls back to the XPath for a chunk where a record has two such children or one
with child nodes. Batches over several chunks with record types written every way are
validated in both modes and the issues compared.
"""

from __future__ import annotations

import io
import re

from epay_batches import write_batch
from hypothesis import given, settings
from hypothesis import strategies as st

from lgstandards.validation import validate
from lgstandards.validation.stream import CHUNK

TYPE = re.compile(rb"<epay:RecordType>[A-Z]+</epay:RecordType>")

VARIANTS = [
    b"<epay:RecordType>PAYMENT</epay:RecordType>",
    b"<epay:RecordType>REFUND</epay:RecordType>",
    b"<epay:RecordType>DISPUTE</epay:RecordType>",
    b"<epay:RecordType> PAYMENT</epay:RecordType>",
    b"<epay:RecordType>PAY<!-- x -->MENT</epay:RecordType>",
    b"<epay:RecordType>REFUND</epay:RecordType><epay:RecordType>PAYMENT</epay:RecordType>",
    b"<epay:RecordType/>",
    b"",
]


@settings(max_examples=12, deadline=None)
@given(
    count=st.integers(CHUNK + 1, 3 * CHUNK),
    changes=st.lists(st.tuples(st.integers(0, 3 * CHUNK), st.sampled_from(VARIANTS)), max_size=4),
    restate=st.booleans(),
)
def test_streamed_record_type_counts_equal_whole_documents(
    count: int, changes: list[tuple[int, bytes]], restate: bool
) -> None:
    buffer = io.BytesIO()
    write_batch(buffer, count)
    data = buffer.getvalue()
    places = [m.span() for m in TYPE.finditer(data)]
    chosen = {index % len(places): variant for index, variant in changes}
    for index in sorted(chosen, reverse=True):  # from the end: the spans stay right
        start, end = places[index]
        data = data[:start] + chosen[index] + data[end:]
    if restate:
        data = _restated(data)
    whole = validate(data, streaming=False, checks=["rules"])
    streamed = validate(data, streaming=True, checks=["rules"])
    assert whole.issues == streamed.issues
    if restate:  # the trailer states what the rule counts: a wrong count would show
        assert not {"rule.COM-R008", "rule.COM-R009"} & {i.code for i in whole.issues}


def _restated(data: bytes) -> bytes:
    """Write into the trailer the counts per record type as the Schematron counts them."""
    from lxml import etree

    root = etree.fromstring(data)
    ns = {"epay": "urn:lgstandards:epay:1"}
    for name, kind in (
        ("PaymentCount", "PAYMENT"),
        ("RefundCount", "REFUND"),
        ("DisputeCount", "DISPUTE"),
    ):
        count = root.xpath(
            f"count(epay:PaymentRecord[epay:RecordType[. = '{kind}']])", namespaces=ns
        )
        data = re.sub(
            rf"<epay:{name}>[0-9]+</epay:{name}>".encode(),
            f"<epay:{name}>{int(count)}</epay:{name}>".encode(),
            data,
        )
    return data
