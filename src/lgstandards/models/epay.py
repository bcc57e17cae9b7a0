"""Typed models of the e-Pay messages (``urn:lgstandards:epay:1``).

One model per message root of ``schemas/epay/lgs-epay-v1-1.xsd``:
:class:`PaymentRequest`, :class:`PaymentRequestAccepted`, :class:`PaymentResult`,
:class:`PaymentNotification`, :class:`RefundRequest`, :class:`RefundNotification`,
:class:`Dispute`, :class:`PaymentStatusQuery`, :class:`ReconciliationBatch`,
:class:`Payout`, :class:`Demand` (council tax or a penalty charge notice) and the Direct
Debit messages :class:`DirectDebitInstruction`, :class:`DirectDebitCollection` and
:class:`DirectDebitReturn`. Each loads with ``from_xml()`` and writes with
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


def _collapse_text(value: object) -> object:
    """Collapse the XML white space of a string (``xs:anyURI``); take anything else as is."""
    return collapse_whitespace(value) if isinstance(value, str) else value


#: An http(s) URL of at most 2000 characters (``xs:anyURI``: XML white space is collapsed).
Url = Annotated[
    str,
    StringConstraints(max_length=2000, pattern=r"^https?://.+$"),
    BeforeValidator(_collapse_text),
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
    true_account_reference: AccountReference | None = None


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


# ------------------------------------------------------------------ 1.1
RequestStatus = Literal["SUCCESS", "INVALID_REQUEST", "ERROR"]
TransactionState = Literal["IN_PROGRESS", "COMPLETE", "INVALID_REFERENCE"]
DisputeStatus = Literal["needs_response", "under_review", "won", "lost"]
DisputeReason = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]
CouncilTaxBand = Literal["A", "B", "C", "D", "E", "F", "G", "H", "I"]
AdjustmentKind = Literal["discount", "exemption", "relief", "reduction"]
AdjustmentCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,10}$")]
PCNNumber = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[0-9]{8}[0-9A-Z]?$")]
VehicleRegistrationMark = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,10}$")]
ContraventionCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2}[a-z]{0,2}$")]
ServiceMethod = Literal["on-street", "postal", "camera"]
PenaltyStage = Literal["PCN", "NoticeToOwner", "ChargeCertificate"]
DirectDebitReference = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9 .&/\-]{1,35}$")]
InstructionAction = Literal["new", "amend", "cancel"]
CollectionFrequency = Literal["weekly", "monthly", "quarterly", "half-yearly", "annually", "once"]
BacsTransactionCode = Literal["01", "17", "18", "19"]
ReturnReasonCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{1,4}$")]


class Adjustment(EpayModel):
    """A discount, exemption, relief or reduction taken off a charge."""

    kind: AdjustmentKind
    code: AdjustmentCode
    description: Description | None = None
    amount: NonNegativeMoney


class Instalment(EpayModel):
    """One instalment of a bill."""

    due_date: XsDate
    amount: PositiveMoney


class CouncilTaxCharge(EpayModel):
    """The council tax part of a bill."""

    property: BS7666Address
    band: CouncilTaxBand
    period_from: XsDate
    period_to: XsDate
    gross_charge: NonNegativeMoney
    adjustment: list[Adjustment] = Field(default_factory=list)
    net_charge: Money
    instalment: list[Instalment] = Field(default_factory=list)


class PaymentReceived(EpayModel):
    """A payment already received against a notice."""

    payment_date: XsDate
    amount: PositiveMoney


class PenaltyCharge(EpayModel):
    """The penalty charge notice part of a bill."""

    pcn_number: Annotated[PCNNumber, Field(alias="PCNNumber")]
    vehicle_registration_mark: VehicleRegistrationMark
    contravention_code: ContraventionCode
    contravention_date_time: Timestamp
    location: Description
    service_method: ServiceMethod
    stage: PenaltyStage
    notice_date: XsDate
    full_amount: PositiveMoney
    discount_amount: PositiveMoney | None = None
    discount_deadline: XsDate | None = None
    amount_due: PositiveMoney
    payment_received: list[PaymentReceived] = Field(default_factory=list)


class PayoutTransaction(EpayModel):
    """One transaction settled in a payout."""

    xml_root = None

    record_type: RecordType
    transaction_id: Identifier
    gateway_reference: Identifier | None = None
    fund_code: FundCode | None = None
    account_reference: AccountReference | None = None
    gross_amount: Money
    fee: NonNegativeMoney | None = None
    net_amount: Money
    transaction_date: XsDate


class Collection(EpayModel):
    """One Direct Debit collection."""

    collection_id: Identifier
    direct_debit_reference: DirectDebitReference
    transaction_code: BacsTransactionCode
    bank_account: BankAccount
    fund_code: FundCode
    account_reference: AccountReference
    amount: PositiveMoney


class ReturnedCollection(EpayModel):
    """A Direct Debit returned unpaid, or an instruction amended or cancelled by the bank."""

    collection_id: Identifier | None = None
    direct_debit_reference: DirectDebitReference
    fund_code: FundCode | None = None
    account_reference: AccountReference | None = None
    original_collection_date: XsDate | None = None
    amount: PositiveMoney | None = None
    reason_code: ReturnReasonCode
    reason: Description | None = None
    new_bank_account: BankAccount | None = None


class PaymentRequestAccepted(EpayModel):
    """Gateway to calling application: the answer to a payment request."""

    xml_root = "PaymentRequestAccepted"

    schema_version: Version = "1.1"
    header: MessageHeader
    request_id: Identifier
    status: RequestStatus
    transaction_state: TransactionState
    gateway_reference: Identifier | None = None
    redirect_url: Url | None = None
    error_code: StatusCode | None = None
    error_message: Description | None = None


class Dispute(EpayModel):
    """Gateway to income management system: a dispute (chargeback) against a payment."""

    xml_root = "Dispute"

    schema_version: Version = "1.1"
    header: MessageHeader
    dispute_id: Identifier
    gateway_reference: Identifier
    payment_date: XsDate
    amount: PositiveMoney
    fee: NonNegativeMoney | None = None
    currency: Currency = "GBP"
    reason: DisputeReason
    status: DisputeStatus
    created: Timestamp
    evidence_due_date: XsDate | None = None


class Payout(EpayModel):
    """Gateway to finance: one payment into the council's bank account and what it settles."""

    xml_root = "Payout"

    schema_version: Version = "1.1"
    header: MessageHeader
    payout_id: Identifier
    paid_out_date: XsDate
    currency: Currency = "GBP"
    amount: Money
    statement_reference: Identifier | None = None
    transaction: list[PayoutTransaction] = Field(default_factory=list)


class Demand(EpayModel):
    """A bill or demand: council tax or a penalty charge notice (exactly one of them)."""

    xml_root = "Demand"

    schema_version: Version = "1.1"
    header: MessageHeader
    demand_number: Identifier
    issue_date: XsDate
    fund_code: FundCode
    account_reference: AccountReference
    liable_person: Annotated[list[PersonName], Field(min_length=1)]
    currency: Currency = "GBP"
    council_tax: CouncilTaxCharge | None = None
    penalty_charge: PenaltyCharge | None = None
    balance: Money | None = None

    @model_validator(mode="after")
    def _one_charge(self) -> Self:
        if (self.council_tax is None) == (self.penalty_charge is None):
            raise ValueError("give exactly one of council_tax and penalty_charge")
        return self


class DirectDebitInstruction(EpayModel):
    """Set up, amend or cancel a Direct Debit mandate (to the bank, as AUDDIS)."""

    xml_root = "DirectDebitInstruction"

    schema_version: Version = "1.1"
    header: MessageHeader
    instruction_id: Identifier
    action: InstructionAction
    direct_debit_reference: DirectDebitReference
    fund_code: FundCode
    account_reference: AccountReference
    bank_account: BankAccount
    frequency: CollectionFrequency
    instruction_date: XsDate
    first_collection_date: XsDate | None = None
    amount: PositiveMoney | None = None


class DirectDebitCollection(EpayModel):
    """A file of Direct Debit collections due on one day."""

    xml_root = "DirectDebitCollection"

    schema_version: Version = "1.1"
    header: MessageHeader
    file_id: Identifier
    collection_date: XsDate
    currency: Currency = "GBP"
    collection: Annotated[list[Collection], Field(min_length=1)]


class DirectDebitReturn(EpayModel):
    """Direct Debits returned unpaid and instructions amended or cancelled (ARUDD / ADDACS)."""

    xml_root = "DirectDebitReturn"

    schema_version: Version = "1.1"
    header: MessageHeader
    return_id: Identifier
    report_date: XsDate
    currency: Currency = "GBP"
    returned_collection: Annotated[list[ReturnedCollection], Field(min_length=1)]


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
    "epay.payment-request-accepted": PaymentRequestAccepted,
    "epay.dispute": Dispute,
    "epay.payout": Payout,
    "epay.demand": Demand,
    "epay.direct-debit-instruction": DirectDebitInstruction,
    "epay.direct-debit-collection": DirectDebitCollection,
    "epay.direct-debit-return": DirectDebitReturn,
}

__all__ = [
    "EPAY_NS",
    "MESSAGES",
    "Adjustment",
    "Allocation",
    "BatchHeader",
    "BatchTrailer",
    "Card",
    "Collection",
    "CouncilTaxCharge",
    "Demand",
    "DirectDebitCollection",
    "DirectDebitInstruction",
    "DirectDebitReturn",
    "Dispute",
    "EpayModel",
    "FundTotal",
    "Instalment",
    "Payer",
    "PaymentLine",
    "PaymentNotification",
    "PaymentReceived",
    "PaymentRecord",
    "PaymentRequest",
    "PaymentRequestAccepted",
    "PaymentResult",
    "PaymentStatusQuery",
    "Payout",
    "PayoutTransaction",
    "PenaltyCharge",
    "ReconciliationBatch",
    "RefundNotification",
    "RefundRequest",
    "ReturnedCollection",
    "iter_payment_records",
]
