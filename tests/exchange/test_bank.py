"""Bank reconciliation: payouts against a camt statement, matched by reference and amount.

Statements are built here from drawn payouts (the e-Pay strategies), so that every
matching outcome is checked on many payouts, not one example: all matched; one amount
changed (a mismatch naming both documents); one payout left off the statement (missing);
an extra credit (unmatched, a warning).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgstandards._resources import examples_root
from lgstandards.exchange.bank import reconcile
from lgstandards.models import epay
from lgstandards.report import Severity
from lgstandards.testing.epay import payouts

STATEMENT = examples_root() / "iso20022" / "valid" / "camt053-council-statement.xml"
PAYOUT = examples_root() / "epay" / "valid" / "payout.xml"
FEW = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))

ENTRY = """<Ntry><Amt Ccy="{currency}">{amount}</Amt><CdtDbtInd>{direction}</CdtDbtInd>
<Sts>BOOK</Sts><BookgDt><Dt>2026-04-01</Dt></BookgDt>
<BkTxCd><Prtry><Cd>BGC</Cd></Prtry></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>{reference}</EndToEndId></Refs>
<RmtInf><Ustrd>{remittance}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""


def statement(*entries: str) -> bytes:
    """A camt.053.001.02 statement with the entries given."""
    return (
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>STMT-TEST</MsgId><CreDtTm>2026-04-01T18:00:00Z</CreDtTm></GrpHdr>"
        "<Stmt><Id>STMT-TEST-1</Id><CreDtTm>2026-04-01T18:00:00Z</CreDtTm>"
        "<Acct><Id><Othr><Id>00000000</Id></Othr></Id></Acct>"
        '<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">0.00</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-01</Dt></Dt></Bal>"
        + "".join(entries)
        + "</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def credit(
    amount: Decimal, reference: str, *, currency: str = "GBP", remittance: str = "TEST"
) -> str:
    direction = "CRDT" if amount >= 0 else "DBIT"
    return ENTRY.format(
        amount=f"{abs(amount):.2f}",
        currency=currency,
        direction=direction,
        reference=reference,
        remittance=remittance,
    )


def reference_of(payout: epay.Payout) -> str:
    return payout.statement_reference or payout.payout_id


def _positive(payout: epay.Payout) -> bool:
    return payout.amount > 0


def test_the_example_payout_is_on_the_example_statement() -> None:
    assert reconcile(STATEMENT, [PAYOUT]).codes() == []


def test_sources_may_be_streams() -> None:
    report = reconcile(io.BytesIO(STATEMENT.read_bytes()), [io.BytesIO(PAYOUT.read_bytes())])
    assert report.codes() == []


@FEW
@given(
    st.lists(payouts().filter(_positive), min_size=1, max_size=4, unique_by=lambda p: p.payout_id)
)
def test_every_payout_on_the_statement_matches(drawn: list[epay.Payout]) -> None:
    data = statement(*(credit(p.amount, reference_of(p)) for p in drawn))
    assert reconcile(data, [p.to_xml() for p in drawn]).codes() == []


@FEW
@given(payouts().filter(_positive), st.integers(1, 999))
def test_another_amount_is_a_mismatch_naming_both_documents(
    payout: epay.Payout, pence: int
) -> None:
    wrong = payout.amount + Decimal(pence) / 100
    report = reconcile(statement(credit(wrong, reference_of(payout))), [_named(payout)])
    (found,) = report.issues
    assert found.code == "bank.amount-mismatch"
    assert found.severity is Severity.ERROR
    assert "payout.xml" in found.message
    assert "<statement>" in found.message
    assert f"{wrong:.2f}" in found.message
    assert f"{payout.amount:.2f}" in found.message
    assert found.path == "/camt053:Document/camt053:BkToCstmrStmt/camt053:Stmt[1]/camt053:Ntry[1]"
    assert found.message_cy


@FEW
@given(payouts().filter(_positive))
def test_another_currency_is_a_mismatch(payout: epay.Payout) -> None:
    data = statement(credit(payout.amount, reference_of(payout), currency="EUR"))
    assert reconcile(data, [payout.to_xml()]).codes() == ["bank.amount-mismatch"]


@FEW
@given(
    st.lists(payouts().filter(_positive), min_size=2, max_size=4, unique_by=lambda p: p.payout_id)
)
def test_a_payout_left_off_the_statement_is_missing(drawn: list[epay.Payout]) -> None:
    data = statement(*(credit(p.amount, reference_of(p)) for p in drawn[1:]))
    report = reconcile(data, [p.to_xml() for p in drawn])
    (found,) = report.issues
    assert found.code == "bank.payout-missing"
    assert found.source == "<payouts 1>"
    assert found.path == "/epay:Payout"
    assert drawn[0].payout_id in found.message
    assert "<statement>" in found.message


@FEW
@given(payouts().filter(_positive))
def test_a_credit_no_payout_explains_is_a_warning(payout: epay.Payout) -> None:
    data = statement(credit(payout.amount, reference_of(payout)), credit(Decimal("9.99"), "OTHER"))
    report = reconcile(data, [payout.to_xml()])
    assert report.codes() == ["bank.credit-unmatched"]
    assert report.ok
    assert "OTHER" in report.issues[0].message


def test_debits_and_pending_entries_are_not_matched() -> None:
    pending = credit(Decimal("215.30"), "PAYOUT-20260401").replace("BOOK", "PDNG")
    report = reconcile(statement(credit(Decimal("-215.30"), "PAYOUT-20260401"), pending), [PAYOUT])
    assert report.codes() == ["bank.payout-missing"]


@pytest.mark.parametrize(
    ("remittance", "matched"),
    [
        ("PAYOUT-20260401", True),
        ("GATEWAY PAYOUT-20260401 TEST", True),
        ("XPAYOUT-20260401", False),
        ("PAYOUT-2026040", False),
    ],
)
def test_a_reference_in_the_remittance_matches_as_a_whole_word(
    remittance: str, matched: bool
) -> None:
    entry = credit(Decimal("215.30"), "NOTSET", remittance=remittance)
    codes = reconcile(statement(entry), [PAYOUT]).codes()
    assert (codes == []) is matched


def test_a_batch_is_matched_by_payout_id_on_its_records_net_sum() -> None:
    batch = examples_root() / "epay" / "valid" / "reconciliation-batch.xml"
    # PO-0001: 124.90 + 44.70 - 45.00 + 34.75, the net amounts of its four records
    assert reconcile(statement(credit(Decimal("159.35"), "PO-0001")), [batch]).codes() == []
    report = reconcile(statement(credit(Decimal("159.36"), "PO-0001")), [batch])
    assert report.codes() == ["bank.amount-mismatch"]


def test_invalid_documents_bring_their_own_issues_and_are_not_matched() -> None:
    broken = examples_root() / "epay" / "invalid" / "payout-amount-mismatch.xml"
    report = reconcile(STATEMENT, [broken])
    assert report.codes() == ["rule.EPAY-R015", "bank.credit-unmatched"]
    assert report.issues[0].source == str(broken)
    assert reconcile(b"<not-closed>", [PAYOUT]).codes() == ["xml.truncated"]


def test_a_document_that_is_no_statement_is_reported() -> None:
    assert reconcile(PAYOUT, []).codes() == ["bank.not-a-statement"]


def _named(payout: epay.Payout) -> Any:
    stream = io.BytesIO(payout.to_xml())
    stream.name = "payout.xml"
    return stream
