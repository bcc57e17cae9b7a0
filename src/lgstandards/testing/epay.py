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
from lgstandards.models.common import BankAccount
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
    "payment_notifications": ("EPAY-R014", "EPAY-R016"),
    "refund_requests": ("EPAY-R010", "EPAY-R012"),
    "refund_notifications": ("EPAY-R012", "EPAY-R014"),
    "reconciliation_batches": ("COM-R008", "COM-R009", "COM-R010", "EPAY-R014"),
    "disputes": ("EPAY-R003",),
    "payouts": ("EPAY-R015",),
    "council_tax_demands": ("EPAY-R019", "EPAY-R020", "EPAY-R021"),
    "penalty_charge_demands": ("EPAY-R018",),
    "direct_debit_instructions": ("EPAY-R022", "EPAY-R023"),
    "direct_debit_collections": ("EPAY-R022",),
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

    ``breaks``: EPAY-R014 (posted before the payment date) or EPAY-R016 (the allocations
    do not add up to the authorised amount).
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
    posted = (
        _days(paid.date(), -draw(st.integers(1, 5)))
        if breaks == "EPAY-R014"
        else _later(paid.date(), draw)
    )
    total = sum((a.amount for a in allocations), Decimal("0.00"))
    if breaks == "EPAY-R016":
        total += Decimal(draw(st.integers(1, 999))) / 100
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
        total_amount=total,
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


# ------------------------------------------------------------------ 1.1 messages
#: A payer's account of Bacs size (EPAY-R022, to verify: account name at most 18 characters).
dd_bank_accounts = _model(
    BankAccount,
    account_name=st.from_regex(r"\A[A-Z][A-Z .]{0,16}[A-Z]\Z"),
    sort_code=st.from_regex(r"\A[0-9]{6}\Z"),
    account_number=st.from_regex(r"\A[0-9]{8}\Z"),
)
#: A Direct Debit reference of Bacs size (EPAY-R022, to verify: 6 to 18 characters).
dd_references = st.from_regex(r"\A[A-Z0-9]{6,18}\Z")


def _bacs_break(account: BankAccount, reference: str, draw: Any) -> tuple[BankAccount, str]:
    """Break EPAY-R022 one way or the other: a long account name or a short reference."""
    if draw(st.booleans()):
        return account.model_copy(update={"account_name": "A" * 19}), reference
    return account, reference[:5]


@st.composite
def payment_requests_accepted(draw: Any) -> epay.PaymentRequestAccepted:
    """Draw a gateway's answer to a payment request (accepted, or refused with an error)."""
    accepted = draw(st.booleans())
    reference = draw(identifiers("GW"))
    return epay.PaymentRequestAccepted(
        header=draw(headers()),
        request_id=draw(identifiers("REQ")),
        status="SUCCESS" if accepted else draw(st.sampled_from(["INVALID_REQUEST", "ERROR"])),
        transaction_state="IN_PROGRESS" if accepted else "INVALID_REFERENCE",
        gateway_reference=reference if accepted else None,
        redirect_url=f"https://pay.example.org/pay/{reference}" if accepted else None,
        error_code=None if accepted else "00001",
        error_message=None if accepted else draw(text(1, 100)),
    )


def disputes(breaks: str | None = None) -> st.SearchStrategy[epay.Dispute]:
    """Draw a dispute (chargeback) against a payment (``breaks``: EPAY-R003, currency)."""
    _check("disputes", breaks)
    return _disputes(breaks)


@st.composite
def _disputes(draw: Any, breaks: str | None) -> epay.Dispute:
    paid = draw(dates)
    created = dt.datetime.combine(_later(paid, draw), dt.time(12, 0), tzinfo=dt.UTC)
    return epay.Dispute(
        header=draw(headers()),
        dispute_id=draw(identifiers("DSP")),
        gateway_reference=draw(identifiers("GW")),
        payment_date=paid,
        amount=draw(money()),
        fee=draw(st.none() | money("0.00", "20.00")),
        currency="EUR" if breaks == "EPAY-R003" else "GBP",
        reason=draw(st.sampled_from(["fraudulent", "duplicate", "product_not_received"])),
        status=draw(st.sampled_from(["needs_response", "under_review", "won", "lost"])),
        created=created,
        evidence_due_date=draw(st.none() | st.just(_days(created.date(), 14))),
    )


def payouts(breaks: str | None = None) -> st.SearchStrategy[epay.Payout]:
    """Draw a payout whose amount is its transactions' net sum (``breaks``: EPAY-R015)."""
    _check("payouts", breaks)
    return _payouts(breaks)


@st.composite
def _payouts(draw: Any, breaks: str | None) -> epay.Payout:
    records = [draw(payment_records(i)) for i in range(draw(st.integers(0, 6)))]
    transactions = [
        epay.PayoutTransaction(
            record_type=r.record_type,
            transaction_id=r.transaction_id,
            fund_code=r.fund_code,
            account_reference=r.account_reference,
            gross_amount=r.gross_amount,
            fee=r.fee,
            net_amount=r.net_amount,
            transaction_date=r.transaction_date,
        )
        for r in records
    ]
    amount = sum((t.net_amount for t in transactions), Decimal("0.00"))
    if breaks == "EPAY-R015":
        amount += Decimal(draw(st.integers(1, 999))) / 100
    payout_id = draw(identifiers("PO"))
    return epay.Payout(
        header=draw(headers()),
        payout_id=payout_id,
        paid_out_date=draw(dates),
        amount=amount,
        statement_reference=draw(st.none() | st.just(payout_id)),
        transaction=transactions,
    )


def _split(total: Decimal, parts: int) -> list[Decimal]:
    """Split ``total`` into ``parts`` positive instalments (the first takes the pennies)."""
    pence = int(total * 100)
    each, rest = divmod(pence, parts)
    return [Decimal(each + (rest if i == 0 else 0)) / 100 for i in range(parts)]


def council_tax_demands(breaks: str | None = None) -> st.SearchStrategy[epay.Demand]:
    """Draw a council tax bill: band for the authority's country, instalments in the year.

    ``breaks``: EPAY-R019 (band I in England), EPAY-R020 (instalments do not add up to the
    net charge), EPAY-R021 (an instalment after 31 March).
    """
    _check("council_tax_demands", breaks)
    return _council_tax_demands(breaks)


@st.composite
def _council_tax_demands(draw: Any, breaks: str | None) -> epay.Demand:
    header = draw(headers())
    country = "E" if breaks == "EPAY-R019" else draw(st.sampled_from("ENSW"))
    header = header.model_copy(update={"sender": country + header.sender[1:]})
    bands = "ABCDEFGHI" if country == "W" else "ABCDEFGH"
    band = "I" if breaks == "EPAY-R019" else draw(st.sampled_from(bands))
    year = draw(st.integers(2000, 2089))
    gross = draw(money("100.00", "5000.00"))
    discount = (gross / 4).quantize(Decimal("0.01")) if draw(st.booleans()) else None
    net = gross - (discount or Decimal("0.00"))
    count = draw(st.integers(1, 12))
    months = [(4 + i - 1) % 12 + 1 for i in range(count)]
    instalments = [
        epay.Instalment(due_date=dt.date(year + (m < 4), m, 1), amount=amount)
        for m, amount in zip(months, _split(net, count), strict=True)
    ]
    if breaks == "EPAY-R020":
        instalments[-1] = instalments[-1].model_copy(
            update={"amount": instalments[-1].amount + Decimal("1.00")}
        )
    if breaks == "EPAY-R021":
        instalments[-1] = instalments[-1].model_copy(update={"due_date": dt.date(year + 1, 4, 1)})
    reference = draw(st.integers(0, 9_999_999).map(_ct_reference).filter(bool))
    return epay.Demand(
        header=header,
        demand_number=draw(identifiers("CTB")),
        issue_date=dt.date(year, 3, 1),
        fund_code="CT",
        account_reference=str(reference),
        liable_person=[draw(person_names())],
        council_tax=epay.CouncilTaxCharge(
            property=draw(addresses()),
            band=band,
            period_from=dt.date(year, 4, 1),
            period_to=dt.date(year + 1, 3, 31),
            gross_charge=gross,
            adjustment=[]
            if discount is None
            else [epay.Adjustment(kind="discount", code="SPD", amount=discount)],
            net_charge=net,
            instalment=instalments,
        ),
    )


def penalty_charge_demands(breaks: str | None = None) -> st.SearchStrategy[epay.Demand]:
    """Draw a penalty charge notice, its discount paid in time (dated parameters).

    ``breaks``: EPAY-R018 (the discounted charge paid after the discount deadline).
    """
    _check("penalty_charge_demands", breaks)
    return _penalty_charge_demands(breaks)


#: Days of the discount period by service method (parameters-v1-1.json, to verify).
_DISCOUNT_DAYS = {"on-street": 14, "postal": 21, "camera": 21}


@st.composite
def _penalty_charge_demands(draw: Any, breaks: str | None) -> epay.Demand:
    notice = draw(st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2090, 1, 1)))
    service = draw(st.sampled_from(sorted(_DISCOUNT_DAYS)))
    deadline = _days(notice, _DISCOUNT_DAYS[service])
    full = draw(st.sampled_from([Decimal("50.00"), Decimal("70.00"), Decimal("130.00")]))
    discount = full / 2
    paid = (
        _days(deadline, draw(st.integers(1, 30)))
        if breaks == "EPAY-R018"
        else _days(notice, draw(st.integers(0, _DISCOUNT_DAYS[service])))
    )
    pcn = draw(st.from_regex(r"\AZZ[0-9]{8}\Z"))
    return epay.Demand(
        header=draw(headers()),
        demand_number=pcn,
        issue_date=notice,
        fund_code="PCN",
        account_reference=pcn,
        liable_person=[draw(person_names())],
        penalty_charge=epay.PenaltyCharge(
            pcn_number=pcn,
            vehicle_registration_mark=draw(st.from_regex(r"\AZZ[0-9]{2}ZZZ\Z")),
            contravention_code=draw(st.sampled_from(["01", "12", "40"])),
            contravention_date_time=dt.datetime.combine(notice, dt.time(10, 0), tzinfo=dt.UTC),
            location=draw(text(1, 100)),
            service_method=service,
            stage="PCN",
            notice_date=notice,
            full_amount=full,
            discount_amount=discount,
            discount_deadline=deadline,
            amount_due=full,
            payment_received=[epay.PaymentReceived(payment_date=paid, amount=discount)],
        ),
    )


def direct_debit_instructions(
    breaks: str | None = None,
) -> st.SearchStrategy[epay.DirectDebitInstruction]:
    """Draw a Direct Debit instruction within the Bacs limits (to verify).

    ``breaks``: EPAY-R022 (account name or reference length), EPAY-R023 (first
    collection before the lead time).
    """
    _check("direct_debit_instructions", breaks)
    return _direct_debit_instructions(breaks)


@st.composite
def _direct_debit_instructions(draw: Any, breaks: str | None) -> epay.DirectDebitInstruction:
    header = draw(headers())
    given = draw(dates)
    account, reference = draw(dd_bank_accounts), draw(dd_references)
    if breaks == "EPAY-R022":
        account, reference = _bacs_break(account, reference, draw)
    # 10 working days fit in 14 calendar days; 3 calendar days never hold 10.
    lead = draw(st.integers(1, 3)) if breaks == "EPAY-R023" else draw(st.integers(14, 60))
    return epay.DirectDebitInstruction(
        header=header,
        instruction_id=draw(identifiers("DDI")),
        action=draw(st.sampled_from(["new", "amend", "cancel"])),
        direct_debit_reference=reference,
        fund_code="CT",
        account_reference=str(draw(st.integers(0, 9_999_999).map(_ct_reference).filter(bool))),
        bank_account=account,
        frequency=draw(st.sampled_from(["monthly", "quarterly", "annually"])),
        instruction_date=given,
        first_collection_date=_days(given, lead),
        amount=draw(st.none() | money()),
    )


def direct_debit_collections(
    breaks: str | None = None,
) -> st.SearchStrategy[epay.DirectDebitCollection]:
    """Draw a Direct Debit collection file (``breaks``: EPAY-R022, a Bacs length)."""
    _check("direct_debit_collections", breaks)
    return _direct_debit_collections(breaks)


@st.composite
def _direct_debit_collections(draw: Any, breaks: str | None) -> epay.DirectDebitCollection:
    count = draw(st.integers(1, 4))
    collections = []
    for i in range(count):
        account, reference = draw(dd_bank_accounts), draw(dd_references)
        if breaks == "EPAY-R022" and i == 0:
            account, reference = _bacs_break(account, reference, draw)
        fund, account_reference = draw(fund_references)
        collections.append(
            epay.Collection(
                collection_id=f"COL-{i:06d}",
                direct_debit_reference=reference,
                transaction_code=draw(st.sampled_from(["01", "17", "18", "19"])),
                bank_account=account,
                fund_code=fund,
                account_reference=account_reference,
                amount=draw(money()),
            )
        )
    return epay.DirectDebitCollection(
        header=draw(headers()),
        file_id=draw(identifiers("DDC")),
        collection_date=draw(dates),
        collection=collections,
    )


@st.composite
def direct_debit_returns(draw: Any) -> epay.DirectDebitReturn:
    """Draw a bank's report of returned Direct Debits and amended instructions."""
    returned = [
        epay.ReturnedCollection(
            collection_id=draw(st.none() | identifiers("COL")),
            direct_debit_reference=draw(dd_references),
            original_collection_date=draw(st.none() | dates),
            amount=draw(st.none() | money()),
            reason_code=draw(st.sampled_from(["0", "1", "2", "B"])),
            reason=draw(st.none() | text(1, 100)),
            new_bank_account=draw(st.none() | dd_bank_accounts),
        )
        for _ in range(draw(st.integers(1, 3)))
    ]
    return epay.DirectDebitReturn(
        header=draw(headers()),
        return_id=draw(identifiers("RET")),
        report_date=draw(dates),
        returned_collection=returned,
    )


def demands(breaks: str | None = None) -> st.SearchStrategy[epay.Demand]:
    """Draw a bill: council tax or a penalty charge notice (``breaks`` picks the one that can)."""
    if breaks in BREAKABLE["penalty_charge_demands"]:
        return penalty_charge_demands(breaks)
    if breaks is not None:
        return council_tax_demands(breaks)
    return st.one_of(council_tax_demands(), penalty_charge_demands())


#: A strategy for each message, by its kind in the catalogue.
STRATEGIES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "epay.payment-request": payment_requests,
    "epay.payment-result": payment_results,
    "epay.payment-notification": payment_notifications,
    "epay.refund-request": refund_requests,
    "epay.refund-notification": refund_notifications,
    "epay.status-query": status_queries,
    "epay.reconciliation-batch": reconciliation_batches,
    "epay.payment-request-accepted": payment_requests_accepted,
    "epay.dispute": disputes,
    "epay.payout": payouts,
    "epay.demand": demands,
    "epay.direct-debit-instruction": direct_debit_instructions,
    "epay.direct-debit-collection": direct_debit_collections,
    "epay.direct-debit-return": direct_debit_returns,
}

__all__ = [
    "BREAKABLE",
    "STRATEGIES",
    "cards",
    "council_tax_demands",
    "dd_bank_accounts",
    "dd_references",
    "demands",
    "direct_debit_collections",
    "direct_debit_instructions",
    "direct_debit_returns",
    "disputes",
    "fund_references",
    "masked_cards",
    "payers",
    "payment_lines",
    "payment_notifications",
    "payment_records",
    "payment_requests",
    "payment_requests_accepted",
    "payment_results",
    "payouts",
    "penalty_charge_demands",
    "reconciliation_batches",
    "refund_notifications",
    "refund_requests",
    "status_queries",
    "trailer_for",
]
