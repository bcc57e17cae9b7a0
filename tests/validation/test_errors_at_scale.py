"""An error costs and reads the same wherever it sits in a batch, whatever the batch's size.

The class of failure: work per issue that grows with the document (an XPath per issue,
an index of the whole document rebuilt per issue, a walk of the preceding records), and
issues that read differently deep in a large batch (another line, column or path than
the same faulty record has in a small batch). A faulty record's issues, with its
position in the path and its line counted from its own first line, are the same at
the start, in the middle and at the end of a 20,000-record batch (past line 65,535,
where libxml2's lines stop being exact) as in a 3-record batch, in whole-document and
streaming mode alike; and the indexes the engine builds per document do not multiply
with the issues.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from unittest import mock

import pytest
from epay_batches import write_batch

from lgstandards.report import Issue
from lgstandards.validation import paths, starttags, validate

#: Each record spans this many lines (so that 20,000 records pass line 65,535).
RECORD_LINES = 4

#: Faults that stay inside one record: an XSD pattern error, dates out of order (a
#: Schematron rule) and a card number (a Python rule), alone and together.
FAULTS: dict[str, Callable[[str], str]] = {
    "pattern": lambda r: re.sub(
        "<epay:AccountReference>[^<]*", "<epay:AccountReference>PCN 1", r, count=1
    ),
    "dates": lambda r: r.replace("<epay:CapturedDate>2024-05-02", "<epay:CapturedDate>2024-04-30"),
    "card": lambda r: re.sub(
        "<epay:TransactionId>[^<]*", "<epay:TransactionId>4111111111111111", r, count=1
    ),
}
FAULTS["all"] = lambda r: FAULTS["card"](FAULTS["dates"](FAULTS["pattern"](r)))

_RECORD = re.compile(r"  <epay:PaymentRecord>.*?</epay:PaymentRecord>\n", re.DOTALL)


def batch(count: int, faults: dict[int, str]) -> tuple[bytes, int]:
    """A batch of ``count`` records with ``faults`` (position -> fault); and its head's lines.

    Each record is spread over :data:`RECORD_LINES` lines; amounts and counts are kept,
    so the trailer is right.
    """
    buffer = io.BytesIO()
    write_batch(buffer, count)
    text = buffer.getvalue().decode()
    records = _RECORD.findall(text)
    assert len(records) == count
    head = text[: text.index(records[0])]
    tail = text[text.index(records[-1]) + len(records[-1]) :]
    spread = []
    for position, record in enumerate(records, 1):
        if position in faults:
            record = FAULTS[faults[position]](record)
        record = (
            record.replace("<epay:AccountReference>", "\n    <epay:AccountReference>")
            .replace("<epay:GrossAmount>", "\n    <epay:GrossAmount>")
            .replace("<epay:CapturedDate>", "\n    <epay:CapturedDate>")
        )
        assert record.count("\n") == RECORD_LINES
        spread.append(record)
    return (head + "".join(spread) + tail).encode(), head.count("\n")


def record_issues(issues: list[Issue], position: int, head_lines: int) -> list[tuple[object, ...]]:
    """The issues of the record at ``position``, its position and first line taken out."""
    marker = f"epay:PaymentRecord[{position}]"
    first_line = head_lines + 1 + (position - 1) * RECORD_LINES
    return sorted(
        (
            issue.code,
            issue.message,
            issue.message_cy,
            issue.column,
            (issue.path or "").replace(marker, "epay:PaymentRecord[#]"),
            None if issue.line is None else issue.line - first_line,
        )
        for issue in issues
        if issue.path and (marker + "/" in issue.path or issue.path.endswith(marker))
    )


@pytest.mark.slow
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_faulty_record_reads_the_same_anywhere_in_a_large_batch(fault: str) -> None:
    small, small_head = batch(3, {2: fault})
    expected = record_issues(validate(small).issues, 2, small_head)
    assert expected, "the fault gives issues"
    count = 20_000
    positions = (1, 2, count // 2, count - 1, count)
    data, head = batch(count, dict.fromkeys(positions, fault))
    assert data.count(b"\n") > 65_535
    reports = {mode: validate(data, streaming=mode) for mode in (False, True)}
    for mode, report in reports.items():
        for position in positions:
            assert record_issues(report.issues, position, head) == expected, (mode, position)
        # nothing but the faulty records' issues (the trailer's totals are right)
        assert all(
            any(f"epay:PaymentRecord[{p}]" in (i.path or "") for p in positions)
            for i in report.issues
        ), mode
    whole, streamed = (reports[mode].issues for mode in (False, True))
    assert [(i.code, i.line, i.column, i.path) for i in whole] == [
        (i.code, i.line, i.column, i.path) for i in streamed
    ]


def _counted(data: bytes) -> dict[str, int]:
    """Validate ``data`` whole; count the look-ups whose number must not grow with issues."""
    counts = {"xpath per path": 0, "name indexes": 0, "root groups": 0}
    resolve, index = paths.resolve, starttags.TagLines._index
    engine_group, resolver_group = paths.EngineLocator._group, starttags.PathResolver._group

    def counting_resolve(*args: object, **kwargs: object) -> object:
        counts["xpath per path"] += 1
        return resolve(*args, **kwargs)  # type: ignore[arg-type]

    def counting_index(self: starttags.TagLines, *args: object) -> object:
        counts["name indexes"] += 1
        return index(self, *args)  # type: ignore[arg-type]

    def counting_group(original: Callable[..., object]) -> Callable[..., object]:
        def group(self: object, parent: object, *args: object) -> object:
            built = getattr(self, "_groups")  # noqa: B009 - the cache the group is built into
            if (parent, *args) not in built and getattr(parent, "getparent")() is None:  # noqa: B009
                counts["root groups"] += 1  # a group of the root's children is built
            return original(self, parent, *args)

        return group

    with (
        mock.patch.object(paths, "resolve", counting_resolve),
        mock.patch.object(starttags.TagLines, "_index", counting_index),
        mock.patch.object(paths.EngineLocator, "_group", counting_group(engine_group)),
        mock.patch.object(starttags.PathResolver, "_group", counting_group(resolver_group)),
    ):
        report = validate(data, streaming=False)
    assert len(report) > 0
    return counts


@pytest.mark.slow
def test_the_indexes_built_per_document_do_not_grow_with_its_issues() -> None:
    """A batch past line 65,535 with 5 faulty records and with 400: the same look-ups."""
    count = 17_000
    few, _ = batch(count, dict.fromkeys(range(1, count, count // 5), "all"))
    many, _ = batch(count, dict.fromkeys(range(1, count, count // 400), "all"))
    assert few.count(b"\n") > 65_535
    counted_few, counted_many = _counted(few), _counted(many)
    assert counted_few == counted_many
    assert counted_few["xpath per path"] == 0


def test_a_rules_messages_are_compiled_once_not_per_failure() -> None:
    """200 records out of date order: each message's ``value-of`` XPath compiled once.

    (Compiling them per failure, in English and Welsh, was most of a failure's cost.)
    The findings stay the XSLT's: the screens' tests compare them.
    """
    from lgstandards.rules.schematron import _compiled_select

    data, _ = batch(1_000, dict.fromkeys(range(1, 1_000, 5), "dates"))
    _compiled_select.cache_clear()
    report = validate(data, streaming=False)
    dated = [issue for issue in report if issue.code == "rule.EPAY-R014"]
    assert len(dated) == 200
    assert all("2024-05-01" in issue.message for issue in dated)  # a value-of
    info = _compiled_select.cache_info()
    assert info.misses <= 8
    assert info.hits >= len(dated)
