"""The stateful rules against models of their whole class: any order of payment and refund
states (EPAY-R013), any refunds of a payment (EPAY-R010); documents with errors change
nothing; the rules' finer points."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from messages import (
    CASES,
    payment_request,
    payment_result,
    refund_notification,
    refund_request,
)

from lgstandards.exchange import Exchange
from lgstandards.exchange.rules import PAYMENT_RANK, REFUND_RANK

_IDS = itertools.count()
_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def exchange(ledger: str) -> Iterator[Exchange]:
    with Exchange(ledger) as opened:
        yield opened


def expected_moves(states: list[str], rank: dict[str, int], final: int) -> list[bool]:
    """The model of EPAY-R013: which deliveries are legal, judged in the order given."""
    legal: list[bool] = []
    current: str | None = None
    for state in states:
        if current is None or state == current:
            ok = True
        elif rank[current] >= final or rank[state] < rank[current]:
            ok = False
        else:
            ok = True
        legal.append(ok)
        if ok:
            current = state
    return legal


@_SETTINGS
@given(st.lists(st.sampled_from(sorted(PAYMENT_RANK)), min_size=1, max_size=6))
def test_payment_transitions_follow_the_model(exchange: Exchange, states: list[str]) -> None:
    n = next(_IDS)
    found = [
        exchange.check(payment_result(f"GW-H-{n}", f"REQ-H-{n}", s)).codes() == [] for s in states
    ]
    assert found == expected_moves(states, PAYMENT_RANK, 3)


@_SETTINGS
@given(st.lists(st.sampled_from(["submitted", "success", "error"]), min_size=1, max_size=5))
def test_refund_transitions_follow_the_model(exchange: Exchange, states: list[str]) -> None:
    n = next(_IDS)
    assert exchange.check(payment_result(f"GW-R-{n}", f"REQ-R-{n}", "success")).codes() == []
    found = [
        exchange.check(refund_notification(f"RF-{n}", f"GW-R-{n}", f"RFR-{n}", "10.00", s)).codes()
        == []
        for s in states
    ]
    assert found == expected_moves(states, REFUND_RANK, 2)


@_SETTINGS
@given(st.lists(st.integers(min_value=1, max_value=9000), min_size=1, max_size=6))
def test_refunds_never_add_up_to_more_than_was_paid(exchange: Exchange, amounts: list[int]) -> None:
    n = next(_IDS)
    paid = 17050
    assert exchange.check(payment_result(f"GW-M-{n}", f"REQ-M-{n}", "success")).codes() == []
    refunded = 0
    for k, pence in enumerate(amounts):
        amount = f"{pence // 100}.{pence % 100:02d}"
        codes = exchange.check(refund_request(f"RFM-{n}-{k}", f"GW-M-{n}", amount)).codes()
        if refunded + pence <= paid:
            assert codes == []
            refunded += pence
        else:
            assert codes == ["rule.EPAY-R010"]


def test_a_failed_refund_frees_its_amount(exchange: Exchange) -> None:
    assert exchange.check(payment_result("GW-F", "REQ-F", "success")).codes() == []
    assert exchange.check(refund_request("RFR-F1", "GW-F", "170.50")).codes() == []
    assert exchange.check(refund_request("RFR-F2", "GW-F", "1.00")).codes() == ["rule.EPAY-R010"]
    notice = refund_notification("RF-F1", "GW-F", "RFR-F1", "170.50", "error")
    assert exchange.check(notice).codes() == []
    assert exchange.check(refund_request("RFR-F3", "GW-F", "170.50")).codes() == []


def test_a_refund_request_id_is_never_reused(exchange: Exchange) -> None:
    assert exchange.check(payment_result("GW-U", "REQ-U", "success")).codes() == []
    assert exchange.check(refund_request("RFR-U", "GW-U", "1.00")).codes() == []
    assert exchange.check(refund_request("RFR-U", "GW-U", "1.00")).codes() == ["rule.EPAY-R017"]


def test_a_document_with_errors_changes_nothing(exchange: Exchange) -> None:
    bad = payment_request("REQ-E").replace(b"<epay:SaleTotal>170.50", b"<epay:SaleTotal>171.50")
    assert exchange.check(bad).codes() == ["rule.EPAY-R001"]
    assert exchange.check(payment_request("REQ-E")).codes() == []  # the key was not taken
    assert exchange.check(b"<epay:PaymentRequest").codes() == ["xml.truncated"]
    status = exchange.status()
    assert (status.documents_accepted, status.documents_rejected) == (1, 2)


def test_the_authenticated_sender_is_per_document(exchange: Exchange) -> None:
    data = payment_request("REQ-S")
    assert exchange.check(data, sender="W99999998").codes() == ["rule.COM-R011"]
    assert exchange.check(data, sender="W99999999").codes() == []


def test_transaction_ids_are_per_sender(exchange: Exchange) -> None:
    first = (CASES / "com-r004-transaction-id-reused" / "01-submit.xml").read_bytes()
    other = first.replace(b"LGS-TEST-USER", b"LGS-OTHER-USER").replace(
        b"REQ-GT-0003", b"REQ-GT-0103"
    )
    assert exchange.check(first).codes() == []
    assert exchange.check(other).codes() == []
    again = first.replace(b"REQ-GT-0003", b"REQ-GT-0203")
    assert exchange.check(again).codes() == ["rule.COM-R004"]


def test_reconciliation_names_refunds_missing_from_the_batch(exchange: Exchange) -> None:
    day = sorted((CASES / "epay-valid-day").glob("*.xml"))
    for path in day[:7]:
        assert exchange.check(path).codes() == [], path.name
    batch = day[7].read_bytes()
    start = batch.index(b"  <epay:PaymentRecord>\n    <epay:RecordType>REFUND")
    end = batch.index(b"</epay:PaymentRecord>", start) + len(b"</epay:PaymentRecord>\n")
    without = batch[:start] + batch[end:]
    without = without.replace(b"<epay:RecordCount>2</", b"<epay:RecordCount>1</")
    without = without.replace(b"<epay:RefundCount>1</", b"<epay:RefundCount>0</")
    without = without.replace(b"<epay:TotalGross>125.50</", b"<epay:TotalGross>170.50</")
    without = without.replace(b"<epay:TotalNet>124.65</", b"<epay:TotalNet>169.65</")
    fund = without.index(b"<epay:FundCode>SUN</epay:FundCode>\n      <epay:RecordCount>")
    fund_start = without.rindex(b"    <epay:FundTotal>", 0, fund)
    fund_end = without.index(b"</epay:FundTotal>", fund) + len(b"</epay:FundTotal>\n")
    without = without[:fund_start] + without[fund_end:]
    report = exchange.check(without, name="batch.xml")
    assert report.codes() == ["rule.EPAY-R024"], [str(i) for i in report]
    (issue,) = report.issues
    assert "GW-RFD-0001" in issue.message
    assert "07-refund-notification.xml" in issue.message  # the ledger's document
    assert issue.source == "batch.xml"  # and the batch itself
    assert exchange.check(day[7]).codes() == []  # the right batch still reconciles
    assert exchange.status().unreconciled_refunds == 0


def test_a_valid_document_too_large_to_read_whole_is_rejected(
    exchange: Exchange, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lgstandards.exchange import checker
    from lgstandards.safexml import XMLInputError

    path = tmp_path / "request.xml"
    path.write_bytes(payment_request("REQ-BIG"))

    def too_large(source: object) -> bytes:
        raise XMLInputError("xml.too-large", "the document is larger than allowed")

    monkeypatch.setattr(checker, "read_bytes", too_large)
    report = exchange.check(path)
    assert report.codes() == ["exchange.not-read"]
    assert report.issues[0].message_cy
    monkeypatch.undo()
    assert exchange.check(path).codes() == []  # nothing was recorded: the key is free


def test_an_unreadable_stream_is_an_issue(exchange: Exchange) -> None:
    import io

    report = exchange.check(io.StringIO("<x/>"), name="text-stream")  # type: ignore[arg-type]
    assert report.codes() == ["io.unreadable"]
    assert report.source == "text-stream"
    assert exchange.status().documents_rejected == 1
