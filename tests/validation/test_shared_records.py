"""The rules of a batch, sharing what they read of its records, find what each finds alone.

The class of failure: rules that read the records and their columns once for all
(:func:`lgstandards.rules.screens.sharing`: the Schematron screens, COM-R010's sums,
EPAY-R006's fund codes) reporting another finding, message, line, path or order than
each rule reading the document itself, on any shape of batch: a fund code or amount
missing, repeated, empty, with a comment, a CDATA section, a character reference or
white space, a fund of the fund table (EPAY-R006 then checks its references), fund
codes outside the records, wrong trailer totals, records out of order.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from epay_batches import write_batch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testsupport.columns import columns_both_ways

from lgstandards.artefacts.kinds import spec_for_kind
from lgstandards.report import Issue
from lgstandards.rules import _columns, screens
from lgstandards.safexml import parse_checked
from lgstandards.validation import engine, layers
from lgstandards.validation.paths import PathMaker

_SPEC = spec_for_kind("epay.reconciliation-batch")
assert _SPEC is not None
SPEC = _SPEC
_RECORD = re.compile(r"<epay:PaymentRecord>.*?</epay:PaymentRecord>", re.DOTALL)


def _sub(pattern: str, replacement: str) -> Callable[[str], str]:
    return lambda record: re.sub(pattern, replacement, record, count=1)


_FUND = r"<epay:FundCode>[^<]*</epay:FundCode>"
_GROSS = r"<epay:GrossAmount>[^<]*</epay:GrossAmount>"

#: Changes to one record (applied to its text).
RECORD_CHANGES: dict[str, Callable[[str], str]] = {
    "council tax": _sub(_FUND, "<epay:FundCode>CT</epay:FundCode>"),
    "council tax, its reference": lambda r: _sub(
        r"<epay:AccountReference>[^<]*", "<epay:AccountReference>500000001"
    )(_sub(_FUND, "<epay:FundCode>CT</epay:FundCode>")(r)),
    "fund with a comment": _sub(_FUND, "<epay:FundCode>C<!--x-->T</epay:FundCode>"),
    "fund in CDATA": _sub(_FUND, "<epay:FundCode><![CDATA[CT]]></epay:FundCode>"),
    "fund by reference": _sub(_FUND, "<epay:FundCode>&#67;T</epay:FundCode>"),
    "fund with spaces": _sub(_FUND, "<epay:FundCode> CT </epay:FundCode>"),
    "empty fund": _sub(_FUND, "<epay:FundCode/>"),
    "no fund": _sub(_FUND, ""),
    "two funds": _sub(f"({_FUND})", r"\1<epay:FundCode>CT</epay:FundCode>"),
    "no gross": _sub(_GROSS, ""),
    "two gross": _sub(f"({_GROSS})", r"\1\1"),
    "gross with a comment": _sub(
        r"<epay:GrossAmount>([^<]*)</epay:GrossAmount>",
        r"<epay:GrossAmount>\1<!--x--></epay:GrossAmount>",
    ),
    "out of order": _sub(r"<epay:CapturedDate>[^<]*", "<epay:CapturedDate>2024-04-01"),
    "refund": _sub(r"<epay:RecordType>[^<]*", "<epay:RecordType>REFUND"),
}

#: Changes to the whole batch.
DOCUMENT_CHANGES: dict[str, Callable[[str], str]] = {
    "trailer fund of the table": lambda t: t.replace(
        "<epay:FundTotal><epay:FundCode>LIB", "<epay:FundTotal><epay:FundCode>CT", 1
    ),
    "reference in a fund total": lambda t: t.replace(
        "<epay:FundTotal><epay:FundCode>LIB</epay:FundCode>",
        "<epay:FundTotal><epay:FundCode>CT</epay:FundCode>"
        "<epay:AccountReference>12</epay:AccountReference>",
        1,
    ),
    "a comment between records": lambda t: t.replace(
        "</epay:PaymentRecord>", "</epay:PaymentRecord><!-- x -->", 1
    ),
}


def make_batch(
    count: int, changes: dict[int, list[str]], document: list[str], wrong_totals: bool
) -> bytes:
    """A batch of ``count`` records, changed by record position, then as a whole."""
    buffer = io.BytesIO()
    write_batch(buffer, count, wrong_totals=wrong_totals)
    text = buffer.getvalue().decode()
    pieces, start = [], 0
    for position, match in enumerate(_RECORD.finditer(text), 1):
        record = match.group(0)
        for change in changes.get(position, []):
            record = RECORD_CHANGES[change](record)
        pieces.append(text[start : match.start()] + record)
        start = match.end()
    text = "".join(pieces) + text[start:]
    for change in document:
        text = DOCUMENT_CHANGES[change](text)
    return text.encode()


def _fields(issues: list[Issue]) -> list[tuple[Any, ...]]:
    return [
        (i.code, i.severity, i.message, i.message_cy, i.line, i.column, i.path, i.detail)
        for i in issues
    ]


def rule_findings(data: bytes, *, share: bool) -> list[Issue]:
    """The rules' issues on a fresh tree, the records shared or each rule reading its own."""
    root = parse_checked(data).getroot()
    paths = PathMaker(engine.Options().profile.prefixes, SPEC.record_tag)
    run = layers.rule_issues if share else layers._rule_issues
    return list(
        run(
            SPEC,
            root,
            source="batch.xml",
            paths=paths,
            exclude=frozenset(),
            data=data,
            profile=None,
            whole=None,
        )
    )


batches = st.tuples(
    st.integers(min_value=1, max_value=30),
    st.dictionaries(
        st.integers(min_value=1, max_value=30),
        st.lists(st.sampled_from(sorted(RECORD_CHANGES)), min_size=1, max_size=2),
        max_size=6,
    ),
    st.lists(st.sampled_from(sorted(DOCUMENT_CHANGES)), max_size=2, unique=True),
    st.booleans(),
)


@pytest.fixture(params=["c", "python"])
def column_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Columns read in C (``rules._columns``, where built) or in Python (without it)."""
    if request.param == "python":
        monkeypatch.setattr(_columns, "_READER", [None])
    elif _columns._reader() is None:
        pytest.skip("the column reader was not built (no C compiler)")
    return str(request.param)


def _count_walks(monkeypatch: pytest.MonkeyPatch, walks: list[Any]) -> None:
    """Note each column a walk of the records reads, in Python or in C (several at once)."""
    read_column = screens._read_column_outside
    read_columns = _columns.read_columns

    def column_walked(root: Any, records: Any, tag: str, elements: list[Any] | None = None) -> Any:
        if elements is None:
            walks.append(tag)
        return read_column(root, records, tag, elements)

    def columns_walked(root: Any, records: int, record_tag: str, tags: list[str]) -> Any:
        read = read_columns(root, records, record_tag, tags)
        if read is not None:
            walks.extend(tags)
        return read

    monkeypatch.setattr(screens, "_read_column_outside", column_walked)
    monkeypatch.setattr(_columns, "read_columns", columns_walked)


@pytest.fixture(autouse=True)
def _screen_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Screen the Schematron rules on batches of any size (shared records are read), and
    read their columns in C whatever their size (where the library was built)."""
    from lgstandards.rules import schematron

    monkeypatch.setattr(schematron, "SCREEN_FROM", 1)
    monkeypatch.setattr(screens, "NATIVE_FROM", 0)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches)
def test_rules_sharing_the_records_find_what_each_finds_alone(
    batch: tuple[int, dict[int, list[str]], list[str], bool],
) -> None:
    """The same findings with the columns read in C, in Python, or by each rule alone."""
    count, changes, document, wrong_totals = batch
    data = make_batch(
        count, {k: v for k, v in changes.items() if k <= count}, document, wrong_totals
    )
    alone = _fields(rule_findings(data, share=False))
    assert _fields(rule_findings(data, share=True)) == alone
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_columns, "_READER", [None])
        assert _fields(rule_findings(data, share=True)) == alone


#: Every child of a record, and elements of the header and trailer.
COLUMN_TAGS = [
    f"{{urn:lgstandards:epay:1}}{name}"
    for name in (
        "RecordType",
        "TransactionId",
        "ReceiptNumber",
        "FundCode",
        "AccountReference",
        "GrossAmount",
        "Fee",
        "NetAmount",
        "TransactionDate",
        "CapturedDate",
        "PeriodFrom",
        "RecordCount",
        "Unknown",
    )
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches, st.permutations(range(len(COLUMN_TAGS))))
def test_columns_read_in_c_are_those_read_in_python(
    batch: tuple[int, dict[int, list[str]], list[str], bool], order: list[int]
) -> None:
    """Each column's values and texts, whatever the batch's shape and the columns' order."""
    if _columns._reader() is None:
        pytest.skip("the column reader was not built (no C compiler)")
    count, changes, document, wrong_totals = batch
    data = make_batch(
        count, {k: v for k, v in changes.items() if k <= count}, document, wrong_totals
    )
    root = parse_checked(data).getroot()
    native, python = columns_both_ways(root, [COLUMN_TAGS[i] for i in order])
    assert native == python


def test_the_records_and_fund_codes_are_read_once(
    monkeypatch: pytest.MonkeyPatch, column_reader: str
) -> None:
    """The records are read once, each column walked once (EPAY-R006's fund codes: COM-R010's)."""
    data = make_batch(40, {}, [], False)
    walks: list[str] = []
    original = screens.Records.elements

    def counted(self: screens.Records, tag: str) -> list[Any]:
        if tag not in self._elements:
            walks.append(tag)
        return original(self, tag)

    monkeypatch.setattr(screens.Records, "elements", counted)
    _count_walks(monkeypatch, walks)
    records_read: list[int] = []
    all_property = screens.Records.all

    def records(self: screens.Records) -> list[Any]:
        if self._records is None:
            records_read.append(1)
        return all_property.fget(self)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(screens.Records, "all", property(records))
    assert rule_findings(data, share=True) == []
    assert len(records_read) == 1
    assert len(walks) == len(set(walks))
    assert "{urn:lgstandards:epay:1}FundCode" in walks


def test_fund_codes_outside_the_table_are_not_read_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """EPAY-R006 with shared records: no fund of the table, no loop over the fund codes."""
    from lgstandards.rules import epay

    root = parse_checked(make_batch(40, {}, [], False)).getroot()
    monkeypatch.setattr(epay, "string_value", _refused)
    with screens.sharing(root):
        assert epay._reference_candidates(root, epay.DEFAULT_FUND_TABLE) == []
    with pytest.raises(AssertionError, match="one by one"):
        epay._reference_candidates(root, epay.DEFAULT_FUND_TABLE)


def _refused(element: Any) -> str:
    raise AssertionError(f"read one by one: {element.tag}")


def test_sharing_is_for_the_block_and_its_root_only() -> None:
    root = parse_checked(make_batch(3, {}, [], False)).getroot()
    other = parse_checked(make_batch(3, {}, [], False)).getroot()
    assert screens.shared(root) is None
    with screens.sharing(root) as records:
        assert screens.shared(root) is records
        assert screens.records_for(root) is records
        assert screens.shared(other) is None
        assert screens.records_for(other) is not records
    assert screens.shared(root) is None


def test_a_block_inside_another_for_the_same_root_shares_the_outer_records() -> None:
    root = parse_checked(make_batch(3, {}, [], False)).getroot()
    other = parse_checked(make_batch(3, {}, [], False)).getroot()
    with screens.sharing(root) as outer:
        with screens.sharing(root) as inner:
            assert inner is outer
        assert screens.shared(root) is outer  # the inner block's end leaves it shared
        with screens.sharing(other) as elsewhere:
            assert elsewhere is not outer
            assert screens.shared(root) is None
        assert screens.shared(root) is outer
    assert screens.shared(root) is None


def test_the_shared_records_serve_only_the_same_records_in_order() -> None:
    root = parse_checked(make_batch(4, {}, [], False)).getroot()
    records = list(root.iter(f"{{{EPAY}}}PaymentRecord"))
    assert screens.shared_records(records) is None  # no block
    with screens.sharing(root) as shared:
        assert screens.shared_records(records) is shared
        assert screens.shared_records(list(records)) is shared
        assert screens.shared_records(records[1:]) is None
        assert screens.shared_records(records[::-1]) is None
        assert screens.shared_records([]) is None


EPAY = "urn:lgstandards:epay:1"


#: A council tax record (a fund of EPAY-R006's table) in every chunk of 512 records.
COUNCIL_TAX = {position: ["council tax"] for position in range(100, 2_000, 300)}


@pytest.mark.parametrize(
    "changes",
    [COUNCIL_TAX, {**COUNCIL_TAX, 700: ["two funds"], 1300: ["fund with a comment"]}],
)
def test_a_streamed_chunk_reads_each_column_once_for_its_totals_and_rules(
    monkeypatch: pytest.MonkeyPatch, changes: dict[int, list[str]], column_reader: str
) -> None:
    """Streaming, COM-R010's sums of a chunk and its rules read the chunk's columns once.

    Both read the fund codes (EPAY-R006 for the council tax records); each column is
    walked at most once a chunk after the first (which holds a copy of the batch's
    first record beside the others: its sums read their own), and the issues are
    whole-document mode's.
    """
    from lgstandards.validation import stream, validate

    data = make_batch(2_000, changes, [], True)
    walks: list[str | None] = []  # None: a chunk's rules begin
    chunk_rules = stream._chunk_rules

    def marked(*args: Any) -> Any:
        walks.append(None)
        return chunk_rules(*args)

    whole = validate(data, streaming=False).issues
    _count_walks(monkeypatch, walks)
    monkeypatch.setattr(stream, "_chunk_rules", marked)
    streamed = validate(data, streaming=True).issues
    assert _fields(streamed) == _fields(whole)
    assert any(i.code == "rule.COM-R010" for i in streamed)
    chunks: list[list[str]] = []
    for walk in walks:
        if walk is None:
            chunks.append([])
        elif chunks:
            chunks[-1].append(walk)
    assert len(chunks) > 3
    for chunk in chunks[1:-1]:
        assert f"{{{EPAY}}}FundCode" in chunk
        assert len(chunk) == len(set(chunk))
