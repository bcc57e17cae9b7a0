"""The typed view of camt statements reads every entry of every shipped sample as it is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from lgstandards._resources import examples_root
from lgstandards.exceptions import DocumentParseError
from lgstandards.models.iso20022 import CAMT_NAMESPACES, read_statement
from lgstandards.validation import validate

SAMPLES = sorted(
    p for p in (examples_root() / "iso20022" / "valid").glob("*.xml") if "pain" not in p.name
)


def test_every_camt_version_shipped_has_a_sample() -> None:
    read = {read_statement(path).message for path in SAMPLES}
    assert read == set(CAMT_NAMESPACES.values())


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_view_has_every_entry_with_its_amount_direction_and_location(path: Path) -> None:
    assert validate(path).codes() == []
    root = etree.parse(str(path)).getroot()
    namespace = etree.QName(root).namespace
    ns = {"c": namespace}
    entries = root.xpath("//c:Ntry", namespaces=ns)
    view = list(read_statement(path).entries())
    assert len(view) == len(entries)
    tree = root.getroottree()
    for element, entry in zip(entries, view, strict=True):
        amount = element.find("c:Amt", ns)
        assert entry.amount == Decimal(amount.text)
        assert entry.currency == amount.get("Ccy")
        assert entry.credit is (element.findtext("c:CdtDbtInd", namespaces=ns) == "CRDT")
        assert entry.line == element.sourceline
        prefix = entry.path.split(":")[0].lstrip("/")  # the catalogue's prefix
        assert tree.xpath(entry.path, namespaces={prefix: namespace}) == [element]


def test_references_dates_and_balances_of_the_council_statement() -> None:
    statement = read_statement(
        examples_root() / "iso20022" / "valid" / "camt053-council-statement.xml"
    )
    (stmt,) = statement.statements
    assert stmt.account == "00000000"
    assert [(b.type_code, b.amount) for b in stmt.balances] == [
        ("OPBD", Decimal("1000.00")),
        ("CLBD", Decimal("1165.30")),
    ]
    first, second = stmt.entries
    assert first.references() == ("PAYOUT-20260401", "BANK-REF-0001", "1")
    assert first.remittance == ("PAYOUT-20260401 GATEWAY TEST",)
    assert first.booking_date == first.value_date == dt.date(2026, 4, 1)
    assert first.booked
    assert (second.credit, second.end_to_end_ids) == (False, ())


def test_other_documents_are_refused() -> None:
    with pytest.raises(DocumentParseError, match="not a camt"):
        read_statement(examples_root() / "iso20022" / "valid" / "pain001-refunds.xml")
    with pytest.raises(DocumentParseError, match="not a camt"):
        read_statement(examples_root() / "epay" / "valid" / "payout.xml")
