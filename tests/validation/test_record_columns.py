"""A batch's record columns read in C (``rules._columns``) are those read in Python.

The class of failure: a column the C walk reads differently from ``Records.column`` and
``Records.texts`` in Python, on shapes a valid batch does not have: records nested in
records, the root itself a record, a column's element deeper in a record or outside
records (a header's, a trailer's), records without the element or with two, values with
comments, CDATA, references or markup, non-ASCII text, and columns whose text is larger
than the reader's first buffer. Each case is read both ways and compared; where the C
walk does not read the shape, it must say so (None), never give another value.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from testsupport.columns import RECORD, columns_both_ways

from lgstandards.rules import _columns, screens

E = "urn:lgstandards:epay:1"
TAGS = [f"{{{E}}}{name}" for name in ("FundCode", "GrossAmount", "Fee", "PaymentRecord", "X")]

pytestmark = pytest.mark.skipif(
    _columns._reader() is None, reason="the column reader was not built (no C compiler)"
)


@pytest.fixture(autouse=True)
def _columns_in_c_at_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screens, "NATIVE_FROM", 0)


#: The content of one element of a column: text, or markup that makes it odd.
CONTENT = st.one_of(
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
        max_size=12,
    ).map(escape),
    st.sampled_from(
        [
            "",
            " CT ",
            "Siân",
            "a&amp;b",
            "<![CDATA[CT]]>",
            "C<!--x-->T",
            "C<?p x?>T",
            "<epay:X>1</epay:X>",
            "<![CDATA[a]]>b",
            "\t\n",
        ]
    ),
)


def _read_both(root: Any, tags: list[str]) -> tuple[Any, Any, Any]:
    """The columns read with C and without, and what C alone gives."""
    native, python = columns_both_ways(root, tags)
    alone = _columns.read_columns(root, len(list(root.iter(RECORD))), RECORD, tags[:2])
    return native, python, alone


@st.composite
def batches(draw: st.DrawFn) -> bytes:
    """A batch of drawn shape: records with 0 to 2 of each field, odd places and nesting."""
    parts = [f'<epay:ReconciliationBatch xmlns:epay="{E}">']
    if draw(st.booleans()):
        parts.append(f"<epay:Header><epay:FundCode>{draw(CONTENT)}</epay:FundCode></epay:Header>")
    for _ in range(draw(st.integers(0, 12))):
        fields = []
        for name in ("FundCode", "GrossAmount", "Fee"):
            for _ in range(draw(st.sampled_from([0, 1, 1, 1, 1, 2]))):
                fields.append(f"<epay:{name}>{draw(CONTENT)}</epay:{name}>")
        if draw(st.integers(0, 9)) == 0:  # a field deeper in the record
            fields.append(
                f"<epay:Extra><epay:FundCode>{draw(CONTENT)}</epay:FundCode></epay:Extra>"
            )
        if draw(st.integers(0, 14)) == 0:  # a record in a record
            fields.append(
                "<epay:PaymentRecord><epay:FundCode>N</epay:FundCode></epay:PaymentRecord>"
            )
        draw(st.randoms()).shuffle(fields) if draw(st.integers(0, 9)) == 0 else None
        parts.append("<epay:PaymentRecord>" + "".join(fields) + "</epay:PaymentRecord>")
        if draw(st.integers(0, 9)) == 0:
            parts.append("<!-- between --> ")
    if draw(st.booleans()):
        parts.append(
            f"<epay:Trailer><epay:GrossAmount>{draw(CONTENT)}</epay:GrossAmount></epay:Trailer>"
        )
    parts.append("</epay:ReconciliationBatch>")
    return "".join(parts).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches(), st.permutations(TAGS))
def test_columns_of_any_shape_read_in_c_are_those_read_in_python(
    data: bytes, tags: list[str]
) -> None:
    root = etree.fromstring(data)
    native, python, alone = _read_both(root, tags)
    assert native == python
    if alone is not None:  # read in C: the values Records gives in Python
        for tag, column in zip(tags[:2], alone, strict=True):
            values, texts, _ = python[tag]
            assert column.values == values
            assert texts is None or set(column.values) - {None} | set(column.outside) == texts


def test_a_record_as_the_root_and_records_in_records() -> None:
    root = etree.fromstring(
        f'<epay:PaymentRecord xmlns:epay="{E}">'
        "<epay:FundCode>CT</epay:FundCode></epay:PaymentRecord>"
    )
    native, python, alone = _read_both(root, TAGS)
    assert native == python
    assert alone is not None
    assert alone[0].values == ["CT"]
    nested = etree.fromstring(
        f'<epay:B xmlns:epay="{E}"><epay:PaymentRecord><epay:FundCode>A</epay:FundCode>'
        "<epay:PaymentRecord><epay:FundCode>B</epay:FundCode></epay:PaymentRecord>"
        "</epay:PaymentRecord></epay:B>"
    )
    native, python, alone = _read_both(nested, TAGS)
    assert native == python
    assert alone is None  # not read in C


def test_a_column_larger_than_the_first_buffer_is_read_whole() -> None:
    value = "Ŵ" * 200
    records = "".join(
        f"<epay:PaymentRecord><epay:FundCode>{value}{i}</epay:FundCode></epay:PaymentRecord>"
        for i in range(2_000)
    )
    root = etree.fromstring(f'<epay:B xmlns:epay="{E}">{records}</epay:B>')
    native, python, alone = _read_both(root, TAGS)
    assert native == python
    assert alone is not None
    assert alone[0].values == [f"{value}{i}" for i in range(2_000)]
    assert len("".join(alone[0].values).encode()) > _columns._reader().output.first  # type: ignore[union-attr]


def test_an_element_of_another_class_is_read_in_python() -> None:
    class Custom(etree.ElementBase):
        pass

    parser = etree.XMLParser()
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=Custom))
    root = etree.fromstring(
        f'<epay:B xmlns:epay="{E}"><epay:PaymentRecord><epay:FundCode>CT</epay:FundCode>'
        "</epay:PaymentRecord></epay:B>",
        parser,
    )
    assert _columns.read_columns(root, 1, RECORD, TAGS[:1]) is None
    assert screens.Records(root).column(TAGS[0]) == ["CT"]


@pytest.mark.parametrize("told", [0, 1, 5, 9])
def test_a_count_of_records_other_than_the_documents_is_not_read_in_c(told: int) -> None:
    """More or fewer records than the caller said: None, for any number of columns."""
    records = "".join(
        f"<epay:PaymentRecord><epay:FundCode>F{i}</epay:FundCode>"
        f"<epay:GrossAmount>{i}.00</epay:GrossAmount></epay:PaymentRecord>"
        for i in range(6)
    )
    root = etree.fromstring(f'<epay:B xmlns:epay="{E}">{records}</epay:B>')
    for k in (1, 2, 5):
        assert _columns.read_columns(root, told, RECORD, TAGS[:k]) is None
    read = _columns.read_columns(root, 6, RECORD, TAGS[:2])
    assert read is not None
    assert read[0].values == [f"F{i}" for i in range(6)]
    assert read[1].values == [f"{i}.00" for i in range(6)]
