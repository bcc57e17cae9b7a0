"""What the hostile-input tests share: the seed documents, mutations and the promise checked.

The promise: bad input gets issues (registered codes, English and Welsh, never
``xml.check-failed``, which is a step that raised) or, for a caller's mistake, a clear
exception of the documented type; never another exception, never unbounded time.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from lgstandards.codes import registry
from lgstandards.report import Issue

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

#: Every valid example, XML and RDF: the seeds the mutations start from.
VALID = sorted(
    p for p in EXAMPLES.glob("*/valid/*") if p.suffix in {".xml", ".ttl", ".nt", ".rdf", ".jsonld"}
)
#: The documents of the example exchanges (each valid on its own or nearly so).
EXCHANGE_DOCUMENTS = sorted(EXAMPLES.glob("exchanges/*/*.xml"))
SEEDS = [p.read_bytes() for p in VALID]
XML_SEEDS = [p.read_bytes() for p in (*VALID, *EXCHANGE_DOCUMENTS) if p.suffix == ".xml"]

#: Values at the edges of the types the schemas and rules read: numbers, dates, text.
EXTREME_VALUES = (
    b"",
    b" ",
    b"1e999",
    b"-1e999",
    b"1e-999",
    b"-0",
    b"-0.00",
    b"NaN",
    b"INF",
    b"-INF",
    b"0E0",
    b"+1",
    b"1.",
    b".5",
    b"0x10",
    b"1_000",
    b"1,000",
    b"100000000000000000000000000000",
    b"-100000000000000000000000000000",
    b"18446744073709551616",
    b"12345678901234567890.12345",
    b"0000-00-00",
    b"0001-01-01",
    b"-0001-01-01",
    b"10000-01-01",
    b"2024-02-30",
    b"1900-02-29",
    b"2024-13-01",
    b"9999-12-31T24:00:00+14:00",
    b"2024-01-01T23:59:60Z",
    b"2024-01-01T25:61:61",
    b"2024-01-01+14:01",
    b"--01-01",
    b"P1Y",
    b"\xd9\xa5\xd9\xa7",  # Arabic-Indic digits
    b"\xef\xbc\x95\xef\xbc\x97",  # full-width digits
    b"\xc2\xa01",
    b"\xe2\x80\xa8",
    b"\xf0\x9f\x99\x82",
    b"&#x10FFFF;",
    b"&#xFFFD;",
    b"x" * 5000,
    b"9" * 400,
)

#: Fragments that break or bend XML and RDF syntax where they land.
SYNTAX_FRAGMENTS = (
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"&#0;",
    b"&amp;",
    b"&undefined;",
    b"<!-- c -->",
    b"<?pi x?>",
    b"<?xml version='1.0'?>",
    b"<![CDATA[x]]>",
    b"<!DOCTYPE r>",
    b'<!DOCTYPE r [<!ENTITY e "x">]>',
    b' xmlns:a="urn:a"',
    b' xmlns:b=" 1 "',
    b' q:z="1"',
    b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="x"',
    b' xsi:schemaLocation="urn:x http://127.0.0.1:9/x.xsd"',
    b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>',
    b"<x/>",
    b"</",
    b"<",
    b">",
    b'"',
    b"@prefix x: <http://x/> .",
    b"undefined:thing",
    b'"@context"',
    b'"@id"',
    b'{"@list": ',
    b"[" * 200,
    b"_:b0",
    b"<http://id.esd.org.uk/service/99999999999999999999>",
)

_TEXT = re.compile(rb">([^<>]{1,200})</")
_ATTRIBUTE = re.compile(rb'="([^"]{0,200})"')


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes], *, steps: int = 3) -> bytes:
    """Draw a seed and change it one to ``steps`` times: cut, flip, insert or replace a value."""
    data = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, steps))):
        if not data:
            return data
        position = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["cut", "flip", "insert", "value", "value"]))
        if how == "cut":
            data = data[:position]
        elif how == "flip":
            data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1 :]
        elif how == "insert":
            fragment = draw(st.sampled_from(SYNTAX_FRAGMENTS + EXTREME_VALUES))
            data = data[:position] + fragment + data[position:]
        else:
            data = draw(with_value(data))
    return data


@st.composite
def with_value(draw: st.DrawFn, data: bytes) -> bytes:
    """Put an extreme value in place of one text node or attribute value of ``data``."""
    spots = value_spots(data)
    if not spots:
        return data
    start, end = draw(st.sampled_from(spots))
    return data[:start] + draw(st.sampled_from(EXTREME_VALUES)) + data[end:]


def value_spots(data: bytes) -> list[tuple[int, int]]:
    """Return the spans of the text nodes and attribute values of an XML document."""
    texts = [m.span(1) for m in _TEXT.finditer(data)]
    return texts + [m.span(1) for m in _ATTRIBUTE.finditer(data)]


def assert_kept_promise(issues: Iterable[Issue]) -> list[Issue]:
    """Check issues are registered, in English and Welsh, and that no step raised."""
    found = list(issues)
    codes = registry()
    for issue in found:
        assert issue.code != "xml.check-failed", f"a step raised: {issue.message}: {issue.detail}"
        assert issue.code in codes, f"unregistered code {issue.code}"
        assert issue.message, issue
        assert issue.message_cy, issue
    return found


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail with TimeoutError if the block runs longer (a blocking read is interrupted too)."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
