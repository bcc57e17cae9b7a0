"""Hypothesis strategies for the e-Pay messages (needs ``hypothesis``).

Every strategy draws a model whose XML is valid against the schema *and* passes the
business rules (lines add up to the total, dates in order, check digits right, trailer
totals match ...), so suppliers can fuzz their own readers with realistic, clearly fake
data. With ``breaks="EPAY-Rnnn"`` (or ``"COM-Rnnn"``) the drawn message breaks exactly
that rule and no other; :data:`BREAKABLE` lists the rules each strategy can break::

    from hypothesis import given
    from lgstandards.testing.epay import payment_requests

    @given(payment_requests(breaks="EPAY-R001"))
    def test_totals_that_do_not_add_up_are_refused(request): ...

Install with ``pip install 'lgstandards[testing]'``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from lgstandards.models import epay
from lgstandards.rules.epay import luhn_valid, mod11_check_character
from lgstandards.testing._hypothesis import st
from lgstandards.testing.common import (
    _model,
    addresses,
    bank_accounts,
    dates,
    headers,
    identifiers,
    money,
    names,
    person_names,
    text,
    timestamps,
)

#: The rules each strategy can break on request (``payment_requests(breaks="EPAY-R001")``).
BREAKABLE: dict[str, tuple[str, ...]] = {
    "payment_requests": (
        "EPAY-R001",
        "EPAY-R002",
        "EPAY-R003",
        "EPAY-R004",
        "EPAY-R005",
        "EPAY-R006",
        "EPAY-R008",
    ),
    "payment_results": ("EPAY-R009", "EPAY-R014"),
    "payment_notifications": ("EPAY-R014",),
    "refund_requests": ("EPAY-R010", "EPAY-R012"),
    "refund_notifications": ("EPAY-R012", "EPAY-R014"),
    "reconciliation_batches": ("COM-R008", "COM-R009", "COM-R010", "EPAY-R014"),
}


def _check(strategy: str, breaks: str | None) -> None:
    """Refuse a rule the strategy cannot break, before anything is drawn."""
    if breaks is not None and breaks not in BREAKABLE[strategy]:
        raise ValueError(
            f"{strategy} cannot break {breaks!r}; choose from {', '.join(BREAKABLE[strategy])}"
        )


payers = _model(
    epay.Payer,
    name=person_names(),
    address=st.one_of(st.none(), addresses()),
    email=st.one_of(st.none(), st.just("payer@example.org")),
    telephone=st.one_of(st.none(), st.just("01632 960000")),
)


def _ct_reference(n: int) -> str | None:
    payload = f"5{n:07d}"
    check = mod11_check_character(payload)
    return None if check == "X" else payload + check


def _luhn_reference(first: str, width: int) -> st.SearchStrategy[str]:
    def complete(n: int) -> str:
        payload = f"{first}{n:0{width}d}"
        return next(payload + d for d in "0123456789" if luhn_valid(payload + d))

    return st.integers(0, 10**width - 1).map(complete)


#: (fund code, account reference) pairs valid under the default fund table.
fund_references: st.SearchStrategy[tuple[str, str]] = st.one_of(
    st.integers(0, 9_999_999).map(_ct_reference).filter(bool).map(lambda r: ("CT", str(r))),
    _luhn_reference("2", 7).map(lambda r: ("SUN", r)),
    st.from_regex(r"\A[A-Z]{2}[0-9]{8}\Z").map(lambda r: ("PCN", r)),
    st.from_regex(r"\A[A-Z0-9]{1,10}\Z").map(lambda r: ("MISC", r)),
)


@st.composite
def payment_lines(draw: Any, line_id: str) -> epay.PaymentLine:
    """Generate a payment line with a positive amount and a valid reference for its fund."""
    fund, reference = draw(fund_references)
    return epay.PaymentLine(
        line_id=line_id,
        fund_code=fund,
        account_reference=reference,
        description=draw(text(1, 100)),
        amount=draw(money()),
        quantity=draw(st.none() | st.integers(1, 20)),
        vat_code=draw(st.none() | st.sampled_from(["S", "Z", "E"])),
        vat_amount=draw(st.none() | money("0.00", "0.00")),
        narrative=draw(st.none() | text(1, 50)),
    )


def payment_requests(breaks: str | None = None) -> st.SearchStrategy[epay.PaymentRequest]:
    """Draw a payment request whose lines add up to its total.

    ``breaks`` (a rule id in :data:`BREAKABLE`) makes it break exactly that rule.
    """
    _check("payment_requests", breaks)
    return _payment_requests(breaks)


@st.composite
def _payment_requests(draw: Any, breaks: str | None) -> epay.PaymentRequest:
    count = draw(st.integers(1, 5))
    lines = [draw(payment_lines(str(i + 1))) for i in range(count)]
    request = epay.PaymentRequest(
        header=draw(headers()),
        request_id=draw(identifiers("REQ")),
        calling_application_id=draw(identifiers("APP")),
        calling_application_reference=draw(identifiers("REF")),
        channel=draw(st.sampled_from(["ECOM", "MOTO", "IVR", "KIOSK", "COUNTER"])),
        return_url="https://forms.example.org/return",
        payer=draw(st.none() | payers),
        line=lines,
        sale_total=sum((line.amount for line in lines), Decimal("0.00")),
    )
    return _break_request(request, breaks) if breaks else request


def _break_request(request: epay.PaymentRequest, rule: str) -> epay.PaymentRequest:
    first = request.line[0]
    if rule == "EPAY-R001":
        return request.model_copy(update={"sale_total": request.sale_total + Decimal("1.00")})
    if rule == "EPAY-R002":
        zero = first.model_copy(update={"line_id": "zero", "amount": Decimal("0.00")})
        return request.model_copy(update={"line": [*request.line, zero]})
    if rule == "EPAY-R003":
        return request.model_copy(update={"currency": "EUR"})
    if rule == "EPAY-R004":
        big = first.model_copy(update={"amount": Decimal("100000.01")})
        return request.model_copy(update={"line": [big], "sale_total": big.amount})
    if rule == "EPAY-R005":
        changed = first.model_copy(update={"narrative": "N" * 51})
    elif rule == "EPAY-R006":
        changed = first.model_copy(update={"fund_code": "CT", "account_reference": "500000019"})
    else:  # EPAY-R008
        changed = first.model_copy(update={"description": "Paid by card 4000 0000 0000 0002"})
    return request.model_copy(update={"line": [changed, *request.line[1:]]})


def _days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def _later(start: dt.date, draw: Any) -> dt.date:
    return start + dt.timedelta(days=draw(st.integers(0, 5)))


masked_cards = st.builds(
    lambda first, stars, last: f"{first}{'*' * stars}{last}",
    st.from_regex(r"\A[0-9]{6}\Z"),
    st.integers(1, 9),
    st.from_regex(r"\A[0-9]{4}\Z"),
)
cards = _model(
    epay.Card,
    masked_card_number=masked_cards,
    card_scheme=st.one_of(st.none(), st.sampled_from(["VISA", "MASTERCARD", "AMEX"])),
    card_type=st.one_of(st.none(), st.sampled_from(["CREDIT", "DEBIT"])),
)


def payment_results(breaks: str | None = None) -> st.SearchStrategy[epay.PaymentResult]:
    """Draw a payment result with its dates in order (``breaks``: EPAY-R009, R014)."""
    _check("payment_results", breaks)
    return _payment_results(breaks)


@st.composite
def _payment_results(draw: Any, breaks: str | None) -> epay.PaymentResult:
    when = draw(timestamps)
    captured = draw(st.none() | st.just(_later(when.date(), draw)))
    settled = draw(st.none() | st.just(_later(captured or when.date(), draw)))
    amount = draw(money())
    fee = draw(st.none() | money("0.00", "0.50"))
    result = epay.PaymentResult(
        header=draw(headers()),
        gateway_reference=draw(identifiers("GW")),
        request_id=draw(identifiers("REQ")),
        status=draw(st.sampled_from(["created", "success", "failed", "cancelled"])),
        status_code=draw(st.none() | st.from_regex(r"\AP[0-9]{4}\Z")),
        transaction_date=when,
        amount=amount,
        authorisation_code=draw(st.none() | st.from_regex(r"\A[A-Z0-9]{6}\Z")),
        card=draw(st.none() | cards),
        fee=fee,
        net_amount=None if fee is None else amount - fee,
        captured_date=captured,
        settled_date=settled,
    )
    if breaks == "EPAY-R009":
        card = epay.Card(masked_card_number="4000000000**0002")
        return result.model_copy(update={"card": card})
    if breaks == "EPAY-R014":
        day = when.date()
        return result.model_copy(
            update={"captured_date": _days(day, 2), "settled_date": _days(day, 1)}
        )
    return result


def payment_notifications(
    breaks: str | None = None,
) -> st.SearchStrategy[epay.PaymentNotification]:
    """Draw a receipt whose allocations add up to its total, posted on or after payment.

    ``breaks``: EPAY-R014 (posted before the payment date).
    """
    _check("payment_notifications", breaks)
    return _payment_notifications(breaks)


@st.composite
def _payment_notifications(draw: Any, breaks: str | None) -> epay.PaymentNotification:
    allocations = []
    for _ in range(draw(st.integers(1, 4))):
        fund, reference = draw(fund_references)
        allocations.append(
            epay.Allocation(
                fund_code=fund,
                account_reference=reference,
                amount=draw(money()),
                ledger_code=draw(st.none() | st.just("GL-1001")),
                narrative=draw(st.none() | text(1, 50)),
            )
        )
    paid = draw(timestamps)
    posted = _days(paid.date(), -draw(st.integers(1, 5))) if breaks else _later(paid.date(), draw)
    return epay.PaymentNotification(
        header=draw(headers()),
        receipt_number=draw(identifiers("RCPT")),
        gateway_reference=draw(identifiers("GW")),
        calling_application_id=draw(identifiers("APP")),
        calling_application_reference=draw(identifiers("REF")),
        payment_date=paid,
        posting_date=posted,
        method_of_payment=draw(st.sampled_from(["CARD", "CASH", "DD"])),
        channel=draw(st.sampled_from(["ECOM", "COUNTER"])),
        total_amount=sum((a.amount for a in allocations), Decimal("0.00")),
        allocation=allocations,
        payer=draw(st.none() | payers),
        card=draw(st.none() | cards),
    )


def refund_requests(breaks: str | None = None) -> st.SearchStrategy[epay.RefundRequest]:
    """Draw a refund within what is still available, dated after the payment.

    ``breaks``: EPAY-R010 (refund above what is available) or EPAY-R012 (dated before).
    """
    _check("refund_requests", breaks)
    return _refund_requests(breaks)


@st.composite
def _refund_requests(draw: Any, breaks: str | None) -> epay.RefundRequest:
    original = draw(money("0.02", "9999.99"))
    earlier = draw(st.none() | money("0.00", str(original - Decimal("0.01"))))
    available = original - (earlier or 0)
    paid = draw(dates)
    method = draw(st.sampled_from(["card", "bacs", "cheque"]))
    refund = epay.RefundRequest(
        header=draw(headers()),
        refund_request_id=draw(identifiers("RFD")),
        gateway_reference=draw(identifiers("GW")),
        receipt_number=draw(st.none() | identifiers("RCPT")),
        payment_date=paid,
        request_date=_later(paid, draw),
        original_amount=original,
        previously_refunded=earlier,
        refund_amount=draw(money("0.01", str(available))),
        reason=draw(text(1, 255)),
        requested_by=draw(names()),
        method=method,
        bank_account=draw(bank_accounts) if method == "bacs" else None,
    )
    if breaks == "EPAY-R010":
        return refund.model_copy(update={"refund_amount": available + Decimal("0.01")})
    if breaks == "EPAY-R012":
        return refund.model_copy(update={"request_date": _days(paid, -1)})
    return refund


def refund_notifications(
    breaks: str | None = None,
) -> st.SearchStrategy[epay.RefundNotification]:
    """Draw a refund notification created after the payment and settled after that.

    ``breaks``: EPAY-R012 (created before the payment date) or EPAY-R014 (settled
    before it was created).
    """
    _check("refund_notifications", breaks)
    return _refund_notifications(breaks)


@st.composite
def _refund_notifications(draw: Any, breaks: str | None) -> epay.RefundNotification:
    paid = draw(dates)
    day = _days(paid, -draw(st.integers(1, 5))) if breaks == "EPAY-R012" else _later(paid, draw)
    created = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
    settled = draw(st.none() | st.just(_later(created.date(), draw)))
    if breaks == "EPAY-R014":
        settled = _days(created.date(), -draw(st.integers(1, 5)))
    return epay.RefundNotification(
        header=draw(headers()),
        refund_id=draw(identifiers("RF")),
        gateway_reference=draw(identifiers("GW")),
        refund_request_id=draw(st.none() | identifiers("RFD")),
        payment_date=paid,
        amount=draw(money()),
        status=draw(st.sampled_from(["submitted", "success", "error"])),
        created=created,
        settled_date=settled,
        refunded_by=draw(st.none() | names()),
    )


@st.composite
def status_queries(draw: Any) -> epay.PaymentStatusQuery:
    """Generate a status query by gateway reference or by the caller's reference."""
    by_gateway = draw(st.booleans())
    reference = draw(identifiers("GW" if by_gateway else "REF"))
    return epay.PaymentStatusQuery(
        header=draw(headers()),
        query_id=draw(identifiers("QRY")),
        gateway_reference=reference if by_gateway else None,
        calling_application_reference=None if by_gateway else reference,
        page_number=draw(st.none() | st.integers(1, 100)),
        page_size=draw(st.none() | st.integers(1, 500)),
    )


@st.composite
def payment_records(draw: Any, index: int = 0) -> epay.PaymentRecord:
    """Generate a reconciliation record with its dates in order."""
    kind = draw(st.sampled_from(["PAYMENT", "PAYMENT", "REFUND", "DISPUTE"]))
    fund, reference = draw(fund_references)
    gross = draw(money())
    if kind != "PAYMENT":
        gross = -gross
    fee = draw(money("0.00", "0.50"))
    day = draw(dates)
    captured = _later(day, draw)
    settled = _later(captured, draw)
    return epay.PaymentRecord(
        record_type=kind,
        transaction_id=f"TX-{index:07d}",
        receipt_number=draw(st.none() | identifiers("RCPT")),
        fund_code=fund,
        account_reference=reference,
        gross_amount=gross,
        fee=fee,
        net_amount=gross - fee,
        transaction_date=day,
        captured_date=captured,
        settled_date=settled,
        paid_out_date=draw(st.none() | st.just(_later(settled, draw))),
        payout_id=draw(st.none() | identifiers("PO")),
    )


def trailer_for(records: list[epay.PaymentRecord]) -> epay.BatchTrailer:
    """Return the trailer whose counts and totals match ``records``."""
    funds: dict[str, tuple[int, Decimal]] = {}
    for record in records:
        count, total = funds.get(record.fund_code, (0, Decimal("0.00")))
        funds[record.fund_code] = (count + 1, total + record.gross_amount)
    return epay.BatchTrailer(
        record_count=len(records),
        payment_count=sum(r.record_type == "PAYMENT" for r in records),
        refund_count=sum(r.record_type == "REFUND" for r in records),
        dispute_count=sum(r.record_type == "DISPUTE" for r in records),
        total_gross=sum((r.gross_amount for r in records), Decimal("0.00")),
        total_net=sum((r.net_amount for r in records), Decimal("0.00")),
        fund_total=[
            epay.FundTotal(fund_code=code, record_count=count, total_gross=total)
            for code, (count, total) in sorted(funds.items())
        ],
    )


def reconciliation_batches(
    max_records: int = 8, breaks: str | None = None
) -> st.SearchStrategy[epay.ReconciliationBatch]:
    """Draw a reconciliation batch whose trailer matches its records.

    ``breaks``: COM-R008 (record count), COM-R009 (count per type), COM-R010 (totals),
    EPAY-R014 (the period ends before it starts).
    """
    _check("reconciliation_batches", breaks)
    return _reconciliation_batches(max_records, breaks)


@st.composite
def _reconciliation_batches(
    draw: Any, max_records: int, breaks: str | None
) -> epay.ReconciliationBatch:
    count = draw(st.integers(0, max_records))
    records = [draw(payment_records(i)) for i in range(count)]
    start = draw(dates)
    batch = epay.ReconciliationBatch(
        header=draw(headers()),
        batch_header=epay.BatchHeader(
            file_id=draw(identifiers("FILE")),
            sequence_number=draw(st.integers(1, 9999)),
            period_from=start,
            period_to=_days(start, -1) if breaks == "EPAY-R014" else _later(start, draw),
            currency="GBP",
        ),
        payment_record=records,
        trailer=trailer_for(records),
    )
    trailer = batch.trailer
    if breaks == "COM-R008":
        trailer = trailer.model_copy(update={"record_count": trailer.record_count + 1})
    elif breaks == "COM-R009":
        trailer = trailer.model_copy(update={"payment_count": trailer.payment_count + 1})
    elif breaks == "COM-R010":
        trailer = trailer.model_copy(update={"total_net": trailer.total_net + Decimal("1.00")})
    return batch.model_copy(update={"trailer": trailer})


#: A strategy for each message, by its kind in the catalogue.
STRATEGIES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "epay.payment-request": payment_requests,
    "epay.payment-result": payment_results,
    "epay.payment-notification": payment_notifications,
    "epay.refund-request": refund_requests,
    "epay.refund-notification": refund_notifications,
    "epay.status-query": status_queries,
    "epay.reconciliation-batch": reconciliation_batches,
}

__all__ = [
    "BREAKABLE",
    "STRATEGIES",
    "cards",
    "fund_references",
    "masked_cards",
    "payers",
    "payment_lines",
    "payment_notifications",
    "payment_records",
    "payment_requests",
    "payment_results",
    "reconciliation_batches",
    "refund_notifications",
    "refund_requests",
    "status_queries",
    "trailer_for",
]
