"""Classes of mismatch a differential fuzz of streamed against whole validation found.

Each test covers one class: well-formed, hostile batches whose streamed report (at
any chunk and piece size, with any set of checks) must equal the whole document's.
"""

from __future__ import annotations

import re

from epay_batches import NS
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from validation.test_stream_errors import _batch
from validation.test_stream_record_screen import stream_report

from lgstandards.validation import validate

_XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'

#: Schema-location hints (never followed, always reported) to put on a record or a child.
HINTS = [
    f'{_XSI} xsi:schemaLocation="urn:x http://example.org/x.xsd"',
    f'{_XSI} xsi:noNamespaceSchemaLocation="x.xsd"',
    f'{_XSI} xsi:schemaLocation="urn:x x.xsd"',
]

_CHECKS = st.sampled_from([None, ("xsd",), ("xsd", "vocab"), ("rules",)])
_PIECE = st.sampled_from([64, 256, 1024, 65536])


def _same(data: bytes, chunk: int, piece: int, checks: tuple[str, ...] | None) -> list[str]:
    """Assert the streamed report equals the whole one; return its codes."""
    options = {"checks": list(checks)} if checks else {}
    whole = validate(data, streaming=False, **options)
    streamed = stream_report(data, chunk, piece, **options)
    assert [i.to_dict() for i in streamed] == [i.to_dict() for i in whole]
    return [i.code for i in whole]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    size=st.integers(1, 8),
    hinted=st.lists(
        st.tuples(st.integers(0, 7), st.sampled_from(["PaymentRecord", "Fee"]), st.integers(0, 2)),
        min_size=1,
        max_size=3,
    ),
    checks=_CHECKS,
    chunk=st.integers(1, 5),
    piece=_PIECE,
)
def test_schema_location_hints_in_records_are_reported_streamed(
    size: int,
    hinted: list[tuple[int, str, int]],
    checks: tuple[str, ...] | None,
    chunk: int,
    piece: int,
) -> None:
    """A schema-location hint on any record (or inside one), not only the first or last:
    reported streamed as whole, once each."""
    text = _batch([([], 0)] * size, padding=0, trailer_lines=0).decode()
    parts = re.split(r"(?=  <epay:PaymentRecord>)", text)
    for number, tag, hint in hinted:
        at = 1 + number % size
        parts[at] = parts[at].replace(f"<epay:{tag}>", f"<epay:{tag} {HINTS[hint]}>", 1)
    codes = _same("".join(parts).encode(), chunk, piece, checks)
    assert {"xml.external-reference", "xml.schema-location-ignored"} & set(codes)


#: Where a record-named element goes inside a record (a child, a grandchild, a record
#: of its own inside).
NESTED = [
    ("<epay:Fee>", "<epay:PaymentRecord/><epay:Fee>"),
    ("<epay:FundCode>", "<epay:FundCode><epay:PaymentRecord/>"),
    (
        "<epay:Fee>",
        '<epay:PaymentRecord odd="1"><epay:Fee>x</epay:Fee></epay:PaymentRecord><epay:Fee>',
    ),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=st.lists(
        st.tuples(st.sampled_from([0, 0, 1, 2, 3]), st.sampled_from([0, 0, 3])),
        min_size=1,
        max_size=8,
    ),
    checks=_CHECKS,
    chunk=st.integers(1, 5),
    piece=_PIECE,
)
def test_a_record_named_element_inside_a_record_is_not_a_record(
    plan: list[tuple[int, int]], checks: tuple[str, ...] | None, chunk: int, piece: int
) -> None:
    """A record-named element inside a record (out of place there): reported in its
    record, never validated as a record of its own, streamed as whole (also after an
    element out of place, whose following records are validated on their own)."""
    text = _batch([([], after) for _, after in plan], padding=0, trailer_lines=0).decode()
    parts = re.split(r"(?=  <epay:PaymentRecord>)", text)
    for at, (nested, _) in enumerate(plan, 1):
        if nested:
            old, new = NESTED[nested - 1]
            parts[at] = parts[at].replace(old, new, 1)
    codes = _same("".join(parts).encode(), chunk, piece, checks)
    if any(nested for nested, _ in plan) and checks in (None, ("xsd",)):
        assert any(code.startswith("xsd.") for code in codes)


def _declaring(record: str, form: int) -> str:
    """``record`` declaring the e-Pay namespace itself: 1 as ``q:``, 2 as the default."""
    if form == 1:
        record = record.replace("epay:", "q:")
        return record.replace("<q:PaymentRecord>", f'<q:PaymentRecord xmlns:q="{NS}">', 1)
    record = record.replace("epay:", "")
    return record.replace("<PaymentRecord>", f'<PaymentRecord xmlns="{NS}">', 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=st.lists(
        st.tuples(st.sampled_from([[], [9], [17]]), st.sampled_from([0, 1, 2])),
        min_size=3,  # (the first and last records stay in the tree)
        max_size=8,
    ),
    shared=st.booleans(),
    checks=_CHECKS,
    chunk=st.integers(1, 5),
    piece=st.sampled_from([256, 1024, 65536]),
)
@example(
    plan=[([], 0), ([9], 1), ([17], 2), ([], 0)], shared=True, checks=None, chunk=3, piece=1024
)
def test_records_declaring_their_namespace_keep_columns(
    plan: list[tuple[list[int], int]],
    shared: bool,
    checks: tuple[str, ...] | None,
    chunk: int,
    piece: int,
) -> None:
    """Records declaring the batch's namespace themselves (another prefix, the default
    namespace), broken or not, on lines of their own or sharing lines: the columns of
    their errors are found streamed as whole (the prefix of the source's start tags)."""
    text = _batch([(changes, 0) for changes, _ in plan], padding=0, trailer_lines=0).decode()
    parts = re.split(r"(?=  <epay:PaymentRecord>)", text)
    for at, (_, form) in enumerate(plan, 1):
        if form:
            parts[at] = _declaring(parts[at], form)
        if shared and at < len(plan):
            parts[at] = parts[at].rstrip("\n")
    _same("".join(parts).encode(), chunk, piece, checks)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=st.lists(st.sampled_from([0, 1, 2, 3]), min_size=1, max_size=6),
    checks=_CHECKS,
    chunk=st.integers(1, 3),
    piece=_PIECE,
)
@example(plan=[1, 1, 0], checks=("xsd",), chunk=1, piece=1024)
def test_a_record_named_element_inside_a_record_keeps_its_line_past_65535(
    plan: list[int], checks: tuple[str, ...] | None, chunk: int, piece: int
) -> None:
    """Past line 65,535 (where streamed lines are counted from the start tags), a
    record-named element inside a record is found at its own line, not its record's."""
    text = _batch([([], 0)] * len(plan), padding=65_540, trailer_lines=0).decode()
    parts = re.split(r"(?=  <epay:PaymentRecord>)", text)
    for at, nested in enumerate(plan, 1):
        if nested:
            old, new = NESTED[nested - 1]
            parts[at] = parts[at].replace(old, "\n" + new, 1)
    _same("".join(parts).encode(), chunk, piece, checks)


#: Empty elements out of place (libxml2 gives an empty element past line 65,535 the
#: line of what follows it).
EMPTY = ["  <epay:Note/>\n", "  <epay:Note></epay:Note>\n", "  <epay:Note/><epay:Other/>\n"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    size=st.integers(2, 6),
    after=st.integers(1, 5),
    between=st.sampled_from(EMPTY),
    checks=_CHECKS,
    chunk=st.integers(1, 3),
    piece=_PIECE,
)
@example(size=3, after=1, between=EMPTY[0], checks=("xsd",), chunk=1, piece=1024)
def test_an_empty_element_between_records_keeps_its_line_past_65535(
    size: int, after: int, between: str, checks: tuple[str, ...] | None, chunk: int, piece: int
) -> None:
    """An empty element out of place between records past line 65,535 (kept in the tree
    for the skeleton's check, when its start tag is long gone): its own line, as whole."""
    text = _batch([([], 0)] * size, padding=65_540, trailer_lines=0).decode()
    parts = re.split(r"(?=  <epay:PaymentRecord>)", text)
    parts[1 + (after - 1) % (size - 1)] += between
    _same("".join(parts).encode(), chunk, piece, checks)
