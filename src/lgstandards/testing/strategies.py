"""Hypothesis strategies that generate valid lgstandards messages.

Every strategy builds a model whose XML is valid against the schema *and* passes
the business rules (lines add up to the total, dates in order, check digits
right, trailer totals match ...), so suppliers can fuzz their own readers with
realistic, clearly fake data. Requires ``hypothesis`` (a test dependency).

>>> from lgstandards.testing.strategies import payment_requests
>>> payment_requests().example().to_xml()  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from lgstandards.models import epay, govtalk
from lgstandards.models import transactions as tx
from lgstandards.models._xml import XmlModel
from lgstandards.models.common import (
    AON,
    POSTCODE_PATTERN,
    AONRange,
    BankAccount,
    BS7666Address,
    MessageHeader,
    PersonName,
)
from lgstandards.rules.epay import luhn_valid, mod11_check_character
from lgstandards.testing import ebenefits as _ebenefits
from lgstandards.testing import vocab as _vocab

#: Letters for names and free text: ASCII, Welsh and other Latin-1/Extended-A letters.
NAME_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPRSTUWY" + "âêîôûŵŷÂÊÎÔÛŴŶáéëïöüÿ"
TEXT_CHARS = NAME_LETTERS + " '-.,&/()"

_UTC = dt.UTC


def _model(cls: Any, **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Build ``cls`` from a strategy per field (no type inference for the others)."""
    return st.fixed_dictionaries(fields).map(lambda values: cls(**values))


def text(min_size: int = 1, max_size: int = 35) -> st.SearchStrategy[str]:
    """Generate text in the GovTalk-style text types (no digits, so no card-number lookalikes)."""
    return st.text(alphabet=TEXT_CHARS, min_size=min_size, max_size=max_size)


def names(max_size: int = 35) -> st.SearchStrategy[str]:
    """Generate a name part starting with a letter."""
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(NAME_LETTERS),
        st.text(alphabet=TEXT_CHARS, max_size=max_size - 1),
    )


def identifiers(prefix: str = "ID") -> st.SearchStrategy[str]:
    """Generate a message or reference identifier (short digit runs only)."""
    return st.builds(lambda n: f"{prefix}-{n:06d}", st.integers(0, 999_999))


postcodes = st.from_regex(f"\\A{POSTCODE_PATTERN}\\Z")
councils = st.from_regex(r"\A[ENSW]9999[0-9]{4}\Z")
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
#: Dates at which the shipped code lists are in force (for messages carrying LGSL codes).
recent_dates = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 11, 1))
timestamps = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2090, 12, 31),
    timezones=st.sampled_from([_UTC, dt.timezone(dt.timedelta(hours=1))]),
)


def money(low: str = "0.01", high: str = "9999.99") -> st.SearchStrategy[Decimal]:
    """Amounts in pounds with exactly two decimal places."""
    return st.integers(int(Decimal(low) * 100), int(Decimal(high) * 100)).map(
        lambda pence: (Decimal(pence) / 100).quantize(Decimal("0.01"))
    )


headers = _model(
    MessageHeader,
    message_id=identifiers("MSG"),
    created=timestamps,
    sender=councils,
    receiver=st.none() | identifiers("SYS"),
    language=st.none() | st.sampled_from(["en", "cy"]),
    test=st.none() | st.just("yes"),
)

person_names = _model(
    PersonName,
    title=st.lists(names(10), max_size=1),
    given_name=st.lists(names(), max_size=2),
    family_name=names(),
    requested_name=st.none() | names(70),
)

aons = st.one_of(
    _model(AON, description=text(1, 90)),
    _model(
        AON,
        start_range=_model(
            AONRange, number=st.integers(1, 9999), suffix=st.none() | st.sampled_from("ABC")
        ),
        description=st.none() | text(1, 90),
    ),
)

addresses = _model(
    BS7666Address,
    saon=st.none() | aons,
    paon=aons,
    street=text(1, 100),
    locality=st.none() | text(),
    town=st.none() | text(1, 30),
    administrative_area=st.none() | text(1, 30),
    post_town=st.none() | text(1, 30),
    postcode=st.none() | postcodes,
    uprn=st.none() | st.integers(1, 999_999_999_999),
    usrn=st.none() | st.integers(1, 99_999_999),
)

bank_accounts = _model(
    BankAccount,
    account_name=names(),
    sort_code=st.from_regex(r"\A[0-9]{6}\Z"),
    account_number=st.from_regex(r"\A[0-9]{8}\Z"),
    roll_number=st.none() | st.from_regex(r"\A[A-Z0-9]{1,10}\Z"),
)

payers = _model(
    epay.Payer,
    name=person_names,
    address=st.none() | addresses,
    email=st.none() | st.just("payer@example.org"),
    telephone=st.none() | st.just("01632 960000"),
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


@st.composite
def payment_requests(draw: Any, breaks: str | None = None) -> epay.PaymentRequest:
    """Generate a payment request whose lines add up to its total.

    ``breaks`` (a rule id in :data:`BREAKABLE`) makes it break exactly that rule.
    """
    count = draw(st.integers(1, 5))
    lines = [draw(payment_lines(str(i + 1))) for i in range(count)]
    request = epay.PaymentRequest(
        header=draw(headers),
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
    elif rule == "EPAY-R008":
        changed = first.model_copy(update={"description": "Paid by card 4000 0000 0000 0002"})
    else:
        raise ValueError(f"payment_requests cannot break {rule}")
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
    card_scheme=st.none() | st.sampled_from(["VISA", "MASTERCARD", "AMEX"]),
    card_type=st.none() | st.sampled_from(["CREDIT", "DEBIT"]),
)


@st.composite
def payment_results(draw: Any, breaks: str | None = None) -> epay.PaymentResult:
    """Generate a payment result with its dates in order (``breaks``: EPAY-R009, R014)."""
    when = draw(timestamps)
    captured = draw(st.none() | st.just(_later(when.date(), draw)))
    settled = draw(st.none() | st.just(_later(captured or when.date(), draw)))
    amount = draw(money())
    fee = draw(st.none() | money("0.00", "0.50"))
    result = epay.PaymentResult(
        header=draw(headers),
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
    if breaks:
        raise ValueError(f"payment_results cannot break {breaks}")
    return result


@st.composite
def payment_notifications(draw: Any) -> epay.PaymentNotification:
    """Generate a receipt whose allocations add up to its total."""
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
    return epay.PaymentNotification(
        header=draw(headers),
        receipt_number=draw(identifiers("RCPT")),
        gateway_reference=draw(identifiers("GW")),
        calling_application_id=draw(identifiers("APP")),
        calling_application_reference=draw(identifiers("REF")),
        payment_date=paid,
        posting_date=_later(paid.date(), draw),
        method_of_payment=draw(st.sampled_from(["CARD", "CASH", "DD"])),
        channel=draw(st.sampled_from(["ECOM", "COUNTER"])),
        total_amount=sum((a.amount for a in allocations), Decimal("0.00")),
        allocation=allocations,
        payer=draw(st.none() | payers),
        card=draw(st.none() | cards),
    )


@st.composite
def refund_requests(draw: Any, breaks: str | None = None) -> epay.RefundRequest:
    """Generate a refund within what is still available, dated after the payment.

    ``breaks``: EPAY-R010 (refund above what is available) or EPAY-R012 (dated before).
    """
    original = draw(money("0.02", "9999.99"))
    earlier = draw(st.none() | money("0.00", str(original - Decimal("0.01"))))
    available = original - (earlier or 0)
    paid = draw(dates)
    method = draw(st.sampled_from(["card", "bacs", "cheque"]))
    refund = epay.RefundRequest(
        header=draw(headers),
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
    if breaks:
        raise ValueError(f"refund_requests cannot break {breaks}")
    return refund


@st.composite
def refund_notifications(draw: Any) -> epay.RefundNotification:
    """Generate a refund notification created after the payment and settled after that."""
    paid = draw(dates)
    created = dt.datetime.combine(_later(paid, draw), dt.time(12, 0), tzinfo=_UTC)
    return epay.RefundNotification(
        header=draw(headers),
        refund_id=draw(identifiers("RF")),
        gateway_reference=draw(identifiers("GW")),
        refund_request_id=draw(st.none() | identifiers("RFD")),
        payment_date=paid,
        amount=draw(money()),
        status=draw(st.sampled_from(["submitted", "success", "error"])),
        created=created,
        settled_date=draw(st.none() | st.just(_later(created.date(), draw))),
        refunded_by=draw(st.none() | names()),
    )


@st.composite
def status_queries(draw: Any) -> epay.PaymentStatusQuery:
    """Generate a status query by gateway reference or by the caller's reference."""
    by_gateway = draw(st.booleans())
    reference = draw(identifiers("GW" if by_gateway else "REF"))
    return epay.PaymentStatusQuery(
        header=draw(headers),
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


@st.composite
def reconciliation_batches(
    draw: Any, max_records: int = 8, breaks: str | None = None
) -> epay.ReconciliationBatch:
    """Generate a reconciliation batch whose trailer matches its records.

    ``breaks``: COM-R008 (record count), COM-R009 (count per type), COM-R010 (totals).
    """
    count = draw(st.integers(0, max_records))
    records = [draw(payment_records(i)) for i in range(count)]
    start = draw(dates)
    batch = epay.ReconciliationBatch(
        header=draw(headers),
        batch_header=epay.BatchHeader(
            file_id=draw(identifiers("FILE")),
            sequence_number=draw(st.integers(1, 9999)),
            period_from=start,
            period_to=_later(start, draw),
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
    elif breaks:
        raise ValueError(f"reconciliation_batches cannot break {breaks}")
    return batch.model_copy(update={"trailer": trailer}) if breaks else batch


LGIL_CODES = [c for c in range(35) if c not in (18, 19)]


@st.composite
def council_transactions(draw: Any, breaks: str | None = None) -> tx.CouncilTransactions:
    """Generate a council's transaction list: codes in force, each pair once, https links.

    ``breaks``: TX-R001 (a pair listed twice) or TX-R002 (an http link, a warning).
    """
    pairs = draw(
        st.lists(
            st.tuples(_vocab.lgsl_codes(), _vocab.lgil_codes()).map(
                lambda p: (int(p[0]), int(p[1]))
            ),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    links = [
        tx.TransactionLink(
            lgsl=lgsl,
            lgil=lgil,
            url=f"https://www.example.org/services/{lgsl}/{lgil}",
            name=draw(st.none() | text(1, 255)),
        )
        for lgsl, lgil in pairs
    ]
    if breaks == "TX-R001":
        links.append(links[0].model_copy())
    elif breaks == "TX-R002":
        links[0] = links[0].model_copy(update={"url": links[0].url.replace("https:", "http:")})
    elif breaks:
        raise ValueError(f"council_transactions cannot break {breaks}")
    return tx.CouncilTransactions(
        council=draw(councils),
        council_name=draw(st.none() | text(1, 100)),
        published=draw(recent_dates),
        link=links,
    )


#: A strategy per document kind, for the e-Pay and transactions families.
MESSAGE_STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "epay.payment-request": payment_requests(),
    "epay.payment-result": payment_results(),
    "epay.payment-notification": payment_notifications(),
    "epay.refund-request": refund_requests(),
    "epay.refund-notification": refund_notifications(),
    "epay.status-query": status_queries(),
    "epay.reconciliation-batch": reconciliation_batches(),
    "transactions.council-list": council_transactions(),
}


_BODY_STRATEGIES = tuple(MESSAGE_STRATEGIES.values())


@st.composite
def govtalk_envelopes(draw: Any) -> govtalk.GovTalkMessage:
    """Generate a GovTalk request envelope carrying one generated e-Pay or transactions message."""
    message: XmlModel = draw(st.one_of(*_BODY_STRATEGIES))
    return govtalk.GovTalkMessage.wrap(
        message,
        transaction_id=draw(st.none() | st.from_regex(r"\A[0-9A-F]{1,32}\Z")),
        keys=draw(st.none() | st.just({"CouncilId": "W99999999"})),
    )


MESSAGE_STRATEGIES["govtalk.envelope"] = govtalk_envelopes()
for _kind, _factory in _ebenefits.STRATEGIES.items():
    MESSAGE_STRATEGIES[_kind] = _factory()
MESSAGE_STRATEGIES["rdf.service-catalogue"] = _vocab.service_catalogues()

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
    "refund_requests": ("EPAY-R010", "EPAY-R012"),
    "reconciliation_batches": ("COM-R008", "COM-R009", "COM-R010"),
    "council_transactions": ("TX-R001", "TX-R002"),
}

# One place for suppliers: the e-Benefits and code-list strategies are re-exported here.
benefit_claims = _ebenefits.benefit_claims
changes_of_circumstances = _ebenefits.changes_of_circumstances
evidence_submissions = _ebenefits.evidence_submissions
decision_notices = _ebenefits.decision_notices
claim_status_queries = _ebenefits.claim_status_queries
bulk_claims = _ebenefits.bulk_claims
deprecated_lgil_codes = _vocab.deprecated_lgil_codes
deprecated_lgsl_codes = _vocab.deprecated_lgsl_codes
function_codes = _vocab.function_codes
lgil_codes = _vocab.lgil_codes
lgnl_codes = _vocab.lgnl_codes
lgsl_codes = _vocab.lgsl_codes
list_codes = _vocab.list_codes
service_catalogues = _vocab.service_catalogues
tier_codes = _vocab.tier_codes
transactions = _vocab.transactions
unknown_lgil_codes = _vocab.unknown_lgil_codes
unknown_lgsl_codes = _vocab.unknown_lgsl_codes
unofficial_lgsl_codes = _vocab.unofficial_lgsl_codes

__all__ = [
    "BREAKABLE",
    "MESSAGE_STRATEGIES",
    "addresses",
    "bank_accounts",
    "benefit_claims",
    "bulk_claims",
    "changes_of_circumstances",
    "claim_status_queries",
    "council_transactions",
    "decision_notices",
    "deprecated_lgil_codes",
    "deprecated_lgsl_codes",
    "evidence_submissions",
    "function_codes",
    "govtalk_envelopes",
    "headers",
    "lgil_codes",
    "lgnl_codes",
    "lgsl_codes",
    "list_codes",
    "money",
    "payment_notifications",
    "payment_records",
    "payment_requests",
    "payment_results",
    "person_names",
    "postcodes",
    "reconciliation_batches",
    "refund_notifications",
    "refund_requests",
    "service_catalogues",
    "status_queries",
    "text",
    "tier_codes",
    "trailer_for",
    "transactions",
    "unknown_lgil_codes",
    "unknown_lgsl_codes",
    "unofficial_lgsl_codes",
]
