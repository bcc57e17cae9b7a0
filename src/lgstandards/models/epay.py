"""Typed models of the e-Pay messages (``urn:lgstandards:epay:1``).

One model per message root of ``schemas/epay/lgs-epay-v1-0.xsd``:
:class:`PaymentRequest`, :class:`PaymentResult`, :class:`PaymentNotification`,
:class:`RefundRequest`, :class:`RefundNotification`, :class:`PaymentStatusQuery` and
:class:`ReconciliationBatch`. Each loads with ``from_xml()`` and writes with
``to_xml()``; the models accept exactly what the schema accepts, and business rules
(line sums, dates in order ...) are checked by the rule layer, not by the models.

>>> from lgstandards.models.epay import PaymentRequest
>>> PaymentRequest.xml_root
'PaymentRequest'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import BeforeValidator, Field, StringConstraints, model_validator

from lgstandards.models._xml import Xml, XmlModel
from lgstandards.models.common import (
    TEXT_PATTERN,
    BankAccount,
    BS7666Address,
    EmailAddress,
    FundCode,
    Identifier,
    MessageHeader,
    Money,
    NameText,
    NonNegativeMoney,
    PersonName,
    PositiveInt,
    PositiveMoney,
    SchemaVersion,
    TelephoneNumber,
    Timestamp,
    XsDate,
    XsNonNegativeInt,
    collapse_whitespace,
)

if TYPE_CHECKING:
    from lgstandards.safexml import Source

EPAY_NS = "urn:lgstandards:epay:1"

ISOCurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
#: A sale line id: an identifier of 1 to 50 characters (``LineIdType``).
LineId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:/\-]{1,50}$")]
AccountReference = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9/\-]{1,30}$")]
Description = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=TEXT_PATTERN)]
#: An http(s) URL of at most 2000 characters (``xs:anyURI``: XML white space is collapsed).
Url = Annotated[
    str,
    StringConstraints(max_length=2000, pattern=r"^https?://.+$"),
    BeforeValidator(lambda value: collapse_whitespace(value) if isinstance(value, str) else value),
]
Channel = Literal["ECOM", "MOTO", "IVR", "KIOSK", "COUNTER"]
PaymentStatus = Literal[
    "created", "started", "submitted", "success", "failed", "cancelled", "expired", "error"
]
RefundStatus = Literal["submitted", "success", "error"]
RefundMethod = Literal["card", "bacs", "cheque"]
RecordType = Literal["PAYMENT", "REFUND", "DISPUTE"]
CardType = Literal["CREDIT", "DEBIT"]
CardScheme = Annotated[str, StringConstraints(pattern=r"^[A-Z_]{2,20}$")]
MaskedCardNumber = Annotated[str, StringConstraints(pattern=r"^[0-9*]{10,19}$")]
AuthorisationCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,12}$")]
StatusCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,10}$")]
VatCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,2}$")]
MethodOfPayment = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,4}$")]
LedgerCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.\-]{1,20}$")]
PageSize = Annotated[PositiveInt, Field(le=500)]
Currency = Annotated[ISOCurrencyCode, Xml(required=True)]
Version = Annotated[SchemaVersion, Xml(attr=True, required=True), Field(alias="SchemaVersion")]


class EpayModel(XmlModel):
    """Base of the e-Pay structures and messages."""

    xml_namespace = EPAY_NS
    xml_prefix = "epay"


class Payer(EpayModel):
    """The person paying."""

    name: PersonName
    address: BS7666Address | None = None
    email: EmailAddress | None = None
    telephone: TelephoneNumber | None = None


class PaymentLine(EpayModel):
    """One item of a sale."""

    line_id: LineId
    fund_code: FundCode
    account_reference: AccountReference
    description: Description
    amount: Money
    quantity: PositiveInt | None = None
    vat_code: VatCode | None = None
    vat_amount: NonNegativeMoney | None = None
    narrative: Description | None = None


class Card(EpayModel):
    """The card used, masked."""

    masked_card_number: MaskedCardNumber
    card_scheme: CardScheme | None = None
    card_type: CardType | None = None


class Allocation(EpayModel):
    """Part of a receipt posted to one fund and account."""

    fund_code: FundCode
    account_reference: AccountReference
    amount: Money
    vat_code: VatCode | None = None
    vat_amount: NonNegativeMoney | None = None
    ledger_code: LedgerCode | None = None
    narrative: Description | None = None


class BatchHeader(EpayModel):
    """What a reconciliation batch covers."""

    file_id: Identifier
    sequence_number: PositiveInt
    period_from: XsDate
    period_to: XsDate
    currency: ISOCurrencyCode


class PaymentRecord(EpayModel):
    """One settled transaction in a reconciliation batch."""

    xml_root = None

    record_type: RecordType
    transaction_id: Identifier
    receipt_number: Identifier | None = None
    fund_code: FundCode
    account_reference: AccountReference
    gross_amount: Money
    fee: NonNegativeMoney | None = None
    net_amount: Money
    transaction_date: XsDate
    captured_date: XsDate | None = None
    settled_date: XsDate | None = None
    paid_out_date: XsDate | None = None
    payout_id: Identifier | None = None


class FundTotal(EpayModel):
    """Count and gross total of one fund's records."""

    fund_code: FundCode
    record_count: XsNonNegativeInt
    total_gross: Money


class BatchTrailer(EpayModel):
    """Control totals of a reconciliation batch."""

    record_count: XsNonNegativeInt
    payment_count: XsNonNegativeInt
    refund_count: XsNonNegativeInt
    dispute_count: XsNonNegativeInt
    total_gross: Money
    total_net: Money
    fund_total: list[FundTotal] = Field(default_factory=list)


class PaymentRequest(EpayModel):
    """Calling application to gateway: take a card payment for one or more lines."""

    xml_root = "PaymentRequest"

    schema_version: Version = "1.0"
    header: MessageHeader
    request_id: Identifier
    calling_application_id: Identifier
    calling_application_reference: Identifier
    channel: Channel
    return_url: Url
    payer: Payer | None = None
    currency: Currency = "GBP"
    line: Annotated[list[PaymentLine], Field(min_length=1)]
    sale_total: Money


class PaymentResult(EpayModel):
    """Gateway to calling application: the outcome of a payment."""

    xml_root = "PaymentResult"

    schema_version: Version = "1.0"
    header: MessageHeader
    gateway_reference: Identifier
    request_id: Identifier
    status: PaymentStatus
    status_code: StatusCode | None = None
    transaction_date: Timestamp
    amount: Money
    currency: Currency = "GBP"
    authorisation_code: AuthorisationCode | None = None
    card: Card | None = None
    fee: NonNegativeMoney | None = None
    net_amount: Money | None = None
    captured_date: XsDate | None = None
    settled_date: XsDate | None = None


class PaymentNotification(EpayModel):
    """Gateway or calling application to the income management system: a receipt."""

    xml_root = "PaymentNotification"

    schema_version: Version = "1.0"
    header: MessageHeader
    receipt_number: Identifier
    gateway_reference: Identifier
    calling_application_id: Identifier
    calling_application_reference: Identifier
    payment_date: Timestamp
    posting_date: XsDate
    method_of_payment: MethodOfPayment
    channel: Channel
    currency: Currency = "GBP"
    total_amount: Money
    allocation: Annotated[list[Allocation], Field(min_length=1)]
    payer: Payer | None = None
    authorisation_code: AuthorisationCode | None = None
    card: Card | None = None


class RefundRequest(EpayModel):
    """Back office to gateway: refund (part of) a payment."""

    xml_root = "RefundRequest"

    schema_version: Version = "1.0"
    header: MessageHeader
    refund_request_id: Identifier
    gateway_reference: Identifier
    receipt_number: Identifier | None = None
    payment_date: XsDate
    request_date: XsDate
    currency: Currency = "GBP"
    original_amount: PositiveMoney
    previously_refunded: NonNegativeMoney | None = None
    refund_amount: PositiveMoney
    reason: Description
    requested_by: NameText
    method: RefundMethod
    bank_account: BankAccount | None = None


class RefundNotification(EpayModel):
    """Gateway to income management system: the state of a refund."""

    xml_root = "RefundNotification"

    schema_version: Version = "1.0"
    header: MessageHeader
    refund_id: Identifier
    gateway_reference: Identifier
    refund_request_id: Identifier | None = None
    payment_date: XsDate
    amount: PositiveMoney
    currency: Currency = "GBP"
    status: RefundStatus
    created: Timestamp
    settled_date: XsDate | None = None
    refunded_by: NameText | None = None


class PaymentStatusQuery(EpayModel):
    """Ask the gateway for the state of a payment, by its id or the caller's reference."""

    xml_root = "PaymentStatusQuery"

    schema_version: Version = "1.0"
    header: MessageHeader
    query_id: Identifier
    gateway_reference: Identifier | None = None
    calling_application_reference: Identifier | None = None
    page_number: PositiveInt | None = None
    page_size: PageSize | None = None

    @model_validator(mode="after")
    def _one_reference(self) -> Self:
        if (self.gateway_reference is None) == (self.calling_application_reference is None):
            raise ValueError(
                "give exactly one of gateway_reference and calling_application_reference"
            )
        return self


class ReconciliationBatch(EpayModel):
    """Settled transactions with control totals, from the gateway or IMS to finance."""

    xml_root = "ReconciliationBatch"

    schema_version: Version = "1.0"
    header: MessageHeader
    batch_header: BatchHeader
    payment_record: list[PaymentRecord] = Field(default_factory=list)
    trailer: BatchTrailer


def iter_payment_records(source: Source) -> Iterator[PaymentRecord]:
    """Yield the records of a reconciliation batch one at a time, in constant memory.

    The document is parsed safely and incrementally; each ``PaymentRecord`` is bound,
    yielded and then freed. Header and trailer are not checked here (validate the
    file for that).
    """
    from lgstandards.safexml import iterparse_xml, open_checked, source_name

    stream, owned = open_checked(source)
    try:
        records = iterparse_xml(stream, tag=f"{{{EPAY_NS}}}PaymentRecord", name=source_name(source))
        for element in records:
            yield PaymentRecord.from_element(element, keep_prefixes=False)
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    finally:
        if owned:
            stream.close()


#: Every e-Pay message model by document kind.
MESSAGES: dict[str, type[EpayModel]] = {
    "epay.payment-request": PaymentRequest,
    "epay.payment-result": PaymentResult,
    "epay.payment-notification": PaymentNotification,
    "epay.refund-request": RefundRequest,
    "epay.refund-notification": RefundNotification,
    "epay.status-query": PaymentStatusQuery,
    "epay.reconciliation-batch": ReconciliationBatch,
}

__all__ = [
    "EPAY_NS",
    "MESSAGES",
    "Allocation",
    "BatchHeader",
    "BatchTrailer",
    "Card",
    "EpayModel",
    "FundTotal",
    "Payer",
    "PaymentLine",
    "PaymentNotification",
    "PaymentRecord",
    "PaymentRequest",
    "PaymentResult",
    "PaymentStatusQuery",
    "ReconciliationBatch",
    "RefundNotification",
    "RefundRequest",
    "iter_payment_records",
]
